"""Test-session set-up shared by the tests and nbval.

Everything ``make test`` runs reads only the repository. Tests marked ``snapshots`` check the
reader and the committed ``data/care-services`` against a full folder of raw datastore
snapshots; they run only when ``HELPERS_TEST_SNAPSHOTS`` names one (``make check-snapshots``),
and are otherwise deselected, not skipped: nothing is missing from the default run.

``make test`` runs in two processes (pytest-xdist, ``--dist loadfile``: a file's tests run in
one process, in order, so a notebook's cells share its kernel and a module's fixtures are made
once). There the end-to-end tests go first, the file that reads the full build leading: it is
the longest chain (the build, then axe and the PDFs of every report), so it starts at once
while the other process takes the rest, and the quick unit tests fill in at the end.
"""

from __future__ import annotations

import os
from pathlib import Path

TESTS = Path(__file__).resolve().parent / "tests"
#: Under xdist, files run in this order of places (anything else last).
ORDER = (
    TESTS / "e2e" / "test_built_reports.py",
    TESTS / "e2e",
    TESTS.parent / "notebooks",
    TESTS / "data",
)


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("HELPERS_TEST_SNAPSHOTS"):
        deselected = [item for item in items if item.get_closest_marker("snapshots")]
        if deselected:
            config.hook.pytest_deselected(items=deselected)
            items[:] = [item for item in items if not item.get_closest_marker("snapshots")]
    if os.environ.get("PYTEST_XDIST_WORKER"):  # every process orders alike, as xdist requires
        items.sort(key=_rank)


def _rank(item) -> int:
    """Where ``item``'s file comes in :data:`ORDER` (a stable sort keeps pytest's order within)."""
    path = item.path.resolve()
    for rank, place in enumerate(ORDER):
        if path.is_relative_to(place):
            return rank
    return len(ORDER)
