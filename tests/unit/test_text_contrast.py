"""One rule for the colour of text on a fill (helpers.charts.style): WCAG contrast, used by the
charts' labels and the front page's tiles alike."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from care_tables import D1, D2, PK  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from helpers import charts  # noqa: E402
from helpers.build import front  # noqa: E402
from helpers.care import questions as care  # noqa: E402
from helpers.charts.style import SHARE_BLUES, TEXT, contrast, text_colour  # noqa: E402
from helpers.grades import HIGHEST_FIRST, PALETTE, UNKNOWN_COLOUR  # noqa: E402


def test_contrast_is_the_wcag_ratio():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("white", "#ffffff") == pytest.approx(1.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # WCAG's AA grey


@pytest.mark.parametrize("fill", [*PALETTE.values(), *SHARE_BLUES, UNKNOWN_COLOUR])
def test_text_colour_is_whichever_contrasts_more(fill):
    chosen = text_colour(fill)
    other = "white" if chosen == TEXT else TEXT
    assert chosen in (TEXT, "white")
    assert contrast(chosen, fill) >= contrast(other, fill)


def test_weak_grade_gets_dark_text_its_higher_contrast():
    assert text_colour(PALETTE["weak"]) == TEXT
    assert text_colour(PALETTE["excellent"]) == "white"


def test_grade_share_labels_and_map_tiles_use_the_one_rule(lowest):
    chart = charts.grade_shares_chart(care.grade_shares(lowest, [D1, D2], PK), PK)
    ax = chart.fig.axes[0]
    at = {(round(t.get_position()[0], 6), round(t.get_position()[1], 6)): t for t in ax.texts}
    checked = 0
    for grade, bars in zip(HIGHEST_FIRST, ax.containers, strict=True):
        for bar in bars:
            if bar.get_width() >= 0.06:  # wide enough to carry its share
                x, y = bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2
                label = at[(round(x, 6), round(y, 6))]
                assert to_hex(label.get_color()) == to_hex(text_colour(PALETTE[grade])), grade
                checked += 1
    assert checked >= 4
    page = front.tile_map(front.MapValues("t", "T", "of x", {"Fife": 0.99, "Moray": 0.5}), {})
    lightest, darkest = SHARE_BLUES[0], SHARE_BLUES[-1]
    assert text_colour(lightest) == TEXT and text_colour(darkest) == "white"
    assert f'fill="{TEXT}"' in page and 'fill="white"' in page  # Moray's light tile, Fife's dark
