"""Readers' words for the names the data uses: one mapping for every table, chart and sentence.

Field names (``source_url``, ``very_good``) and programme ids (``cyp-2012``) are for code. What a
reader sees says 'source' and 'children and young people, 2012-2017'. :func:`readable` turns a
table's headers, index names and programme ids into those words; :func:`programme_name` names
one programme (from ``programmes.csv``'s ``short_name``).

>>> programme_name("cyp-2012")
'children and young people, 2012-2017'
>>> column_label("indicators_stated")
'indicators graded'
>>> column_label("Already readable")
'Already readable'
"""

from __future__ import annotations

import pandas as pd

from helpers import cache, paths

#: Field names and their readers' words. A name not listed is shown with underscores as spaces.
COLUMN_LABELS: dict[str, str] = {
    "council_area": "council area",
    "programme": "programme",
    "published": "published",
    "published_precision": "date known to the",
    "fieldwork": "fieldwork",
    "indicators_stated": "indicators graded",
    "indicators_graded": "indicators graded",
    "very_good": "very good",
    "conflict": "conflict",
    "source_url": "source",
    "corroborated_by": "also reported by",
    "basis": "how it is known",
    "level_3_label": "level 3 called",
    "short_name": "programme",
    "programme_grades": "indicators the programme grades",
    "service_id": "service number",
    "service_name": "service",
    "care_service": "type of service",
    "snapshot_date": "snapshot",
    "registered_places": "registered places",
    "latest_grading_date": "latest grading",
    "grade before": "grade before",
    "grade after": "grade after",
}


@cache.cached_on(
    lambda: [
        paths.joint_inspections_dir() / "programmes.csv",
        paths.data_dir() / "datapackage.json",
    ]
)
def _programme_names() -> dict[str, str]:
    from helpers.inspections import load_programmes

    programmes = load_programmes()
    return dict(zip(programmes["programme"], programmes["short_name"], strict=True))


def programme_name(programme: object) -> str:
    """A programme's name for readers; anything that is not a programme id is returned as is."""
    return _programme_names().get(str(programme), str(programme))


def column_label(name: object) -> str:
    """A field's name for readers (:data:`COLUMN_LABELS`; a programme id, its name; else
    underscores as spaces)."""
    text = str(name)
    if text in COLUMN_LABELS:
        return COLUMN_LABELS[text]
    if text in _programme_names():
        return _programme_names()[text]
    return text.replace("_", " ") if "_" in text else text


def _cells(values: pd.Index | pd.Series) -> pd.Index | pd.Series:
    names = _programme_names()
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        return values.map(lambda v: names.get(v, v) if isinstance(v, str) else v)
    return values


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """The table with readers' words: headers and index names through :func:`column_label`,
    programme ids (in a ``programme`` column or index level) through :func:`programme_name`."""
    out = table.copy()
    for column in out.columns:
        if str(column) == "programme":
            out[column] = _cells(out[column].astype(object))
    if isinstance(out.index, pd.MultiIndex):
        levels = [
            _cells(out.index.levels[i]) if name == "programme" else out.index.levels[i]
            for i, name in enumerate(out.index.names)
        ]
        out.index = out.index.set_levels(levels)
    elif out.index.name == "programme":
        out.index = _cells(out.index)
    out.index = out.index.set_names([column_label(n) if n else n for n in out.index.names])
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = out.columns.set_levels(
            [level.map(column_label) for level in out.columns.levels]
        )
    else:
        out.columns = [column_label(c) for c in out.columns]
    out.columns.names = [column_label(n) if n else n for n in out.columns.names]
    return out
