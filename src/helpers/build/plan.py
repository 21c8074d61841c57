"""Plan a build: which reports there are (jobs), what each depends on (keys), what is stale.

The key of a report is a hash of its notebook, its parameters, the data under ``data/`` (not raw
datastore snapshots downloaded there: reports read the derived ``data/care-services``) and the
``helpers`` source. A report is up to date when its manifest entry has the same key, its last
build did not fail and its files are there (see :func:`triage`).
"""

from __future__ import annotations

import dataclasses
import fnmatch
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from helpers import paths

if TYPE_CHECKING:  # planning reads notebooks as plain JSON: nbformat is not imported here
    import nbformat

#: Numbered notebooks are reports; anything else in notebooks/ (the template) is not.
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
#: The parametrised template, run once per area.
PROFILE_TEMPLATE = "area-profile.ipynb"
#: What changed between two snapshots of the care services: numbered (so ``--execute-in-place``
#: runs it with its default area for nbval) but built once per area, like the profile.
WHAT_CHANGED_TEMPLATE = "05-what-changed.ipynb"
#: Every per-area template: file -> (stem prefix of its reports, the words after the area in
#: their titles). In reading order: the profile, then what changed.
AREA_TEMPLATES: dict[str, tuple[str, str]] = {
    PROFILE_TEMPLATE: ("area-profile", "area profile"),
    WHAT_CHANGED_TEMPLATE: ("05-what-changed", "what changed in registered care services"),
}
#: Bump to rebuild everything when the build's own output format changes in a way the key misses.
MANIFEST_VERSION = 1


@dataclasses.dataclass(frozen=True)
class Job:
    """One report to build.

    Attributes
    ----------
    stem
        Output file name without extension (``01-perth-and-kinross-2017``,
        ``area-profile-perth-and-kinross``).
    source
        The notebook to execute.
    title
        Title for the page and the index.
    parameters
        Papermill parameters injected after the ``parameters``-tagged cell (profiles only).
    area
        The council area a profile is about, else ``None``.
    key
        Hash of everything the report depends on (see :func:`job_key`).
    """

    stem: str
    source: Path
    title: str
    parameters: dict = dataclasses.field(default_factory=dict)
    area: str | None = None
    key: str = ""


# --- discovery -----------------------------------------------------------------------------------


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: 'Perth and Kinross' -> 'perth-and-kinross'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def read_cells(path: Path) -> list[tuple[str, str]]:
    """A notebook's cells as ``(cell type, source)``, read as JSON.

    For planning only (titles, imports): nbformat's reader validates the whole notebook
    against its schema, which costs a no-change rebuild a quarter of its time. The notebook is
    read and validated when it runs.
    """
    cells = json.loads(Path(path).read_text(encoding="utf-8")).get("cells", [])
    sources = (cell.get("source", "") for cell in cells)
    return [
        (cell.get("cell_type", ""), "".join(source) if isinstance(source, list) else source)
        for cell, source in zip(cells, sources, strict=True)
    ]


def notebook_title(nb: Path | nbformat.NotebookNode, fallback: str | None = None) -> str:
    """The first Markdown heading of a notebook (a file, or one read already), else
    ``fallback`` (default: the file's name). The reports' titles, and the exporters'
    (:mod:`helpers.exporters`)."""
    if isinstance(nb, (str, Path)):
        fallback = Path(nb).stem if fallback is None else fallback
        cells = read_cells(Path(nb))
    else:
        cells = [(cell.cell_type, cell.source) for cell in nb.cells]
    for cell_type, source in cells:
        if cell_type == "markdown":
            for line in source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return fallback or ""


def numbered_notebooks(folder: Path | None = None) -> list[Path]:
    """The report notebooks, ``NN-topic.ipynb``, in reading order."""
    return sorted((folder or paths.notebooks_dir()).glob(NOTEBOOK_GLOB))


def profile_areas() -> list[str]:
    """Every one of Scotland's 32 council areas, A to Z.

    Every area gets its reports, grades known or not: a profile says what is known of its joint
    inspections (where no split of grades was found, that it was not) and every area has
    registered care services for children in the committed data.
    """
    from helpers.areas import COUNCIL_AREAS

    return sorted(COUNCIL_AREAS)


def discover_jobs(folder: Path | None = None, areas: Iterable[str] | None = None) -> list[Job]:
    """Every report: the numbered notebooks, then each per-area template once per area.

    A numbered notebook that is a per-area template (:data:`AREA_TEMPLATES`) is not a report of
    its own: it is built once per area like the profile.

    Parameters
    ----------
    folder
        The notebooks folder (default :func:`helpers.paths.notebooks_dir`).
    areas
        The areas to build the templates for (default :func:`profile_areas`, all 32).

    Returns
    -------
    list of Job
        Without keys (see :func:`with_keys`).
    """
    folder = folder or paths.notebooks_dir()
    jobs = [
        Job(stem=p.stem, source=p, title=notebook_title(p))
        for p in numbered_notebooks(folder)
        if p.name not in AREA_TEMPLATES
    ]
    templates = [(folder / name, words) for name, words in AREA_TEMPLATES.items()]
    templates = [(path, words) for path, words in templates if path.exists()]
    if templates:
        for area in profile_areas() if areas is None else areas:
            for template, (prefix, what) in templates:
                jobs.append(
                    Job(
                        stem=f"{prefix}-{slugify(area)}",
                        source=template,
                        title=f"{area}: {what}",
                        parameters={"area": area},
                        area=area,
                    )
                )
    return jobs


def select(jobs: Sequence[Job], pattern: str | None) -> list[Job]:
    """Jobs whose stem, file name or area matches ``pattern`` (a glob; no wildcard = substring)."""
    if not pattern:
        return list(jobs)
    pattern = pattern.lower()
    if not any(ch in pattern for ch in "*?["):
        pattern = f"*{pattern}*"
    return [
        j
        for j in jobs
        if any(
            fnmatch.fnmatch(name.lower(), pattern) for name in (j.stem, j.source.name, j.area or "")
        )
    ]


# --- keys ----------------------------------------------------------------------------------------


def _hash_files(digest, files: Iterable[Path], root: Path) -> None:
    for file in sorted(files):
        digest.update(str(file.relative_to(root)).encode())
        digest.update(hashlib.sha256(file.read_bytes()).digest())


def shared_key() -> str:
    """Hash of what every report depends on: the data under data/ and the helpers source."""
    digest = hashlib.sha256(f"manifest-{MANIFEST_VERSION}".encode())
    data = paths.data_dir()
    store = paths.datastore_dir()
    if data.exists():
        # Raw snapshots downloaded into data/datastore are not read by any report: left out.
        files = [
            f
            for f in data.rglob("*")
            if f.is_file() and store not in f.parents and "__pycache__" not in f.parts
        ]
        _hash_files(digest, files, data)
    package = paths.PACKAGE_DIR
    _hash_files(digest, (f for f in package.rglob("*.py") if "__pycache__" not in f.parts), package)
    return digest.hexdigest()


def job_key(job: Job, shared: str) -> str:
    """Hash of the notebook, the parameters and the shared key (data and helpers)."""
    digest = hashlib.sha256(shared.encode())
    digest.update(job.source.read_bytes())
    digest.update(json.dumps(job.parameters, sort_keys=True).encode())
    return digest.hexdigest()


def with_keys(jobs: Sequence[Job]) -> list[Job]:
    """The jobs with their keys filled in (the shared parts are hashed once)."""
    shared = shared_key()
    return [dataclasses.replace(j, key=job_key(j, shared)) for j in jobs]


def _is_current(entry: dict | None, job: Job, out_dir: Path, want_pdf: bool) -> tuple[bool, bool]:
    """(HTML up to date, PDF up to date) for ``job``; a failed report is never up to date."""
    if (
        not entry
        or entry.get("failed")
        or entry.get("key") != job.key
        or not (out_dir / f"{job.stem}.html").exists()
    ):
        return False, False
    pdf_ok = bool(entry.get("pdf")) and (out_dir / f"{job.stem}.pdf").exists()
    return True, pdf_ok or not want_pdf


def triage(
    jobs: Sequence[Job], reports: dict, out_dir: Path, want_pdf: bool, force: bool
) -> tuple[list[Job], list[Job]]:
    """(to build, to print only): jobs whose HTML is stale, then those missing only a PDF."""
    to_run: list[Job] = []
    pdf_only: list[Job] = []
    for job in jobs:
        html_ok, pdf_ok = _is_current(reports.get(job.stem), job, out_dir, want_pdf)
        if force or not html_ok:
            to_run.append(job)
        elif not pdf_ok:
            pdf_only.append(job)
    return to_run, pdf_only
