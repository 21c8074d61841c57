"""Fixtures shared by the tests of care services: the small tables of ``care_tables``."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from care_tables import make_grades, make_services  # noqa: E402

from helpers.care import questions as care  # noqa: E402


@pytest.fixture
def services() -> pd.DataFrame:
    return make_services()


@pytest.fixture
def grades() -> pd.DataFrame:
    return make_grades()


@pytest.fixture
def lowest(services, grades) -> pd.DataFrame:
    return care.lowest_grades(services, grades)


@pytest.fixture
def shown():
    """Calls a chart function, keeps its figure for the test and closes it afterwards."""
    figures = []

    def call(result):
        figures.append(result[0])
        return result

    yield call
    for fig in figures:
        plt.close(fig)


def _widths(container) -> list[float]:
    return [float(p.get_width()) for p in container.patches]


def _heights(container) -> list[float]:
    return [float(p.get_height()) for p in container.patches]
