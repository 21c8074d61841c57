"""nbval guards the numbers: a change to one count in data/ fails the cells that show it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

from helpers import paths

NOTEBOOK = paths.notebooks_dir() / "01-perth-and-kinross-2017.ipynb"
PK_COUNTS = "Perth and Kinross,cyp-2012,2018-04,Aug-Nov 2017,9,2,6,1,"


def run_nbval(data_dir) -> subprocess.CompletedProcess:
    env = {**os.environ, "HELPERS_DATA_DIR": str(data_dir), "MPLBACKEND": "Agg"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(paths.REPO_ROOT / "tests" / "nbval_sanitize.cfg"),
            "-p",
            "no:cacheprovider",
            "-q",
            "-o",
            "addopts=",
            str(NOTEBOOK),
        ],
        cwd=paths.REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_changed_count_fails_nbval_on_cells_showing_it(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(paths.joint_inspections_dir(), data / "joint-inspections")
    shutil.copy(paths.data_dir() / "datapackage.json", data)  # the schema the loaders apply
    table = data / "joint-inspections" / "inspections.csv"
    text = table.read_text("utf-8")
    assert PK_COUNTS in text
    table.write_text(text.replace(PK_COUNTS, PK_COUNTS.replace(",9,2,6,1,", ",9,3,5,1,")), "utf-8")

    result = run_nbval(data)

    assert result.returncode == 1, result.stdout[-2000:]
    failed = re.findall(r"FAILED \S+::Cell (\d+)", result.stdout)
    assert failed, result.stdout[-2000:]
    # Each failure is a difference in outputs (not an error), and the new sentence is the cause.
    differ = re.findall(r"Cell (\d+): Cell outputs differ", result.stdout)
    assert set(differ) == set(failed), result.stdout[-2000:]
    assert "three were graded excellent, five very good and one good" in result.stdout
    # Cells that show no count (the title facts, the method) still pass.
    assert re.search(r"(\d+) passed", result.stdout), result.stdout[-2000:]
