"""The six-point grading scale and all arithmetic on it, each defined once.

Order, labels, aliases, numbers and colours; the groups the analyses speak of ('very good or
better', 'good or better', 'weak or worse'); counts, shares and where an area stands.

The Care Inspectorate and its partners grade on six levels. The 2009-2012 child protection
programme called level 3 'satisfactory'; it is the same level as 'adequate' and is read as such.
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import NamedTuple

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


# --------------------------------------------------------------------------- groups of grades

#: The groups of grades the analyses speak of, each defined once, highest grade first.
VERY_GOOD_OR_BETTER: tuple[str, ...] = ("excellent", "very good")
GOOD_OR_BETTER: tuple[str, ...] = ("excellent", "very good", "good")
WEAK_OR_WORSE: tuple[str, ...] = ("weak", "unsatisfactory")
#: Their names: a table's column (or index) for a group, and the readers' words for it.
VERY_GOOD_OR_BETTER_NAME = "very good or better"
GOOD_OR_BETTER_NAME = "good or better"
WEAK_OR_WORSE_NAME = "weak or worse"


# --------------------------------------------------------------------------- counts and shares


def as_counts(counts: Mapping[str, object] | pd.Series) -> pd.Series:
    """Counts keyed by grade, highest first, as nullable integers (missing grades count 0).

    Keys may be labels, aliases or column names ('very_good'). A missing value stays ``<NA>``.

    Examples
    --------
    >>> as_counts({"very_good": 2, "excellent": 1}).tolist()
    [1, 2, 0, 0, 0, 0]
    """
    by_grade: dict[str, object] = dict.fromkeys(HIGHEST_FIRST, 0)
    for key, value in dict(counts).items():
        grade = normalise_grade(str(key).replace("_", " "))
        if grade is None:
            raise ValueError(f"{key!r} is not a grade on the six-point scale")
        by_grade[grade] = pd.NA if value is None or pd.isna(value) else value
    series = pd.Series(pd.array(list(by_grade.values()), dtype="Int64"), index=HIGHEST_FIRST)
    series.index.name = "grade"
    return series


def group_count(counts: Mapping[str, object] | pd.Series, group=VERY_GOOD_OR_BETTER) -> int:
    """How many indicators were graded in ``group`` (default very good or better).

    Examples
    --------
    >>> group_count({"excellent": 2, "very good": 6, "good": 1})
    8
    """
    c = as_counts(counts)
    return int(sum(int(c[g]) for g in group))


def shares_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts per area (index) with total and the two shares, ordered for a fair comparison.

    Parameters
    ----------
    counts
        One row per area (index), a column per grade label.

    Returns
    -------
    pandas.DataFrame
        The six grades (excellent first), ``total``, ``share_very_good_or_better`` and
        ``share_excellent``; rows ordered by those shares (highest first), then by name.

    Raises
    ------
    ValueError
        If any count is missing: an unknown split cannot be compared, so leave it out.
    """
    counts = counts[list(HIGHEST_FIRST)]
    if counts.isna().any().any():
        unknown = counts.index[counts.isna().any(axis=1)].tolist()
        raise ValueError(f"the split of grades is not known for {unknown}; leave them out")
    out = counts.astype(int)
    out["total"] = out.sum(axis=1)
    out["share_very_good_or_better"] = out[list(VERY_GOOD_OR_BETTER)].sum(axis=1) / out["total"]
    out["share_excellent"] = out["excellent"] / out["total"]
    out = out.rename_axis("council_area").reset_index()
    out = out.sort_values(
        ["share_very_good_or_better", "share_excellent", "council_area"],
        ascending=[False, False, True],
    )
    return out.set_index("council_area")


# --------------------------------------------------------------------------- standings


class Standing(NamedTuple):
    """Where one area stands among others by its share of indicators in a group of grades."""

    area: str
    top: int  # indicators in the group
    total: int  # indicators graded
    larger: int  # other areas with a larger share
    same: int
    smaller: int

    @property
    def areas(self) -> int:
        return self.larger + self.same + self.smaller + 1


def standing(table: pd.DataFrame, area: str, group=VERY_GOOD_OR_BETTER) -> Standing:
    """Count the areas with a larger, the same and a smaller share in ``group``.

    Shares are compared exactly (as fractions), so 7/9 and 14/18 tie; no rank is given, because
    a rank hides ties.

    Parameters
    ----------
    table
        Counts per area (index), a column per grade label, every count known.
    area
        The area to place; a row of ``table``.
    group
        The grades counted (default very good or better).

    Examples
    --------
    >>> t = pd.DataFrame({"excellent": [1, 2], "very good": [1, 2]}, index=["A", "B"])
    >>> t[["good", "adequate", "weak", "unsatisfactory"]] = 0
    >>> standing(t, "A")
    Standing(area='A', top=2, total=2, larger=0, same=1, smaller=0)
    """
    if area not in table.index:
        raise KeyError(f"{area!r} has no known split in this table; it has: {list(table.index)}")
    share = group_shares(table, group)
    others = [s for a, s in share.items() if a != area]
    mine = share[area]
    counts = table.loc[area, list(HIGHEST_FIRST)].astype(int)
    return Standing(
        area=area,
        top=int(counts[list(group)].sum()),
        total=int(counts.sum()),
        larger=sum(s > mine for s in others),
        same=sum(s == mine for s in others),
        smaller=sum(s < mine for s in others),
    )


def group_shares(table: pd.DataFrame, group=VERY_GOOD_OR_BETTER) -> dict[str, Fraction]:
    """Each area's share of its indicators in ``group``, exactly (as fractions), so that 7/9
    and 14/18 are equal.

    Examples
    --------
    >>> t = pd.DataFrame({"excellent": [1, 2], "very good": [1, 2], "good": [2, 0]},
    ...                  index=["A", "B"])
    >>> t[["adequate", "weak", "unsatisfactory"]] = 0
    >>> group_shares(t)
    {'A': Fraction(1, 2), 'B': Fraction(1, 1)}
    """
    counts = table[list(HIGHEST_FIRST)].astype(int)
    top = counts[list(group)].sum(axis=1)
    total = counts.sum(axis=1)
    return {a: Fraction(int(top[a]), int(total[a])) for a in counts.index}


def same_share(table: pd.DataFrame, area: str, group=VERY_GOOD_OR_BETTER) -> list[str]:
    """The other areas whose share in ``group`` equals ``area``'s (A to Z): its company in a
    :class:`Standing`'s ``same``."""
    shares = group_shares(table, group)
    if area not in shares:
        raise KeyError(f"{area!r} has no known split in this table; it has: {list(shares)}")
    return sorted(a for a, s in shares.items() if a != area and s == shares[area])
