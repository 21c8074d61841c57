"""Set-up shared by the end-to-end tests: the build run as a user runs it, and one full build.

``full_build`` is every report (notebooks and area profiles), HTML and PDF, built once for the
whole run into a temporary folder: every test that only reads built reports reads this one
(the reader's pages, their PDFs, the figures' files), so the suite pays for one full build.
They all live in ``test_built_reports.py``, so that under xdist (``--dist loadfile``) one
process runs them; should another process ask for it too, it waits for that build and reads it
rather than building again. Tests that build from changed data or with other options build
their own, with ``build_reports``.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers.build import printer


def _build(out: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m helpers.build --out OUT --force ARGS`` in a new process; it must succeed."""
    done = subprocess.run(
        [sys.executable, "-m", "helpers.build", "--out", str(out), "--force", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "MPLBACKEND": "Agg", **(env or {})},
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


@pytest.fixture
def build_reports() -> Callable[..., subprocess.CompletedProcess]:
    """Builds reports as a user does (``build_reports(out, "--only", stem, env={...})``)."""
    return _build


@pytest.fixture(scope="session")
def full_build(tmp_path_factory) -> Path:
    """Every report (notebooks and area profiles), HTML and PDF, built once for the run."""
    if printer.find_chromium() is None:
        pytest.skip("Chromium is not installed")
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, which every xdist process shares
    out = root / "full-build"
    with open(root / "full-build.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # released when the file closes
        if not (out / "index.html").is_file():  # a process before this one may have built it
            _build(out)
    return out
