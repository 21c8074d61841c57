"""Registered care services for children: the committed tables of ``data/care-services``, loaded.

What the notebooks, the profiles and the what-changed report read. The folder holds

``snapshots.csv``
    every month that was read: its date, the file's name and SHA-256, and how many children's
    services and grades it gave.
``services.csv.gz``
    the children's services (client group Children, any status) as *spells*: one row for each
    run of consecutive snapshots in which a service's details stayed the same (``first`` and
    ``last`` are snapshot dates). A childminder's name is a person's name, so it is blank.
``grades.csv.gz``
    their grades as spells too: one row for each run of snapshots in which a measure's grade
    stayed the same.
``problems.csv``
    what the reader kept but did not understand in the raw files, with file, record and value.

Spells make the tables small (a service keeps its grades for years) and lose nothing:
:func:`load` checks every cell and expands them back to one row per service (or grade) per
snapshot, exactly the rows :func:`helpers.datastore.history` gives for children's services;
:func:`shared` is the same tables read once per process. The folder is derived from the raw
monthly files by :mod:`helpers.datastore.derive` (``make care-data``), which is the only part
that needs them.
"""

from __future__ import annotations

import gzip
import io
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers import cache, paths
from helpers.datastore.cache import History
from helpers.datastore.columns import FRAMEWORK_DTYPE, MEASURES, DatastoreError
from helpers.datastore.rawfile import check_shape
from helpers.datastore.snapshot import AREA_DTYPE, CHILDREN, PROBLEM_COLUMNS
from helpers.grades import GRADES
from helpers.schema import DataError

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
#: What a service spell keeps (a new spell starts when one of them changes).
SERVICE_DETAILS = COLUMNS["services.csv.gz"][3:]
#: What identifies a grade of a service: a new grade spell starts when its grade changes.
GRADE_KEY = ("service_id", "framework", "measure")


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
            "framework": _coded(file, frame, "framework", FRAMEWORK_DTYPE),
            "measure": _coded(file, frame, "measure", pd.CategoricalDtype([*MEASURES, *extra])),
            "grade": _coded(file, frame, "grade", GRADES),
        }
    )
    for column in ("framework", "measure", "grade"):
        missing = table[column].isna().to_numpy()
        if missing.any():
            _fail(file, frame, missing, column, "a grade spell needs a framework, measure, grade")
    _no_overlap(file, frame, list(GRADE_KEY), start, end)
    out = _expand(table, start, end, index.index.to_numpy().astype("datetime64[ms]"))
    return out.drop(columns="_line")
