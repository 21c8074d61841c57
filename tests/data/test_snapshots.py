"""Checks against a full folder of raw datastore snapshots (``make check-snapshots``).

Deselected unless ``HELPERS_TEST_SNAPSHOTS`` names the folder (see ``conftest.py``): the default
``make test`` reads nothing outside the repository.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pandas as pd
import pytest

from helpers.care import tables
from helpers.datastore import derive, history

pytestmark = pytest.mark.snapshots

SNAPSHOTS = Path(os.environ.get("HELPERS_TEST_SNAPSHOTS", "."))


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("build")
    mp = pytest.MonkeyPatch()
    mp.setenv("HELPERS_BUILD_DIR", str(path))
    yield path
    mp.undo()


@pytest.fixture(scope="module")
def rebuilt(build_dir, tmp_path_factory):
    assert sorted(SNAPSHOTS.glob("datastore_*.csv*")), f"no snapshots in {SNAPSHOTS}"
    return derive.build(SNAPSHOTS, tmp_path_factory.mktemp("care") / "care-services")


def _text(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def test_committed_care_services_are_rebuilt_exactly_from_the_snapshots(rebuilt):
    committed = tables.care_services_dir()
    assert sorted(p.name for p in rebuilt.iterdir()) == sorted(tables.COLUMNS)
    for name in tables.COLUMNS:
        assert _text(rebuilt / name) == _text(committed / name), name


def test_committed_table_expands_to_the_readers_childrens_rows(build_dir):
    raw = history(SNAPSHOTS)
    kids = raw.services[raw.services["client_group"] == "Children"]
    loaded = tables.load()
    assert len(loaded.services) == len(kids)
    key = ["snapshot_date", "service_id"]
    ours = loaded.services.assign(service_id=loaded.services["service_id"].astype(str))
    theirs = kids.assign(service_id=kids["service_id"].astype(str))
    merged = ours.merge(theirs, on=key, suffixes=("", "_raw"), validate="one_to_one")
    assert len(merged) == len(kids)
    for column in ("care_service", "sector", "council_area", "status", "registered_places"):
        a, b = merged[column].astype(object), merged[f"{column}_raw"].astype(object)
        assert (a.isna() & b.isna() | (a == b)).all(), column
    # Childminders' names are people's names: never kept.
    minders = merged["care_service"] == "Child Minding"
    assert merged.loc[minders, "service_name"].isna().all()
    assert (
        merged.loc[~minders, "service_name"].astype(object)
        == merged.loc[~minders, "service_name_raw"].astype(object)
    ).all()
    raw_grades = raw.grades.assign(service_id=raw.grades["service_id"].astype(str))
    raw_grades = raw_grades.merge(theirs[key], on=key)
    assert len(loaded.grades) == len(raw_grades)


def test_perth_and_kinross_childrens_services_match_the_snapshots_notes(build_dir):
    """Regression: the counts recorded with the snapshots (their SOURCES.md, which counted
    Client_group = Children rows by council area): 308 in December 2017, 206 in May 2026."""
    s = history(SNAPSHOTS).services
    kids = s[(s["client_group"] == "Children") & (s["council_area"] == "Perth and Kinross")]
    counts = kids.groupby("snapshot_date").size()
    assert counts[pd.Timestamp("2017-12-31")] == 308
    assert counts[pd.Timestamp("2026-05-31")] == 206
