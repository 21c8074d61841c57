"""Tests of what a reader gets: PDFs that lose nothing, titled and numbered pages, readable
sources, escaped data, accessible pages, charts legible on a phone.

The end-to-end tests share one full build (``full_build``, about a minute) and are marked
``slow``; the accessibility and phone checks drive headless Chromium through Playwright.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from helpers import paths, profile
from helpers.build import export, printer, tables
from helpers.build.colophon import CODE_LICENCE, DATA_LICENCE
from helpers.build.contents import TOC_MIN_HEADINGS
from helpers.build.page import finish_page
from helpers.build.sanitize import sanitize

CHROMIUM = printer.find_chromium()
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

#: Data text that would run in a reader's browser if it were not escaped.
HOSTILE = (
    "<img src=x onerror=alert(2)> <script>alert(1)</script> "
    '<a href="javascript:alert(3)">x</a> [click](javascript:alert(4)) <svg onload=alert(5)>'
)


def _build(out: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "helpers.build", "--out", str(out), "--force", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg", **(env or {})},
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


@pytest.fixture(scope="session")
def full_build(tmp_path_factory) -> Path:
    """Every report (notebooks and area profiles), HTML and PDF, built once for the session."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed")
    out = tmp_path_factory.mktemp("reports")
    _build(out)
    return out


def _reports(out: Path) -> list[Path]:
    pages = sorted(p for p in out.glob("*.html") if p.name != "index.html")
    assert pages, "the build wrote no reports"
    return pages


def _fold(text: str) -> str:
    """Text compared without whitespace, hyphens (wrapping adds them) or case."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text).casefold()


def _pdf_pages(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(path).pages]


def _main(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# ---------------------------------------------------------------- unit tests of the export


def test_reader_bare_addresses_become_site_names():
    url = "https://www.careinspectorate.com/index.php/news/4343-joint-inspection"
    table = (
        "<table><thead><tr><th>area</th><th>source</th></tr></thead><tbody>"
        f"<tr><td>Fife</td><td>{url}</td></tr>"
        '<tr><td>Moray</td><td><a href="https://www.fifetoday.co.uk/a" target="_blank">'
        "https://www.fifetoday.co.uk/a</a></td></tr></tbody></table>"
    )
    soup = BeautifulSoup(tables.tidy_tables(table), "html.parser")
    links = soup.find_all("a")
    assert [a.get_text() for a in links] == ["Care Inspectorate", "fifetoday.co.uk"]
    assert links[0]["href"] == url and links[0]["title"] == url
    assert not soup.find(string=re.compile("https?://"))


def test_reader_one_source_on_every_row_is_said_once_under_the_table():
    url = "https://www.careinspectorate.com/index.php/news/1"
    rows = "".join(
        f'<tr><td>finding {i}</td><td><a href="{url}">{url}</a></td></tr>' for i in range(3)
    )
    table = (
        f"<table><thead><tr><th>finding</th><th>source_url</th></tr></thead><tbody>{rows}"
        "</tbody></table>"
    )
    soup = BeautifulSoup(tables.tidy_tables(table), "html.parser")
    assert len(soup.find_all("a")) == 1
    assert [th.get_text() for th in soup.find_all("th")] == ["finding"]
    note = soup.find("p", class_="reader-table-source")
    assert note is not None and note.find("a")["href"] == url
    assert note.get_text() == "Source, the same for every row: Care Inspectorate"


def test_reader_empty_header_cells_become_plain_cells():
    import pandas as pd

    frame = pd.DataFrame({"a": [1], "b": [2]}, index=pd.Index(["x"], name="area"))
    soup = BeautifulSoup(tables.tidy_tables(frame.to_html()), "html.parser")
    assert all(th.get_text(strip=True) for th in soup.find_all("th"))


def test_reader_sanitize_removes_what_could_run():
    soup = BeautifulSoup(
        sanitize(
            '<div onclick="x()"><script>alert(1)</script><img src="x" onerror="alert(2)">'
            '<a href=" JavaScript:alert(3)">a</a><iframe src="https://e.x"></iframe>'
            '<img src="data:image/png;base64,AAAA"><a href="data:text/html,<b>">d</a></div>'
        ),
        "html.parser",
    )
    assert not soup.find_all(["script", "iframe"])
    assert not [a for t in soup.find_all(True) for a in t.attrs if a.startswith("on")]
    assert [a.get("href") for a in soup.find_all("a")] == [None, None]
    # The image with a source to fetch is gone; the embedded one stays.
    assert [i["src"][:15] for i in soup.find_all("img")] == ["data:image/png;"]
    assert "alert(1)" not in str(soup)  # a script's text goes with it


@pytest.mark.parametrize(
    "hostile",
    [
        '<!--> <img src=x onerror="alert(1)"> -->',
        '<!--!> <img src=x onerror="alert(1)"> -->',
        '<svg><style><img src=x onerror="alert(1)"></style></svg>',
        '<a href="java&#9;script:alert(1)">t</a>',
        '<a href="java&#10;script:alert(1)">n</a>',
        '<a href="&#1;javascript:alert(1)">c</a>',
        '<svg><a><animate attributeName="href" values="javascript:alert(1)"/>'
        "<text>a</text></a></svg>",
        '<svg><set attributeName="href" to="javascript:alert(1)"/></svg>',
        '<svg><foreignObject><img src=x onerror="alert(1)"></foreignObject></svg>',
        "<math><mtext><table><mglyph><style>"
        '<img src=x onerror="alert(1)"></style></mglyph></table></mtext></math>',
    ],
)
def test_reader_sanitize_holds_where_parsers_disagree(hostile):
    """What Python's parser reads as text or a comment but a browser as markup, and URLs a
    browser reads as javascript: once it drops tabs and newlines: nothing of it survives."""
    out = sanitize(f"<div>{hostile}</div>")
    again = BeautifulSoup(out, "html.parser")  # the output, read again
    assert not again.find_all(["img", "animate", "set", "style", "math", "foreignobject"]), out
    assert not [a for t in again.find_all(True) for a in t.attrs if a.startswith("on")], out
    values = "".join(str(v) for t in again.find_all(True) for v in t.attrs.values())
    assert "javascript" not in re.sub(r"\s", "", values).lower(), out
    assert "<!--" not in out, out


def test_reader_sanitize_keeps_the_front_page_maps_whole():
    """The allowlist keeps what the reports need: the tile maps' inline SVG, links, classes."""
    from helpers.build import front

    maps = "".join(
        front.tile_map(v, {"Fife": "area-profile-fife.html"}) for v in front.map_values()
    )
    raw, clean = (BeautifulSoup(h, "html.parser") for h in (maps, sanitize(maps)))

    def described(soup):
        return [(t.name, sorted(set(t.attrs) - {"rel"})) for t in soup.find_all(True)]

    assert described(clean) == described(raw)
    assert clean.find("a", href="area-profile-fife.html")["rel"] == ["noopener", "noreferrer"]
    assert [p["fill"] for p in clean.find_all("rect")] == [p["fill"] for p in raw.find_all("rect")]


@pytest.mark.parametrize(
    "hostile",
    [
        '<rect fill="url(http://127.0.0.1:9/beacon#a)"/>',
        '<img src="http://127.0.0.1:9/beacon">',
        '<img srcset="http://127.0.0.1:9/beacon 1x" src="x">',
        '<div style="background:url(http://127.0.0.1:9/beacon)">x</div>',
        "<style>main{display:none}</style>",
        '<style>a{}</style/><img/src="x"/onerror="alert(1)"></style>',
        '<svg><image href="http://127.0.0.1:9/beacon"/></svg>',
        '<svg><use href="http://127.0.0.1:9/beacon#a"/></svg>',
        '<link rel="stylesheet" href="http://127.0.0.1:9/beacon">',
        '<template><img src="http://127.0.0.1:9/beacon"></template>',
    ],
)
def test_reader_sanitize_leaves_nothing_that_loads_or_hides(hostile):
    out = sanitize(f"<div><svg>{hostile}</svg>{hostile}</div>")
    assert "127.0.0.1" not in out and "<style" not in out and "style=" not in out, out
    assert "<img" not in out and "<link" not in out and "alert" not in out, out


def test_linked_table_escapes_addresses_and_links_only_web_addresses():
    import pandas as pd

    from helpers.display import Linked

    hostile = 'https://a.example/"><style>a{}</style/><img/src="x"/onerror="alert(1)"></style>'
    table = pd.DataFrame(
        {
            "detail": ["https://phish.example/login", "<b>x</b>", "y"],
            "source": [hostile, "javascript:alert(1)", "https://ok.example/a?b=1&c=2"],
        }
    )
    soup = BeautifulSoup(Linked(table)._repr_mimebundle_()["text/html"], "html.parser")
    assert not soup.find_all(["style", "img", "b"])
    assert [a["href"] for a in soup.find_all("a")] == [hostile, "https://ok.example/a?b=1&c=2"]
    assert soup.find("td").get_text() == "https://phish.example/login"  # text, not a link
    assert "javascript:alert(1)" in soup.get_text()


def test_reader_address_in_a_text_column_stays_text():
    url = "https://phish.example/login"
    table = (
        "<table><thead><tr><th>note</th><th>source</th></tr></thead><tbody>"
        f"<tr><td>{url}</td><td>{url}/1</td></tr><tr><td>{url}</td><td>{url}/2</td></tr>"
        "</tbody></table>"
    )
    soup = BeautifulSoup(tables.tidy_tables(table), "html.parser")
    for row in soup.select("tbody tr"):
        assert [bool(c.find("a")) for c in row.find_all("td")] == [False, True]
    # A table on its side: the row's header says which values are sources.
    side = (
        "<table><thead><tr><th>fact</th><th>value</th></tr></thead><tbody>"
        f"<tr><th>source</th><td>{url}/1</td></tr><tr><th>note</th><td>{url}</td></tr>"
        "</tbody></table>"
    )
    rows = BeautifulSoup(tables.tidy_tables(side), "html.parser").select("tbody tr")
    assert rows[0].find("a") is not None and rows[1].find("a") is None
    assert rows[1].td.get_text() == url


def test_reader_direction_controls_in_data_text_are_shown():
    """A service name with a right-to-left override (it would read backwards) is shown with the
    control named, in the reader's HTML of a notebook's output, through the real exporter."""
    import nbformat
    import pandas as pd

    from helpers.build.sanitize import visible_controls
    from helpers.exporters import ReaderHTMLExporter

    controls = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    assert visible_controls(controls) == "".join(f"[U+{ord(c):04X}]" for c in controls)
    name = "Tots \u202eR suT nursery"
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("services")
    frame = pd.DataFrame({"service": [name], "places": [22]})
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/html": frame.to_html(), "text/plain": name}
        )
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Services"), cell]
    page, _ = ReaderHTMLExporter().from_notebook_node(nb)
    assert "\u202e" not in page
    assert "Tots [U+202E]R suT nursery" in BeautifulSoup(page, "html.parser").get_text()


@pytest.mark.parametrize(
    "char",
    ["\x00", "\x01", "\x1b", "\x7f", "\x85", "\x9b", "\u200b", "\u200c", "\u200d", "\u2060"]
    + ["\ufeff", "\u2028", "\u2029"],
)
def test_reader_control_and_invisible_characters_in_data_text_are_shown(char):
    """A care service's name as published may hold a control character (the committed tables
    keep the publisher's text): NUL, ESC, DEL, C1, the zero-width and other invisible format
    characters and the line and paragraph separators are shown as marks naming them, through the
    real exporter, in a table and in a Markdown output."""
    import nbformat
    import pandas as pd

    from helpers.exporters import ReaderHTMLExporter

    mark = f"[U+{ord(char):04X}]"
    name = f"Little{char}Acorns nursery"
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("services")
    frame = pd.DataFrame({"service": [name], "places": [22]})
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": frame.to_html()}),
        nbformat.v4.new_output("display_data", data={"text/markdown": f"**{name}** is open."}),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Services"), cell]
    page, _ = ReaderHTMLExporter().from_notebook_node(nb)
    start = page.index("<main")
    assert char not in page[start:]
    text = BeautifulSoup(page, "html.parser").get_text()
    assert text.count(f"Little{mark}Acorns nursery") == 2


def test_reader_page_drops_widget_state_and_its_cdn_script():
    import nbformat
    from nbformat.v4 import new_markdown_cell, new_notebook

    nb = new_notebook(cells=[new_markdown_cell("# T")])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    page = export.render_html(nb, "t")
    assert "unpkg" not in page and "widget-state" not in page
    assert "widgets" in nbformat.from_dict(nb).metadata  # the caller's notebook is untouched


def test_reader_page_has_colophon_after_its_first_heading():
    page = "<html><body><main><div><h1 id='t'>Title</h1><p>text</p></div></main></body></html>"
    soup = BeautifulSoup(finish_page(page, built="2026-01-02"), "html.parser")
    colophon = soup.find(class_="reader-colophon")
    assert colophon.find_previous("h1") is not None
    text = colophon.get_text(" ")
    assert "Built 2 January 2026" in text and "data " in text
    assert DATA_LICENCE in text and CODE_LICENCE in text
    assert "Cite as: Inspections of services for children in Scotland, \u2018Title\u2019" in text


def test_reader_key_points_come_first_then_colophon_then_contents():
    from helpers.display import KeyPoints

    points = KeyPoints(["First <thing>.", "Second.", "Third."])._repr_html_()
    heads = "".join(f'<h2 id="s{i}">S{i}</h2>' for i in range(TOC_MIN_HEADINGS))
    page = f"<html><body><main><h1>Title</h1>{points}{heads}</main></body></html>"
    soup = BeautifulSoup(finish_page(page), "html.parser")
    box = soup.find("section", class_="reader-key-points")
    assert [li.get_text() for li in box.find_all("li")] == ["First <thing>.", "Second.", "Third."]
    assert box.find_previous_sibling("h1") is not None
    colophon = box.find_next_sibling()
    assert colophon["class"] == ["reader-colophon"]
    assert colophon.find_next_sibling()["class"] == ["reader-toc"]
    contents = [a.get_text() for a in soup.find("nav").find_all("a")]
    assert "Key points" not in contents and len(contents) == TOC_MIN_HEADINGS


def test_reader_profile_markdown_escapes_data_text():
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    text = profile.md(HOSTILE)
    assert "<" not in text and ">" not in text
    rendered = BeautifulSoup(markdown2html_mistune(f"- {text}"), "html.parser")
    assert not _executable(rendered) and not rendered.find_all(["a", "img", "svg"])
    assert rendered.get_text(" ").strip() == HOSTILE  # shown exactly as the data has it


#: Data text whose line breaks or start would make Markdown structure if not neutralised.
BLOCKS = [
    "line1\n\n# heading24\n\n    code",
    "a\r\n## b\u2028> c\u2029- d\r+ e\n1. f\n~~~\ng\n---",
    "# at the start",
    "    indented four spaces",
    "\t\ttabbed",
    "- a list item",
    "+ another",
    "2024. a year then a full stop",
    "3) a paren list",
    "> a quote",
    "~~~ a fence",
    "===",
]


@pytest.mark.parametrize("text", BLOCKS, ids=range(len(BLOCKS)))
@pytest.mark.parametrize("where", ["{}", "- {}", "### {}", "**{}**"])
def test_reader_profile_markdown_data_text_makes_no_block(text, where):
    """Wherever data text is put (a paragraph, a list item, a heading, bold), its line breaks
    and its start make no heading, list, quote, code block or rule: it reads as one line."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    source = where.format(profile.md(text))
    assert not re.search(r"[\r\n\u2028\u2029]", source)
    rendered = BeautifulSoup(markdown2html_mistune(source), "html.parser")
    blocks = ["h1", "h2", "h4", "h5", "h6", "pre", "code", "blockquote", "ol", "hr"]
    assert not rendered.find_all(blocks), source
    assert len(rendered.find_all(["p", "h3", "li"])) == 1, source
    assert len(rendered.find_all("li")) == (where == "- {}")
    shown = rendered.get_text(" ").removesuffix("\u00b6")  # a heading's anchor link: ¶
    assert " ".join(shown.split()) == " ".join(text.split())


def _page_with_headings(h2: int, h3: int = 0) -> str:
    heads = "".join(
        f'<h2 id="s{i}">Section &lt;{i}&gt;<a class="anchor-link" href="#s{i}">\u00b6</a></h2>'
        for i in range(h2)
    ) + "".join(f'<h3 id="t{i}">Part {i}</h3>' for i in range(h3))
    return f"<html><body><main><h1>Title</h1>{heads}<h2>No id</h2></main></body></html>"


def test_reader_long_page_gets_linked_contents_short_page_none():
    n = TOC_MIN_HEADINGS
    long = BeautifulSoup(finish_page(_page_with_headings(n - 2, 2)), "html.parser")
    nav = long.find("nav", class_="reader-toc")
    assert nav is not None and nav["aria-label"] == "Contents"
    links = [(a["href"], a.get_text()) for a in nav.find_all("a")]
    assert links[0] == ("#s0", "Section <0>")  # the words only, escaped again in the page
    assert [href for href, _ in links] == [f"#s{i}" for i in range(n - 2)] + ["#t0", "#t1"]
    assert nav.find_previous_sibling("div")["class"] == ["reader-colophon"]  # under the colophon
    short = finish_page(_page_with_headings(n - 1))
    assert "reader-toc" not in short


# ---------------------------------------------------------------- the full build


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_reader_long_reports_open_with_linked_contents_in_html_and_pdf(full_build):
    from pypdf import PdfReader

    long_reports = 0
    for page in _reports(full_build):
        soup = _main(page)
        nav = soup.find("nav", class_="reader-toc")
        first = PdfReader(page.with_suffix(".pdf")).pages[0]
        text = first.extract_text() or ""
        # Every PDF is tagged, with bookmarks: the report's title, then its sections.
        outline = PdfReader(page.with_suffix(".pdf")).outline
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


@pytest.mark.slow
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


def _executable(soup: BeautifulSoup) -> list[str]:
    found = [f"<script> {s.get_text()[:60]!r}" for s in soup.find_all("script")]
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"<{tag.name} {name}>")
            elif isinstance(value, str) and re.match(r"\s*javascript:", value, re.I):
                found.append(f"<{tag.name} {name}={value!r}>")
    return found


@pytest.mark.slow
def test_reader_full_build_has_nothing_executable(full_build):
    for page in [*_reports(full_build), full_build / "index.html"]:
        assert not _executable(_main(page)), page.name


@needs_chromium
@pytest.mark.slow
def test_reader_hostile_data_text_is_shown_not_run(tmp_path):
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
    _build(out, "--only", "area-profile-perth-and-kinross", env={"HELPERS_DATA_DIR": str(data)})
    for page in (out / "area-profile-perth-and-kinross.html", out / "index.html"):
        soup = _main(page)
        assert not _executable(soup), page.name
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
@pytest.mark.slow
def test_reader_hostile_sources_and_text_in_a_real_browser(tmp_path):
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
        _build(profile_out, "--only", "area-profile-perth-and-kinross", env=env)
        _build(quality_out, "--only", "04-data-quality", env=env)
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


# ---------------------------------------------------------------- in a browser


def _browser(playwright):
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
    )


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_reader_check_finds_nothing_a_reader_would_mark(full_build):
    """The reader check (tests/readercheck.py) over every built report: no word cut across
    lines, no heading or caption alone at the foot of a page, no word about how the report was
    made outside its colophon and Methods section, and key points on every first page."""
    sys.path.insert(0, str(Path(__file__).parent))
    from readercheck import check_folder

    reports = sorted(p for p in full_build.glob("*.html") if p.name != "index.html")
    assert len(reports) >= 69  # 01-06, 32 profiles, 32 what-changed: none skipped
    defects = [str(d) for d in check_folder(full_build)]
    assert not defects, "\n".join(defects[:20])


def test_reader_tables_break_addresses_at_boundaries_and_wide_ones_turn_landscape():
    host = "careinspectoratelive2.mtcserver.com"
    heads = "".join(f"<th>Participation heading {i}</th>" for i in range(12))
    cells = "".join(f"<td>{host}</td>" for _ in range(12))
    wide = f"<table><thead><tr>{heads}</tr></thead><tbody><tr>{cells}</tr></tbody></table>"
    narrow = f"<table><thead><tr><th>domain</th></tr></thead><tbody><tr><td>{host}</td></tr></tbody></table>"  # noqa: E501
    soup = BeautifulSoup(tables.tidy_tables(wide + narrow), "html.parser")
    wide_table, narrow_table = soup.find_all("table")
    assert "reader-landscape" in wide_table["class"]
    assert "reader-landscape" not in narrow_table.get("class", [])
    cell = narrow_table.find("td")
    assert str(cell) == "<td>careinspectoratelive2<wbr/>.mtcserver<wbr/>.com</td>"
    assert "reader-break" not in cell.get("class", [])  # no piece is long enough to cut


def test_reader_bold_line_before_a_table_becomes_its_caption():
    page = (
        "<main><div class='jp-OutputArea'><div class='jp-OutputArea-child'>"
        "<div class='jp-RenderedMarkdown'><p><strong>In Scotland: every service</strong></p>"
        "</div></div><div class='jp-OutputArea-child'><table><thead><tr><th>a</th></tr></thead>"
        "<tbody><tr><td>x</td></tr></tbody></table></div></div></main>"
    )
    soup = BeautifulSoup(finish_page(page), "html.parser")
    caption = soup.find("table").find("caption")
    assert caption is not None and caption.get_text() == "In Scotland: every service"
    assert "reader-caption" in caption["class"]
    assert soup.find("strong") is None  # said once, as the caption


def test_reader_table_index_names_go_into_the_header_row_above():
    """pandas' row of index names ('snapshot', 'place', then empty cells) is not a stray row."""
    import pandas as pd

    frame = pd.DataFrame(
        {"Private (%)": [72, 70], "services": [196, 9614]},
        index=pd.MultiIndex.from_tuples([("2017", "Fife"), ("2017", "Scotland")]),
    )
    frame.index.names = ["snapshot", "place"]
    soup = BeautifulSoup(tables.tidy_tables(frame.to_html()), "html.parser")
    rows = soup.find("thead").find_all("tr")
    assert [[c.get_text(strip=True) for c in r.find_all(["th", "td"])] for r in rows] == [
        ["snapshot", "place", "Private (%)", "services"]
    ]
    assert all(c.name == "th" for c in rows[0].find_all(["th", "td"]))
    plain = pd.DataFrame({"a": [1]}, index=pd.Index(["x"], name=None))
    untouched = BeautifulSoup(tables.tidy_tables(plain.to_html()), "html.parser")
    assert len(untouched.find("thead").find_all("tr")) == 1
