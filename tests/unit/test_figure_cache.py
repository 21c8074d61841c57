"""The build's figure cache: a figure drawn once per content, its drawing reused, never a stale or
damaged one (helpers.figure_cache).

Real figures, drawn by matplotlib: the key must change with anything drawn and with the
rcParams, and stay the same for the same figure made again; what comes out of the cache (or of
a miss) must be the files drawing gives: the PNG byte for byte as savefig draws it, the SVG the
same figure drawn once in the PNG's layout.
"""

from __future__ import annotations

import io
import os
import time
import xml.etree.ElementTree as ET

import matplotlib
import pytest
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from PIL import Image

from helpers import figure_cache
from helpers.figure_cache import drawn, figure_png, figure_svg, fingerprint


def bars(heights=(3, 1), colour="#08306b", title="Three of four were good", layout=None, **text):
    """A small bar chart, made afresh on each call (as each report makes its own)."""
    fig = Figure(figsize=(4, 2.5), layout=layout)
    ax = fig.subplots()
    ax.bar(["good", "weak"], heights, color=colour)
    ax.set_title(title, loc="left", **text)
    if layout is None:
        fig.tight_layout()
    return fig


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A figure cache in a folder of its own, as the build sets one for its kernels."""
    monkeypatch.setenv(figure_cache.CACHE_ENV, str(tmp_path / "figures"))
    return tmp_path / "figures"


def entries(folder):
    return sorted(folder.glob("*.fig")) if folder.exists() else []


def test_the_same_figure_made_again_has_the_same_key():
    assert fingerprint(bars())[0] == fingerprint(bars())[0]
    fig = bars()
    assert fingerprint(fig)[0] == fingerprint(fig)[0]  # laying it out again changes nothing


@pytest.mark.parametrize(
    "changed",
    [
        {"heights": (3, 2)},  # the data
        {"colour": "#9e9ac8"},  # a colour
        {"title": "Three of four were very good"},  # a word
        {"layout": "constrained"},  # the layout
        {"fontweight": "bold"},  # a font (another file)
        {"fontsize": 13},  # a size
    ],
)
def test_anything_drawn_differently_changes_the_key(changed):
    assert fingerprint(bars(**changed))[0] != fingerprint(bars())[0]


def test_a_change_only_the_rcparams_make_changes_the_key():
    """savefig's face colour is drawn from the rcParams at saving time, not from the figure."""
    before = fingerprint(bars())[0]
    with matplotlib.rc_context({"savefig.facecolor": "#fff8e7"}):
        assert fingerprint(bars())[0] != before


def test_hatches_are_in_the_key():
    plain, hatched = bars(), bars()
    hatched.axes[0].patches[0].set_hatch("///")
    assert fingerprint(plain)[0] != fingerprint(hatched)[0]


def drawn_without_cache(fig):
    """As FigureOutput drew a figure before the cache: the PNG, then the SVG, each by savefig."""
    return figure_png(fig), figure_svg(fig)


def expected_files(**made_with):
    """What the build must get for ``bars(**made_with)``, cached or not: the PNG byte for byte
    as before; the SVG drawn once, in the PNG's layout and box."""
    fig = bars(**made_with)
    return figure_png(bars(**made_with)), figure_cache.laid_out_files(fig, fingerprint(fig)[1])[1]


def svg_size(svg: str) -> tuple[float, float]:
    root = ET.fromstring(svg)
    return tuple(float(root.get(side).removesuffix("pt")) for side in ("width", "height"))


def tags(svg: str) -> list[str]:
    return [element.tag for element in ET.fromstring(svg).iter()]


@pytest.mark.parametrize("layout", [None, "constrained"])
def test_the_svg_is_the_same_figure_in_the_png_box(layout):
    """Drawn once in the PNG's layout: the same elements as savefig's own SVG (its text as the
    same glyph paths), in a box the size of the PNG's (pixels at 110 dpi, points at 72)."""
    png, svg = expected_files(layout=layout)
    assert tags(svg) == tags(figure_svg(bars(layout=layout)))
    width, height = Image.open(io.BytesIO(png)).size
    assert svg_size(svg) == pytest.approx((width / 110 * 72, height / 110 * 72), abs=72 / 110)


@pytest.mark.parametrize("layout", [None, "constrained"])
def test_a_miss_and_a_hit_give_the_same_files(cache, layout):
    expected = expected_files(layout=layout)
    assert drawn(bars(layout=layout), svg=True) == expected  # a miss: drawn, then kept
    assert len(entries(cache)) == 1
    assert drawn(bars(layout=layout), svg=True) == expected  # a hit
    assert drawn(bars(layout=layout), svg=False) == (expected[0], None)
    assert len(entries(cache)) == 1


def test_a_hit_is_read_from_the_cache_not_drawn(cache):
    drawn(bars(), svg=True)
    (entry,) = entries(cache)
    # An entry whole and checksummed but holding other bytes: what comes back proves the read.
    entry.write_bytes(figure_cache._encode(entry.stem, b"not a png", "<svg/>"))
    assert drawn(bars(), svg=True) == (b"not a png", "<svg/>")


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short (a full disk, a kill)
        lambda data: data[:-10] + bytes(10),  # bytes changed: the checksum fails
        lambda data: b"",  # empty
        lambda data: b"<html>" + data,  # not an entry at all
        lambda data: data.replace(b'"png": ', b'"png": 1'),  # a header that lies
    ],
)
def test_a_damaged_entry_is_drawn_again_and_replaced_never_used(cache, damage):
    expected = expected_files()
    assert drawn(bars(), svg=True) == expected
    (entry,) = entries(cache)
    entry.write_bytes(damage(entry.read_bytes()))
    assert figure_cache.read_entry(entry) is None
    assert drawn(bars(), svg=True) == expected
    assert figure_cache.read_entry(entry) == expected  # replaced by a whole one


def test_an_entry_swapped_for_another_figures_is_never_used(cache):
    """An entry copied or moved over another's (whole, its checksum good) holds the drawing of
    another figure: it is drawn again and replaced, not shown in its place."""
    expected = expected_files()
    assert drawn(bars(), svg=True) == expected
    assert drawn(bars(heights=(1, 3)), svg=True) != expected
    mine = cache / f"{fingerprint(bars())[0]}.fig"
    other = cache / f"{fingerprint(bars(heights=(1, 3)))[0]}.fig"
    mine.write_bytes(other.read_bytes())
    assert figure_cache.read_entry(mine) is None
    assert drawn(bars(), svg=True) == expected
    assert figure_cache.read_entry(mine) == expected  # replaced by its own drawing


def test_without_the_build_setting_a_cache_nothing_is_kept(tmp_path, monkeypatch):
    """A notebook in JupyterLab or under nbval: the PNG as ever, nothing written."""
    monkeypatch.delenv(figure_cache.CACHE_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    assert drawn(bars(), svg=False) == (figure_png(bars()), None)
    assert drawn(bars(), svg=True) == expected_files()
    assert list(tmp_path.rglob("*.fig")) == []


class Words:
    """Stands for the text artist a word came from: it answers what the backends ask of one,
    but it is no Text, so the key cannot read it."""

    def get_fontfeatures(self):
        return None

    def get_language(self):
        return None


class Labelled(Artist):
    """Draws a word, handing the renderer a :class:`Words` as the artist it came from."""

    def draw(self, renderer):
        gc = renderer.new_gc()
        renderer.draw_text(gc, 10, 10, "odd", FontProperties(), 0, mtext=Words())
        gc.restore()


def test_a_figure_the_key_cannot_read_is_drawn_uncached(cache):
    fig = bars()
    fig.add_artist(Labelled())
    with pytest.raises(figure_cache.FigureKeyError):
        fingerprint(fig)
    fig = bars()
    fig.add_artist(Labelled())
    expected = bars()
    expected.add_artist(Labelled())
    assert drawn(fig, svg=True) == drawn_without_cache(expected)
    assert entries(cache) == []


def test_a_cache_that_cannot_be_written_only_costs_a_redraw(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv(figure_cache.CACHE_ENV, str(blocker / "figures"))
    assert drawn(bars(), svg=True) == expected_files()


def test_prune_removes_the_entries_a_build_did_not_use(cache):
    drawn(bars(), svg=True)
    drawn(bars(heights=(2, 2)), svg=True)
    an_hour_ago = time.time() - 3600
    for entry in entries(cache):
        os.utime(entry, (an_hour_ago, an_hour_ago))
    started = figure_cache.now()
    drawn(bars(heights=(2, 2)), svg=True)  # a hit: marked as used by this build
    used = cache / f"{fingerprint(bars(heights=(2, 2)))[0]}.fig"
    assert figure_cache.prune(cache, used_since=started) == 1
    assert entries(cache) == [used]
    assert figure_cache.prune(cache / "missing", used_since=started) == 0
