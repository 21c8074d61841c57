"""Registered care services for children: the committed table derived from the datastore.

The Care Inspectorate's monthly datastore (one CSV a month, about 12 MB each) is raw input. This
module derives from it, once, the small part the notebooks need, and commits it in
``data/care-services/``:

``snapshots.csv``
    every month that was read: its date, the file's name and SHA-256, and how many children's
    services and grades it gave.
``services.csv.gz``
    the children's services (client group Children, any status) as *spells*: one row for each
    run of consecutive snapshots in which a service's details stayed the same (``first`` and
    ``last`` are snapshot dates). A childminder's name is a person's name, so it is left blank;
    providers' names and numbers are not kept at all.
``grades.csv.gz``
    their grades as spells too: one row for each run of snapshots in which a measure's grade
    stayed the same.
``problems.csv``
    what the reader kept but did not understand in those files, with file, record and value.

The two large tables are gzipped CSV (about 2 MB together; 21 MB as plain text). Spells make
the table small (a service keeps its grades for years) and lose nothing:
:func:`load` expands them back to one row per service (or grade) per snapshot, exactly the rows
:func:`helpers.datastore.history` gives for children's services. ``make care-data`` rebuilds the
folder from the raw snapshots (:func:`build`); a test checks that the rebuild is byte for byte the
committed one.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import gzip
import io
import os
import shutil
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import cache, paths
from helpers.datastore import rawfile
from helpers.datastore.cache import History, history, snapshot_files
from helpers.datastore.columns import FRAMEWORKS, MEASURES, DatastoreError, classify_columns
from helpers.datastore.rawfile import check_shape
from helpers.datastore.snapshot import AREA_DTYPE, PROBLEM_COLUMNS, read_header
from helpers.grades import GRADES
from helpers.schema import DataError

CHILDREN = "Children"
CHILD_MINDING = "Child Minding"

#: The columns of each table, in order (also stated in ``data/datapackage.json``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "snapshots.csv": ("snapshot_date", "file", "sha256", "services", "grades"),
    "services.csv.gz": (
        "service_id",
        "first",
        "last",
        "service_name",
        "care_service",
        "subtype",
        "sector",
        "council_area",
        "status",
        "registered_places",
        "latest_grading_date",
    ),
    "grades.csv.gz": ("service_id", "framework", "measure", "grade", "first", "last"),
    "problems.csv": PROBLEM_COLUMNS,
}
_SERVICE_DETAILS = COLUMNS["services.csv.gz"][3:]
_GRADE_KEY = ("service_id", "framework", "measure")


@dataclass(repr=False)
class CareServices(History):
    """Children's services over time, one row per service (or grade) per snapshot: the tables
    of a :class:`~helpers.datastore.History`, for children's services only.

    Attributes
    ----------
    services
        ``snapshot_date``, ``service_id``, ``service_name``, ``care_service``, ``subtype``,
        ``sector``, ``client_group`` (always Children), ``council_area``, ``status``,
        ``registered_places``, ``latest_grading_date``.
    grades
        ``snapshot_date``, ``service_id``, ``framework``, ``measure``, ``grade`` (ordered).
    problems
        What the reader kept but did not understand, by file and record.
    files
        One row per snapshot read: ``snapshot_date``, ``file``, ``sha256``, ``services``,
        ``grades``.
    """

    def __repr__(self) -> str:
        return (
            f"CareServices({len(self.files)} snapshots, {len(self.services)} service rows, "
            f"{len(self.grades)} grades)"
        )


def care_services_dir() -> Path:
    """The committed folder (``data/care-services``): :func:`helpers.paths.care_services_dir`."""
    return paths.care_services_dir()


# --- deriving ------------------------------------------------------------------------------------


def _spells(frame: pd.DataFrame, key: tuple[str, ...], details: tuple[str, ...]) -> pd.DataFrame:
    """Runs of consecutive snapshots (column ``_i``, the snapshot's position) in which ``key``'s
    ``details`` stay the same, with the ``first`` and ``last`` snapshot date of each run."""
    f = frame.sort_values([*key, "_i"], kind="stable").reset_index(drop=True)
    new = f["_i"].to_numpy() != np.roll(f["_i"].to_numpy(), 1) + 1
    for column in (*key, *details):
        values = f[column].astype(object).where(f[column].notna(), "\0missing")
        new |= values.to_numpy() != np.roll(values.to_numpy(), 1)
    if len(new):
        new[0] = True
    spell = np.cumsum(new) - 1
    out = f.loc[new, [*key, *details]].reset_index(drop=True)
    dates = f["snapshot_date"].to_numpy()
    out.insert(len(key), "first", dates[new])
    last_rows = np.r_[np.flatnonzero(new)[1:] - 1, len(f) - 1] if len(f) else []
    out.insert(len(key) + 1, "last", dates[last_rows])
    assert len(out) == spell[-1] + 1 if len(f) else True
    return out


def derive(folder: str | Path) -> dict[str, pd.DataFrame]:
    """The four tables of ``data/care-services`` from the raw snapshots in ``folder``.

    Raises
    ------
    DatastoreError
        If a snapshot cannot be read (see :func:`helpers.datastore.read_snapshot`).
    """
    raw = history(folder)
    dates = raw.files["snapshot_date"]
    position = pd.Series(np.arange(len(dates)), index=pd.DatetimeIndex(dates))
    services = raw.services[raw.services["client_group"] == CHILDREN].copy()
    childminder = services["care_service"] == CHILD_MINDING
    services["service_name"] = services["service_name"].astype(object).where(~childminder, None)
    services["_i"] = position.reindex(services["snapshot_date"]).to_numpy()
    keys = services[["snapshot_date", "service_id"]]
    grades = raw.grades.merge(keys, on=["snapshot_date", "service_id"], how="inner")
    grades["_i"] = position.reindex(grades["snapshot_date"]).to_numpy()
    files = raw.files.copy()
    files["services"] = (
        services.groupby("snapshot_date").size().reindex(dates, fill_value=0).to_numpy()
    )
    files["grades"] = grades.groupby("snapshot_date").size().reindex(dates, fill_value=0).to_numpy()
    return {
        "snapshots.csv": files[list(COLUMNS["snapshots.csv"])].astype(
            {"services": int, "grades": int}
        ),
        "services.csv.gz": _spells(services, ("service_id",), _SERVICE_DETAILS),
        "grades.csv.gz": _spells(grades, _GRADE_KEY, ("grade",))[list(COLUMNS["grades.csv.gz"])],
        "problems.csv": raw.problems.sort_values(["file", "record"], kind="stable"),
    }


def _to_csv(frame: pd.DataFrame, target: Path) -> None:
    """Write one table as UTF-8 CSV: dates as YYYY-MM-DD, missing as empty, LF line ends;
    gzipped (with no name or time in the gzip header, so the bytes depend only on the rows)
    where the name ends ``.gz``."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
        elif isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = out[column].astype(object)
    text = out.to_csv(index=False, lineterminator="\n").encode("utf-8")
    if target.name.endswith(".gz"):
        with open(target, "wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as packed:
            packed.write(text)
    else:
        target.write_bytes(text)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where the
    system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return done == 0


def _swap_in(tmp: Path, dest: Path) -> None:
    """Put the folder ``tmp`` in place of ``dest``: one atomic exchange where the system has it
    (a reader sees the old folder or the new one, never none); else two renames, with the old
    folder kept as ``.<name>.old`` in between, which the next write puts back."""
    old = dest.with_name(f".{dest.name}.old")
    if dest.exists() and _exchange(tmp, dest):
        shutil.rmtree(tmp)  # now the old folder
        return
    if dest.exists():
        dest.rename(old)
    tmp.rename(dest)
    shutil.rmtree(old, ignore_errors=True)


def write(tables: dict[str, pd.DataFrame], dest: str | Path) -> Path:
    """Write the tables into ``dest``, whole or not at all.

    They are written to a new folder beside ``dest``, loaded back with :func:`load` (so a table
    that would not load never replaces a good one), and swapped in (:func:`_swap_in`). A
    failure or a kill leaves the old folder as it was; the temporary folders of a killed run
    (``.<name>.*``, ignored by git) are removed by the next write.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    old = dest.with_name(f".{dest.name}.old")
    if old.exists() and not dest.exists():
        old.rename(dest)  # a run killed between two renames
    for stale in dest.parent.glob(f".{dest.name}.*"):
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(dir=dest.parent, prefix=f".{dest.name}."))
    try:
        for name, frame in tables.items():
            _to_csv(frame, tmp / name)
        load(tmp)
        os.chmod(tmp, 0o755)
        _swap_in(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not dest.exists():
            old.rename(dest)
        raise
    return dest


# --- what a rebuild drops ------------------------------------------------------------------------


class MissingGradesError(DatastoreError):
    """A month lacks a grade column that the months on both sides have: its grades would be
    lost (a renamed column, most likely). ``gaps`` lists each one."""

    def __init__(self, gaps: list[GradeGap]):
        self.gaps = gaps
        lines = "\n".join(f"  {gap}" for gap in gaps)
        super().__init__(
            f"{len(gaps)} grade column{'s' if len(gaps) != 1 else ''} missing from a month "
            f"that the months on both sides have; nothing was written:\n{lines}\n"
            "If the Care Inspectorate really stopped publishing it that month, rebuild with "
            "--accept-missing-grades (make care-data CARE_FLAGS=--accept-missing-grades)."
        )


@dataclass(frozen=True)
class GradeGap:
    """One month without a grade column its neighbours have.

    Attributes
    ----------
    file
        The month's file.
    framework, measure
        The grade that is missing.
    column
        Its name in the month before.
    before, after
        The files of the months on either side, which have it.
    unknown
        The month's columns that no rule knows (one of them is likely the grade, renamed).
    """

    file: str
    framework: str
    measure: str
    column: str
    before: str
    after: str
    unknown: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = (
            f"{self.file}: no column for {self.framework} {self.measure!r} "
            f"({self.column!r} in {self.before} and in {self.after})"
        )
        if self.unknown:
            text += f"; columns no rule knows: {', '.join(map(repr, self.unknown))}"
        return text


def grade_gaps(source: str | Path) -> list[GradeGap]:
    """The months whose header lacks a grade (framework and measure) that the months just before
    and just after both have: a grade column renamed or lost in that month, whose values a
    rebuild would drop. Read from the headers alone (a few milliseconds a file).

    A grade that comes or goes for good (the quality themes, replaced by the key questions over
    2018-2022; the ``Old_*`` grades of December 2022 alone) never fires: only a month missing a
    grade that the months on both sides have. The first and the last month have no months on
    both sides, so they never fire (the summary of :func:`main` still lists a new month's
    columns that no rule knows).
    """
    headers = []
    for file in snapshot_files(source):
        plan = classify_columns(read_header(file), file.name)
        named = {mapped: column for column, mapped in reversed(plan.grades.items())}
        headers.append((file.name, named, plan.unknown))
    gaps = []
    for (before, had, _), (name, named, unknown), (after, has, _) in zip(
        headers, headers[1:], headers[2:], strict=False
    ):
        for grade in sorted((had.keys() & has.keys()) - named.keys()):
            gaps.append(GradeGap(name, *grade, had[grade], before, after, unknown))
    return gaps


def _values_in(file: Path, columns: list[str]) -> dict[str, int]:
    """How many non-empty cells each of ``columns`` (named as the reader names them) holds."""
    data, _ = rawfile.decode(rawfile.read_bytes(file), file.name)
    frame = pd.read_csv(
        io.BytesIO(data), usecols=columns, dtype=str, keep_default_na=False, engine="c"
    )
    return {c: int((frame[c].str.strip() != "").sum()) for c in columns}


def problem_summary(problems: pd.DataFrame, source: str | Path | None = None) -> list[str]:
    """The problems of a rebuild (``problems.csv``), one line per month, column and problem.

    A whole column ignored says how many values it held (counted in the month's file in
    ``source``, when given): those values are in no table. Values kept but not understood say
    how many rows they are.
    """
    lines = []
    for file, rows in problems.groupby("file", sort=True):
        whole = rows[rows["record"].isna()]
        ignored = [c for c, p in zip(whole["column"], whole["problem"], strict=True)
                   if p.endswith("ignored")]  # fmt: skip
        counts = {}
        if ignored and source is not None and (Path(source) / file).is_file():
            with contextlib.suppress(DatastoreError, ValueError):
                counts = _values_in(Path(source) / file, ignored)
        for column, problem in zip(whole["column"], whole["problem"], strict=True):
            n = counts.get(column)
            dropped = f" ({n:,} value{'s' if n != 1 else ''} dropped)" if n is not None else ""
            lines.append(f"{file}: column {column!r}: {problem}{dropped}")
        cells = rows[rows["record"].notna()]
        for (column, problem), group in cells.groupby(["column", "problem"], sort=True):
            n = len(group)
            lines.append(f"{file}: column {column!r}: {problem} ({n:,} row{'s' * (n != 1)})")
    return lines


def build(
    source: str | Path, dest: str | Path | None = None, accept_missing_grades: bool = False
) -> Path:
    """Derive the tables from the raw snapshots in ``source`` and write them to ``dest``
    (default ``data/care-services``). Returns the folder written.

    Raises
    ------
    MissingGradesError
        If a month lacks a grade column that the months on both sides have (:func:`grade_gaps`),
        unless ``accept_missing_grades``; nothing is written.
    """
    tables = derive(source)
    _check_gaps(source, accept_missing_grades)
    return write(tables, dest if dest is not None else care_services_dir())


def _check_gaps(source: str | Path, accept: bool) -> list[GradeGap]:
    gaps = grade_gaps(source)
    if gaps and not accept:
        raise MissingGradesError(gaps)
    return gaps


# --- loading -------------------------------------------------------------------------------------


def _text(file: Path) -> bytes:
    """A table's bytes, gunzipped where the name ends ``.gz``, checked as ``make care-data``
    writes them: UTF-8 with no byte-order mark, line feeds, every row as long as the header."""
    try:
        data = file.read_bytes()
        data = gzip.decompress(data) if file.name.endswith(".gz") else data
    except FileNotFoundError:
        raise DataError(file, "file not found; rebuild it with `make care-data`") from None
    except (OSError, EOFError, zlib.error) as err:
        raise DataError(file, f"cannot be read ({type(err).__name__}: {err})") from None
    if data.startswith(b"\xef\xbb\xbf"):
        raise DataError(file, "begins with a byte-order mark; save it as UTF-8 without one", 1)
    if b"\r" in data:
        line = data[: data.index(b"\r")].count(b"\n") + 1
        raise DataError(file, "has a carriage return: line ends are line feeds alone", line)
    try:
        data.decode("utf-8")
        check_shape(data, file.name)
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise DataError(file, "is not UTF-8 text", line, value=data[err.start : err.end]) from None
    except DatastoreError as err:
        raise DataError(file, str(err).removeprefix(f"{file.name}: ")) from None
    return data


def _read(folder: Path, name: str) -> pd.DataFrame:
    """One table as text ('' for empty), with its columns checked; ``_line`` = line in file."""
    file = folder / name
    data = _text(file)
    try:
        frame = pd.read_csv(
            io.BytesIO(data), dtype=str, keep_default_na=False, index_col=False, engine="c"
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise DataError(file, f"is not a well-formed CSV ({err})") from None
    if list(frame.columns) != list(COLUMNS[name]):
        raise DataError(file, f"has columns {list(frame.columns)}; expected {list(COLUMNS[name])}")
    frame.insert(0, "_line", np.arange(2, len(frame) + 2))
    return frame


def _fail(file: Path, frame: pd.DataFrame, bad: np.ndarray, column: str, message: str):
    i = int(np.flatnonzero(bad)[0])
    raise DataError(
        file, message, line=int(frame["_line"].iloc[i]), column=column, value=frame[column].iloc[i]
    )


def _dates(file: Path, frame: pd.DataFrame, column: str, blank_ok: bool = False) -> pd.Series:
    parsed = pd.to_datetime(frame[column], format="%Y-%m-%d", errors="coerce")
    bad = parsed.isna().to_numpy() & ~((frame[column] == "").to_numpy() & blank_ok)
    if bad.any():
        _fail(file, frame, bad, column, "not a date YYYY-MM-DD")
    return parsed.astype("datetime64[ms]")


def _whole(file: Path, frame: pd.DataFrame, column: str, blank_ok: bool = False) -> pd.Series:
    text = frame[column]
    good = text.str.fullmatch(r"\d{1,9}") | ((text == "") & blank_ok)
    if not good.all():
        _fail(file, frame, ~good.to_numpy(), column, "not a whole number (at most nine digits)")
    return pd.to_numeric(text.where(text != ""), errors="raise").astype("Int32")


def _coded(file: Path, frame: pd.DataFrame, column: str, dtype: pd.CategoricalDtype):
    values = frame[column]
    bad = ~(values.isin(dtype.categories) | (values == "")).to_numpy()
    if bad.any():
        _fail(file, frame, bad, column, f"not one of {list(dtype.categories)}")
    return pd.Categorical(values.where(values != ""), dtype=dtype)


def _positions(file: Path, frame: pd.DataFrame, index: pd.Series) -> tuple[np.ndarray, ...]:
    """Positions of each spell's first and last snapshot; errors name a date with no snapshot."""
    first, last = (_dates(file, frame, c) for c in ("first", "last"))
    for column, dates in (("first", first), ("last", last)):
        bad = ~dates.isin(index.index).to_numpy()
        if bad.any():
            _fail(file, frame, bad, column, "not the date of a snapshot in snapshots.csv")
    start, end = index.reindex(first).to_numpy(), index.reindex(last).to_numpy()
    if (end < start).any():
        _fail(file, frame, end < start, "last", "before the spell's first snapshot")
    return start, end


def _expand(frame: pd.DataFrame, start: np.ndarray, end: np.ndarray, dates: np.ndarray):
    """One row per snapshot of each spell."""
    lengths = end - start + 1
    rows = np.repeat(np.arange(len(frame)), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    out = frame.iloc[rows].reset_index(drop=True)
    out.insert(0, "snapshot_date", dates[np.repeat(start, lengths) + offsets])
    return out


def _no_overlap(file: Path, frame: pd.DataFrame, key: list[str], start, end) -> None:
    """Raise if two spells of the same key share a snapshot (checked on the spells, sorted)."""
    codes = [pd.factorize(frame[k])[0] for k in key]
    order = np.lexsort((start, *reversed(codes)))
    same = np.ones(max(len(order) - 1, 0), dtype=bool)
    for values in codes:
        values = values[order]
        same &= values[1:] == values[:-1]
    clash = same & (start[order][1:] <= end[order][:-1])
    if clash.any():
        i = int(order[1:][clash][0])
        raise DataError(
            file,
            f"spells of the same {', '.join(key)} overlap (another row covers its first snapshot)",
            line=int(frame["_line"].iloc[i]),
            column="first",
            value=frame["first"].iloc[i],
        )


def load(folder: str | Path | None = None) -> CareServices:
    """The committed children's services and grades, one row per snapshot, validated.

    Parameters
    ----------
    folder
        Default :func:`care_services_dir` (``data/care-services``).

    Raises
    ------
    DataError
        Naming the file, line, column and value of the first cell that breaks a rule.
    """
    folder = Path(folder) if folder is not None else care_services_dir()
    snaps = _read(folder, "snapshots.csv")
    file = folder / "snapshots.csv"
    snap_dates = _dates(file, snaps, "snapshot_date")
    if not snap_dates.is_monotonic_increasing or snap_dates.duplicated().any():
        _fail(
            file,
            snaps,
            snap_dates.duplicated(keep=False).to_numpy()
            | ~np.r_[True, np.diff(snap_dates.to_numpy()) > np.timedelta64(0)],
            "snapshot_date",
            "snapshot dates must be unique and in order",
        )
    index = pd.Series(np.arange(len(snaps)), index=pd.DatetimeIndex(snap_dates))
    files = pd.DataFrame(
        {
            "snapshot_date": snap_dates,
            "file": snaps["file"],
            "sha256": snaps["sha256"],
            "services": _whole(file, snaps, "services").astype(int),
            "grades": _whole(file, snaps, "grades").astype(int),
        }
    )
    services = _load_services(folder, index)
    grades = _load_grades(folder, index, services["service_id"].cat.categories)
    for table, column in ((services, "services"), (grades, "grades")):
        counts = table.groupby("snapshot_date").size().reindex(snap_dates, fill_value=0)
        bad = counts.to_numpy() != files[column].to_numpy()
        if bad.any():
            _fail(file, snaps, bad, column, f"not the number of {column} rows for that snapshot")
    problems = _read(folder, "problems.csv").drop(columns="_line")
    problems["record"] = pd.to_numeric(problems["record"].replace("", None)).astype("Int64")
    return CareServices(services=services, grades=grades, problems=problems, files=files)


def folder_stamp(folder: str | Path) -> tuple:
    """Name, inode, size, modification and change times of each file in ``folder``: changes
    when a file does, even one rewritten with its old size and modification time put back (the
    change time cannot be put back)."""
    stamps = ((file.name, paths.file_stamp(file)) for file in sorted(Path(folder).iterdir()))
    return tuple((name, *stamp) for name, stamp in stamps if stamp is not None)


def shared(folder: str | Path | None = None) -> CareServices:
    """The committed tables, read once per process for code that only reads them.

    The profiles and the what-changed report ask for the same tables many times; this reads
    them once and again only when a file in the folder changes (its stamp, as
    :func:`folder_stamp` says, through :func:`helpers.cache.cached_on`). Every caller gets the
    same object: do not change it (take your own copy with :func:`load`). A folder that is
    missing or fails to load raises (naming what is missing, and how to make it); nothing is kept.
    """
    folder = Path(folder) if folder is not None else care_services_dir()
    return _shared(folder.resolve())


@cache.cached_on(cache.folder_files, maxsize=1)
def _shared(folder: Path) -> CareServices:
    return load(folder)


def _load_services(folder: Path, index: pd.Series) -> pd.DataFrame:
    file = folder / "services.csv.gz"
    frame = _read(folder, "services.csv.gz")
    start, end = _positions(file, frame, index)
    empty_id = (frame["service_id"] == "").to_numpy()
    if empty_id.any():
        _fail(file, frame, empty_id, "service_id", "a service needs an id")
    minder = frame["care_service"].str.lower().str.replace(r"[^a-z]", "", regex=True)
    minder_named = minder.str.contains("childmind") & (frame["service_name"] != "")
    if minder_named.any():
        _fail(
            file,
            frame,
            minder_named.to_numpy(),
            "service_name",
            "a childminder's name is a person's name and is not kept",
        )
    table = pd.DataFrame(
        {
            "_line": frame["_line"],
            "service_id": pd.Categorical(frame["service_id"]),
            "service_name": pd.Categorical(
                frame["service_name"].where(frame["service_name"] != "")
            ),
            "care_service": pd.Categorical(
                frame["care_service"].where(frame["care_service"] != "")
            ),
            "subtype": pd.Categorical(frame["subtype"].where(frame["subtype"] != "")),
            "sector": pd.Categorical(frame["sector"].where(frame["sector"] != "")),
            "client_group": pd.Categorical([CHILDREN] * len(frame)),
            "council_area": _coded(file, frame, "council_area", AREA_DTYPE),
            "status": pd.Categorical(frame["status"].where(frame["status"] != "")),
            "registered_places": _whole(file, frame, "registered_places", blank_ok=True),
            "latest_grading_date": _dates(file, frame, "latest_grading_date", blank_ok=True),
        }
    )
    _no_overlap(file, frame, ["service_id"], start, end)
    out = _expand(table, start, end, index.index.to_numpy().astype("datetime64[ms]"))
    return out.drop(columns="_line")


def _load_grades(folder: Path, index: pd.Series, service_ids: pd.Index) -> pd.DataFrame:
    file = folder / "grades.csv.gz"
    frame = _read(folder, "grades.csv.gz")
    start, end = _positions(file, frame, index)
    unknown = ~frame["service_id"].isin(service_ids).to_numpy()
    if unknown.any():
        _fail(file, frame, unknown, "service_id", "no such service in services.csv")
    extra = sorted(set(frame["measure"].unique()) - set(MEASURES) - {""})
    table = pd.DataFrame(
        {
            "_line": frame["_line"],
            "service_id": pd.Categorical(frame["service_id"]),
            "framework": _coded(file, frame, "framework", pd.CategoricalDtype(list(FRAMEWORKS))),
            "measure": _coded(file, frame, "measure", pd.CategoricalDtype([*MEASURES, *extra])),
            "grade": _coded(file, frame, "grade", GRADES),
        }
    )
    for column in ("framework", "measure", "grade"):
        missing = table[column].isna().to_numpy()
        if missing.any():
            _fail(file, frame, missing, column, "a grade spell needs a framework, measure, grade")
    _no_overlap(file, frame, list(_GRADE_KEY), start, end)
    out = _expand(table, start, end, index.index.to_numpy().astype("datetime64[ms]"))
    return out.drop(columns="_line")


# --- command line --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """``python -m helpers.care_services --source DIR [--dest DIR] [--accept-missing-grades]``:
    rebuild the folder, and say what the snapshots held that the tables do not."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.care_services",
        description="Derive data/care-services from the raw datastore snapshots.",
    )
    parser.add_argument("--source", default=None, help="the raw snapshots (default DATASTORE)")
    parser.add_argument("--dest", default=None, help="default data/care-services")
    parser.add_argument(
        "--accept-missing-grades",
        action="store_true",
        help="write the tables even when a month lacks a grade column the months on both "
        "sides have (its grades are then missing for that month)",
    )
    args = parser.parse_args(argv)
    source = Path(args.source) if args.source else paths.datastore_dir()
    try:
        tables = derive(source)
        summary = problem_summary(tables["problems.csv"], source)
        if summary:
            print(f"problems ({len(tables['problems.csv'])} rows in problems.csv), by month:")
            print("\n".join(f"  {line}" for line in summary))
        gaps = _check_gaps(source, args.accept_missing_grades)
        for gap in gaps:
            print(f"accepted: {gap}")
        written = write(tables, args.dest if args.dest is not None else care_services_dir())
    except DatastoreError as err:
        print(f"care-data: {err}", file=sys.stderr)
        return 1
    loaded = load(written)
    print(
        f"wrote {written}: {len(loaded.files)} snapshots, "
        f"{loaded.services['service_id'].nunique()} children's services, "
        f"{len(loaded.services)} service rows and {len(loaded.grades)} grades when expanded"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
