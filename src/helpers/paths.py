"""Where things are: one place for every path, anchored on the repository, overridable.

Notebooks run with their kernel in ``notebooks/``, so relative literals such as ``../data`` break
in runners; every path is built here from the package's own location instead. Each can be moved
with an environment variable:

``HELPERS_DATA_DIR``
    the committed data (default ``<repo>/data``).
``HELPERS_DATASTORE_DIR``
    the folder of raw Care Inspectorate datastore snapshots (default ``<repo>/data/datastore``,
    where the download helper saves them), read only to refresh ``data/care-services``.
``HELPERS_BUILD_DIR``
    where reports and caches are written (default ``<repo>/build``, ignored by git).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parent.parent


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


def data_dir() -> Path:
    """The committed data folder."""
    return _env_path("HELPERS_DATA_DIR", REPO_ROOT / "data")


def datapackage_file(data: Path | None = None) -> Path:
    """The one statement of every committed table's schema (``data/datapackage.json``).

    ``data`` is another data folder laid out like ``data/`` (a test's copy, say); by default
    :func:`data_dir`. The same holds for the folders below.
    """
    return (data or data_dir()) / "datapackage.json"


def joint_inspections_dir(data: Path | None = None) -> Path:
    """The joint-inspection tables (``data/joint-inspections``)."""
    return (data or data_dir()) / "joint-inspections"


def care_services_dir(data: Path | None = None) -> Path:
    """The registered care services for children, derived from the datastore
    (``data/care-services``)."""
    return (data or data_dir()) / "care-services"


def map_tiles_file(data: Path | None = None) -> Path:
    """The council areas' places on the front page's tile map (``data/maps/scotland-tiles.csv``)."""
    return (data or data_dir()) / "maps" / "scotland-tiles.csv"


def datastore_dir() -> Path:
    """The folder of raw datastore snapshots (not committed)."""
    return _env_path("HELPERS_DATASTORE_DIR", REPO_ROOT / "data" / "datastore")


def build_dir() -> Path:
    """Where derived files go: reports, caches. Everything in it can be deleted and rebuilt."""
    return _env_path("HELPERS_BUILD_DIR", REPO_ROOT / "build")


def cache_dir(name: str) -> Path:
    """A cache of derived files, ``build/cache/<name>``: deleted with ``build/`` (make clean)."""
    return build_dir() / "cache" / name


def notebooks_dir() -> Path:
    """The notebooks, in reading order."""
    return REPO_ROOT / "notebooks"


def file_stamp(path: Path) -> tuple[int, int, int, int] | None:
    """What changes when a file does: inode, size, modification and change times (the change
    time cannot be put back, as ``cp -p`` or ``rsync -a`` put back the modification time).
    None for a folder (a stamp is of files)."""
    st = path.stat()
    if stat.S_ISDIR(st.st_mode):
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
