"""Figures to reuse: each figure of a built report links its PNG, SVG and the CSV of its numbers.

The CSV must hold exactly the numbers of the table shown under the figure (both are parsed and
compared), under lines naming the source and the licence; the PNG and SVG must open.
"""

from __future__ import annotations

import base64
import json
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib
import nbformat
import pytest
from bs4 import BeautifulSoup
from matplotlib.figure import Figure

from helpers import display
from helpers.build import export, figures, lock, record

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


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("figures")
    for pattern in ("02", "*stirling*"):
        done = subprocess.run(
            [sys.executable, "-m", "helpers.build", "--out", str(out), "--force", "--no-pdf",
             "--only", pattern],
            capture_output=True, text=True, timeout=900, check=False,
            env={**os.environ, "MPLBACKEND": "Agg"},
        )  # fmt: skip
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


@pytest.mark.slow
def test_every_figure_links_its_png_svg_and_csv_of_the_numbers_drawn(built):
    from PIL import Image

    pages = sorted(p for p in built.glob("*.html") if p.name != "index.html")
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
    # Nothing but the pages, their figures' files, the index, the manifest and the folder's
    # build lock (kept: removing a lock file races with a build about to take it).
    names = {p.name for p in built.iterdir()}
    assert names == {"index.html", record.MANIFEST, lock.LOCK_NAME} | {p.name for p in pages} | {
        f for r in manifest["reports"].values() for f in r["figures"]
    }


def _figure_nb(env: bool) -> nbformat.NotebookNode:
    import pandas as pd

    fig = Figure()
    fig.add_subplot().bar(["a", "b"], [1, 2])
    table = pd.DataFrame({"area": ["a", "b"], "count": [1, 2]})
    old = os.environ.pop(display.FIGURE_FILES_ENV, None)
    if env:
        os.environ[display.FIGURE_FILES_ENV] = "1"
    try:
        data, metadata = display.FigureOutput(fig, "A bar chart.", table)._repr_mimebundle_()
    finally:
        os.environ.pop(display.FIGURE_FILES_ENV, None)
        if old is not None:
            os.environ[display.FIGURE_FILES_ENV] = old
    output = nbformat.v4.new_output("display_data", data=data, metadata=metadata)
    cell = nbformat.v4.new_code_cell(outputs=[output])
    return nbformat.v4.new_notebook(cells=[cell])


def test_figure_files_only_when_the_build_asks():
    assert display.FIGURE_MIME not in _figure_nb(False).cells[0].outputs[0].data
    nb = _figure_nb(True)
    nbformat.validate(nb)
    page, files = export.render_report(nb, "T <i>", "rep")
    assert display.FIGURE_MIME in nb.cells[0].outputs[0].data  # the caller's copy is kept
    assert sorted(files) == ["rep-figure-1.csv", "rep-figure-1.png", "rep-figure-1.svg"]
    assert files["rep-figure-1.png"] == base64.b64decode(nb.cells[0].outputs[0].data["image/png"])
    csv = files["rep-figure-1.csv"].decode()
    assert csv.splitlines()[3:] == ["area,count", "a,1", "b,2"]
    assert csv.splitlines()[0] == "# Figure 1 of the report 'T <i>': A bar chart."  # no title
    assert 'href="rep-figure-1.csv"' in page and "T <i>" not in page.split("<main>")[1]
    assert ET.fromstring(files["rep-figure-1.svg"]).tag.endswith("svg")
    assert matplotlib.get_backend()  # nothing above needed pyplot


def test_new_page_replaces_old_figure_files(tmp_path):
    from helpers.atomic import stage

    (tmp_path / "rep.html").write_text("old")
    for name in ("rep-figure-1.png", "rep-figure-2.png", "rep-other-figure-1.png"):
        (tmp_path / name).write_bytes(b"old")
    manifest = record.load_manifest(tmp_path)
    moves = {
        "rep.html": stage(tmp_path / "rep.html", lambda t: t.write_text("new")),
        "rep-figure-1.png": stage(tmp_path / "rep-figure-1.png", lambda t: t.write_bytes(b"n")),
    }
    record.commit(tmp_path, manifest, "rep", {"html": "rep.html"}, moves)
    assert (tmp_path / "rep-figure-1.png").read_bytes() == b"n"
    assert not (tmp_path / "rep-figure-2.png").exists()
    assert (tmp_path / "rep-other-figure-1.png").exists()  # another report's
    assert manifest["reports"]["rep"]["figures"] == ["rep-figure-1.png"]
    # A commit without a new page (a PDF only) keeps the figures it has.
    record.commit(tmp_path, manifest, "rep", {"html": "rep.html"}, {})
    assert manifest["reports"]["rep"]["figures"] == ["rep-figure-1.png"]
    assert (tmp_path / "rep-figure-1.png").exists()
