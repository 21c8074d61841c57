"""Area profiles on the whole committed data (joint inspections and the care-services history):
Stirling, inspected but with no known split of grades, gets its own care-services numbers, and
Moray's key points lead with its latest inspection. A few seconds each: every care figure is
computed over ten years of the register. The profile's parts are tested in
``tests/unit/test_profile.py`` and ``tests/unit/test_area_care.py``."""

from __future__ import annotations

import re

import matplotlib
import pytest

matplotlib.use("Agg")

from helpers import narrative, profile  # noqa: E402
from helpers.care import questions as care  # noqa: E402


@pytest.fixture(scope="module")
def stirling():
    from helpers.care import tables

    data = tables.load()
    return data, care.lowest_grades(data.services, data.grades)


def test_stirling_profile_has_its_own_care_services_numbers(stirling):
    from helpers import profile

    data, lowest = stirling
    latest = care.latest_date(data.services)
    now = data.services[
        (data.services["snapshot_date"] == latest) & (data.services["council_area"] == "Stirling")
    ]
    text = profile.care_registered("Stirling").data
    assert (
        f"{narrative.count_words(len(now))} children's services were registered in Stirling" in text
    )
    graded = int(
        ((lowest["snapshot_date"] == latest) & (lowest["council_area"] == "Stirling")).sum()
    )
    sentence, by_type, services = profile.care_weak("Stirling")
    assert f"Stirling's {graded:,} graded children's services" in sentence.data
    assert int(by_type[("Stirling", "weak or worse")].sum()) == len(services)  # place named once
    figure = profile.care_by_type_figure("Stirling")
    assert "went from" in figure.alt and "Stirling" in figure.alt
    trend_text, trend = profile.care_trend("Stirling")
    assert "Stirling" in trend_text.data and "key questions" in trend.alt
    # The joint inspection is still there, with the split said to be not found.
    summary = profile.summary("Stirling").data
    assert "the split of grades is not known" in summary


def test_key_points_of_moray():
    """Moray's key points: its latest inspection (2020-2025, one indicator graded adequate), its
    standing in 2012-2017 (weak grades lead), its care services against Scotland, and the latest
    change; three to six sentences, no machinery."""
    points = profile.key_points("Moray").sentences
    assert 3 <= len(points) <= 6
    assert points[0].startswith("Moray's latest joint inspection was in the children at risk of")
    assert (
        "its one graded indicator, impact on children and young people, was adequate" in (points[0])
    )
    assert any(p.startswith("In the children and young people programme (2012-2017), Moray had "
                            "four of nine indicators weak or worse") for p in points)  # fmt: skip
    assert any("against" in p and "in Scotland" in p for p in points)
    assert points[-1].startswith("Between ")
    assert not re.search(r"\b(notebooks?|cells?|by default|project.s)\b", " ".join(points))
