"""Tests of ``python -m helpers.build``: execution, export, failures, atomic writes, caching.

Most tests build small notebooks written into a temporary folder (a few seconds each: every
notebook runs in a fresh kernel). One end-to-end test builds the real Perth and Kinross profile.
The build's parts that need no kernel are tested in ``tests/unit/test_build_parts.py``.
"""

from __future__ import annotations

import contextlib
import html.parser
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell
from small_notebooks import (
    KERNELSPEC,
    PRINTED,
    SENTENCE,
    broken_notebook,
    small_notebook,
    write_notebook,
)

import helpers.build as build
from helpers import atomic, paths
from helpers.build import lock, pipeline, plan, printer, record, template

CHROMIUM = printer.find_chromium()
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")


def run(*args: str) -> tuple[int, str]:
    """Run the command line in this process; return (exit status, what it printed)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = build.main(["--jobs", "1", *map(str, args)])
    return status, out.getvalue()


class _Links(html.parser.HTMLParser):
    """Collects (tag, attribute, value) for every src and href."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.links.append((tag, name, value))


def links(text: str) -> list[tuple[str, str, str]]:
    parser = _Links()
    parser.feed(text)
    return parser.links


def pdf_text(path: Path) -> str:
    """A PDF's text with whitespace folded (lines wrap anywhere)."""
    from pypdf import PdfReader

    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(path).pages).split())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One build (HTML and PDF) of a good and a broken notebook, shared by several tests."""
    root = tmp_path_factory.mktemp("built")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    small_notebook(notebooks)
    broken_notebook(notebooks)
    out = root / "reports"
    # Two jobs: the worker-process path, with a failure coming back from a worker.
    status, printed = run("--notebooks", notebooks, "--out", out, "--jobs", "2")
    return status, printed, out


def test_build_failure_is_reported_and_others_still_build(built):
    status, printed, out = built
    assert status == 1
    assert "02-broken.ipynb: cell 2 (`y = x - 1`): ZeroDivisionError: division by zero" in printed
    assert (out / "01-small.html").exists()
    assert not (out / "02-broken.html").exists()


def test_build_html_is_self_contained_without_code(built):
    _, _, out = built
    text = (out / "01-small.html").read_text(encoding="utf-8")
    assert SENTENCE in text
    assert "ax.bar(" not in text and "import matplotlib" not in text  # no code input
    assert re.search(r'<img [^>]*src="data:image/png;base64,[A-Za-z0-9+/]{100}', text)
    assert 'alt="Bar chart: b is twice a."' in text
    for tag, attribute, value in links(text):
        # Nothing to fetch: only data: URIs and in-page anchors; links (not fetched) to the
        # figures' files built beside the page.
        if tag == "a" and re.fullmatch(r"01-small-figure-\d+\.(png|svg|csv)", value):
            assert (out / value).is_file(), value
            continue
        assert value.startswith(("data:", "#")), f"<{tag} {attribute}={value!r}> is external"


@needs_chromium
def test_build_pdf_has_searchable_text(built):
    _, _, out = built
    text = pdf_text(out / "01-small.pdf")
    assert SENTENCE in text
    assert PRINTED in text  # printed sentences wrap between words, not inside them


def test_build_printed_output_reads_as_prose(built):
    _, _, out = built
    text = (out / "01-small.html").read_text(encoding="utf-8")
    assert re.search(r'class="[^"]*reader-stdout[^"]*"[^>]*>\s*<pre>' + re.escape(PRINTED), text)
    css = template.READER_CSS
    assert "word-break: normal" in css and "white-space: pre-wrap" in css
    assert re.search(r"\.reader-stdout pre \{\s*font-family: var\(--jp-content-font-family\)", css)
    # After nbconvert's stylesheet, so it wins at equal specificity.
    assert text.rindex(".reader-stdout pre") > text.index("word-break: break-all")


def test_build_failed_rebuild_keeps_previous_version_marked(tmp_path, monkeypatch):
    monkeypatch.setattr(plan, "shared_key", lambda: "fixed")
    small_notebook(tmp_path)
    broken_notebook(tmp_path)
    out = tmp_path / "out"
    status, _ = run("--notebooks", tmp_path, "--out", out, "--no-pdf")
    assert status == 1
    index = (out / "index.html").read_text(encoding="utf-8")
    hrefs = {value for _, _, value in links(index)}
    assert "01-small.html" in hrefs and "02-broken.html" not in hrefs
    assert "Broken <strong" in index and "there is no previous version" in index
    good = (out / "01-small.html").read_bytes()

    nb = nbformat.read(tmp_path / "01-small.ipynb", as_version=4)
    nb.cells.append(new_code_cell("raise ValueError('the data moved')"))
    nbformat.write(nb, tmp_path / "01-small.ipynb")
    status, printed = run("--notebooks", tmp_path, "--out", out, "--no-pdf")
    assert status == 1 and "ValueError: the data moved" in printed
    assert (out / "01-small.html").read_bytes() == good  # the previous version is kept
    index = (out / "index.html").read_text(encoding="utf-8")
    row = next(line for line in index.splitlines() if "01-small.html" in line)
    assert (
        "last build failed: 01-small.ipynb: cell 4" in row and "ValueError: the data moved" in row
    )
    assert re.search(r"showing the previous version of \d{4}-\d\d-\d\d \d\d:\d\d UTC", row)

    # A failed report is not up to date: the next build tries it again, and clears the mark.
    nb.cells.pop()
    nbformat.write(nb, tmp_path / "01-small.ipynb")
    (tmp_path / "02-broken.ipynb").unlink()
    status, printed = run("--notebooks", tmp_path, "--out", out, "--no-pdf")
    assert status == 0 and "1 to build" in printed
    assert "failed" not in (out / "index.html").read_text(encoding="utf-8").split("<body>")[1]


class FakePrinter:
    """Stands in for PdfPrinter: writes a tiny PDF, or fails while ``failing`` is set."""

    failing = False

    def __init__(self, executable):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def print_pdf(self, html_path, pdf_path):
        if FakePrinter.failing:
            raise RuntimeError("printer jammed")
        return atomic.atomic_write_text(pdf_path, f"%PDF-fake of {html_path.name}")


def test_build_pdf_failure_never_leaves_the_old_pdf_beside_new_html(tmp_path, monkeypatch):
    monkeypatch.setattr(plan, "shared_key", lambda: "fixed")
    monkeypatch.setattr(pipeline, "find_chromium", lambda browser=None: Path("/fake/chromium"))
    monkeypatch.setattr(pipeline, "PdfPrinter", FakePrinter)
    monkeypatch.setattr(FakePrinter, "failing", False)
    small_notebook(tmp_path)
    out = tmp_path / "out"
    assert run("--notebooks", tmp_path, "--out", out)[0] == 0
    assert (out / "01-small.pdf").exists()
    assert "01-small.pdf" in {v for _, _, v in links((out / "index.html").read_text("utf-8"))}

    nb = nbformat.read(tmp_path / "01-small.ipynb", as_version=4)
    nb.cells.append(new_markdown_cell("A new closing sentence."))
    nbformat.write(nb, tmp_path / "01-small.ipynb")
    monkeypatch.setattr(FakePrinter, "failing", True)
    status, printed = run("--notebooks", tmp_path, "--out", out)
    assert status == 1 and "PDF failed: RuntimeError: printer jammed" in printed
    assert "A new closing sentence." in (out / "01-small.html").read_text(encoding="utf-8")
    assert not (out / "01-small.pdf").exists()  # the old print of the old HTML is gone
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "01-small.pdf" not in {v for _, _, v in links(index)}
    assert "no PDF: 01-small.ipynb: PDF failed: RuntimeError: printer jammed" in index

    monkeypatch.setattr(FakePrinter, "failing", False)
    status, printed = run("--notebooks", tmp_path, "--out", out)
    assert status == 0 and "0 to build, 1 to print" in printed
    assert (out / "01-small.pdf").read_text() == "%PDF-fake of 01-small.html"


def test_build_index_links_every_report(built):
    _, _, out = built
    hrefs = {value for _, _, value in links((out / "index.html").read_text(encoding="utf-8"))}
    expected = {"01-small.html"} | ({"01-small.pdf"} if CHROMIUM else set())
    assert expected <= hrefs
    assert all((out / href).exists() for href in hrefs)


def test_build_no_change_skips_and_change_rebuilds(tmp_path, monkeypatch):
    """Up-to-date reports are skipped, and a build with nothing to run starts no kernel zygote
    (its imports would cost a no-change rebuild seconds of CPU); one with a report to run does."""
    from helpers.build import kernels

    # Fixed data and helpers: others editing src/helpers meanwhile must not make this flaky.
    monkeypatch.setattr(plan, "shared_key", lambda: "fixed")
    started = []
    real_start = kernels.Zygote._start

    def spied_start(self):
        started.append(self)
        real_start(self)

    monkeypatch.setattr(kernels.Zygote, "_start", spied_start)
    small_notebook(tmp_path)
    out = tmp_path / "out"
    assert run("--notebooks", tmp_path, "--out", out, "--no-pdf")[0] == 0
    assert len(started) == 1
    before = (out / "01-small.html").stat().st_mtime_ns

    status, printed = run("--notebooks", tmp_path, "--out", out, "--no-pdf")
    assert status == 0
    assert "0 to build, 0 to print, 1 up to date" in printed
    assert (out / "01-small.html").stat().st_mtime_ns == before
    assert len(started) == 1, "a build with nothing to run started a zygote"

    nb = nbformat.read(tmp_path / "01-small.ipynb", as_version=4)
    nb.cells.append(new_markdown_cell("A new closing sentence."))
    nbformat.write(nb, tmp_path / "01-small.ipynb")
    status, printed = run("--notebooks", tmp_path, "--out", out, "--no-pdf")
    assert status == 0 and "1 to build" in printed
    assert "A new closing sentence." in (out / "01-small.html").read_text(encoding="utf-8")
    assert len(started) == 2


def test_build_interrupted_write_keeps_the_old_file(tmp_path, monkeypatch):
    small_notebook(tmp_path)
    out = tmp_path / "out"
    assert run("--notebooks", tmp_path, "--out", out, "--no-pdf")[0] == 0
    good = (out / "01-small.html").read_bytes()

    nb = nbformat.read(tmp_path / "01-small.ipynb", as_version=4)
    nb.cells.append(new_markdown_cell("This version must never land."))
    nbformat.write(nb, tmp_path / "01-small.ipynb")

    def killed(*args, **kwargs):
        # The new HTML is fully staged; the build dies before its commit.
        raise KeyboardInterrupt("simulated kill")

    monkeypatch.setattr(record, "commit", killed)
    with pytest.raises(KeyboardInterrupt):
        run("--notebooks", tmp_path, "--out", out, "--no-pdf")
    monkeypatch.undo()

    assert (out / "01-small.html").read_bytes() == good
    record.load_manifest(out)  # the next build clears what the killed one staged
    assert [p.name for p in out.iterdir() if ".tmp" in p.name] == []


def test_build_killed_takes_its_kernels_with_it(tmp_path):
    small_notebook(tmp_path)
    write_notebook(
        tmp_path / "02-slow.ipynb",
        [new_markdown_cell("# Slow"), new_code_cell("import time\ntime.sleep(120)")],
    )
    out = tmp_path / "out"
    marker = f"HELPERS_TEST_BUILD={os.getpid()}-{tmp_path.name}"
    env = {**os.environ, marker.split("=")[0]: marker.split("=")[1]}
    command = [
        sys.executable,
        "-m",
        "helpers.build",
        "--notebooks",
        str(tmp_path),
        "--out",
        str(out),
    ]
    proc = subprocess.Popen(
        command + ["--no-pdf", "--jobs", "2"], env=env, stdout=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the small report committed, the slow one running
        committed = out.exists() and "01-small" in record.load_manifest(out)["reports"]
        if committed and (out / "index.html").exists():  # the index follows each commit
            break
        time.sleep(0.2)
    assert len(_processes_with(marker)) >= 2  # the build, its zygote and the slow kernel
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_with(marker) == []
    names = sorted(p.name for p in out.iterdir() if not p.name.startswith("01-small-figure-"))
    assert names == [lock.LOCK_NAME, "01-small.html", "index.html", "manifest.json"]
    figures = json.loads((out / "manifest.json").read_text("utf-8"))["reports"]["01-small"]
    assert sorted(figures["figures"]) == sorted(p.name for p in out.glob("01-small-figure-*"))
    assert (out / "01-small.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    # The killed build's folder lock died with it: the next build does not wait.
    status, printed = run("--notebooks", tmp_path, "--out", out, "--only", "01-small", "--no-pdf")
    assert status == 0 and "Waiting" not in printed and "1 up to date" in printed


def test_build_ends_when_a_kernel_dies_or_a_cell_overruns_its_timeout(tmp_path):
    """A kernel that dies mid-cell (killed, out of memory, os._exit) and a cell that runs past
    --timeout each fail their report, named with the cell; the build ends. (With a blocking
    kernel client, nbclient's wait for output stopped its event loop: the first hung the build
    for ever, the second ran to its end whatever the timeout.)"""
    write_notebook(
        tmp_path / "01-killed.ipynb",
        [
            new_markdown_cell("# Killed"),
            new_code_cell("print('before')"),
            new_code_cell("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)"),
        ],
    )
    write_notebook(
        tmp_path / "02-slow.ipynb",
        [new_markdown_cell("# Slow"), new_code_cell("import time\ntime.sleep(300)")],
    )
    command = [sys.executable, "-m", "helpers.build", "--notebooks", str(tmp_path)]
    command += ["--out", str(tmp_path / "out"), "--no-pdf", "--jobs", "2", "--timeout", "3"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        printed, _ = proc.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        proc.kill()
        printed, _ = proc.communicate()
        pytest.fail(f"the build hung:\n{printed}")
    assert proc.returncode == 1, printed
    assert "01-killed.ipynb: cell 2 (`import os, signal`): DeadKernelError" in printed
    assert (
        "02-slow.ipynb: cell 1 (`import time`): CellTimeoutError: A cell timed out while it was "
        "being executed, after 3 seconds." in printed
    )


def _processes_with(marker: str) -> list[int]:
    """Pids of live processes whose environment holds ``marker``."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if marker.encode() in (proc / "environ").read_bytes():
                stat = (proc / "stat").read_text()
                if stat.rsplit(")", 1)[1].split()[0] != "Z":
                    found.append(int(proc.name))
        except OSError:
            continue
    return found


def test_build_unwritable_output_folder_fails_before_any_notebook_runs(tmp_path):
    ran = tmp_path / "ran"
    write_notebook(
        tmp_path / "01-marker.ipynb",
        [new_markdown_cell("# Marker"), new_code_cell(f"open({str(ran)!r}, 'w').write('ran')")],
    )
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    status, printed = run("--notebooks", tmp_path, "--out", blocker / "reports", "--no-pdf")
    assert status == 1
    assert f"ERROR: cannot write reports to {blocker / 'reports'}" in printed
    assert "Nothing was built" in printed and "Traceback" not in printed
    assert not ran.exists()


def test_build_full_output_folder_fails_with_one_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "MIN_FREE_BYTES", 2**62)  # more than any disk has
    small_notebook(tmp_path)
    status, printed = run("--notebooks", tmp_path, "--out", tmp_path / "out", "--no-pdf")
    assert status == 1 and "ERROR: not enough free space in" in printed
    assert not (tmp_path / "out" / "01-small.html").exists()


def test_build_export_error_names_notebook_and_leaves_no_temp(tmp_path, monkeypatch):
    small_notebook(tmp_path)
    out = tmp_path / "out"

    real_write_text = Path.write_text

    def failing_write(self, *args, **kwargs):
        if "01-small.html" in self.name:  # the report, not the manifest or index
            raise OSError("disk full")
        return real_write_text(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", failing_write)
    status, printed = run("--notebooks", tmp_path, "--out", out, "--no-pdf")
    monkeypatch.undo()
    assert status == 1
    assert "01-small.ipynb: export failed: OSError: disk full" in printed
    assert not any(".tmp" in p.name for p in out.iterdir())


def test_build_figure_write_error_leaves_no_staged_figure(tmp_path, monkeypatch):
    small_notebook(tmp_path)
    out = tmp_path / "out"
    real_write_bytes = Path.write_bytes

    def failing_write(self, *args, **kwargs):
        if "01-small-figure-1.svg" in self.name:  # after the figure's PNG is staged
            raise OSError(5, "Input/output error")
        return real_write_bytes(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    status, printed = run("--notebooks", tmp_path, "--out", out, "--no-pdf")
    monkeypatch.undo()
    assert status == 1 and "01-small.ipynb: export failed: OSError" in printed
    assert not any(".tmp" in p.name for p in out.iterdir())


def test_build_without_chromium_still_builds_html(tmp_path):
    small_notebook(tmp_path)
    out = tmp_path / "out"
    status, printed = run(
        "--notebooks", tmp_path, "--out", out, "--browser", tmp_path / "no-such-chromium"
    )
    assert status == 0
    assert (out / "01-small.html").exists()
    assert not (out / "01-small.pdf").exists()
    assert "Chromium not found" in printed and "apt-get install chromium" in printed


#: A cell that waits until the test creates the file ``gate`` (at most two minutes).
GATE_CELL = (
    "import pathlib, time\n"
    "deadline = time.monotonic() + 120\n"
    "while not pathlib.Path({gate!r}).exists():\n"
    "    assert time.monotonic() < deadline, 'the test never opened the gate'\n"
    "    time.sleep(0.05)\n"
)


def _start_build(notebooks: Path, out: Path, only: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "helpers.build", "--notebooks", str(notebooks)]
    command += ["--out", str(out), "--only", only, "--no-pdf", "--jobs", "1"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _read_until(proc: subprocess.Popen, text: str) -> str:
    """Read ``proc``'s output up to the line holding ``text``; that line."""
    seen = []
    for line in proc.stdout:
        seen.append(line)
        if text in line:
            return line
    raise AssertionError(f"the build ended before printing {text!r}:\n{''.join(seen)}")


def test_build_second_build_into_a_folder_waits_and_both_are_listed(tmp_path):
    gate = tmp_path / "gate"
    write_notebook(
        tmp_path / "01-held.ipynb",
        [new_markdown_cell("# Held"), new_code_cell(GATE_CELL.format(gate=str(gate)))],
    )
    write_notebook(
        tmp_path / "02-quick.ipynb", [new_markdown_cell("# Quick"), new_code_cell("1 + 1")]
    )
    out = tmp_path / "out"
    first = _start_build(tmp_path, out, "01-held")
    second = None
    try:
        _read_until(first, "1 to build")  # it holds the folder, its report running
        second = _start_build(tmp_path, out, "02-quick")
        line = _read_until(second, "Waiting for")
        assert f"Waiting for the build with PID {first.pid} started at 20" in line
        assert str(out) in line
        assert not (out / "02-quick.html").exists()  # it waits, building nothing
        gate.touch()
        first_rest, _ = first.communicate(timeout=300)
        second_rest, _ = second.communicate(timeout=300)
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait()
    assert first.returncode == 0, first_rest
    assert second.returncode == 0 and "1 to build" in second_rest, second_rest

    def listed() -> tuple[set, set]:
        manifest = json.loads((out / "manifest.json").read_text("utf-8"))
        index = (out / "index.html").read_text(encoding="utf-8")
        return set(manifest["reports"]), {v for _, _, v in links(index)}

    reports, hrefs = listed()
    assert reports == {"01-held", "02-quick"}
    assert {"01-held.html", "02-quick.html"} <= hrefs
    assert not [p.name for p in out.iterdir() if ".tmp" in p.name]
    # A later --only build adds to what is there: the other report stays listed.
    status, printed = run(
        "--notebooks", tmp_path, "--out", out, "--only", "02-quick", "--no-pdf", "--force"
    )
    assert status == 0, printed
    reports, hrefs = listed()
    assert reports == {"01-held", "02-quick"}
    assert {"01-held.html", "02-quick.html"} <= hrefs


@pytest.fixture
def small_disk(tmp_path):
    """A real 4 MiB tmpfs, unmounted afterwards (needs root, as the project's machines run)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    mount_cmd, umount_cmd = shutil.which("mount"), shutil.which("umount")
    if mount_cmd is None or umount_cmd is None:
        pytest.skip("no mount command here: the full-disk test needs a small tmpfs")
    done = subprocess.run(
        [mount_cmd, "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"mounting a small tmpfs is not permitted here: {done.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run([umount_cmd, str(mount)], check=True)


def _fill(disk: Path, leave: int) -> Path:
    """Fill ``disk`` with one file, leaving ``leave`` bytes free."""
    stat = os.statvfs(disk)
    filler = disk / "filler"
    with open(filler, "wb") as f:
        f.write(b"\0" * (stat.f_bavail * stat.f_frsize - leave))
    return filler


def _pages(path: Path) -> int:
    """The bytes a file takes on a tmpfs: whole pages."""
    return -(-path.stat().st_size // 4096) * 4096


@pytest.mark.parametrize("fails_at", ["figures", "manifest"])
def test_build_full_disk_mid_build_stops_clearly_and_leaves_nothing_behind(
    fails_at, small_disk, tmp_path, monkeypatch
):
    # The disk fills after the start-up check passes: only then can it fail mid-build.
    monkeypatch.setattr(pipeline, "MIN_FREE_BYTES", 0)
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    show = "show(fig, 'Bar chart {n}.', pd.DataFrame({{'value': [1, {n}]}}));"
    cells = [
        new_markdown_cell("# Three figures"),
        new_code_cell("import matplotlib.pyplot as plt\nimport pandas as pd\n"),
        *(
            new_code_cell(
                "from helpers.display import show\nfig, ax = plt.subplots()\n"
                f"ax.bar(['a', 'b'], [1, {n}])\n" + show.format(n=n)
            )
            for n in (2, 3, 4)
        ),
    ]
    write_notebook(notebooks / "01-figures.ipynb", [*cells, new_markdown_cell("Version 1.")])
    out = small_disk / "reports"
    assert run("--notebooks", notebooks, "--out", out, "--no-pdf")[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.name != lock.LOCK_NAME}
    assert "01-figures-figure-3.svg" in before

    # The same report, one character changed: its files take the same room as before.
    write_notebook(notebooks / "01-figures.ipynb", [*cells, new_markdown_cell("Version 2.")])
    if fails_at == "figures":  # room for the first figure's files (28 KB), not the page's
        leave = 48 * 1024
    else:  # room for every file of the report, not for the manifest that commits it
        leave = sum(_pages(p) for p in out.glob("01-figures*"))
    filler = _fill(small_disk, leave)
    status, printed = run("--notebooks", notebooks, "--out", out, "--no-pdf")
    assert status == 1
    assert f"ERROR: no space left on the output disk ({out})" in printed
    assert "Traceback" not in printed and "Errno" not in printed
    after = {p.name: p.read_bytes() for p in out.iterdir() if p.name != lock.LOCK_NAME}
    assert after == before  # no temporary file left, figures' included; the old files whole
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler", "reports"]

    filler.unlink()  # with room again, the next build completes the report
    status, printed = run("--notebooks", notebooks, "--out", out, "--no-pdf")
    assert status == 0, printed
    assert "Version 2." in (out / "01-figures.html").read_text("utf-8")


def _without_chromium(tmp_path: Path) -> dict:
    """An environment whose PATH has no Chromium, and an apt-get that fails as Debian's does
    when it cannot install a package (exit 100); ``id`` is the real one."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    apt_get = bin_dir / "apt-get"
    apt_get.write_text('#!/bin/sh\necho "E: Unable to locate package chromium" >&2\nexit 100\n')
    apt_get.chmod(0o755)
    (bin_dir / "id").symlink_to(shutil.which("id"))
    env = {k: v for k, v in os.environ.items() if k != "HELPERS_CHROMIUM"}
    return {**env, "PATH": str(bin_dir)}


def _make(target: str, env: dict, *variables: str) -> subprocess.CompletedProcess:
    """``make -s target`` in the repository, this interpreter's environment standing for .venv."""
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    bin_dir = Path(sys.executable).parent
    command = [make, "-s", "-C", str(paths.REPO_ROOT), target, f"BIN={bin_dir}", "STAMP="]
    return subprocess.run(
        [*command, *variables], env=env, capture_output=True, text=True, check=False
    )


def test_make_browser_says_what_to_install_and_goes_on_when_apt_get_fails(tmp_path):
    done = _make("browser", _without_chromium(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    if os.geteuid() == 0:  # root: the recipe tried apt-get, which failed
        assert "apt-get could not install chromium (exit 100)." in done.stdout
    assert "chromium not found: install Debian's 'chromium' package" in done.stdout
    assert "The HTML reports build without it." in done.stdout


def test_make_test_stops_clearly_without_chromium(tmp_path):
    done = _make("need-browser", _without_chromium(tmp_path))
    assert done.returncode != 0
    assert "make test needs Chromium (the PDF and JupyterLab tests): install Debian's" in (
        done.stdout
    )


def test_make_reports_builds_html_when_apt_get_fails(tmp_path):
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    small_notebook(notebooks)
    out = tmp_path / "out"
    flags = f"--notebooks {notebooks} --out {out} --jobs 1"
    done = _make("reports", _without_chromium(tmp_path), "RUNTIME=", f"BUILD_FLAGS={flags}")
    assert done.returncode == 0, done.stdout + done.stderr
    assert (out / "01-small.html").exists() and not (out / "01-small.pdf").exists()
    assert "Chromium not found: PDFs are skipped, HTML only." in done.stdout
    assert "apt-get install chromium" in done.stdout
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "01-small.html" in {v for _, _, v in links(index)}


def test_build_execute_in_place_refreshes_outputs_and_keeps_metadata(tmp_path):
    path = small_notebook(tmp_path)
    status, _ = run("--notebooks", tmp_path, "--execute-in-place")
    assert status == 0
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.kernelspec == KERNELSPEC
    outputs = nb.cells[2].outputs
    assert any("Figure: Bar chart: b is twice a." in o.get("data", {}).get("text/plain", "")
               for o in outputs)  # fmt: skip
    assert "execution" not in nb.cells[2].metadata  # no timestamps to churn the diff


def test_forked_kernel_has_the_display_options_of_a_kernel(tmp_path):
    """A kernel forked from the zygote shows tables as a kernel started afresh would."""
    nb = write_notebook(
        tmp_path / "01-options.ipynb",
        [new_code_cell("import pandas as pd\nprint(pd.get_option('display.max_columns'))")],
    )
    from helpers.build.execute import execute_in_place
    from helpers.build.kernels import Zygote

    zygote = Zygote()
    try:
        execute_in_place(nb, zygote=zygote)
    finally:
        zygote.close()
    out = nbformat.read(nb, as_version=4).cells[0].outputs[0]["text"]
    assert out.strip() == "20"


def test_build_reports_share_no_state_between_kernels(tmp_path):
    """Each report runs in a process of its own: what one sets or changes, the next never sees.

    Also the data the zygote read ahead (inspections tables, care-services tables, what the
    profiles and what-changed reports compute from them): a report that empties them leaves them
    whole for the next, and two loads in one report are two copies.
    """
    write_notebook(
        tmp_path / "01-spoil.ipynb",
        [
            new_markdown_cell("# Spoil"),
            new_code_cell(
                "import os\nimport helpers\n"
                "from helpers.care import tables as care_services\n"
                "from helpers.joint import tables\n"
                "LEAK = 'leaked'\nhelpers.LEAKED = True\nos.environ['HELPERS_LEAK'] = '1'\n"
                "t = tables.tables().inspections\nt.drop(t.index, inplace=True)\n"
                "c = care_services.load().services\nc.drop(c.index, inplace=True)\n"
                "from helpers import profile\nfrom helpers.care import changes\n"
                "for t in (changes.between().new, profile._care()[1]):\n"
                "    t.drop(t.index, inplace=True)\n"
                "print(f'pid={os.getpid()}', len(tables.tables().inspections))"
            ),
        ],
    )
    write_notebook(
        tmp_path / "02-look.ipynb",
        [
            new_markdown_cell("# Look"),
            new_code_cell(
                "import os\nimport helpers\nfrom helpers import profile\n"
                "from helpers.care import changes\n"
                "from helpers.care import tables as care_services\n"
                "from helpers.joint import tables\n"
                "print('warm:', changes._between.cache_len() > 0, profile._care.cache_len() > 0)\n"
                "first, second = care_services.load(), care_services.load()\n"
                "whole = len(changes.between().new) > 0 and len(profile._care()[1]) > 0\n"
                "named = care_services.load(folder=care_services.care_services_dir())\n"
                "whole = whole and len(named.services) > 0  # the keyword works in a kernel\n"
                "print(f'pid={os.getpid()}', 'LEAK' in globals(), hasattr(helpers, 'LEAKED'),\n"
                "      'HELPERS_LEAK' in os.environ, len(tables.tables().inspections) > 0,\n"
                "      len(first.services) > 0, first is not second, whole, sep='|')"
            ),
        ],
    )
    out = tmp_path / "out"
    status, printed = run("--notebooks", tmp_path, "--out", out, "--no-pdf")
    assert status == 0, printed
    spoil = (out / "01-spoil.html").read_text(encoding="utf-8")
    look = (out / "02-look.html").read_text(encoding="utf-8")
    assert re.search(r"pid=\d+ 0", spoil)  # it did empty its own copy
    match = re.search(r"pid=(\d+)\|False\|False\|False\|True\|True\|True\|True", look)
    assert match, look[-2000:]
    assert f"pid={match.group(1)} " not in spoil  # another process
    assert "warm: True True" in look  # the zygote had compared Scotland's snapshots already


def test_zygote_restarted_for_changed_source_leaves_running_kernels_alive(tmp_path, monkeypatch):
    """A change to helpers or data/ mid-build restarts the zygote; kernels it had already forked
    (running a report, or waiting in the pool) must live on, or their reports hang."""
    from jupyter_client.connect import write_connection_file

    from helpers.build import kernels

    zygote = kernels.Zygote()
    try:
        first, _ = write_connection_file(str(tmp_path / "k1.json"), transport="ipc",
                                         ip=str(tmp_path / "k1"))  # fmt: skip
        pid = zygote.fork(first, str(tmp_path), dict(os.environ))
        monkeypatch.setattr(kernels, "source_stamp", lambda: ("changed",))
        second, _ = write_connection_file(str(tmp_path / "k2.json"), transport="ipc",
                                          ip=str(tmp_path / "k2"))  # fmt: skip
        other = zygote.fork(second, str(tmp_path), dict(os.environ))
        assert other != pid
        time.sleep(0.5)
        status = Path(f"/proc/{pid}/status")  # alive: there, and not a zombie
        assert status.exists() and "\nState:\tZ" not in status.read_text()
    finally:
        zygote.close()
    for p in (pid, other):
        with contextlib.suppress(ChildProcessError, ProcessLookupError):
            os.kill(p, signal.SIGKILL)


def test_zygote_that_died_is_started_again_on_the_next_fork(tmp_path):
    """A zygote killed mid-build (out of memory, say) costs the reports it was running, not
    every later one: the next fork starts a new zygote instead of writing to a broken pipe."""
    from jupyter_client.connect import write_connection_file

    from helpers.build import kernels

    zygote = kernels.Zygote()
    pids = []
    try:
        for name in ("k1", "k2"):
            connection, _ = write_connection_file(
                str(tmp_path / f"{name}.json"), transport="ipc", ip=str(tmp_path / name)
            )
            pids.append(zygote.fork(connection, str(tmp_path), dict(os.environ)))
            if name == "k1":
                zygote.process.kill()
                zygote.process.wait()
        assert Path(f"/proc/{pids[1]}/status").exists()
    finally:
        zygote.close()
    for p in pids:
        with contextlib.suppress(ChildProcessError, ProcessLookupError):
            os.kill(p, signal.SIGKILL)


def test_pool_never_hands_out_a_kernel_forked_before_the_source_changed(tmp_path, monkeypatch):
    """A kernel waiting in the pool was forked from the old code: after a change to helpers or
    data/, take() gives a new kernel instead (and stops the old one)."""
    from helpers.build import execute, kernels

    zygote = kernels.Zygote()
    pool = execute.KernelPool(zygote, tmp_path, ahead=1)
    try:
        fresh = pool.take(tmp_path)  # forked under the current source: handed out as it is
        assert fresh.has_kernel
        execute._shutdown(fresh)
        deadline = time.monotonic() + 60
        while pool._ready.empty() and time.monotonic() < deadline:  # the next one, forked ahead
            time.sleep(0.05)
        monkeypatch.setattr(execute, "source_stamp", lambda: ("changed",))
        monkeypatch.setattr(kernels, "source_stamp", lambda: ("changed",))
        stale = pool.take(tmp_path)
        assert not stale.has_kernel  # not started: nbclient starts it from the new zygote
    finally:
        pool.close()
        zygote.close()


def test_build_refuses_a_planted_lock_link_in_one_line(tmp_path):
    """Through the command line: exit 1, one ERROR line naming the lock file, no traceback, no
    notebook run, and the link's target unchanged."""
    ran = tmp_path / "ran"
    write_notebook(
        tmp_path / "01-marker.ipynb",
        [new_markdown_cell("# Marker"), new_code_cell(f"open({str(ran)!r}, 'w').write('ran')")],
    )
    out = tmp_path / "reports"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    (out / lock.LOCK_NAME).symlink_to(victim)
    status, printed = run("--notebooks", tmp_path, "--out", out, "--no-pdf")
    assert status == 1
    assert (
        f"ERROR: the build's lock file {out / lock.LOCK_NAME} is a symbolic link" in printed
        and "Nothing was built" in printed
        and "Traceback" not in printed
    )
    assert victim.read_text(encoding="utf-8") == "precious\n" and not ran.exists()


def test_build_stopped_by_ctrl_c_says_one_line_and_exits_130(tmp_path):
    """SIGINT to a real build, once the small report is committed and the slow one runs: one
    line on standard error, exit 130, no traceback; the committed report, the manifest and the
    index are whole and no staged file is left.

    The kernels run in their own process groups, so a terminal's Ctrl-C does not reach them: the
    build waits for the notebook running to end (here a 10 s sleep) before it stops."""
    small_notebook(tmp_path)
    write_notebook(
        tmp_path / "02-slow.ipynb",
        [new_markdown_cell("# Slow"), new_code_cell("import time\ntime.sleep(10)")],
    )
    out = tmp_path / "out"
    command = [sys.executable, "-m", "helpers.build", "--notebooks", str(tmp_path)]
    proc = subprocess.Popen(
        command + ["--out", str(out), "--no-pdf", "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the small report committed, the slow one running
        committed = out.exists() and "01-small" in record.load_manifest(out)["reports"]
        if committed and (out / "index.html").exists():
            break
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert stderr.strip().splitlines() == [
        "Stopped by Ctrl-C: reports already committed are kept; nothing half-written is left."
    ]
    assert "Traceback" not in stdout + stderr
    assert [p.name for p in out.iterdir() if ".tmp" in p.name] == []
    assert "01-small" in record.load_manifest(out)["reports"]
    assert (out / "01-small.html").read_text(encoding="utf-8").rstrip().endswith("</html>")
    assert "01-small.html" in (out / "index.html").read_text(encoding="utf-8")
