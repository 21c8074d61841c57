"""The reader's HTML exporter: nbconvert's 'lab' template, less code and network scripts, plus
the reader's CSS.

Why its own module: the CSS and the template are what a reader's page looks like, on screen and
in print, and they change for reasons of their own (a print rule, a class the tidying adds);
the exporter is made once per process (:func:`html_exporter`), since its templates load slowly.
The reports must open and print offline, so nothing here fetches anything: no require.js, no
MathJax, no Mermaid. What the classes the CSS styles mean is said where they are added
(:mod:`helpers.build.tables`, :mod:`helpers.build.page`, :mod:`helpers.build.figures`).
"""

from __future__ import annotations

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
    # Links to the figure's files (helpers.build.figures.extract_figures), under it.
    "{%- set files = output | get_metadata('figure_files', 'image/png') -%}"
    '{%- if files %}<p class="reader-figure-files">{{ files.label | escape_html }}: '
    "{%- for link in files.links %}{{ ' \u00b7 ' if not loop.first else ' ' }}"
    '<a href="{{ link.href | escape_html }}">{{ link.text | escape_html }}</a>'
    "{%- endfor %}</p>{%- endif %}{% endblock data_png %}\n"
    "{% block notebook_css %}{{ super() }}"
    '<style type="text/css">' + READER_CSS + "</style>{% endblock notebook_css %}\n"
)


def _reader_exporter_class():
    """nbconvert's HTML exporter without the pass over the whole page it ends with.

    nbconvert parses its finished page with BeautifulSoup to give images without alt text a
    default one and to make cells focusable; that parse cost as much as the rest of the export.
    :func:`helpers.build.page.finish_page` does both in the one pass it makes anyway
    (:func:`helpers.build.page.accessible`).
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
