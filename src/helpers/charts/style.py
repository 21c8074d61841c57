"""The house style of every chart, once: the figure type, text, titles, legends and colours.

Every chart function returns a :class:`Chart`, a named tuple ``(fig, alt, table)``, shown in
one line by its ``show()`` method. House rules kept here: titles state the finding and are
computed from the data; the six grades use :data:`helpers.grades.PALETTE` (ordered, colour-blind
safe, no red-green); an unknown is grey (:data:`helpers.grades.UNKNOWN_COLOUR`) and hatched, and
labelled 'unknown', never drawn as zero or filled in. Figures are
:class:`matplotlib.figure.Figure` objects made without pyplot, so nothing is shown twice in a
notebook and nothing needs closing.
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable, Sequence
from typing import NamedTuple, ParamSpec

import matplotlib
import pandas as pd
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from helpers.grades import HIGHEST_FIRST, PALETTE, UNKNOWN, UNKNOWN_COLOUR
from helpers.words import pct

UNKNOWN_HATCH = "///"
TEXT = "#222222"
#: One area against Scotland: the area dark blue, Scotland a muted purple.
AREA_COLOUR = "#08306b"
SCOTLAND_COLOUR = "#9e9ac8"
#: An earlier date beside the latest (in the area's blue): a darker grey than an unknown's, so
#: that a known count is never drawn in the unknown's colour.
EARLIER_COLOUR = "#8c8c8c"


P = ParamSpec("P")


def literal_text(chart: Callable[P, Chart]) -> Callable[P, Chart]:
    """Mark a chart function: the text it puts in its figure is drawn as written.

    Names come from the data (themes, programmes, services): matplotlib would read the text
    between two '$' signs as mathematics, draw 'costs $10 to $20' in italics, and stop a report
    at a backslash it does not know. Text made while the chart is drawn keeps this setting
    when the figure is saved later.
    """

    @functools.wraps(chart)
    def drawn_as_written(*args: P.args, **kwargs: P.kwargs) -> Chart:
        with matplotlib.rc_context({"text.parse_math": False}):
            return chart(*args, **kwargs)

    drawn_as_written.literal_text = True
    return drawn_as_written


class Chart(NamedTuple):
    """A figure, its alt text (chart type, data, main point) and the table of its numbers."""

    fig: Figure
    alt: str
    table: pd.DataFrame | None = None

    def show(self) -> None:
        """Display the figure with its alt text, then the table (see helpers.display.show).

        Returns ``None`` so that, as the last line of a cell, the figure is not shown twice
        (a trailing ``;`` does not hide it under nbval, which runs cells outside history).
        """
        from helpers.display import show

        show(self.fig, self.alt, self.table)


#: Shares from low to high (ColorBrewer Blues, ordered and colour-blind safe; its darkest is
#: the excellent grade's): the front page's maps.
SHARE_BLUES = ("#eff3ff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")


def _luminance(colour: str) -> float:
    """WCAG relative luminance of a colour (any matplotlib colour: '#rrggbb', 'white')."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two colours (1 to 21; 4.5 or more for small text)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(fill: str) -> str:
    """The label colour for text on ``fill``, white or near-black: whichever contrasts more
    (for labels inside bars, cells and map tiles)."""
    return max((TEXT, "white"), key=lambda text: contrast(text, fill))


def despine(ax) -> None:
    """No box: the top and right spines off."""
    ax.spines[["top", "right"]].set_visible(False)


def style_axes(ax) -> None:
    """No box, and ticks in the text colour."""
    despine(ax)
    ax.tick_params(colors=TEXT, labelsize=9)


def percent_axis(axis) -> None:
    """Label an axis of shares (0 to 1) as percentages, in the words' own rounding."""
    axis.set_major_formatter(lambda value, _: pct(value))


def legend_outside(ax) -> None:
    """The legend to the right of the axes, outside them: it never sits on the data (a line
    runs anywhere inside the axes, through any corner matplotlib calls 'best')."""
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0,
              fontsize=8)  # fmt: skip


def axes_headline(ax, text: str) -> None:
    """The finding, as the title of one axes, left-aligned (charts of one panel and a legend)."""
    ax.set_title(text, fontsize=10, loc="left")


def headline(fig: Figure, text: str) -> None:
    """The finding, as the title, left-aligned above everything."""
    fig.suptitle(textwrap.fill(text, 70), x=0.01, ha="left", fontsize=12, fontweight="bold")


def grade_handles(grades: Sequence[str] = HIGHEST_FIRST, unknown: bool = False) -> list:
    handles = [Patch(facecolor=PALETTE[g], label=g) for g in grades]
    if unknown:
        handles.append(
            Patch(facecolor=UNKNOWN_COLOUR, hatch=UNKNOWN_HATCH, edgecolor="white", label=UNKNOWN)
        )
    return handles
