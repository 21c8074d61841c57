"""Figures to reuse, in a real build: each figure of a built report links its PNG, SVG and the
CSV of its numbers.

The CSV must hold exactly the numbers of the table shown under the figure (both are parsed and
compared), under lines naming the source and the licence; the PNG and SVG must open. The
reports are those of the session's full build (``full_build``, see ``conftest.py``); how the
files are made and replaced is tested without a build in ``tests/unit/test_figure_files.py``.
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET

from bs4 import BeautifulSoup

from helpers.build import export, lock, record

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
            assert lines[1].startswith(f"# Source: {export.csv_source(page.stem)}; data ")
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
