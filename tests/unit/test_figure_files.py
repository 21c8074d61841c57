"""Figures to reuse: a figure's PNG, SVG and the CSV of its numbers, made when the build asks,
and replaced with the page they belong to.

The figures of a real build, checked to the number against their tables, are tested in
``tests/e2e/test_built_reports.py``.
"""

from __future__ import annotations

import base64
import os
import xml.etree.ElementTree as ET

import matplotlib
import nbformat
from matplotlib.figure import Figure

from helpers import display
from helpers.build import export, record


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
