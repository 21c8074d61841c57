"""Test-session set-up shared by the unit tests and nbval.

Everything ``make test`` runs reads only the repository. Tests marked ``snapshots`` check the
reader and the committed ``data/care-services`` against a full folder of raw datastore
snapshots; they run only when ``HELPERS_TEST_SNAPSHOTS`` names one (``make check-snapshots``),
and are otherwise deselected, not skipped: nothing is missing from the default run.
"""

from __future__ import annotations

import os


def pytest_collection_modifyitems(config, items):
    if os.environ.get("HELPERS_TEST_SNAPSHOTS"):
        return
    deselected = [item for item in items if item.get_closest_marker("snapshots")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("snapshots")]
