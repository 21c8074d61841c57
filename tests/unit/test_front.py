"""The front page's tile maps: every area once, unknowns drawn as unknown, legible labels."""

from __future__ import annotations

import re

from helpers.areas import COUNCIL_AREAS
from helpers.build import front, record


def test_tile_labels_pass_contrast_on_every_fill():
    from helpers.charts.style import SHARE_BLUES, contrast, text_colour

    for fill in (*SHARE_BLUES, front.UNKNOWN_FILL):
        assert contrast(text_colour(fill), fill) >= 4.5, fill


def test_bins_cover_the_data_in_whole_fives():
    edges = front.bins([0.82, 0.97, None])
    assert edges[0] <= 0.82 and edges[-1] >= 0.97 and len(edges) <= 6
    assert all(round(e * 100) % 5 == 0 for e in edges)
    assert front.colour_of(None, edges) is None
    assert front.colour_of(0.97, edges) == front.palette(len(edges) - 1)[-1]


def test_tile_colour_agrees_with_the_number_it_prints():
    """175 of 195 is 89.7%, printed '90%': its tile is in the class from 90%, as other 90% tiles
    are, never in the class below."""
    values = [175 / 195, 0.90, 0.846, 0.80, 0.99]
    edges = front.bins(values)
    assert front.colour_of(175 / 195, edges) == front.colour_of(0.90, edges)
    assert front.colour_of(0.846, edges) == front.colour_of(0.85, edges)
    for value in values:
        shown = float(front.pct(value).rstrip("%")) / 100
        k = front.palette(len(edges) - 1).index(front.colour_of(value, edges))
        assert edges[k] <= shown and (shown < edges[k + 1] or k == len(edges) - 2), value


def test_map_has_every_area_and_draws_unknown_as_not_known():
    values = front.MapValues(
        "t", "Title <x>", "of things", {a: None for a in COUNCIL_AREAS}, note="n & m"
    )
    values.values["Angus"] = 0.0
    values.values["Fife"] = 0.5
    values.details["Fife"] = "1 of 2"
    page = front.tile_map(values, {"Fife": "area-profile-fife.html"})
    assert page.count("<title>") == 32
    assert "<x>" not in page and "Title &lt;x&gt;" in page and "n &amp; m" in page
    assert '<a href="area-profile-fife.html" aria-label="Fife: 50% of things (1 of 2)">' in page
    assert "<title>Angus: 0% of things" in page
    assert "<title>Highland: not known</title>" in page
    assert len(re.findall(r'fill="url\(#hatch-t\)"', page)) == 30
    assert "<script" not in page


def test_index_opens_with_maps_linked_to_profiles(tmp_path):
    (tmp_path / "area-profile-fife.html").write_text("x")
    (tmp_path / "05-what-changed-fife.html").write_text("x")
    (tmp_path / "02.html").write_text("x")
    manifest = {
        "reports": {
            "area-profile-fife": {"title": "Fife", "area": "Fife",
                                  "source": "area-profile.ipynb",
                                  "html": "area-profile-fife.html"},
            "05-what-changed-fife": {"title": "Fife changed", "area": "Fife",
                                     "source": "05-what-changed.ipynb",
                                     "html": "05-what-changed-fife.html"},
            "02": {"title": "Scotland <b>", "area": None,
                   "source": "02-scotland-compared.ipynb", "html": "02.html"},
        }
    }  # fmt: skip
    page = record.write_index(tmp_path, manifest).read_text(encoding="utf-8")
    assert page.index('class="tile-map"') < page.index("Scotland-wide reports")
    assert page.index("Area profiles (1 council area)") < page.index("What changed (1 council")
    assert page.count('<a href="area-profile-fife.html" aria-label="Fife:') == 2
    assert "Scotland &lt;b&gt;" in page and "<b>" not in page
    assert "council areas have a known split" in page


def test_summary_counts_ties_and_unknowns():
    values = front.MapValues("joint", "T", "of things", {"A": 0.0, "B": 0.0, "C": 0.5, "D": None})
    values.note = "Joint inspections (2012-2017)"
    (sentence,) = front.summary((values,))
    assert sentence == (
        "3 of 4 council areas have a known split of grades from the joint inspections "
        "(2012-2017); the share of things runs from 0% in 2 areas to 50% in C; 1 is not known."
    )


def test_first_map_shows_the_programme_with_most_areas_graded():
    from helpers.joint import questions

    known = (questions.coverage() == "full split").sum()
    assert known.idxmax() == front.PROGRAMME
    joint, care = front.map_values()
    assert sum(v is not None for v in joint.values.values()) == known.max()
    assert set(joint.values) == set(care.values) == set(COUNCIL_AREAS)
