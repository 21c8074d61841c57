"""The reader check finds what it claims to: pages printed by the real Chromium with each defect,
and the same pages without it."""

from __future__ import annotations

from pathlib import Path

import pytest
from readercheck import check

from helpers.build import printer

CHROMIUM = printer.find_chromium()
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

KEY_POINTS = (
    "<section><h2>Key points</h2><ul><li>One thing stands out.</li><li>Another follows.</li>"
    "<li>A third closes.</li></ul></section>"
)


def _page(body: str, style: str = "") -> str:
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>t</title>"
        f"<style>body{{font-family:sans-serif}} {style}</style></head>"
        f"<body><main><h1>A report</h1>{body}</main></body></html>"
    )


@pytest.fixture(scope="module")
def pdfs():
    with printer.PdfPrinter(CHROMIUM) as pdf_printer:
        yield pdf_printer


def _report(tmp_path: Path, pdfs, name: str, html: str) -> Path:
    page = tmp_path / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    pdfs.print_pdf(page, page.with_suffix(".pdf"))
    return page


def _kinds(page: Path) -> list[str]:
    return [d.kind for d in check(page)]


def test_clean_page_has_no_defects(tmp_path, pdfs):
    table = "<table><tr><th>Improvements in wellbeing</th><th>services</th></tr></table>"
    assert _kinds(_report(tmp_path, pdfs, "clean", _page(KEY_POINTS + table))) == []


def test_word_cut_inside_a_narrow_header_is_found(tmp_path, pdfs):
    narrow = "th{width:40px;max-width:40px;overflow-wrap:anywhere;padding:0 10px}"
    table = "<table><tr><th>Improvements</th><th>Clackmannanshire</th></tr></table>"
    page = _report(tmp_path, pdfs, "cut", _page(KEY_POINTS + table, narrow))
    cut = [d.text for d in check(page) if d.kind == "word cut across lines"]
    assert "Impr / ove / ment / s" in cut and "Clac / kma / nnan / shire" in cut, cut


def test_heading_alone_at_the_foot_of_a_page_is_found(tmp_path, pdfs):
    # Chromium keeps a heading with what follows where it can; a forced break strands it.
    body = KEY_POINTS + "<h2 style='break-after:page'>Stranded heading</h2><p>Its text.</p>"
    found = [d for d in check(_report(tmp_path, pdfs, "foot", _page(body))) if d.page]
    assert [(d.kind, d.text) for d in found] == [
        ("heading alone at the foot of the page", "Stranded heading")
    ]


def test_machinery_words_are_found_outside_the_methods_section(tmp_path, pdfs):
    body = (
        KEY_POINTS
        + "<p>The cell below counts the services.</p>"
        + "<h2>Methods</h2><p>Each notebook is run again by the build.</p>"
    )
    found = [d.text for d in check(_report(tmp_path, pdfs, "words", _page(body)))]
    assert len(found) == 1 and "cell below" in found[0], found


def test_first_page_without_key_points_is_found(tmp_path, pdfs):
    page = _report(tmp_path, pdfs, "nokeys", _page("<p>Only a title and this line.</p>"))
    assert _kinds(page) == ["no key points on the first page"]


def test_label_paragraph_alone_at_the_foot_of_a_page_is_found(tmp_path, pdfs):
    """A paragraph that is one emphasised label ('Strengths') heads the list under it."""
    body = KEY_POINTS + "<p style='break-after:page'><em>Strengths</em></p><ul><li>A.</li></ul>"
    found = [d for d in check(_report(tmp_path, pdfs, "label", _page(body))) if d.page]
    assert [(d.kind, d.text) for d in found] == [
        ("heading alone at the foot of the page", "Strengths")
    ]
