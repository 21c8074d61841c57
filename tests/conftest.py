"""Fixtures shared by the tests of care services: the small tables of ``care_tables``, and
``data/care-services`` derived once from the datastore fixtures.

This folder (``tests/``) is on ``sys.path`` for every test below it, unit, data or e2e: tests
import the helpers beside this file (``care_tables``, ``readercheck``, ``small_notebooks``,
``hostile``) by name. Test files' names are unique across the folders (pytest imports each by
its name alone).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib
import pytest

matplotlib.use("Agg")

# The heavy imports (pandas, pyplot, the helpers) wait for the fixtures that use them: under
# pytest-xdist the controlling process loads this file too, and runs no test.
if TYPE_CHECKING:
    import pandas as pd

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "datastore"
UNIT = Path(__file__).resolve().parent / "unit"


def pytest_collection_modifyitems(config, items):
    """A test marked slow or browser in tests/unit is refused: ``make test-fast`` runs that
    folder and must stay quick; such a test belongs in tests/e2e."""
    misplaced = [
        item.nodeid
        for item in items
        if item.path.is_relative_to(UNIT)
        and (item.get_closest_marker("slow") or item.get_closest_marker("browser"))
    ]
    if misplaced:
        raise pytest.UsageError(
            "marked slow or browser but in tests/unit (move them to tests/e2e): "
            + ", ".join(misplaced)
        )


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the committed joint-inspection tables, for a test to break."""
    from helpers import paths

    folder = tmp_path / "joint-inspections"
    shutil.copytree(paths.joint_inspections_dir(), folder)
    return folder


@pytest.fixture(scope="session")
def care_data(tmp_path_factory) -> Path:
    """``data/care-services`` derived from the 17 datastore fixtures, once for the session.
    Read it; a test that changes it works on its own copy."""
    from care_tables import build_care_data

    return build_care_data(FIXTURES, tmp_path_factory)


@pytest.fixture
def services() -> pd.DataFrame:
    from care_tables import make_services

    return make_services()


@pytest.fixture
def grades() -> pd.DataFrame:
    from care_tables import make_grades

    return make_grades()


@pytest.fixture
def lowest(services, grades) -> pd.DataFrame:
    from helpers.care import questions as care

    return care.lowest_grades(services, grades)


@pytest.fixture
def shown():
    """Calls a chart function, keeps its figure for the test and closes it afterwards."""
    figures = []

    def call(result):
        figures.append(result[0])
        return result

    yield call
    import matplotlib.pyplot as plt

    for fig in figures:
        plt.close(fig)


def _widths(container) -> list[float]:
    return [float(p.get_width()) for p in container.patches]


def _heights(container) -> list[float]:
    return [float(p.get_height()) for p in container.patches]
