"""The Care Inspectorate's datastore: read, harmonise, cache and download the monthly CSVs.

Public API
----------
:func:`read_snapshot`
    One monthly CSV (as published: Windows-1252, plain or gzipped) -> :class:`Snapshot` with
    ``services``, ``grades`` and ``problems`` tables.
:func:`history`
    Every snapshot in a folder -> :class:`History`, cached as parquet by content hash.
:func:`download_latest`
    Fetch the latest month from the Care Inspectorate's website into the snapshots folder;
    returns a :class:`Download` (the file, its address and its :class:`Snapshot`).

Command line: ``python -m helpers.datastore download [--dest DIR]``.

How drift is harmonised (column rules, grade frameworks, what is an error and what a reported
problem) is documented in :mod:`helpers.datastore.columns` and :mod:`helpers.datastore.snapshot`.
"""

from helpers.datastore.cache import (
    DOWNLOAD_HINT,
    History,
    NoSnapshotsError,
    cache_dir,
    history,
    snapshot_files,
)
from helpers.datastore.columns import (
    FRAMEWORKS,
    MEASURES,
    DatastoreError,
    UnknownColumnError,
    classify_columns,
    grade_measure,
)
from helpers.datastore.download import (
    DATASTORE_PAGE,
    Download,
    DownloadError,
    DownloadInterrupted,
    download_latest,
)
from helpers.datastore.snapshot import (
    GRADE_COLUMNS,
    PROBLEM_COLUMNS,
    SERVICE_COLUMNS,
    Snapshot,
    read_snapshot,
    snapshot_date_from_name,
)

__all__ = [
    "DATASTORE_PAGE",
    "DOWNLOAD_HINT",
    "FRAMEWORKS",
    "GRADE_COLUMNS",
    "MEASURES",
    "PROBLEM_COLUMNS",
    "SERVICE_COLUMNS",
    "DatastoreError",
    "Download",
    "DownloadError",
    "DownloadInterrupted",
    "History",
    "NoSnapshotsError",
    "Snapshot",
    "UnknownColumnError",
    "cache_dir",
    "classify_columns",
    "download_latest",
    "grade_measure",
    "history",
    "read_snapshot",
    "snapshot_date_from_name",
    "snapshot_files",
]
