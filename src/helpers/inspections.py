"""Load and validate the joint-inspection tables, and answer questions about them.

The tables live in ``data/joint-inspections/`` (see ``data/README.md``); ``data/datapackage.json``
states their fields, types, allowed values and keys, and :mod:`helpers.schema` applies it. This
module adds the rules the package cannot state (counts that add up, grade labels that depend on
the programme), and loads the tables together, in the order their keys need, reading each file
once. A broken table never yields a DataFrame: each problem raises :class:`DataError`, which names
the file, the line, the column and the value, and says what was expected.

Unknown stays unknown: a blank count is missing (``<NA>``), never 0, and a grade that no source
gives is never filled in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers import paths, schema
from helpers.areas import COUNCIL_AREAS, UnknownAreaError, standard_area
from helpers.grades import COUNT_COLUMNS, COUNT_FIELDS, GRADES, HIGHEST_FIRST, normalise_grade
from helpers.narrative import join_words
from helpers.schema import DataError, row_error

__all__ = ["DataError"]  # re-exported: it has always been importable from here

#: The programme most analyses mean by default (2012-2017; Perth and Kinross reported in 2018).
DEFAULT_PROGRAMME = "cyp-2012"

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")

#: Tables in the order their foreign keys need them.
ORDER = ("programmes", "council_areas", "indicators", "inspections", "named_grades", "findings")


# --------------------------------------------------------------------------- cells


def _area(file: Path, row: dict) -> str:
    try:
        return standard_area(row["council_area"])
    except UnknownAreaError as err:
        hint = f"; closest: {', '.join(err.suggestions)}" if err.suggestions else ""
        raise row_error(
            file, row, "council_area", f"not one of Scotland's 32 council areas{hint}"
        ) from None


def _date(file: Path, row: dict, column: str) -> tuple[pd.Timestamp | None, str]:
    """Parse an ISO date as precise as known: ``2018-04-12``, ``2018-04`` or ``2018``."""
    text = row[column]
    if text == "":
        return None, "unknown"
    match = _DATE.match(text)
    try:
        if not match:
            raise ValueError
        year, month, day = match.groups()
        stamp = pd.Timestamp(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise row_error(
            file, row, column,
            "expected an ISO date as precise as known: YYYY-MM-DD, YYYY-MM or YYYY",
        ) from None  # fmt: skip
    return stamp, ("day" if day else "month" if month else "year")


# --------------------------------------------------------------------------- rules per table
# Each takes the table as read (text, with ``_line``), checked cell by cell against the schema,
# and the tables it refers to (already loaded); it applies the rules the schema cannot state
# and returns the table with its values normalised and typed.


def _programmes(file: Path, frame: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    return frame.assign(indicators_graded=frame["indicators_graded"].astype(int))


def _council_areas(file: Path, frame: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    for row in frame.to_dict("records"):
        if row["council_area"] not in COUNCIL_AREAS:
            _area(file, row)  # raises with suggestions for a misspelling
            raise row_error(file, row, "council_area", "use the standard name")
    return frame


def _indicators(file: Path, frame: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    frame = frame.assign(position=frame["position"].astype(int))
    return frame.sort_values(["programme", "position"])


def _count_rules(file: Path, row: dict, expected: int) -> tuple[int | None, dict]:
    """The counts of one inspection: all six or none, adding up to the number stated."""
    stated = schema.whole(file, row, "indicators_stated", minimum=1)
    counts = {c: schema.whole(file, row, c) for c in COUNT_FIELDS}
    known = [c for c, v in counts.items() if v is not None]
    if known and len(known) != len(COUNT_FIELDS):
        blank = [c for c in COUNT_FIELDS if counts[c] is None]
        raise DataError(
            file,
            f"counts are given for some grades but blank for {blank}: give all six "
            "(0 where none) or leave all blank when the split is unknown",
            line=row["_line"], column=blank[0], value="",
        )  # fmt: skip
    if (known or stated is not None) and row["source_url"] == "":
        raise row_error(
            file, row, "source_url",
            "is blank, but a figure must name the public page it comes from (an http or https "
            "address)",
        )  # fmt: skip
    if known and sum(counts.values()) != stated:
        raise row_error(
            file, row, "indicators_stated",
            f"counts add up to {sum(counts.values())} but indicators_stated is {stated}",
        )  # fmt: skip
    conflict = row["conflict"]
    if stated is not None and stated != expected and conflict != "indicator-count":
        raise row_error(
            file, row, "indicators_stated",
            f"programme {row['programme']} grades {expected} indicators; if the source really "
            "says otherwise, record it as conflict 'indicator-count'",
        )  # fmt: skip
    if conflict == "indicator-count" and stated == expected:
        raise row_error(
            file, row, "conflict",
            "marked as an indicator-count conflict, but states the programme's own number",
        )  # fmt: skip
    return stated, counts


def _inspections(file: Path, frame: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    graded = loaded["programmes"].set_index("programme")["indicators_graded"]
    records = []
    for row in frame.to_dict("records"):
        area = _area(file, row)
        published, precision = _date(file, row, "published")
        stated, counts = _count_rules(file, row, int(graded[row["programme"]]))
        records.append(
            {
                **row,
                "council_area": area,
                "indicators_stated": stated,
                **counts,
                "published_date": published,
                "published_precision": precision,
            }
        )
    out = pd.DataFrame.from_records(records)
    for column in ["indicators_stated", *COUNT_FIELDS]:
        out[column] = pd.array(out[column].tolist(), dtype="Int64")
    out["published_date"] = pd.to_datetime(out["published_date"])
    return out


def _indicator_lookup(indicators: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(programme, lower-case name or variant) -> the indicator's name."""
    lookup: dict[tuple[str, str], str] = {}
    for row in indicators.itertuples():
        for name in [row.indicator, *filter(None, row.variants.split("|"))]:
            lookup[(row.programme, name.strip().lower())] = row.indicator
    return lookup


def _named_grade(file: Path, row: dict, level_3: str) -> str:
    """The label exactly as the scale spells it; 'satisfactory' only in a programme that used
    that word for level 3. A number or another spelling is a typo, not a grade."""
    labels = set(HIGHEST_FIRST) | ({"satisfactory"} if level_3 == "satisfactory" else set())
    grade = normalise_grade(row["grade"]) if row["grade"] in labels else None
    if grade is None:
        raise row_error(
            file, row, "grade",
            f"unknown grade for {row['programme']}; expected one of {sorted(labels)}",
        )  # fmt: skip
    return grade


def _named_grades(file: Path, frame: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    indicators = loaded["indicators"]
    lookup = _indicator_lookup(indicators)
    position = {(r.programme, r.indicator): r.position for r in indicators.itertuples()}
    level_3 = loaded["programmes"].set_index("programme")["level_3_label"].to_dict()
    records = []
    for row in frame.to_dict("records"):
        programme = row["programme"]
        indicator = lookup.get((programme, row["indicator"].lower()))
        if indicator is None:
            names = indicators.loc[indicators["programme"] == programme, "indicator"].tolist()
            raise row_error(
                file, row, "indicator",
                f"programme {programme} has no such indicator; it has: {names}",
            )  # fmt: skip
        records.append(
            {
                **row,
                "council_area": _area(file, row),
                "indicator": indicator,
                "grade": _named_grade(file, row, level_3[programme]),
                "position": position[(programme, indicator)],
            }
        )
    return pd.DataFrame.from_records(records)


def _named_within_counts(file: Path, frame: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    """Named grades must fit inside the inspection's counts, where the counts are known."""
    inspections = loaded["inspections"].set_index(["council_area", "programme"])
    for (area, programme), group in frame.groupby(["council_area", "programme"]):
        counts = inspections.loc[(area, programme), list(COUNT_FIELDS)]
        if counts.isna().any():
            continue
        for grade, n in Counter(group["grade"]).items():
            allowed = int(counts[COUNT_COLUMNS[grade]])
            if n > allowed:
                raise DataError(
                    file,
                    f"{n} indicators named as {grade} for {area} in {programme}, but the "
                    f"inspection counts {allowed}",
                    line=int(group.loc[group["grade"] == grade, "_line"].iloc[-1]),
                    column="grade",
                    value=grade,
                )
    return frame.assign(grade=frame["grade"].astype(GRADES))


def _findings(file: Path, frame: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    areas = [_area(file, row) for row in frame.to_dict("records")]
    return frame.assign(council_area=areas)


Rule = Callable[[Path, pd.DataFrame, dict], pd.DataFrame]
#: Per table: the rules on its rows (before the keys are checked) and on the whole table (after).
_RULES: dict[str, tuple[Rule, Rule | None]] = {
    "programmes": (_programmes, None),
    "council_areas": (_council_areas, None),
    "indicators": (_indicators, None),
    "inspections": (_inspections, None),
    "named_grades": (_named_grades, _named_within_counts),
    "findings": (_findings, None),
}


# --------------------------------------------------------------------------- loading


def _folder(path: Path | str | None) -> Path:
    """The folder of tables: ``path`` itself, the folder of a file ``path``, or the default."""
    if path is None:
        return paths.joint_inspections_dir()
    path = Path(path)
    return path if path.is_dir() else path.parent


def _needed(name: str) -> set[str]:
    """A table and every table its foreign keys refer to, directly or not."""
    out, todo = set(), [name]
    resources = schema.resources()
    while todo:
        current = todo.pop()
        if current not in out:
            out.add(current)
            todo += [fk.resource for fk in resources[current].foreign_keys]
    return out


def _load(path: Path | str | None, wanted: str | None = None) -> dict[str, pd.DataFrame]:
    """Read and validate ``wanted`` (default all) and the tables it refers to, each file once.

    ``path`` is a folder, or one table's file (then the others are read from its folder).
    """
    folder = _folder(path)
    needed = _needed(wanted) if wanted else set(ORDER)
    resources = schema.resources()
    loaded: dict[str, pd.DataFrame] = {}
    for name in (n for n in ORDER if n in needed):
        resource = resources[name]
        given = path is not None and not Path(path).is_dir() and Path(path).name == resource.file
        file = Path(path) if given else folder / resource.file
        frame = schema.read_table(file, resource)
        schema.check_cells(file, frame.to_dict("records"), resource)
        rows, table = _RULES[name]
        frame = rows(file, frame, loaded)
        schema.check_primary_key(file, frame, resource)
        schema.check_foreign_keys(file, frame, resource, loaded)
        loaded[name] = table(file, frame, loaded) if table else frame
    return {n: f.drop(columns="_line").reset_index(drop=True) for n, f in loaded.items()}


def load_programmes(path: Path | str | None = None) -> pd.DataFrame:
    """The inspection programmes: id, name, period, how many indicators each grades.

    Parameters
    ----------
    path
        ``programmes.csv`` or its folder; default ``data/joint-inspections``.
    """
    return _load(path, "programmes")["programmes"]


def load_indicators(path: Path | str | None = None) -> pd.DataFrame:
    """The quality indicators of each programme, in report order, with their question.

    ``variants`` holds other names the reports use, separated by ``|``.
    """
    return _load(path, "indicators")["indicators"]


def load_council_areas(path: Path | str | None = None) -> pd.DataFrame:
    """The 32 council areas and the other names sources use for them."""
    return _load(path, "council_areas")["council_areas"]


def load_inspections(path: Path | str | None = None) -> pd.DataFrame:
    """The joint inspections: one row per council area per programme, validated.

    Parameters
    ----------
    path
        ``inspections.csv`` or its folder; the tables it refers to (programmes, council areas)
        are read from the same folder. Default ``data/joint-inspections``.

    Returns
    -------
    pandas.DataFrame
        Columns as in the file, plus ``published_date`` (the first day of the period given) and
        ``published_precision`` (day, month, year or unknown). Counts are nullable integers:
        ``<NA>`` where the split is not known.

    Raises
    ------
    DataError
        Naming the file, line, column and value, for: a missing column; a file that is not
        UTF-8 or holds only a header; an unknown council area or programme; a malformed date; a
        count that is not written as a whole number; counts given only in part, or not adding
        up to ``indicators_stated``; a number of indicators stated that is not the programme's,
        unless the row records that conflict in ``conflict``; a duplicated inspection.

    Examples
    --------
    >>> df = load_inspections()
    >>> int(df.query("council_area == 'Perth and Kinross' and programme == 'cyp-2012'")["excellent"].iloc[0])
    2
    """  # noqa: E501
    return _load(path, "inspections")["inspections"]


def load_named_grades(path: Path | str | None = None) -> pd.DataFrame:
    """Grades that a source attaches to a named indicator, validated.

    Parameters
    ----------
    path
        ``named_grades.csv`` or its folder; inspections, programmes and indicators are read
        from the same folder. Default ``data/joint-inspections``.

    Returns
    -------
    pandas.DataFrame
        ``grade`` is the ordered :data:`helpers.GRADES` categorical ('satisfactory' read as
        adequate); indicator names are the programme's own (a known variant is renamed);
        ``position`` is the indicator's place in the report.

    Raises
    ------
    DataError
        For an unknown grade label, area, programme or basis; an indicator the programme does
        not have; a duplicated grade; or more named grades at a level than the inspection's
        counts allow.
    """
    return _load(path, "named_grades")["named_grades"]


def load_findings(path: Path | str | None = None) -> pd.DataFrame:
    """What inspectors found (strengths, what to improve, how they worked), in our words."""
    return _load(path, "findings")["findings"]


@dataclass(frozen=True)
class Tables:
    """Every joint-inspection table, loaded and validated together."""

    programmes: pd.DataFrame
    indicators: pd.DataFrame
    council_areas: pd.DataFrame
    inspections: pd.DataFrame
    named_grades: pd.DataFrame
    findings: pd.DataFrame


def load_all(path: Path | str | None = None) -> Tables:
    """Load and validate every table in the folder (default ``data/joint-inspections``).

    Each file is read once; the tables are checked against each other as they load.
    """
    return Tables(**_load(_folder(path)))


@lru_cache(maxsize=4)
def _cached(folder: str, mtimes: tuple) -> Tables:
    return load_all(folder)


def tables(path: Path | str | None = None) -> Tables:
    """:func:`load_all`, cached until a file in the folder changes."""
    folder = _folder(path)
    mtimes = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.csv")))
    return _cached(str(folder), mtimes)


# --------------------------------------------------------------------------- questions


def _inspection(area: str, programme: str, path=None) -> pd.Series:
    area = standard_area(area)
    t = tables(path)
    known = list(t.programmes["programme"])
    if programme not in known:
        raise LookupError(f"Unknown programme {programme!r}; the programmes are: {known}")
    frame = t.inspections
    match = frame[(frame["council_area"] == area) & (frame["programme"] == programme)]
    if match.empty:
        known = sorted(frame.loc[frame["council_area"] == area, "programme"])
        raise LookupError(
            f"No {programme} inspection of {area} in the data; it has: {known or 'none'}"
        )
    return match.iloc[0]


def grade_counts(
    area: str, programme: str = DEFAULT_PROGRAMME, path: Path | str | None = None
) -> pd.Series:
    """How many indicators an inspection graded at each level, highest first.

    Parameters
    ----------
    area
        A council area, in any usual spelling ('Perth & Kinross', 'Edinburgh, City of').
    programme
        Programme id (see ``programmes.csv``); default the 2012-2017 programme.
    path
        Folder of the tables; default ``data/joint-inspections``.

    Returns
    -------
    pandas.Series
        Indexed by the six grades, excellent first; nullable integers, all ``<NA>`` where the
        split is not known.

    Raises
    ------
    helpers.areas.UnknownAreaError
        For a name that is not a council area (the message suggests the closest).
    LookupError
        If the area has no inspection in that programme.

    Examples
    --------
    >>> grade_counts("Perth & Kinross").to_dict()
    {'excellent': 2, 'very good': 6, 'good': 1, 'adequate': 0, 'weak': 0, 'unsatisfactory': 0}
    """
    row = _inspection(area, programme, path)
    values = [row[COUNT_COLUMNS[g]] for g in HIGHEST_FIRST]
    series = pd.Series(pd.array(values, dtype="Int64"), index=pd.Index(HIGHEST_FIRST, name="grade"))
    series.name = f"{row['council_area']} ({programme})"
    return series


def indicator_grades(
    area: str, programme: str = DEFAULT_PROGRAMME, path: Path | str | None = None
) -> pd.DataFrame:
    """Every indicator of an inspection, in report order, with its grade where a source names it.

    Where no source names an indicator's grade, ``grade`` stays missing and ``possible`` says
    which grades remain open given the counts (for Perth and Kinross: 'very good or good').
    The open grades are never put in the ``grade`` column.

    Returns
    -------
    pandas.DataFrame
        Columns: position, question, indicator, grade (ordered categorical, missing where not
        named), basis ('stated', 'ambiguous', 'derived' or 'not published'), shown (what a
        table should show: the grade, or 'unknown: very good or good' ...), source_url.
    """
    row = _inspection(area, programme, path)
    t = tables(path)
    inds = t.indicators[t.indicators["programme"] == programme]
    named = t.named_grades[
        (t.named_grades["council_area"] == row["council_area"])
        & (t.named_grades["programme"] == programme)
    ].set_index("indicator")
    out = inds[["position", "question", "indicator"]].copy()
    out["grade"] = out["indicator"].map(named["grade"].astype(object)).astype(GRADES)
    out["basis"] = out["indicator"].map(named["basis"]).fillna("not published")
    out["source_url"] = out["indicator"].map(named["source_url"]).fillna("")
    counts = grade_counts(row["council_area"], programme, path)
    remaining: list[str] = []
    if not counts.isna().any():
        left = counts.astype(int).to_dict()
        for grade in out["grade"].dropna():
            left[grade] -= 1
        remaining = [g for g in HIGHEST_FIRST if left[g] > 0]
    if len(remaining) > 1:
        open_text = f"{join_words(remaining, 'or')} (not published which)"
    elif remaining:
        open_text = f"{remaining[0]} (by elimination; not published)"
    else:
        open_text = "unknown"
    out["shown"] = out["grade"].astype(object).where(out["grade"].notna(), open_text)
    return out.reset_index(drop=True)


def areas_with_grades(path: Path | str | None = None) -> list[str]:
    """Council areas with any known grade (a count or a named indicator), A to Z."""
    t = tables(path)
    counted = t.inspections.dropna(subset=list(COUNT_FIELDS))["council_area"]
    return sorted(set(counted) | set(t.named_grades["council_area"]))


def scotland_counts(programme: str = DEFAULT_PROGRAMME, path: Path | str | None = None):
    """Counts at each grade for every area with a known split in a programme.

    Returns
    -------
    pandas.DataFrame
        One row per area (index), one column per grade (excellent first), plus ``total``,
        ``share_very_good_or_better`` and ``share_excellent``; ordered by those two shares,
        highest first, then by name. Areas without a known split are left out: see
        :func:`coverage` for them.
    """
    frame = tables(path).inspections
    frame = frame[frame["programme"] == programme].dropna(subset=list(COUNT_FIELDS))
    wide = frame.set_index("council_area")[list(COUNT_FIELDS)].astype(int)
    wide.columns = list(HIGHEST_FIRST)
    return shares_table(wide)


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
    out["share_very_good_or_better"] = (out["excellent"] + out["very good"]) / out["total"]
    out["share_excellent"] = out["excellent"] / out["total"]
    out = out.rename_axis("council_area").reset_index()
    out = out.sort_values(
        ["share_very_good_or_better", "share_excellent", "council_area"],
        ascending=[False, False, True],
    )
    return out.set_index("council_area")


def coverage(path: Path | str | None = None) -> pd.DataFrame:
    """What is known for each council area in each programme.

    Returns
    -------
    pandas.DataFrame
        32 rows (areas), one column per programme, each cell one of 'full split',
        'some named grades', 'inspected, grades not found', or '' (no row in the data).
    """
    t = tables(path)
    named = set(zip(t.named_grades["council_area"], t.named_grades["programme"], strict=True))
    table = pd.DataFrame(index=pd.Index(COUNCIL_AREAS, name="council_area"))
    for programme in t.programmes["programme"]:
        rows = t.inspections[t.inspections["programme"] == programme].set_index("council_area")
        cells = []
        for area in COUNCIL_AREAS:
            if area not in rows.index:
                cells.append("")
            elif rows.loc[area, list(COUNT_FIELDS)].notna().all():
                cells.append("full split")
            elif (area, programme) in named:
                cells.append("some named grades")
            else:
                cells.append("inspected, grades not found")
        table[programme] = cells
    return table
