"""The colophon under a report's key points: when it was built, from which data, its licences,
and how to cite it.

Why its own module: a reader must be able to tell two copies of a report apart, and say where
its numbers come from; the data's version (:func:`data_version`) is a hash of ``data/`` that
figure CSVs carry too (:mod:`helpers.build.figures`).
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import importlib.metadata
from datetime import UTC, datetime
from pathlib import Path

from helpers import cache, paths

#: The licence lines every report carries on its first page.
DATA_LICENCE = "Contains public sector information licensed under the Open Government Licence v3.0."
CODE_LICENCE = "The code that made this report is released under the MIT License."


def _data_files(data: Path) -> list[Path]:
    """Every file under ``data`` but the raw snapshots (and Python's caches), sorted."""
    store = paths.datastore_dir()
    return sorted(
        f
        for f in data.rglob("*")
        if f.is_file() and store not in f.parents and "__pycache__" not in f.parts
    )


@cache.cached_on(_data_files)
def _data_version(data: Path) -> str:
    digest = hashlib.sha256()
    for f in _data_files(data):
        digest.update(f.relative_to(data).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(f.read_bytes()).digest())
    version = f"data {digest.hexdigest()[:10]}"
    snapshots = paths.care_services_dir(data) / "snapshots.csv"
    with contextlib.suppress(OSError, ValueError, IndexError):
        lines = snapshots.read_text(encoding="utf-8").splitlines()[1:]
        dates = [line.split(",")[0] for line in lines if line.strip()]
        version += f", latest care-services snapshot {max(dates)}"
    with contextlib.suppress(Exception):
        version += f", package {importlib.metadata.version('scotland-children-inspections')}"
    return version


def data_version() -> str:
    """The version of the data a report was made from: a short hash of ``data/`` (without raw
    snapshots), the latest care-services snapshot date and the package version."""
    return _data_version(paths.data_dir())


def _in_words(built: str) -> str:
    """'2026-12-02' as '2 December 2026' (any other text as it is)."""
    try:
        return f"{datetime.strptime(built, '%Y-%m-%d'):%-d %B %Y}"
    except ValueError:
        return built


#: Whose work a report is, in a citation (the package's CITATION.cff says the same).
CITE_AS = "Inspections of services for children in Scotland"


def colophon_html(built: str | None = None, title: str | None = None) -> str:
    """The lines under a report's key points (or its title): build date, data version,
    licences, and how to cite the report (titled ``title``)."""
    built = built or datetime.now(UTC).strftime("%Y-%m-%d")
    lines = [f"Built {_in_words(built)}; {data_version()}.", DATA_LICENCE, CODE_LICENCE]
    if title:
        lines.append(f"Cite as: {CITE_AS}, \u2018{title}\u2019, built {_in_words(built)}.")
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return f'<div class="reader-colophon" role="note" aria-label="About this report">{body}</div>'
