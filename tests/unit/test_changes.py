"""helpers.care.changes on two real consecutive snapshots (tests/fixtures/pair: the same services
cut from March and May 2026), checked against counts made here with the csv module alone."""

from __future__ import annotations

import csv
import gzip
import os
import re
from pathlib import Path

import pandas as pd
import pytest
from care_tables import build_care_data

from helpers.areas import UnknownAreaError
from helpers.care import changes, tables

PAIR = Path(__file__).resolve().parents[1] / "fixtures" / "pair"
BEFORE, AFTER = "2026-03-31", "2026-05-31"
LEVEL = {str(n): n for n in range(1, 7)}
# Independent of the loader: a compared grade column by its name alone.
COMPARED = re.compile(r"^(quality_of_|kq_)(?!covid)", re.I)


def _read(day: str) -> dict[str, dict[str, str]]:
    """Children's services of one raw file: id -> row (as published, Windows-1252)."""
    with gzip.open(PAIR / f"datastore_{day}.csv.gz", "rt", encoding="cp1252", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {r["CSNumber"].strip(): r for r in rows if r["Client_group"].strip() == "Children"}


def _moves() -> tuple[set, set, set]:
    a, b = _read(BEFORE), _read(AFTER)
    down, up, low = set(), set(), set()
    for sid in a.keys() & b.keys():
        for column, old in a[sid].items():
            if not COMPARED.match(column) or column.lower().endswith("change"):
                continue
            new = b[sid].get(column, "").strip()
            old = old.strip()
            if old in LEVEL and new in LEVEL and old != new:
                (down if new < old else up).add((sid, column))
                if new < old and new in ("1", "2"):
                    low.add(sid)
    return down, up, low


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return tables.load(build_care_data(PAIR, tmp_path_factory))


def test_new_and_cancelled_match_the_csv_files(data):
    a, b = _read(BEFORE), _read(AFTER)
    found = changes.compare(data)
    assert (found.before, found.after) == (pd.Timestamp(BEFORE), pd.Timestamp(AFTER))
    assert set(found.new["service_id"]) == b.keys() - a.keys() != set()
    assert set(found.cancelled["service_id"]) == a.keys() - b.keys() != set()


def test_grades_down_and_up_match_the_csv_files(data):
    down, up, low = _moves()
    found = changes.compare(data)
    assert len(found.down) == len(down) > 0
    assert len(found.up) == len(up) > 0
    assert {s for s, _ in down} == set(found.down["service_id"])
    assert {s for s, _ in up} == set(found.up["service_id"])
    # Now weak or worse first.
    now = found.down["grade after"].astype(str).isin(["weak", "unsatisfactory"]).tolist()
    assert low and now == sorted(now, reverse=True)
    assert set(found.down.loc[now, "service_id"]) == low


def test_counts_for_an_area_and_scotland(data):
    found = changes.compare(data)
    table = changes.counts(found, "perth & kinross")
    assert list(table.columns) == ["Perth and Kinross", "Scotland"]
    b = _read(AFTER)
    spellings = {"perth and kinross", "perth & kinross"}  # the datastore's, over the years
    new = b.keys() - _read(BEFORE).keys()
    pk_new = {s for s in new if b[s]["Council_Area_Name"].strip().lower() in spellings}
    assert pk_new
    assert table.loc["newly registered", "Perth and Kinross"] == len(pk_new)
    assert table.loc["newly registered", "Scotland"] == len(found.new)
    assert (table["Perth and Kinross"] <= table["Scotland"]).all()


def test_no_childminder_is_named(data):
    found = changes.compare(data)
    for frame in (found.new, found.cancelled, found.down, found.up):
        minders = frame[frame["care_service"] == "Child Minding"]
        assert minders["service_name"].isna().all()


def test_dates_with_no_snapshot_name_the_dates_there_are(data):
    with pytest.raises(changes.SnapshotDateError, match="2026-03-31, 2026-05-31"):
        changes.compare(data, before="2026-04-30")
    with pytest.raises(changes.SnapshotDateError, match="earlier"):
        changes.compare(data, before=AFTER, after=BEFORE)


def test_unknown_area_gets_suggestions(data):
    with pytest.raises(UnknownAreaError, match="Perth and Kinross"):
        changes.counts(changes.compare(data), "Perth and Kinros")


@pytest.fixture
def pair_folder(tmp_path_factory, monkeypatch):
    """The committed-data folder is the pair's: what ``between`` and the profiles read."""
    folder = build_care_data(PAIR, tmp_path_factory)
    monkeypatch.setattr(tables, "care_services_dir", lambda: folder)
    return folder


def test_between_compares_the_committed_tables_once_per_pair_of_dates(pair_folder):
    found = changes.between()
    assert (found.before, found.after) == (pd.Timestamp(BEFORE), pd.Timestamp(AFTER))
    expected = changes.compare(tables.load(pair_folder))
    assert found.new.equals(expected.new) and found.down.equals(expected.down)
    assert changes.between(BEFORE, AFTER) is found  # the same dates: not compared again
    with pytest.raises(changes.SnapshotDateError, match=BEFORE):
        changes.between("2026-04-30")
    for wrong in ((AFTER, None), (AFTER, BEFORE)):  # not earlier: the dates there are are named
        with pytest.raises(changes.SnapshotDateError, match=f"snapshots are: {BEFORE}, {AFTER}"):
            changes.between(*wrong)


def test_between_sees_a_change_to_the_tables(pair_folder):
    found = changes.between()
    snapshots = pair_folder / "snapshots.csv"
    st = snapshots.stat()  # the same bytes, another modification time: read again
    os.utime(snapshots, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    again = changes.between()
    assert again is not found
    assert again.new.equals(found.new)
