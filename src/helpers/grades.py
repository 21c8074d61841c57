"""The six-point grading scale, defined once: order, labels, aliases, numbers and colours.

The Care Inspectorate and its partners grade on six levels. The 2009-2012 child protection
programme called level 3 'satisfactory'; it is the same level as 'adequate' and is read as such.
"""

from __future__ import annotations

import pandas as pd

#: Lowest first, the order of the categorical.
SCALE: tuple[str, ...] = (
    "unsatisfactory",
    "weak",
    "adequate",
    "good",
    "very good",
    "excellent",
)

#: Highest first, the order of tables and sentences.
HIGHEST_FIRST: tuple[str, ...] = tuple(reversed(SCALE))

#: The scale as an ordered pandas categorical dtype: unsatisfactory < ... < excellent.
GRADES = pd.CategoricalDtype(categories=list(SCALE), ordered=True)

#: Number on the Care Inspectorate's scale (6 excellent ... 1 unsatisfactory).
GRADE_NUMBER: dict[str, int] = {g: i + 1 for i, g in enumerate(SCALE)}

#: Column names used for counts in ``inspections.csv`` (``very good`` -> ``very_good``).
COUNT_COLUMNS: dict[str, str] = {g: g.replace(" ", "_") for g in SCALE}

#: The count columns of ``inspections.csv`` in the order of the file: highest grade first.
COUNT_FIELDS: tuple[str, ...] = tuple(COUNT_COLUMNS[g] for g in reversed(SCALE))

#: Other spellings the sources use for a level.
ALIASES: dict[str, str] = {
    "satisfactory": "adequate",
    "very_good": "very good",
    "verygood": "very good",
    "very-good": "very good",
}

#: One ordered, colour-blind-safe palette (a sequential blue-to-orange ramp with no red-green
#: contrast), lowest grade first. Unknown is a neutral grey, never a grade colour.
PALETTE: dict[str, str] = {
    "unsatisfactory": "#8c2d04",
    "weak": "#e6550d",
    "adequate": "#fdae6b",
    "good": "#9ecae1",
    "very good": "#3182bd",
    "excellent": "#08306b",
}
UNKNOWN_COLOUR = "#bdbdbd"
UNKNOWN = "unknown"


def normalise_grade(value: object) -> str | None:
    """Return the scale's label for ``value``, or ``None`` if it is not a grade.

    Accepts the labels in any case and spacing, the aliases (``satisfactory``) and the numbers
    1-6 (as int or text).

    Examples
    --------
    >>> normalise_grade("Satisfactory")
    'adequate'
    >>> normalise_grade(5)
    'very good'
    """
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != value:  # NaN
            return None
        number = int(value)
        return SCALE[number - 1] if number == value and 1 <= number <= 6 else None
    text = " ".join(str(value).strip().lower().split())
    if text.isdigit():
        return normalise_grade(int(text))
    text = ALIASES.get(text, text)
    return text if text in GRADE_NUMBER else None


def as_grades(values: pd.Series | list) -> pd.Series:
    """Convert labels to the ordered ``GRADES`` categorical (unknown labels become missing)."""
    series = pd.Series(values)
    return series.map(normalise_grade).astype(GRADES)
