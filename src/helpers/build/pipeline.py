"""Run a build: check the output folder, then execute, export and print the reports at once.

Each report goes through execute (a fresh kernel forked by the zygote), export (HTML, staged
beside the old file) and print (PDF of the staged HTML), and is then committed whole with its
manifest entry (:func:`helpers.build.record.commit`). Reports move through these stages in
threads, ``n_jobs`` kernels executing at a time, so one report's export and print overlap the
others' execution and no report waits for a stage another could be using.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from helpers import paths
from helpers.atomic import stage
from helpers.build import record
from helpers.build.execute import KernelPool, NotebookError, cells_seconds, execute_notebook
from helpers.build.kernels import Zygote, notebook_imports
from helpers.build.lock import LockFileError, output_lock
from helpers.build.plan import Job, triage, with_keys
from helpers.build.printer import INSTALL_HINT, PdfPrinter, find_chromium

#: Free space the output folder must have before anything runs (32 reports take about 40 MB).
MIN_FREE_BYTES = 200 * 1024 * 1024
#: Seconds between two writes of the index while reports are committed (see Build.index).
INDEX_EVERY = 2.0


class OutputFolderError(RuntimeError):
    """The output folder cannot be written, or has too little free space."""


#: The errors of a full disk (or a full quota).
_NO_SPACE = {errno.ENOSPC, errno.EDQUOT}


def no_space(error: BaseException | None) -> bool:
    """Whether ``error`` (or an error it was raised from) says the disk is full."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, OSError) and error.errno in _NO_SPACE:
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def say(message: str) -> None:
    print(message, flush=True)


def check_output_folder(out_dir: Path, min_free: int | None = None) -> None:
    """Create ``out_dir`` and prove it writable with room to spare, before any notebook runs."""
    min_free = MIN_FREE_BYTES if min_free is None else min_free
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = stage(out_dir / ".write-check", lambda tmp: tmp.write_bytes(b"ok"))
        probe.unlink()
        free = shutil.disk_usage(out_dir).free
    except OSError as error:
        raise OutputFolderError(
            f"cannot write reports to {out_dir}: {error.strerror or error}"
        ) from None
    if free < min_free:
        raise OutputFolderError(
            f"not enough free space in {out_dir}: {free // 2**20} MB free, "
            f"{min_free // 2**20} MB needed"
        )


class Stages:
    """One report through execute, export and print; returns what :meth:`commit` records."""

    def __init__(self, out_dir, printer, zygote, n_jobs: int, timeout: int, pool=None):
        self.out_dir, self.printer, self.zygote, self.timeout = out_dir, printer, zygote, timeout
        self.pool, self.n_jobs = pool, max(n_jobs, 1)
        self.kernels = threading.Semaphore(self.n_jobs)
        self.export_lock = threading.Lock()  # nbconvert's exporter is shared, not thread-safe
        self.figures: dict[str, dict] = {}  # stem -> staged figure files, moved with the HTML
        self.stopped = threading.Event()  # set when the build stops (a full disk): stage nothing

    def html(self, job: Job, times: dict | None = None) -> Path:
        """Execute and export: the staged HTML (``times`` gets the seconds of each stage)."""
        times = {} if times is None else times
        t0 = time.perf_counter()
        with self.kernels:
            times["wait"] = time.perf_counter() - t0
            nb = execute_notebook(
                job.source, job.parameters, self.timeout,
                zygote=self.zygote, pool=self.pool, timings=times,
            )  # fmt: skip
        times["own"] = cells_seconds(nb)  # of "cells": the notebook's own code, by its records
        if self.stopped.is_set():
            raise NotebookError(f"{job.source.name}: not exported: the build stopped")
        try:
            from helpers.build.export import render_report  # not needed by a no-change build

            t1 = time.perf_counter()
            with self.export_lock:
                page, files = render_report(nb, job.title, job.stem)
            # Each staged file is tracked as soon as it exists: a failure at the fifth figure
            # (a full disk) removes the four before it too.
            staged = self.figures[job.stem] = {}
            for name, data in files.items():
                staged[name] = stage(self.out_dir / name, lambda t, d=data: t.write_bytes(d))
            times["export"] = time.perf_counter() - t1
            return stage(self.out_dir / f"{job.stem}.html", lambda t: t.write_text(page, "utf-8"))
        except Exception as error:  # export failures: still name the notebook
            for tmp in self.figures.pop(job.stem, {}).values():
                tmp.unlink(missing_ok=True)
            if no_space(error):
                raise  # not the notebook's fault: the build stops (see build_reports)
            raise NotebookError(
                f"{job.source.name}: export failed: {type(error).__name__}: {error}"
            ) from None

    def pdf(self, job: Job, html_path: Path) -> Path:
        """Print ``html_path``: the staged PDF."""
        try:
            return stage(
                self.out_dir / f"{job.stem}.pdf", lambda t: self.printer.print_pdf(html_path, t)
            )
        except Exception as error:
            if no_space(error):
                raise
            raise NotebookError(
                f"{job.source.name}: PDF failed: {type(error).__name__}: {error}"
            ) from None

    def run(self, job: Job, fresh: bool) -> dict:
        """Everything for one report: staged files, errors, times (never raises)."""
        t0 = time.perf_counter()
        done = {"job": job, "fresh": fresh, "moves": {}, "error": None, "pdf_error": None}
        done["times"] = times = {}
        done["no_space"] = None
        try:
            html_path = self.html(job, times) if fresh else self.out_dir / f"{job.stem}.html"
            if fresh:
                done["moves"][f"{job.stem}.html"] = html_path
                done["moves"].update(self.figures.pop(job.stem, {}))
            done["html_s"] = time.perf_counter() - t0
            if self.printer is not None:
                t1 = time.perf_counter()
                try:
                    done["moves"][f"{job.stem}.pdf"] = self.pdf(job, html_path)
                    done["pdf_s"] = time.perf_counter() - t1
                    times["pdf"] = done["pdf_s"]
                except NotebookError as error:
                    done["pdf_error"] = str(error)
        except NotebookError as error:
            done["error"] = str(error)
        except Exception as error:  # a kernel or zygote failure: still name the notebook
            done["error"] = f"{job.source.name}: {type(error).__name__}: {error}"
            if no_space(error):
                done["no_space"] = error
        return done


class Build:
    """The manifest, the index and the progress of one build into ``out_dir``."""

    def __init__(self, out_dir: Path, manifest: dict, total: int):
        self.out_dir, self.manifest, self.total = out_dir, manifest, total
        self.reports = manifest["reports"]
        self.failures: list[str] = []
        self.done = 0
        self.t0 = time.perf_counter()
        self.indexed: float | None = None  # when the index was last written; None: not yet

    def index(self, now: bool = False) -> None:
        """Write the index if ``now``, or if it was last written :data:`INDEX_EVERY` seconds ago
        or more (the first commit writes it): it follows the commits without being rebuilt,
        maps and all, for each of them. The build writes it once more at its end."""
        if now or self.indexed is None or time.perf_counter() - self.indexed >= INDEX_EVERY:
            record.write_index(self.out_dir, self.manifest)
            self.indexed = time.perf_counter()

    def commit(self, done: dict) -> None:
        """Record one report whole (HTML, PDF and entry together), then the index."""
        if done["no_space"] is not None:
            raise done["no_space"]  # the build stops; build_reports says why and cleans up
        self.done += 1
        job, out_dir = done["job"], self.out_dir
        elapsed = f"elapsed {time.perf_counter() - self.t0:.1f} s"
        if done["error"]:
            self.failures.append(done["error"])
            say(f"[{self.done}/{self.total}] FAILED {job.stem} ({elapsed}): {done['error']}")
            for tmp in done["moves"].values():
                Path(tmp).unlink(missing_ok=True)
            entry = record.failed_entry(out_dir, self.reports.get(job.stem), job, done["error"])
            record.commit(out_dir, self.manifest, job.stem, entry, {})
        else:
            self._commit_built(done, elapsed)
        self.index(now=bool(done["error"] or done["pdf_error"]))  # a failure shows at once

    def _commit_built(self, done: dict, elapsed: str) -> None:
        job = done["job"]
        previous = self.reports.get(job.stem) or {}
        built = record.now() if done["fresh"] else previous.get("built") or record.now()
        pdf_name = f"{job.stem}.pdf"
        entry = record.entry_for(
            job, key=job.key, html=f"{job.stem}.html", built=built,
            pdf=pdf_name if pdf_name in done["moves"] else None,
        )  # fmt: skip
        # How long the report's own cells ran (its execution records), for make bench.
        own = done["times"].get("own") if done["fresh"] else previous.get("cells_s")
        if own is not None:
            entry["cells_s"] = round(own, 3)
        # A new HTML is never left beside the old PDF as if it were its print.
        remove = [pdf_name] if done["fresh"] and entry["pdf"] is None else []
        note = f"html {done['html_s']:.1f} s" if done["fresh"] else "html up to date"
        if done["times"]:
            stages = ", ".join(f"{k} {v:.2f}" for k, v in done["times"].items())
            note += f" [{stages}]"
        if done["pdf_error"]:
            entry["pdf_error"] = done["pdf_error"]
            self.failures.append(done["pdf_error"])
            say(f"[{self.done}/{self.total}] FAILED {job.stem}: {done['pdf_error']}")
        elif "pdf_s" in done:
            note += f", pdf {done['pdf_s']:.1f} s"
        record.commit(self.out_dir, self.manifest, job.stem, entry, done["moves"], remove)
        if not done["pdf_error"]:
            say(f"[{self.done}/{self.total}] {job.stem}: {note} ({elapsed})")


def _open_printer(pdf: bool, browser: str | None) -> PdfPrinter | None:
    chromium = find_chromium(browser) if pdf else None
    if pdf and chromium is None:
        where = f" at {browser}" if browser else ""
        say(f"Chromium not found{where}: PDFs are skipped, HTML only.")
        say(INSTALL_HINT)
    return PdfPrinter(chromium) if chromium is not None else None


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
    zygote: Zygote | None = None,
) -> int:
    """Build ``jobs`` into ``out_dir``; exit status 0 if every report built, else 1.

    ``force`` rebuilds what is up to date; ``pdf`` prints PDFs (if a Chromium is found, or
    ``browser``); ``n_jobs`` kernels execute at once; ``timeout`` bounds each cell; ``prune``
    drops manifest entries of reports that no longer exist (off with ``--only``); ``zygote``
    is one already started (the command line starts it first thing; the caller closes it).
    """
    try:
        check_output_folder(out_dir)
    except OutputFolderError as error:
        say(f"ERROR: {error}. Nothing was built.")
        return 1
    own_zygote = zygote is None
    if own_zygote:
        # Preloads (libraries, the notebooks' imports, their data) while the keys are hashed.
        zygote = Zygote(notebook_imports(sorted({j.source for j in jobs})), start=force)
    try:
        # One build per folder (see helpers.build.lock): this one reads the manifest only after
        # any other build into the folder has written its last.
        try:
            lock = output_lock(out_dir, say)
        except LockFileError as error:
            say(f"ERROR: {error}. Nothing was built.")
            return 1
        with lock:
            try:
                return _build(jobs, out_dir, force, pdf, browser, n_jobs, timeout, prune, zygote)
            except Exception as error:  # an OSError, or an error raised from one
                if not no_space(error):
                    raise
                # Every staged file in the folder is this build's (it holds the lock).
                record.discard_staged(out_dir)
                say(
                    f"ERROR: no space left on the output disk ({out_dir}). The build stopped; "
                    "its temporary files are removed, and the reports, manifest and index there "
                    "are whole (each report as its last complete build left it). Free some "
                    "space and build again."
                )
                return 1
    finally:
        if own_zygote:
            zygote.close()


@contextlib.contextmanager
def _figure_cache(prune: bool):
    """Kernels started meanwhile draw each figure once per content (:mod:`helpers.figure_cache`,
    in ``build/cache/figures``). With ``prune``, the entries no report used are then removed."""
    from helpers import figure_cache

    folder = paths.cache_dir("figures")
    before, started = os.environ.get(figure_cache.CACHE_ENV), figure_cache.now()
    os.environ[figure_cache.CACHE_ENV] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(figure_cache.CACHE_ENV, None)
        else:
            os.environ[figure_cache.CACHE_ENV] = before
    if prune:  # only after a build that finished (an error or interrupt skips this)
        figure_cache.prune(folder, used_since=started)


def _run_stages(build: Build, stages: Stages, to_run: list[Job], pdf_only: list[Job]) -> None:
    """Every report through its stages, each committed as soon as it is done."""
    if to_run:
        folders = [j.source.parent for j in to_run]
        stages.pool = KernelPool(
            stages.zygote, max(set(folders), key=folders.count), ahead=stages.n_jobs
        )
    try:
        # Three threads a kernel: while a report exports and prints (a small one's export and
        # PDF take longer than its cells), the next ones run, and no kernel waits for a thread.
        with ThreadPoolExecutor(max_workers=3 * stages.n_jobs) as pool:
            futures = [pool.submit(stages.run, j, False) for j in pdf_only]
            futures += [pool.submit(stages.run, j, True) for j in to_run]
            try:
                for future in as_completed(futures):
                    build.commit(future.result())
            except BaseException:
                # A full disk (or an interrupt): start no other report, stage nothing more.
                stages.stopped.set()
                for future in futures:
                    future.cancel()
                if build.done:
                    build.index(now=True)  # the index lists what was committed
                raise
    finally:
        if stages.pool is not None:
            stages.pool.close()
        if stages.printer is not None:
            stages.printer.__exit__(None, None, None)  # the browser closes however it ends


def _build(jobs, out_dir, force, pdf, browser, n_jobs, timeout, prune, zygote) -> int:
    jobs = with_keys(jobs)
    manifest = record.load_manifest(out_dir)
    if prune:
        for stem in set(manifest["reports"]) - {j.stem for j in jobs}:
            del manifest["reports"][stem]
    recorded = json.dumps(manifest, sort_keys=True)
    printer = _open_printer(pdf, browser)
    to_run, pdf_only = triage(jobs, manifest["reports"], out_dir, printer is not None, force)
    build = Build(out_dir, manifest, len(to_run) + len(pdf_only))
    say(
        f"{len(jobs)} reports: {len(to_run)} to build, {len(pdf_only)} to print, "
        f"{len(jobs) - build.total} up to date (in {out_dir})."
    )
    if build.total:
        from helpers.build.export import figure_files_env  # not needed by a no-change build

        if to_run:
            zygote.start()  # if not yet: it preloads while the maps are drawn, the browser starts

        record.warm_maps()  # while the first kernels start
        if printer is not None and hasattr(printer, "start"):
            printer.start()
        # Every report drawn, none left out: the figures it did not use are no longer needed.
        every = prune and len(to_run) == len(jobs)
        with figure_files_env(), _figure_cache(prune=every):  # for the kernels started now
            _run_stages(build, Stages(out_dir, printer, zygote, n_jobs, timeout), to_run, pdf_only)
    unchanged = json.dumps(manifest, sort_keys=True) == recorded
    if not (build.total == 0 and unchanged and (out_dir / "index.html").exists()):
        # Nothing built and nothing recorded differently: the index already says all of it
        # (its maps come from the same data as the reports' keys).
        record.save_manifest(out_dir, manifest)
        build.index(now=True)
    say(f"Index: {out_dir / 'index.html'} ({time.perf_counter() - build.t0:.1f} s in all)")
    if pdf and printer is None:
        say(f"NOTE: no PDFs were made because Chromium was not found. {INSTALL_HINT}")
    if build.failures:
        say(f"{len(build.failures)} of {len(jobs)} reports FAILED:")
        for message in build.failures:
            say(f"  - {message}")
        return 1
    return 0
