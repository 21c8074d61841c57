"""Readers' words for the names the data uses: one mapping for every table, chart and sentence.

Field names (``source_url``, ``very_good``) and programme ids (``cyp-2012``) are for code. What a
reader sees says 'source' and 'children and young people, 2012-2017'. :func:`readable` turns a
table's headers, index names and programme ids into those words. A programme is named here, in
one of three lengths, all from ``programmes.csv``: :func:`programme_name` (its ``short_name``, in
a sentence or a header), :func:`programme_title` (its ``name``, over a section) and
:func:`programme_label` (its name and period, beside a chart).

>>> programme_name("cyp-2012")
'children and young people, 2012-2017'
>>> programme_title("cyp-2012")
'Joint inspections of services for children and young people'
>>> programme_label("cp-2009")
'Joint inspections of services to protect children, second cycle (2009-2012)'
>>> column_label("indicators_stated")
'indicators graded'
>>> column_label("Already readable")
'Already readable'
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers import cache, paths
from helpers.joint.tables import load_programmes

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


@cache.cached_on(lambda folder: [Path(folder) / "programmes.csv", paths.datapackage_file()])
def _programmes(folder: str) -> dict[str, dict[str, str]]:
    """Programme id -> its ``name``, ``short_name`` and ``period``; read again when the file
    (or the package that states it) changes."""
    table = load_programmes(folder)
    columns = ["name", "short_name", "period"]
    return table.set_index("programme")[columns].to_dict("index")


def _programme_table(path: Path | str | None = None) -> dict[str, dict[str, str]]:
    """:func:`_programmes` of the folder of tables (default ``data/joint-inspections``)."""
    return _programmes(str(path or paths.joint_inspections_dir()))


def _programme_names() -> dict[str, str]:
    return {p: row["short_name"] for p, row in _programme_table().items()}


def programme_name(programme: object, path: Path | str | None = None) -> str:
    """A programme's name for readers (its ``short_name``); anything that is not a programme id
    is returned as is. ``path``: the folder of tables (default ``data/joint-inspections``)."""
    row = _programme_table(path).get(str(programme))
    return row["short_name"] if row else str(programme)


def name_and_years(short_name: str) -> tuple[str, str]:
    """A programme's reader name split into its subject and its years; a name with no subject
    before the years gives ``""`` for the subject.

    Examples
    --------
    >>> name_and_years("child protection, 2009-2012"), name_and_years("2012-2017")
    (('child protection', '2009-2012'), ('', '2012-2017'))
    """
    name, _, years = short_name.rpartition(", ")
    return name, years


def programme_years(programme: object, path: Path | str | None = None) -> str:
    """A programme's years, from its reader name ('2012-2017')."""
    return name_and_years(programme_name(programme, path))[1]


def programme_title(programme: str, path: Path | str | None = None) -> str:
    """A programme's full name (its ``name``), as a section about it is headed."""
    return _programme_table(path)[programme]["name"]


def programme_label(programme: str, path: Path | str | None = None) -> str:
    """A programme's full name and period, 'name (period)', as a chart or a map names it."""
    row = _programme_table(path)[programme]
    return f"{row['name']} ({row['period']})"


def programme_labels(programmes: list[str] | None = None, path: Path | str | None = None):
    """Programme id -> :func:`programme_label`, for panel titles (all programmes, or some)."""
    table = _programme_table(path)
    return {p: programme_label(p, path) for p in table if programmes is None or p in programmes}


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
