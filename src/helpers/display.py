"""Show a figure in a notebook with its alt text and the numbers behind it.

A figure is displayed as an ``image/png`` output (embedded, so exported HTML is self-contained)
whose metadata carries its ``alt`` text, followed by the alt text as a visible caption (a small
``text/html`` output using only tags that survive HTML sanitizing). Not as one HTML ``<figure>``:
JupyterLab's File > Save and Export Notebook As > HTML sanitizes HTML outputs by default, which
turns ``<img>`` and ``<figure>`` into text. The reader HTML (``helpers.build.export``) puts the
metadata ``alt`` on the ``<img>``; stock exporters and JupyterLab's image renderer ignore it, so
the caption keeps the alt text in front of every reader. The plain-text form of the figure is
the alt text itself, so nbval compares the words and numbers a reader is told, not pixels.
In the reader HTML the caption names the chart instead (its title, and that its numbers are in
the table below; ``data-caption``): there the ``<img>`` carries the alt text, and a screen reader
must not read it twice. Tables are shown in readers' words (:func:`helpers.labels.readable`).

Figures to reuse: only when the report build runs the notebook (it sets :data:`FIGURE_FILES_ENV`
for its kernels), a figure's bundle also carries :data:`FIGURE_MIME`: the figure as SVG and its
table as CSV, from which the build writes files beside the report and links them under the
figure (:mod:`helpers.build.figures`). JupyterLab, stock exports and nbval never see it.
"""

from __future__ import annotations

import base64
import html
import os

import pandas as pd
from matplotlib.figure import Figure

from helpers.figure_cache import drawn

#: Set to "1" by the report build: figures then carry :data:`FIGURE_MIME` for their files.
FIGURE_FILES_ENV = "HELPERS_FIGURE_FILES"
#: A figure's SVG and its table as CSV, for the build to write as files.
FIGURE_MIME = "application/vnd.helpers.figure+json"


def table_csv(table: pd.DataFrame) -> str:
    """The numbers drawn, as CSV in readers' words: the index too unless it is just 0..n-1."""
    from helpers.labels import readable

    out = readable(table)
    plain = isinstance(table.index, pd.RangeIndex) and table.index.name is None
    return out.to_csv(index=not plain, lineterminator="\n")


def _close(fig: Figure) -> None:
    """Let pyplot forget ``fig`` if pyplot made it (and is loaded at all)."""
    import sys

    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(fig)


def caption(fig: Figure, has_table: bool) -> str:
    """What a figure shows, in a line: its title (the figure's, else its first panel's), and
    where its numbers are."""
    titles = [fig._suptitle.get_text()] if fig._suptitle is not None else []
    titles += [ax.get_title() for ax in fig.axes]
    title = next((" ".join(t.split()) for t in titles if t and t.strip()), "")
    where = "The numbers drawn are in the table below." if has_table else ""
    return " ".join(
        part for part in (f"Figure: {title.rstrip('.')}." if title else "", where) if part
    )


class FigureOutput:
    """A figure, its alt text and (optionally) its data table, displayable in Jupyter."""

    def __init__(self, fig: Figure, alt: str, table: pd.DataFrame | None = None):
        if not alt or not alt.strip():
            raise ValueError(
                "Every figure needs alt text: say the chart type, data and main point."
            )
        self.alt = " ".join(alt.split())
        self.table = table
        self.short_caption = caption(fig, table is not None)
        files = os.environ.get(FIGURE_FILES_ENV) == "1"
        self.png, svg = drawn(fig, svg=files)
        self.files = None
        if files:
            self.files = {
                "svg": svg,
                "csv": table_csv(table) if table is not None else None,
                "caption": self.short_caption,
            }
        # Figures are made without pyplot (importing it costs each kernel ~0.2 s), so there is
        # no pyplot state to close; a pyplot figure is closed all the same.
        _close(fig)

    def _repr_mimebundle_(self, include=None, exclude=None):
        encoded = base64.b64encode(self.png).decode("ascii")
        data = {"image/png": encoded, "text/plain": f"Figure: {self.alt}"}
        if self.files is not None:
            data[FIGURE_MIME] = self.files
        return data, {"image/png": {"alt": self.alt}}

    def caption(self) -> dict:
        """The alt text as a visible caption: a bundle for ``display(..., raw=True)``."""
        alt = html.escape(self.alt, quote=True)
        short = html.escape(self.short_caption, quote=True)
        return {
            "text/html": f'<div class="figure-caption" data-caption="{short}" '
            f'style="font-size:0.85em;color:#444">{alt}</div>',
            "text/plain": self.alt,
        }


def show(fig: Figure, alt: str, table: pd.DataFrame | None = None) -> None:
    """Display ``fig`` with ``alt`` text, then ``table`` (the numbers beside the chart).

    Parameters
    ----------
    fig
        A matplotlib figure; it is closed once rendered.
    alt
        Alt text: chart type, the data it shows and its main point.
    table
        The numbers the figure shows, displayed below it as a table.

    Returns
    -------
    None
        Nothing, so that ``show(...)`` as a cell's last line does not display the figure twice.
        Build a :class:`FigureOutput` directly to keep the rendered figure.
    """
    from IPython.display import display

    from helpers.labels import readable

    out = FigureOutput(fig, alt, table)
    display(out)
    display(out.caption(), raw=True)
    if table is not None:
        display(readable(table))


#: Columns whose values the data states as links (source pages): their names in lower case,
#: underscores as spaces, as fields and in readers' words (:func:`link_column`).
LINK_COLUMNS = frozenset({"source url", "corroborated by", "source", "also reported by"})


def link_column(name: object) -> bool:
    """Whether a column (or a row, in a table on its side) called ``name`` holds sources."""
    return " ".join(str(name).replace("_", " ").split()).lower() in LINK_COLUMNS


def web_address(value: object) -> bool:
    """Whether ``value`` is an http or https address with a host, and nothing a browser would
    drop or read otherwise (no spaces, no control characters): only such an address is a link.

    Examples
    --------
    >>> web_address("https://www.careinspectorate.com/a?b=1&c=2")
    True
    >>> web_address("javascript:alert(1)"), web_address("https:///x"), web_address("a b")
    (False, False, False)
    """
    from urllib.parse import urlsplit

    text = str(value)
    if not text or any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def link_html(value: object) -> str:
    """An address as an HTML link if it is a web address (:func:`web_address`), else as plain
    text; escaped either way, quotes included, so no value can leave the ``href``.

    Examples
    --------
    >>> link_html('https://a.example/"><b>')
    '<a href="https://a.example/&quot;&gt;&lt;b&gt;" target="_blank">https://a.example/&quot;&gt;&lt;b&gt;</a>'
    >>> link_html("javascript:alert(1)")
    'javascript:alert(1)'
    """
    text = html.escape(str(value), quote=True)
    return f'<a href="{text}" target="_blank">{text}</a>' if web_address(value) else text


class Linked:
    """A table shown with clickable links in HTML and as plain text elsewhere.

    Only the columns that hold sources (:data:`LINK_COLUMNS`) become links, and only their web
    addresses (:func:`link_html`); every other value, and every header, is escaped text.
    """

    def __init__(self, table: pd.DataFrame):
        self.table = table

    def _repr_mimebundle_(self, include=None, exclude=None):
        def text(value: object) -> str:
            return html.escape(str(value), quote=True)

        table = self.table.rename(columns=text)
        formatters = {
            text(name): link_html if link_column(name) else text for name in self.table.columns
        }
        return {
            "text/html": table.to_html(index=False, escape=False, formatters=formatters),
            "text/plain": self.table.to_string(index=False),
        }


class KeyPoints:
    """What matters in a report, first: a short list of sentences under 'Key points'.

    The reader export places it straight under the report's title, with the colophon and the
    contents after it, so that page 1 says what matters. Every sentence is escaped text.

    Examples
    --------
    >>> print(KeyPoints(["Moray's <b> share fell."])._repr_html_())
    <section class="reader-key-points" aria-label="Key points"><h2>Key points</h2><ul><li>Moray's &lt;b&gt; share fell.</li></ul></section>
    """  # noqa: E501

    def __init__(self, sentences: list[str]):
        self.sentences = [str(s) for s in sentences if str(s).strip()]

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{html.escape(s, quote=False)}</li>" for s in self.sentences)
        return (
            '<section class="reader-key-points" aria-label="Key points">'
            f"<h2>Key points</h2><ul>{items}</ul></section>"
        )

    def __repr__(self) -> str:
        return "Key points\n" + "\n".join(f"- {s}" for s in self.sentences)
