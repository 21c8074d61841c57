"""Export executed notebooks: self-contained HTML for readers, and PDF printed by Chromium.

Used by :mod:`helpers.build`. The HTML is nbconvert's 'lab' template without code (a reader's
version) and without the scripts it would fetch from a CDN (require.js, MathJax, Mermaid): the
reports must open offline and print offline, and nothing in them needs those scripts. Figures are
already embedded as ``data:`` URIs by :func:`helpers.display.show`. Print CSS keeps figures whole
on a page and wraps wide tables instead of cutting them off.

PDFs are printed by one long-lived headless Chromium (Debian's, driven by Playwright) for all the
reports, so the browser starts once per build. If Playwright cannot drive it, each page is printed
by Chromium's own ``--print-to-pdf``. Nothing is ever downloaded: if no Chromium is installed the
caller is told what to install and builds HTML only.
"""

from __future__ import annotations

import contextlib
import os
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

#: Print styles: whole figures, tables that wrap and shrink rather than run off the page.
PRINT_CSS = """
img { max-width: 100%; height: auto; }
figure, .jp-OutputArea-output img { page-break-inside: avoid; break-inside: avoid; }
.jp-RenderedHTMLCommon table { table-layout: auto; max-width: 100%; }
.jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th {
  white-space: normal; overflow-wrap: break-word; word-break: normal;
}
@media print {
  body { margin: 0; }
  .jp-OutputArea-output, .jp-RenderedHTMLCommon { overflow: visible !important; }
  .jp-RenderedHTMLCommon table { font-size: 9pt; width: auto; }
  /* nbconvert keeps each output whole, which pushes a long table to the next page and leaves
     half a page blank: let tables split between rows (headers repeat); keep figures whole. */
  .jp-OutputArea-child { break-inside: auto; }
  tr, figure { page-break-inside: avoid; break-inside: avoid; }
  thead { display: table-header-group; }
  h1, h2, h3 { page-break-after: avoid; break-after: avoid; }
  a { color: inherit; }
}
"""

#: The 'lab' template, less every script fetched from the network, plus the print CSS.
_TEMPLATE = (
    "{%- extends 'lab/index.html.j2' -%}\n"
    "{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}\n"
    "{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}\n"
    "{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}\n"
    '{% block extra_css %}<style type="text/css">'
    + PRINT_CSS
    + "</style>{% endblock extra_css %}\n"
)


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
    return atomic_write_text(path, body)


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
