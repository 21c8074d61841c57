"""Export an executed notebook to a self-contained reader's HTML page (no code).

The HTML is nbconvert's 'lab' template without code (a reader's
version) and without the scripts it would fetch from a CDN (require.js, MathJax, Mermaid): the
reports must open offline and print offline, and nothing in them needs those scripts. Figures are
already embedded as ``data:`` URIs by :func:`helpers.display.show`. The reader CSS sets printed
sentences (stdout) in the body font, wrapped between words; tables show numbers right-aligned
and text left, without pandas' meaningless 0..n-1 index (:func:`tidy_tables`), and in print they
split between rows (never inside one) while figures stay whole.
"""

from __future__ import annotations

import re

import nbformat

#: Reader styles, for screen and print. They are placed after nbconvert's own stylesheet (which
#: the template's ``extra_css`` block is not), so they win at equal specificity.
READER_CSS = """
img { max-width: 100%; height: auto; }
figure, .jp-OutputArea-output img { page-break-inside: avoid; break-inside: avoid; }
/* Printed lines are sentences: wrap them between words (nbconvert breaks words anywhere:
   'sh ows') and set them in the body font, not as monospace code. */
.jp-OutputArea-output pre {
  white-space: pre-wrap; word-break: normal; overflow-wrap: break-word;
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
@media print {
  body { margin: 0; }
  .jp-OutputArea-output, .jp-RenderedHTMLCommon { overflow: visible !important; }
  .jp-RenderedHTMLCommon table { font-size: 9pt; width: auto; }
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
    "{%- else %}{{ super() }}{%- endif %}{% endblock data_png %}\n"
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


def tidy_tables(body: str) -> str:
    """Reader's tables: no meaningless 0..n-1 index, numbers right-aligned, text left.

    Each ``<table>`` of the exported page is rewritten on its own (the rest of the page, with
    its embedded images, is left as it is). A pandas table (class ``dataframe``) whose index is
    unnamed and reads 0, 1, ..., n-1 loses that column; in every table, cells that read as
    numbers (and the headers of columns that are all numbers) get class ``num``.
    """
    from bs4 import BeautifulSoup

    def tidy(match: re.Match) -> str:
        soup = BeautifulSoup(match.group(0), "html.parser")
        table = soup.find("table")
        if table is None:
            return match.group(0)
        if "dataframe" in table.get("class", []):
            _drop_range_index(table)
        _mark_numbers(table)
        return str(soup)

    return _TABLE.sub(tidy, body)


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
        from nbconvert import HTMLExporter
        from traitlets.config import Config

        config = Config()
        config.TagRemovePreprocessor.enabled = True
        config.TagRemovePreprocessor.remove_cell_tags = {"remove-cell"}
        config.TagRemovePreprocessor.remove_all_outputs_tags = {"remove-output"}
        config.TagRemovePreprocessor.remove_input_tags = {"remove-input"}
        exporter = HTMLExporter(
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
    body, _ = html_exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    return short_captions(tidy_tables(body))


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
