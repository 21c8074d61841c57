"""nbconvert exporters for the reports: the reader's HTML and its PDF, as ``make reports`` makes.

Registered as entry points (``nbconvert.exporters`` in pyproject.toml), so they are offered by
``jupyter nbconvert --to reader_html`` / ``--to reader_pdf`` and by JupyterLab's File > Save and
Export Notebook As menu (as "Reader_html" and "Reader_pdf"; no hyphens, because the server's
export URL, ``/nbconvert/<format>/<path>``, takes word characters only). Both export the
notebook's saved outputs (they do not run it), through
:func:`helpers.build.export.render_html`: no code, figures embedded, tidy tables. The PDF is
that page printed by the system's Chromium (:func:`helpers.build.printer.find_chromium`): no
TeX, no Pandoc, no downloaded browser.

The Jupyter server runs an export in a worker thread, possibly several at once: the shared
nbconvert exporter behind ``render_html`` is used under a lock, and each PDF is printed by a
:class:`~helpers.build.printer.PdfPrinter` of its own, whose Playwright event loop runs in a
thread of its own (never the server's loop), and whose browser is closed before the export
returns.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from nbconvert.exporters import Exporter
from traitlets import Float, Unicode, default

#: ``render_html`` reuses one nbconvert exporter per process, which is not thread-safe.
_RENDER_LOCK = threading.Lock()


class ReaderHTMLExporter(Exporter):
    """The reader's HTML page of a notebook's saved outputs, as in ``build/reports/``."""

    export_from_notebook = "Reader HTML"
    output_mimetype = "text/html"

    @default("file_extension")
    def _file_extension_default(self):
        return ".html"

    def render(self, nb, resources) -> str:
        """The reader HTML of ``nb``; ``resources`` as initialised by :meth:`from_notebook_node`."""
        # Imported when a page is made, not when the server lists the formats.
        from helpers.build.export import render_html
        from helpers.build.plan import notebook_title

        title = notebook_title(nb, resources.get("metadata", {}).get("name") or "Notebook")
        with _RENDER_LOCK:
            return render_html(nb, title)

    def from_notebook_node(self, nb, resources=None, **kw):
        """Export ``nb``: (the HTML page, resources)."""
        nb_copy, resources = super().from_notebook_node(nb, resources, **kw)
        return self.render(nb_copy, resources), resources


class ReaderPDFExporter(ReaderHTMLExporter):
    """The reader's HTML page printed to PDF (A4) by the system's Chromium, as ``make reports``."""

    export_from_notebook = "Reader PDF"
    output_mimetype = "application/pdf"

    browser = Unicode(
        "",
        help="Chromium to print with; empty: $HELPERS_CHROMIUM, else chromium on PATH.",
    ).tag(config=True)
    timeout = Float(120.0, help="Seconds allowed to load and print the page.").tag(config=True)

    @default("file_extension")
    def _file_extension_default(self):
        return ".pdf"

    def from_notebook_node(self, nb, resources=None, **kw):
        """Export ``nb``: (the PDF's bytes, resources)."""
        from helpers.build.printer import INSTALL_HINT, PdfPrinter, find_chromium

        chromium = find_chromium(self.browser or None)
        if chromium is None:
            raise RuntimeError(f"No Chromium to print the PDF with. {INSTALL_HINT}")
        nb_copy, resources = Exporter.from_notebook_node(self, nb, resources, **kw)
        page = self.render(nb_copy, resources)
        with tempfile.TemporaryDirectory(prefix="helpers-reader-pdf-") as tmp:
            html_path, pdf_path = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
            html_path.write_text(page, encoding="utf-8")
            with PdfPrinter(chromium, timeout_s=self.timeout) as printer:
                printer.print_pdf(html_path, pdf_path)
            pdf = pdf_path.read_bytes()
        return pdf, resources
