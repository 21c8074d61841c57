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

Writes are atomic (a temporary file in the same folder, then :func:`os.replace`), so a crash or a
concurrent reader never sees half a file.
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import re
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from helpers.datastore.columns import DatastoreError
from helpers.datastore.snapshot import read_snapshot, snapshot_date_from_name
from helpers.paths import build_dir, datastore_dir

#: Bump when the cache's own layout changes. Changes to the code that makes the tables are
#: caught without it: the key also hashes that code (see :func:`_code_digest`).
CACHE_VERSION = "1"


@functools.cache
def _code_digest() -> str:
    """SHA-256 of the source that decides what the tables hold: the datastore package, and the
    area names and grade scale it maps to. A fix there must not be hidden by an old cache."""
    package = Path(__file__).resolve().parent
    sources = sorted(package.glob("*.py")) + [
        package.parent / "areas.py",
        package.parent / "grades.py",
    ]
    digest = hashlib.sha256()
    for source in sources:
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


#: A snapshot file: a CSV, plain or gzipped. Names starting with '.' are temporary downloads.
_SNAPSHOT_NAME = re.compile(r"^[^.].*\.csv(\.gz)?$", re.I)

_TABLES = ("services", "grades", "problems")

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
    files = [p for p in folder.iterdir() if p.is_file() and _SNAPSHOT_NAME.match(p.name)]
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
    """Write parquet to a temporary file beside ``target``, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        # One row group, uncompressed, no statistics: the cache is read whole, far more often
        # than written, and this reads and writes fastest (no dictionary merging across row
        # groups, no decompression, no min/max over thousands of names).
        table = pa.Table.from_pandas(frame, preserve_index=False)
        pq.write_table(
            table,
            tmp,
            compression="none",
            row_group_size=max(len(frame), 1),
            write_statistics=False,
        )
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _paths(stem: str) -> dict[str, Path]:
    return {t: cache_dir() / f"{stem}.{t}.parquet" for t in _TABLES}


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


def _read_parquet(path: Path) -> pd.DataFrame:
    """Read a cached table (dates are stored and returned as datetime64[ms])."""
    return pq.read_table(path).to_pandas()


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


def history(folder: str | Path | None = None, *, workers: int | None = None) -> History:
    """Services, grades and problems over every snapshot in ``folder``, from cache when possible.

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
    pairs = [f"{p.name}\t{d}" for p, d in zip(files, digests, strict=True)]
    key = hashlib.sha256("\n".join([CACHE_VERSION, _code_digest(), *pairs]).encode()).hexdigest()[
        :24
    ]
    combined = _paths(f"history-{key}")
    files_table = cache_dir() / f"history-{key}.files.parquet"
    if all(p.exists() for p in combined.values()) and files_table.exists():
        tables = {t: _read_parquet(p) for t, p in combined.items()}
        return History(**tables, files=_read_parquet(files_table))

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
    counts = {
        "services": [n for p in parts for n in p["counts"]],
        "grades": [n for p in parts for n in p["grade_counts"]],
    }
    del parts  # the per-file tables: only the concatenated ones are kept
    files_frame = pd.DataFrame(
        {
            "file": [p.name for p in files],
            "snapshot_date": pd.to_datetime([snapshot_date_from_name(p) for p in files]).astype(
                "datetime64[ms]"
            ),
            "sha256": digests,
            "services": counts["services"],
            "grades": counts["grades"],
        }
    )
    for table, target in combined.items():
        _atomic_parquet(tables[table], target)
    _atomic_parquet(files_frame, files_table)
    # Older caches are superseded by this one, as is the hash memo of earlier versions.
    for old in cache_dir().glob("history-*.parquet"):
        if key not in old.name:
            old.unlink(missing_ok=True)
    (cache_dir() / "hashes.json").unlink(missing_ok=True)
    return History(**tables, files=files_frame)
