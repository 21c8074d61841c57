"""Every area's care services: the functions added for the profile's care section and for
05 (what changed), on the small tables of ``care_tables``. An area with no known split of
joint-inspection grades (Stirling) is checked on the committed data in
``tests/data/test_profiles_committed.py``."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
from care_tables import CH, CM, D1, D2, DC, FIFE, PK  # noqa: E402

from helpers import narrative  # noqa: E402
from helpers.care import changes  # noqa: E402
from helpers.care import questions as care  # noqa: E402


def test_service_label_never_names_a_childminder():
    frame = pd.DataFrame(
        {
            "care_service": [CM, DC, DC],
            "service_name": ["Jane Smith", "Wee Ones Nursery", None],
        }
    )
    assert narrative.service_label(frame).tolist() == [
        narrative.NOT_NAMED,
        "Wee Ones Nursery",
        "name not recorded",
    ]


def test_weak_or_worse_lists_the_area_s_services_worst_first(services, lowest):
    found = care.weak_or_worse(lowest, services, D1, PK)
    # December 2017: Perth and Kinross's care home's lowest grade is weak; nothing else is.
    assert found["service_id"].tolist() == ["A5"] and found["lowest"].tolist() == ["weak"]
    table = narrative.weak_services(found)
    assert table["care service"].tolist() == [CH]
    assert table["service"].tolist() == ["Service A5"]
    assert table["lowest grade"].tolist() == ["weak"]
    assert care.weak_or_worse(lowest, services, D2, PK).empty


def test_weak_or_worse_childminder_counted_but_not_named(services, lowest):
    low = lowest.copy()
    minder = (low["service_id"] == "A1") & (low["snapshot_date"] == D2)
    low.loc[minder, "lowest"] = "unsatisfactory"
    table = narrative.weak_services(care.weak_or_worse(low, services, D2, PK))
    assert table["care service"].tolist() == [CM]
    assert table["service"].tolist() == [narrative.NOT_NAMED]
    by_type = care.weak_by_type(low, D2, PK)
    assert by_type.loc[CM, (PK, "weak or worse")] == 1
    assert by_type[(PK, "graded")].sum() == 3  # the new day care is not graded yet


def test_weak_by_type_counts_area_and_scotland(lowest):
    table = care.weak_by_type(lowest, D1, PK)
    assert table.loc[CH, (PK, "weak or worse")] == 1
    assert table[(PK, "graded")].to_dict() == {CH: 1, CM: 3, DC: 1}
    assert table[("Scotland", "graded")].sum() == 6
    assert table.index[0] == CH  # the type with weak services first


def test_graded_counts_zero_where_none_graded(lowest):
    counts = care.graded_counts(lowest, [D1, D2], FIFE)
    assert counts.tolist() == [1, 2]
    assert care.graded_counts(lowest, [D1], "Stirling").tolist() == [0]


def test_weak_sentence_counts_by_type_and_says_unknown_where_none_graded(lowest):
    table = care.weak_by_type(lowest, D1, PK)
    text = narrative.weak_sentence(table, D1, PK)
    assert text.startswith("On 31 December 2017, one of Perth and Kinross's five graded")
    assert "care home service, one" in text
    assert "none of" in narrative.weak_sentence(care.weak_by_type(lowest, D2, PK), D2, PK)
    empty = care.weak_by_type(lowest, D1, "Stirling")
    assert "not known" in narrative.weak_sentence(empty, D1, "Stirling")


def test_registered_and_good_or_better_sentences_unknown_never_zero(services, lowest):
    counts = care.registered_counts(services, [D1, D2], PK)
    assert narrative.registered_sentence(counts, PK) == (
        "On 31 May 2026, four children's services were registered in Perth and Kinross "
        "(Scotland: six); on 31 December 2017, five (Scotland: six)."
    )
    trend = care.good_or_better_trend(lowest, FIFE)
    trend.loc[trend.index[0], ("good or better", FIFE)] = float("nan")
    text = narrative.good_or_better_sentence(trend, FIFE)
    assert "on 31 December 2017, not known (no service graded)" in text
    assert " 0%" not in text


def test_sectors_sentence_names_the_two_largest_sectors(services):
    table = care.by_sector(services, [D1, D2], FIFE)
    text = narrative.sectors_sentence(table, D2, FIFE)
    assert text.startswith("On 31 May 2026, private providers ran 50% of Fife's registered")
    assert "local authorities ran 50%" in text


def _changes():
    from helpers.care.changes import Changes

    service = {
        "service_id": ["C1", "C2"],
        "service_name": [None, "Nursery Two"],
        "care_service": [CM, DC],
        "sector": ["Private", "Local Authority"],
        "council_area": [PK, FIFE],
    }
    moves = pd.DataFrame(
        {
            **{k: [v[0], v[0], v[1]] for k, v in service.items()},
            "framework": ["key question"] * 3,
            "measure": ["leadership", "setting", "leadership"],
            "grade before": ["good", "good", "very good"],
            "grade after": ["weak", "adequate", "good"],
            "steps": [-2, -1, -1],
        }
    )
    return pd.DataFrame(service), moves, Changes


def test_grade_moves_one_row_per_service_weak_flagged_childminder_not_named():
    _, moves, _ = _changes()
    table = narrative.grade_moves(moves)
    assert table["service"].tolist() == [narrative.NOT_NAMED, "Nursery Two"]
    assert table["fell to weak or worse"].tolist() == ["yes", "no"]
    up = narrative.grade_moves(moves.assign(steps=1))
    assert "fell to weak or worse" not in up.columns  # a rise never falls to weak
    assert table["grades"].iloc[0] == "leadership: good → weak; setting: good → adequate"
    assert "council area" not in narrative.grade_moves(moves, with_area=False).columns
    assert narrative.grade_moves(moves.iloc[:0]).empty


def test_changed_services_and_by_type():
    services, _, _ = _changes()
    table = narrative.changed_services(services)
    assert table["service"].tolist() == [narrative.NOT_NAMED, "Nursery Two"][::-1] or table[
        "service"
    ].tolist() == ["Nursery Two", narrative.NOT_NAMED]
    assert "Jane" not in table.to_string()
    counts = changes.changed_by_type(services, services.iloc[:1])
    assert counts.loc[CM].tolist() == [1, 1] and counts.loc[DC].tolist() == [1, 0]


def test_changes_sentence_plurals_and_scotland():
    table = pd.DataFrame(
        {"Fife": [1, 0, 2, 1, 0], "Scotland": [54, 84, 114, 11, 125]},
        index=[
            "newly registered",
            "cancelled",
            "a grade went down",
            "a grade fell to weak or worse",
            "a grade went up",
        ],
    )
    text = narrative.changes_sentence(table, "Fife")
    assert text.startswith("In Fife, one children's service was newly registered (Scotland: 54)")
    assert "none were cancelled (Scotland: 84)" in text
    assert "none had a grade go up (Scotland: 125)" in text


def test_profile_title_names_both_parts():
    from helpers import profile

    assert "registered care services" in profile.title("Stirling").data
