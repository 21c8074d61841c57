"""helpers.care_analysis, its charts and sentences, on small tables shaped like ``history()``'s.

Three snapshots of a few services in Perth and Kinross and Fife, graded by hand so that every
count, share and date below can be worked out on paper:

- December 2017: quality themes only. Perth and Kinross has three childminders, a day care and a
  care home (lowest grades very good, adequate, good, very good, weak: 3 of 5 good or better);
  Fife a day care (good). An adult service and a combined evaluation must not count.
- June 2020: one of four graded children's services is on key questions (the change begins).
- May 2026: key questions for all. Perth and Kinross's care home repeats one grade (5, 5, 5);
  Fife's care home does not (4, 5). A new day care in Perth and Kinross is not graded yet.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from helpers import care_analysis as care
from helpers import charts, narrative
from helpers.datastore.columns import FRAMEWORK_DTYPE, MEASURE_DTYPE
from helpers.datastore.snapshot import GRADE_COLUMNS, SERVICE_COLUMNS
from helpers.grades import GRADES, HIGHEST_FIRST

D1 = pd.Timestamp("2017-12-31")
MID = pd.Timestamp("2020-06-30")
D2 = pd.Timestamp("2026-05-31")
PK, FIFE = "Perth and Kinross", "Fife"
CM, DC, CH = "Child Minding", "Day Care of Children", "Care Home Service"
PRIVATE, LA, VOL = "Private", "Local Authority", "Voluntary or Not for Profit"

# (date, id, care service, sector, client group, council area)
_SERVICES = [
    (D1, "A1", CM, PRIVATE, "Children", PK),
    (D1, "A2", CM, PRIVATE, "Children", PK),
    (D1, "A3", CM, PRIVATE, "Children", PK),
    (D1, "A4", DC, LA, "Children", PK),
    (D1, "A5", CH, VOL, "Children", PK),
    (D1, "B1", DC, PRIVATE, "Children", FIFE),
    (D1, "X1", CH, PRIVATE, "Adults", PK),
    (MID, "A1", CM, PRIVATE, "Children", PK),
    (MID, "A3", CM, PRIVATE, "Children", PK),
    (MID, "A4", DC, LA, "Children", PK),
    (MID, "B1", DC, PRIVATE, "Children", FIFE),
    (D2, "A1", CM, PRIVATE, "Children", PK),
    (D2, "A4", DC, LA, "Children", PK),
    (D2, "A5", CH, VOL, "Children", PK),
    (D2, "A6", DC, PRIVATE, "Children", PK),
    (D2, "B1", DC, PRIVATE, "Children", FIFE),
    (D2, "B2", CH, LA, "Children", FIFE),
    (D2, "X1", CH, PRIVATE, "Adults", PK),
]
QT, KQ = "quality theme", "key question"
# (date, id, framework, [grades 1-6])
_GRADES = [
    (D1, "A1", QT, [5, 5]),
    (D1, "A1", "combined evaluation", [1]),  # restates other grades: left out
    (D1, "A2", QT, [4, 3]),
    (D1, "A3", QT, [4]),
    (D1, "A4", QT, [6, 5]),
    (D1, "A5", QT, [2, 4]),
    (D1, "B1", QT, [4, 4]),
    (D1, "X1", QT, [1]),  # an adult service: not counted
    (MID, "A1", QT, [4]),
    (MID, "A3", QT, [4]),
    (MID, "A4", QT, [5]),
    (MID, "B1", KQ, [4, 4]),
    (D2, "A1", KQ, [5, 5]),
    (D2, "A4", KQ, [4, 4]),
    (D2, "A5", KQ, [5, 5, 5]),
    (D2, "B1", KQ, [3, 4]),
    (D2, "B2", KQ, [4, 5]),
]
_MEASURES = {
    QT: ["care and support", "environment", "staffing"],
    KQ: ["wellbeing", "setting", "staff team"],
    "combined evaluation": ["wellbeing"],
}


def _services() -> pd.DataFrame:
    frame = pd.DataFrame(
        _SERVICES,
        columns=["snapshot_date", "service_id", "care_service", "sector", "client_group", "area"],
    ).rename(columns={"area": "council_area"})
    frame["snapshot_date"] = frame["snapshot_date"].astype("datetime64[ms]")
    frame["service_name"] = "Service " + frame["service_id"]
    frame["subtype"] = pd.NA
    frame["status"] = "Active"
    frame["registered_places"] = pd.array([10] * len(frame), dtype="Int32")
    frame["latest_grading_date"] = pd.NaT
    frame["provider_number"] = "SP" + frame["service_id"]
    frame["provider_name"] = "Provider " + frame["service_id"]
    for col in ("service_id", "care_service", "sector", "client_group", "council_area"):
        frame[col] = frame[col].astype("category")
    return frame[list(SERVICE_COLUMNS)]


def _grades() -> pd.DataFrame:
    rows = [
        (date, sid, framework, _MEASURES[framework][i], GRADES.categories[grade - 1])
        for date, sid, framework, values in _GRADES
        for i, grade in enumerate(values)
    ]
    frame = pd.DataFrame(rows, columns=list(GRADE_COLUMNS))
    frame["snapshot_date"] = frame["snapshot_date"].astype("datetime64[ms]")
    return frame.astype(
        {
            "service_id": "category",
            "framework": FRAMEWORK_DTYPE,
            "measure": MEASURE_DTYPE,
            "grade": GRADES,
        }
    )


@pytest.fixture
def services() -> pd.DataFrame:
    return _services()


@pytest.fixture
def grades() -> pd.DataFrame:
    return _grades()


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


# --- words ------------------------------------------------------------------------------------


def test_period_one_snapshot_says_of_that_day():
    assert narrative.period([D2]) == "one snapshot, of 31 May 2026"
    assert narrative.period([D2, D2]) == "one snapshot, of 31 May 2026"


def test_period_several_snapshots_says_from_and_to():
    assert narrative.period([D2, D1, MID]) == "3 snapshots from 31 December 2017 to 31 May 2026"


def test_pct_near_zero_or_whole_keeps_a_decimal():
    assert narrative.pct(0.5) == "50%"
    assert narrative.pct(0.998) == "99.8%"
    assert narrative.pct(0.003) == "0.3%"
    assert narrative.pct(1.0) == "100%"


def test_percent_table_shares_become_int_percent_columns():
    table = pd.DataFrame({"count": [3, 1], "share": [0.384, 0.616]}, index=["a", "b"])
    out = care.percent_table(table, ["share"])
    assert list(out.columns) == ["count", "share (%)"]
    assert out["share (%)"].tolist() == [38, 62]
    assert out["share (%)"].dtype.kind == "i"


# --- counts, types and sectors ----------------------------------------------------------------


def test_comparison_dates_december_2017_and_latest(services):
    assert care.comparison_dates(services, D1) == [D1, D2]
    assert care.comparison_dates(services[services["snapshot_date"] == D2], D1) == [D2]


def test_registered_counts_children_only_area_and_scotland(services):
    table = care.registered_counts(services, [D1, D2], PK)
    assert table.index.tolist() == ["31 December 2017", "31 May 2026"]
    assert table[PK].tolist() == [5, 4]
    assert table[care.SCOTLAND].tolist() == [6, 6]


def test_by_type_counts_in_area_and_scotland_percentages(services):
    table = care.by_type(services, [D1, D2], PK)
    first, last = "31 December 2017", "31 May 2026"
    assert table[(first, PK)].to_dict() == {CM: 3, DC: 1, CH: 1}
    assert table[(last, PK)].to_dict() == {CM: 1, DC: 2, CH: 1}
    # Scotland in May 2026: 1 childminder, 3 day cares, 2 care homes of 6.
    assert table[(last, "Scotland (%)")].to_dict() == {CM: 17, DC: 50, CH: 33}
    assert table.index.tolist()[0] == DC  # most in the latest snapshot first


def test_by_type_chart_bar_widths_equal_counts_and_alt_names_them(services, shown):
    table = care.by_type(services, [D1, D2], PK)
    fig, alt, _ = shown(charts.by_type_chart(table, PK))
    ax = fig.axes[0]
    assert _widths(ax.containers[0]) == table[("31 December 2017", PK)].tolist()
    assert _widths(ax.containers[1]) == table[("31 May 2026", PK)].tolist()
    assert "The total went from 5 to 4" in alt
    assert "Child Minding: 3 then 1" in alt
    assert "child minding fell most (2 fewer)" in ax.get_title(loc="left")


def test_by_type_chart_one_date_phrased_for_one_date(services, shown):
    table = care.by_type(services, [D2], PK)
    fig, alt, _ = shown(charts.by_type_chart(table, PK))
    assert "on 31 May 2026. The total was 4;" in alt
    assert "then" not in alt
    assert _widths(fig.axes[0].containers[0]) == [2, 1, 1]


def test_by_sector_shares_and_sentence_from_counts(services):
    table = care.by_sector(services, [D1, D2], PK)
    last = "31 May 2026"
    # Perth and Kinross in May 2026: 2 private, 1 local authority, 1 voluntary of 4.
    assert table.loc[(last, PK), PRIVATE] == pytest.approx(0.5)
    assert table.loc[(last, PK), "services"] == 4
    assert table.loc[(last, care.SCOTLAND), "services"] == 6
    shown_table = care.sector_table(table)
    assert shown_table.loc[(last, PK), "Private (%)"] == 50
    assert shown_table.loc[(last, PK), "Local Authority (%)"] == 25
    sentence = narrative.sector_sentence(table, D2, PK)
    # Scotland: 3 private of 6; 2 local authority of 6.
    assert "private providers ran 50% of Perth and Kinross's" in sentence
    assert "(Scotland: 50%)" in sentence
    assert "local authorities ran 25% (Scotland: 33%)" in sentence


# --- grades -----------------------------------------------------------------------------------


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
    assert table.loc[("31 December 2017", PK), "good or better"] == pytest.approx(0.6)
    assert table.loc[("31 December 2017", care.SCOTLAND), "good or better"] == pytest.approx(4 / 6)
    assert table.loc[("31 May 2026", PK), "services graded"] == 3  # not the ungraded A6
    assert table.loc[("31 May 2026", PK), "good or better"] == pytest.approx(1.0)
    assert table.loc[("31 May 2026", care.SCOTLAND), "good or better"] == pytest.approx(0.8)


def test_grade_shares_chart_bar_widths_equal_shares_alt_has_numbers(lowest, shown):
    table = care.grade_shares(lowest, [D1, D2], PK)
    fig, alt, out = shown(charts.grade_shares_chart(table, PK))
    ax = fig.axes[0]
    for grade, container in zip(HIGHEST_FIRST, ax.containers, strict=True):
        assert _widths(container) == pytest.approx(table[grade].tolist()), grade
    assert "Perth and Kinross, 31 December 2017: 60% good or better" in alt
    assert "40% very good or excellent, of 5 services" in alt
    assert "Scotland, 31 May 2026: 80% good or better" in alt
    assert "of 3 services" in alt
    assert out.loc[("31 December 2017", PK), "good or better (%)"] == 60
    assert out.loc[("31 December 2017", PK), "very good (%)"] == 40
    assert out["services graded"].tolist() == [5, 6, 3, 5]


def test_trend_table_shares_and_key_question_share(lowest):
    trend = care.good_or_better_trend(lowest, PK)
    assert trend[PK].tolist() == pytest.approx([0.6, 1.0, 1.0])
    assert trend[care.SCOTLAND].tolist() == pytest.approx([4 / 6, 1.0, 0.8])
    assert trend["graded on key questions (Scotland)"].tolist() == pytest.approx([0, 0.25, 1.0])
    assert care.framework_change(trend) == (MID.date(), D2.date())


def test_trend_chart_band_spans_framework_change_dates(lowest, shown):
    trend = care.good_or_better_trend(lowest, PK)
    fig, alt, out = shown(charts.trend_chart(trend, PK))
    ax = fig.axes[0]
    (band,) = [p for p in ax.patches if p.get_facecolor()[:3] != (1.0, 1.0, 1.0)]
    # axvspan draws a rectangle in data x (dates as day numbers) spanning the whole height.
    assert band.get_x() == pytest.approx(mdates.date2num(MID))
    assert band.get_x() + band.get_width() == pytest.approx(mdates.date2num(D2))
    assert "at 3 snapshots from 31 December 2017 to 31 May 2026" in alt
    assert "A shaded band from 30 June 2020 (first key-question grades) to 31 May 2026" in alt
    assert "Perth and Kinross went from 60% to 100%" in alt
    assert "Scotland from 67% to 80%" in alt
    assert out[f"{PK} (%)"].tolist() == [60, 100, 100]
    line = ax.get_lines()[0]
    assert np.asarray(line.get_ydata(), dtype=float).tolist() == pytest.approx([0.6, 1.0, 1.0])


def test_trend_chart_one_snapshot_phrased_for_one(lowest, shown):
    trend = care.good_or_better_trend(lowest[lowest["snapshot_date"] == D2], PK)
    fig, alt, _ = shown(charts.trend_chart(trend, PK))
    assert "at one snapshot, of 31 May 2026" in alt
    assert "from 31 May 2026 to 31 May 2026" not in alt
    assert "shaded band" not in alt  # when key questions began is not in one snapshot
    assert "Good or better on 31 May 2026" in fig.axes[0].get_title(loc="left")


# --- residential services ---------------------------------------------------------------------


def test_residential_repetition_repeated_grade_counted_differing_not(services, grades):
    table = care.residential_repetition(services, grades)
    # Only May 2026 has residential services with 2+ key questions: A5 (5, 5, 5) repeats one
    # value, B2 (4, 5) does not.
    assert table.index.tolist() == [D2.date()]
    assert table.loc[D2.date(), "services with 2+ key questions"] == 2
    assert table.loc[D2.date(), "one value repeated"] == pytest.approx(0.5)
    sentence = narrative.repetition_sentence(table)
    assert sentence.startswith("On 31 May 2026, 50% of the 2 residential")


def test_repetition_sentence_over_time_names_the_computed_dates():
    table = pd.DataFrame(
        {"services with 2+ key questions": [10, 95, 100, 100], "one value repeated": [0.5] * 4},
        index=[
            d.date()
            for d in pd.to_datetime(["2021-12-31", "2022-12-31", "2024-03-31", "2026-05-31"])
        ],
    )
    table["one value repeated"] = [0.3, 0.5, 0.92, 0.95]
    sentence = narrative.repetition_sentence(table)
    assert "95% of the 100" in sentence
    assert "The share was 50% on 31 December 2022" in sentence
    assert "since 31 March 2024" in sentence


def test_residential_chart_bar_heights_equal_shares(lowest, shown):
    table = care.residential_grades(lowest, D2, PK)
    # Perth and Kinross: A5 very good. Scotland: A5 very good, B2 good.
    assert table[f"{PK} (services)"].to_dict() == {g: int(g == "very good") for g in HIGHEST_FIRST}
    fig, alt, out = shown(charts.residential_chart(table, D2, PK))
    ax = fig.axes[0]
    assert _heights(ax.containers[0]) == pytest.approx([0, 1.0, 0, 0, 0, 0])
    assert _heights(ax.containers[1]) == pytest.approx([0, 0.5, 0.5, 0, 0, 0])
    assert "Perth and Kinross: excellent 0, very good 1, good 0" in alt
    assert "(100% good or better); Scotland: excellent 0%, very good 50%, good 50%" in alt
    assert out.loc["good", f"{care.SCOTLAND} (%)"] == 50
    assert list(out.columns) == [
        f"{PK} (services)",
        f"{PK} (%)",
        f"{care.SCOTLAND} (services)",
        f"{care.SCOTLAND} (%)",
    ]


# --- checks and exclusions --------------------------------------------------------------------


def test_excluded_frameworks_counts_combined_evaluation(grades):
    table = care.excluded_frameworks(grades)
    assert table.index.tolist() == ["combined evaluation"]
    assert table.loc["combined evaluation", "grades"] == 1
    assert table.loc["combined evaluation", "first"] == D1.date()
