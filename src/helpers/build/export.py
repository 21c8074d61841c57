"""Export an executed notebook to a self-contained reader's HTML page (no code).

The HTML is nbconvert's 'lab' template without code (a reader's
version) and without the scripts it would fetch from a CDN (require.js, MathJax, Mermaid): the
reports must open offline and print offline, and nothing in them needs those scripts. Figures are
already embedded as ``data:`` URIs by :func:`helpers.display.show`. The reader CSS sets printed
sentences (stdout) in the body font, wrapped between words; tables show numbers right-aligned
and text left, without pandas' meaningless 0..n-1 index (:func:`tidy_tables`), and in print they
split between rows (never inside one) while figures stay whole.

What a reader can trust: every table fits the printed page (headers and over-long words wrap,
numbers never split, wide tables are set smaller), bare addresses in tables read as the site's
name (:func:`site_name`) and a source repeated on every row is said once under the table; the
first heading is followed by the build date, the data's version (:func:`data_version`) and the
licences; nothing in a cell's output can run, load anything or hide the page (:func:`sanitize`,
an allowlist); on a phone, figures keep their own size and scroll sideways, so their text stays
legible.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import importlib.metadata
import re
from datetime import UTC, datetime
from pathlib import Path

import nbformat

from helpers import cache, paths
from helpers.build.sanitize import sanitize, visible_controls
from helpers.sites import site_name

#: Reader styles, for screen and print. They are placed after nbconvert's own stylesheet (which
#: the template's ``extra_css`` block is not), so they win at equal specificity.
READER_CSS = """
img { max-width: 100%; height: auto; }
/* A figure's caption (its inline style is dropped with every style in a cell's output). */
.figure-caption { font-size: 0.85em; color: #444; }
/* A word too long for its line (an address, a 20,000-letter token in a finding) breaks there
   rather than running off the page. In prose 'anywhere': 'break-word' would leave the word's
   whole length as the output's min-content width, and the output (a flex item) grows to it, so
   every line is clipped. Not in tables: there it would let headers break inside words (cells
   with a long word are marked reader-break, below). */
.jp-RenderedHTMLCommon, .jp-OutputArea-output { overflow-wrap: break-word; }
.jp-RenderedHTMLCommon :is(p, li, dd, dt, blockquote, h1, h2, h3, h4, h5, h6) {
  overflow-wrap: anywhere;
}
/* Row headers of a table with a multi-level index sit at the top of their rows (pandas' own
   style element, which said so, is dropped with every style in a cell's output). */
.jp-RenderedHTMLCommon tbody th { vertical-align: top; }
/* A date (2016-03-31) never splits at its hyphens; as specific as the cell rules below. */
.jp-Notebook .jp-RenderedHTMLCommon td.reader-date,
.jp-Notebook .jp-RenderedHTMLCommon th.reader-date { white-space: nowrap !important; }
figure, .jp-OutputArea-output img { page-break-inside: avoid; break-inside: avoid; }
/* Printed lines are sentences: wrap them between words (nbconvert breaks words anywhere:
   'sh ows') and set them in the body font, not as monospace code. */
.jp-OutputArea-output pre {
  white-space: pre-wrap; word-break: normal; overflow-wrap: anywhere;
}
.jp-OutputArea-output.reader-stdout, .jp-OutputArea-output.reader-stdout pre {
  font-family: var(--jp-content-font-family); font-size: var(--jp-content-font-size1);
  line-height: var(--jp-content-line-height);
}
/* Tables: text left, numbers right (cells marked "num" by tidy_tables). Three classes outrank
   the global styles pandas puts beside each table ('.dataframe thead tr:last-of-type th'). */
.jp-RenderedHTMLCommon table { table-layout: auto; max-width: 100%; }
.jp-Notebook .jp-RenderedHTMLCommon.jp-RenderedHTML td,
.jp-Notebook .jp-RenderedHTMLCommon.jp-RenderedHTML th,
.jp-Notebook .jp-RenderedHTMLCommon.jp-RenderedMarkdown td,
.jp-Notebook .jp-RenderedHTMLCommon.jp-RenderedMarkdown th {
  text-align: left; white-space: normal; overflow-wrap: break-word; word-break: normal;
}
.jp-Notebook .jp-RenderedHTMLCommon.jp-RenderedHTML td.num,
.jp-Notebook .jp-RenderedHTMLCommon.jp-RenderedHTML th.num,
.jp-Notebook .jp-RenderedHTMLCommon.jp-RenderedMarkdown td.num,
.jp-Notebook .jp-RenderedHTMLCommon.jp-RenderedMarkdown th.num {
  text-align: right; font-variant-numeric: tabular-nums;
}
/* Wide tables scroll sideways on a screen rather than being cut off; in print they fit the
   page (below). Empty header cells pandas leaves are made plain cells (tidy_tables). */
.jp-OutputArea-output.jp-RenderedHTML { overflow-x: auto; }
.reader-table-source { font-size: 0.9em; margin-top: 0.3em; }
/* A landscape page, for a table too wide for a portrait one (tidy_table). */
@page landscape { size: A4 landscape; }
caption.reader-caption { caption-side: top; text-align: left; font-weight: bold; }
/* Links in text and tables are underlined, not told apart by colour alone. */
.jp-RenderedHTMLCommon a:not(.anchor-link) { text-decoration: underline; }
.reader-colophon { font-size: 0.85em; color: #444; border-top: 1px solid #ccc;
  border-bottom: 1px solid #ccc; padding: 0.3em 0; margin: 0.5em 0 1em; }
.reader-colophon p { margin: 0.15em 0; }
/* What matters, first: the key points under the title, boxed. */
.reader-key-points { border: 1px solid #9bb7d4; background: #f3f7fb; padding: 0.2em 1em 0.4em;
  margin: 0.6em 0 0.8em; break-inside: avoid; page-break-inside: avoid; }
.reader-key-points h2 { font-size: 1.15em; margin: 0.4em 0 0.2em; }
.reader-key-points ul { margin: 0.2em 0; padding-left: 1.2em; }
.reader-key-points li { margin: 0.25em 0; }
/* The contents are compact: two columns on a wide page, none on a phone. */
@media (min-width: 700px) { .reader-toc > ul { columns: 2; column-gap: 2em; } }
@media print {
  .reader-toc > ul { columns: 2; column-gap: 2em; }
  .reader-toc li { break-inside: avoid; }
}
/* Charts on a phone: a figure is shown at its own size (one image pixel a CSS pixel; drawn at
   110 dpi, so 6 pt text is 9 px) and scrolls sideways inside its output instead of shrinking
   to the screen, where its text would be 4 to 5 px tall. */
@media screen and (max-width: 700px) {
  .jp-OutputArea-output { overflow-x: auto; }
  .jp-OutputArea-output img { max-width: none !important; width: auto; height: auto; }
  .jp-OutputArea-prompt, .jp-InputPrompt, .jp-OutputPrompt { display: none; }
}
.reader-figure-files { font-family: var(--jp-content-font-family); font-size: 13px;
  margin: 0.3em 0 0.5em; text-align: left; }
.reader-figure-files a { text-decoration: underline; color: #0b4f9c; }
@media print {
  body { margin: 0; }
  /* The figure's files lie beside the HTML page, not the PDF. */
  .reader-figure-files { display: none; }
  .jp-OutputArea-output, .jp-RenderedHTMLCommon { overflow: visible !important; }
  /* Every table fits the page width: headers wrap, text wraps where it must (long words and
     addresses break anywhere), numbers never split; wide tables set smaller. */
  .jp-OutputArea-prompt, .jp-InputPrompt, .jp-OutputPrompt { display: none !important; }
  .jp-OutputArea-child, .jp-Cell-outputWrapper { display: block !important; }
  .jp-RenderedHTMLCommon table {
    font-size: 8pt; width: 100% !important; max-width: 100% !important; table-layout: auto;
  }
  .jp-RenderedHTMLCommon table.reader-wide { font-size: 6.5pt; }
  .jp-Notebook .jp-RenderedHTMLCommon.jp-RenderedHTML td,
  .jp-Notebook .jp-RenderedHTMLCommon.jp-RenderedHTML th,
  .jp-Notebook .jp-RenderedHTMLCommon.jp-RenderedMarkdown td,
  .jp-Notebook .jp-RenderedHTMLCommon.jp-RenderedMarkdown th {
    padding: 2px 3px; overflow-wrap: break-word; hyphens: manual; max-width: none;
  }
  /* Cells, headers included, wrap only between words (and addresses at their '/' and '.',
     where tidy_table puts <wbr>); only a word longer than any column could be (reader-break)
     breaks anywhere. A table too wide for a portrait page gets a landscape one. */
  .jp-Notebook .jp-RenderedHTMLCommon.jp-RenderedHTML thead th,
  .jp-Notebook .jp-RenderedHTMLCommon.jp-RenderedHTML thead td,
  .jp-Notebook .jp-RenderedHTMLCommon.jp-RenderedMarkdown thead th {
    overflow-wrap: normal; word-break: normal; hyphens: manual;
  }
  .jp-Notebook .jp-RenderedHTMLCommon.jp-RenderedHTML .reader-break,
  .jp-Notebook .jp-RenderedHTMLCommon.jp-RenderedMarkdown .reader-break {
    overflow-wrap: anywhere;
  }
  .reader-landscape { page: landscape; }
  .jp-Notebook .jp-RenderedHTMLCommon.jp-RenderedHTML td.num,
  .jp-Notebook .jp-RenderedHTMLCommon.jp-RenderedMarkdown td.num {
    overflow-wrap: normal; white-space: nowrap;
  }
  /* nbconvert keeps each output (and cell) whole ('break-inside: avoid-page'), which pushes a
     long table to the next page and leaves half a page blank: let outputs and tables split
     between rows (the header row repeats); keep rows, figures and images whole. */
  .jp-Cell, .jp-Cell-outputWrapper, .jp-OutputArea, .jp-OutputArea-child,
  .jp-OutputArea-output, .jp-RenderedHTMLCommon table, .jp-RenderedHTMLCommon tbody {
    page-break-inside: auto; break-inside: auto;
  }
  tr, figure, .jp-OutputArea-output img { page-break-inside: avoid; break-inside: avoid; }
  thead { display: table-header-group; }
  h1, h2, h3, h4 { page-break-after: avoid; break-after: avoid; }
  /* A heading or a caption keeps the next 6em with it: Chromium ignores 'break-after: avoid'
     where the heading ends a cell and its table is in the next one, but it moves a box it may
     not break to the next page, and this box reaches 6em below the heading (the negative
     margin gives the space back to the page's flow). */
  /* A paragraph that is one emphasised label ('Strengths', 'To improve') heads a list too. */
  .jp-RenderedHTMLCommon :is(h2, h3, h4), .reader-caption,
  .jp-RenderedHTMLCommon p:has(> em:only-child) {
    break-inside: avoid; page-break-inside: avoid;
  }
  .jp-RenderedHTMLCommon :is(h2, h3, h4)::after, .reader-caption::after,
  .jp-RenderedHTMLCommon p:has(> em:only-child)::after {
    content: ""; display: block; height: 6em; margin-bottom: -6em;
  }
  /* A figure and its caption stay together (tidy_figures wraps them). */
  .reader-keep { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; }
}
"""

#: The 'lab' template, less every script fetched from the network, plus the reader CSS (after
#: nbconvert's stylesheet: ``notebook_css`` comes after ``extra_css`` in the page); printed
#: output (stdout) is marked ``reader-stdout`` so the CSS can set it as prose.
_TEMPLATE = (
    "{%- extends 'lab/index.html.j2' -%}\n"
    "{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}\n"
    "{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}\n"
    "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
    "{% block stream_stdout -%}"
    '<div class="jp-RenderedText jp-OutputArea-output reader-stdout" data-mime-type="text/plain">'
    "<pre>{{- output.text | ansi2html -}}</pre></div>"
    "{%- endblock stream_stdout %}\n"
    # A figure's alt text travels in its output metadata (helpers.display): put it on the <img>.
    "{% block data_png scoped %}{%- set alt = output | get_metadata('alt', 'image/png') -%}"
    "{%- if alt %}{{ super() | replace('<img ', '<img alt=\"' ~ (alt | escape_html) ~ '\" ', 1) }}"
    "{%- else %}{{ super() }}{%- endif %}"
    # Links to the figure's files (helpers.build.export.extract_figures), under it.
    "{%- set files = output | get_metadata('figure_files', 'image/png') -%}"
    '{%- if files %}<p class="reader-figure-files">{{ files.label | escape_html }}: '
    "{%- for link in files.links %}{{ ' \u00b7 ' if not loop.first else ' ' }}"
    '<a href="{{ link.href | escape_html }}">{{ link.text | escape_html }}</a>'
    "{%- endfor %}</p>{%- endif %}{% endblock data_png %}\n"
    "{% block notebook_css %}{{ super() }}"
    '<style type="text/css">' + READER_CSS + "</style>{% endblock notebook_css %}\n"
)

#: A cell that reads as a number: '12', '-3', '1,234', '4.5', '67%'.
_NUMBER = re.compile(r"^[-+\u2212]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?%?$")
#: Cells that do not stop a column from being numeric (missing values).
_BLANKS = frozenset({"", "unknown", "nan", "<na>", "none", "-", "\u2013", "\u2014"})
_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL | re.IGNORECASE)


def _is_number(text: str) -> bool:
    return bool(text) and any(c.isdigit() for c in text) and bool(_NUMBER.match(text))


def _drop_range_index(table) -> None:
    """Remove a pandas table's unnamed 0..n-1 index column: it means nothing to a reader."""
    head_rows = table.thead.find_all("tr") if table.thead else []
    body_rows = table.tbody.find_all("tr") if table.tbody else []
    if not head_rows or not body_rows:
        return
    firsts = [row.find(["th", "td"]) for row in body_rows]
    if any(c is None or c.name != "th" or c.get("rowspan") for c in firsts):
        return
    if [c.get_text(strip=True) for c in firsts] != [str(i) for i in range(len(firsts))]:
        return
    heads = [row.find(["th", "td"]) for row in head_rows]
    if any(h is None or h.get_text(strip=True) or int(h.get("colspan", 1)) != 1 for h in heads):
        return  # a named index, or a header this does not understand: leave it
    for cell in firsts + heads:
        cell.decompose()


def _mark_numbers(table) -> None:
    """Add class ``num`` to numeric cells, and to whole columns that are numeric."""
    rows = table.find_all("tr")
    spans = table.find_all(attrs={"colspan": True}) + table.find_all(attrs={"rowspan": True})
    if spans:  # positions are ambiguous: mark cells one by one
        for cell in table.find_all("td"):
            if _is_number(cell.get_text(strip=True)):
                cell["class"] = [*cell.get("class", []), "num"]
        return
    grid = [row.find_all(["td", "th"]) for row in rows]
    body = [
        cells for row, cells in zip(rows, grid, strict=True) if row.find_parent("thead") is None
    ]
    width = max((len(cells) for cells in grid), default=0)
    for j in range(width):
        column = [cells[j] for cells in body if j < len(cells) and cells[j].name == "td"]
        texts = [c.get_text(strip=True) for c in column]
        known = [t for t in texts if t.lower() not in _BLANKS]
        if known and all(_is_number(t) for t in known):
            for cells in grid:
                if j < len(cells):
                    cells[j]["class"] = [*cells[j].get("class", []), "num"]
        else:
            for cell, text in zip(column, texts, strict=True):
                if _is_number(text):
                    cell["class"] = [*cell.get("class", []), "num"]


#: Tables with more columns than this are set smaller in print.
WIDE_TABLE = 7


def _index_names_into_header(table) -> None:
    """pandas puts the row labels' names ('grade', 'snapshot', 'place') in a header row of
    their own under the column headers, the rest of that row empty: a reader sees a stray row.
    Their names go into the empty corner cells of the header row above, and that row goes."""
    head = table.find("thead")
    rows = head.find_all("tr", recursive=False) if head is not None else []
    if len(rows) < 2:
        return
    names, above = rows[-1].find_all(["th", "td"]), rows[-2].find_all(["th", "td"])
    filled = [bool(c.get_text(strip=True)) for c in names]
    k = filled.index(False) if False in filled else len(filled)
    if k == 0 or any(filled[k:]) or len(above) < k:
        return
    if any(c.get_text(strip=True) or c.get("colspan") not in (None, "1") for c in above[:k]):
        return
    for name, corner in zip(names[:k], above[:k], strict=True):
        corner.name = "th"
        corner.clear()
        corner.append(name.get_text(" ", strip=True))
    rows[-1].decompose()


def _empty_headers_to_cells(table) -> None:
    """A header cell with no text (pandas' top-left corner) becomes a plain cell: a screen
    reader announces an empty header as a header of nothing."""
    for th in table.find_all("th"):
        if not th.get_text(strip=True):
            th.name = "td"


def _link_columns(table) -> set[int]:
    """The positions of the columns whose header says they hold sources
    (:func:`helpers.display.link_column`); none in a table with merged cells."""
    from helpers.display import link_column

    if table.find(attrs={"colspan": True}) or table.find(attrs={"rowspan": True}):
        return set()
    head = table.thead.find("tr") if table.thead else None
    heads = head.find_all(["th", "td"]) if head is not None else []
    return {j for j, cell in enumerate(heads) if link_column(cell.get_text(" "))}


def _readable_links(table, soup) -> None:
    """Bare web addresses in a source column (:func:`_link_columns`) or row become links whose
    text is the site's name (the address stays the link's target and its title). An address
    anywhere else stays text: a link is made only where the data states one."""
    from helpers.display import link_column, web_address

    columns = _link_columns(table)
    for row in table.tbody.find_all("tr") if table.tbody else []:
        cells = row.find_all(["td", "th"])
        # A table turned on its side: the row's header says it holds sources.
        sources = cells and cells[0].name == "th" and link_column(cells[0].get_text(" "))
        for j, cell in enumerate(cells):
            links = cell.find_all("a")
            text = cell.get_text(strip=True)
            stated = j in columns or sources
            if not links and stated and cell.name == "td" and web_address(text):
                cell.clear()
                link = soup.new_tag("a", href=text)
                cell.append(link)
                links = [link]
            for link in links:
                href = link.get("href", "")
                if web_address(href) and link.get_text(strip=True) in (
                    href,
                    href.rstrip("/"),
                    "",
                ):
                    link.string = site_name(href)
                    link["title"] = href
                    link.attrs.pop("target", None)


def _one_source_once(table, soup) -> None:
    """A column giving the same one link on every row is dropped, and said once under the
    table ('Source, for every row: ...')."""
    if table.find(attrs={"colspan": True}) or table.find(attrs={"rowspan": True}):
        return
    head_rows = table.thead.find_all("tr") if table.thead else []
    body_rows = table.tbody.find_all("tr") if table.tbody else []
    if len(body_rows) < 2 or len(head_rows) != 1:
        return
    grid = [row.find_all(["td", "th"]) for row in body_rows]
    heads = head_rows[0].find_all(["td", "th"])
    width = len(heads)
    if width < 2 or any(len(cells) != width for cells in grid):
        return
    for j in reversed(range(width)):
        column = [cells[j] for cells in grid]
        hrefs = set()
        for cell in column:
            links = cell.find_all("a")
            if len(links) != 1 or cell.get_text(strip=True) != links[0].get_text(strip=True):
                break
            hrefs.add(links[0].get("href"))
        else:
            if len(hrefs) != 1:
                continue
            note = soup.new_tag("p", attrs={"class": "reader-table-source"})
            label = heads[j].get_text(" ", strip=True) or "Source"
            label = re.sub(r"[ _]?url$", "", label, flags=re.IGNORECASE) or "Source"
            note.append(f"{label.replace('_', ' ').capitalize()}, the same for every row: ")
            note.append(column[0].find("a"))
            table.insert_after(note)
            heads[j].decompose()
            for cell in column:
                cell.decompose()
            return


#: A word this long fits no column of a printed table: it may break anywhere there. (Shorter
#: words, 'Clackmannanshire' or a site's host name, never break inside a letter run.)
LONG_WORD = 30
#: Where an address may break: after a '/', before a '.', after a '_' of a path's words
#: (inspectors_praise_...), never at either end of the word.
_ADDRESS_BREAK = re.compile(r"(?<=[^/\s]/)(?=[^/\s])|(?<=\w)(?=\.\w)|(?<=[^\W_]_)(?=[^\W_])")
#: A word that reads as an address or a host name ('careinspectorate.com', 'https://a.b/c').
_ADDRESS = re.compile(r"^(https?://)?[\w-]+(\.[\w-]+)+(/\S*)?$")


def _address_breaks(table, soup) -> None:
    """Let a web address or host name in a table wrap only at its '/' and '.' boundaries:
    a ``<wbr>`` after each '/' and before each '.' (never in numbers, never in a site's name)."""
    for cell in table.find_all(["td", "th"]):
        if "num" not in cell.get("class", []):
            break_addresses(cell, soup)


def break_addresses(element, soup) -> None:
    """A ``<wbr>`` after each '/' and '_' and before each '.' of every address in ``element``'s
    text."""
    for text in list(element.find_all(string=True)):
        words = text.split(" ")
        if not any(len(w) >= 12 and _ADDRESS.match(w) for w in words):
            continue
        pieces = []
        for k, word in enumerate(words):
            parts = _ADDRESS_BREAK.split(word) if _ADDRESS.match(word) else [word]
            for j, part in enumerate(parts):
                if j:
                    pieces.append(soup.new_tag("wbr"))
                pieces.append(part)
            if k < len(words) - 1:
                pieces.append(" ")
        text.replace_with(*pieces)


def _longest_piece(cell) -> int:
    """The longest run of letters in ``cell`` that may not break (a number never breaks)."""
    whole = cell.get_text(strip=True)
    if cell.name == "td" and ("num" in cell.get("class", []) or _DATE.match(whole)):
        return len(whole)  # set on one line (a header of numbers wraps between its words)
    text = " ".join(cell.get_text(" ").split())
    words = [part for word in text.split() for part in _ADDRESS_BREAK.split(word)]
    return max((len(w) for w in words if len(w) < LONG_WORD), default=0)


def _mark_long_words(table) -> None:
    """Add class ``reader-break`` to text cells with a word of :data:`LONG_WORD` characters or
    more (an address's pieces between its '/' and '.' counted apart): in print such a cell may
    break inside the word, so the table fits the page."""
    for cell in table.find_all(["td", "th"]):
        if "num" in cell.get("class", []):
            continue
        words = [p for w in cell.get_text(" ").split() for p in _ADDRESS_BREAK.split(w)]
        if any(len(word) >= LONG_WORD for word in words):
            cell["class"] = [*cell.get("class", []), "reader-break"]


#: The width of a printed page's text (A4 less 12 mm margins each side), in points.
PORTRAIT_WIDTH_PT = 595 - 2 * 34
#: Points per letter of a table's text, per point of font size (generous: bold headers).
_LETTER = 0.62
#: A cell's padding and border, in points.
_CELL_PAD = 6


def min_width_pt(table, size: float) -> float:
    """The narrowest a table can be set at ``size`` points without cutting a word: each
    column as wide as its longest unbreakable piece (estimated from letter counts)."""
    widths: dict[int, int] = {}
    for row in table.find_all("tr"):
        j = 0
        for cell in row.find_all(["td", "th"]):
            span = int(cell.get("colspan", 1) or 1)
            if span == 1:
                widths[j] = max(widths.get(j, 0), _longest_piece(cell))
            j += span
    return sum(n * _LETTER * size + _CELL_PAD for n in widths.values())


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _mark_dates(table) -> None:
    """Add class ``reader-date`` to cells holding a date (2016-03-31): never split at a hyphen."""
    for cell in table.find_all(["td", "th"]):
        if _DATE.match(cell.get_text(strip=True)):
            cell["class"] = [*cell.get("class", []), "reader-date"]


def tidy_table(table, soup) -> None:
    """Tidy one parsed ``<table>`` of ``soup`` in place (see :func:`tidy_tables`)."""
    if "dataframe" in table.get("class", []):
        _drop_range_index(table)
    _readable_links(table, soup)
    _one_source_once(table, soup)
    _index_names_into_header(table)
    _empty_headers_to_cells(table)
    _mark_numbers(table)
    _address_breaks(table, soup)
    _mark_long_words(table)
    _mark_dates(table)
    first_row = table.find("tr")
    size = 8.0
    if first_row is not None and len(first_row.find_all(["td", "th"])) > WIDE_TABLE:
        table["class"] = [*table.get("class", []), "reader-wide"]
        size = 6.5
    if min_width_pt(table, size) > PORTRAIT_WIDTH_PT:
        # Too wide for a portrait page without cutting words: the table gets a landscape page.
        table["class"] = [*table.get("class", []), "reader-landscape"]


def tidy_tables(body: str) -> str:
    """Reader's tables: no meaningless 0..n-1 index, numbers right-aligned, text left.

    Each ``<table>`` of ``body`` is rewritten on its own (the rest is left as it is). A pandas
    table (class ``dataframe``) whose index is unnamed and reads 0, 1, ..., n-1 loses that
    column; in every table, cells that read as numbers (and the headers of columns that are all
    numbers) get class ``num``. A whole page is tidied by :func:`finish_page`, in its one pass.
    """
    from bs4 import BeautifulSoup

    def tidy(match: re.Match) -> str:
        soup = BeautifulSoup(match.group(0), "html.parser")
        table = soup.find("table")
        if table is None:
            return match.group(0)
        tidy_table(table, soup)
        return str(soup)

    return _TABLE.sub(tidy, body)


def _reader_exporter_class():
    """nbconvert's HTML exporter without the pass over the whole page it ends with.

    nbconvert parses its finished page with BeautifulSoup to give images without alt text a
    default one and to make cells focusable; that parse cost as much as the rest of the export.
    :func:`finish_page` does both in the one pass it makes anyway (:func:`accessible`).
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReaderHTMLExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            # As HTMLExporter.from_notebook_node (nbconvert 7), up to its BeautifulSoup pass.
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight = self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)
            )
            resources = self._init_resources(resources)
            data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight)
            self.register_filter("filter_data_type", data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return ReaderHTMLExporter


_EXPORTER = None


def html_exporter():
    """The reader's HTML exporter, made once per process and reused (its templates load slowly).

    Returns
    -------
    nbconvert.HTMLExporter
        'lab' template, no code input, no prompts, cells tagged ``remove-cell`` /
        ``remove-output`` dropped, no network scripts, print CSS added.
    """
    global _EXPORTER
    if _EXPORTER is None:
        import jinja2
        from traitlets.config import Config

        config = Config()
        config.TagRemovePreprocessor.enabled = True
        config.TagRemovePreprocessor.remove_cell_tags = {"remove-cell"}
        config.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output"}
        config.TagRemovePreprocessor.remove_input_tags = {"remove-input"}
        exporter = _reader_exporter_class()(
            config=config,
            template_name="lab",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            embed_images=True,
            extra_loaders=[jinja2.DictLoader({"report.html.j2": _TEMPLATE})],
        )
        # Set after construction: changing template_name resets template_file.
        exporter.template_file = "report.html.j2"
        _EXPORTER = exporter
    return _EXPORTER


#: The licence lines every report carries on its first page.
DATA_LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0."
CODE_LICENCE = "The code that made this report is released under the MIT License."


def _data_files(data: Path) -> list[Path]:
    """Every file under ``data`` but the raw snapshots (and Python's caches), sorted."""
    store = paths.datastore_dir()
    return sorted(
        f
        for f in data.rglob("*")
        if f.is_file() and store not in f.parents and "__pycache__" not in f.parts
    )


@cache.cached_on(_data_files)
def _data_version(data: Path) -> str:
    digest = hashlib.sha256()
    for f in _data_files(data):
        digest.update(f.relative_to(data).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(f.read_bytes()).digest())
    version = f"data {digest.hexdigest()[:10]}"
    snapshots = data / "care-services" / "snapshots.csv"
    with contextlib.suppress(OSError, ValueError, IndexError):
        lines = snapshots.read_text(encoding="utf-8").splitlines()[1:]
        dates = [line.split(",")[0] for line in lines if line.strip()]
        version += f", latest care-services snapshot {max(dates)}"
    with contextlib.suppress(Exception):
        version += f", package {importlib.metadata.version('scotland-children-inspections')}"
    return version


def data_version() -> str:
    """The version of the data a report was made from: a short hash of ``data/`` (without raw
    snapshots), the latest care-services snapshot date and the package version."""
    return _data_version(paths.data_dir())


def _in_words(built: str) -> str:
    """'2026-12-02' as '2 December 2026' (any other text as it is)."""
    try:
        return f"{datetime.strptime(built, '%Y-%m-%d'):%-d %B %Y}"
    except ValueError:
        return built


#: Whose work a report is, in a citation (the package's CITATION.cff says the same).
CITE_AS = "Inspections of services for children in Scotland"


def colophon_html(built: str | None = None, title: str | None = None) -> str:
    """The lines under a report's key points (or its title): build date, data version,
    licences, and how to cite the report (titled ``title``)."""
    built = built or datetime.now(UTC).strftime("%Y-%m-%d")
    lines = [f"Built {_in_words(built)}; {data_version()}.", DATA_LICENCE, CODE_LICENCE]
    if title:
        lines.append(f"Cite as: {CITE_AS}, \u2018{title}\u2019, built {_in_words(built)}.")
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return f'<div class="reader-colophon" role="note" aria-label="About this report">{body}</div>'


#: nbconvert's alt text for an image that has none (ours all have their own).
NO_ALT = "No description has been provided for this image"


def accessible(fragment) -> None:
    """What nbconvert's HTML exporter does last: every image has alt text (nbconvert's default
    where none was given) and every cell's output can take the keyboard focus."""
    for image in fragment.find_all("img"):
        if image.get("alt") is None:
            image["alt"] = NO_ALT
    for cell in fragment.find_all("div", class_=("jp-Cell-inputWrapper", "jp-OutputArea-output")):
        cell["tabindex"] = "0"


#: A report with this many section headings (h2 and h3) or more opens with a linked list of
#: contents, on screen and in print (Chromium keeps in-page links as links in the PDF): the
#: profiles and the Scotland-wide reports, not the short ones.
TOC_MIN_HEADINGS = 7


def _heading_text(heading) -> str:
    """A heading's words, without nbconvert's pilcrow link."""
    words = (
        text for text in heading.find_all(string=True)
        if text.find_parent("a", class_="anchor-link") is None
    )  # fmt: skip
    return " ".join("".join(words).split())


def contents(soup):
    """A ``<nav>`` listing and linking every h2 and h3 with an id, or None for a short page."""
    heads = [h for h in soup.find_all(["h2", "h3"]) if h.get("id")]
    if len(heads) < TOC_MIN_HEADINGS or soup.find("nav", class_="reader-toc") is not None:
        return None
    nav = soup.new_tag("nav", attrs={"class": "reader-toc", "aria-label": "Contents"})
    title = soup.new_tag("h2")
    title.string = "Contents"
    items = soup.new_tag("ul")
    for heading in heads:
        item = soup.new_tag("li")
        if heading.name == "h3":
            item["style"] = "margin-left:1.5em"
        link = soup.new_tag("a", href=f"#{heading['id']}")
        link.string = _heading_text(heading)
        item.append(link)
        items.append(item)
    nav.append(title)
    nav.append(items)
    return nav


def _output_children(soup):
    return soup.find_all("div", class_="jp-OutputArea-child")


def _lone_bold(child):
    """The ``<strong>`` of an output that is one bold line and nothing else (a table's caption,
    as a notebook writes it: ``display(Markdown("**...**"))``), else None."""
    output = child.find("div", class_="jp-RenderedMarkdown")
    if output is None:
        return None
    blocks = [t for t in output.children if getattr(t, "name", None)]
    if len(blocks) != 1 or blocks[0].name != "p":
        return None
    parts = [t for t in blocks[0].contents if getattr(t, "name", None) or str(t).strip()]
    if len(parts) != 1 or parts[0].name != "strong":
        return None
    return parts[0]


def keep_together(soup) -> None:
    """What belongs together in print stays together.

    A bold line right before a table (its caption) becomes the table's ``<caption>``, so it
    goes wherever the table goes (to a landscape page too) and a screen reader names the table
    by it. A figure and the caption under it are wrapped in one ``div.reader-keep`` that print
    keeps whole. (Headings keep the space below them in the CSS: :data:`READER_CSS`.)
    """
    for child in _output_children(soup):
        strong = _lone_bold(child)
        after = child.find_next_sibling("div", class_="jp-OutputArea-child")
        table = after.find("table") if after is not None else None
        if strong is not None and table is not None and table.find("caption") is None:
            caption = soup.new_tag("caption", attrs={"class": "reader-caption"})
            caption.extend(list(strong.contents))
            table.insert(0, caption)
            child.decompose()
    for child in _output_children(soup):
        before = child.find_previous_sibling("div", class_="jp-OutputArea-child")
        if (
            child.find("div", class_="figure-caption") is not None
            and before is not None
            and before.find("img") is not None
            and "reader-keep" not in child.parent.get("class", [])
        ):
            keep = soup.new_tag("div", attrs={"class": "reader-keep"})
            before.insert_before(keep)
            keep.append(before.extract())
            keep.append(child.extract())


def finish_page(page: str, built: str | None = None) -> str:
    """Finish an exported page in one pass over its cells (``<main>``): sanitize them
    (:func:`helpers.build.sanitize.sanitize`, invisible direction controls made visible), tidy
    their tables (:func:`tidy_table`), make them accessible, and add the colophon under its first
    heading (under the key points, :class:`helpers.display.KeyPoints`, where there are some), then
    the contents (:func:`contents`) if the page is long."""
    from bs4 import BeautifulSoup

    from helpers.display import web_address

    start, end = page.find("<main>"), page.rfind("</main>")
    if start < 0 or end < 0:
        return page
    start += len("<main>")
    cells = sanitize(visible_controls(page[start:end]))
    soup = BeautifulSoup(f"<main>{cells}</main>", "html.parser")
    keep_together(soup)
    for table in soup.find_all("table"):
        tidy_table(table, soup)
    for link in soup.find_all("a"):  # an address in prose, too, breaks at its '/' and '.'
        if link.find_parent("table") is None and web_address(link.get_text()):
            break_addresses(link, soup)
    accessible(soup)
    nav = contents(soup)
    heading = soup.find("h1")
    title = _heading_text(heading) if heading is not None else None
    colophon = BeautifulSoup(colophon_html(built, title), "html.parser").div
    # The colophon follows what matters: the key points if the report has them, else its title.
    anchor = soup.find("section", class_="reader-key-points") or soup.find("h1")
    if anchor is not None:
        anchor.insert_after(colophon)
    else:
        soup.main.insert(0, colophon)
    if nav is not None:
        colophon.insert_after(nav)
    return page[: start - len("<main>")] + str(soup) + page[end + len("</main>") :]


#: The first lines of every figure's CSV: what it is, where the numbers come from, the licence.
JOINT_SOURCE = (
    "joint inspections of services for children: the Care Inspectorate's and its partners' "
    "published reports, as compiled in the project's tables (data/joint-inspections)"
)
CARE_SOURCE = "the Care Inspectorate's datastore of registered care services (data/care-services)"
#: The source of each report's figures, by the start of its stem; other reports: joint only.
CSV_SOURCES = {
    "03-": CARE_SOURCE,
    "05-": CARE_SOURCE,
    "area-profile": f"{JOINT_SOURCE}; {CARE_SOURCE}",
}


def csv_source(stem: str) -> str:
    """Where the numbers of report ``stem``'s figures come from."""
    return next((s for prefix, s in CSV_SOURCES.items() if stem.startswith(prefix)), JOINT_SOURCE)


CSV_LICENCE = (
    "Open Government Licence v3.0 "
    "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/); "
    "contains public sector information"
)


@contextlib.contextmanager
def figure_files_env():
    """While the build runs: kernels started now give figures their files (helpers.display)."""
    import os

    from helpers.display import FIGURE_FILES_ENV

    before = os.environ.get(FIGURE_FILES_ENV)
    os.environ[FIGURE_FILES_ENV] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(FIGURE_FILES_ENV, None)
        else:
            os.environ[FIGURE_FILES_ENV] = before


def _csv_text(body: str, stem: str, title: str, number: int, caption: str, alt: str = "") -> str:
    """The CSV under its header: the figure (its title, else its alt text), source, licence."""
    caption = caption.removeprefix("Figure: ").replace(
        "The numbers drawn are in the table below.", ""
    )
    caption = caption.strip() or alt
    lines = [
        f"# Figure {number} of the report '{title}': {caption}",
        f"# Source: {csv_source(stem)}; {data_version()}",
        f"# Licence: {CSV_LICENCE}",
    ]
    return "".join(" ".join(line.split()) + "\n" for line in lines) + body


def extract_figures(nb: nbformat.NotebookNode, stem: str, title: str) -> dict[str, bytes]:
    """Take each figure's files out of ``nb`` (changed in place) and say where they will be.

    A figure output carrying :data:`helpers.display.FIGURE_MIME` loses it, and its PNG
    metadata gets ``figure_files`` (the links the template puts under the figure). Returns the
    files to write beside the report: ``<stem>-figure-<n>.png``, ``.svg`` and ``.csv`` (the
    numbers drawn, under lines naming the source and the licence; no CSV without a table).
    """
    import base64

    from helpers.display import FIGURE_MIME

    files: dict[str, bytes] = {}
    number = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            extra = data.pop(FIGURE_MIME, None)
            if extra is None or "image/png" not in data:
                continue
            number += 1
            base = f"{stem}-figure-{number}"
            files[f"{base}.png"] = base64.b64decode(data["image/png"])
            files[f"{base}.svg"] = extra["svg"].encode("utf-8")
            links = [
                {"href": f"{base}.png", "text": "PNG"},
                {"href": f"{base}.svg", "text": "SVG"},
            ]
            if extra.get("csv") is not None:
                caption = extra.get("caption") or ""
                alt = output.get("metadata", {}).get("image/png", {}).get("alt", "")
                text = _csv_text(extra["csv"], stem, title, number, caption, alt)
                files[f"{base}.csv"] = text.encode("utf-8")
                links.append({"href": f"{base}.csv", "text": "CSV of the numbers drawn"})
            metadata = output.setdefault("metadata", {}).setdefault("image/png", {})
            metadata["figure_files"] = {"label": f"Figure {number} to reuse", "links": links}
    return files


def render_report(nb: nbformat.NotebookNode, title: str, stem: str) -> tuple[str, dict]:
    """The reader's HTML page of ``nb`` and its figures' files (:func:`extract_figures`)."""
    nb = nbformat.from_dict(nb)
    files = extract_figures(nb, stem, title)
    return render_html(nb, title), files


def render_html(nb: nbformat.NotebookNode, title: str) -> str:
    """The reader's HTML page of an executed notebook.

    Parameters
    ----------
    nb
        The executed notebook (not changed).
    title
        The page title (``<title>``), also the PDF's document title.
    """
    nb = nbformat.from_dict(nb)  # a copy: the title must not leak into the caller's notebook
    nb.metadata["title"] = title
    # No widget state: nbconvert would add a script that fetches the widget manager from a CDN.
    nb.metadata.pop("widgets", None)
    body, _ = html_exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    return finish_page(short_captions(_links_under_figures(body)))


def _links_under_figures(body: str) -> str:
    """Move each figure's links (written after its output by the template) into the output,
    under the image: beside it, they would be a column of the output's row."""
    return re.sub(r'</div>\s*(<p class="reader-figure-files">.*?</p>)', r"\1</div>", body)


_CAPTION = re.compile(
    r'(<div class="figure-caption" data-caption="(?P<short>[^"]*)"[^>]*>)(?P<alt>.*?)(</div>)',
    re.S,
)


def short_captions(body: str) -> str:
    """A figure's visible caption names the chart (``data-caption``), not its alt text: in the
    reader's page the ``<img>`` carries the alt text, and a screen reader must not read it twice.
    (In JupyterLab and stock exports, where the image has no alt, the caption is the alt text.)
    """
    return _CAPTION.sub(lambda m: f"{m[1]}{m['short']}</div>", body)
