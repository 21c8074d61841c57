"""Each figure's files beside its report (PNG, SVG and the CSV of the numbers drawn), and the
figure's links and caption in the reader's page.

Why its own module: a reader may reuse a figure, so each comes with its files, and its CSV says
what it is, where the numbers come from and under which licence. The files travel in the
notebook's outputs only while the build runs (:func:`figure_files_env`, read by
:mod:`helpers.display`); JupyterLab, stock exports and nbval never see them.
"""

from __future__ import annotations

import contextlib
import re

import nbformat

from helpers.build.colophon import data_version

#: The first lines of every figure's CSV: what it is, where the numbers come from, the licence.
JOINT_SOURCE = (
    "joint inspections of services for children: the Care Inspectorate's and its partners' "
    "published reports, as compiled in the project's tables (data/joint-inspections)"
)
CARE_SOURCE = "the Care Inspectorate's datastore of registered care services (data/care-services)"
#: The source of each report's figures, by the start of its stem; other reports: joint only.
CSV_SOURCES = {
    "03-": CARE_SOURCE,
    "05-": CARE_SOURCE,
    "area-profile": f"{JOINT_SOURCE}; {CARE_SOURCE}",
}


def csv_source(stem: str) -> str:
    """Where the numbers of report ``stem``'s figures come from."""
    return next((s for prefix, s in CSV_SOURCES.items() if stem.startswith(prefix)), JOINT_SOURCE)


CSV_LICENCE = (
    "Open Government Licence v3.0 "
    "(https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/); "
    "contains public sector information"
)


@contextlib.contextmanager
def figure_files_env():
    """While the build runs: kernels started now give figures their files (helpers.display)."""
    import os

    from helpers.display import FIGURE_FILES_ENV

    before = os.environ.get(FIGURE_FILES_ENV)
    os.environ[FIGURE_FILES_ENV] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(FIGURE_FILES_ENV, None)
        else:
            os.environ[FIGURE_FILES_ENV] = before


def _csv_text(body: str, stem: str, title: str, number: int, caption: str, alt: str = "") -> str:
    """The CSV under its header: the figure (its title, else its alt text), source, licence."""
    caption = caption.removeprefix("Figure: ").replace(
        "The numbers drawn are in the table below.", ""
    )
    caption = caption.strip() or alt
    lines = [
        f"# Figure {number} of the report '{title}': {caption}",
        f"# Source: {csv_source(stem)}; {data_version()}",
        f"# Licence: {CSV_LICENCE}",
    ]
    return "".join(" ".join(line.split()) + "\n" for line in lines) + body


def extract_figures(nb: nbformat.NotebookNode, stem: str, title: str) -> dict[str, bytes]:
    """Take each figure's files out of ``nb`` (changed in place) and say where they will be.

    A figure output carrying :data:`helpers.display.FIGURE_MIME` loses it, and its PNG
    metadata gets ``figure_files`` (the links the template puts under the figure). Returns the
    files to write beside the report: ``<stem>-figure-<n>.png``, ``.svg`` and ``.csv`` (the
    numbers drawn, under lines naming the source and the licence; no CSV without a table).
    """
    import base64

    from helpers.display import FIGURE_MIME

    files: dict[str, bytes] = {}
    number = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            extra = data.pop(FIGURE_MIME, None)
            if extra is None or "image/png" not in data:
                continue
            number += 1
            base = f"{stem}-figure-{number}"
            files[f"{base}.png"] = base64.b64decode(data["image/png"])
            files[f"{base}.svg"] = extra["svg"].encode("utf-8")
            links = [
                {"href": f"{base}.png", "text": "PNG"},
                {"href": f"{base}.svg", "text": "SVG"},
            ]
            if extra.get("csv") is not None:
                caption = extra.get("caption") or ""
                alt = output.get("metadata", {}).get("image/png", {}).get("alt", "")
                text = _csv_text(extra["csv"], stem, title, number, caption, alt)
                files[f"{base}.csv"] = text.encode("utf-8")
                links.append({"href": f"{base}.csv", "text": "CSV of the numbers drawn"})
            metadata = output.setdefault("metadata", {}).setdefault("image/png", {})
            metadata["figure_files"] = {"label": f"Figure {number} to reuse", "links": links}
    return files


def links_under_figures(body: str) -> str:
    """Move each figure's links (written after its output by the template) into the output,
    under the image: beside it, they would be a column of the output's row."""
    return re.sub(r'</div>\s*(<p class="reader-figure-files">.*?</p>)', r"\1</div>", body)


_CAPTION = re.compile(
    r'(<div class="figure-caption" data-caption="(?P<short>[^"]*)"[^>]*>)(?P<alt>.*?)(</div>)',
    re.S,
)


def short_captions(body: str) -> str:
    """A figure's visible caption names the chart (``data-caption``), not its alt text: in the
    reader's page the ``<img>`` carries the alt text, and a screen reader must not read it twice.
    (In JupyterLab and stock exports, where the image has no alt, the caption is the alt text.)
    """
    return _CAPTION.sub(lambda m: f"{m[1]}{m['short']}</div>", body)
