"""Benchmark the datastore loader on every snapshot in HELPERS_DATASTORE_DIR.

Prints, each measured in its own subprocess (so peaks are separate and imports are not counted):

- the floor: plain ``pandas.read_csv`` of every file, reading the same columns (``usecols``);
- the cold ``history()`` build (empty cache), as wall time and as a ratio to the floor (target
  1.5x or better);
- the warm ``history()`` load from the cache (target under 0.3 s);
- the peak memory (max RSS) of each, including worker processes (target under 1 GB);
- the rebuild of ``data/care-services`` from the snapshots (``make care-data``), from a cold
  cache and from a warm one, written to a temporary folder; and the load of the committed table.

Run: ``python benchmarks/bench_datastore.py [--repeat N]`` (median of N runs, default 3).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

_FLOOR = """
import resource, time, warnings
from pathlib import Path
import pandas as pd
from helpers.datastore import classify_columns, snapshot_files
from helpers.datastore.snapshot import read_header
warnings.simplefilter("ignore")  # DtypeWarning: mixed types, as plain read_csv gives them
files = snapshot_files()
columns = [classify_columns(read_header(p), p.name).usecols for p in files]
start = time.perf_counter()
for path, usecols in zip(files, columns):
    pd.read_csv(path, encoding="cp1252", usecols=usecols)
seconds = time.perf_counter() - start
"""

_HISTORY = """
import resource, time
from helpers.datastore import history
start = time.perf_counter()
result = history()
seconds = time.perf_counter() - start
"""

_CARE_DATA = """
import resource, time, tempfile
from helpers import paths
from helpers.datastore import derive
start = time.perf_counter()
derive.build(paths.datastore_dir(), tempfile.mkdtemp() + "/care-services")
seconds = time.perf_counter() - start
"""

_CARE_LOAD = """
import resource, time
from helpers.care import tables
start = time.perf_counter()
tables.load()
seconds = time.perf_counter() - start
"""

_REPORT = """
import json
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": seconds, "self_mb": rss / 1024, "children_mb": children / 1024}))
"""


def _run(code: str, env: dict[str, str]) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code + _REPORT], env=env, check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    """Measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from helpers.datastore import snapshot_files

    files = snapshot_files()
    floors, colds, warms, care_cold, care_warm, care_load = [], [], [], [], [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as build:
            env = {**os.environ, "HELPERS_BUILD_DIR": build}
            floors.append(_run(_FLOOR, env))
            colds.append(_run(_HISTORY, env))
            warms.append(_run(_HISTORY, env))
        with tempfile.TemporaryDirectory() as build:
            env = {**os.environ, "HELPERS_BUILD_DIR": build}
            care_cold.append(_run(_CARE_DATA, env))
            care_warm.append(_run(_CARE_DATA, env))
            care_load.append(_run(_CARE_LOAD, env))
    floor = statistics.median(r["seconds"] for r in floors)
    cold = statistics.median(r["seconds"] for r in colds)
    warm = statistics.median(r["seconds"] for r in warms)
    ratios = [c["seconds"] / f["seconds"] for c, f in zip(colds, floors, strict=True)]
    peak = max(max(r["self_mb"], r["children_mb"]) for r in colds + warms)
    print(f"snapshots: {len(files)} files in {files[0].parent}")
    print(f"floor (pandas.read_csv, same columns): {floor:.2f} s (median of {args.repeat})")
    print(
        f"cold history() build: {cold:.2f} s = {cold / floor:.2f}x the floor "
        f"(per run: {', '.join(f'{r:.2f}x' for r in ratios)}; target <= 1.5x)"
    )
    print(f"warm history() load: {warm:.3f} s (target < 0.3 s)")
    print(
        "peak memory (max RSS): "
        f"floor {max(r['self_mb'] for r in floors):.0f} MB, "
        f"cold {max(r['self_mb'] for r in colds):.0f} MB "
        f"(workers {max(r['children_mb'] for r in colds):.0f} MB each at most), "
        f"warm {max(r['self_mb'] for r in warms):.0f} MB; target < 1024 MB "
        f"({'ok' if peak < 1024 else 'OVER'})"
    )

    def median(runs):
        return statistics.median(r["seconds"] for r in runs)

    print(
        f"make care-data (derive and write data/care-services): {median(care_cold):.2f} s from a "
        f"cold cache, {median(care_warm):.2f} s warm; loading it: {median(care_load):.2f} s"
    )


if __name__ == "__main__":
    main()
