"""Test-session set-up shared by the unit tests and nbval.

Notebook 03 reads the Care Inspectorate's datastore snapshots, which the project does not commit.
Where none are present (a new user who has not downloaded any), its nbval run is skipped with a
reason rather than failing on outputs it cannot reproduce. CI has them, and must never skip it.
"""

from __future__ import annotations

import os

import pytest

from helpers import paths

NEEDS_DATASTORE = ("03-registered-care-services.ipynb",)


def _has_snapshots() -> bool:
    folder = paths.datastore_dir()
    return folder.is_dir() and any(folder.glob("datastore_*.csv*"))


def pytest_collection_modifyitems(config, items):
    if _has_snapshots():
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError(
            f"CI needs the datastore snapshots in {paths.datastore_dir()} (HELPERS_DATASTORE_DIR)"
        )
    skip = pytest.mark.skip(
        reason=f"no datastore snapshots in {paths.datastore_dir()}: run `make download-datastore`"
    )
    for item in items:
        if any(item.nodeid.startswith(f"notebooks/{name}") for name in NEEDS_DATASTORE):
            item.add_marker(skip)
