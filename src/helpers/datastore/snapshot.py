"""Read one monthly datastore CSV, exactly as the Care Inspectorate publishes it.

:func:`read_snapshot` returns a :class:`Snapshot`: ``services`` (one row per registered service),
``grades`` (one row per service per graded measure) and ``problems`` (values kept but not
understood, each with its file, record, service and value).

What is an error and what is a problem:

- errors (:class:`~helpers.datastore.columns.DatastoreError`, naming the file, the service or
  record and the value): a column no rule maps, a value in a column with no name (readr's
  ``...104``, a blank header cell: it could hide a grade), a grade that is not 1-6, a row with
  data but no service id, two rows with the same service id that differ in any column (all the
  file's columns are compared, not only the ones read);
- problems (the row is kept, the value set missing, and a row added to ``problems``): a council
  area that is not one of the 32 (nor 'outside Scotland'), a date or number that does not parse,
  and a row repeated exactly, every cell the same (kept once: the 2016 file lists four services
  twice).

Missing values: an empty cell, and ``#N/A`` (a spreadsheet's 'no value') in a date column. A
latest-grading date in 1900 (``1900_1``, ``01/01/1900``) means never graded, so it is missing too.
Text is trimmed of spaces before any rule is applied.
"""

from __future__ import annotations

import calendar
import csv
import gzip
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.areas import COUNCIL_AREAS, OUTSIDE_SCOTLAND, find_area
from helpers.datastore import rawfile
from helpers.datastore.columns import (
    FRAMEWORK_DTYPE,
    MEASURE_DTYPE,
    ColumnPlan,
    DatastoreError,
    classify_columns,
)
from helpers.grades import GRADES
from helpers.schema import WHOLE_NUMBER

#: Council area: the 32 standard names and 'outside Scotland', A to Z then outside.
AREA_DTYPE = pd.CategoricalDtype([*COUNCIL_AREAS, OUTSIDE_SCOTLAND])

#: The care service of every childminder, however the month spells it (see :func:`_canonical`).
CHILD_MINDING = "Child Minding"
#: The client group of services for children, the only one the care-services tables keep.
CHILDREN = "Children"

#: The spellings of 2016-2026 for coded values. A value that differs from one of these only in
#: case, spacing or punctuation ('CHILD MINDING', 'Day care of children') is read as it; any
#: other value is kept as published.
CANONICAL: dict[str, tuple[str, ...]] = {
    "care_service": (
        "Adoption Service",
        "Adult Placement Service",
        "Care Home Service",
        "Child Care Agency",
        CHILD_MINDING,
        "Day Care of Children",
        "Fostering Service",
        "Housing Support Service",
        "Nurse Agency",
        "Offender Accommodation Service",
        "School Care Accommodation Service",
        "Secure Accommodation Service",
        "Support Service",
    ),
    "sector": ("Health Board", "Local Authority", "Private", "Voluntary or Not for Profit"),
    "status": ("Active", "Inactive", "Proposing to Cancel"),
    "client_group": ("Adults", CHILDREN),
}
_CANONICAL_LOOKUP: dict[str, dict[str, str]] = {
    column: {re.sub(r"[^a-z]", "", v.lower()): v for v in values}
    for column, values in CANONICAL.items()
}


def _canonical(column: str) -> Callable[[str], str]:
    """The usual spelling of a coded value, or the value as published if it has none. Any
    spelling of childminding ('Childminder', 'Child Minding Service') is Child Minding, so that
    a childminder's name is never taken for a service's."""
    lookup = _CANONICAL_LOOKUP[column]

    def rule(value: str) -> str:
        key = re.sub(r"[^a-z]", "", value.lower())
        if column == "care_service" and "childmind" in key:
            return CHILD_MINDING
        return lookup.get(key, value)

    return rule


def _unusual(value: str) -> str:
    return "not one of the values of 2016-2026: kept as published"


SERVICE_COLUMNS: tuple[str, ...] = (
    "snapshot_date",
    "service_id",
    "service_name",
    "care_service",
    "subtype",
    "sector",
    "client_group",
    "council_area",
    "status",
    "registered_places",
    "latest_grading_date",
    "provider_number",
    "provider_name",
)
GRADE_COLUMNS: tuple[str, ...] = ("snapshot_date", "service_id", "framework", "measure", "grade")
PROBLEM_COLUMNS: tuple[str, ...] = ("file", "record", "service_id", "column", "value", "problem")

_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_NAME_ISO = re.compile(r"datastore[_ -]?(\d{4})-(\d{2})-(\d{2})", re.I)
_NAME_MDSF = re.compile(
    r"mdsf[_ ]?data[_ ]*(\d{1,2})(?:st|nd|rd|th)?[ _-]*([a-z]+)[ _-]*(\d{4})", re.I
)
_NAME_EXTERNAL = re.compile(r"(?:^|[^0-9])(\d{2})(\d{2})(\d{2})[_ -]*datastore[_ -]*external", re.I)
#: More registered places than any one service has had (the largest are a few hundred).
MAX_PLACES = 10_000
_GRADE_TEXT = re.compile(r"^\s*([1-6])(?:\.0*)?\s*$")
_MISSING_TEXT = frozenset({"", "#n/a", "n/a", "na"})


@dataclass
class Snapshot:
    """One month of the datastore.

    Attributes
    ----------
    source
        The file's name.
    snapshot_date
        The date the data are as at.
    services
        One row per registered service (see :data:`SERVICE_COLUMNS`).
    grades
        One row per service per non-empty graded measure (see :data:`GRADE_COLUMNS`).
    problems
        Values kept but not understood (see :data:`PROBLEM_COLUMNS`): empty when all is well.
    """

    source: str
    snapshot_date: pd.Timestamp
    services: pd.DataFrame
    grades: pd.DataFrame
    problems: pd.DataFrame = field(default_factory=lambda: empty_problems())

    def __repr__(self) -> str:
        return (
            f"Snapshot({self.source!r}, {self.snapshot_date.date()}, "
            f"{len(self.services)} services, {len(self.grades)} grades, "
            f"{len(self.problems)} problems)"
        )


_EMPTY_PROBLEMS = pd.DataFrame(
    {c: pd.Series([], dtype="Int64" if c == "record" else "str") for c in PROBLEM_COLUMNS}
)


def empty_problems() -> pd.DataFrame:
    """A problems table with no rows."""
    return _EMPTY_PROBLEMS.copy()


def snapshot_date_from_name(name: str | Path) -> date:
    """The date a datastore file is as at, from its name.

    Understands ``datastore_YYYY-MM-DD.csv[.gz]`` (this project's), ``MDSF_data_31 December
    2017.csv`` (official, until 2025) and ``250430_DatastoreExternal.csv`` (official, since).

    Raises
    ------
    DatastoreError
        If the name holds no date in any of those forms.
    """
    base = Path(str(name)).name
    try:
        if m := _NAME_ISO.search(base):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NAME_MDSF.search(base):
            month = _MONTHS.get(m[2].lower()) or _MONTHS.get(m[2].lower()[:3])
            if month:
                return date(int(m[3]), month, int(m[1]))
        if m := _NAME_EXTERNAL.search(base):
            return date(2000 + int(m[1]), int(m[2]), int(m[3]))
    except ValueError as err:
        raise DatastoreError(f"{base}: the date in the file name is not a date ({err})") from None
    raise DatastoreError(
        f"{base}: cannot tell the snapshot date from the file name; expected "
        "'datastore_YYYY-MM-DD.csv[.gz]', 'MDSF_data_<d Month yyyy>.csv' or "
        "'YYMMDD_DatastoreExternal.csv'"
    )


def _open_text(path: Path) -> io.TextIOWrapper:
    """The file as Windows-1252 text, gunzipped if it is gzip (by its magic bytes, not its name)."""
    with open(path, "rb") as fh:
        magic = fh.read(2)
    raw = gzip.open(path, "rb") if magic == b"\x1f\x8b" else open(path, "rb")
    return io.TextIOWrapper(raw, encoding=rawfile.ENCODING, newline="")


def read_header(path: Path) -> list[str]:
    """The column names of a datastore CSV (first record)."""
    with _open_text(path) as fh:
        try:
            return next(csv.reader(fh))
        except StopIteration:
            raise DatastoreError(f"{path.name}: the file is empty") from None
        except (UnicodeDecodeError, csv.Error, EOFError, OSError) as err:
            raise DatastoreError(f"{path.name}: not a readable CSV header ({err})") from None


def read_snapshot(
    path: str | Path,
    snapshot_date: date | str | None = None,
    *,
    max_bytes: int = rawfile.MAX_CSV_BYTES,
) -> Snapshot:
    """Read one monthly datastore CSV as published (Windows-1252, plain or gzipped).

    Parameters
    ----------
    path
        The CSV, e.g. ``datastore_2017-12-31.csv.gz`` or ``MDSF_data_31 December 2017.csv``.
    snapshot_date
        The date the data are as at; by default from the file name
        (:func:`snapshot_date_from_name`).
    max_bytes
        The most text the file may hold once decompressed (default
        :data:`~helpers.datastore.rawfile.MAX_CSV_BYTES`): a small gzip of gigabytes of zeros is
        refused, never inflated.

    Returns
    -------
    Snapshot
        ``services``, ``grades`` and ``problems`` tables.

    Raises
    ------
    DatastoreError
        If a column no rule maps, a column with no name holds a value, a grade is not 1-6, a row
        has no service id or a service id is repeated with different values in any column, or
        the file holds more than ``max_bytes`` of text or a record longer than
        :data:`~helpers.datastore.rawfile.MAX_RECORD_BYTES`; the message names the file,
        service or record and value.
    """
    path = Path(path)
    source = path.name
    when = pd.Timestamp(snapshot_date_from_name(path) if snapshot_date is None else snapshot_date)
    data, found = rawfile.decode(rawfile.read_bytes(path, max_bytes), source)
    header = _header(data, source)
    plan = classify_columns(header, source)
    rawfile.check_shape(data, source)
    raw = _parse(data, plan, source)
    for problem in found:  # the field's number, named
        index = problem["column"]
        problem["column"] = header[index] if index < len(header) else ""
    found += _column_problems(plan, source)
    return _tidy(raw, plan, source, when, _Rows(header, data), found)


def _parse(data: bytes, plan: ColumnPlan, source: str) -> pd.DataFrame:
    """The columns ``plan`` reads, every value as the text of its field, one row per record
    after the header (blank ones included).

    Raises
    ------
    DatastoreError
        If the C parser cannot read the text as CSV, naming the file.
    """
    try:
        # Everything as Python text (the fastest way through the C parser): types are decided
        # later, by rule, once per distinct value, with errors naming the values.
        return pd.read_csv(
            io.BytesIO(data),
            encoding="utf-8",
            usecols=plan.usecols,
            dtype=object,
            keep_default_na=False,
            na_filter=False,
            # Blank lines stay rows (padding, dropped below) so that row i is the file's record
            # i, as the csv module counts them when repeated rows are compared in full.
            skip_blank_lines=False,
            engine="c",
        )
    except (UnicodeDecodeError, pd.errors.ParserError, ValueError, EOFError, OSError) as err:
        raise DatastoreError(f"{source}: cannot be parsed as a datastore CSV ({err})") from None


def _header(data: bytes, source: str) -> list[str]:
    """The header record (quoted names may hold commas or line ends), named as pandas names the
    columns: a blank name is ``Unnamed: i``, a repeated one gets ``.1``, ``.2``."""
    reader = csv.reader(io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline=""))
    try:
        names = next(reader)
    except StopIteration:
        raise DatastoreError(f"{source}: the file is empty") from None
    except csv.Error as err:
        raise DatastoreError(f"{source}: the header is not a CSV record ({err})") from None
    out: list[str] = []
    for i, name in enumerate(names):
        name = name if name.strip() else f"Unnamed: {i}"
        stem, n = name, 0
        while name in out:
            n += 1
            name = f"{stem}.{n}"
        out.append(name)
    return out


def _column_problems(plan: ColumnPlan, source: str) -> list[dict]:
    """A problem row for every column not read as the rules would have it, or kept unmapped."""
    out = [_problem(source, None, "", c, "", "column no rule knows: ignored") for c in plan.unknown]
    out += [
        _problem(source, None, "", c, "", f"also a column for {s}: ignored")
        for c, s in plan.duplicates.items()
    ]
    out += [
        _problem(source, None, "", c, "", f"{why}: kept as {plan.grades[c][0]} {c!r}")
        for c, why in plan.unmapped.items()
    ]
    return out


class _Coded:
    """A text column as codes into its distinct trimmed values: rules run once per value.

    A month has ~12,000 rows but a few dozen areas, types or grades, so every rule below is
    applied to ``uniques`` and spread to rows by ``codes`` (numpy indexing).
    """

    def __init__(self, values: np.ndarray):
        codes, uniques = pd.factorize(values)
        try:
            stripped = list(map(str.strip, uniques))
        except TypeError:
            # A short row leaves its last cells missing (NaN), not text: read them as empty.
            stripped = [u.strip() if isinstance(u, str) else "" for u in uniques]
        if stripped == list(uniques):
            self.codes, self.uniques = codes, np.asarray(uniques, dtype=object)
        else:
            # Trimming may merge values ('Active ' and 'Active'): factorize again.
            merge, merged = pd.factorize(np.array(stripped, dtype=object))
            self.uniques = np.asarray(merged, dtype=object)
            self.codes = merge[codes] if len(codes) else codes
        empty = np.flatnonzero(self.uniques == "")
        self.empty_code = int(empty[0]) if len(empty) else -2

    def recode(self, rule: Callable[[str], str]) -> _Coded:
        """The same column with ``rule`` applied to every distinct value (values it makes equal
        become one)."""
        merge, merged = pd.factorize(np.array([rule(u) for u in self.uniques], dtype=object))
        self.uniques = np.asarray(merged, dtype=object)
        self.codes = merge[self.codes] if len(self.codes) else self.codes
        empty = np.flatnonzero(self.uniques == "")
        self.empty_code = int(empty[0]) if len(empty) else -2
        return self

    @property
    def filled(self) -> np.ndarray:
        return self.codes != self.empty_code

    def keep(self, mask: np.ndarray) -> None:
        self.codes = self.codes[mask]

    def values(self) -> np.ndarray:
        """The trimmed text of each row."""
        return self.uniques[self.codes]

    def categorical(self, rule=None, dtype: pd.CategoricalDtype | None = None) -> pd.Categorical:
        """The column as a categorical (empty text missing), after ``rule`` on each value."""
        if rule is None and dtype is None:
            # Fast path for names and ids (thousands of values): the distinct values are the
            # categories as they are, in order of appearance; only the empty one is dropped.
            lookup = np.arange(len(self.uniques), dtype=np.int32)
            categories = self.uniques
            if self.empty_code >= 0:
                lookup[self.empty_code] = -1
                lookup[self.empty_code + 1 :] -= 1
                categories = np.delete(categories, self.empty_code)
            dtype = pd.CategoricalDtype(pd.Index(categories, dtype="str"))
            return pd.Categorical.from_codes(lookup[self.codes], dtype=dtype)
        labels = [None if u == "" else (rule(u) if rule else u) for u in self.uniques]
        if dtype is None:
            categories = sorted({label for label in labels if label is not None})
            dtype = pd.CategoricalDtype(pd.Index(categories, dtype="str"))
        positions = {c: i for i, c in enumerate(dtype.categories)}
        lookup = np.array([positions.get(label, -1) for label in labels], dtype=np.int32)
        return pd.Categorical.from_codes(lookup[self.codes], dtype=dtype)


def _check_placeholders(raw: pd.DataFrame, plan: ColumnPlan, source: str) -> None:
    """Raise if a column with no name in the header (readr's ``...104``) holds any value."""
    for column in plan.placeholders:
        coded = _Coded(raw[column].to_numpy())
        filled = np.flatnonzero(coded.filled)
        if len(filled):
            i = int(filled[0])
            sid = str(raw[plan.used["service_id"]].iloc[i] or "").strip()
            raise DatastoreError(
                f"{source}: column {column!r} has no name in the header (a blank header cell) "
                f"but holds values: record {i + 1} (service {sid or 'with no id'}) has "
                f"{coded.uniques[coded.codes[i]]!r} ({len(filled)} non-empty cells in all); "
                "it could be a grade, so the file is not read without a rule for it"
            )


@dataclass(frozen=True)
class _Rows:
    """The whole file, as UTF-8 text, for the rare rows that must be read again in full."""

    header: list[str]
    data: bytes


def _full_rows(rows: _Rows, id_column: int, wanted: set[str]) -> dict[str, list[list[str]]]:
    """Every cell of the rows whose service id is in ``wanted``, read again with the csv module
    (the loader reads only the columns it needs). Rows are padded to the header's length."""
    found: dict[str, list[list[str]]] = {}
    reader = csv.reader(io.StringIO(rows.data.decode("utf-8"), newline=""))
    width = len(next(reader))
    for row in reader:
        if len(row) > id_column and (sid := row[id_column].strip().upper()) in wanted:
            row[id_column] = sid  # the id as the reader reads it: any case is one id
            found.setdefault(sid, []).append(row + [""] * (width - len(row)))
    return found


def _hinted_grades(
    raw: pd.DataFrame, plan: ColumnPlan, source: str, problems: list[dict]
) -> dict[str, tuple[str, str]]:
    """Columns whose name speaks of grades: kept as 'other grade' if every value is 1-6."""
    kept = {}
    for column in plan.hinted:
        values = [v for v in _Coded(raw[column].to_numpy()).uniques if v != ""]
        if values and all(_GRADE_TEXT.match(v) for v in values):
            kept[column] = ("other grade", column)
            why = "a column no rule knows, holding grades 1-6: kept as other grade"
        else:
            why = "a column no rule knows (its name speaks of grades, its values are not): ignored"
        problems.append(_problem(source, None, "", column, "", why))
    return kept


def _tidy(
    raw: pd.DataFrame,
    plan: ColumnPlan,
    source: str,
    when: pd.Timestamp,
    rows: _Rows,
    problems: list[dict],
) -> Snapshot:
    """Apply every rule to a file's text columns: services, grades and problems."""
    _check_placeholders(raw, plan, source)
    grade_plan = {**plan.grades, **_hinted_grades(raw, plan, source, problems)}
    cols = {std: _Coded(raw[col].to_numpy()) for std, col in plan.used.items()}
    # Service ids in any case are one id; a spreadsheet's 'no value' is no id.
    cols["service_id"].recode(lambda v: "" if v.lower() in _MISSING_TEXT else v.upper())
    grade_cols = {col: _Coded(raw[col].to_numpy()) for col in grade_plan}
    record = np.arange(1, len(raw) + 1)  # 1 = the first row after the header
    filled = _rows_with_data([*cols.values(), *grade_cols.values()], cols["service_id"], source)
    keep = _drop_repeats(cols["service_id"], filled, rows, plan, source, problems)
    for column in [*cols.values(), *grade_cols.values()]:
        column.keep(keep)
    services = _services(cols, when, record[keep], source, problems)
    grades = _grades(grade_cols, grade_plan, services["service_id"], record[keep], source, when)
    return Snapshot(source, when, services, grades, _problem_frame(problems))


def _rows_with_data(columns: list[_Coded], ids: _Coded, source: str) -> np.ndarray:
    """Rows with anything in a column read: padding rows (2019-2024 files end in hundreds of
    ',,,,') are not services. A row with data but no service id is an error."""
    filled = np.zeros(len(ids.codes), dtype=bool)
    for column in columns:
        filled |= column.filled
    no_id = filled & ~ids.filled
    if no_id.any():
        raise DatastoreError(
            f"{source}: record {int(np.flatnonzero(no_id)[0]) + 1} has data but no service id "
            f"({int(no_id.sum())} such rows in all)"
        )
    return filled


def _drop_repeats(
    ids: _Coded, filled: np.ndarray, rows: _Rows, plan: ColumnPlan, source: str, problems: list
) -> np.ndarray:
    """Rows to keep. Service ids are unique, except that a row may be repeated exactly (the 2016
    file lists four services twice): kept once and reported. A repeat that differs in any column
    of the file, read or not, is an error. Repeats are rare, so only their rows are read again
    in full."""
    keep = filled.copy()
    counts = np.bincount(ids.codes[filled], minlength=len(ids.uniques))
    if not (counts > 1).any():
        return keep
    repeated = filled & (counts[ids.codes] > 1)
    repeated_ids, repeated_recs = ids.values()[repeated], np.flatnonzero(repeated) + 1
    full = _full_rows(rows, rows.header.index(plan.used["service_id"]), set(repeated_ids))
    for sid in sorted(set(repeated_ids)):
        recs = repeated_recs[repeated_ids == sid]
        _check_repeat(sid, recs, full.get(sid, []), rows.header, source)
        for rec in recs[1:]:
            keep[rec - 1] = False
            problems.append(_problem(source, rec, sid, "service_id", sid, "repeated row"))
    return keep


def _check_repeat(sid: str, recs: np.ndarray, copies: list, header: list[str], source: str):
    """Raise unless every copy of a repeated service's row is the same in every column."""
    where = f"{source}: service id {sid} appears {len(recs)} times (records "
    where += f"{', '.join(map(str, recs))})"
    if len(copies) != len(recs):
        raise DatastoreError(
            f"{where} but {len(copies)} times when the file is read again in full; "
            "it cannot be checked"
        )
    differing = [name for j, name in enumerate(header) if len({row[j] for row in copies}) > 1]
    if differing:
        values = "; ".join(
            f"{name}: " + " / ".join(repr(row[header.index(name)]) for row in copies)
            for name in differing[:5]
        )
        raise DatastoreError(f"{where} with different values in {', '.join(differing)} ({values})")


def _services(
    cols: dict[str, _Coded], when: pd.Timestamp, recs: np.ndarray, source: str, problems: list
) -> pd.DataFrame:
    """The services table (:data:`SERVICE_COLUMNS`) from the kept rows."""
    id_values = cols["service_id"].values()
    n = len(id_values)

    def category(name: str, rule=None) -> pd.Categorical:
        if name not in cols:
            return pd.Categorical([None] * n, categories=pd.Index([], dtype="str"))
        if name in CANONICAL:  # a value of no usual spelling is kept, and reported
            rule = _canonical(name)
            known = set(CANONICAL[name])
            bad = np.array([u != "" and rule(u) not in known for u in cols[name].uniques])
            _report(cols[name], bad, name, _unusual, id_values, recs, source, problems)
        return cols[name].categorical(rule)

    return pd.DataFrame(
        {
            "snapshot_date": np.full(n, when.to_datetime64(), dtype="datetime64[ms]"),
            "service_id": cols["service_id"].categorical(),
            "service_name": category("service_name"),
            "care_service": category("care_service"),
            "subtype": category("subtype", str),
            "sector": category("sector"),
            "client_group": category("client_group"),
            "council_area": _areas(cols["council_area"], id_values, recs, source, problems),
            "status": category("status"),
            "registered_places": _places(
                cols.get("registered_places"), id_values, recs, source, problems
            ),
            "latest_grading_date": _grading_dates(cols, id_values, recs, source, problems),
            "provider_number": category("provider_number"),
            "provider_name": category("provider_name"),
        }
    )[list(SERVICE_COLUMNS)]


def _problem_frame(problems: list[dict]) -> pd.DataFrame:
    if not problems:
        return empty_problems()
    frame = pd.DataFrame(problems, columns=list(PROBLEM_COLUMNS))
    frame = frame.astype({c: "str" for c in PROBLEM_COLUMNS if c != "record"})
    frame["record"] = frame["record"].astype("Int64")
    return frame


def _problem(
    source: str, record: int | None, service_id: str, column: str, value: str, problem: str
) -> dict:
    """A problem row; ``record`` is ``None`` for a problem of a whole column."""
    return {
        "file": source,
        "record": None if record is None else int(record),
        "service_id": service_id,
        "column": column,
        "value": value,
        "problem": problem,
    }


def _report(
    column: _Coded,
    bad_uniques: np.ndarray,
    name: str,
    what: Callable[[str], str],
    ids: np.ndarray,
    recs: np.ndarray,
    source: str,
    problems: list[dict],
) -> None:
    """Add a problem for every row whose distinct value is flagged in ``bad_uniques``."""
    for i in np.flatnonzero(bad_uniques[column.codes]):
        value = column.uniques[column.codes[i]]
        problems.append(_problem(source, recs[i], ids[i], name, value, what(value)))


def _area_of(value: str) -> str | None:
    if value.lower() == OUTSIDE_SCOTLAND.lower():
        return OUTSIDE_SCOTLAND
    return find_area(value)


def _areas(
    column: _Coded, ids: np.ndarray, recs: np.ndarray, source: str, problems: list[dict]
) -> pd.Categorical:
    """Standard council area names; a name that cannot be mapped is kept missing and reported."""
    mapped = [_area_of(u) if u else None for u in column.uniques]
    bad = np.array([m is None for m in mapped], dtype=bool)
    _report(
        column,
        bad,
        "council_area",
        lambda v: "council area not recognised" if v else "no council area",
        ids,
        recs,
        source,
        problems,
    )
    return column.categorical(_area_of, dtype=AREA_DTYPE)


def _places(
    column: _Coded | None, ids: np.ndarray, recs: np.ndarray, source: str, problems: list[dict]
) -> pd.arrays.IntegerArray:
    """Registered places as a nullable integer; text that is not a whole number of places (digits
    only, at most :data:`MAX_PLACES`; '1e3', '-5' and '1_0' are not) is reported, and missing."""
    if column is None:
        return pd.array([pd.NA] * len(ids), dtype="Int32")
    whole = np.array([bool(WHOLE_NUMBER.fullmatch(u)) for u in column.uniques], dtype=bool)
    numbers = np.array(
        [float(u) if w else np.nan for u, w in zip(column.uniques, whole, strict=True)]
    )
    bad = (~whole | (numbers > MAX_PLACES)) & (column.uniques != "")

    def why(value: str) -> str:
        return (
            "not a whole number"
            if not WHOLE_NUMBER.fullmatch(value)
            else "too many places to be true"
        )

    _report(column, bad, "registered_places", why, ids, recs, source, problems)
    numbers[bad] = np.nan
    return pd.array(numbers[column.codes], dtype="Float64").astype("Int32")


def _grading_dates(
    cols: dict[str, _Coded], ids: np.ndarray, recs: np.ndarray, source: str, problems: list[dict]
) -> np.ndarray:
    """Date of the latest grading: dd/mm/yyyy, else the 1st of the YYYY_M month; 1900 = never."""
    out = np.full(len(ids), np.datetime64("NaT"), dtype="datetime64[ms]")
    for name, fmt in (
        ("publication_of_latest_grading", "%d/%m/%Y"),
        ("year_month_latest_grade", "%Y_%m"),
    ):
        column = cols.get(name)
        if column is None:
            continue
        missing = np.array([u.lower() in _MISSING_TEXT for u in column.uniques], dtype=bool)
        parsed = pd.to_datetime(
            pd.Series(column.uniques, dtype=object).where(~missing), format=fmt, errors="coerce"
        )
        bad = parsed.isna().to_numpy() & ~missing
        _report(column, bad, name, lambda v: "not a date", ids, recs, source, problems)
        # 1900 is the datastore's 'never graded' (1900_1, 01/01/1900).
        parsed = parsed.where(parsed.dt.year > 1900).to_numpy().astype("datetime64[ms]")
        values = parsed[column.codes]
        todo = np.isnat(out)
        out[todo] = values[todo]
    return out


def _grades(
    grade_cols: dict[str, _Coded],
    columns: dict[str, tuple[str, str]],
    service_ids: pd.Series,
    recs: np.ndarray,
    source: str,
    when: pd.Timestamp,
) -> pd.DataFrame:
    """One row per non-empty grade cell; anything but 1-6 raises, naming file, service and value."""
    frameworks = list(FRAMEWORK_DTYPE.categories)
    # Measures no rule maps keep their published names, after the standard ones.
    extra = [m for _, m in columns.values() if m not in MEASURE_DTYPE.categories]
    measure_dtype = pd.CategoricalDtype([*MEASURE_DTYPE.categories, *dict.fromkeys(extra)])
    measures = list(measure_dtype.categories)
    id_codes = service_ids.cat.codes.to_numpy()
    parts: dict[str, list[np.ndarray]] = {"id": [], "framework": [], "measure": [], "grade": []}
    for column, (framework, measure) in columns.items():
        coded = grade_cols[column]
        number = np.zeros(len(coded.uniques), dtype=np.int8)
        for k, value in enumerate(coded.uniques):
            if value == "":
                continue
            m = _GRADE_TEXT.match(value)
            if m is None:
                i = int(np.flatnonzero(coded.codes == k)[0])
                raise DatastoreError(
                    f"{source}: service {service_ids.iloc[i]} (record {recs[i]}), column "
                    f"{column!r}: grade {value!r} is not a number from 1 to 6"
                )
            number[k] = int(m[1])
        numbers = number[coded.codes]
        present = numbers > 0
        count = int(present.sum())
        parts["id"].append(id_codes[present])
        parts["framework"].append(np.full(count, frameworks.index(framework), dtype=np.int8))
        parts["measure"].append(np.full(count, measures.index(measure), dtype=np.int8))
        parts["grade"].append(numbers[present] - 1)

    def joined(key: str, dtype=np.int8) -> np.ndarray:
        return np.concatenate(parts[key]) if parts[key] else np.array([], dtype=dtype)

    ids = joined("id", np.int32)
    return pd.DataFrame(
        {
            "snapshot_date": np.full(len(ids), when.to_datetime64(), dtype="datetime64[ms]"),
            "service_id": pd.Categorical.from_codes(ids, dtype=service_ids.dtype),
            "framework": pd.Categorical.from_codes(joined("framework"), dtype=FRAMEWORK_DTYPE),
            "measure": pd.Categorical.from_codes(joined("measure"), dtype=measure_dtype),
            "grade": pd.Categorical.from_codes(joined("grade"), dtype=GRADES),
        }
    )


def last_day_of_month(year: int, month: int) -> date:
    """The last day of a month (a datastore page says only the month)."""
    return date(year, month, calendar.monthrange(year, month)[1])
