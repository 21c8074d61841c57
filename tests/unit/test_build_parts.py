"""The build's parts that need no kernel: tidying tables, the manifest's commit, the keys that
decide what to rebuild, choosing and discovering reports, the lock file.

The build itself, with kernels and Chromium, is tested in ``tests/e2e/test_build.py``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell
from small_notebooks import small_notebook, write_notebook

import helpers.build as build
from helpers import atomic
from helpers.build import lock, plan, record, tables


def test_build_tables_drop_range_index_and_align_numbers():
    import pandas as pd

    frame = pd.DataFrame({"area": ["Fife", "Moray"], "count": [3, 12], "share": ["25%", "n/a"]})
    tidied = tables.tidy_tables(f"<p>before</p>{frame.to_html()}<p>after</p>")
    assert tidied.startswith("<p>before</p>") and tidied.endswith("<p>after</p>")
    assert "<th>0</th>" not in tidied and "<th>1</th>" not in tidied  # the RangeIndex is gone
    assert '<td class="num">12</td>' in tidied and '<th class="num">count</th>' in tidied
    assert "<td>Fife</td>" in tidied and '<td class="num">25%</td>' in tidied
    assert "<td>n/a</td>" in tidied
    # A meaningful index stays.
    named = tables.tidy_tables(frame.set_index("area").to_html())
    assert "<th>Fife</th>" in named
    shifted = tables.tidy_tables(frame.set_axis([1, 2]).to_html())
    assert "<th>1</th>" in shifted  # not 0..n-1: kept


def _stage(out: Path, name: str, text: str) -> Path:
    return atomic.stage(out / name, lambda tmp: tmp.write_text(text))


def _old_report(out: Path) -> dict:
    manifest = {"version": plan.MANIFEST_VERSION, "reports": {"r": {"key": "old"}}}
    (out / "r.html").write_text("old html")
    (out / "r.pdf").write_text("old pdf")
    record.save_manifest(out, manifest)
    return manifest


def test_build_commit_killed_before_commit_point_keeps_old_report_whole(tmp_path, monkeypatch):
    manifest = _old_report(tmp_path)
    moves = {"r.html": _stage(tmp_path, "r.html", "new"), "r.pdf": _stage(tmp_path, "r.pdf", "new")}

    def killed(*args):
        raise KeyboardInterrupt("simulated kill")

    monkeypatch.setattr(record, "save_manifest", killed)
    with pytest.raises(KeyboardInterrupt):
        record.commit(tmp_path, manifest, "r", {"key": "new"}, moves)
    monkeypatch.undo()
    after = record.load_manifest(tmp_path)  # what the next build sees
    assert after["reports"]["r"]["key"] == "old"
    assert (tmp_path / "r.html").read_text() == "old html"
    assert (tmp_path / "r.pdf").read_text() == "old pdf"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json", "r.html", "r.pdf"]


def test_build_commit_killed_between_html_and_pdf_is_completed(tmp_path, monkeypatch):
    manifest = _old_report(tmp_path)
    moves = {"r.html": _stage(tmp_path, "r.html", "new"), "r.pdf": _stage(tmp_path, "r.pdf", "new")}
    real_replace = os.replace

    def killed(src, dst, *args, **kwargs):
        if str(dst).endswith("r.pdf"):  # the new HTML is in place, the old PDF still beside it
            raise KeyboardInterrupt("simulated kill")
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(record.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        record.commit(tmp_path, manifest, "r", {"key": "new"}, moves)
    monkeypatch.undo()
    after = record.load_manifest(tmp_path)
    assert after["reports"]["r"]["key"] == "new"
    assert (tmp_path / "r.html").read_text() == "new"
    assert (tmp_path / "r.pdf").read_text() == "new"
    assert "pending" not in record.load_manifest(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manifest.json", "r.html", "r.pdf"]


def test_build_key_follows_notebook_parameters_and_shared_key(tmp_path):
    plain = small_notebook(tmp_path)
    job = build.Job("01-small", plain, "t")
    key = build.job_key(job, "shared")
    assert build.job_key(job, "shared") == key
    assert build.job_key(job, "other shared") != key  # data or helpers changed
    assert build.job_key(build.Job("p", plain, "t", {"area": "Fife"}), "shared") != key
    nb = nbformat.read(plain, as_version=4)
    nb.cells[0].source += " Changed."
    nbformat.write(nb, plain)
    assert build.job_key(job, "shared") != key


def test_build_shared_key_follows_data_but_not_raw_snapshots(tmp_path, monkeypatch):
    data = tmp_path / "data"
    (data / "datastore").mkdir(parents=True)
    (data / "table.csv").write_text("a\n1\n")
    monkeypatch.setenv("HELPERS_DATA_DIR", str(data))
    monkeypatch.setenv("HELPERS_DATASTORE_DIR", str(data / "datastore"))
    key = build.shared_key()
    (data / "datastore" / "datastore_2026-06-30.csv.gz").write_bytes(b"raw")
    assert build.shared_key() == key
    (data / "table.csv").write_text("a\n2\n")
    assert build.shared_key() != key


def test_build_select_matches_stem_file_or_area():
    jobs = [
        build.Job("01-perth-and-kinross-2017", Path("01-perth-and-kinross-2017.ipynb"), "t"),
        build.Job("area-profile-fife", Path("area-profile.ipynb"), "t", {"area": "Fife"}, "Fife"),
    ]
    assert [j.stem for j in build.select(jobs, "perth")] == ["01-perth-and-kinross-2017"]
    assert [j.stem for j in build.select(jobs, "Fife")] == ["area-profile-fife"]
    assert [j.stem for j in build.select(jobs, "0[0-9]-*")] == ["01-perth-and-kinross-2017"]
    assert len(build.select(jobs, None)) == 2


def test_build_discovers_numbered_notebooks_only(tmp_path):
    for name in ["02-b.ipynb", "01-a.ipynb", "area-profile-draft.ipynb", "notes.ipynb"]:
        write_notebook(tmp_path / name, [new_markdown_cell(f"# {name}")])
    jobs = build.discover_jobs(tmp_path, areas=["Fife"])
    assert [j.stem for j in jobs] == ["01-a", "02-b"]  # no template here, so no profiles


def test_build_profile_areas_are_all_32_council_areas():
    areas = build.profile_areas()
    assert len(areas) == 32 and areas == sorted(areas)
    for area in ("Perth and Kinross", "Clackmannanshire", "East Renfrewshire", "Stirling"):
        assert area in areas  # the last four: inspected, but no grade is known


def test_build_area_templates_are_built_per_area_not_as_numbered_reports(tmp_path):
    for name in ["01-a.ipynb", "05-what-changed.ipynb", "area-profile.ipynb"]:
        write_notebook(tmp_path / name, [new_markdown_cell(f"# {name}")])
    jobs = build.discover_jobs(tmp_path, areas=["Fife", "Stirling"])
    assert [j.stem for j in jobs] == [
        "01-a",
        "area-profile-fife",
        "05-what-changed-fife",
        "area-profile-stirling",
        "05-what-changed-stirling",
    ]
    changed = jobs[2]
    assert changed.source.name == "05-what-changed.ipynb"
    assert changed.parameters == {"area": "Fife"} and changed.area == "Fife"
    assert changed.title == "Fife: what changed in registered care services"


def test_build_discovers_every_area_for_both_templates():
    jobs = build.discover_jobs()
    stems = {j.stem for j in jobs}
    assert {"01-perth-and-kinross-2017", "04-data-quality"} <= stems
    assert "area-profile-stirling" in stems
    assert sum(j.stem.startswith("area-profile-") for j in jobs) == 32


def test_build_notebook_imports_are_read_from_code_cells(tmp_path):
    path = write_notebook(
        tmp_path / "01-imports.ipynb",
        [
            new_code_cell("import pandas as pd\nfrom helpers import analysis, charts"),
            new_code_cell("%matplotlib inline\nimport nope"),  # a magic: skipped, not fatal
            new_code_cell("from .relative import x\nimport os.path"),
        ],
    )
    from helpers.build import kernels

    found = kernels.notebook_imports([path])
    assert found == ["pandas", "helpers", "helpers.analysis", "helpers.charts", "os.path"]


@pytest.mark.parametrize("planted", ["symlink", "folder", "fifo"])
def test_build_lock_file_is_never_followed_and_must_be_a_regular_file(tmp_path, planted):
    """A link planted as ``.build.lock`` (to a file the build must not touch), a folder or a
    FIFO in its place: refused with one line naming the lock file; the link's target unchanged."""
    out = tmp_path / "reports"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    place = out / lock.LOCK_NAME
    if planted == "symlink":
        place.symlink_to(victim)
    elif planted == "folder":
        place.mkdir()
    else:
        os.mkfifo(place)
    with pytest.raises(
        lock.LockFileError, match=rf"^the build's lock file {re.escape(str(place))} "
    ):
        lock.output_lock(out, say=print)
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert place.is_symlink() == (planted == "symlink")


def test_build_failure_of_a_timed_out_cell_says_it_timed_out():
    """nbclient's CellTimeoutError ends with the cell quoted between rules: the one-line failure
    gives its first line (what happened), not the closing rule."""
    from nbclient.exceptions import CellTimeoutError

    from helpers.build.execute import describe_failure

    nb = nbformat.v4.new_notebook(cells=[new_code_cell("import time\ntime.sleep(300)")])
    error = CellTimeoutError.error_from_timeout_and_cell("Cell execution timed out", 3, nb.cells[0])
    assert describe_failure(nb, Path("01-slow.ipynb"), None, 0, error) == (
        "01-slow.ipynb: cell 0 (`import time`): CellTimeoutError: A cell timed out while it was "
        "being executed, after 3 seconds."
    )
    plain = describe_failure(nb, Path("01-slow.ipynb"), None, 0, RuntimeError("one\ntwo"))
    assert plain.endswith("RuntimeError: two")


@pytest.mark.parametrize(
    "damaged",
    [
        # A pending commit naming files outside the folder: nothing there is moved or deleted.
        {"pending": {"r": {"moves": {"../moved": "r.html"}, "remove": [], "entry": {}}}},
        {"pending": {"r": {"moves": {}, "remove": ["../victim"], "entry": {}}}},
        {"pending": {"r": {"moves": {"r.html": "/abs"}, "remove": [], "entry": {}}}},
        {"pending": {"r": {"moves": {}, "remove": [], "entry": "not an entry"}}},
        {"pending": []},
        {"reports": [1, 2]},
        {"reports": {"r": "not an entry"}},
    ],
)
def test_build_manifest_not_well_formed_means_rebuild_everything_and_touch_nothing(
    tmp_path, damaged
):
    """JSON that parses but is not the shape the build writes (damaged or edited by hand) is
    read as no manifest: every report is built again, and no file is moved or removed on its
    word, least of all one outside the output folder."""
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim"
    victim.write_text("keep", encoding="utf-8")
    (out / "r.html").write_text("page", encoding="utf-8")
    manifest = {"version": plan.MANIFEST_VERSION, "reports": {}, **damaged}
    (out / record.MANIFEST).write_text(__import__("json").dumps(manifest), encoding="utf-8")
    assert record.load_manifest(out) == {"version": plan.MANIFEST_VERSION, "reports": {}}
    assert victim.read_text(encoding="utf-8") == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "victim"]
    assert (out / "r.html").read_text(encoding="utf-8") == "page"


def test_build_index_of_an_entry_without_a_title_names_it_by_its_stem(tmp_path):
    """A report entry with no title (a manifest edited by hand, a pending commit completed)
    is listed under its file's stem: the index is still written."""
    (tmp_path / "r.html").write_text("page", encoding="utf-8")
    manifest = {"version": plan.MANIFEST_VERSION, "reports": {"r": {"html": "r.html"}}}
    page = record.write_index(tmp_path, manifest).read_text(encoding="utf-8")
    assert re.search(r'<a href="r\.html"[^>]*>r</a>', page)
