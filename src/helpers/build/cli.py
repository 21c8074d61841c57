"""Command line: ``python -m helpers.build [--only PATTERN] [--force] [--no-pdf] ...``."""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence
from pathlib import Path

from helpers import paths
from helpers.build.execute import KERNEL_ENV, NotebookError, execute_in_place
from helpers.build.kernels import Zygote, notebook_imports
from helpers.build.pipeline import build_reports, say
from helpers.build.plan import PROFILE_TEMPLATE, Job, discover_jobs, numbered_notebooks, select
from helpers.build.record import MANIFEST


def run_in_place(jobs: Sequence[Job], timeout: int = 600) -> int:
    """Re-execute notebooks into ``notebooks/`` (parameters as written); 1 if any failed."""
    t0 = time.perf_counter()
    targets = [j for j in jobs if not j.parameters]
    failures = []
    zygote = Zygote()
    try:
        for n, job in enumerate(targets, 1):
            say(f"[{n}/{len(targets)}] executing {job.source.name} in place ...")
            try:
                execute_in_place(job.source, timeout, zygote=zygote)
            except NotebookError as error:
                failures.append(str(error))
                say(f"  FAILED: {error}")
            say(f"  (elapsed {time.perf_counter() - t0:.1f} s)")
    finally:
        zygote.close()
    for message in failures:
        say(f"FAILED: {message}")
    return 1 if failures else 0


def parser() -> argparse.ArgumentParser:
    """The options (unchanged since the build was one module)."""
    p = argparse.ArgumentParser(
        prog="python -m helpers.build",
        description="Execute the notebooks and area profiles; export HTML and PDF reports.",
    )
    p.add_argument("--only", metavar="PATTERN", help="build reports matching a glob/substring")
    p.add_argument("--force", action="store_true", help="rebuild even if up to date")
    p.add_argument("--no-pdf", action="store_true", help="HTML only")
    p.add_argument(
        "--jobs", type=int, default=min(2, os.cpu_count() or 1), help="notebooks run at once"
    )
    p.add_argument("--browser", metavar="PATH", help="Chromium to print PDFs with")
    p.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    p.add_argument(
        "--out", type=Path, help="output folder (default: build/reports, see HELPERS_BUILD_DIR)"
    )
    p.add_argument(
        "--notebooks", type=Path, help="notebooks folder (default: the repository's notebooks/)"
    )
    p.add_argument(
        "--execute-in-place",
        action="store_true",
        help="re-execute the numbered notebooks into notebooks/ (nbval references); no reports",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the build (or ``--execute-in-place``); the exit status."""
    args = parser().parse_args(argv)
    os.environ.update(KERNEL_ENV)
    folder = (args.notebooks or paths.notebooks_dir()).resolve()
    if args.execute_in_place:
        # The template too, with its default parameters: nbval checks every notebook in the folder.
        sources = numbered_notebooks(folder) + [
            p for p in [folder / PROFILE_TEMPLATE] if p.exists()
        ]
        jobs = [Job(p.stem, p, p.stem) for p in sources]
        return run_in_place(select(jobs, args.only), args.timeout)

    out_dir = (args.out or paths.build_dir() / "reports").resolve()
    # Where reports must be run (forced, or a folder with no manifest yet), the zygote first:
    # its imports (seconds) overlap the planning, which reads the data too. Otherwise it starts
    # once the planning has found a report to run, if any.
    certain = args.force or not (out_dir / MANIFEST).exists()
    zygote = Zygote(notebook_imports(sorted(folder.glob("*.ipynb"))), start=certain)
    try:
        jobs = select(discover_jobs(folder), args.only)
        if not jobs:
            say(f"No reports match {args.only!r}." if args.only else f"No notebooks in {folder}.")
            return 1 if args.only else 0
        return build_reports(
            jobs,
            out_dir,
            force=args.force,
            pdf=not args.no_pdf,
            browser=args.browser,
            n_jobs=args.jobs,
            timeout=args.timeout,
            prune=not args.only,
            zygote=zygote,
        )
    finally:
        zygote.close()
