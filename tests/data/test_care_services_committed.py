"""The committed children's-services table (``data/care-services``): the snapshots it covers,
every file hashed, Perth and Kinross's counts as recorded with the raw snapshots, no
childminder's name and no provider kept, and small. Checked again against the raw snapshots
themselves by ``tests/data/test_snapshots.py`` (``make check-snapshots``); how it is derived and
loaded is tested on the fixtures in ``tests/unit/test_care_services.py``."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.care import tables


@pytest.fixture(scope="module")
def committed():
    return tables.load()


def test_committed_table_covers_2016_to_2026_with_every_file_hashed(committed):
    files = committed.files
    assert files["snapshot_date"].min() == pd.Timestamp("2016-03-31")
    assert files["snapshot_date"].max() == pd.Timestamp("2026-05-31")
    assert files["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert (files["services"] > 0).all() and (files["grades"] > 0).all()


def test_committed_table_perth_and_kinross_counts_match_the_snapshots_notes(committed):
    """Regression, against the counts recorded with the raw snapshots (308 and 206)."""
    s = committed.services
    counts = s[s["council_area"] == "Perth and Kinross"].groupby("snapshot_date").size()
    assert counts[pd.Timestamp("2017-12-31")] == 308
    assert counts[pd.Timestamp("2026-05-31")] == 206


def test_committed_table_has_no_childminders_names_and_no_providers(committed):
    s = committed.services
    assert s.loc[s["care_service"] == "Child Minding", "service_name"].isna().all()
    assert s.loc[s["care_service"] != "Child Minding", "service_name"].notna().mean() > 0.99
    assert not {"provider_name", "provider_number"} & set(s.columns)


def test_committed_table_is_small(committed):
    size = sum(p.stat().st_size for p in tables.care_services_dir().iterdir())
    assert size < 10_000_000
