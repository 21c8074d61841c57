"""helpers.narrative: every sentence, from small inputs whose words can be worked out by hand."""

from __future__ import annotations

import pandas as pd

from helpers import narrative
from helpers.grades import Standing, as_counts


def test_plural_and_of_phrase_use_words_below_ten():
    assert narrative.plural(1, "area") == "one area"
    assert narrative.plural(12, "area") == "12 areas"
    assert narrative.of_phrase(0, 9) == "none of nine"
    assert narrative.of_phrase(6, 6) == "all six"
    assert narrative.of_phrase(2, 2) == "both"  # never 'all two'
    assert narrative.of_phrase(1, 1) == "one of one"  # never 'all one'


def test_release_sentence_one_indicator_and_unknown():
    assert narrative.release_sentence({"good": 1}) == "The one quality indicator graded was good."
    assert narrative.release_sentence({"good": pd.NA}, "Then") == (
        "Then, the split of grades is not known."
    )


def test_programme_line_with_and_without_a_stated_number():
    counts = as_counts({"good": 1})
    # one indicator: never 'Of one quality indicator, one was graded good' (Moray, 2020-2025)
    assert narrative.programme_line(1, counts) == "The one quality indicator graded was good"
    assert narrative.programme_line(pd.NA, counts) == "The one quality indicator graded was good"
    two = as_counts({"good": 1, "weak": 1})
    assert narrative.programme_line(pd.NA, two) == "One was graded good and one weak"
    assert narrative.programme_line(2, two) == (
        "Of two quality indicators, one was graded good and one weak"
    )


def test_standing_sentence_states_ties():
    s = Standing("A", 3, 9, 2, 1, 0)
    assert narrative.standing_sentence(s) == (
        "A had three of nine indicators very good or better. Of the other three areas with a "
        "known split, two had a larger share, one the same share and none a smaller share."
    )


def test_standing_headline_shared_top_says_with_how_many():
    assert narrative.standing_headline(Standing("A", 9, 9, 0, 2, 5)) == (
        "A: the largest share very good or better, shared with two areas (of eight areas)"
    )


def test_spread_sentence_alone_says_no_other_area():
    s = Standing("A", 2, 3, 0, 0, 0)
    assert narrative.spread_sentence(s, s._replace(top=0)) == (
        "A had two of three indicators good or better and none weak or worse. No other area's "
        "split of grades is known."
    )


def test_when_keeps_the_precision_of_the_date():
    date = pd.Timestamp("2018-04-12")
    assert narrative.when(date, "day") == "on 12 April 2018"
    assert narrative.when(date, "month") == "in April 2018"
    assert narrative.when(date, "year") == "in 2018"
    assert narrative.when(pd.NaT, "unknown") == "on a date not known"


def test_validation_sentence_counts_failures():
    report = pd.DataFrame({"check": ["a", "b", "c"], "result": ["passed", "FAILED", "passed"]})
    assert narrative.validation_sentence(report) == "One of three checks failed."
    assert narrative.validation_sentence(report.iloc[[0, 2]]) == "All two checks passed."


def test_conflict_sentence_none_recorded():
    empty = pd.DataFrame(columns=["programme"])
    assert (
        narrative.conflict_sentence(empty, "cyp-2012")
        == "No conflicts are recorded for the programme 'children and young people, 2012-2017'."
    )


def test_named_coverage_sentence_lists_areas_without_names():
    cells = pd.DataFrame({"council_area": ["A", "B"]})
    assert narrative.named_coverage_sentence(cells, ["A", "C", "D"], 32) == (
        "Sources name at least one indicator's grade for two of 32 council areas. Two areas with "
        "a known split have no named grade (every cell would be unknown): C and D."
    )
