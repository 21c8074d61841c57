"""A bad findings row met by the real build: it stops with the file, line and value, and keeps
the report built before from good data. The loaders' refusals themselves are tested without a
build in ``tests/unit/test_findings.py``."""

from __future__ import annotations

import shutil

from helpers import paths


def test_bad_findings_row_stops_the_build_and_keeps_the_built_report(tmp_path):
    """A findings row with an unknown theme: the build says which file, line and value, exits
    non-zero, and the report built before from good data is left as it was."""
    import os
    import subprocess
    import sys

    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data)
    out = tmp_path / "reports"
    env = {**os.environ, "HELPERS_DATA_DIR": str(data), "MPLBACKEND": "Agg"}

    def build() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "helpers.build", "--only", "06-what-inspectors-found",
             "--out", str(out), "--no-pdf", "--force"],
            capture_output=True, text=True, env=env, timeout=600, check=False,
        )  # fmt: skip

    good = build()
    assert good.returncode == 0, good.stdout[-2000:] + good.stderr[-2000:]
    page = out / "06-what-inspectors-found.html"
    before = page.read_bytes()
    tags = data / "joint-inspections" / "finding_themes.csv"
    lines = tags.read_text(encoding="utf-8").splitlines()
    fid = lines[1].split(",")[0]
    tags.write_text("\n".join([lines[0], f"{fid},no-such-theme", *lines[2:]]) + "\n", "utf-8")
    bad = build()
    said = bad.stdout + bad.stderr
    assert bad.returncode != 0
    assert "finding_themes.csv" in said and "line 2" in said and "no-such-theme" in said, said
    assert page.read_bytes() == before
    assert not list(out.glob("*.tmp*")) and not list(out.glob(".*.tmp*"))
