"""helpers.grades: the scale's groups, counts, shares and standings, on tables worked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.grades import (
    GOOD_OR_BETTER,
    HIGHEST_FIRST,
    VERY_GOOD_OR_BETTER,
    WEAK_OR_WORSE,
    as_counts,
    group_count,
    shares_table,
    standing,
)


def table(rows: dict[str, dict[str, int]]) -> pd.DataFrame:
    return pd.DataFrame.from_dict(rows, orient="index").reindex(columns=HIGHEST_FIRST).fillna(0)


def test_groups_are_grades_of_the_scale_highest_first():
    for group in (VERY_GOOD_OR_BETTER, GOOD_OR_BETTER, WEAK_OR_WORSE):
        assert list(group) == [g for g in HIGHEST_FIRST if g in group]


def test_as_counts_accepts_column_names_and_keeps_unknown_missing():
    counts = as_counts({"very_good": 2, "good": pd.NA})
    assert counts["very good"] == 2 and counts["excellent"] == 0
    assert pd.isna(counts["good"])


def test_as_counts_rejects_a_label_not_on_the_scale():
    with pytest.raises(ValueError, match="'brilliant' is not a grade"):
        as_counts({"brilliant": 1})


def test_group_count_adds_the_group():
    counts = {"excellent": 1, "very good": 2, "good": 3, "weak": 4}
    assert group_count(counts) == 3
    assert group_count(counts, GOOD_OR_BETTER) == 6
    assert group_count(counts, WEAK_OR_WORSE) == 4


def test_shares_table_orders_by_share_very_good_then_excellent_then_name():
    t = table({"B": {"very good": 2}, "A": {"excellent": 1, "good": 1}, "C": {"excellent": 2}})
    out = shares_table(t)
    assert list(out.index) == ["C", "B", "A"]
    assert out.loc["A", "share_very_good_or_better"] == 0.5


def test_shares_table_refuses_an_unknown_split():
    t = table({"A": {"good": 1}}).astype("Int64")
    t.loc["A", "weak"] = pd.NA
    with pytest.raises(ValueError, match=r"not known for \['A'\]"):
        shares_table(t)


def test_standing_ties_equal_shares_exactly():
    t = table(
        {"A": {"excellent": 7, "good": 2}, "B": {"very good": 14, "good": 4}, "C": {"good": 1}}
    )
    s = standing(t, "A")
    assert (s.top, s.total, s.larger, s.same, s.smaller, s.areas) == (7, 9, 0, 1, 1, 3)


def test_standing_by_another_group():
    t = table({"A": {"weak": 1, "good": 1}, "B": {"good": 2}})
    assert standing(t, "A", WEAK_OR_WORSE)[3:] == (0, 0, 1)
    assert standing(t, "A", GOOD_OR_BETTER)[3:] == (1, 0, 0)


def test_standing_of_an_area_not_in_the_table_says_which_are():
    with pytest.raises(KeyError, match="'Z' has no known split"):
        standing(table({"A": {"good": 1}}), "Z")


def test_same_share_names_exact_ties_not_near_ones():
    from helpers.grades import same_share

    t = pd.DataFrame(
        {"excellent": [1, 2, 0, 0], "very good": [6, 12, 7, 8], "good": [2, 4, 3, 1]},
        index=["A", "B", "C", "D"],
    )
    t[["adequate", "weak", "unsatisfactory"]] = 0
    assert same_share(t, "A") == ["B"]  # 7/9 and 14/18 tie; 7/10 and 8/9 do not
    assert same_share(t, "C") == []
