"""Tests of the datastore cache: it notices content, heals when damaged, and works unwritable.

Every test reads four of the committed fixtures (real snapshots, see ``few``) and keeps its cache
in its own temporary HELPERS_BUILD_DIR, so nothing outside the repository is needed and no test
can spoil another's cache. The history is built from an empty cache once for the session
(``shared``): every test compares with it, and a test that needs a warm cache to damage starts
from a copy of the files that build wrote (``warm``) rather than building its own. A damaged
cache must give exactly one warning on the ``helpers.datastore.cache`` logger, naming the file
and why, and then the same tables as a fresh build.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from helpers.datastore import DatastoreError, cache_dir, history
from helpers.datastore import cache as cache_module

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "datastore"
#: The months of ``few``: 2016 to 2026, and 2016-03 and 2021-12 each hold a problem row.
MONTHS = ("2016-03-31", "2019-03-31", "2021-12-31", "2026-05-31")
TABLES = ("services", "grades", "problems", "files")
LOGGER = "helpers.datastore.cache"


@pytest.fixture(scope="session")
def few(tmp_path_factory) -> Path:
    """Four of the 17 fixtures, so that each of the four tables has rows. The cache's behaviour
    does not depend on how many months there are (the reader's, on all 17, is tested in
    test_datastore.py), and the tests here rebuild the history about 40 times between them: four
    months take a quarter of the time of seventeen."""
    folder = tmp_path_factory.mktemp("few")
    for month in MONTHS:
        shutil.copy2(FIXTURES / f"datastore_{month}.csv.gz", folder)
    return folder


@pytest.fixture(scope="session")
def shared(tmp_path_factory, few) -> tuple:
    """The history of ``few`` built once, from an empty cache of its own; and the files that
    build wrote into its cache folder."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HELPERS_BUILD_DIR", str(tmp_path_factory.mktemp("shared-build")))
        tables = history(few, workers=1)
        files = sorted(cache_dir().iterdir())
    assert sorted(p.name.split(".")[1] for p in files) == sorted(TABLES)
    return tables, files


@pytest.fixture
def fresh(shared):
    """The tables every load must give: those of the shared fresh build."""
    return shared[0]


@pytest.fixture
def build(tmp_path, monkeypatch):
    """An empty build folder of this test's own (HELPERS_BUILD_DIR); yields the cache folder."""
    monkeypatch.setenv("HELPERS_BUILD_DIR", str(tmp_path / "build"))
    return cache_dir()


@pytest.fixture
def warm(build, shared) -> Path:
    """This test's cache folder holding a copy of the shared build's cache, as a first load of
    ``few`` leaves it: a test may damage it."""
    build.mkdir(parents=True)
    for path in shared[1]:
        shutil.copy2(path, build)
    return build


@pytest.fixture
def snapshots(tmp_path, few):
    """A copy of ``few`` that a test may change."""
    return Path(shutil.copytree(few, tmp_path / "snapshots"))


@pytest.fixture
def cache_warnings(caplog):
    """The cache's warnings, as messages (each test sees only its own)."""
    caplog.set_level(logging.WARNING, logger=LOGGER)
    return lambda: [r.getMessage() for r in caplog.records if r.name == LOGGER]


def assert_same(got, expected) -> None:
    for table in TABLES:
        pd.testing.assert_frame_equal(getattr(got, table), getattr(expected, table))


def cached(folder: Path, table: str) -> Path:
    """The one cached file of ``table``."""
    (path,) = folder.glob(f"history-*.{table}.parquet")
    return path


# --- content, not size and mtime ----------------------------------------------------------


def test_cache_warm_load_reads_cache_and_equals_fresh_build(
    build, cache_warnings, few, fresh, monkeypatch
):
    assert_same(history(few, workers=1), fresh)  # cold: this test's own build
    assert sorted(p.name.split(".")[1] for p in build.iterdir()) == sorted(TABLES)

    def no_parsing(*args, **kwargs):
        raise AssertionError("a warm load must not parse the snapshots")

    monkeypatch.setattr(cache_module, "read_snapshot", no_parsing)
    assert_same(history(few, workers=1), fresh)
    assert cache_warnings() == []


def test_cache_notices_file_edited_in_place_with_same_size_mtime_and_inode(
    build, cache_warnings, snapshots
):
    gz = snapshots / "datastore_2026-05-31.csv.gz"
    plain = snapshots / "datastore_2026-05-31.csv"
    plain.write_bytes(gzip.decompress(gz.read_bytes()))
    gz.unlink()
    before = history(snapshots, workers=1)
    latest = before.services[before.services["service_id"] == "CS2003000150"].iloc[-1]
    assert latest["service_name"] == "Threshold Glasgow Day Opportunities"

    stat = plain.stat()
    data = plain.read_bytes()
    offset = data.index(b"Threshold Glasgow Day Opportunities")
    with open(plain, "r+b") as fh:  # in place: same inode
        fh.seek(offset)
        fh.write(b"Threshold Glasgow Day Opportunitiez")
    os.utime(plain, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after_stat = plain.stat()
    assert (after_stat.st_size, after_stat.st_mtime_ns, after_stat.st_ino) == (
        stat.st_size,
        stat.st_mtime_ns,
        stat.st_ino,
    )

    after = history(snapshots, workers=1)
    latest = after.services[after.services["service_id"] == "CS2003000150"].iloc[-1]
    assert latest["service_name"] == "Threshold Glasgow Day Opportunitiez"
    assert after.files["sha256"].iloc[-1] != before.files["sha256"].iloc[-1]
    assert cache_warnings() == []


def _memo(stale: Path) -> str:
    """A memo that matches ``stale``'s size, mtime and inode but lies about its hash."""
    st = stale.stat()
    return json.dumps({str(stale): [st.st_size, st.st_mtime_ns, st.st_ino, "0" * 64]})


#: hashes.json as an earlier version wrote it ({path: [size, mtime_ns, inode, sha256]}), and
#: malformed ones: it is no longer read, so whatever it holds cannot matter.
HASHES_JSON = {
    "not JSON": lambda stale: "{not json",
    "wrong shape": lambda stale: '["a", "list"]',
    "wrong types": lambda stale: json.dumps({str(stale): "not a list", "x": [None, {}, 3]}),
    "stale memo": _memo,
}


@pytest.mark.parametrize("content", HASHES_JSON)
def test_cache_leftover_hashes_json_is_ignored_and_removed(
    warm, cache_warnings, fresh, snapshots, content
):
    build = warm  # as history(snapshots) leaves it: the same files, so the same key
    memo = build / "hashes.json"
    stale = snapshots / "datastore_2016-03-31.csv.gz"
    memo.write_text(HASHES_JSON[content](stale))
    assert_same(history(snapshots, workers=1), fresh)  # warm: the memo is not read
    stale.unlink()
    history(snapshots, workers=1)  # a new cache supersedes the old, and the memo
    assert not memo.exists()
    shutil.copy2(FIXTURES / stale.name, snapshots)
    assert_same(history(snapshots, workers=1), fresh)
    assert cache_warnings() == []


# --- damaged cache files ------------------------------------------------------------------


def _random(path: Path, build: Path) -> None:
    path.write_bytes(os.urandom(4096))


def _truncated(path: Path, build: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _empty(path: Path, build: Path) -> None:
    path.write_bytes(b"")


def _flipped(path: Path, build: Path) -> None:
    # Just after the magic bytes: the first column chunk's page header and data. (The middle of
    # the file may be the footer's pandas metadata, which no checksum covers and no read uses.)
    data = bytearray(path.read_bytes())
    data[8:24] = bytes(b ^ 0xFF for b in data[8:24])
    path.write_bytes(bytes(data))


#: A valid parquet of another table, with that table's columns.
FOREIGN = {"services": "problems", "grades": "services", "problems": "files", "files": "grades"}


def _foreign(path: Path, build: Path) -> None:
    table = path.name.split(".")[1]
    shutil.copyfile(cached(build, FOREIGN[table]), path)


DAMAGE = {
    "random bytes": _random,
    "truncated": _truncated,
    "empty": _empty,
    "bytes flipped": _flipped,
    "foreign": _foreign,
}
#: What the warning gives as the reason.
REASON = {
    "random bytes": "ArrowInvalid: Could not open Parquet input source: Parquet magic bytes",
    "truncated": "ArrowInvalid: Could not open Parquet input source: Parquet magic bytes",
    "empty": "ArrowInvalid: Could not open Parquet input source: Parquet file size is 0 bytes",
    "bytes flipped": "",  # a checksum, a page header or the metadata: where the middle falls
    "foreign": "are not those of the",
}


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("damage", DAMAGE)
def test_cache_damaged_file_is_discarded_with_one_warning_and_rebuilt(
    warm, cache_warnings, few, fresh, table, damage
):
    build = warm
    target = cached(build, table)
    DAMAGE[damage](target, build)

    assert_same(history(few, workers=1), fresh)
    (message,) = cache_warnings()
    assert f"discarded {target} (" in message and "\n" not in message
    assert REASON[damage] in message
    # Healed: the cache is whole again and the next load is silent.
    pq.read_table(cached(build, table))
    assert_same(history(few, workers=1), fresh)
    assert len(cache_warnings()) == 1


@pytest.mark.parametrize("table", ["services", "files"])
def test_cache_table_of_another_history_is_discarded(
    warm, cache_warnings, few, fresh, table, tmp_path, monkeypatch
):
    """Right columns, wrong rows: the row counts or the listed snapshots give it away."""
    build = warm
    fewer = tmp_path / "fewer"
    fewer.mkdir()
    for path in sorted(few.iterdir())[:2]:
        shutil.copy2(path, fewer)
    monkeypatch.setenv("HELPERS_BUILD_DIR", str(tmp_path / "other-build"))
    history(fewer, workers=1)
    other = cached(cache_dir(), table)
    monkeypatch.setenv("HELPERS_BUILD_DIR", str(tmp_path / "build"))
    target = cached(build, table)
    shutil.copyfile(other, target)

    assert_same(history(few, workers=1), fresh)
    (message,) = cache_warnings()
    assert str(target) in message
    expected = "rows where the files table counts" if table == "services" else "does not list"
    assert expected in message


def test_cache_set_missing_a_table_is_discarded_with_one_warning(warm, cache_warnings, few, fresh):
    target = cached(warm, "grades")
    target.unlink()
    assert_same(history(few, workers=1), fresh)
    (message,) = cache_warnings()
    assert str(target) in message and "missing" in message


def test_cache_set_without_files_table_is_rebuilt_quietly(warm, cache_warnings, few, fresh):
    """The files table is written last: without it, the set is an unfinished write."""
    cached(warm, "files").unlink()
    assert_same(history(few, workers=1), fresh)
    assert cache_warnings() == []
    assert len(list(warm.glob("history-*.parquet"))) == 4


# --- a cache folder that cannot be written ------------------------------------------------


@pytest.mark.parametrize("blocked", ["build folder", "cache folder"])
def test_cache_unwritable_folder_returns_history_and_says_so_once(
    tmp_path, monkeypatch, cache_warnings, few, fresh, blocked
):
    """A file where the folder should be: writing fails even as root (chmod would not)."""
    build = tmp_path / "build"
    monkeypatch.setenv("HELPERS_BUILD_DIR", str(build))
    blocker = build if blocked == "build folder" else cache_dir()
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder")

    assert_same(history(few, workers=1), fresh)
    (message,) = cache_warnings()
    assert "could not write" in message and str(cache_dir()) in message
    assert blocker.read_text() == "not a folder"


def test_cache_write_failing_midway_leaves_no_partial_cache(
    build, cache_warnings, few, fresh, monkeypatch
):
    """A disk that fills while writing: no temporary file is left, and no set is read as whole."""
    real_write = cache_module.pq.write_table
    written = []

    def write_table(table, where, **kwargs):
        if written:
            Path(where).write_bytes(b"PAR1 half a file")
            raise OSError(28, "No space left on device")
        written.append(where)
        real_write(table, where, **kwargs)

    monkeypatch.setattr(cache_module.pq, "write_table", write_table)
    assert_same(history(few, workers=1), fresh)
    (message,) = cache_warnings()
    assert "could not write" in message and "No space left on device" in message
    assert [p.name for p in build.iterdir()] == [cached(build, "services").name]

    monkeypatch.setattr(cache_module.pq, "write_table", real_write)
    assert_same(history(few, workers=1), fresh)
    assert len(cache_warnings()) == 1  # the unfinished set had no files table: rebuilt quietly
    assert len(list(build.glob("history-*.parquet"))) == 4


def test_the_same_file_under_two_dates_is_refused(tmp_path, build):
    folder = tmp_path / "snaps"
    folder.mkdir()
    source = FIXTURES / "datastore_2019-03-31.csv.gz"
    shutil.copy(source, folder / source.name)
    shutil.copy(source, folder / "datastore_2019-03-30.csv.gz")
    with pytest.raises(DatastoreError, match="are the same file"):
        history(folder, workers=1)
