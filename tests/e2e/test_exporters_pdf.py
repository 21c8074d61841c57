"""The reader PDF exporter printed by the real Chromium (the other exporters' tests, which need no
browser, are in ``tests/unit/test_exporters.py``)."""

from __future__ import annotations

import pytest
from small_notebooks import RELEASE_SENTENCE, notebook

from helpers.exporters import ReaderPDFExporter


@pytest.mark.browser
def test_reader_pdf_is_printed_by_system_chromium_with_the_text(tmp_path):
    from pypdf import PdfReader

    from helpers.build.printer import find_chromium

    if find_chromium() is None:
        pytest.skip("Chromium not found: install Debian's chromium")
    pdf, resources = ReaderPDFExporter().from_notebook_node(notebook())
    assert resources["output_extension"] == ".pdf"
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    text = " ".join(" ".join(p.extract_text() or "" for p in PdfReader(path).pages).split())
    assert RELEASE_SENTENCE in text
    assert "secret_code_line" not in text
