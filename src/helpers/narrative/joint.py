"""Sentences about the joint-inspection data as a whole: what is named, known, disputed, cited."""

from __future__ import annotations

import pandas as pd

from helpers.grades import COUNT_COLUMNS, HIGHEST_FIRST
from helpers.joint.questions import FULL_SPLIT
from helpers.labels import programme_name
from helpers.narrative.grades import describe_grades, grades_shown, split_known_clause
from helpers.words import (
    capitalise,
    count_words,
    join_words,
    none_or_number,
    number_word,
    of_phrase,
    plural,
)


def named_sentence(grades: pd.DataFrame) -> str:
    """How many of an inspection's indicators have a named grade, and what the rest show.

    ``grades`` is :func:`helpers.joint.questions.indicator_grades` of one inspection.
    """
    named = int(grades["grade"].notna().sum())
    rest = grades_shown(grades)[grades["grade"].isna()].unique().tolist()
    tail = f"; for the other {number_word(len(grades) - named)} the table shows {join_words(rest)}"
    return (
        f"A source names the grade of {of_phrase(named, len(grades))} indicators"
        f"{tail if rest else ''}."
    )


def framework_sentence(programmes: pd.DataFrame, ids: list[str]) -> str:
    """How many indicators each of the programmes ``ids`` graded, in one sentence."""
    p = programmes.set_index("programme")
    parts = [
        f"{programme_name(pid)} graded {number_word(p.loc[pid, 'indicators_graded'])}"
        for pid in ids
    ]
    return f"The programmes graded different sets of indicators: {join_words(parts)}."


def unknown_split_sentence(unknown: int, programme: str) -> str:
    """'The split of grades is not known for 12 council areas in children and young people,
    2012-2017.'"""
    return (
        f"The split of grades is not known for {plural(unknown, 'council area')} in "
        f"{programme_name(programme)}."
    )


def conflict_flags(conflicts: pd.DataFrame, programme: str) -> dict[str, str]:
    """Area -> short note, for areas whose source conflicts with the programme.

    ``conflicts`` is :func:`helpers.quality.conflicts`.
    """
    c = conflicts[conflicts["programme"] == programme]
    return {
        r.council_area: (
            f"the source counts {number_word(r.indicators_stated)} graded indicators; the "
            f"programme grades {number_word(r.programme_grades)}. Shown as published."
        )
        for r in c.itertuples()
    }


def conflict_sentence(conflicts: pd.DataFrame, programme: str) -> str:
    """What each recorded conflict is, with its counts, in words."""
    c = conflicts[conflicts["programme"] == programme]
    if c.empty:
        return f"No conflicts are recorded for the programme '{programme_name(programme)}'."
    parts = []
    for _, r in c.iterrows():
        counts = {g: r[COUNT_COLUMNS[g]] for g in HIGHEST_FIRST}
        parts.append(
            f"{r['council_area']}: the source counts {number_word(r['indicators_stated'])} "
            f"graded indicators ({describe_grades(counts).replace(' were graded', '')}) where "
            f"the programme grades {number_word(r['programme_grades'])}; kept as published, "
            "flagged, and counted with its own total"
        )
    return ". ".join(parts) + "."


def named_coverage_sentence(cells: pd.DataFrame, split: list[str], areas: int) -> str:
    """Which areas with a known split have no named grade, and which areas with a named grade
    have no known split (in the grid, not among the areas compared).

    ``cells`` is :func:`helpers.joint.questions.named_cells`; ``split`` the areas with a known
    split; ``areas`` how many council areas there are.
    """
    with_names = set(cells["council_area"])
    without = sorted(set(split) - with_names)
    outside = sorted(with_names - set(split))
    extra = ""
    if outside:
        one = len(outside) == 1
        extra = (
            f" {join_words(outside)} {'has' if one else 'have'} a known grade but no known "
            f"split, so {'it is' if one else 'they are'} in the grid but not among the "
            f"{number_word(len(split))} areas compared."
        )
    if not without:
        n = number_word(len(split))
        return f"Every one of the {n} areas with a known split has a known grade.{extra}"
    have = "has" if len(without) == 1 else "have"
    return (
        f"Of the {number_word(len(split))} areas with a known split, {number_word(len(without))} "
        f"{have} no indicator's grade known (all their cells would be unknown): "
        f"{join_words(without)}.{extra}"
    )


def coverage_sentence(summary: pd.DataFrame, lead: str | None = None) -> str:
    """How many council areas have a known split of grades, in each programme: ``lead`` first
    (then 'in the other programmes'), or all alike.

    ``summary`` is :func:`helpers.quality.coverage_summary` (index: programme ids).

    Examples
    --------
    >>> t = pd.DataFrame({"full split": [11, 20, 1], "areas": [32, 32, 32]},
    ...                  index=["cp-2009", "cyp-2012", "care-protection-2018"])
    >>> coverage_sentence(t, lead="cyp-2012")
    'The split of grades is known for 20 of 32 council areas in children and young people, 2012-2017; in the other programmes, for 11 (child protection, 2009-2012) and one (care and protection, 2018-2020).'
    >>> coverage_sentence(t)
    'The split of grades is known for 11 of 32 council areas in child protection, 2009-2012; for 20 of 32 in children and young people, 2012-2017; and for one of 32 in care and protection, 2018-2020.'
    """  # noqa: E501
    known = summary[FULL_SPLIT].astype(int)
    areas = summary["areas"].astype(int)
    first = lead if lead is not None else summary.index[0]
    text = (
        f"{capitalise(split_known_clause(known[first], areas[first]))} in {programme_name(first)}"
    )
    others = [p for p in summary.index if p != first]
    if not others:
        return f"{text}."
    if lead is not None:
        parts = [f"{none_or_number(known[p])} ({programme_name(p)})" for p in others]
        return f"{text}; in the other programmes, for {join_words(parts)}."
    parts = [f"for {of_phrase(known[p], areas[p])} in {programme_name(p)}" for p in others]
    if len(parts) > 1:
        parts[-1] = f"and {parts[-1]}"
    return f"{text}; {'; '.join(parts)}."


def validation_sentence(report: pd.DataFrame) -> str:
    """'All ten checks passed.', or how many failed and how many were not checked (``report``:
    one row per check, with its ``result``, as :func:`helpers.quality.validation_report`).

    Examples
    --------
    >>> validation_sentence(pd.DataFrame({"result": ["passed", "FAILED", "not checked"]}))
    'One of three checks failed; one was not checked, as an earlier table had failed.'
    """
    results = report["result"]
    failed, unchecked = int((results == "FAILED").sum()), int((results == "not checked").sum())
    if not failed and not unchecked:
        checks = "check" if len(report) == 1 else "checks"
        return f"{capitalise(of_phrase(len(report), len(report)))} {checks} passed."
    text = f"{capitalise(number_word(failed))} of {number_word(len(report))} checks failed"
    if unchecked:
        was = "was" if unchecked == 1 else "were"
        text += f"; {number_word(unchecked)} {was} not checked, as an earlier table had failed"
    return f"{text}."


def sources_sentence(sources: pd.DataFrame, uncited: pd.DataFrame | None = None) -> str:
    """How many citations, pages and domains the data rests on (:func:`helpers.quality.sources`),
    and how many inspections cite no page (:func:`helpers.quality.uncited_inspections`)."""
    text = (
        f"The tables cite a source {number_word(len(sources))} times: "
        f"{number_word(sources['source_url'].nunique())} distinct pages on "
        f"{number_word(sources['domain'].nunique())} web domains."
    )
    if uncited is not None and len(uncited):
        dated = int((uncited["published"].astype(str) != "").sum())
        text += (
            f" {capitalise(number_word(len(uncited)))} "
            f"{'inspection cites' if len(uncited) == 1 else 'inspections cite'} no page "
            f"({'none' if dated == 0 else number_word(dated)} of them with a publication date); "
            "they are listed below, and their notes in the inspections table say what is known."
        )
    return text


def copies_sentence(copies: pd.DataFrame) -> str:
    """Which cited sites hold copies of pages first published elsewhere
    (:func:`helpers.quality.copied_sites`: site, copy, facts).

    Examples
    --------
    >>> t = pd.DataFrame({"site": ["m.example", "c.net", "i.com"], "facts": [19, 4, 3],
    ...     "copy": ["a copy of the Care Inspectorate's site", "a third-party host",
    ...              "a third-party host"]})
    >>> copies_sentence(t)
    "Some pages are copies, not the original: m.example is a copy of the Care Inspectorate's site (19 facts cited); c.net and i.com are third-party hosts (seven facts)."
    """  # noqa: E501
    if copies.empty:
        return "Every page cited is on the site that first published it, as far as is known."
    parts = []
    for kind, rows in copies.groupby("copy", sort=False):
        names = join_words(list(rows["site"]))
        n = int(rows["facts"].sum())
        if len(rows) == 1:
            verb = f"is {kind}"
        else:
            verb = f"are {kind.removeprefix('a ').removeprefix('an ')}s"
        facts = f"{count_words(n)} {'fact' if n == 1 else 'facts'}"
        parts.append(f"{names} {verb} ({facts}{' cited' if not parts else ''})")
    return f"Some pages are copies, not the original: {'; '.join(parts)}."
