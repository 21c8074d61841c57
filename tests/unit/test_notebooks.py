"""House rules over every committed notebook: numbers come from data, figures have alt text.

nbval (run by the test command over ``notebooks/``) checks that each notebook's committed outputs
are what its code produces now; these tests check what nbval cannot.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nbformat
import pytest

from helpers import paths

NOTEBOOKS = sorted(paths.notebooks_dir().glob("*.ipynb"))
NUMBER_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty"
GRADE_WORDS = r"excellent|very good|good|adequate|satisfactory|weak|unsatisfactory"
# A count beside a grade, typed by hand: '2 excellent', 'six very good', 'two were graded good'.
TYPED_COUNT = re.compile(
    rf"\b(\d+|{NUMBER_WORDS})\s+(?:(?:indicators?|were|was|graded|rated|as|of them)\s+)*"
    rf"(?:{GRADE_WORDS})\b",
    re.IGNORECASE,
)
# Digits a markdown cell may hold: years, year ranges, programme ids ('cyp-2012'), names with a
# number in them ('COVID-19') and versions ('Open Government Licence v3.0').
ALLOWED_DIGITS = re.compile(
    r"\b(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?\b|\bCOVID-19\b|\bv\d+(?:\.\d+)*\b"
)


def _cells(kind: str):
    for path in NOTEBOOKS:
        notebook = nbformat.read(path, as_version=4)
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type == kind:
                yield path.name, index, cell


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.alts: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.alts.append(dict(attrs).get("alt"))


def test_there_are_notebooks():
    names = [p.name for p in NOTEBOOKS]
    assert "01-perth-and-kinross-2017.ipynb" in names


def test_typed_count_pattern_catches_hand_typed_counts():
    for text in [
        "2 excellent",
        "six very good",
        "Two were graded good",
        "9 indicators graded weak",
    ]:
        assert TYPED_COUNT.search(text), text
    assert not TYPED_COUNT.search("the grades below: excellent, very good and good")


@pytest.mark.parametrize(("name", "index", "cell"), list(_cells("markdown")))
def test_markdown_holds_no_typed_grade_count(name, index, cell):
    text = re.sub(r"\(https?://[^)]*\)|<https?://[^>]*>", "", cell.source)  # links may hold digits
    assert not TYPED_COUNT.search(text), f"{name} cell {index}: {TYPED_COUNT.search(text)[0]!r}"
    digits = re.findall(r"\d+", ALLOWED_DIGITS.sub("", text))
    assert not digits, f"{name} cell {index} types numbers {digits}: compute them in a code cell"


@pytest.mark.parametrize(("name", "index", "cell"), list(_cells("code")))
def test_every_image_output_has_alt_text(name, index, cell):
    for output in cell.get("outputs", []):
        data = output.get("data", {})
        for mime in ("image/png", "image/jpeg", "image/svg+xml"):
            if mime in data and "text/html" not in data:
                alt = output.get("metadata", {}).get(mime, {}).get("alt")
                assert alt, f"{name} cell {index}: a {mime} output without alt text"
        if "text/html" in data:
            parser = _Images()
            parser.feed("".join(data["text/html"]))
            for alt in parser.alts:
                assert alt and alt.strip(), f"{name} cell {index}: an <img> without alt text"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_executed_with_python3_and_no_path_hacks(path):
    notebook = nbformat.read(path, as_version=4)
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3"
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code, "a notebook with no code"
    assert all(c.execution_count for c in code), "committed without outputs: run `make execute`"
    assert not any("sys.path" in c.source for c in code), "import helpers; never edit sys.path"
    assert not any(o.get("output_type") == "error" for c in code for o in c.get("outputs", [])), (
        "committed with an error output"
    )


# Code names, paths and commands: for analysts in JupyterLab, never in a reader's report.
CODE_WORDS = re.compile(r"`|\bhelpers\.|python -m|\bdata/|\bmake \w|_[a-z]+_|\.ipynb|\.csv\b")


@pytest.mark.parametrize(
    ("name", "index", "cell"),
    [c for c in _cells("markdown") if "remove-cell" not in c[2].metadata.get("tags", [])],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_reader_markdown_holds_no_code_names_paths_or_commands(name, index, cell):
    """Markdown a reader sees (cells not tagged remove-cell, which the reader export drops)."""
    assert not CODE_WORDS.findall(cell.source), f"{name} cell {index}: {cell.source[:200]}"


def test_analyst_notes_are_dropped_from_the_reader_export():
    from helpers.build.export import render_html

    path = paths.notebooks_dir() / "01-perth-and-kinross-2017.ipynb"
    nb = nbformat.read(path, as_version=4)
    notes = [c for c in nb.cells if "remove-cell" in c.metadata.get("tags", [])]
    assert notes and "helpers.joint.tables" in notes[0].source
    assert "helpers.joint.tables" not in render_html(nb, "t")


@pytest.mark.parametrize(
    "path", [p for p in NOTEBOOKS if re.match(r"0[1-4]-", p.name)], ids=lambda p: p.name
)
def test_key_points_follow_the_title_cell(path):
    """Page 1 says what matters: the cell after the title shows the key points, computed."""
    cells = nbformat.read(path, as_version=4).cells
    assert cells[0].cell_type == "markdown" and cells[0].source.startswith("# ")
    key = cells[1]
    assert key.cell_type == "code" and "key_points." in key.source, key.source
    html = "".join(o.get("data", {}).get("text/html", "") for o in key.get("outputs", []))
    assert 'class="reader-key-points"' in html
    assert 3 <= html.count("<li>") <= 6
