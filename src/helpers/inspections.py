"""Load and validate the joint-inspection tables, and answer questions about them.

The tables live in ``data/joint-inspections/`` (see ``data/README.md``). Every loader validates
what it reads: a broken table never yields a DataFrame. Each problem raises :class:`DataError`,
which names the file, the line, the column and the value, and says what was expected.

Unknown stays unknown: a blank count is missing (``<NA>``), never 0, and a grade that no source
gives is never filled in.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.areas import COUNCIL_AREAS, UnknownAreaError, find_area, standard_area
from helpers.grades import COUNT_COLUMNS, GRADES, HIGHEST_FIRST, normalise_grade
from helpers.narrative import join_words

#: The programme most analyses mean by default (2012-2017; Perth and Kinross reported in 2018).
DEFAULT_PROGRAMME = "cyp-2012"

#: Allowed values of ``named_grades.basis``.
BASES = ("stated", "ambiguous", "derived")

#: Allowed values of ``inspections.conflict`` (blank = none known).
CONFLICTS = ("indicator-count",)

_COUNTS = [COUNT_COLUMNS[g] for g in HIGHEST_FIRST]

_COLUMNS = {
    "programmes.csv": ["programme", "name", "period", "indicators_graded", "level_3_label", "note"],
    "indicators.csv": ["programme", "position", "indicator", "question", "variants"],
    "council_areas.csv": ["council_area", "variants"],
    "inspections.csv": [
        "council_area",
        "programme",
        "published",
        "fieldwork",
        "indicators_stated",
        *_COUNTS,
        "conflict",
        "source_url",
        "corroborated_by",
        "note",
    ],
    "named_grades.csv": [
        "council_area",
        "programme",
        "indicator",
        "grade",
        "basis",
        "source_url",
        "note",
    ],
    "findings.csv": ["council_area", "programme", "kind", "finding", "source_url"],
}

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class DataError(ValueError):
    """A table in ``data/`` breaks a rule. Names the file, line, column and value.

    Attributes
    ----------
    file, line, column, value
        Where the problem is (``line`` counts the header as line 1; ``None`` for whole-file
        problems).
    """

    def __init__(
        self,
        file: Path | str,
        message: str,
        line: int | None = None,
        column: str | None = None,
        value: object = None,
    ):
        self.file, self.line, self.column, self.value = str(file), line, column, value
        where = str(file)
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        if value is not None:
            where += f", value {value!r}"
        super().__init__(f"{where}: {message}")


# --------------------------------------------------------------------------- reading


def _folder(path: Path | str | None) -> Path:
    """The folder of tables: ``path`` itself, the folder of a file ``path``, or the default."""
    if path is None:
        return paths.joint_inspections_dir()
    path = Path(path)
    return path if path.is_dir() else path.parent


def _file(path: Path | str | None, name: str) -> Path:
    if path is not None and not Path(path).is_dir():
        return Path(path)
    return _folder(path) / name


def _read_table(file: Path, name: str) -> pd.DataFrame:
    """Read a CSV as text, strictly UTF-8, all columns as strings ('' for blank).

    A column ``_line`` holds each row's line number in the file (header = 1), for messages.
    """
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise DataError(file, "file not found") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        bad = raw[err.start : err.end]
        raise DataError(file, "is not UTF-8 text; save it as UTF-8", line=line, value=bad) from None
    text = text.removeprefix("\ufeff")
    # The csv module, not pandas, so each record keeps the number of the line it ends on.
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise DataError(file, "is empty; expected a header row") from None
    missing = [c for c in _COLUMNS[name] if c not in header]
    if missing:
        raise DataError(file, f"missing column(s) {missing}; expected {_COLUMNS[name]}")
    rows, lines = [], []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue  # a blank line is not a row
            if len(record) != len(header):
                raise DataError(
                    file,
                    f"has {len(record)} fields where the header has {len(header)}",
                    line=reader.line_num,
                )
            rows.append([cell.strip() for cell in record])
            lines.append(reader.line_num)
    except csv.Error as err:
        raise DataError(file, f"is not well-formed CSV ({err})", line=reader.line_num) from None
    frame = pd.DataFrame(rows, columns=header, dtype=object)[_COLUMNS[name]]
    frame.insert(0, "_line", lines)
    return frame


def _row_error(file: Path, row: dict, column: str, message: str) -> DataError:
    """The error for one bad cell: the file, the row's line, the column and its value."""
    return DataError(file, message, line=row["_line"], column=column, value=row[column])


def _rows(frame: pd.DataFrame) -> list[dict]:
    """The rows as dicts: checking a few hundred cells is ~10x faster than with iterrows."""
    return frame.to_dict("records")


def _whole(file: Path, row: dict, column: str, minimum: int = 0) -> int | None:
    """A blank cell is ``None`` (unknown); anything else must be a whole number >= minimum."""
    text = row[column]
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is None or not number.is_integer() or number < minimum:
        raise DataError(
            file,
            f"expected a whole number >= {minimum} (or blank for unknown)",
            line=row["_line"],
            column=column,
            value=text,
        )
    return int(number)


def _area(file: Path, row: dict) -> str:
    try:
        return standard_area(row["council_area"])
    except UnknownAreaError as err:
        hint = f"; closest: {', '.join(err.suggestions)}" if err.suggestions else ""
        raise _row_error(
            file,
            row,
            "council_area",
            f"not one of Scotland's 32 council areas{hint}",
        ) from None


def _choice(file: Path, row: dict, column: str, allowed, blank_ok: bool = False) -> str:
    value = row[column]
    if (blank_ok and value == "") or value in allowed:
        return value
    raise DataError(
        file,
        f"expected one of {sorted(allowed)}",
        line=row["_line"],
        column=column,
        value=value,
    )


def _url(file: Path, row: dict, column: str, required: bool = False) -> str:
    """A web address (http or https), or blank where that is allowed."""
    value = row[column]
    if value == "" and not required:
        return value
    if not re.match(r"^https?://[^\s/]+\.[^\s]+$", value):
        message = (
            "is blank, but a figure must name the public page it comes from (an http or https "
            "address)"
            if value == ""
            else "expected an http or https address"
        )
        raise DataError(file, message, line=row["_line"], column=column, value=value)
    return value


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
        raise DataError(
            file,
            "expected an ISO date as precise as known: YYYY-MM-DD, YYYY-MM or YYYY",
            line=row["_line"],
            column=column,
            value=text,
        ) from None
    return stamp, ("day" if day else "month" if month else "year")


# --------------------------------------------------------------------------- loaders


def load_programmes(path: Path | str | None = None) -> pd.DataFrame:
    """The inspection programmes: id, name, period, how many indicators each grades.

    Parameters
    ----------
    path
        ``programmes.csv`` or its folder; default ``data/joint-inspections``.
    """
    file = _file(path, "programmes.csv")
    frame = _read_table(file, "programmes.csv")
    seen: dict[str, int] = {}
    for row in _rows(frame):
        if row["programme"] in seen:
            raise _row_error(
                file,
                row,
                "programme",
                f"duplicated programme (first on line {seen[row['programme']]})",
            )
        seen[row["programme"]] = row["_line"]
        _whole(file, row, "indicators_graded", minimum=1)
    frame["indicators_graded"] = frame["indicators_graded"].astype(int)
    return frame.drop(columns="_line").reset_index(drop=True)


def load_indicators(path: Path | str | None = None) -> pd.DataFrame:
    """The quality indicators of each programme, in report order, with their question.

    ``variants`` holds other names the reports use, separated by ``|``.
    """
    file = _file(path, "indicators.csv")
    programmes = set(load_programmes(_folder(path))["programme"])
    frame = _read_table(file, "indicators.csv")
    seen: set[tuple[str, str]] = set()
    for row in _rows(frame):
        _choice(file, row, "programme", programmes)
        _whole(file, row, "position", minimum=1)
        key = (row["programme"], row["indicator"].lower())
        if key in seen:
            raise DataError(
                file, "duplicated indicator", line=row["_line"], column="indicator",
                value=row["indicator"],
            )  # fmt: skip
        seen.add(key)
    frame["position"] = frame["position"].astype(int)
    return frame.drop(columns="_line").sort_values(["programme", "position"]).reset_index(drop=True)


def load_council_areas(path: Path | str | None = None) -> pd.DataFrame:
    """The 32 council areas and the other names sources use for them."""
    file = _file(path, "council_areas.csv")
    frame = _read_table(file, "council_areas.csv")
    for row in _rows(frame):
        if row["council_area"] not in COUNCIL_AREAS:
            _area(file, row)  # raises with suggestions for a misspelling
            raise DataError(
                file, "use the standard name", line=row["_line"], column="council_area",
                value=row["council_area"],
            )  # fmt: skip
    return frame.drop(columns="_line").reset_index(drop=True)


def _indicator_lookup(indicators: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(programme, lower-case name or variant) -> the indicator's name."""
    lookup: dict[tuple[str, str], str] = {}
    for row in indicators.itertuples():
        for name in [row.indicator, *filter(None, row.variants.split("|"))]:
            lookup[(row.programme, name.strip().lower())] = row.indicator
    return lookup


def load_inspections(path: Path | str | None = None) -> pd.DataFrame:
    """The joint inspections: one row per council area per programme, validated.

    Parameters
    ----------
    path
        ``inspections.csv`` or its folder; the programmes table is read from the same folder.
        Default ``data/joint-inspections``.

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
        UTF-8; an unknown council area or programme; a malformed date; a count that is negative
        or not whole; counts given only in part, or not adding up to ``indicators_stated``; a
        number of indicators stated that is not the programme's, unless the row records that
        conflict in ``conflict``; a duplicated inspection.

    Examples
    --------
    >>> df = load_inspections()
    >>> int(df.query("council_area == 'Perth and Kinross' and programme == 'cyp-2012'")["excellent"].iloc[0])
    2
    """  # noqa: E501
    file = _file(path, "inspections.csv")
    programmes = load_programmes(_folder(path)).set_index("programme")["indicators_graded"]
    frame = _read_table(file, "inspections.csv")
    records = []
    seen: dict[tuple[str, str], int] = {}
    for row in _rows(frame):
        area = _area(file, row)
        programme = _choice(file, row, "programme", set(programmes.index))
        key = (area, programme)
        if key in seen:
            raise _row_error(
                file,
                row,
                "council_area",
                f"duplicated inspection of {area} in {programme} (first on line {seen[key]})",
            )
        seen[key] = row["_line"]
        published, precision = _date(file, row, "published")
        stated = _whole(file, row, "indicators_stated", minimum=1)
        counts = {c: _whole(file, row, c) for c in _COUNTS}
        conflict = _choice(file, row, "conflict", CONFLICTS, blank_ok=True)
        known = [c for c, v in counts.items() if v is not None]
        if known and len(known) != len(_COUNTS):
            blank = [c for c in _COUNTS if counts[c] is None]
            raise DataError(
                file,
                f"counts are given for some grades but blank for {blank}: give all six "
                "(0 where none) or leave all blank when the split is unknown",
                line=row["_line"],
                column=blank[0],
                value="",
            )
        _url(file, row, "source_url", required=bool(known) or stated is not None)
        _url(file, row, "corroborated_by")
        if known:
            total = sum(counts.values())
            if stated is None or total != stated:
                raise _row_error(
                    file,
                    row,
                    "indicators_stated",
                    f"counts add up to {total} but indicators_stated is {stated}",
                )
        expected = int(programmes[programme])
        if stated is not None and stated != expected and conflict != "indicator-count":
            raise _row_error(
                file,
                row,
                "indicators_stated",
                f"programme {programme} grades {expected} indicators; if the source really "
                "says otherwise, record it as conflict 'indicator-count'",
            )
        if conflict == "indicator-count" and stated == expected:
            raise DataError(
                file,
                "marked as an indicator-count conflict, but states the programme's own number",
                line=row["_line"],
                column="conflict",
                value=conflict,
            )
        records.append(
            {
                **{k: v for k, v in row.items() if k != "_line"},
                "council_area": area,
                "indicators_stated": stated,
                **counts,
                "published_date": published,
                "published_precision": precision,
            }
        )
    out = pd.DataFrame.from_records(records)
    for column in ["indicators_stated", *_COUNTS]:
        out[column] = pd.array(out[column].tolist(), dtype="Int64")
    out["published_date"] = pd.to_datetime(out["published_date"])
    return out.reset_index(drop=True)


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
    file = _file(path, "named_grades.csv")
    folder = _folder(path)
    indicators = load_indicators(folder)
    lookup = _indicator_lookup(indicators)
    position = {(r.programme, r.indicator): r.position for r in indicators.itertuples()}
    inspections = load_inspections(folder).set_index(["council_area", "programme"])
    level_3 = load_programmes(folder).set_index("programme")["level_3_label"].to_dict()
    frame = _read_table(file, "named_grades.csv")
    programmes = set(indicators["programme"])
    records = []
    seen: dict[tuple[str, str, str], int] = {}
    for row in _rows(frame):
        area = _area(file, row)
        programme = _choice(file, row, "programme", programmes)
        indicator = lookup.get((programme, row["indicator"].lower()))
        if indicator is None:
            names = indicators.loc[indicators["programme"] == programme, "indicator"].tolist()
            raise _row_error(
                file,
                row,
                "indicator",
                f"programme {programme} has no such indicator; it has: {names}",
            )
        # The label exactly as the scale spells it; 'satisfactory' only in a programme that
        # used that word for level 3. A number or another spelling is a typo, not a grade.
        labels = set(HIGHEST_FIRST) | (
            {"satisfactory"} if level_3.get(programme) == "satisfactory" else set()
        )
        grade = normalise_grade(row["grade"]) if row["grade"] in labels else None
        if grade is None:
            raise _row_error(
                file,
                row,
                "grade",
                f"unknown grade for {programme}; expected one of {sorted(labels)}",
            )
        _choice(file, row, "basis", BASES)
        _url(file, row, "source_url", required=True)
        key = (area, programme, indicator)
        if key in seen:
            raise _row_error(
                file,
                row,
                "indicator",
                f"a grade for this indicator is already given on line {seen[key]}",
            )
        seen[key] = row["_line"]
        records.append(
            {
                **{k: v for k, v in row.items() if k != "_line"},
                "council_area": area,
                "indicator": indicator,
                "grade": grade,
                "position": position[(programme, indicator)],
                "_line": row["_line"],
            }
        )
    out = pd.DataFrame.from_records(records)
    # Named grades must fit inside the inspection's counts, where the counts are known.
    for (area, programme), group in out.groupby(["council_area", "programme"]):
        if (area, programme) not in inspections.index:
            raise DataError(
                file,
                f"no inspection of {area} in {programme} in inspections.csv",
                line=int(group["_line"].iloc[0]),
                column="council_area",
                value=area,
            )
        counts = inspections.loc[(area, programme), _COUNTS]
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
    out["grade"] = out["grade"].astype(GRADES)
    return out.drop(columns="_line").reset_index(drop=True)


def load_findings(path: Path | str | None = None) -> pd.DataFrame:
    """What inspectors found (strengths, what to improve, how they worked), in our words."""
    file = _file(path, "findings.csv")
    inspected = set(
        load_inspections(_folder(path))[["council_area", "programme"]].itertuples(index=False)
    )
    frame = _read_table(file, "findings.csv")
    for row in _rows(frame):
        area = _area(file, row)
        if (area, row["programme"]) not in inspected:
            raise _row_error(
                file,
                row,
                "programme",
                f"no inspection of {area} in programme {row['programme']!r} in inspections.csv",
            )
        _choice(file, row, "kind", {"strength", "to improve", "method"})
        _url(file, row, "source_url", required=True)
    frame["council_area"] = frame["council_area"].map(standard_area)
    return frame.drop(columns="_line").reset_index(drop=True)


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
    """Load and validate every table in the folder (default ``data/joint-inspections``)."""
    folder = _folder(path)
    return Tables(
        programmes=load_programmes(folder),
        indicators=load_indicators(folder),
        council_areas=load_council_areas(folder),
        inspections=load_inspections(folder),
        named_grades=load_named_grades(folder),
        findings=load_findings(folder),
    )


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
    counted = t.inspections.dropna(subset=_COUNTS)["council_area"]
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
    frame = frame[frame["programme"] == programme].dropna(subset=_COUNTS)
    wide = frame.set_index("council_area")[_COUNTS].astype(int)
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
            elif rows.loc[area, _COUNTS].notna().all():
                cells.append("full split")
            elif (area, programme) in named:
                cells.append("some named grades")
            else:
                cells.append("inspected, grades not found")
        table[programme] = cells
    return table


def is_area(name: str) -> bool:
    """Whether ``name`` is a council area in any usual spelling."""
    return find_area(name) is not None
