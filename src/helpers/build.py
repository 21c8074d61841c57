"""Build every report: run the notebooks in fresh kernels, export HTML and PDF, index them.

``python -m helpers.build`` (``make reports``) executes each numbered notebook
(``notebooks/NN-*.ipynb``) and one area profile (``notebooks/area-profile.ipynb`` with papermill
parameters) per council area that has any grade in the data, each in a fresh ``python3`` kernel
with its working directory in ``notebooks/``. Each is exported to a self-contained reader's HTML
(no code) and printed to PDF by headless Chromium, into ``build/reports/`` with an ``index.html``.

What it promises:

* progress as it goes (which report, n of N, elapsed time);
* a failing notebook is reported with its notebook, cell (index and first line) and error; the
  others still build, and the exit status is 1;
* files are written atomically: a killed build leaves the previous good file in place;
* a report whose rebuild fails keeps its previous HTML and PDF, and the index says so: 'last
  build failed: <error>; showing the previous version of <date>' (no links if there is none);
  a new HTML whose PDF fails is never shown beside the old PDF (that PDF is deleted, the index
  says why there is none); the failed report is tried again on the next build;
* a rebuild with nothing changed skips what is up to date. The key of a report is a hash of its
  notebook, its parameters, the data under ``data/`` (not raw datastore snapshots downloaded
  there: reports read the derived ``data/care-services``) and the ``helpers`` source; keys are
  kept in ``build/reports/manifest.json``;
* no Chromium: HTML is still built, the missing PDFs and what to install are stated, exit 0.

``--execute-in-place`` re-executes the numbered notebooks and the template (with its default
parameters) into ``notebooks/`` instead (the references nbval compares against), keeping their
metadata, and builds no reports.
"""

from __future__ import annotations

import argparse
import dataclasses
import fnmatch
import hashlib
import html
import json
import multiprocessing
import os
import re
import sys
import time
import uuid
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from datetime import UTC, datetime
from pathlib import Path

import nbformat

from helpers import paths
from helpers.build_export import (
    INSTALL_HINT,
    PdfPrinter,
    atomic_write,
    atomic_write_text,
    export_html,
    find_chromium,
)

#: Numbered notebooks are reports; anything else in notebooks/ (the template) is not.
NOTEBOOK_GLOB = "[0-9][0-9]-*.ipynb"
#: The parametrised template, run once per area.
PROFILE_TEMPLATE = "area-profile.ipynb"
#: Bump to rebuild everything when the build's own output format changes in a way the key misses.
MANIFEST_VERSION = 1
KERNEL_NAME = "python3"
#: Kernel starts tried before a notebook is reported as failed (see execute_notebook).
KERNEL_START_ATTEMPTS = 3

#: Kernel environment: no GUI backend; quiet the debugger's frozen-modules warning in stderr.
KERNEL_ENV = {"MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


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


@dataclasses.dataclass
class Result:
    """What became of one job (picklable: it comes back from a worker process)."""

    stem: str
    ok: bool
    seconds: float = 0.0
    error: str = ""
    html: str | None = None
    pdf: str | None = None


class NotebookError(RuntimeError):
    """A notebook failed: names the notebook, the cell (index and first line) and the error."""


# --- discovery -----------------------------------------------------------------------------------


def slugify(text: str) -> str:
    """Lower-case ASCII words joined by hyphens: 'Perth and Kinross' -> 'perth-and-kinross'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def notebook_title(path: Path) -> str:
    """The first Markdown heading of a notebook, else its file name."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return path.stem


def numbered_notebooks(folder: Path | None = None) -> list[Path]:
    """The report notebooks, ``NN-topic.ipynb``, in reading order."""
    return sorted((folder or paths.notebooks_dir()).glob(NOTEBOOK_GLOB))


def profile_areas() -> list[str]:
    """Council areas with any grade in the data: a non-missing count or a named grade.

    Returns
    -------
    list of str
        Standard names, A to Z; empty (with a message) if :mod:`helpers.inspections` is missing.
    """
    try:
        from helpers import inspections
    except ImportError as error:
        print(f"No area profiles: helpers.inspections is not available ({error}).", flush=True)
        return []
    if hasattr(inspections, "areas_with_grades"):
        return list(inspections.areas_with_grades())
    from helpers.grades import COUNT_COLUMNS

    table = inspections.load_inspections()
    counts = [c for c in COUNT_COLUMNS.values() if c in table.columns]
    areas = set(table.loc[table[counts].notna().any(axis=1), "council_area"].astype(str))
    named = inspections.load_named_grades()
    areas |= set(named.loc[named["grade"].notna(), "council_area"].astype(str))
    return sorted(areas)


def discover_jobs(folder: Path | None = None, areas: Iterable[str] | None = None) -> list[Job]:
    """Every report: the numbered notebooks, then one profile per area.

    Parameters
    ----------
    folder
        The notebooks folder (default :func:`helpers.paths.notebooks_dir`).
    areas
        The areas to profile (default :func:`profile_areas`); profiles need the template.

    Returns
    -------
    list of Job
        Without keys (see :func:`with_keys`).
    """
    folder = folder or paths.notebooks_dir()
    jobs = [Job(stem=p.stem, source=p, title=notebook_title(p)) for p in numbered_notebooks(folder)]
    template = folder / PROFILE_TEMPLATE
    if template.exists():
        for area in profile_areas() if areas is None else areas:
            jobs.append(
                Job(
                    stem=f"area-profile-{slugify(area)}",
                    source=template,
                    title=f"{area}: area profile",
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


# --- execution -----------------------------------------------------------------------------------


def _original_index(nb: nbformat.NotebookNode, index: int) -> int:
    """A cell's index in the notebook as written, not counting papermill's injected cell."""
    injected = [
        i
        for i, c in enumerate(nb.cells[: index + 1])
        if "injected-parameters" in c.get("metadata", {}).get("tags", [])
    ]
    return index - len(injected)


def execute_notebook(
    source: Path,
    parameters: dict | None = None,
    timeout: int = 600,
    record_timing: bool = True,
) -> nbformat.NotebookNode:
    """Execute a notebook in a fresh ``python3`` kernel, its working directory in ``notebooks/``.

    Parameters
    ----------
    source
        The notebook.
    parameters
        Injected by papermill after the cell tagged ``parameters``.
    timeout
        Seconds allowed per cell.
    record_timing
        Whether cells get execution timestamps (off for notebooks written back to the repo).

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook.

    Raises
    ------
    NotebookError
        Naming the notebook, the cell (index and first line of source) and the error.
    """
    from jupyter_client.manager import KernelManager
    from jupyter_core.paths import jupyter_runtime_dir
    from nbclient import NotebookClient

    if parameters:
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook

        try:
            # papermill's loader adds the metadata (tags on every cell) its injector expects.
            nb = load_notebook_node(str(source))
            nb = parameterize_notebook(nb, parameters, kernel_name=KERNEL_NAME, language="python")
        except Exception as error:
            raise NotebookError(
                f"{source.name} {parameters}: could not inject the parameters: "
                f"{type(error).__name__}: {error}"
            ) from None
    else:
        nb = nbformat.read(source, as_version=4)
    os.environ.update(KERNEL_ENV)  # the kernel inherits this process's environment
    pristine = nbformat.from_dict(nb)
    for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
        current = {"index": None}

        def on_cell_execute(cell, cell_index, _current=current, **_):
            _current["index"] = cell_index

        # IPC (Unix sockets named after the connection file) rather than TCP: kernels started at
        # the same moment in parallel workers cannot race for the same free port, and the kernel
        # does not warn about unencrypted TCP.
        # The socket path must be absolute: the kernel runs in notebooks/, this process elsewhere.
        os.makedirs(jupyter_runtime_dir(), exist_ok=True)
        manager = KernelManager(
            kernel_name=KERNEL_NAME,
            transport="ipc",
            ip=os.path.join(jupyter_runtime_dir(), f"build-{uuid.uuid4().hex[:12]}"),
        )
        client = NotebookClient(
            nb,
            km=manager,
            timeout=timeout,
            kernel_name=KERNEL_NAME,
            resources={"metadata": {"path": str(source.parent)}},
            record_timing=record_timing,
            on_cell_execute=on_cell_execute,
        )
        try:
            client.execute()
            return nb
        except Exception as error:
            index = current["index"]
            if index is None and attempt < KERNEL_START_ATTEMPTS:
                # The kernel died starting (a machine under load, a slow disk): try again.
                nb = nbformat.from_dict(pristine)
                continue
            where = "before any cell ran (kernel start)"
            if index is not None:
                first = next((ln for ln in nb.cells[index].source.splitlines() if ln.strip()), "")
                where = f"cell {_original_index(nb, index)} (`{first.strip()[:80]}`)"
            label = source.name + (f" {parameters}" if parameters else "")
            ename = getattr(error, "ename", None) or type(error).__name__
            evalue = getattr(error, "evalue", None)
            if evalue is None:
                evalue = str(error).strip().splitlines()[-1] if str(error).strip() else ""
            raise NotebookError(f"{label}: {where}: {ename}: {evalue}") from None
        finally:
            _shutdown(manager)
    raise AssertionError("unreachable")  # the loop returns or raises


def _shutdown(manager) -> None:
    """Stop a kernel and remove its sockets: nbclient only stops the kernels it creates itself."""
    try:
        if manager.has_kernel:
            manager.shutdown_kernel()
    except Exception:  # a kernel that already died: nothing left to stop
        pass
    manager.cleanup_resources()


def build_html(job: Job, out_dir: str, timeout: int = 600) -> Result:
    """Execute ``job`` and export its HTML (runs in a worker process)."""
    start = time.perf_counter()
    print(f"  building {job.stem} ...", flush=True)
    try:
        nb = execute_notebook(job.source, job.parameters, timeout=timeout)
        html_path = Path(out_dir) / f"{job.stem}.html"
        export_html(nb, html_path, job.title)
    except NotebookError as error:
        return Result(job.stem, False, time.perf_counter() - start, str(error))
    except Exception as error:  # export failures: still name the notebook
        message = f"{job.source.name}: export failed: {type(error).__name__}: {error}"
        return Result(job.stem, False, time.perf_counter() - start, message)
    return Result(job.stem, True, time.perf_counter() - start, html=html_path.name)


def execute_in_place(path: Path, timeout: int = 600) -> None:
    """Re-execute a notebook and write it back atomically, metadata (kernelspec) kept."""
    nb = execute_notebook(path, timeout=timeout, record_timing=False)
    for cell in nb.cells:
        # Timestamps left by another runner (nbconvert --execute): they would make every re-run
        # a change in git, and nbval ignores them anyway.
        cell.metadata.pop("execution", None)
    atomic_write(path, lambda tmp: nbformat.write(nb, str(tmp)))


# --- manifest and index --------------------------------------------------------------------------


def load_manifest(out_dir: Path) -> dict:
    """The previous build's manifest, or an empty one (a damaged file means rebuild)."""
    try:
        manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"version": MANIFEST_VERSION, "reports": {}}
    if manifest.get("version") != MANIFEST_VERSION:
        return {"version": MANIFEST_VERSION, "reports": {}}
    return manifest


def save_manifest(out_dir: Path, manifest: dict) -> None:
    """Write the manifest atomically."""
    atomic_write_text(out_dir / "manifest.json", json.dumps(manifest, indent=1, sort_keys=True))


def _now() -> str:
    """The time now, UTC, to the minute: when a report was built or failed."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _built_at(out_dir: Path, report: dict) -> str:
    """When a report's current files were built (from the manifest, else the file's time)."""
    if report.get("built"):
        return report["built"]
    stamp = (out_dir / report["html"]).stat().st_mtime
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def write_index(out_dir: Path, manifest: dict) -> Path:
    """Write ``index.html``: the notebooks, then the area profiles A to Z, with HTML/PDF links.

    A report whose last build failed is marked, with the error: its links are to the previous
    version (dated), or there are none if it never built. A report without a PDF says why.
    """
    reports = manifest["reports"]
    notebooks = sorted((s, r) for s, r in reports.items() if not r.get("area"))
    profiles = sorted(
        ((s, r) for s, r in reports.items() if r.get("area")), key=lambda x: x[1]["area"]
    )

    def row(stem: str, report: dict, label: str) -> str:
        failed = report.get("failed")
        has_html = bool(report.get("html")) and (out_dir / report["html"]).exists()
        if not has_html:
            error = html.escape(failed["error"]) if failed else "no HTML"
            return (
                f'<li>{html.escape(label)} <strong class="failed">last build failed: {error}; '
                "there is no previous version</strong></li>"
            )
        title = f'<a href="{html.escape(report["html"])}">{html.escape(label)}</a>'
        if report.get("pdf") and (out_dir / report["pdf"]).exists():
            pdf = f'<a href="{html.escape(report["pdf"])}">PDF</a>'
        elif report.get("pdf_error"):
            pdf = f"no PDF: {html.escape(report['pdf_error'])}"
        else:
            pdf = "no PDF (Chromium was not found, or --no-pdf)"
        warning = ""
        if failed:
            warning = (
                f' <strong class="failed">last build failed: {html.escape(failed["error"])}; '
                f"showing the previous version of {html.escape(_built_at(out_dir, report))}"
                "</strong>"
            )
        return f"<li>{title} ({pdf}){warning}</li>"

    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"/>',
        "<title>Inspections of children's services in Scotland: reports</title>",
        "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}"
        ".failed{color:#a00000}</style></head><body>",
        "<h1>Inspections of children's services in Scotland: reports</h1>",
        "<h2>Notebooks</h2><ul>",
        *(row(s, r, r["title"]) for s, r in notebooks),
        "</ul>",
        f"<h2>Area profiles ({len(profiles)} council areas with grades)</h2><ul>",
        *(row(s, r, r["area"]) for s, r in profiles),
        "</ul></body></html>",
    ]
    return atomic_write_text(out_dir / "index.html", "\n".join(parts) + "\n")


# --- the build -----------------------------------------------------------------------------------


def _say(message: str) -> None:
    print(message, flush=True)


def _is_current(entry: dict | None, job: Job, out_dir: Path, want_pdf: bool) -> tuple[bool, bool]:
    """(HTML up to date, PDF up to date) for ``job`` according to the manifest.

    A report whose last build failed is never up to date: it is tried again.
    """
    if (
        not entry
        or entry.get("failed")
        or entry.get("key") != job.key
        or not (out_dir / f"{job.stem}.html").exists()
    ):
        return False, False
    pdf_ok = bool(entry.get("pdf")) and (out_dir / f"{job.stem}.pdf").exists()
    return True, pdf_ok or not want_pdf


def build_reports(
    jobs: Sequence[Job],
    out_dir: Path,
    *,
    force: bool = False,
    pdf: bool = True,
    browser: str | None = None,
    n_jobs: int = 1,
    timeout: int = 600,
    prune: bool = True,
) -> int:
    """Build ``jobs`` into ``out_dir``; see the module docstring.

    Parameters
    ----------
    jobs
        From :func:`discover_jobs` (keys are computed here).
    out_dir
        The reports folder.
    force
        Rebuild even what is up to date.
    pdf
        Print PDFs (if a Chromium is found).
    browser
        The Chromium to use (default: found on PATH).
    n_jobs
        Notebooks executed at once (each in its own worker process); 1 runs in this process.
    timeout
        Seconds allowed per cell.
    prune
        Drop manifest entries of reports that no longer exist (off with ``--only``).

    Returns
    -------
    int
        Exit status: 0 if every report built, else 1.
    """
    t0 = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = with_keys(jobs)
    manifest = load_manifest(out_dir)
    reports = manifest["reports"]
    if prune:
        for stem in set(reports) - {j.stem for j in jobs}:
            del reports[stem]

    chromium = find_chromium(browser) if pdf else None
    if pdf and chromium is None:
        where = f" at {browser}" if browser else ""
        _say(f"Chromium not found{where}: PDFs are skipped, HTML only.")
        _say(INSTALL_HINT)

    to_run: list[Job] = []
    pdf_only: list[Job] = []
    for job in jobs:
        html_ok, pdf_ok = _is_current(reports.get(job.stem), job, out_dir, chromium is not None)
        if force or not html_ok:
            to_run.append(job)
        elif not pdf_ok:
            pdf_only.append(job)
    skipped = len(jobs) - len(to_run) - len(pdf_only)
    total = len(to_run) + len(pdf_only)
    _say(
        f"{len(jobs)} reports: {len(to_run)} to build, {len(pdf_only)} to print, "
        f"{skipped} up to date (in {out_dir})."
    )

    by_stem = {j.stem: j for j in jobs}
    failures: list[str] = []
    done = 0

    def record(stem: str, entry: dict) -> None:
        # After each report, so a killed build keeps its progress and the index never links a
        # file that no longer matches its entry.
        reports[stem] = entry
        save_manifest(out_dir, manifest)
        write_index(out_dir, manifest)

    def finish(result: Result, printer: PdfPrinter | None, fresh_html: bool = True) -> None:
        nonlocal done
        done += 1
        job = by_stem[result.stem]
        elapsed = time.perf_counter() - t0
        pdf_path = out_dir / f"{job.stem}.pdf"
        if not result.ok:
            failures.append(result.error)
            _say(f"[{done}/{total}] FAILED {job.stem} ({elapsed:.1f} s): {result.error}")
            # The previous files (written atomically) are still there: keep them, marked.
            previous = dict(reports.get(job.stem) or {})
            html_name = previous.get("html") or f"{job.stem}.html"
            if not (out_dir / html_name).exists():
                previous = {"html": None, "pdf": None}
            previous.update(
                title=job.title,
                area=job.area,
                source=job.source.name,
                parameters=job.parameters,
                failed={"error": result.error, "at": _now()},
            )
            previous.setdefault("html", html_name)
            record(job.stem, previous)
            return
        entry = {
            "title": job.title,
            "area": job.area,
            "source": job.source.name,
            "parameters": job.parameters,
            "key": job.key,
            "html": f"{job.stem}.html",
            "pdf": None,
            "built": _now() if fresh_html else reports.get(job.stem, {}).get("built") or _now(),
        }
        note = f"html {result.seconds:.1f} s"
        if printer is None:
            if fresh_html:
                pdf_path.unlink(missing_ok=True)  # it was printed from the HTML just replaced
        else:
            p0 = time.perf_counter()
            try:
                printer.print_pdf(out_dir / entry["html"], pdf_path)
                entry["pdf"] = pdf_path.name
                note += f", pdf {time.perf_counter() - p0:.1f} s"
            except Exception as error:
                message = f"{job.source.name}: PDF failed: {type(error).__name__}: {error}"
                failures.append(message)
                _say(f"[{done}/{total}] FAILED {job.stem}: {message}")
                # Never leave the previous PDF beside the new HTML as if it were its print.
                pdf_path.unlink(missing_ok=True)
                entry["pdf_error"] = message
                record(job.stem, entry)
                return
        record(job.stem, entry)
        _say(f"[{done}/{total}] {job.stem}: {note} (elapsed {time.perf_counter() - t0:.1f} s)")

    printer_cm = PdfPrinter(chromium) if chromium is not None else None
    try:
        printer = printer_cm.__enter__() if printer_cm else None
        for job in pdf_only:
            finish(Result(job.stem, True, html=f"{job.stem}.html"), printer, fresh_html=False)
        if n_jobs <= 1 or len(to_run) <= 1:
            for job in to_run:
                finish(build_html(job, str(out_dir), timeout), printer)
        else:
            # Spawned workers: forking a process that drives a browser is not safe.
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=n_jobs, mp_context=context) as pool:
                futures = {pool.submit(build_html, j, str(out_dir), timeout): j for j in to_run}
                for future in as_completed(futures):
                    try:
                        result = future.result()
                    except Exception as error:  # a worker died (killed, out of memory)
                        job = futures[future]
                        message = (
                            f"{job.source.name}: worker failed: {type(error).__name__}: {error}"
                        )
                        result = Result(job.stem, False, error=message)
                    finish(result, printer)
    finally:
        if printer_cm:
            printer_cm.__exit__(None, None, None)

    save_manifest(out_dir, manifest)
    write_index(out_dir, manifest)
    elapsed = time.perf_counter() - t0
    _say(f"Index: {out_dir / 'index.html'} ({elapsed:.1f} s in all)")
    if pdf and chromium is None:
        _say(f"NOTE: no PDFs were made because Chromium was not found. {INSTALL_HINT}")
    if failures:
        _say(f"{len(failures)} of {len(jobs)} reports FAILED:")
        for message in failures:
            _say(f"  - {message}")
        return 1
    return 0


def run_in_place(jobs: Sequence[Job], timeout: int = 600) -> int:
    """Re-execute notebooks into ``notebooks/`` (parameters as written); 1 if any failed."""
    t0 = time.perf_counter()
    targets = [j for j in jobs if not j.parameters]
    failures = []
    for n, job in enumerate(targets, 1):
        _say(f"[{n}/{len(targets)}] executing {job.source.name} in place ...")
        try:
            execute_in_place(job.source, timeout)
        except NotebookError as error:
            failures.append(str(error))
            _say(f"  FAILED: {error}")
        _say(f"  (elapsed {time.perf_counter() - t0:.1f} s)")
    for message in failures:
        _say(f"FAILED: {message}")
    return 1 if failures else 0


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m helpers.build [--only PATTERN] [--force] [--no-pdf] ...``."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.build",
        description="Execute the notebooks and area profiles; export HTML and PDF reports.",
    )
    parser.add_argument("--only", metavar="PATTERN", help="build reports matching a glob/substring")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    parser.add_argument("--no-pdf", action="store_true", help="HTML only")
    parser.add_argument(
        "--jobs", type=int, default=min(2, os.cpu_count() or 1), help="notebooks run at once"
    )
    parser.add_argument("--browser", metavar="PATH", help="Chromium to print PDFs with")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    parser.add_argument(
        "--out", type=Path, help="output folder (default: build/reports, see HELPERS_BUILD_DIR)"
    )
    parser.add_argument(
        "--notebooks", type=Path, help="notebooks folder (default: the repository's notebooks/)"
    )
    parser.add_argument(
        "--execute-in-place",
        action="store_true",
        help="re-execute the numbered notebooks into notebooks/ (nbval references); no reports",
    )
    args = parser.parse_args(argv)
    os.environ.update(KERNEL_ENV)

    folder = (args.notebooks or paths.notebooks_dir()).resolve()
    if args.execute_in_place:
        # The template too, with its default parameters: nbval checks every notebook in the folder.
        sources = numbered_notebooks(folder) + [
            p for p in [folder / PROFILE_TEMPLATE] if p.exists()
        ]
        jobs = [Job(p.stem, p, p.stem) for p in sources]
        return run_in_place(select(jobs, args.only), args.timeout)

    jobs = select(discover_jobs(folder), args.only)
    if not jobs:
        _say(f"No reports match {args.only!r}." if args.only else f"No notebooks in {folder}.")
        return 1 if args.only else 0
    out_dir = (args.out or paths.build_dir() / "reports").resolve()
    return build_reports(
        jobs,
        out_dir,
        force=args.force,
        pdf=not args.no_pdf,
        browser=args.browser,
        n_jobs=args.jobs,
        timeout=args.timeout,
        prune=not args.only,
    )


if __name__ == "__main__":
    sys.exit(main())
