"""Benchmark ``python -m helpers.build`` against a floor measured in the same run.

The floor is what the machinery itself costs: as many trivial notebooks as there are reports
(one cell, ``import pandas, matplotlib``), executed in fresh kernels and exported to HTML and PDF
by the same command with the same options. The ratio build/floor says how much the reports'
own work adds; the target is 1.5 or better. Also timed: a rebuild with nothing changed, and a
forced rebuild once the datastore cache is warm, and the usual pipeline a user without this project
would run for the same reports (papermill, nbconvert, chromium, one report after another), with
the speed-up of the build over it. Last, the CPU the profiles' figures alone take to draw (in
this process), against what the 1.5 rule leaves above the floor.

Run with ``make bench`` or ``.venv/bin/python benchmarks/bench_build.py [--no-pdf] [--jobs N]``.
Everything is written to temporary folders; ``build/`` is not touched.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


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


def write_trivial_notebooks(folder: Path, n: int) -> None:
    """``n`` one-cell notebooks named so the build's glob (``NN-*.ipynb``) finds them all."""
    for i in range(n):
        nb = new_notebook(
            cells=[
                new_markdown_cell(f"# Trivial notebook {i}"),
                new_code_cell("import pandas, matplotlib"),
            ],
            metadata={"kernelspec": KERNELSPEC},
        )
        nbformat.write(nb, folder / f"{i % 100:02d}-trivial-{i:03d}.ipynb")


def usual_pipeline(manifest: dict, notebooks: Path, work: Path, pdf: bool) -> float:
    """The same reports built the way a user without this project would: one tool after another.

    For each report: ``papermill`` (with its parameters, for profiles), then ``jupyter nbconvert
    --to html --no-input``, then ``chromium --headless --print-to-pdf``. Returns the wall time.
    """
    from helpers.build.printer import CHROMIUM_ARGS, find_chromium

    bin_dir = Path(sys.executable).parent
    chromium = find_chromium() if pdf else None
    work.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    for stem, report in sorted(manifest["reports"].items()):
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


def figure_cpu() -> tuple[int, float]:
    """The profiles' figures drawn in this process (data read first): how many, and the CPU
    seconds they take, made and rendered as PNG and SVG as the build renders them."""
    os.environ["HELPERS_FIGURE_FILES"] = "1"  # PNG and SVG, as for the reports
    import IPython.display

    from helpers import display, profile
    from helpers.areas import COUNCIL_AREAS
    from helpers.joint import tables

    profile._care()
    tables.tables()
    count = 0
    shown = display.show

    def drawn(*args, **kwargs):
        nonlocal count
        count += 1
        display.FigureOutput(*args, **kwargs)  # rendered, not displayed

    display.show = drawn
    shown_text, IPython.display.display = IPython.display.display, lambda *a, **k: None
    start = time.process_time()
    try:
        for area in COUNCIL_AREAS:
            profile.show_comparisons(area)
            profile.care_by_type_figure(area).show()
            profile.show_care_grades(area)
            profile.care_trend(area)[1].show()
    finally:
        display.show, IPython.display.display = shown, shown_text
    return count, time.process_time() - start


def main() -> int:
    """Measure and print: build time, floor, ratio, no-change rebuild time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pdf", action="store_true", help="time HTML only")
    parser.add_argument("--jobs", type=int, help="passed to helpers.build")
    args = parser.parse_args()
    options = ["--force"] + (["--no-pdf"] if args.no_pdf else [])
    options += ["--jobs", str(args.jobs)] if args.jobs else []

    with tempfile.TemporaryDirectory(prefix="bench-build-") as tmp:
        tmp = Path(tmp)
        real = tmp / "real"
        build = run_build(options, real)
        manifest = json.loads((real / "reports" / "manifest.json").read_text(encoding="utf-8"))
        n = len(manifest["reports"])
        rebuild = run_build([o for o in options if o != "--force"], real)
        # Forced again, now that the datastore cache under the build folder is warm: what a
        # rebuild after a change to code costs. The first build paid for the cold cache, which
        # benchmarks/bench_datastore.py measures on its own.
        warm = run_build(options, real)

        trivial = tmp / "trivial-notebooks"
        trivial.mkdir()
        write_trivial_notebooks(trivial, n)
        floor = run_build([*options, "--notebooks", str(trivial)], tmp / "floor")
        from helpers import paths

        usual = usual_pipeline(manifest, paths.notebooks_dir(), tmp / "usual", not args.no_pdf)

    ratio, warm_ratio = build / floor, warm / floor
    print(f"reports built:          {n} ({'HTML' if args.no_pdf else 'HTML + PDF'})")
    print(f"build (first, forced):  {build:6.1f} s  ({build / n:.2f} s a report)")
    print(f"build (warm cache):     {warm:6.1f} s  ({warm / n:.2f} s a report)")
    print(f"floor ({n} trivial):    {floor:6.1f} s  ({floor / n:.2f} s a notebook)")
    for label, value in (("first build", ratio), ("warm cache", warm_ratio)):
        verdict = "met" if value <= 1.5 else "NOT met"
        print(f"ratio {label + '/floor:':17s}{value:6.2f}  (target <= 1.5: {verdict})")
    print(f"no-change rebuild:      {rebuild:6.1f} s")
    print(f"usual pipeline:         {usual:6.1f} s  (papermill, nbconvert, chromium per report)")
    verdict = "met" if usual / build >= 10 else "NOT met"
    print(f"speed-up over usual:    {usual / build:6.1f}x first, {usual / warm:.1f}x warm "
          f"(target >= 10x: {verdict})")  # fmt: skip
    # What the 1.5 rule leaves for the reports' own work, against what their figures alone take.
    count, seconds = figure_cpu()
    cores = len(os.sched_getaffinity(0))
    budget = (1.5 - 1) * floor * cores
    print(f"profiles' figures:      {seconds:6.1f} CPU-s for {count} figures (PNG + SVG), "
          f"against {budget:.1f} CPU-s the 1.5 rule leaves above the floor on {cores} cores "
          f"({seconds / budget:.1f}x that)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
