"""What a reader gets from real builds: PDFs that lose nothing, titled and numbered pages,
readable sources, nothing that runs, accessible pages, charts legible on a phone, each figure's
PNG, SVG and the CSV of its numbers, and hostile data built for real and opened in Chromium.

Every test that reads the full build is in this file: they share one build (``full_build``, see
``conftest.py``), which under xdist (``--dist loadfile``) one process makes for all of them. The
accessibility and phone checks drive headless Chromium through Playwright. The export's parts
are tested on small pages in ``tests/unit/test_reader_output.py`` and
``tests/unit/test_figure_files.py``.
"""

from __future__ import annotations

import csv
import functools
import json
import math
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hostile import HOSTILE, executable

import helpers.build as build
from helpers import paths
from helpers.build import figures, lock, printer, record
from helpers.build.colophon import CODE_LICENCE, DATA_LICENCE
from helpers.build.contents import TOC_MIN_HEADINGS

CHROMIUM = printer.find_chromium()
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


def _reports(out: Path) -> list[Path]:
    pages = sorted(p for p in out.glob("*.html") if p.name != "index.html")
    assert pages, "the build wrote no reports"
    return pages


def _fold(text: str) -> str:
    """Text compared without whitespace, hyphens (wrapping adds them) or case."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text).casefold()


@functools.cache
def _pdf_pages(path: Path) -> tuple[str, ...]:
    """Each page's text. Kept for the session: several tests read the same built PDFs, and
    pypdf takes a second or more for a long one."""
    from pypdf import PdfReader

    return tuple(page.extract_text() or "" for page in PdfReader(path).pages)


def _main(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_reader_pdf_tables_lose_nothing(full_build):
    """Every table's header cells and each row's last cell are in the PDF's text."""
    missing = []
    for page in _reports(full_build):
        pdf = _fold(" ".join(_pdf_pages(page.with_suffix(".pdf"))))
        for n, table in enumerate(_main(page).find_all("table")):
            wanted = [c.get_text(" ", strip=True) for c in table.select("thead th")]
            for row in table.select("tbody tr"):
                cells = row.find_all(["td", "th"])
                if cells:
                    wanted.append(cells[-1].get_text(" ", strip=True))
            missing += [(page.name, n, w) for w in wanted if w and _fold(w) not in pdf]
    assert not missing, missing[:20]


def test_reader_pdf_pages_have_running_title_and_number(full_build):
    for page in _reports(full_build):
        title = _main(page).title.get_text(strip=True)
        pages = _pdf_pages(page.with_suffix(".pdf"))
        for number, text in enumerate(pages, start=1):
            assert f"Page {number} of {len(pages)}" in text, (page.name, number)
            assert _fold(title)[:40] in _fold(text), (page.name, number)
        first = " ".join(pages[0].split())
        assert "Built " in first and "data " in first, page.name
        assert DATA_LICENCE in first and CODE_LICENCE in first, page.name


def test_reader_long_reports_open_with_linked_contents_in_html_and_pdf(full_build):
    from pypdf import PdfReader

    long_reports = 0
    for page in _reports(full_build):
        soup = _main(page)
        nav = soup.find("nav", class_="reader-toc")
        reader = PdfReader(page.with_suffix(".pdf"))
        first = reader.pages[0]
        text = _pdf_pages(page.with_suffix(".pdf"))[0]  # first.extract_text(), read once
        # Every PDF is tagged, with bookmarks: the report's title, then its sections.
        outline = reader.outline
        assert outline and "".join(outline[0].title.split()) == "".join(
            soup.h1.get_text().replace("\u00b6", "").split()
        ), page.name
        if len(soup.select("h2[id], h3[id]")) < TOC_MIN_HEADINGS:
            assert nav is None, page.name
            assert "Contents" not in text.split("\n")[:3], page.name
            continue
        long_reports += 1
        targets = [a["href"][1:] for a in nav.find_all("a")]
        assert targets and all(soup.find(id=t) is not None for t in targets), page.name
        assert "Contents" in text, page.name
        links = [
            a.get_object()
            for a in first.get("/Annots", [])
            if a.get_object().get("/Subtype") == "/Link"
        ]
        internal = [a for a in links if "/Dest" in a or a.get("/A", {}).get("/S") == "/GoTo"]
        assert len(internal) >= 2, (page.name, links[:3])
    assert long_reports >= 1


def test_reader_sources_are_named_links_listed_once(full_build):
    said_once = 0
    for page in [*_reports(full_build), full_build / "index.html"]:
        soup = _main(page)
        said_once += len(soup.select(".reader-table-source"))
        for table in soup.find_all("table"):
            for cell in table.find_all(["td", "th"]):
                text = cell.get_text(" ", strip=True)
                assert not re.search(r"https?://", text), (page.name, text)
            rows = table.select("tbody tr")
            if len(rows) < 2:
                continue
            width = max(len(r.find_all(["td", "th"])) for r in rows)
            for j in range(width):
                hrefs = set()
                for row in rows:
                    cells = row.find_all(["td", "th"])
                    link = cells[j].find("a") if j < len(cells) else None
                    hrefs.add(link.get("href") if link else None)
                assert len(hrefs) > 1 or None in hrefs, (page.name, hrefs)
    assert said_once >= 1


def test_reader_full_build_has_nothingexecutable(full_build):
    for page in [*_reports(full_build), full_build / "index.html"]:
        assert not executable(_main(page)), page.name


@needs_chromium
def test_reader_hostile_data_text_is_shown_not_run(tmp_path, build_reports):
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data, ignore=shutil.ignore_patterns("datastore"))
    area = "Perth and Kinross"
    for name, column in (("findings.csv", "finding"), ("inspections.csv", "note")):
        path = data / "joint-inspections" / name
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        fields = list(rows[0])
        for row in rows:
            if row["council_area"] == area:
                row[column] = f"{row[column]} {HOSTILE}"  # findings must stay unique
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
    out = tmp_path / "out"
    build_reports(
        out, "--only", "area-profile-perth-and-kinross", env={"HELPERS_DATA_DIR": str(data)}
    )
    for page in (out / "area-profile-perth-and-kinross.html", out / "index.html"):
        soup = _main(page)
        assert not executable(soup), page.name
    text = _main(out / "area-profile-perth-and-kinross.html").get_text(" ")
    assert "<img src=x onerror=alert(2)>" in text  # shown, as text
    assert "<script>alert(1)</script>" in text
    assert "onerror=alert(2)" in " ".join(_pdf_pages(out / "area-profile-perth-and-kinross.pdf"))


#: A word with no break in it, far longer than any line (issue 15): it must wrap in the PDF.
LONG_WORD_TEXT = "".join(chr(ord("a") + i % 26) for i in range(20_000))


PHISH = "https://phish.example/login"


def _hostile_sources(port: int) -> list[str]:
    """Source addresses that pass the schema's http(s) check but would run, hide the page or
    call out if written into a page unescaped (issue 15, item 1)."""
    return [
        'https://a.example/"><style>a{}</style/><img/src="x"/onerror="alert(1)"></style>',
        'https://b.example/"><style>main{display:none}</style>',
        f'https://c.example/"><img/src="http://127.0.0.1:{port}/beacon">',
    ]


@needs_chromium
def test_reader_hostile_sources_and_text_in_a_real_browser(tmp_path, build_reports):
    """Hostile source addresses, an address in a finding's text and a 20,000-letter word, in a
    copy of the data, built for real: in Chromium nothing runs, nothing is fetched from the
    local server the beacon names, the page is not hidden, no link is made of the finding's
    address; and the whole long word is in the profile's PDF."""
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    hits = []

    class Counter(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        data = tmp_path / "data"
        shutil.copytree(paths.data_dir(), data, ignore=shutil.ignore_patterns("datastore"))
        path = data / "joint-inspections" / "findings.csv"
        with path.open(newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        ours = [r for r in rows if r["council_area"] == "Perth and Kinross"]
        assert len(ours) >= 5
        for row, url in zip(ours, _hostile_sources(server.server_port), strict=False):
            row["source_url"] = url
        ours[3]["finding"] = PHISH
        ours[4]["finding"] = LONG_WORD_TEXT
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        env = {"HELPERS_DATA_DIR": str(data)}
        profile_out, quality_out = tmp_path / "profile", tmp_path / "quality"
        build_reports(profile_out, "--only", "area-profile-perth-and-kinross", env=env)
        build_reports(quality_out, "--only", "04-data-quality", env=env)
        pages = [
            profile_out / "area-profile-perth-and-kinross.html",
            quality_out / "04-data-quality.html",
            profile_out / "index.html",
        ]
        with sync_playwright() as playwright:
            browser = _browser(playwright)
            for html_file in pages:
                page = browser.new_page()
                dialogs = []
                page.on("dialog", lambda d, seen=dialogs: (seen.append(d.message), d.dismiss()))
                page.goto(html_file.resolve().as_uri(), wait_until="networkidle")
                state = page.evaluate(
                    """(phish) => ({
                        main: getComputedStyle(document.querySelector('main')).display,
                        text: document.querySelector('main').innerText.length,
                        styles: [...document.querySelectorAll('main style, main [style]')]
                            .filter(e => !e.closest('nav.reader-toc')).length,
                        handlers: [...document.querySelectorAll('*')].flatMap(
                            e => [...e.attributes].filter(a => a.name.startsWith('on'))).length,
                        phish: [...document.querySelectorAll('a')].filter(
                            a => (a.getAttribute('href') || '').includes('phish.example')).length,
                    })""",
                    PHISH,
                )
                assert not dialogs, (html_file.name, dialogs)
                assert state["main"] != "none" and state["text"] > 1000, (html_file.name, state)
                assert state["handlers"] == 0 and state["phish"] == 0, (html_file.name, state)
                assert state["styles"] == 0, (html_file.name, state)  # but the contents' indent
                page.close()
            browser.close()
        assert not hits, hits
        profile_text = _main(pages[0]).get_text(" ")
        assert PHISH in profile_text  # shown, as text
        quality_text = _fold(" ".join(_pdf_pages(pages[1].with_suffix(".pdf"))))
        assert len(quality_text) > 5000 and "a.example" in quality_text
        # The word's lines, in order, without the running title and page number between pages
        # (lines of other words); its last line also names its source.
        lines = (
            line.strip()
            for text in _pdf_pages(pages[0].with_suffix(".pdf"))
            for line in text.split("\n")
        )
        word = "".join(
            match[1] for line in lines if (match := re.fullmatch(r"([a-z]+)( \(source\))?", line))
        )
        assert LONG_WORD_TEXT in word, len(word)
    finally:
        server.shutdown()
        server.server_close()


def _browser(playwright):
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
    )


def test_reader_pages_pass_axe(full_build):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    axe = Axe()
    problems = []
    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_page()
        for html_file in [full_build / "index.html", *_reports(full_build)]:
            page.goto(html_file.resolve().as_uri())
            results = axe.run(page).response
            for violation in results["violations"]:
                if violation["impact"] in ("serious", "critical") or violation["id"] in (
                    "empty-table-header",
                ):
                    targets = [n["target"] for n in violation["nodes"][:3]]
                    problems.append((html_file.name, violation["id"], targets))
            empty = page.evaluate(
                "() => [...document.querySelectorAll('th')]"
                ".filter(th => !th.textContent.trim()).length"
            )
            if empty:
                problems.append((html_file.name, "empty th", empty))
        browser.close()
    assert not problems, problems[:20]


def test_reader_charts_keep_legible_size_on_a_phone(full_build, tmp_path):
    """At 390 px wide, figures are not shrunk: shown at their own size (drawn at 110 dpi, so the
    smallest chart text, 6 pt and up, is at least 9 px), scrolling sideways in their output."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        checked = 0
        for name in ("02-scotland-compared.html", "area-profile-perth-and-kinross.html"):
            page.goto((full_build / name).resolve().as_uri())
            scales = page.evaluate(
                "() => [...document.querySelectorAll('.jp-OutputArea-output img')]"
                ".map(i => i.getBoundingClientRect().width / i.naturalWidth)"
            )
            assert scales and min(scales) >= 0.99, (name, scales)
            checked += len(scales)
            # The page itself does not scroll sideways: each figure scrolls in its output.
            assert page.evaluate("() => document.documentElement.scrollWidth") <= 400, name
            page.screenshot(path=str(tmp_path / f"{name}.png"))
        browser.close()
    assert checked >= 2


def test_reader_check_finds_nothing_a_reader_would_mark(full_build):
    """The reader check (tests/readercheck.py) over every built report: no word cut across
    lines, no heading or caption alone at the foot of a page, no word about how the report was
    made outside its colophon and Methods section, and key points on every first page."""
    from readercheck import check_folder

    reports = sorted(p for p in full_build.glob("*.html") if p.name != "index.html")
    assert len(reports) >= 69  # 01-06, 32 profiles, 32 what-changed: none skipped
    defects = [str(d) for d in check_folder(full_build)]
    assert not defects, "\n".join(defects[:20])


@needs_chromium
def test_build_perth_and_kinross_profile_pdf_states_its_grades(full_build):
    """The real profile, from the session's full build (see conftest.py)."""
    assert (paths.notebooks_dir() / build.PROFILE_TEMPLATE).exists()
    text = " ".join(" ".join(_pdf_pages(full_build / "area-profile-perth-and-kinross.pdf")).split())
    assert "two were graded excellent, six very good and one good" in text


# ---------------------------------------------------------------- figures to reuse

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _numbers(text: str) -> list[float]:
    return sorted(float(x) for x in _NUMBER.findall(text))


def _same(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(
        math.isclose(x, y, rel_tol=1e-5, abs_tol=1e-6) for x, y in zip(a, b, strict=True)
    )


def _grid_text(table) -> str:
    """A table's cells as the CSV has them: a cell spanning rows or columns is repeated."""
    carry: dict[int, tuple[str, int]] = {}
    texts = []
    for tr in table.find_all("tr"):
        cells, col = iter(tr.find_all(["th", "td"])), 0
        while True:
            if col in carry:
                text, left = carry.pop(col)
                if left > 1:
                    carry[col] = (text, left - 1)
                texts.append(text)
                col += 1
                continue
            cell = next(cells, None)
            if cell is None:
                break
            text, span = cell.get_text(" ", strip=True), int(cell.get("colspan", 1))
            if int(cell.get("rowspan", 1)) > 1:
                carry[col] = (text, int(cell["rowspan"]) - 1)
            texts += [text] * span
            col += span
    return " ".join(texts)


def test_every_figure_links_its_png_svg_and_csv_of_the_numbers_drawn(full_build):
    """02 (joint inspections) and Stirling's two reports (its profile, with care services, and
    what changed): every figure of each, checked to the number."""
    from PIL import Image

    built = full_build
    reports = sorted(p for p in built.glob("*.html") if p.name != "index.html")
    pages = [p for p in reports if p.stem.startswith("02-") or p.stem.endswith("-stirling")]
    assert len(pages) == 3
    manifest = json.loads((built / record.MANIFEST).read_text(encoding="utf-8"))
    checked = 0
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        images = soup.select(".jp-OutputArea-output img")
        notes = soup.select("p.reader-figure-files")
        assert len(notes) == len(images), page.name
        listed = set(manifest["reports"][page.stem]["figures"])
        for note in notes:
            hrefs = [a["href"] for a in note.find_all("a")]
            assert all((built / h).is_file() for h in hrefs), hrefs
            assert set(hrefs) <= listed
            png, svg = (built / h for h in hrefs[:2])
            with Image.open(png) as image:
                image.verify()
            assert ET.parse(svg).getroot().tag.endswith("svg")
            assert len(hrefs) == 3, f"{page.name}: a figure without its table's CSV"
            lines = (built / hrefs[2]).read_text(encoding="utf-8").splitlines()
            assert lines[1].startswith(f"# Source: {figures.csv_source(page.stem)}; data ")
            care = "datastore of registered care services" in lines[1]
            assert care == (not page.stem.startswith("02-")), lines[1]
            assert lines[2].startswith("# Licence: Open Government Licence v3.0")
            body = "\n".join(line for line in lines if not line.startswith("#"))
            table = note.find_next("table")
            shown = _grid_text(table)
            assert _same(_numbers(body), _numbers(shown)), (hrefs[2], body, shown)
            checked += 1
    assert checked >= 4
    # Nothing but the pages and their PDFs, their figures' files, the index, the manifest and
    # the folder's build lock (kept: removing a lock file races with a build about to take it).
    names = {p.name for p in built.iterdir()}
    entries = manifest["reports"].values()
    assert names == {"index.html", record.MANIFEST, lock.LOCK_NAME} | {
        name for r in entries for name in (r["html"], r["pdf"], *r["figures"])
    }
