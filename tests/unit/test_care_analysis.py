"""helpers.care.questions on small tables shaped like ``history()``'s (see ``care_tables``): real
values (dates, counts, fractions), and the same tables as readers see them (helpers.narrative)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from care_tables import (  # noqa: E402
    CH,
    CM,
    D1,
    D2,
    DC,
    MID,
    PK,
    PRIVATE,
)

from helpers import narrative  # noqa: E402
from helpers.care import questions as care  # noqa: E402


def test_percent_table_shares_become_int_percent_columns():
    table = pd.DataFrame({"count": [3, 1], "share": [0.384, 0.616]}, index=["a", "b"])
    out = narrative.percent_table(table, ["share"])
    assert list(out.columns) == ["count", "share (%)"]
    assert out["share (%)"].tolist() == [38, 62]
    assert out["share (%)"].dtype.kind == "i"


def test_comparison_dates_december_2017_and_latest(services):
    assert care.comparison_dates(services, D1) == [D1, D2]
    assert care.comparison_dates(services[services["snapshot_date"] == D2], D1) == [D2]


def test_registered_counts_children_only_area_and_scotland(services):
    table = care.registered_counts(services, [D1, D2], PK)
    assert table.index.tolist() == [D1, D2]  # dates, not words
    assert table[PK].tolist() == [5, 4]
    assert table[care.SCOTLAND].tolist() == [6, 6]


def test_by_type_counts_in_area_and_scotland_percentages(services):
    table = care.by_type(services, [D1, D2], PK)
    assert table[(D1, PK)].to_dict() == {CM: 3, DC: 1, CH: 1}
    assert table[(D2, PK)].to_dict() == {CM: 1, DC: 2, CH: 1}
    # Scotland in May 2026: 1 childminder, 3 day cares, 2 care homes of 6.
    assert table[(D2, care.SCOTLAND)].to_dict() == pytest.approx({CM: 1 / 6, DC: 0.5, CH: 1 / 3})
    assert table.index.tolist()[0] == DC  # most in the latest snapshot first
    readers = narrative.by_type_table(table, PK)
    assert readers[("31 May 2026", "Scotland (%)")].to_dict() == {CM: 17, DC: 50, CH: 33}
    assert readers[("31 December 2017", PK)].to_dict() == {CM: 3, DC: 1, CH: 1}


def test_by_sector_shares_and_sentence_from_counts(services):
    table = care.by_sector(services, [D1, D2], PK)
    last = "31 May 2026"
    # Perth and Kinross in May 2026: 2 private, 1 local authority, 1 voluntary of 4.
    assert table.loc[(D2, PK), PRIVATE] == pytest.approx(0.5)
    assert table.loc[(D2, PK), "services"] == 4
    assert table.loc[(D2, care.SCOTLAND), "services"] == 6
    shown_table = narrative.sector_table(table)
    assert shown_table.loc[(last, PK), "Private (%)"] == 50
    assert shown_table.loc[(last, PK), "Local Authority (%)"] == 25
    sentence = narrative.sector_sentence(table, D2, PK)
    # Scotland: 3 private of 6; 2 local authority of 6.
    assert "private providers ran 50% of Perth and Kinross's" in sentence
    assert "(Scotland: 50%)" in sentence
    assert "local authorities ran 25% (Scotland: 33%)" in sentence


def test_lowest_grades_ungraded_and_adult_services_not_counted(lowest):
    latest = lowest[lowest["snapshot_date"] == D2]
    assert "A6" not in set(latest["service_id"])  # registered, not graded yet
    assert "X1" not in set(lowest["service_id"])  # adults
    first = lowest[lowest["snapshot_date"] == D1].set_index("service_id")["lowest"]
    # A1's combined evaluation of 1 is left out: its lowest grade stays very good.
    assert first.astype(str).to_dict() == {
        "A1": "very good",
        "A2": "adequate",
        "A3": "good",
        "A4": "very good",
        "A5": "weak",
        "B1": "good",
    }
    assert set(latest["framework"]) == {"key question"}


def test_grade_shares_counts_graded_services_only(lowest):
    table = care.grade_shares(lowest, [D1, D2], PK)
    assert table.loc[(D1, PK), "good or better"] == pytest.approx(0.6)
    assert table.loc[(D1, care.SCOTLAND), "good or better"] == pytest.approx(4 / 6)
    assert table.loc[(D2, PK), "services graded"] == 3  # not the ungraded A6
    assert table.loc[(D2, PK), "good or better"] == pytest.approx(1.0)
    assert table.loc[(D2, care.SCOTLAND), "good or better"] == pytest.approx(0.8)


def test_trend_table_shares_and_key_question_share(lowest):
    trend = care.good_or_better_trend(lowest, PK)
    assert trend[("good or better", PK)].tolist() == pytest.approx([0.6, 1.0, 1.0])
    assert trend[("good or better", care.SCOTLAND)].tolist() == pytest.approx([4 / 6, 1.0, 0.8])
    assert trend[("graded", PK)].tolist() == [5, 3, 3]  # A1, A3 and A4 in June 2020
    on_kq = trend[("on key questions", care.SCOTLAND)]
    assert on_kq.tolist() == pytest.approx([0, 0.25, 1.0])
    assert care.framework_change(trend) == (MID, D2)


def test_residential_repetition_repeated_grade_counted_differing_not(services, grades):
    table = care.residential_repetition(services, grades)
    # Only May 2026 has residential services with 2+ key questions: A5 (5, 5, 5) repeats one
    # value, B2 (4, 5) does not.
    assert table.index.tolist() == [D2]
    assert table.loc[D2, "services with 2+ key questions"] == 2
    assert table.loc[D2, "one value repeated"] == pytest.approx(0.5)
    sentence = narrative.repetition_sentence(table)
    assert sentence.startswith("On 31 May 2026, one of the two residential")


def test_excluded_frameworks_counts_combined_evaluation(grades):
    table = care.excluded_frameworks(grades)
    assert table.index.tolist() == ["combined evaluation"]
    assert table.loc["combined evaluation", "grades"] == 1
    assert table.loc["combined evaluation", "first"] == D1
    assert narrative.excluded_table(table).loc["combined evaluation", "first"] == D1.date()


def test_outside_scotland_counts_only_childrens_services_placed_outside(services):
    from helpers.areas import OUTSIDE_SCOTLAND

    date = services["snapshot_date"].max()
    assert care.outside_scotland(services, date) == 0
    moved = services.copy()
    moved["council_area"] = moved["council_area"].astype(str)
    kids = (moved["snapshot_date"] == date) & (moved["client_group"] == "Children")
    moved.loc[kids[kids].index[:2], "council_area"] = OUTSIDE_SCOTLAND
    moved.loc[(moved["snapshot_date"] == date) & ~kids, "council_area"] = OUTSIDE_SCOTLAND
    assert care.outside_scotland(moved, date) == 2
    assert care.outside_scotland(moved, pd.Timestamp("1999-01-01")) == 0


def test_repetition_table_starts_where_key_questions_cover_nearly_all():
    idx = pd.DatetimeIndex(["2021-12-31", "2022-12-31", "2023-12-31"], name="snapshot")
    table = pd.DataFrame(
        {"services with 2+ key questions": [50, 380, 400], "one value repeated": [0.2, 0.49, 0.9]},
        index=idx,
    )
    assert care.key_questions_nearly_all(table) == idx[1]
    since = care.repetition_since_change(table)
    assert list(since.index) == list(idx[1:])
    assert narrative.repetition_table(since)["one value repeated (%)"].tolist() == [49, 90]
    sentence = narrative.repetition_sentence(table)
    assert narrative.day(since.index[0]) in sentence and "49%" in sentence


def test_residential_table_names_each_place_once():
    table = pd.DataFrame(
        {("Fife", "services"): [3, 1], ("Fife", "share"): [0.75, 0.25],
         ("Scotland", "services"): [10, 30], ("Scotland", "share"): [0.25, 0.75]},
        index=pd.Index(["good", "weak"], name="grade"),
    )  # fmt: skip
    out = narrative.residential_table(table, "Fife")
    assert list(out.columns) == [
        ("Fife", "services"), ("Fife", "%"), ("Scotland", "services"), ("Scotland", "%"),
    ]  # fmt: skip
    assert out.loc["good", ("Fife", "%")] == 75 and out.loc["weak", ("Scotland", "services")] == 30
