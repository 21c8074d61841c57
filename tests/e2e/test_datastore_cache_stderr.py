"""The datastore cache's warning as a user sees it: a script or a notebook with no logging set up
gets one line on stderr. Runs Python in a new process; the cache's own tests are in
``tests/unit/test_datastore_cache.py``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers.datastore import cache_dir

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "datastore"


def cached(folder: Path, table: str) -> Path:
    """The one cached file of ``table``."""
    (path,) = folder.glob(f"history-*.{table}.parquet")
    return path


@pytest.mark.parametrize("trouble", ["damaged", "unwritable"])
def test_cache_trouble_is_one_line_on_stderr(tmp_path, monkeypatch, trouble):
    """Without any logging set up (a script, a notebook), the warning is one line on stderr."""
    build = tmp_path / "build"
    monkeypatch.setenv("HELPERS_BUILD_DIR", str(build))
    code = f"from helpers.datastore import history; history({str(FIXTURES)!r})"
    if trouble == "damaged":
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        named = cached(cache_dir(), "grades")
        named.write_bytes(b"junk")
    else:
        build.write_text("not a folder")
        named = cache_dir()
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    (line,) = run.stderr.splitlines()
    assert str(named) in line
