"""helpers.narrative: the sentences of the care-services notebook."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
from care_tables import (  # noqa: E402
    D1,
    D2,
    MID,
)

from helpers import narrative  # noqa: E402


def test_period_one_snapshot_says_of_that_day():
    assert narrative.period([D2]) == "one snapshot, of 31 May 2026"
    assert narrative.period([D2, D2]) == "one snapshot, of 31 May 2026"


def test_period_several_snapshots_says_from_and_to():
    assert narrative.period([D2, D1, MID]) == "3 snapshots from 31 December 2017 to 31 May 2026"


def test_pct_near_zero_or_whole_keeps_a_decimal():
    assert narrative.pct(0.5) == "50%"
    assert narrative.pct(0.998) == "99.8%"
    assert narrative.pct(0.003) == "0.3%"
    assert narrative.pct(1.0) == "100%"


def test_repetition_sentence_over_time_names_the_computed_dates():
    table = pd.DataFrame(
        {"services with 2+ key questions": [10, 95, 100, 100], "one value repeated": [0.5] * 4},
        index=pd.DatetimeIndex(["2021-12-31", "2022-12-31", "2024-03-31", "2026-05-31"]),
    )
    table["one value repeated"] = [0.3, 0.5, 0.92, 0.95]
    sentence = narrative.repetition_sentence(table)
    assert "95 of the 100" in sentence
    assert "The share was 50% on 31 December 2022" in sentence
    assert "since 31 March 2024" in sentence
