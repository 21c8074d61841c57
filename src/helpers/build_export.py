"""Export executed notebooks: self-contained HTML for readers, and PDF printed by Chromium.

Used by :mod:`helpers.build`. The HTML is nbconvert's 'lab' template without code (a reader's
version) and without the scripts it would fetch from a CDN (require.js, MathJax, Mermaid): the
reports must open offline and print offline, and nothing in them needs those scripts. Figures are
already embedded as ``data:`` URIs by :func:`helpers.display.show`. The reader CSS sets printed
sentences (stdout) in the body font, wrapped between words; tables show numbers right-aligned
and text left, without pandas' meaningless 0..n-1 index (:func:`tidy_tables`), and in print they
split between rows (never inside one) while figures stay whole.

PDFs are printed by one long-lived headless Chromium (Debian's, driven by Playwright) for all the
reports, so the browser starts once per build. If Playwright cannot drive it, each page is printed
by Chromium's own ``--print-to-pdf``. Nothing is ever downloaded: if no Chromium is installed the
caller is told what to install and builds HTML only.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat

#: Flags for a headless Chromium on a closed network in a container: without the
#: background-networking ones it waits on update and sync services it can never reach.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

#: Names Chromium goes by on Debian and elsewhere, tried in this order on PATH.
CHROMIUM_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome")

#: What to tell a user without a browser.
INSTALL_HINT = (
    "Install Debian's Chromium to get PDFs: `apt-get install chromium` "
    "(or pass --browser /path/to/chromium)."
)

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


def atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    """Write ``path`` through a temporary file in the same folder, then move it into place.

    A build killed (or failing) half-way through leaves the previous good file in place and no
    temporary file behind: ``os.replace`` within one folder is atomic.

    Parameters
    ----------
    path
        The file to (re)write.
    write
        Called with the temporary path; must write the whole file there.

    Returns
    -------
    Path
        ``path``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        write(tmp)
        # mkstemp makes the file private (0600); reports are for reading: honour the umask.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def atomic_write_text(path: Path, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` atomically; see :func:`atomic_write`."""
    return atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


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


def export_html(nb: nbformat.NotebookNode, path: Path, title: str) -> Path:
    """Export an executed notebook to a self-contained reader's HTML file, atomically.

    Parameters
    ----------
    nb
        The executed notebook.
    path
        Where to write the ``.html``.
    title
        The page title (``<title>``), also the PDF's document title.

    Returns
    -------
    Path
        ``path``.
    """
    nb = nbformat.from_dict(nb)  # a copy: the title must not leak into the caller's notebook
    nb.metadata["title"] = title
    body, _ = html_exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    return atomic_write_text(path, tidy_tables(body))


def find_chromium(browser: str | os.PathLike | None = None) -> Path | None:
    """Find a Chromium to print with.

    Parameters
    ----------
    browser
        An explicit path (the ``--browser`` option); else ``$HELPERS_CHROMIUM``; else the first
        of :data:`CHROMIUM_NAMES` on ``PATH``.

    Returns
    -------
    Path or None
        The executable, or ``None`` if there is none (an explicit path that does not exist also
        gives ``None``: never fall back to a different browser silently).
    """
    explicit = browser or os.environ.get("HELPERS_CHROMIUM")
    if explicit:
        path = Path(explicit).expanduser()
        if path.is_file() and os.access(path, os.X_OK):
            return path
        found = shutil.which(str(explicit))
        return Path(found) if found else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


class PdfPrinter:
    """Print HTML files to PDF with one headless Chromium, started on first use.

    Use as a context manager so the browser is closed however the build ends.

    Parameters
    ----------
    executable
        The Chromium to drive (see :func:`find_chromium`).
    timeout_s
        Bound on loading and printing one page.
    """

    def __init__(self, executable: Path, timeout_s: float = 60.0):
        self.executable = Path(executable)
        self.timeout_s = timeout_s
        self._playwright = None
        self._browser = None
        self._user_data: tempfile.TemporaryDirectory | None = None
        self._use_cli = False

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> None:
        """Launch the browser through Playwright; if that fails, print with the CLI instead."""
        if self._browser is not None or self._use_cli:
            return
        try:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=str(self.executable),
                headless=True,
                args=list(CHROMIUM_ARGS),
                timeout=self.timeout_s * 1000,
            )
        except Exception as error:  # noqa: BLE001 - any launch failure has the same remedy
            print(
                f"Playwright could not start {self.executable} ({type(error).__name__}: "
                f"{str(error).splitlines()[0] if str(error) else ''}); "
                "printing each PDF with chromium --print-to-pdf instead.",
                flush=True,
            )
            self.close()
            self._use_cli = True

    def print_pdf(self, html_path: Path, pdf_path: Path) -> Path:
        """Print ``html_path`` to ``pdf_path`` (A4, backgrounds, searchable text), atomically.

        Parameters
        ----------
        html_path
            A self-contained HTML file.
        pdf_path
            Where to write the PDF.

        Returns
        -------
        Path
            ``pdf_path``.
        """
        self._start()
        url = Path(html_path).resolve().as_uri()
        if self._use_cli:
            return atomic_write(pdf_path, lambda tmp: self._print_cli(url, tmp))

        def write(tmp: Path) -> None:
            page = self._browser.new_page()
            try:
                page.set_default_timeout(self.timeout_s * 1000)
                page.goto(url, wait_until="load")
                page.emulate_media(media="print")
                page.pdf(
                    path=str(tmp),
                    format="A4",
                    print_background=True,
                    margin={"top": "15mm", "bottom": "15mm", "left": "12mm", "right": "12mm"},
                )
            finally:
                page.close()

        return atomic_write(pdf_path, write)

    def _print_cli(self, url: str, out: Path) -> None:
        """One Chromium per page: slower, used only when Playwright cannot drive the browser."""
        with tempfile.TemporaryDirectory(prefix="helpers-chromium-") as profile:
            command = [
                str(self.executable),
                "--headless",
                *CHROMIUM_ARGS,
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={out}",
                url,
            ]
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=self.timeout_s, check=False
            )
        if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            raise RuntimeError(f"chromium --print-to-pdf failed: {done.stderr.strip()[-500:]}")

    def close(self) -> None:
        """Close the browser and Playwright (safe to call twice)."""
        with contextlib.suppress(Exception):
            if self._browser is not None:
                self._browser.close()
        with contextlib.suppress(Exception):
            if self._playwright is not None:
                self._playwright.stop()
        self._browser = None
        self._playwright = None


@contextlib.contextmanager
def no_printer() -> Iterator[None]:
    """Stands in for :class:`PdfPrinter` when PDFs are off."""
    yield None
