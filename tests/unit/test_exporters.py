"""The reader exporters (helpers.exporters) and how figures survive nbconvert's HTML sanitizing.

Notebooks here are built by hand (outputs as helpers.display makes them), so no kernel runs; the
PDF printed by Chromium is tested in ``tests/e2e/test_exporters_pdf.py``.
"""

from __future__ import annotations

import base64
import re

import nbformat
import pytest
from small_notebooks import ALT, RELEASE_SENTENCE, figure_outputs, notebook

from helpers.build.plan import notebook_title
from helpers.exporters import ReaderHTMLExporter, ReaderPDFExporter

NO_ALT = "No description has been provided for this image"


def test_figure_bundle_is_png_with_alt_in_metadata_and_an_escaped_caption():
    image, caption = figure_outputs()
    assert set(image.data) == {"image/png", "text/plain"}
    assert base64.b64decode(image.data["image/png"]).startswith(b"\x89PNG")
    assert image.metadata["image/png"]["alt"] == ALT
    assert image.data["text/plain"] == f"Figure: {ALT}"
    assert "&lt;more&gt;" in caption.data["text/html"] and "<more>" not in caption.data["text/html"]
    assert caption.data["text/plain"] == ALT


def test_exporters_are_registered_for_nbconvert_and_jupyterlab():
    from nbconvert.exporters.base import get_export_names, get_exporter

    assert get_exporter("reader_html") is ReaderHTMLExporter
    assert get_exporter("reader_pdf") is ReaderPDFExporter
    names = get_export_names()
    assert {"reader_html", "reader_pdf"} <= set(names)
    # jupyter_server serves exports at /nbconvert/<format>/<path>, format matching \w+.
    assert all(re.fullmatch(r"\w+", name) for name in ("reader_html", "reader_pdf"))


def test_notebook_title_is_first_heading_else_fallback(tmp_path):
    assert notebook_title(notebook(), "x") == "Perth and Kinross, 2017"
    assert notebook_title(nbformat.v4.new_notebook(), "fallback") == "fallback"
    # One function for the build's titles and the exporters': a file falls back to its name.
    nbformat.write(notebook(), tmp_path / "07-a.ipynb")
    nbformat.write(nbformat.v4.new_notebook(), tmp_path / "08-b.ipynb")
    assert notebook_title(tmp_path / "07-a.ipynb") == "Perth and Kinross, 2017"
    assert notebook_title(tmp_path / "08-b.ipynb") == "08-b"


def test_reader_html_has_figure_alt_text_no_code_and_title():
    from bs4 import BeautifulSoup

    html, resources = ReaderHTMLExporter().from_notebook_node(notebook())
    assert resources["output_extension"] == ".html"
    soup = BeautifulSoup(html, "html.parser")
    assert soup.title.get_text() == "Perth and Kinross, 2017"
    images = soup.find_all("img")
    assert len(images) == 1 and images[0]["alt"] == ALT
    assert images[0]["src"].startswith("data:image/png;base64,")
    assert "secret_code_line" not in html
    assert RELEASE_SENTENCE in " ".join(soup.get_text(" ").split())


@pytest.mark.parametrize("sanitize", [True, False])
def test_stock_html_export_shows_figure_and_alt_text_sanitized_or_not(sanitize):
    """JupyterLab's HTML export: the figure is an image, not markup shown as text."""
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    html, _ = HTMLExporter(sanitize_html=sanitize).from_notebook_node(notebook())
    assert "&lt;img" not in html and "&lt;figure" not in html and "&lt;div" not in html
    soup = BeautifulSoup(html, "html.parser")
    images = [i for i in soup.find_all("img") if i["src"].startswith("data:image/png;base64,")]
    assert len(images) == 1
    # nbconvert's lab template puts no metadata alt on the <img> (it fills in NO_ALT): the alt
    # text reaches the reader as the caption below the figure.
    assert images[0]["alt"] in (ALT, NO_ALT)
    assert [c.get_text() for c in soup.select(".figure-caption")] == [ALT]


def test_reader_pdf_without_chromium_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("HELPERS_CHROMIUM", str(tmp_path / "no-such-chromium"))
    with pytest.raises(RuntimeError, match="apt-get install chromium"):
        ReaderPDFExporter().from_notebook_node(notebook())
