"""helpers.charts.care: the bars and lines drawn equal the numbers, and the words say them."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from care_tables import (  # noqa: E402
    D1,
    D2,
    MID,
    PK,
)
from matplotlib.colors import to_hex  # noqa: E402

from helpers import charts  # noqa: E402
from helpers.care import questions as care  # noqa: E402
from helpers.grades import HIGHEST_FIRST, UNKNOWN_COLOUR  # noqa: E402


def _widths(container) -> list[float]:
    return [float(p.get_width()) for p in container.patches]


def _heights(container) -> list[float]:
    return [float(p.get_height()) for p in container.patches]


def test_by_type_chart_bar_widths_equal_counts_and_alt_names_them(services, shown):
    table = care.by_type(services, [D1, D2], PK)
    fig, alt, _ = shown(charts.by_type_chart(table, PK))
    ax = fig.axes[0]
    assert _widths(ax.containers[0]) == table[(D1, PK)].tolist()
    assert _widths(ax.containers[1]) == table[(D2, PK)].tolist()
    assert "The total went from 5 to 4" in alt
    assert "Child Minding: 3 then 1" in alt
    assert "child minding fell most (2 fewer)" in ax.get_title(loc="left")
    # known counts, so never in the unknown's grey (that grey means 'no source gives it')
    drawn = {to_hex(p.get_facecolor()) for p in ax.patches}
    assert UNKNOWN_COLOUR.lower() not in drawn and len(drawn) == 2


def test_by_type_chart_one_date_phrased_for_one_date(services, shown):
    table = care.by_type(services, [D2], PK)
    fig, alt, _ = shown(charts.by_type_chart(table, PK))
    assert "on 31 May 2026. The total was 4;" in alt
    assert "then" not in alt
    assert _widths(fig.axes[0].containers[0]) == [2, 1, 1]


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


def test_residential_chart_bar_heights_equal_shares(lowest, shown):
    table = care.residential_grades(lowest, D2, PK)
    # Perth and Kinross: A5 very good. Scotland: A5 very good, B2 good.
    assert table[(PK, "services")].to_dict() == {g: int(g == "very good") for g in HIGHEST_FIRST}
    fig, alt, out = shown(charts.residential_chart(table, D2, PK))
    ax = fig.axes[0]
    assert _heights(ax.containers[0]) == pytest.approx([0, 1.0, 0, 0, 0, 0])
    assert _heights(ax.containers[1]) == pytest.approx([0, 0.5, 0.5, 0, 0, 0])
    assert "Perth and Kinross: excellent 0, very good 1, good 0" in alt
    assert "(100% good or better); Scotland: excellent 0%, very good 50%, good 50%" in alt
    assert out.loc["good", (care.SCOTLAND, "%")] == 50
    assert list(out.columns) == [  # each place named once, over its two columns
        (PK, "services"),
        (PK, "%"),
        (care.SCOTLAND, "services"),
        (care.SCOTLAND, "%"),
    ]


def test_legends_sit_outside_the_axes_never_on_data(services, lowest, shown):
    """Each care chart's legend lies wholly outside its axes, where no line or bar is drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    made = [
        charts.by_type_chart(care.by_type(services, [D1, D2], PK), PK),
        charts.trend_chart(care.good_or_better_trend(lowest, PK), PK),
        charts.residential_chart(care.residential_grades(lowest, D2, PK), D2, PK),
    ]
    for chart in made:
        fig = chart.fig
        renderer = FigureCanvasAgg(fig).get_renderer()
        ax = fig.axes[0]
        legend = ax.get_legend()
        assert legend is not None
        box, axes = legend.get_window_extent(renderer), ax.get_window_extent(renderer)
        assert box.x0 >= axes.x1 or box.y0 >= axes.y1 or box.y1 <= axes.y0, (box, axes)
