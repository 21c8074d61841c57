"""Tests of what a reader gets, on small pages made here: readable sources and tables, escaped
data, nothing that runs, the colophon, key points and contents in their places.

The same checks on real builds (the full build's PDFs and pages, hostile data built for real,
accessibility and phones in Chromium) are in ``tests/e2e/test_built_reports.py``.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from hostile import HOSTILE, executable

from helpers import profile
from helpers.build import export, tables
from helpers.build.colophon import CODE_LICENCE, DATA_LICENCE
from helpers.build.contents import TOC_MIN_HEADINGS
from helpers.build.page import finish_page
from helpers.build.sanitize import sanitize

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
    assert not executable(rendered) and not rendered.find_all(["a", "img", "svg"])
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
