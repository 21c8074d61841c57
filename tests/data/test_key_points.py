"""helpers.key_points on the committed data: each report's key points, checked against the
numbers the question functions give."""

from __future__ import annotations

import pandas as pd

from helpers import grades, key_points, narrative
from helpers.care import questions as care
from helpers.care import tables
from helpers.joint import questions


def test_one_inspection_key_points_follow_the_counts_and_the_standing():
    points = key_points.one_inspection("Perth and Kinross", "cyp-2012", earlier="cp-2009")
    counts = questions.grade_counts("Perth and Kinross", "cyp-2012")
    assert 3 <= len(points.sentences) <= 6
    assert narrative.describe_grades(counts) in points.sentences[0]
    assert "published in April 2018" in points.sentences[0]
    table = questions.scotland_counts("cyp-2012")
    s = grades.standing(table, "Perth and Kinross")
    assert (
        f"of the {narrative.number_word(s.areas)} areas whose split is known"
        in (points.sentences[1])
    )
    assert any(p.startswith("They asked for") for p in points.sentences)
    assert points.sentences[-1].startswith("In the earlier child protection inspection")


def test_scotland_compared_key_points_count_later_inspections():
    later = ["care-protection-2018", "risk-of-harm-2020"]
    points = key_points.scotland_compared("Perth and Kinross", "cyp-2012", later=later)
    _, _, inspected = questions.later_rounds_data(later)
    assert 3 <= len(points.sentences) <= 6
    assert f"Only {narrative.number_word(len(inspected))} inspections" in points.sentences[-1]
    named = questions.named_cells("cyp-2012")
    derived = int((named["basis"] == "derived").sum())
    assert f"{narrative.number_word(derived)} more follow from the counts" in "".join(
        points.sentences
    )


def test_registered_services_key_points_caution_the_framework_switch_and_leave_caveats_out():
    points = key_points.registered_services("Perth and Kinross", pd.Timestamp("2017-12-31"))
    data = tables.load()
    latest = care.latest_date(data.services)
    outside = care.outside_scotland(data.services, latest)
    assert 3 <= len(points.sentences) <= 6
    # What Scotland's figure counts is a caveat, said in the body, not a key point.
    assert narrative.scotland_scope_sentence(outside, latest) not in points.sentences
    assert any("31 December 2017" in p for p in points.sentences)
    # The change in the share very good or better spans the switch of framework: it says so.
    assert "very good or excellent" in points.sentences[0]
    assert "switch of grading framework in December 2022" in points.sentences[0]


def test_data_quality_key_points_are_five_sentences_from_the_tables():
    points = key_points.data_quality("cyp-2012")
    assert len(points.sentences) == 5
    assert all(p.endswith(".") for p in points.sentences)
    assert "North Lanarkshire" in points.sentences[2]
