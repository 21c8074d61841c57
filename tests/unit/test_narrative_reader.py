"""helpers.narrative: the key points and the reader's prose of issue 17 (rank and company, one
line per unknown, return visits, what changed), each checked on values that could be false."""

from __future__ import annotations

import pandas as pd

from helpers import narrative
from helpers.grades import Standing, as_counts

ROWS = ["newly registered", "cancelled", "a grade went down", "a grade fell to weak or worse",
        "a grade went up"]  # fmt: skip


def test_ordinal():
    assert [narrative.ordinal(n) for n in (1, 3, 11, 12, 13, 22, 101)] == [
        "first", "third", "11th", "12th", "13th", "22nd", "101st"
    ]  # fmt: skip


def test_place_phrase_ranks_ties_together():
    # two areas larger, three the same: all four share third place
    s = Standing("A", 5, 9, 2, 3, 14)
    assert narrative.place_phrase(s) == (
        "the third-highest share of the 20 areas whose split is known, tied with three other areas"
    )
    assert narrative.place_phrase(Standing("A", 0, 9, 5, 0, 0), among=False) == (
        "the lowest share, tied with none"
    )
    assert narrative.place_phrase(Standing("A", 1, 9, 0, 4, 0)) == (
        "the same share as each of the other four areas whose split is known"
    )
    assert narrative.place_phrase(Standing("A", 1, 9, 0, 0, 0)) == (
        "no other area's split of grades is known"
    )


def test_rank_sentences_follow_on_and_stop_when_alone():
    text = narrative.rank_sentences(
        [
            (Standing("Fife", 3, 9, 6, 3, 10), "very good or better"),
            (Standing("Fife", 1, 9, 12, 0, 7), "good or better"),
        ]  # fmt: skip
    )
    assert text == (
        "Fife had three of nine indicators very good or better: the seventh-highest share of the "
        "20 areas whose split is known, tied with three other areas. One of nine was good or "
        "better: the 13th-highest share, tied with none."
    )
    alone = narrative.rank_sentences([(Standing("A", 1, 1, 0, 0, 0), "weak or worse")])
    assert alone == (
        "A's one graded indicator was weak or worse; no other area's split of grades is known."
    )


def test_latest_inspection_sentence_by_what_is_known():
    split = as_counts({"very good": 2, "good": 1})
    text = narrative.latest_inspection_sentence(
        "Fife", "cyp-2012", "published April 2018", split, []
    )
    assert text == (
        "Fife's latest joint inspection was in the children and young people programme "
        "(2012-2017; published April 2018): of three quality indicators, two were graded very "
        "good and one good."
    )
    unknown = as_counts({"good": pd.NA})
    named = narrative.latest_grades_clause(unknown, [("Leadership", "good")])
    assert named == "the split of grades was not found; sources name leadership, good"
    assert narrative.latest_grades_clause(as_counts({"weak": 1}), []) == (
        "its one graded indicator was weak"
    )


def test_findings_count_sentence_counts_only_strengths_and_things_to_improve():
    kinds = pd.Series(["to improve", "method", "progress review", "to improve"])
    assert narrative.findings_count_sentence(kinds) == (
        "Inspectors' findings recorded from it: no strengths and two things to improve."
    )


def test_care_good_key_point_unknown_when_nothing_graded():
    t = pd.DataFrame(
        {("good or better", "A"): [float("nan")], ("good or better", "Scotland"): [0.9]},
        index=[pd.Timestamp("2026-05-31")],
    )
    assert narrative.care_good_key_point(t, "A") == (
        "On 31 May 2026, no children's service in A was graded."
    )


def test_changes_key_points_name_services_now_weak_never_a_childminder():
    t = pd.DataFrame({"A": [2, 0, 3, 2, 0], "Scotland": [54, 84, 114, 11, 125]}, index=ROWS)
    fell = pd.DataFrame(
        {
            "care service": ["Child Minding", "Day Care of Children"],
            "service": ["a childminder (not named)", "Wee Gems"],
        }  # fmt: skip
    )
    points = narrative.changes_key_points(t, "A", "2026-03-31", "2026-05-31", fell)
    assert points == [
        "Between 31 March 2026 and 31 May 2026, two children's services were newly registered in "
        "A (Scotland: 54) and none were cancelled (Scotland: 84).",
        "Three services had a grade go down (Scotland: 114) and none had a grade go up "
        "(Scotland: 125).",
        "Two services in A had a grade fall to weak or worse (Scotland: 11 services): a "
        "childminder and Wee Gems (day care of children).",
    ]


def test_recent_change_sentence_counts():
    t = pd.DataFrame({"A": [1, 1, 2, 1, 0], "Scotland": [54, 84, 114, 11, 125]}, index=ROWS)
    assert narrative.recent_change_sentence(t, "A", "2026-03-31", "2026-05-31") == (
        "Between 31 March 2026 and 31 May 2026, one children's service in A was newly registered "
        "and one was cancelled; two had a grade go down, one of them to weak or worse, and none "
        "had a grade go up."
    )


def test_inspection_unknowns_one_line_each_never_twice():
    lines = narrative.inspection_unknowns("care-protection-2018", False, False, 2, 4)
    assert lines == [
        "Care and protection, 2018-2020: the publication date was not found.",
        "Care and protection, 2018-2020: the split of grades was not found in any source.",
        "Care and protection, 2018-2020: no source names the grade of two of its four "
        "indicators; they are shown as unknown.",
    ]
    assert narrative.inspection_unknowns("cyp-2012", True, True, 0, 9) == []
    assert narrative.not_inspected_lines("Fife", ["risk-of-harm-2020", "cp-2009"]) == [
        "No inspection of Fife in the children at risk of harm programme (2020-2025) was found "
        "in the sources searched.",
        "No inspection of Fife in the child protection programme (2009-2012) was found in the "
        "sources searched.",
    ]


def test_note_without_unknown_date_keeps_the_rest():
    note = (
        "Local papers say every indicator was good. Fieldwork in October of the year before "
        "publication; publication date not found."
    )
    assert narrative.note_without_unknown_date(note) == (
        "Local papers say every indicator was good. Fieldwork in October of the year before "
        "publication."
    )


def test_top_themes_sentence_ties_and_counts_areas_once():
    t = pd.DataFrame(
        {
            "council_area": ["A", "A", "B", "C", "C"],
            "programme": ["p1", "p2", "p1", "p1", "p2"],
            "kind": ["to improve"] * 5,
            "theme_name": ["Workforce", "Workforce", "Neglect", "Neglect", "Chronologies"],
        }  # fmt: skip
    )
    assert narrative.top_themes_sentence(t, "to improve") == (
        "Counting every programme together, the themes most often named as something to "
        "improve, each in two inspections, were workforce (one area) and neglect (two areas)."
    )
    assert narrative.top_themes_sentence(t, "strength") == (
        "No finding in the data names a theme as a strength."
    )


def test_placed_key_point_names_the_others_and_their_programmes():
    th = pd.DataFrame({"theme": ["a", "b"], "name": ["Chronologies", "Independent advocacy"]})
    o = pd.DataFrame({"theme": ["a", "a"], "council_area": ["Fife", "Moray"],
                      "programme": ["cp-2009", "risk-of-harm-2020"]})  # fmt: skip
    assert narrative.placed_key_point("Angus", "cyp-2012", "published May 2016", th, o) == (
        "Of Angus's things to improve from its 2012-2017 inspection (published May 2016), "
        "chronologies also came up in two other inspections: Fife (2009-2012) and Moray "
        "(2020-2025); independent advocacy came up in no other inspection."
    )


def test_programme_themes_sentence_counts_only_areas_with_findings():
    c = pd.DataFrame({"programme": ["cyp-2012"], "theme_name": ["Workforce"],
                      "to_improve": [3], "strength": [0]})  # fmt: skip
    partial = narrative.programme_themes_sentence(c, "cyp-2012", 26, 32)
    assert "findings recorded for 26 of 32 areas" in partial
    assert "three of the 26 were told to improve workforce" in partial
    assert "of 32 areas were" not in partial
    whole = narrative.programme_themes_sentence(c, "cyp-2012", 11, 11)
    assert "three of 11 areas were told to improve workforce" in whole
    assert "recorded for" not in whole
