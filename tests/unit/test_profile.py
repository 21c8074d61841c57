"""helpers.profile: an area's profile assembled, for an area with a split and one without."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import matplotlib
import pandas as pd

matplotlib.use("Agg")

from matplotlib.colors import to_hex  # noqa: E402

from helpers import profile  # noqa: E402
from helpers.charts.style import UNKNOWN_HATCH  # noqa: E402
from helpers.grades import UNKNOWN_COLOUR  # noqa: E402
from helpers.joint.findings import area_findings  # noqa: E402


def test_summary_gives_the_release_sentence_per_programme():
    text = profile.summary("Perth and Kinross").data
    assert text.startswith("- **") and "#" not in text  # a list under the notebook's heading
    assert "Of nine quality indicators, two were graded excellent, six very good and one good." in (
        text
    )


def test_standing_text_without_a_split_says_it_cannot_be_placed():
    assert "cannot be placed" in profile.standing_text("Glasgow City", "cyp-2012")
    assert profile.standings("Glasgow City", "cyp-2012") == []


def test_standing_text_gives_rank_and_company_what_stands_out_first():
    """Perth and Kinross, 2012-2017: eight of nine very good or better, more than any other area
    (so 'the highest share, tied with none'); Moray had weak grades, so those lead."""
    text = profile.standing_text("Perth and Kinross", "cyp-2012")
    assert text.startswith(
        "Perth and Kinross had eight of nine indicators very good or better: the highest share "
        "of the 20 areas whose split is known, tied with none."
    )
    assert "larger share" not in text and "smaller share" not in text
    moray = profile.standing_text("Moray", "cyp-2012")
    assert moray.startswith("Moray had four of nine indicators weak or worse: the highest share")
    assert [what for _, what in profile.standings("Moray", "cyp-2012")][0] == "weak or worse"


def test_comparison_figure_unknown_split_is_said_and_tabled_as_unknown():
    chart = profile.comparison_figure("Glasgow City", "cyp-2012")
    assert "its split of grades is not known" in chart.alt
    assert (chart.table["Glasgow City"] == "unknown").all().all()
    # the place is named once, above 'indicators' and '%' (never 'Glasgow City | Glasgow City %')
    assert list(chart.table["Glasgow City"].columns) == ["indicators", "%"]
    # drawn as an unknown is in every chart: grey and hatched, never a colour of a grade
    ax = chart.fig.axes[0]
    unknown = [p for p in ax.patches if p.get_width() == 100 and p.get_hatch()]
    assert len(unknown) == 1 and unknown[0].get_hatch() == UNKNOWN_HATCH
    assert to_hex(unknown[0].get_facecolor()) == UNKNOWN_COLOUR.lower()


def test_indicator_table_shows_unknowns_with_the_grades_still_open():
    table = profile.indicator_table("Perth and Kinross")
    shown = set(table.loc["cyp-2012", "grade shown"])
    assert shown == {"excellent", "unknown: very good or good"}


def test_gaps_and_sources_for_an_area():
    gaps = profile.gaps("Perth and Kinross").data
    assert "no source names the grade of seven of its nine indicators" in gaps
    assert profile.sources("Perth and Kinross").data.startswith("- <https://")


def test_findings_grouped_by_kind():
    """Each finding of the 2017 inspection sits under its own kind's heading, in the order of
    KIND_HEADINGS; the section ends before the earlier programmes start."""
    text = profile.latest("Perth and Kinross").data
    table = area_findings("Perth and Kinross", "cyp-2012")
    headings = [f"*{profile.KIND_HEADINGS[k]}*" for k in profile.KIND_HEADINGS]
    shown = [h for h in headings if h in text]
    assert shown == [f"*{profile.KIND_HEADINGS[k]}*" for k in table["kind"].unique()]
    assert [text.index(h) for h in shown] == sorted(text.index(h) for h in shown)
    for r in table.itertuples():
        heading = text.index(f"*{profile.KIND_HEADINGS[r.kind]}*")
        after = [text.index(h) for h in shown if text.index(h) > heading]
        assert heading < text.index(profile.md(r.finding)) < min(after, default=len(text))


def test_care_tables_are_computed_once_and_again_when_a_file_changes(
    tmp_path, monkeypatch, care_data
):
    from helpers.care import tables

    # The tables derived from the datastore fixtures (conftest.py): the same files, smaller.
    folder = Path(shutil.copytree(care_data, tmp_path / "care"))
    monkeypatch.setattr(tables, "care_services_dir", lambda: folder)
    first = profile._care()
    assert profile._care() is first
    file = folder / "problems.csv"
    st = file.stat()
    file.write_bytes(file.read_bytes())  # the same bytes, size and mtime: a new change time
    os.utime(file, ns=(st.st_atime_ns, st.st_mtime_ns))
    again = profile._care()
    assert again is not first and again[0] is tables.shared()
    assert again[0] is not first[0]
    assert again[2] == first[2]  # the same comparison dates, from the same tables


def test_comparison_figure_legend_names_every_grade_either_bar_shows():
    """Perth and Kinross was graded excellent in 2009-2012 where no other area was: its
    excellent segment must be in the legend, in the scale's order, and no grade drawn by neither."""
    from helpers.grades import HIGHEST_FIRST, UNKNOWN

    legends = {}
    for area, programme in (("Perth and Kinross", "cp-2009"), ("Glasgow City", "cyp-2012")):
        chart = profile.comparison_figure(area, programme)
        counts = chart.table.xs("indicators", axis=1, level=1)
        numbers = counts.apply(lambda col: pd.to_numeric(col, errors="coerce"))
        shown = [g for g in HIGHEST_FIRST if (numbers.loc[g].fillna(0) > 0).any()]
        if numbers.isna().any().any():
            shown.append(UNKNOWN)
        legend = [t.get_text() for t in chart.fig.axes[0].get_legend().get_texts()]
        assert legend == shown, (area, programme)
        legends[area] = legend
    assert legends["Perth and Kinross"][0] == "excellent"
    assert legends["Glasgow City"][-1] == UNKNOWN


def test_gaps_say_each_unknown_once_and_no_known_fact():
    """Perth and Kinross's 2009-2012 publication date is missing: said once (its note says so
    too). A note that states facts (the 2017 report's date) is not an unknown."""
    lines = profile.gaps("Perth and Kinross").data.splitlines()
    assert sum("publication date" in line for line in lines) == 1
    assert len(lines) == len(set(lines))
    assert not any("NHS Tayside" in line for line in lines)
    moray = profile.gaps("Moray").data.splitlines()
    assert sum("publication date" in line.lower() for line in moray) == 1


def test_a_note_that_only_says_the_date_is_unknown_is_not_repeated():
    text = profile.latest("Moray").data
    assert "publication date not found" in text
    assert "Publication date unknown" not in text


def test_return_visits_are_told_once_under_progress_reviews():
    """Moray's two return visits are in the progress reviews and as findings of kind 'progress
    review' from the same pages: each is shown once, dated, under 'Progress reviews'."""
    from helpers.joint.findings import area_progress_reviews

    text = profile.earlier("Moray").data
    reviews = area_progress_reviews("Moray", "cyp-2012")
    returns = area_findings("Moray", "cyp-2012").query("kind == 'progress review'")
    assert len(reviews) == 2 and len(returns) == 2
    assert text.count("*Progress reviews*") == 1
    for r in reviews.itertuples():
        assert text.count(profile.md(r.summary)) == 1
    for r in returns.itertuples():
        assert profile.md(r.finding) not in text


def test_comparison_says_when_the_other_areas_total_holds_a_conflict(monkeypatch):
    """North Lanarkshire's source counts ten indicators: the other areas' total for Perth and
    Kinross says so; North Lanarkshire's own profile says it of its own count instead."""
    shown: list[str] = []
    monkeypatch.setattr(
        "IPython.display.display", lambda obj: shown.append(getattr(obj, "data", ""))
    )
    monkeypatch.setattr(profile.charts.Chart, "show", lambda self: None)
    profile.show_comparisons("Perth and Kinross")
    text = " ".join(s for s in shown if isinstance(s, str))
    assert "The other areas' total counts every indicator each source gives." in text
    assert "North Lanarkshire: the source counts 10 graded indicators" in text
    shown.clear()
    profile.show_comparisons("North Lanarkshire")
    text = " ".join(s for s in shown if isinstance(s, str))
    assert "The other areas' total" not in text
    assert "North Lanarkshire: the source counts 10 graded indicators" in text
