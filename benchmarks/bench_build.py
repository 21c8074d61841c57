"""Benchmark ``python -m helpers.build`` against the usual pipeline: the same reports, one run.

Timed, one after another, into temporary folders:

* a first build (forced, into an empty folder: no figure cache, nothing up to date);
* the no-change rebuild (three times; the median is what a user waits for ``make reports``
  with nothing to do; the target is under 1 s);
* a warm build: forced again, now that the figure cache under the build folder holds every
  figure (and the files are in the system's cache);
* the usual pipeline a user without this project would run for the same reports (papermill,
  ``jupyter nbconvert --to html --no-input``, ``chromium --print-to-pdf``, one report after
  another), and the speed-up of each build over it (the target is 10x or more for both).

Also printed: how much of each build was the reports' own code, from the execution records of
their cells (nbclient's timestamps, summed per report in the manifest as ``cells_s``), as a share
of the build's time on all its cores; and what drawing the profiles' figures costs in this process,
drawn afresh and taken from the figure cache (:mod:`helpers.figure_cache`).

Run with ``make bench`` or ``.venv/bin/python benchmarks/bench_build.py [--no-pdf] [--jobs N]``.
Everything is written to temporary folders; ``build/`` is not touched.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run_build(args: list[str], build_dir: Path) -> float:
    """Run ``python -m helpers.build`` with ``args`` into ``build_dir``; return its wall time.

    Raises
    ------
    SystemExit
        If the build fails: a benchmark of a broken build means nothing.
    """
    env = {**os.environ, "HELPERS_BUILD_DIR": str(build_dir)}
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "helpers.build", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-4000:] + done.stderr[-4000:])
        raise SystemExit(f"helpers.build {' '.join(args)} failed (exit {done.returncode})")
    return seconds


def manifest(build_dir: Path) -> dict:
    """The manifest of the reports built into ``build_dir``."""
    return json.loads((build_dir / "reports" / "manifest.json").read_text(encoding="utf-8"))


def cells_seconds(build_dir: Path) -> float:
    """Seconds the reports' own cells ran in the last build into ``build_dir`` (their records)."""
    return sum(r.get("cells_s", 0.0) for r in manifest(build_dir)["reports"].values())


def usual_pipeline(reports: dict, notebooks: Path, work: Path, pdf: bool) -> float:
    """The same reports built the way a user without this project would: one tool after another.

    For each report: ``papermill`` (with its parameters, for profiles), then ``jupyter nbconvert
    --to html --no-input``, then ``chromium --headless --print-to-pdf``. Returns the wall time.
    """
    from helpers.build.printer import CHROMIUM_ARGS, find_chromium

    bin_dir = Path(sys.executable).parent
    chromium = find_chromium() if pdf else None
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for stem, report in sorted(reports.items()):
        executed = work / f"{stem}.ipynb"
        params = [a for k, v in report["parameters"].items() for a in ("-p", k, str(v))]
        source = notebooks / report["source"]
        steps = [
            [str(bin_dir / "papermill"), str(source), str(executed), "--cwd", str(notebooks),
             *params, "--log-level", "ERROR"],
            [str(bin_dir / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
        ]  # fmt: skip
        if chromium is not None:
            steps.append(
                [str(chromium), "--headless", *CHROMIUM_ARGS, "--no-pdf-header-footer",
                 f"--user-data-dir={work / 'chromium-profile'}",
                 f"--print-to-pdf={work / f'{stem}.pdf'}", (work / f"{stem}.html").as_uri()]
            )  # fmt: skip
        for step in steps:
            subprocess.run(step, check=True, capture_output=True)
    return time.perf_counter() - start


def profile_figures() -> list:
    """Every figure of the 32 area profiles, made (not drawn) by the profiles' public calls."""
    from helpers import charts, profile
    from helpers.areas import COUNCIL_AREAS
    from helpers.joint import questions

    made = []
    for area in COUNCIL_AREAS:
        for programme in questions.area_inspections(area)["programme"]:
            if not questions.scotland_counts(programme).empty:
                made.append(profile.comparison_figure(area, programme))
        made += [profile.care_by_type_figure(area), profile.care_grades_figure(area)]
        made.append(profile.care_trend(area)[1])
    return [chart.fig for chart in made if isinstance(chart, charts.Chart)]


def figure_cpu(cache: Path) -> tuple[int, float, float]:
    """The profiles' figures drawn in this process as the build draws them (PNG and SVG): how
    many, the CPU seconds to draw them afresh, and to take them from a figure cache (into
    ``cache``, filled by the first pass; each pass on figures made anew)."""
    from helpers import figure_cache

    def drawing(folder: Path | None) -> tuple[int, float]:
        figures = profile_figures()  # made before the clock starts: only drawing is timed
        if folder is None:
            os.environ.pop(figure_cache.CACHE_ENV, None)
        else:
            os.environ[figure_cache.CACHE_ENV] = str(folder)
        start = time.process_time()
        for fig in figures:
            figure_cache.drawn(fig, svg=True)
        return len(figures), time.process_time() - start

    count, afresh = drawing(None)
    drawing(cache)  # fills the cache
    _, cached = drawing(cache)
    os.environ.pop(figure_cache.CACHE_ENV, None)
    return count, afresh, cached


def main() -> int:
    """Measure and print: the builds, the no-change rebuild, the usual pipeline, the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pdf", action="store_true", help="time HTML only")
    parser.add_argument("--jobs", type=int, help="passed to helpers.build")
    args = parser.parse_args()
    options = ["--force"] + (["--no-pdf"] if args.no_pdf else [])
    options += ["--jobs", str(args.jobs)] if args.jobs else []
    cores = len(os.sched_getaffinity(0))

    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        real = Path(tmp) / "real"
        first = run_build(options, real)
        first_cells = cells_seconds(real)
        reports = manifest(real)["reports"]
        unchanged = [run_build([o for o in options if o != "--force"], real) for _ in range(3)]
        warm = run_build(options, real)
        warm_cells = cells_seconds(real)
        from helpers import paths

        usual = usual_pipeline(reports, paths.notebooks_dir(), Path(tmp) / "usual", not args.no_pdf)
        count, afresh, cached = figure_cpu(Path(tmp) / "figure-cache")

    n, rebuild = len(reports), statistics.median(unchanged)
    print(f"reports built:          {n} ({'HTML' if args.no_pdf else 'HTML + PDF'})")
    print(f"build (first, forced):  {first:6.1f} s  ({first / n:.2f} s a report)")
    print(f"build (warm, forced):   {warm:6.1f} s  ({warm / n:.2f} s a report; figures cached)")
    verdict = "met" if rebuild < 1 else "NOT met"
    print(f"no-change rebuild:      {rebuild:6.2f} s  (median of 3; target < 1 s: {verdict})")
    print(f"usual pipeline:         {usual:6.1f} s  (papermill, nbconvert, chromium per report)")
    verdict = "met" if min(usual / first, usual / warm) >= 10 else "NOT met"
    print(f"speed-up over usual:    {usual / first:6.1f}x first, {usual / warm:.1f}x warm "
          f"(target >= 10x both: {verdict})")  # fmt: skip
    for label, cells, wall in (("first", first_cells, first), ("warm", warm_cells, warm)):
        print(f"reports' own cells:     {cells:6.1f} s in the {label} build: "
              f"{cells / (wall * cores):.0%} of its {wall:.1f} s on {cores} cores")  # fmt: skip
    print(f"profiles' figures:      {count} figures (PNG + SVG): {afresh:.1f} CPU-s drawn afresh, "
          f"{cached:.1f} CPU-s from the figure cache ({cached / afresh:.2f} of that)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
