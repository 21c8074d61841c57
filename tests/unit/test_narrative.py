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


def test_standing_sentence_alone_says_no_other_area():
    assert narrative.standing_sentence(Standing("A", 2, 3, 0, 0, 0)) == (
        "A had two of three indicators very good or better. No other area's split of grades is "
        "known."
    )


def test_when_keeps_the_precision_of_the_date():
    date = pd.Timestamp("2018-04-12")
    assert narrative.when(date, "day") == "on 12 April 2018"
    assert narrative.when(date, "month") == "in April 2018"
    assert narrative.when(date, "year") == "in 2018"
    assert narrative.when(pd.NaT, "unknown") == "on a date not known"


def test_validation_sentence_counts_failures_and_never_counts_unchecked_as_failed():
    report = pd.DataFrame({"check": ["a", "b", "c"], "result": ["passed", "FAILED", "passed"]})
    assert narrative.validation_sentence(report) == "One of three checks failed."
    assert narrative.validation_sentence(report.iloc[[0, 2]]) == "Both checks passed."
    report["result"] = ["FAILED", "not checked", "not checked"]
    assert narrative.validation_sentence(report) == (
        "One of three checks failed; two were not checked, as an earlier table had failed."
    )


def test_conflict_sentence_none_recorded():
    empty = pd.DataFrame(columns=["programme"])
    assert (
        narrative.conflict_sentence(empty, "cyp-2012")
        == "No conflicts are recorded for the programme 'children and young people, 2012-2017'."
    )


def test_named_coverage_sentence_lists_areas_without_names():
    cells = pd.DataFrame({"council_area": ["A", "B"]})
    assert narrative.named_coverage_sentence(cells, ["A", "C", "D"], 32) == (
        "Of the three areas with a known split, two have no indicator's grade known (all their "
        "cells would be unknown): C and D. B has a known grade but no known split, so it is in "
        "the grid but not among the three areas compared."
    )
    assert narrative.named_coverage_sentence(cells, ["A", "B"], 32) == (
        "Every one of the two areas with a known split has a known grade."
    )


# --------------------------------------------------------------------------- rank and company


def test_place_phrase_names_company_up_to_three_else_counts():
    assert narrative.place_phrase(Standing("A", 7, 9, 1, 2, 6), tied=["B", "C"]) == (
        "the second-highest share of the 10 areas whose split is known, tied with B and C"
    )
    assert narrative.place_phrase(Standing("A", 0, 9, 15, 4, 0), tied=list("BCDE")) == (
        "the lowest share of the 20 areas whose split is known, tied with four other areas"
    )
    assert narrative.rank_sentence(Standing("A", 9, 9, 0, 0, 0), []) == (
        "A had all nine indicators very good or better; no other area's split of grades is known."
    )


def test_rank_sentence_and_rank_sentences_say_rank_one_way():
    """The key points' sentence (company named) and the profile's (company counted) are one
    sentence: they differ only where a company of one to three areas is named."""
    cases = [
        Standing("A", 8, 9, 0, 0, 19),
        Standing("A", 3, 9, 6, 3, 10),
        Standing("A", 0, 9, 15, 4, 0),
        Standing("A", 1, 9, 0, 4, 0),
        Standing("A", 1, 1, 0, 0, 0),
    ]
    for s in cases:
        for group in ("very good or better", "weak or worse"):
            counted = narrative.rank_sentences([(s, group)])
            assert narrative.rank_sentence(s, None, group) == counted
            named = narrative.rank_sentence(s, [f"B{i}" for i in range(s.same)], group)
            ranked = s.areas > 1 and not s.larger == s.smaller == 0
            assert (named != counted) == (ranked and 0 < s.same <= 3)  # up to three are named
    assert narrative.rank_sentence(cases[1], ["B", "C", "D"]).endswith("tied with B, C and D.")
    assert narrative.ordinal(13) == "13th" and narrative.ordinal(21) == "21st"


def test_share_range_sentence_names_few_areas_and_counts_many():
    from fractions import Fraction as F  # noqa: N817

    text = narrative.share_range_sentence({"A": F(1, 3), "B": F(1, 3), "C": F(2, 3)})
    assert text == (
        "Across the three areas whose split is known, the share of indicators very good or "
        "better runs from 33% in A and B to 67% in C."
    )
    assert "is 50% in every one" in narrative.share_range_sentence({"A": F(1, 2), "B": F(2, 4)})


def test_known_grades_phrase_counts_derived_apart_from_named_and_never_ambiguous():
    bases = pd.Series(["stated", "derived", "derived", "ambiguous"])
    assert narrative.known_grades_phrase(bases, 9) == (
        "sources name one of nine indicator grades and two more follow from the counts by "
        "elimination (one more wording fits a grade only by judgement and is not counted); the "
        "other six are unknown"
    )
    assert narrative.known_grades_phrase(pd.Series(["stated"]), 1) == (
        "sources name one of one indicator grades"
    )


def test_later_rounds_sentence_counts_inspections_per_programme():
    inspected = pd.DataFrame(
        {"programme": ["risk-of-harm-2020"], "council_area": ["Fife"]}
    )  # fmt: skip
    assert narrative.later_rounds_sentence(inspected, 32) == (
        "Only one inspection of the later programmes is known, of 32 council areas: one in "
        "children at risk of harm, 2020-2025; too few to rank the areas."
    )


def test_findings_sentences_first_strength_and_every_improvement():
    findings = pd.DataFrame(
        {
            "kind": ["method", "to improve", "strength", "to improve"],
            "finding": ["Read files.", "Plan better.", "Leaders led.", "NHS staff should meet."],
        }
    )
    assert narrative.findings_sentences(findings) == [
        "Inspectors named one strength that leaders led.",
        "They asked for two improvements: to plan better and to NHS staff should meet.",
    ]
    assert narrative.findings_sentences(findings[findings["kind"] == "method"]) == []


def test_inspection_and_earlier_sentences_give_dates_in_words():
    counts = {"excellent": 1, "good": 2}
    text = narrative.inspection_sentence(
        "Fife", counts, pd.Timestamp("2015-06-16"), "day", "the joint inspection"
    )
    assert text.startswith("In the joint inspection in Fife, published on 16 June 2015, of three")
    unknown = narrative.inspection_sentence("Fife", counts, pd.NaT, "unknown", "it")
    assert "published on a date not known" in unknown
    assert narrative.earlier_sentence({"weak": 2}, "child protection, 2009-2012").startswith(
        "In the earlier child protection inspection (2009-2012), of two quality indicators, two "
        "were graded weak;"
    )


# --------------------------------------------------------------------------- data quality


def test_date_text_in_words_and_dates_in_words_table():
    assert narrative.date_text_in_words("2019-06") == "June 2019"
    assert narrative.date_text_in_words("2013-09-18") == "18 September 2013"
    assert narrative.date_text_in_words("2016") == "2016"
    assert narrative.date_text_in_words(None) == "not known"
    table = pd.DataFrame({"published": ["2019-06", ""], "area": ["A", "B"]})
    assert narrative.dates_in_words(table)["published"].tolist() == ["June 2019", "not known"]
    assert table["published"].tolist() == ["2019-06", ""]  # the input is left as it was


def test_conflicts_table_gives_grades_in_words_and_short_headers():
    from helpers import quality

    table = narrative.conflicts_table(quality.conflicts())
    row = table.iloc[0]
    assert row["council area"] == "North Lanarkshire"
    assert row["grades"] == "seven very good and three good"
    assert row["source counts"] == "10"
    assert row["programme grades"] == "nine"
    assert "excellent" not in table.columns


def test_coverage_date_and_sources_key_sentences():
    summary = pd.DataFrame(
        {"full split": [3, 0], "areas": [32, 32]}, index=["cyp-2012", "cp-2009"]
    )  # fmt: skip
    assert narrative.coverage_sentence(summary, lead="cyp-2012") == (
        "The split of grades is known for three of 32 council areas in children and young "
        "people, 2012-2017; in the other programmes, for none (child protection, 2009-2012)."
    )
    assert narrative.coverage_sentence(summary.iloc[::-1]) == (
        "The split of grades is known for none of 32 council areas in child protection, "
        "2009-2012; for three of 32 in children and young people, 2012-2017."
    )
    precision = pd.DataFrame({"day": [2], "month": [0], "year": [1], "unknown": [0]})
    assert narrative.date_precision_sentence(precision) == (
        "Of three inspections, two are dated to the day and one to the year only."
    )
    sources = pd.DataFrame({"source_url": ["x/1", "y/1"], "domain": ["x", "y"]})
    assert narrative.sources_key_sentence(sources, pd.DataFrame()) == (
        "Everything rests on two public pages on two web domains, the most cited being x and y "
        "(one of two citations)."
    )
    conflicts = pd.DataFrame(
        {"council_area": ["A", "B"], "indicators_stated": [10, 8], "programme_grades": [9, 9]}
    )
    assert narrative.conflicts_key_sentence(conflicts).startswith("Two sources conflict")
    assert narrative.conflicts_key_sentence(conflicts.iloc[:0]) == (
        "No source conflicts with its programme."
    )


# --------------------------------------------------------------------------- care services, 03


def test_scotland_scope_sentence_says_what_scotland_counts():
    assert "including the 12 it places outside Scotland on 31 May 2026" in (
        narrative.scotland_scope_sentence(12, pd.Timestamp("2026-05-31"))
    )
    assert narrative.scotland_scope_sentence(0, pd.Timestamp("2026-05-31")).endswith(
        "on 31 May 2026 it placed none outside Scotland."
    )


def test_grade_change_sentences_rise_and_no_graded_service():
    first, last = pd.Timestamp("2020-05-01"), pd.Timestamp("2021-05-01")
    idx = pd.MultiIndex.from_tuples(
        [(first, "A"), (first, "Scotland"), (last, "A"), (last, "Scotland")]
    )
    t = pd.DataFrame(
        {"excellent": [0.1, 0.1, 0.2, 0.1], "very good": [0.1, 0.3, 0.3, 0.3],
         "good or better": [0.5, 0.9, 0.8, 0.9], "services graded": [10, 100, 12, 100]},
        index=idx,
    )  # fmt: skip
    good, change = narrative.grade_change_sentences(t, "A")
    assert good.startswith("On 1 May 2021, 80% of A's 12 graded children's services")
    assert "; on 1 May 2020, 50% (Scotland: 90%)." in good
    assert "rose from 20% on 1 May 2020 to 50% on 1 May 2021 (Scotland: from 40% to 40%)" in change
    t.loc[(last, "A"), "services graded"] = 0
    assert narrative.grade_change_sentences(t, "A") == [
        "No children's service in A was graded on 1 May 2021."
    ]
