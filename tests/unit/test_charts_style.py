"""helpers.charts.style: the one chart type and the pieces every chart is drawn with."""

from __future__ import annotations

from matplotlib.figure import Figure

from helpers.charts import style
from helpers.grades import PALETTE


def test_text_is_white_on_dark_fills_and_dark_on_light_ones():
    assert style.text_colour(PALETTE["excellent"]) == "white"
    assert style.text_colour(PALETTE["good"]) == style.TEXT


def test_percent_axis_labels_shares_as_the_words_do():
    ax = Figure().add_subplot()
    style.percent_axis(ax.yaxis)
    assert ax.yaxis.get_major_formatter()(0.998, 0) == "99.8%"


def test_despine_leaves_only_the_left_and_bottom_spines():
    ax = Figure().add_subplot()
    style.despine(ax)
    assert [s for s, spine in ax.spines.items() if spine.get_visible()] == ["left", "bottom"]


def test_chart_show_displays_figure_alt_and_table(monkeypatch):
    shown = []
    monkeypatch.setattr("helpers.display.show", lambda *args: shown.append(args))
    chart = style.Chart(Figure(), "Bar chart.", None)
    assert chart.show() is None
    assert shown == [(chart.fig, "Bar chart.", None)]
