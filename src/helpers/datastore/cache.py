"""Every snapshot in a folder as two long tables, cached as parquet.

The cache lives in ``helpers.paths.build_dir()/cache/datastore``: one parquet file per table
(services, grades, problems, files), named by a key that hashes every snapshot's file name and
the SHA-256 of its bytes (and :data:`CACHE_VERSION` and the code that makes the tables). A
changed, added or removed file changes the key, so the history is rebuilt (all files, ~2-5 s on
two cores); an unchanged folder is read from the cache.

Every file is hashed on every call, so a file edited in place is noticed even when its size,
mtime and inode are unchanged. SHA-256 of the 39 snapshots (74 MB) takes about 0.025 s in a few
threads (0.045 s in one), so a warm load stays near 0.1-0.2 s; nothing is memoised by size and
mtime (an older version's ``hashes.json`` is deleted as superseded).

The cache heals: a cached file that cannot be read (random bytes, cut short, empty, a page that
fails its checksum), has another table's columns, or does not fit the snapshots (another
history's files or row counts) is discarded with the rest of its set and the history rebuilt,
logging one warning on the ``helpers.datastore.cache`` logger (printed on stderr when logging is
not configured) that names the file and why. A cache folder that cannot be written is no error
either: :func:`history` returns the tables and logs one warning that it could not cache them.

Writes are atomic (:mod:`helpers.atomic`: a temporary file in the same folder, then moved), so
a crash or a concurrent reader never sees half a file; the files table is written last, so a set
without it is incomplete and is simply rebuilt.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import multiprocessing
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from helpers.atomic import atomic_write
from helpers.datastore.columns import DatastoreError
from helpers.datastore.snapshot import (
    GRADE_COLUMNS,
    PROBLEM_COLUMNS,
    SERVICE_COLUMNS,
    read_snapshot,
    snapshot_date_from_name,
)
from helpers.paths import PACKAGE_DIR, build_dir, datastore_dir

#: Bump when the cache's own layout changes. Changes to the code that makes the tables are
#: caught without it: the key also hashes that code (see :func:`_code_digest`).
CACHE_VERSION = "2"


@functools.cache
def _code_digest() -> str:
    """SHA-256 of the source that decides what the tables hold: the datastore package, and the
    area names and grade scale it maps to. A fix there must not be hidden by an old cache."""
    package = PACKAGE_DIR / "datastore"
    sources = sorted(package.glob("*.py")) + [PACKAGE_DIR / "areas.py", PACKAGE_DIR / "grades.py"]
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


#: A snapshot file: a CSV, plain or gzipped. Names starting with '.' are temporary downloads.
SNAPSHOT_NAME = re.compile(r"^[^.].*\.csv(\.gz)?$", re.I)

_TABLES = ("services", "grades", "problems")

#: Each cached table's columns, in order. The files table comes last: it is written last.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "services": SERVICE_COLUMNS,
    "grades": GRADE_COLUMNS,
    "problems": PROBLEM_COLUMNS,
    "files": ("file", "snapshot_date", "sha256", "services", "grades"),
}

_log = logging.getLogger(__name__)

DOWNLOAD_HINT = (
    "Download the latest snapshot with `make download-datastore` or "
    "`python -m helpers.datastore download` (add `--dest DIR` for another folder), "
    "or point HELPERS_DATASTORE_DIR at a folder of datastore_YYYY-MM-DD.csv[.gz] files."
)


class NoSnapshotsError(DatastoreError, FileNotFoundError):
    """The datastore folder is missing or holds no snapshot."""


@dataclass
class History:
    """The datastore over time.

    Attributes
    ----------
    services
        One row per service per snapshot (columns of :data:`~helpers.datastore.SERVICE_COLUMNS`).
    grades
        One row per service per graded measure per snapshot.
    problems
        Values kept but not understood, with their file, record, service and value.
    files
        One row per snapshot file: ``file``, ``snapshot_date``, ``sha256``, ``services``,
        ``grades``.
    """

    services: pd.DataFrame
    grades: pd.DataFrame
    problems: pd.DataFrame
    files: pd.DataFrame

    def __repr__(self) -> str:
        return (
            f"History({len(self.files)} snapshots, {len(self.services)} service rows, "
            f"{len(self.grades)} grades, {len(self.problems)} problems)"
        )


def snapshot_files(folder: str | Path | None = None) -> list[Path]:
    """The snapshot files in ``folder`` (default :func:`helpers.paths.datastore_dir`), oldest first.

    Raises
    ------
    NoSnapshotsError
        If the folder is missing or holds no snapshot; the message says how to download them.
    """
    folder = Path(folder) if folder is not None else datastore_dir()
    if not folder.is_dir():
        raise NoSnapshotsError(f"No datastore folder at {folder}. {DOWNLOAD_HINT}")
    files = [p for p in folder.iterdir() if p.is_file() and SNAPSHOT_NAME.match(p.name)]
    if not files:
        raise NoSnapshotsError(f"No datastore snapshots in {folder}. {DOWNLOAD_HINT}")
    dated = sorted((snapshot_date_from_name(p), p.name, p) for p in files)
    for (d1, n1, _), (d2, n2, _) in zip(dated, dated[1:], strict=False):
        if d1 == d2:
            raise DatastoreError(f"{folder}: {n1} and {n2} are both snapshots of {d1}")
    return [p for _, _, p in dated]


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def cache_dir() -> Path:
    """Where the parquet cache is kept (under :func:`helpers.paths.build_dir`)."""
    return build_dir() / "cache" / "datastore"


def _atomic_parquet(frame: pd.DataFrame, target: Path) -> None:
    """Write parquet to ``target`` whole or not at all (:func:`helpers.atomic.atomic_write`)."""

    def write(tmp: Path) -> None:
        # One row group, uncompressed, no statistics: the cache is read whole, far more often
        # than written, and this reads and writes fastest (no dictionary merging across row
        # groups, no decompression, no min/max over thousands of names). Page checksums (CRC32,
        # no measurable cost) let a read tell damaged bytes from data.
        table = pa.Table.from_pandas(frame, preserve_index=False)
        pq.write_table(
            table,
            tmp,
            compression="none",
            row_group_size=max(len(frame), 1),
            write_statistics=False,
            write_page_checksum=True,
        )

    atomic_write(target, write)


def _key(names: list[str], digests: list[str]) -> str:
    """The cache key: this layout, the code that makes the tables, each file's name and hash."""
    pairs = [f"{name}\t{digest}" for name, digest in zip(names, digests, strict=True)]
    text = "\n".join([CACHE_VERSION, _code_digest(), *pairs])
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _paths(key: str) -> dict[str, Path]:
    """The cached tables' files for ``key``, in the order they are written (files last)."""
    return {t: cache_dir() / f"history-{key}.{t}.parquet" for t in _COLUMNS}


class _UnusableError(Exception):
    """A cached file that cannot be used: ``path``, and ``reason``, one line."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def _describe(err: BaseException, path: Path | None = None) -> str:
    """An exception as one short line: its type and message, without ``path`` (said already)."""
    text = " ".join(str(err).replace(f" '{path}'", "").split())
    text = text if len(text) <= 200 else text[:197] + "..."
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def _read_table(path: Path, table: str) -> pd.DataFrame:
    """Read one cached table, checking it has that table's columns.

    Raises
    ------
    FileNotFoundError
        If there is no such file.
    _UnusableError
        If it cannot be read or has other columns.
    """
    try:
        # Dates are stored and returned as datetime64[ms]. Page checksums catch damaged data that
        # would otherwise read as wrong values.
        frame = pq.read_table(path, page_checksum_verification=True).to_pandas()
    except FileNotFoundError:
        raise
    except Exception as err:  # any failure to read a disposable file means: rebuild it
        raise _UnusableError(path, _describe(err, path)) from err
    if tuple(frame.columns) != _COLUMNS[table]:
        found = ", ".join(map(str, frame.columns)) or "none"
        raise _UnusableError(path, f"its columns ({found}) are not those of the {table} table")
    return frame


def _read_cache(paths: dict[str, Path], names: list[str], digests: list[str]) -> dict | None:
    """The cached tables, checked against each other and the snapshots; None if not cached.

    Raises
    ------
    _UnusableError
        If a file is unreadable, foreign, missing from a complete set or does not fit.
    """
    try:
        files = _read_table(paths["files"], "files")
    except FileNotFoundError:
        return None  # nothing cached for these snapshots (or a write still under way)
    counts = ("services", "grades")
    if (
        files["file"].tolist() != names
        or files["sha256"].tolist() != digests
        or not all(pd.api.types.is_integer_dtype(files[c]) for c in counts)
    ):
        raise _UnusableError(paths["files"], "it does not list the snapshots in the folder")
    tables = {"files": files}
    for table in _TABLES:
        try:
            tables[table] = _read_table(paths[table], table)
        except FileNotFoundError as err:
            raise _UnusableError(paths[table], "missing, though the files table is there") from err
        if table in counts and len(tables[table]) != files[table].sum():
            raise _UnusableError(
                paths[table],
                f"{len(tables[table])} rows where the files table counts {files[table].sum()}",
            )
    return tables


def _load(paths: dict[str, Path], names: list[str], digests: list[str]) -> dict | None:
    """The cached tables, or None; an unusable set is deleted, with one warning saying why."""
    try:
        return _read_cache(paths, names, digests)
    except _UnusableError as bad:
        _log.warning(
            "datastore cache: discarded %s (%s); rebuilding the history", bad.path, bad.reason
        )
        for path in paths.values():  # the set is only of use whole
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        return None


def _save(paths: dict[str, Path], tables: dict[str, pd.DataFrame]) -> None:
    """Write the tables (files last), then delete superseded caches; warn once if it cannot."""
    try:
        for table, path in paths.items():
            _atomic_parquet(tables[table], path)
    except OSError as err:
        _log.warning(
            "datastore cache: could not write to %s (%s); the history was built but not cached",
            cache_dir(),
            _describe(err),
        )
        return
    keep = {p.name for p in paths.values()}
    # Older caches are superseded by this one, as is the hash memo of earlier versions.
    for old in [*cache_dir().glob("history-*.parquet"), cache_dir() / "hashes.json"]:
        if old.name not in keep:
            with contextlib.suppress(OSError):
                old.unlink(missing_ok=True)


def _parse(paths: list[str]) -> dict[str, pd.DataFrame | list[int]]:
    """Some snapshots' tables, concatenated, and each file's row counts (runs in a worker)."""
    parts = []
    for path in paths:
        snap = read_snapshot(path)
        parts.append({t: getattr(snap, t) for t in _TABLES})
    out: dict[str, pd.DataFrame | list[int]] = {t: _concat([p[t] for p in parts]) for t in _TABLES}
    out["counts"] = [len(p["services"]) for p in parts]
    out["grade_counts"] = [len(p["grades"]) for p in parts]
    return out


def _hashes(files: list[Path]) -> list[str]:
    """SHA-256 of every file, every time, in a few threads (hashlib releases the GIL).

    Content, not size and mtime, decides whether the cache is current: a file edited in place
    keeping its size, mtime and inode is still noticed. 74 MB take about 0.025 s in two threads.
    """
    with ThreadPoolExecutor(min(4, os.cpu_count() or 1, len(files))) as pool:
        return list(pool.map(file_hash, files))


def _union(parts: list[pd.Series]) -> pd.Categorical:
    """Concatenate categoricals whose categories differ (by month), categories sorted.

    Factorizing the concatenated categories (thousands per month) is much faster than
    ``union_categoricals`` on text categories, and the row codes are then remapped with numpy.
    """
    categories = [p.cat.categories.to_numpy(dtype=object) for p in parts]
    codes, uniques = pd.factorize(np.concatenate(categories)) if categories else ([], [])
    uniques = np.asarray(uniques, dtype=object)
    order = np.argsort(uniques, kind="stable")
    rank = np.empty(len(order), dtype=np.int32)
    rank[order] = np.arange(len(order), dtype=np.int32)
    offsets = np.cumsum([0, *(len(c) for c in categories)])
    rows = []
    for i, part in enumerate(parts):
        lookup = np.append(rank[codes[offsets[i] : offsets[i + 1]]], -1).astype(np.int32)
        rows.append(lookup[part.cat.codes.to_numpy()])  # code -1 (missing) takes the last: -1
    dtype = pd.CategoricalDtype(pd.Index(uniques[order], dtype="str"))
    return pd.Categorical.from_codes(np.concatenate(rows), dtype=dtype)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate tables, keeping categoricals categorical (their categories differ by month)."""
    out = {}
    for column in frames[0].columns:
        parts = [f[column] for f in frames]
        if all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts) and any(
            p.dtype != parts[0].dtype for p in parts
        ):
            out[column] = _union(parts)
        else:
            out[column] = pd.concat(parts, ignore_index=True)
    return pd.DataFrame(out)


def _build(files: list[Path], digests: list[str], workers: int | None) -> dict:
    """Parse every snapshot and make the four tables (see :func:`history`)."""
    paths = [str(p) for p in files]
    n_workers = min(workers or min(2, os.cpu_count() or 1), len(paths))
    if n_workers > 1 and sys.platform.startswith("linux"):
        # Files are independent: workers parse runs of consecutive files and concatenate them,
        # so the parent only joins a few parts. Runs are short enough (about three per worker)
        # that a worker slowed down by other load does not hold up the rest. fork: no re-import.
        size = max(1, -(-len(paths) // (3 * n_workers)))
        runs = [paths[i : i + size] for i in range(0, len(paths), size)]
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(n_workers, mp_context=context) as pool:
            parts = list(pool.map(_parse, runs))
    else:
        parts = [_parse(paths)]

    tables = {t: _concat([p[t] for p in parts]) for t in _TABLES}
    tables["files"] = pd.DataFrame(
        {
            "file": [p.name for p in files],
            "snapshot_date": pd.to_datetime([snapshot_date_from_name(p) for p in files]).astype(
                "datetime64[ms]"
            ),
            "sha256": digests,
            "services": [n for p in parts for n in p["counts"]],
            "grades": [n for p in parts for n in p["grade_counts"]],
        }
    )
    return tables


def _refuse_copies(files: list[Path], digests: list[str]) -> None:
    """Raise if two files are the same bytes: one month saved under two dates would be counted
    twice."""
    seen: dict[str, Path] = {}
    for path, digest in zip(files, digests, strict=True):
        if digest in seen:
            raise DatastoreError(
                f"{path.parent}: {seen[digest].name} and {path.name} are the same file (SHA-256 "
                f"{digest[:12]}...): one month under two dates; remove one"
            )
        seen[digest] = path


def history(folder: str | Path | None = None, *, workers: int | None = None) -> History:
    """Services, grades and problems over every snapshot in ``folder``, from cache when possible.

    A cache that is unusable is discarded and rebuilt, and one that cannot be written is skipped;
    each logs one warning (see the module's docstring). Neither raises.

    Parameters
    ----------
    folder
        The snapshots' folder; default :func:`helpers.paths.datastore_dir`.
    workers
        Processes that parse the files when the cache is cold; default up to 2 (the files are
        independent, so a cold build scales with cores). ``1`` parses in this process.

    Returns
    -------
    History

    Raises
    ------
    NoSnapshotsError
        If there is no snapshot; the message says how to download them.
    DatastoreError
        If a file cannot be read (see :func:`~helpers.datastore.read_snapshot`).
    """
    files = snapshot_files(folder)
    digests = _hashes(files)
    _refuse_copies(files, digests)
    names = [p.name for p in files]
    paths = _paths(_key(names, digests))
    tables = _load(paths, names, digests)
    if tables is None:
        tables = _build(files, digests, workers)
        _save(paths, tables)
    return History(**tables)
