"""The chart functions, on small hand-made tables (never the committed data)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import same_color  # noqa: E402

from helpers.charts import joint as charts  # noqa: E402
from helpers.figure_cache import figure_png, figure_svg  # noqa: E402
from helpers.grades import (  # noqa: E402
    HIGHEST_FIRST,
    PALETTE,
    UNKNOWN_COLOUR,
    standing,  # noqa: E402
)
from helpers.narrative import standing_sentence  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def counts(**by_grade: int | None) -> pd.Series:
    """A grade_counts-like Series: excellent first, missing grades 0 (``None`` = unknown)."""
    values = [by_grade.get(g.replace(" ", "_"), 0) for g in HIGHEST_FIRST]
    return pd.Series(pd.array(values, dtype="Int64"), index=list(HIGHEST_FIRST))


def area_table(rows: dict[str, dict[str, int]]) -> pd.DataFrame:
    """Counts per area, like scotland_counts() (grades as columns, unordered rows)."""
    frame = pd.DataFrame.from_dict(rows, orient="index").fillna(0).astype(int)
    return frame.reindex(columns=list(HIGHEST_FIRST), fill_value=0)


def bars(ax) -> dict[str, matplotlib.patches.Rectangle]:
    """Bar patches by gid."""
    return {p.get_gid(): p for p in ax.patches if p.get_gid()}


def title(chart: charts.Chart) -> str:
    """The chart's title, on one line (long titles are wrapped for the figure)."""
    return " ".join(chart.fig.get_suptitle().split())


def texts(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes for t in ax.texts]


# --------------------------------------------------------------------------- grade_profile


def test_grade_profile_returns_chart_with_fig_alt_table():
    chart = charts.grade_profile(counts(excellent=1, good=2), "Somewhere")
    fig, alt, table = chart
    assert fig is chart.fig and alt == chart.alt and table is chart.table
    assert table["count"].tolist() == [1, 0, 2, 0, 0, 0]


def test_grade_profile_alt_mentions_the_counts_in_words():
    chart = charts.grade_profile(counts(excellent=2, very_good=6, good=1), "Perth and Kinross")
    assert "two were graded excellent, six very good and one good" in chart.alt
    assert "Eight of nine were very good or better" in chart.alt
    assert chart.alt.startswith("Horizontal bar chart")


def test_grade_profile_title_states_the_finding():
    chart = charts.grade_profile(counts(excellent=2, very_good=6, good=1), "Perth and Kinross")
    assert title(chart) == ("Perth and Kinross: eight of nine indicators very good or better")


def test_grade_profile_bar_widths_equal_counts_and_use_palette():
    chart = charts.grade_profile(counts(very_good=3, adequate=4, weak=2), "Somewhere")
    by_grade = bars(chart.fig.axes[0])
    assert {g: by_grade[g].get_width() for g in HIGHEST_FIRST} == {
        "excellent": 0, "very good": 3, "good": 0, "adequate": 4, "weak": 2, "unsatisfactory": 0,
    }  # fmt: skip
    for grade in HIGHEST_FIRST:
        assert same_color(by_grade[grade].get_facecolor(), PALETTE[grade])


def test_grade_profile_orders_excellent_at_the_top():
    chart = charts.grade_profile(counts(good=1), "Somewhere")
    labels = [t.get_text() for t in chart.fig.axes[0].get_yticklabels()]
    ys = [t.get_position()[1] for t in chart.fig.axes[0].get_yticklabels()]
    assert [label for _, label in sorted(zip(ys, labels, strict=True), reverse=True)] == list(
        HIGHEST_FIRST
    )


def test_grade_profile_unknown_counts_show_unknown_not_zeros():
    unknown = counts(**{g.replace(" ", "_"): None for g in HIGHEST_FIRST})
    chart = charts.grade_profile(unknown, "Nowhere")
    ax = chart.fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["unknown"]
    assert "0" not in texts(chart.fig)
    (bar,) = ax.patches
    assert same_color(bar.get_facecolor(), UNKNOWN_COLOUR) and bar.get_hatch()
    assert "not known" in title(chart) and "not known" in chart.alt
    assert set(chart.table["count"]) == {"unknown"}


def test_grade_profile_takes_area_from_grade_counts_name():
    c = counts(very_good=1)
    c.name = "Angus (cyp-2012)"
    assert title(charts.grade_profile(c)).startswith("Angus: ")


# --------------------------------------------------------------------------- stacked_distribution

AREAS = {
    "Alpha": {"excellent": 1, "very good": 5, "good": 3},  # 6/9 very good or better, 1 excellent
    "Bravo": {"very good": 6, "good": 3},  # 6/9, none excellent: after Alpha
    "Charlie": {"excellent": 2, "very good": 6, "good": 1},  # 8/9: first
    "Delta": {"very good": 6, "adequate": 3},  # ties Bravo on both shares: after it, by name
    "Echo": {"good": 5, "weak": 4},  # 0/9: last
}


def test_stacked_distribution_orders_by_share_very_good_then_excellent():
    chart = charts.stacked_distribution(area_table(AREAS), highlight=None)
    assert list(chart.table.index) == ["Charlie", "Alpha", "Bravo", "Delta", "Echo"]
    ax = chart.fig.axes[0]
    ticks = sorted(ax.get_yticklabels(), key=lambda t: -t.get_position()[1])
    assert [t.get_text() for t in ticks] == ["Charlie", "Alpha", "Bravo", "Delta", "Echo"]


def test_stacked_distribution_segment_widths_equal_shares():
    chart = charts.stacked_distribution(area_table(AREAS), highlight=None)
    segments = bars(chart.fig.axes[0])
    for area, row in AREAS.items():
        total = sum(row.values())
        left = 0.0
        for grade in HIGHEST_FIRST:
            bar = segments[f"{area}|{grade}"]
            assert bar.get_width() == pytest.approx(row.get(grade, 0) / total)
            assert bar.get_x() == pytest.approx(left)
            assert same_color(bar.get_facecolor(), PALETTE[grade])
            left += row.get(grade, 0) / total
        assert left == pytest.approx(1.0)


def test_stacked_distribution_labels_every_nonzero_count():
    chart = charts.stacked_distribution(area_table(AREAS), highlight=None)
    expected = sorted(str(n) for row in AREAS.values() for n in row.values() if n)
    assert sorted(texts(chart.fig)) == expected


def test_stacked_distribution_highlight_is_bold_outlined_and_placed_in_words():
    chart = charts.stacked_distribution(area_table(AREAS), highlight="Bravo")
    ax = chart.fig.axes[0]
    weights = {t.get_text(): t.get_fontweight() for t in ax.get_yticklabels()}
    assert weights["Bravo"] == "bold"
    assert all(w == "normal" for a, w in weights.items() if a != "Bravo")
    assert "highlight" in bars(ax)
    # Charlie had a larger share; Alpha and Delta share Bravo's: no rank, ties said.
    assert "one had a larger share, two the same share and one a smaller share" in chart.alt
    assert title(chart) == (
        "Bravo: one area had a larger share very good or better, two the same (of five areas)"
    )


def test_stacked_distribution_flags_conflicting_areas():
    chart = charts.stacked_distribution(
        area_table(AREAS), highlight="Charlie", flags={"Echo": "ten indicators in the source"}
    )
    labels = [t.get_text() for t in chart.fig.axes[0].get_yticklabels()]
    assert f"Echo {charts.FLAG_MARK}" in labels
    assert "Echo" in chart.alt and "conflict" in chart.alt


def test_stacked_distribution_table_has_shares_in_percent():
    chart = charts.stacked_distribution(area_table(AREAS), highlight="Charlie")
    assert chart.table.loc["Charlie", "very good or better (%)"] == 89
    assert chart.table.loc["Alpha", "excellent (%)"] == 11
    assert chart.table.loc["Echo", "total"] == 9


def test_stacked_distribution_unknown_split_is_refused():
    table = area_table(AREAS).astype("Int64")
    table.loc["Echo", "good"] = pd.NA
    with pytest.raises(ValueError, match="not known for \\['Echo'\\]"):
        charts.stacked_distribution(table, highlight=None)


# --------------------------------------------------------------------------- scotland_total


def test_scotland_total_adds_up_areas_and_says_so():
    chart = charts.scotland_total(area_table(AREAS), "test-programme")
    by_grade = bars(chart.fig.axes[0])
    assert by_grade["very good"].get_width() == 23
    assert by_grade["excellent"].get_width() == 3
    assert chart.table["count"].sum() == 45
    assert "26 of 45 were very good or better" in chart.alt
    assert "five council areas" in chart.alt
    assert title(chart).startswith("26 of 45 graded indicators in five areas")


# --------------------------------------------------------------------------- indicator_grid

CELLS = pd.DataFrame(
    {
        "council_area": ["Alpha", "Alpha", "Bravo", "Bravo"],
        "indicator": ["Leading", "Planning", "Leading", "Helping"],
        "grade": ["excellent", "weak", "good", "adequate"],
        "basis": ["stated", "ambiguous", "stated", "derived"],
    }
)
INDICATORS = ["Helping", "Planning", "Leading"]


def test_indicator_grid_unknown_cells_use_unknown_colour_and_say_unknown():
    chart = charts.indicator_grid(CELLS, INDICATORS, areas=["Alpha", "Bravo", "Charlie"])
    cells = bars(chart.fig.axes[0])
    for key in ["Alpha|Helping", "Bravo|Planning", "Charlie|Helping", "Charlie|Leading"]:
        assert same_color(cells[key].get_facecolor(), UNKNOWN_COLOUR), key
        assert cells[key].get_hatch()
    assert chart.table.loc["Charlie"].tolist() == ["unknown"] * 3
    assert texts(chart.fig).count("unknown") == 5


def test_indicator_grid_named_cells_use_palette_and_never_fill_in():
    chart = charts.indicator_grid(CELLS, INDICATORS)
    cells = bars(chart.fig.axes[0])
    assert same_color(cells["Alpha|Leading"].get_facecolor(), PALETTE["excellent"])
    assert same_color(cells["Bravo|Helping"].get_facecolor(), PALETTE["adequate"])
    assert sum(not same_color(c.get_facecolor(), UNKNOWN_COLOUR) for c in cells.values()) == 4


def test_indicator_grid_marks_ambiguous_and_derived_grades():
    chart = charts.indicator_grid(CELLS, INDICATORS)
    assert chart.table.loc["Alpha", "Planning"] == "weak*"
    assert chart.table.loc["Bravo", "Helping"] == "adequate†"
    assert chart.table.loc["Alpha", "Leading"] == "excellent"
    assert "one matched to the indicator by judgement (marked *)" in chart.alt
    assert "one derived by elimination" in chart.alt


def test_indicator_grid_keeps_column_and_row_order_and_counts_unknowns():
    chart = charts.indicator_grid(CELLS, INDICATORS, highlight="Bravo")
    assert list(chart.table.columns) == INDICATORS
    assert list(chart.table.index) == ["Alpha", "Bravo"]
    assert "Four of six cells have a known grade; the other two are grey" in chart.alt
    weights = {t.get_text(): t.get_fontweight() for t in chart.fig.axes[0].get_yticklabels()}
    assert weights == {"Alpha": "normal", "Bravo": "bold"}


# --------------------------------------------------------------------------- later rounds etc.


def test_later_rounds_draws_one_panel_per_programme_with_unknowns():
    indicators = pd.DataFrame(
        {"programme": ["p1", "p1", "p2"], "position": [2, 1, 1], "indicator": ["B", "A", "A"]}
    )
    inspected = pd.DataFrame({"programme": ["p1", "p2", "p2"], "council_area": ["X", "Y", "Z"]})
    cells = pd.DataFrame(
        {
            "programme": ["p1", "p2", "p2"],
            "council_area": ["X", "Y", "Z"],
            "indicator": ["A", "A", "A"],
            "grade": ["weak", "very good", "good"],
            "basis": ["stated"] * 3,
        }
    )
    chart = charts.later_rounds(cells, indicators, inspected, labels={"p1": "First"})
    assert [ax.get_title(loc="left") for ax in chart.fig.axes] == ["First", "p2"]
    assert chart.table.loc[("p1", "X", "B"), "shown"] == "unknown"
    assert chart.table.loc[("p2", "Z", "A"), "shown"] == "good"
    assert same_color(bars(chart.fig.axes[0])["X|B"].get_facecolor(), UNKNOWN_COLOUR)
    # Programmes are not pooled: no claim spans the two frameworks' 'A'.
    assert (
        title(chart) == "Later rounds: three inspections in two programmes, each shown on its own"
    )
    assert "weak to very good" not in chart.alt
    assert "one area by two indicators, one of two grades named" in chart.alt


def test_compare_profiles_keeps_panels_apart_and_says_not_comparable():
    chart = charts.compare_profiles(
        {"old": counts(excellent=3, very_good=3), "new": counts(excellent=2, good=7)}, "Here"
    )
    assert len(chart.fig.axes) == 2
    assert "old: of six indicators, three were graded excellent and three very good" in chart.alt
    assert "not directly comparable" in chart.alt
    assert title(chart).startswith("Here: all six very good or better in old")
    assert chart.table[("new", "count")].tolist() == [2, 0, 7, 0, 0, 0]


def test_standing_compares_shares_exactly_so_ties_are_ties():
    table = area_table(
        {"A": {"very good": 7, "good": 2}, "B": {"very good": 14, "good": 4}, "C": {"good": 9}}
    )
    s = standing(table, "A")
    assert (s.larger, s.same, s.smaller) == (0, 1, 1)
    assert "none had a larger share, one the same share and one a smaller share" in (
        standing_sentence(s)
    )


def test_chart_show_hands_fig_alt_table_to_display_and_returns_none(monkeypatch):
    import helpers.display

    shown = []
    monkeypatch.setattr(helpers.display, "show", lambda *args: shown.append(args))
    chart = charts.grade_profile(counts(good=2), "Somewhere")
    assert chart.show() is None
    assert shown == [(chart.fig, chart.alt, chart.table)]


def test_compare_profiles_panels_share_one_count_scale():
    chart = charts.compare_profiles(
        {"old": pd.Series({"excellent": 3, "very good": 3}), "new": pd.Series({"good": 9})}, "X"
    )
    limits = {ax.get_xlim() for ax in chart.fig.axes}
    assert len(limits) == 1  # three of six is drawn against the same scale as nine of nine


def test_indicator_grid_title_counts_derived_grades_apart_from_named():
    chart = charts.indicator_grid(CELLS, INDICATORS)
    assert title(chart) == (
        "Sources name two of six indicator grades for these two areas and one more follows "
        "from the counts by elimination (one more wording fits a grade only by judgement and is "
        "not counted); the other three are unknown"
    )


def test_every_chart_draws_its_text_as_written():
    """Names come from the data: no chart may read '$...$' in them as mathematics."""
    from helpers.charts import care as care_charts
    from helpers.charts import joint as joint_charts

    charts = [
        f
        for module in (joint_charts, care_charts)
        for name, f in vars(module).items()
        if callable(f) and getattr(f, "__module__", "") == module.__name__
        and not name.startswith("_") and not isinstance(f, type)
    ]  # fmt: skip
    assert len(charts) >= 12
    assert [f.__name__ for f in charts if not getattr(f, "literal_text", False)] == []


def test_a_theme_named_with_dollars_and_a_backslash_is_drawn_as_written(shown):
    """A theme called '$\\alert{8}$ costs $10 to $20' stopped report 06 (matplotlib read it as
    maths, and knows no \\alert); it is drawn, and saved, letter for letter."""
    name = r"$\alert{8}$ costs $10 to $20"
    counts = pd.DataFrame(
        {"programme": ["cyp-2012"] * 2, "theme": ["a", "b"], "theme_name": [name, "Plain"],
         "strength": [3, 1], "to_improve": [0, 2]}
    )  # fmt: skip
    fig, alt, _ = shown(charts.theme_bars(counts, {"cyp-2012": 4}))
    texts = [t for ax in fig.axes for t in ax.get_yticklabels()]
    labels = [t for t in texts if " ".join(t.get_text().split()) == name]
    assert labels and not labels[0].get_parse_math()
    assert figure_png(fig).startswith(b"\x89PNG")  # saved: the report no longer stops here
    assert figure_svg(fig).lstrip().startswith("<?xml")
