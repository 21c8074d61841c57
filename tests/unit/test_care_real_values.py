"""helpers.care.questions returns real values (dates, counts, fractions, places as a level), and
helpers.narrative turns exactly those into what readers see: the layer rule, on the small
tables of ``care_tables``."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from care_tables import CH, CM, D1, D2, DC, FIFE, MID, PK

from helpers import narrative
from helpers.areas import COUNCIL_AREAS, SCOTLAND
from helpers.care import questions as care

DATES = [D1, D2]


def _labels(table: pd.DataFrame) -> list[str]:
    """Every column label and index value that is text, at every level."""
    out = []
    for axis in (table.columns, table.index):
        for value in axis:
            out += [
                v for v in (value if isinstance(value, tuple) else (value,)) if isinstance(v, str)
            ]
    return out


@pytest.fixture
def tables(services, grades, lowest) -> dict[str, pd.DataFrame]:
    """One table of each question the reports ask, for Perth and Kinross."""
    return {
        "registered": care.registered_counts(services, DATES, PK),
        "by_type": care.by_type(services, DATES, PK),
        "by_sector": care.by_sector(services, DATES, PK),
        "grade_shares": care.grade_shares(lowest, DATES, PK),
        "trend": care.good_or_better_trend(lowest, PK),
        "repetition": care.residential_repetition(services, grades),
        "residential": care.residential_grades(lowest, D2, PK),
        "weak_by_type": care.weak_by_type(lowest, D1, PK),
        "excluded": care.excluded_frameworks(grades),
    }


def test_no_question_formats_a_date_a_share_or_a_place_into_a_label(tables):
    for name, table in tables.items():
        for label in _labels(table):
            assert "(%)" not in label and "(share)" not in label, (name, label)
            assert ": " not in label, (name, label)  # 'Moray: graded' was a place and a measure
            assert not re.search(r"\b(December|May) 20\d\d\b", label), (
                name,
                label,
            )  # no date in words


def test_dates_are_timestamps_wherever_a_table_has_them(tables):
    for name in ("registered", "trend", "repetition"):
        assert isinstance(tables[name].index, pd.DatetimeIndex), name
        assert tables[name].index.name == "snapshot", name
    for name in ("by_sector", "grade_shares"):
        assert tables[name].index.names == ["snapshot", "place"], name
        assert all(isinstance(d, pd.Timestamp) for d in tables[name].index.get_level_values(0))
    assert all(isinstance(d, pd.Timestamp) for d in tables["by_type"].columns.get_level_values(0))
    assert pd.api.types.is_datetime64_any_dtype(tables["excluded"]["first"])


def test_counts_are_integers_and_shares_fractions(tables):
    assert tables["registered"].loc[D1, PK] == 5 and tables["registered"].loc[D2, SCOTLAND] == 6
    by_type = tables["by_type"]
    assert by_type[(D2, PK)].dtype.kind == "i"
    assert by_type[(D2, SCOTLAND)].between(0, 1).all()
    assert by_type[(D2, SCOTLAND)].sum() == pytest.approx(1.0)  # every type of Scotland's
    residential = tables["residential"]
    assert residential.columns.names == ["place", "measure"]
    assert residential[(PK, "services")].dtype.kind == "i"
    assert residential[(SCOTLAND, "share")].sum() == pytest.approx(1.0)
    trend = tables["trend"]
    assert trend.columns.names == ["measure", "place"]
    assert trend[("graded", PK)].dtype.kind == "i"
    assert trend["good or better"].max().max() <= 1
    weak = tables["weak_by_type"]
    assert (
        weak.columns.names == ["place", "measure"]
        and (weak.dtypes.map(lambda d: d.kind) == "i").all()
    )


def test_framework_change_gives_the_snapshots_as_timestamps(tables):
    assert care.framework_change(tables["trend"]) == (MID, D2)


def test_readers_see_dates_in_words_and_whole_percentages(tables):
    by_type = narrative.by_type_table(tables["by_type"], PK)
    assert list(by_type.columns) == [
        ("31 December 2017", PK), ("31 December 2017", "Scotland (%)"),
        ("31 May 2026", PK), ("31 May 2026", "Scotland (%)"),
    ]  # fmt: skip
    assert by_type.columns.names == [None, None]
    sectors = narrative.sector_table(tables["by_sector"])
    assert sectors.index.get_level_values(0).unique().tolist() == [
        "31 December 2017",
        "31 May 2026",
    ]
    assert (sectors["services"] == tables["by_sector"]["services"].to_numpy()).all()
    shares = narrative.grade_shares_table(tables["grade_shares"])
    assert shares.loc[("31 December 2017", PK), "good or better (%)"] == 60
    trend = narrative.trend_table(tables["trend"], PK)
    assert list(trend.columns) == [
        f"{PK} (%)", "Scotland (%)", f"graded in {PK}", "graded in Scotland",
        "graded on key questions (Scotland) (%)",
    ]  # fmt: skip
    assert trend[f"{PK} (%)"].tolist() == [60, 100, 100]
    assert narrative.excluded_table(tables["excluded"])["first"].tolist() == [D1.date()]


def test_readers_see_each_place_named_once_over_what_is_counted(tables):
    weak = narrative.weak_by_type_table(tables["weak_by_type"])
    assert weak.columns.names == [None, None]
    assert weak.loc[CH, (PK, "weak or worse")] == 1
    residential = narrative.residential_table(tables["residential"], PK)
    assert residential.loc["very good", (PK, "%")] == 100


def test_weak_services_are_named_for_readers_never_a_childminder(services, lowest):
    low = lowest.copy()
    at = low["snapshot_date"] == D1
    low.loc[at & low["service_id"].isin(["A1", "A4"]), "lowest"] = "weak"
    found = care.weak_or_worse(low, services, D1, PK)
    assert set(found.columns) >= {"service_id", "care_service", "service_name", "lowest"}
    assert found["service_name"].notna().all()  # the question keeps what the tables hold
    table = narrative.weak_services(found)
    assert table.columns.tolist() == [
        "care service",
        "service",
        "sector",
        "lowest grade",
        "framework",
    ]
    assert table["care service"].tolist() == [CH, CM, DC]  # worst first, then by type
    assert table.loc[1, "service"] == narrative.NOT_NAMED
    assert "Service A1" not in table.to_string()


def test_good_or_better_by_area_has_every_area_and_unknown_where_none_graded(lowest):
    table = care.good_or_better_by_area(lowest, D1)
    assert table.index.tolist() == list(COUNCIL_AREAS)
    assert table.loc[PK, "graded"] == 5 and table.loc[PK, "good or better"] == 3
    assert table.loc[PK, "share"] == pytest.approx(0.6)
    assert table.loc[FIFE, "share"] == 1.0
    assert table.loc["Stirling", "graded"] == 0 and pd.isna(table.loc["Stirling", "share"])


def test_an_empty_table_of_grades_that_fell_has_the_column_05_drops():
    empty = narrative.grade_moves(pd.DataFrame(columns=["service_id", "steps"]))
    assert empty.drop(columns="fell to weak or worse").empty


def test_the_comparison_date_is_the_reports_default():
    assert care.SINCE == D1
    assert care.comparison_dates(pd.DataFrame({"snapshot_date": [D1, MID, D2]})) == [D1, D2]
