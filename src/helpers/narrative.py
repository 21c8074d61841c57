"""Sentences from data: the words a press officer would write, computed, never typed.

Every sentence the notebooks and reports print is built here, from tables the other modules
compute: numbers below ten as words, plurals, shares as percentages, dates as precise as known.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import pandas as pd

from helpers.areas import SCOTLAND
from helpers.grades import COUNT_COLUMNS, HIGHEST_FIRST, Standing, as_counts, normalise_grade
from helpers.labels import programme_name

_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def number_word(n: int) -> str:
    """Whole numbers below ten as words, larger ones as digits (house style).

    Examples
    --------
    >>> number_word(2), number_word(12)
    ('two', '12')
    """
    n = int(n)
    return _WORDS[n] if 0 <= n < 10 else str(n)


def join_words(items: Iterable[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def describe_grades(counts: Mapping[str, object] | pd.Series) -> str:
    """The sentence a press officer would write about a set of grades.

    Parameters
    ----------
    counts
        Count of indicators at each grade, keyed by grade label (any order; aliases such as
        'satisfactory' and column names such as 'very_good' are accepted).

    Returns
    -------
    str
        Small numbers as words, grades highest first, zero grades left out. If any count is
        missing the split is not known, and the sentence says so instead of guessing.

    Raises
    ------
    ValueError
        If a key is not a grade, or a count is negative or not whole.

    Examples
    --------
    >>> describe_grades({"excellent": 2, "very good": 6, "good": 1})
    'two were graded excellent, six very good and one good'
    >>> describe_grades({"good": 1})
    'one was graded good'
    """
    by_grade: dict[str, int] = {}
    for key, value in dict(counts).items():
        grade = normalise_grade(str(key).replace("_", " "))
        if grade is None:
            raise ValueError(f"{key!r} is not a grade on the six-point scale")
        if value is None or pd.isna(value):
            return "the split of grades is not known"
        if float(value) != int(value) or int(value) < 0:
            raise ValueError(f"count for {grade!r} must be a whole number >= 0, got {value!r}")
        by_grade[grade] = by_grade.get(grade, 0) + int(value)
    parts = [(g, by_grade[g]) for g in HIGHEST_FIRST if by_grade.get(g, 0) > 0]
    if not parts:
        return "no indicators were graded"
    (first, n), rest = parts[0], parts[1:]
    verb = "was" if n == 1 else "were"
    head = f"{number_word(n)} {verb} graded {first}"
    return join_words([head] + [f"{number_word(k)} {g}" for g, k in rest])


def none_or_number(n: int) -> str:
    """'none' for zero, else :func:`number_word`."""
    return "none" if n == 0 else number_word(n)


def plural(n: int, word: str) -> str:
    """'one area', 'six areas' (numbers below ten as words).

    Examples
    --------
    >>> plural(1, "area"), plural(19, "area")
    ('one area', '19 areas')
    """
    return f"{number_word(n)} {word}{'' if n == 1 else 's'}"


def of_phrase(k: int, n: int) -> str:
    """'eight of nine', 'all six', 'both', 'none of nine' (numbers below ten as words).

    Two of two is 'both' and one of one 'one of one' (never 'all two' or 'all one').

    Examples
    --------
    >>> of_phrase(8, 9), of_phrase(6, 6), of_phrase(0, 9)
    ('eight of nine', 'all six', 'none of nine')
    >>> of_phrase(2, 2), of_phrase(1, 1), of_phrase(1, 2)
    ('both', 'one of one', 'one of two')
    """
    if n == k == 2:
        return "both"
    if n > 1 and k == n:
        return f"all {number_word(n)}"
    if k == 0:
        return f"none of {number_word(n)}"
    return f"{number_word(k)} of {number_word(n)}"


def capitalise(text: str) -> str:
    """The first letter in upper case, the rest untouched ('eight of nine' -> 'Eight of nine')."""
    return text[:1].upper() + text[1:]


def pct(share: float) -> str:
    """A share as a whole percentage ('91%'), with a decimal rather than round to 0% or 100%.

    Examples
    --------
    >>> pct(0.912), pct(0.998), pct(0.001)
    ('91%', '99.8%', '0.1%')
    """
    if 0 < share < 0.005 or 0.995 <= share < 1:
        return f"{share:.1%}"
    return f"{share:.0%}"


def day(date: pd.Timestamp) -> str:
    """A date in words ('31 May 2026')."""
    date = pd.Timestamp(date)
    return f"{date.day} {date:%B %Y}"


def period(dates) -> str:
    """The snapshots a set of dates covers, in words: '39 snapshots from 31 March 2016 to 31 May
    2026', or 'one snapshot, of 31 May 2026'."""
    unique = sorted({pd.Timestamp(d) for d in dates})
    if len(unique) == 1:
        return f"one snapshot, of {day(unique[0])}"
    return f"{len(unique)} snapshots from {day(unique[0])} to {day(unique[-1])}"


def when(date: pd.Timestamp, precision: str) -> str:
    """A date as precise as it is known: 'on 12 April 2018', 'in April 2018', 'in 2018'."""
    if precision == "unknown" or pd.isna(date):
        return "on a date not known"
    if precision == "year":
        return f"in {date.year}"
    if precision == "month":
        return f"in {date.strftime('%B %Y')}"
    return f"on {day(date)}"


# --------------------------------------------------------------------------- grades


def release_sentence(counts: Mapping[str, object] | pd.Series, lead: str = "") -> str:
    """The sentence of a press release: 'Of nine quality indicators, two were graded ...'.

    ``lead`` starts the sentence ('In the 2011 inspection') before 'of nine ...'.

    Examples
    --------
    >>> release_sentence({"excellent": 2, "very good": 6, "good": 1})
    'Of nine quality indicators, two were graded excellent, six very good and one good.'
    >>> release_sentence({"excellent": 3, "very good": 3}, lead="Earlier")
    'Earlier, of six quality indicators, three were graded excellent and three very good.'
    """
    c = as_counts(counts)
    if c.isna().any():
        return f"{lead}, the split of grades is not known." if lead else (
            "The split of grades is not known."
        )  # fmt: skip
    total = int(c.sum())
    if total == 1:  # 'Of one quality indicators, one was graded good' reads badly
        grade = next(g for g in HIGHEST_FIRST if c[g] > 0)
        return f"{lead}, the one quality indicator graded was {grade}." if lead else (
            f"The one quality indicator graded was {grade}."
        )  # fmt: skip
    head = f"{lead}, of" if lead else "Of"
    return f"{head} {number_word(total)} quality indicators, {describe_grades(c)}."


def programme_line(stated: object, counts: pd.Series) -> str:
    """One inspection's grades after the number of indicators its source states, if any.

    Examples
    --------
    >>> programme_line(9, as_counts({"excellent": 2, "very good": 6, "good": 1}))
    'Of nine quality indicators, two were graded excellent, six very good and one good'
    >>> programme_line(9, as_counts({"good": pd.NA}))
    'Of nine quality indicators, the split of grades is not known'
    >>> programme_line(1, as_counts({"adequate": 1}))
    'The one quality indicator graded was adequate'
    """
    of = "" if pd.isna(stated) else f"Of {plural(int(stated), 'quality indicator')}, "
    if counts.isna().any():
        return f"{of}the split of grades is not known"
    if int(counts.sum()) == 1:  # never 'Of one quality indicator, one was graded adequate'
        grade = next(g for g in HIGHEST_FIRST if counts[g] > 0)
        return f"The one quality indicator graded was {grade}"
    return of + describe_grades(counts) if of else capitalise(describe_grades(counts))


def _larger_same_smaller(s: Standing, what: str) -> str:
    return (
        f"{none_or_number(s.larger)} had a larger share{what}, {none_or_number(s.same)} the "
        f"same share and {none_or_number(s.smaller)} a smaller share"
    )


def standing_sentence(s: Standing) -> str:
    """Where an area stands by share very good or better, in words, with ties stated.

    Examples
    --------
    >>> standing_sentence(Standing("A", 8, 9, 0, 0, 19))
    'A had eight of nine indicators very good or better. Of the other 19 areas with a known split, none had a larger share, none the same share and 19 a smaller share.'
    """  # noqa: E501
    own = (
        f"{s.area}'s one graded indicator was {'' if s.top else 'not '}very good or better. "
        if s.total == 1
        else f"{s.area} had {of_phrase(s.top, s.total)} indicators very good or better. "
    )
    if s.areas <= 1:
        return f"{own}No other area's split of grades is known."
    return (
        f"{own}Of the other {plural(s.areas - 1, 'area')} with a known split, "
        f"{_larger_same_smaller(s, '')}."
    )


def standing_headline(s: Standing) -> str:
    """A chart title for a :class:`~helpers.grades.Standing`: the finding, ties included."""
    if s.larger == 0 and s.same == 0:
        return f"{s.area}: the largest share very good or better of {plural(s.areas, 'area')}"
    if s.larger == 0:
        return (
            f"{s.area}: the largest share very good or better, shared with "
            f"{plural(s.same, 'area')} (of {plural(s.areas, 'area')})"
        )
    tie = f", {number_word(s.same)} the same" if s.same else ""
    return (
        f"{s.area}: {plural(s.larger, 'area')} had a larger share very good or better{tie} "
        f"(of {plural(s.areas, 'area')})"
    )


def spread_sentence(good: Standing, weak: Standing) -> str:
    """An area against the others at both ends of the scale: good or better, weak or worse.

    Complements :func:`standing_sentence` (very good or better), which ties every area with few
    top grades. ``good`` and ``weak`` are the area's standings for those two groups.

    Examples
    --------
    >>> spread_sentence(Standing("Moray", 0, 9, 18, 1, 0), Standing("Moray", 4, 9, 0, 1, 18))
    'Moray had none of nine indicators good or better and four weak or worse. Of the other 19 areas with a known split, 18 had a larger share good or better, one the same share and none a smaller share; none had a larger share weak or worse, one the same share and 18 a smaller share.'
    """  # noqa: E501
    area, total = good.area, good.total
    if total == 1:
        label = "good or better" if good.top else "weak or worse" if weak.top else "adequate"
        own = f"{area}'s one graded indicator was {label}."
    else:
        own = (
            f"{area} had {of_phrase(good.top, total)} indicators good or better "
            f"and {none_or_number(weak.top)} weak or worse."
        )
    if good.areas == 1:
        return f"{own} No other area's split of grades is known."
    return (
        f"{own} Of the other {plural(good.areas - 1, 'area')} with a known split, "
        f"{_larger_same_smaller(good, ' good or better')}; "
        f"{_larger_same_smaller(weak, ' weak or worse')}."
    )


# --------------------------------------------------------------------------- joint inspections


def named_sentence(grades: pd.DataFrame) -> str:
    """How many of an inspection's indicators have a named grade, and what the rest show.

    ``grades`` is :func:`helpers.inspections.indicator_grades` of one inspection.
    """
    named = int(grades["grade"].notna().sum())
    rest = grades.loc[grades["grade"].isna(), "shown"].unique().tolist()
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


def known_split_sentence(known: int, areas: int, programme: str) -> str:
    """'Twenty of thirty-two council areas have a known split of grades in children and young
    people, 2012-2017.'"""
    return (
        f"{capitalise(number_word(known))} of {number_word(areas)} council areas have a known "
        f"split of grades in the programme '{programme_name(programme)}'."
    )


def unknown_split_sentence(unknown: int, programme: str) -> str:
    """'Twelve areas have no known split in cyp-2012.'"""
    return (
        f"{capitalise(number_word(unknown))} {'area has' if unknown == 1 else 'areas have'} no "
        f"known split in the programme '{programme_name(programme)}'."
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

    ``cells`` is :func:`helpers.inspections.named_cells`; ``split`` the areas with a known
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


def coverage_sentence(summary: pd.DataFrame) -> str:
    """Per programme: how many of the 32 areas have a full split.

    ``summary`` is :func:`helpers.quality.coverage_summary`.
    """
    parts = [
        f"{programme_name(p)}: {number_word(int(r['full split']))} of "
        f"{number_word(int(r['areas']))}"
        for p, r in summary.iterrows()
    ]
    return f"Council areas with a full split of grades, by programme: {'; '.join(parts)}."


def validation_sentence(report: pd.DataFrame) -> str:
    """'All ten checks passed.' or how many failed."""
    failed = report.loc[report["result"] != "passed", "check"].tolist()
    if not failed:
        return f"All {number_word(len(report))} checks passed."
    return f"{capitalise(number_word(len(failed)))} of {number_word(len(report))} checks failed."


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


# --------------------------------------------------------------------------- an area's profile


def unplaced_sentence(area: str, areas: int) -> str:
    """An area whose own split is not known cannot be placed among the others."""
    if areas == 0:
        return f"No area's split of grades is known, {area}'s included."
    if areas == 1:
        return (
            f"{area} cannot be compared with the one area whose split of grades is known: "
            "its own split is not known."
        )
    return (
        f"{area} cannot be placed among the {number_word(areas)} areas with a known split of "
        "grades: its own split is not known."
    )


def not_inspected_sentence(area: str, programmes: list[str]) -> str:
    """The programmes with no inspection of the area in the data."""
    names = join_words(programme_name(p) for p in programmes)
    return f"No inspection of {area} in the data for: {names}."


def inspection_gaps(programme: str, split_unknown: bool, published_known: bool) -> list[str]:
    """What is not known about one inspection: its split of grades, its publication date."""
    lines = []
    if split_unknown:
        lines.append(
            f"{capitalise(programme_name(programme))}: the split of grades was not found in "
            "any source."
        )
    if not published_known:
        lines.append(
            f"{capitalise(programme_name(programme))}: the publication date was not found."
        )
    return lines


def unnamed_sentence(programme: str, unnamed: int, indicators: int) -> str:
    """How many of a programme's indicators no source names the grade of.

    Examples
    --------
    >>> unnamed_sentence("cyp-2012", 7, 9)  # doctest: +ELLIPSIS
    'Children and young people, 2012-2017: no source names the grade of seven of nine ...'
    """
    return (
        f"{capitalise(programme_name(programme))}: no source names the grade of "
        f"{number_word(unnamed)} of "
        f"{number_word(indicators)} indicators; they are shown as unknown."
    )


# --------------------------------------------------------------------------- care services


def sector_sentence(table: pd.DataFrame, date: pd.Timestamp, area: str) -> str:
    """Which sector runs most of ``area``'s children's services at ``date``, against Scotland."""
    shares = table.drop(columns="services", errors="ignore")
    here = shares.loc[(day(date), area)]
    there = shares.loc[(day(date), SCOTLAND)]
    top = here.idxmax()
    return (
        f"On {day(date)}, {top.lower()} providers ran {pct(here[top])} of {area}'s registered "
        f"children's services (Scotland: {pct(there[top])}); local authorities ran "
        f"{pct(here.get('Local Authority', 0))} (Scotland: {pct(there.get('Local Authority', 0))})."
    )


def repetition_sentence(table: pd.DataFrame) -> str:
    """How often residential services' key-question grades are one value repeated, and since
    when."""
    share = table["one value repeated"]
    n = table["services with 2+ key questions"]
    if table.empty:
        return "No residential children's service was graded on two or more key questions."
    last = table.index[-1]
    same = round(float(share.iloc[-1]) * int(n.iloc[-1]))
    now = (
        f"On {day(last)}, {count_words(same)} of the {count_words(int(n.iloc[-1]))} "
        "residential children's services graded on two or more key questions had the same grade "
        "for every question."
    )
    if len(table) == 1:
        return now
    below = share[share < 0.9]
    at_change = share[n >= 0.9 * n.iloc[-1]].index[0]
    then = f" The share was {pct(share[at_change])} on {day(at_change)}, when key questions "
    then += "covered nearly all of them"
    if len(below) == 0:
        return now + then + f", and has been {pct(0.9)} or more at every snapshot."
    later = share.index[share.index > below.index[-1]]
    if len(later) == 0:
        return now + then + "."
    return (
        now + then + f", and has been {pct(0.9)} or more at every snapshot since {day(later[0])}."
    )


def count_words(n: int) -> str:
    """:func:`number_word`, with thousands separated ('two', '12', '6,655').

    Examples
    --------
    >>> count_words(2), count_words(6655)
    ('two', '6,655')
    """
    return number_word(n) if 0 <= int(n) < 10 else f"{int(n):,}"


def registered_sentence(counts: pd.DataFrame, area: str) -> str:
    """How many children's services were registered in ``area`` (and Scotland) at each date.

    ``counts`` is :func:`helpers.care_analysis.registered_counts`; a date with no count for the
    area says it is not known (never zero).

    Examples
    --------
    >>> t = pd.DataFrame({"Fife": [510, 501], "Scotland": [9000, 6655]},
    ...                  index=["31 December 2017", "31 May 2026"])
    >>> print(registered_sentence(t, "Fife"))
    On 31 May 2026, 501 children's services were registered in Fife (Scotland: 6,655); on 31 December 2017, 510 (Scotland: 9,000).
    """  # noqa: E501

    def count(value) -> str:
        return "not known" if pd.isna(value) else count_words(value)

    dates = list(counts.index)
    last = dates[-1]
    text = (
        f"On {last}, {count(counts.loc[last, area])} children's services were registered in "
        f"{area} ({SCOTLAND}: {count(counts.loc[last, SCOTLAND])})"
    )
    for date in reversed(dates[:-1]):
        text += (
            f"; on {date}, {count(counts.loc[date, area])} "
            f"({SCOTLAND}: {count(counts.loc[date, SCOTLAND])})"
        )
    return text + "."


def good_or_better_sentence(trend: pd.DataFrame, area: str) -> str:
    """The share of ``area``'s graded children's services good or better at the latest
    snapshot and the first, against Scotland; 'not known' where the area had none graded.

    ``trend`` is :func:`helpers.care_analysis.good_or_better_trend`.
    """
    here, there = trend[area], trend[SCOTLAND]
    last, first = trend.index[-1], trend.index[0]

    def share(value) -> str:
        return "not known (no service graded)" if pd.isna(value) else pct(value)

    text = (
        f"On {day(last)}, the lowest grade of {share(here.loc[last])} of {area}'s graded "
        f"children's services was good or better ({SCOTLAND}: {pct(there.loc[last])})"
    )
    if first != last:
        text += f"; on {day(first)}, {share(here.loc[first])} ({SCOTLAND}: {pct(there.loc[first])})"
    return text + "."


def weak_sentence(table: pd.DataFrame, date, area: str) -> str:
    """How many of ``area``'s graded children's services were weak or worse at ``date``, by type.

    ``table`` is :func:`helpers.care_analysis.weak_by_type`.
    """
    weak = table[f"{area}: weak or worse"]
    graded = int(table[f"{area}: graded"].sum())
    if graded == 0:
        return f"No children's service in {area} was graded on {day(date)}: this is not known."
    n = int(weak.sum())
    if n == 0:
        return (
            f"On {day(date)}, none of {area}'s {plural(graded, 'graded service')} had a lowest "
            "grade of weak or worse."
        )
    kinds = "; ".join(
        f"{name.lower()}, {number_word(int(k))}" for name, k in weak[weak > 0].items()
    )
    verb = "was" if n == 1 else "were"
    return (
        f"On {day(date)}, {number_word(n)} of {area}'s {count_words(graded)} graded children's "
        f"services {verb} graded weak or worse on at least one measure (by type: {kinds})."
    )


def compared_dates_sentence(before, after) -> str:
    """'This compares the snapshots of 31 March 2026 and 31 May 2026.'"""
    return f"This compares the register on {day(before)} with the register on {day(after)}."


def changes_sentence(table: pd.DataFrame, area: str) -> str:
    """What changed in ``area`` against Scotland, from :func:`helpers.changes.counts`.

    Examples
    --------
    >>> t = pd.DataFrame({"Fife": [0, 3, 1, 0, 2], "Scotland": [54, 84, 114, 11, 1125]},
    ...                  index=["newly registered", "cancelled", "a grade went down",
    ...                         "a grade fell to weak or worse", "a grade went up"])
    >>> print(changes_sentence(t, "Fife"))
    In Fife, no children's service was newly registered (Scotland: 54) and three were cancelled (Scotland: 84); one had a grade go down (Scotland: 114), none of them to weak or worse (Scotland: 11), and two had a grade go up (Scotland: 1,125).
    """  # noqa: E501
    here, there = table[area], table[SCOTLAND]

    def n(row: str) -> int:
        return int(here[row])

    def scot(row: str) -> str:
        return f" ({SCOTLAND}: {count_words(there[row])})"

    new = n("newly registered")
    was = "was" if new == 1 else "were"
    new_words = (
        "no children's service was" if new == 0 else f"{number_word(new)} children's services {was}"
    )
    if new == 1:
        new_words = "one children's service was"
    gone = n("cancelled")
    gone_words = f"{none_or_number(gone)} {'was' if gone == 1 else 'were'} cancelled"
    return (
        f"In {area}, {new_words} newly registered{scot('newly registered')} and {gone_words}"
        f"{scot('cancelled')}; {none_or_number(n('a grade went down'))} had a grade go down"
        f"{scot('a grade went down')}, {none_or_number(n('a grade fell to weak or worse'))} of "
        f"them to weak or worse{scot('a grade fell to weak or worse')}, and "
        f"{none_or_number(n('a grade went up'))} had a grade go up{scot('a grade went up')}."
    )


def sectors_sentence(table: pd.DataFrame, date, area: str) -> str:
    """The two sectors that run most of ``area``'s children's services at ``date``, each
    against Scotland (for any area: where local authorities run most, the next is named).

    ``table`` is :func:`helpers.care_analysis.by_sector` (shares as fractions).
    """
    shares = table.drop(columns="services", errors="ignore")
    here = shares.loc[(day(date), area)].sort_values(ascending=False, kind="stable")
    there = shares.loc[(day(date), SCOTLAND)]
    words = {"Local Authority": "local authorities", "Health Board": "health boards"}

    def who(sector: str) -> str:
        return words.get(sector, f"{sector.lower()} providers")

    parts = [
        f"{who(s)} ran {pct(here[s])} (Scotland: {pct(there[s])})"
        for s in here.index[:2]
        if here[s] > 0
    ]
    if not parts:
        return f"On {day(date)}, no children's service was registered in {area}."
    head, _, tail = parts[0].partition(" (")
    parts[0] = f"{head} of {area}'s registered children's services ({tail}"
    return f"On {day(date)}, {'; '.join(parts)}."


# --------------------------------------------------------------------------- what inspectors found


def _times(n: int) -> str:
    return plural(n, "inspection")


def published_phrase(date: pd.Timestamp, precision: str) -> str:
    """'published April 2018', 'published 12 April 2018', or 'publication date not found'."""
    if precision == "unknown" or pd.isna(date):
        return "publication date not found"
    return f"published {when(date, precision).split(' ', 1)[1]}"


def themes_lead_sentence(counts: pd.DataFrame) -> str:
    """What stands out in :func:`helpers.findings.theme_counts`: the theme most often named as
    something to improve, and as a strength, over every programme (ties named together)."""
    total = counts.groupby("theme_name", sort=False)[["strength", "to_improve"]].sum()
    parts, tops = [], []
    for column, what in (("to_improve", "something to improve"), ("strength", "a strength")):
        top = int(total[column].max()) if len(total) else 0
        if top == 0:
            continue
        names = [n for n, v in total[column].items() if v == top]
        if tops and tops[0] == names:
            parts.append(f"also as {what} (in {_times(top)})")
            continue
        tops.append(names)
        theme = join_words(names)
        most = "the themes" if len(names) > 1 else "the theme"
        parts.append(f"{theme} {'were' if len(names) > 1 else 'was'} {most} most often named "
                     f"as {what} (in {_times(top)})")  # fmt: skip
    if not parts:
        return "No finding in the data carries a theme."
    n = counts["programme"].nunique()
    return f"Across {plural(n, 'programme')}, {join_words(parts)}."


def programme_themes_sentence(
    counts: pd.DataFrame, programme: str, judged: int, inspected: int | None = None
) -> str:
    """For one programme: the themes most areas were told to improve, and praised for, out of
    the ``judged`` areas whose findings record a strength or thing to improve (of ``inspected``
    inspected, where findings are missing for some).

    Examples
    --------
    >>> c = pd.DataFrame({"programme": ["cyp-2012"] * 2, "theme_name": ["Workforce", "Neglect"],
    ...                   "to_improve": [8, 2], "strength": [0, 15]})
    >>> programme_themes_sentence(c, "cyp-2012", 26, 32)
    'Children and young people, 2012-2017 (findings recorded for 26 of 32 areas): eight of the 26 were told to improve workforce; 15 of the 26 were praised for neglect.'
    """  # noqa: E501
    c = counts[counts["programme"] == programme]
    partial = inspected is not None and judged < inspected
    parts = []
    for column, what in (("to_improve", "told to improve"), ("strength", "praised for")):
        top = int(c[column].max()) if len(c) else 0
        if top:
            names = [lower_first(n) for n in c.loc[c[column] == top, "theme_name"]]
            many = (
                f"{number_word(top)} of the {number_word(judged)} were"
                if partial
                else f"{of_phrase(top, judged)} areas were"
            )
            parts.append(f"{many} {what} {join_words(names)}")
    if not parts:
        return f"No finding of {programme_name(programme)} carries a theme."
    name = capitalise(programme_name(programme))
    if partial:
        name += f" (findings recorded for {of_phrase(judged, inspected)} areas)"
    return f"{name}: {'; '.join(parts)}."


def notes_coverage_sentence(coverage: pd.DataFrame, without: list[str], areas: int) -> str:
    """What the findings cover and what they do not, said plainly."""
    have = areas - len(without)
    parts = [
        f"{capitalise(programme_name(p))}, {of_phrase(int(r.with_judgements), int(r.inspected))}"
        for p, r in coverage.iterrows()
    ]
    missing = f"; none for {join_words(without)}" if without else ""
    return (
        f"The findings cover {of_phrase(have, areas)} council areas{missing}. Inspections with a "
        f"strength or something to improve recorded, by programme: {'; '.join(parts)}. They are "
        "taken from news pages and releases, not from the full reports, which were not reached: "
        "a release reports a few points of a report, so a theme missing from an area's findings "
        "is not evidence that inspectors did not raise it."
    )


def heard_same_sentence(area: str, programme: str, published: str, themes, others) -> str:
    """An inspection's things to improve, and the other inspections told the same (named)."""
    if themes.empty:
        return f"No theme is recorded among {area}'s things to improve in this programme."
    lines = [
        f"{area} was told, in its {programme_name(programme)} inspection ({published}), to "
        f"improve {join_words(lower_first(n) for n in themes['name'])}."
    ]
    for _, theme in themes.iterrows():
        same = others[others["theme"] == theme["theme"]]
        name = lower_first(theme["name"])
        if same.empty:
            lines.append(f"No other inspection in the data was told to improve {name}.")
            continue
        named = [
            f"{r.council_area} ({programme_name(r.programme)}; "
            f"{published_phrase(r.published_date, r.published_precision)})"
            for r in same.itertuples()
        ]
        lines.append(
            f"{capitalise(number_word(len(same)))} other "
            f"{'inspection was' if len(same) == 1 else 'inspections were'} told to improve "
            f"{name}: {join_words(named)}."
        )
    return " ".join(lines)


# --------------------------------------------------------------------------- rank and company

_ORDINALS = ("", "", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")


def ordinal(n: int) -> str:
    """'second', 'ninth', '12th', '21st' (below ten in words; 1 is 'first').

    Examples
    --------
    >>> ordinal(1), ordinal(3), ordinal(11), ordinal(22)
    ('first', 'third', '11th', '22nd')
    """
    n = int(n)
    if n == 1:
        return "first"
    if 1 < n < 10:
        return _ORDINALS[n]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def company(names: list[str], most: int = 3) -> str:
    """'tied with none', 'tied with Fife', 'tied with Fife and Moray', or, past ``most`` names,
    'tied with five other areas'."""
    if not names:
        return "tied with none"
    if len(names) > most:
        return f"tied with {number_word(len(names))} other areas"
    return f"tied with {join_words(names)}"


def rank_phrase(s: Standing, tied: list[str]) -> str:
    """Where a share stands among the areas whose split is known, with its company: 'the
    highest share of the 20 areas whose split is known, tied with none'.

    ``tied`` names the areas with the same share (:func:`helpers.grades.same_share`). Ties
    share a place: two areas above and one level gives 'the third-highest share'.

    Examples
    --------
    >>> rank_phrase(Standing("A", 8, 9, 0, 0, 19), [])
    'the highest share of the 20 areas whose split is known, tied with none'
    >>> rank_phrase(Standing("A", 0, 9, 12, 7, 0), ["B", "C", "D", "E", "F", "G", "H"])
    'the lowest share of the 20 areas whose split is known, tied with seven other areas'
    >>> rank_phrase(Standing("A", 6, 9, 3, 1, 15), ["B"])
    'the fourth-highest share of the 20 areas whose split is known, tied with B'
    """
    if s.areas <= 1:
        return "the only area whose split of grades is known"
    if s.larger == 0:
        where = "the highest share"
    elif s.smaller == 0:
        where = "the lowest share"
    else:
        where = f"the {ordinal(s.larger + 1)}-highest share"
    return f"{where} of the {number_word(s.areas)} areas whose split is known, {company(tied)}"


def rank_sentence(s: Standing, tied: list[str], group: str = "very good or better") -> str:
    """An area's share of its indicators in a group of grades, with its rank and company.

    Examples
    --------
    >>> rank_sentence(Standing("Perth and Kinross", 8, 9, 0, 0, 19), [])
    'Perth and Kinross had eight of nine indicators very good or better: the highest share of the 20 areas whose split is known, tied with none.'
    """  # noqa: E501
    if s.total == 1:
        own = f"{s.area}'s one graded indicator was {'' if s.top else 'not '}{group}"
    else:
        own = f"{s.area} had {of_phrase(s.top, s.total)} indicators {group}"
    return f"{own}: {rank_phrase(s, tied)}."


def share_range_sentence(shares: Mapping[str, object], group: str = "very good or better") -> str:
    """The spread of a share across the areas whose split is known, lowest and highest with
    the areas at each (named up to two, else counted).

    ``shares`` maps area -> share (a fraction; :func:`helpers.grades.group_shares`).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> share_range_sentence({"A": F(8, 9), "B": F(0), "C": F(0), "D": F(0), "E": F(1, 3)})
    'Across the five areas whose split is known, the share of indicators very good or better runs from 0% in three areas to 89% in A.'
    """  # noqa: E501
    if not shares:
        return "No area's split of grades is known."
    values = {a: float(v) for a, v in shares.items()}
    low, high = min(values.values()), max(values.values())

    def where(share: float) -> str:
        areas = sorted(a for a, v in values.items() if pct(v) == pct(share))
        return (
            f"in {join_words(areas)}" if len(areas) <= 2 else f"in {number_word(len(areas))} areas"
        )

    head = f"Across the {number_word(len(values))} areas whose split is known"
    if low == high:
        return f"{head}, the share of indicators {group} is {pct(low)} in every one."
    return (
        f"{head}, the share of indicators {group} runs from {pct(low)} {where(low)} to "
        f"{pct(high)} {where(high)}."
    )


def split_known_sentence(known: int, areas: int) -> str:
    """How many council areas can be compared, and that the rest are not.

    Examples
    --------
    >>> split_known_sentence(20, 32)
    'The split of grades is known for 20 of 32 council areas; the other 12 are left out of the comparison, not counted as zero.'
    """  # noqa: E501
    if known == areas:
        return f"The split of grades is known for all {number_word(areas)} council areas."
    return (
        f"The split of grades is known for {number_word(known)} of {number_word(areas)} council "
        f"areas; the other {number_word(areas - known)} are left out of the comparison, not "
        "counted as zero."
    )


def known_grades_phrase(bases: pd.Series, total: int, where: str = "", judged: bool = True) -> str:
    """How many of ``total`` indicator grades are known, and how: named by a source, or
    derived by elimination from the counts (``basis`` 'derived'). A wording matched to an
    indicator only by judgement (``ambiguous``) is never counted as a grade; ``judged`` says
    how many there are beside the count (leave it out where marks say so). ``where`` follows
    'indicator grades'.

    Examples
    --------
    >>> known_grades_phrase(pd.Series(["stated"] * 21 + ["ambiguous"] * 3 + ["derived"] * 4), 117)
    'sources name 21 of 117 indicator grades and four more follow from the counts by elimination (three more wordings fit a grade only by judgement and are not counted); the other 92 are unknown'
    """  # noqa: E501
    bases = pd.Series(bases, dtype=object)
    derived = int((bases == "derived").sum())
    n_judged = int((bases == "ambiguous").sum())
    named = len(bases) - derived - n_judged
    text = f"sources name {number_word(named)} of {number_word(total)} indicator grades{where}"
    if derived:
        follow = "follows" if derived == 1 else "follow"
        text += f" and {number_word(derived)} more {follow} from the counts by elimination"
    if judged and n_judged:
        fit = "wording fits" if n_judged == 1 else "wordings fit"
        text += (
            f" ({number_word(n_judged)} more {fit} a grade only by judgement and "
            f"{'is' if n_judged == 1 else 'are'} not counted)"
        )
    unknown = total - named - derived
    return text + (f"; the other {number_word(unknown)} are unknown" if unknown else "")


def later_rounds_sentence(
    inspected: pd.DataFrame, areas: int, named: pd.DataFrame | None = None
) -> str:
    """How few inspections of the later programmes are in the data, and (given ``named``, the
    grades a source names, with ``programme`` and ``council_area``) for how many of them a
    grade is known.

    ``inspected`` has one row per inspection (``programme``, ``council_area``), as
    :func:`helpers.inspections.later_rounds_data` gives; ``areas`` is how many council areas
    there are.

    Examples
    --------
    >>> t = pd.DataFrame({"programme": ["p", "p", "q"], "council_area": ["A", "B", "A"]})
    >>> later_rounds_sentence(t, 32)
    'Only three inspections of the later programmes are known, of 32 council areas: two in p and one in q; too few to rank the areas.'
    >>> later_rounds_sentence(t, 32, t.iloc[[0, 0]])
    'Only three inspections of the later programmes are known, of 32 council areas: two in p and one in q; a grade is known for one of them; too few to rank the areas.'
    """  # noqa: E501
    counts = inspected.groupby("programme", sort=False).size()
    parts = [f"{number_word(int(n))} in {programme_name(p)}" for p, n in counts.items()]
    n = int(counts.sum())
    graded = ""
    if named is not None:
        keys = set(zip(named["programme"], named["council_area"], strict=True))
        k = sum(
            key in keys
            for key in zip(inspected["programme"], inspected["council_area"], strict=True)
        )
        if k == 0:
            graded = "; no grade of any of them is known"
        else:
            graded = (
                f"; {'a grade is' if k == 1 else 'grades are'} known for "
                f"{'all' if k == n and n > 1 else number_word(k)} of them"
            )
    return (
        f"Only {number_word(n)} {'inspection' if n == 1 else 'inspections'} of the later "
        f"programmes {'is' if n == 1 else 'are'} known, of {number_word(areas)} council areas: "
        f"{join_words(parts)}{graded}; too few to rank the areas."
    )


# --------------------------------------------------------------------------- one inspection


def inspection_sentence(area: str, counts, published, precision: str, what: str) -> str:
    """An inspection's grades with its publication date in words.

    Examples
    --------
    >>> inspection_sentence("Perth and Kinross", {"excellent": 2, "very good": 6, "good": 1},
    ...     pd.Timestamp("2018-04-01"), "month", "the joint inspection of services for children")
    'In the joint inspection of services for children in Perth and Kinross, published in April 2018, of nine quality indicators, two were graded excellent, six very good and one good.'
    """  # noqa: E501
    return release_sentence(
        counts, lead=f"In {what} in {area}, published {when_words(published, precision)}"
    )


def when_words(date, precision: str) -> str:
    """:func:`when` without 'on a date not known' reading oddly after 'published'."""
    return (
        "on a date not known" if precision == "unknown" or pd.isna(date) else when(date, precision)
    )


def _sentence_body(text: str) -> str:
    """A finding as a clause: first letter lower case (not a name's), no final full stop."""
    text = text.strip().rstrip(".")
    first = text.split(" ", 1)[0]
    return text if first.isupper() or first in ("I",) else text[:1].lower() + text[1:]


def findings_sentences(findings: pd.DataFrame) -> list[str]:
    """What the inspectors praised first and what they asked to improve, from the findings
    (``kind`` and ``finding``, in the source's order; :func:`helpers.inspections.findings_table`).

    Examples
    --------
    >>> f = pd.DataFrame({"kind": ["strength", "strength", "to improve"],
    ...                   "finding": ["Leaders were strong.", "Staff listened.", "Plan more."]})
    >>> findings_sentences(f)
    ['Inspectors named two strengths, first that leaders were strong.', 'They asked for one improvement: to plan more.']
    """  # noqa: E501
    strengths = findings.loc[findings["kind"] == "strength", "finding"].tolist()
    improve = findings.loc[findings["kind"] == "to improve", "finding"].tolist()
    out = []
    if strengths:
        what = "strength" if len(strengths) == 1 else "strengths, first"
        out.append(
            f"Inspectors named {number_word(len(strengths))} {what} that "
            f"{_sentence_body(strengths[0])}."
        )
    if improve:
        noun = "improvement" if len(improve) == 1 else "improvements"
        out.append(
            f"They asked for {number_word(len(improve))} {noun}: "
            f"{join_words([f'to {_sentence_body(f)}' for f in improve])}."
        )
    return out


def earlier_sentence(counts, short_name: str) -> str:
    """An earlier inspection on another framework: its grades, and that they are no trend.

    ``short_name`` is the programme's reader name ('child protection, 2009-2012').

    Examples
    --------
    >>> earlier_sentence({"excellent": 3, "very good": 3}, "child protection, 2009-2012")
    'In the earlier child protection inspection (2009-2012), of six quality indicators, three were graded excellent and three very good; it graded other indicators, so the two are not a trend.'
    """  # noqa: E501
    topic, _, period_words = short_name.rpartition(", ")
    lead = f"In the earlier {topic or short_name} inspection" + (
        f" ({period_words})" if topic else ""
    )
    text = release_sentence(counts, lead=lead).rstrip(".")
    return f"{text}; it graded other indicators, so the two are not a trend."


# --------------------------------------------------------------------------- data quality


def coverage_key_sentence(summary: pd.DataFrame, programme: str) -> str:
    """How many areas have a full split, ``programme`` first, then the others.

    ``summary`` is :func:`helpers.quality.coverage_summary` (index: programme ids).

    Examples
    --------
    >>> t = pd.DataFrame({"full split": [11, 20, 1], "areas": [32, 32, 32]},
    ...                  index=["cp-2009", "cyp-2012", "care-protection-2018"])
    >>> coverage_key_sentence(t, "cyp-2012")  # doctest: +ELLIPSIS
    'The split of grades is known for 20 of 32 council areas in children and young people, 2012-2017; in the other programmes, for 11 (child protection, 2009-2012) and one (care and protection, 2018-2020).'
    """  # noqa: E501
    main = summary.loc[programme]
    text = (
        f"The split of grades is known for {number_word(int(main['full split']))} of "
        f"{number_word(int(main['areas']))} council areas in {programme_name(programme)}"
    )
    others = [
        f"{number_word(int(r['full split']))} ({programme_name(p)})"
        for p, r in summary.iterrows()
        if p != programme
    ]
    return text + (f"; in the other programmes, for {join_words(others)}." if others else ".")


def named_basis_sentence(cells: pd.DataFrame, indicators: int, programme: str) -> str:
    """Which indicator got which grade: how many grades are known in how many areas, named or
    derived (``cells`` is :func:`helpers.inspections.named_cells`, with ``basis``).

    Examples
    --------
    >>> c = pd.DataFrame({"council_area": ["A", "A", "B"], "basis": ["stated", "derived", "ambiguous"]})
    >>> named_basis_sentence(c, 9, "cyp-2012")
    'Which indicator got which grade is known in two areas for children and young people, 2012-2017: sources name one of 18 indicator grades and one more follows from the counts by elimination (one more wording fits a grade only by judgement and is not counted); the other 16 are unknown.'
    """  # noqa: E501
    areas = cells["council_area"].nunique()
    if areas == 0:
        return f"No source names which indicator got which grade in {programme_name(programme)}."
    phrase = known_grades_phrase(cells["basis"], areas * indicators)
    return (
        f"Which indicator got which grade is known in {plural(areas, 'area')} for "
        f"{programme_name(programme)}: {phrase}."
    )


def conflicts_key_sentence(conflicts: pd.DataFrame) -> str:
    """The recorded conflicts in one sentence (:func:`helpers.quality.conflicts`).

    Examples
    --------
    >>> t = pd.DataFrame({"council_area": ["X"], "indicators_stated": [10],
    ...                   "programme_grades": [9]})
    >>> conflicts_key_sentence(t)
    'One source conflicts with its programme: for X it counts 10 graded indicators where the programme grades nine; it is kept as published and flagged.'
    """  # noqa: E501
    if conflicts.empty:
        return "No source conflicts with its programme."
    parts = [
        f"for {r.council_area} it counts {number_word(int(r.indicators_stated))} graded "
        "indicators "
        f"where the programme grades {number_word(int(r.programme_grades))}"
        for r in conflicts.itertuples()
    ]
    n = len(parts)
    head = "One source conflicts" if n == 1 else f"{capitalise(number_word(n))} sources conflict"
    kept = "it is" if n == 1 else "each is"
    return f"{head} with its programme: {'; '.join(parts)}; {kept} kept as published and flagged."


def date_precision_sentence(table: pd.DataFrame) -> str:
    """How precisely the publication dates are known, over every programme
    (:func:`helpers.quality.date_precision`: inspections by precision).

    Examples
    --------
    >>> t = pd.DataFrame({"day": [0, 12], "month": [0, 7], "year": [0, 8], "unknown": [11, 5]})
    >>> date_precision_sentence(t)
    'Of 43 inspections, 12 are dated to the day, seven to the month only and eight to the year only; for 16 the publication date is not known.'
    """  # noqa: E501
    total = table.sum()
    n = int(total.sum())
    day_ = int(total.get("day", 0))
    parts = [f"{count_words(day_)} are dated to the day"]
    parts += [
        f"{count_words(int(total[k]))} to the {k} only"
        for k in ("month", "year")
        if int(total.get(k, 0))
    ]
    unknown = int(total.get("unknown", 0))
    tail = f"; for {count_words(unknown)} the publication date is not known" if unknown else ""
    return f"Of {count_words(n)} inspections, {join_words(parts)}{tail}."


def sources_key_sentence(sources: pd.DataFrame, uncited: pd.DataFrame) -> str:
    """Where the data come from: pages, domains, the domain cited most, inspections that cite
    no page (:func:`helpers.quality.sources`, :func:`helpers.quality.uncited_inspections`).

    Examples
    --------
    >>> s = pd.DataFrame({"source_url": ["a/1", "a/2", "b/1"], "domain": ["a", "a", "b"]})
    >>> sources_key_sentence(s, pd.DataFrame({"published": [""]}))
    'Everything rests on three public pages on two web domains, the most cited being a (two of three citations); one inspection cites no page.'
    """  # noqa: E501
    by_domain = sources["domain"].value_counts()
    top = sorted(by_domain[by_domain == by_domain.max()].index)
    text = (
        f"Everything rests on {count_words(sources['source_url'].nunique())} public pages on "
        f"{count_words(len(by_domain))} web domains, the most cited being {join_words(top)} "
        f"({count_words(int(by_domain.max()))} of {count_words(len(sources))} citations)"
    )
    n = len(uncited)
    if n:
        text += f"; {number_word(n)} {'inspection cites' if n == 1 else 'inspections cite'} no page"
    return text + "."


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def date_text_in_words(text: object) -> str:
    """A date as the data write it ('2016-11', '2013-09-18', '2016', '') in words.

    Examples
    --------
    >>> date_text_in_words("2016-11"), date_text_in_words("2013-09-18"), date_text_in_words("")
    ('November 2016', '18 September 2013', 'not known')
    """
    value = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    value = value.strip()
    if not value:
        return "not known"
    if _DAY.match(value):
        return day(pd.Timestamp(value))
    if _MONTH.match(value):
        return f"{pd.Timestamp(value + '-01'):%B %Y}"
    return value


def dates_in_words(table: pd.DataFrame, column: str = "published") -> pd.DataFrame:
    """``table`` with the dates in ``column`` in words (:func:`date_text_in_words`)."""
    out = table.copy()
    out[column] = out[column].map(date_text_in_words)
    return out


def conflicts_table(conflicts: pd.DataFrame) -> pd.DataFrame:
    """The recorded conflicts for readers: the grades in words instead of six count columns
    (:func:`helpers.quality.conflicts`)."""
    rows = []
    for _, r in conflicts.iterrows():
        counts = {g: r[COUNT_COLUMNS[g]] for g in HIGHEST_FIRST}
        rows.append(
            {
                "council area": r["council_area"],
                "programme": programme_name(r["programme"]),
                "source counts": number_word(int(r["indicators_stated"])),
                "programme grades": number_word(int(r["programme_grades"])),
                "grades": describe_grades(counts).replace(" were graded", ""),
                "note": r["note"],
            }
        )
    columns = [
        "council area",
        "programme",
        "source counts",
        "programme grades",
        "grades",
        "note",
    ]
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- care services, 03


def scotland_scope_sentence(outside: int, date) -> str:
    """What Scotland's figures for registered services count: every children's service on the
    register, those it places outside Scotland included (:func:`helpers.care_analysis.outside_scotland`).

    Examples
    --------
    >>> scotland_scope_sentence(3, pd.Timestamp("2026-05-31"))
    "Scotland's figures count every children's service on the Care Inspectorate's register, including the three it places outside Scotland on 31 May 2026."
    """  # noqa: E501
    head = "Scotland's figures count every children's service on the Care Inspectorate's register"
    if outside == 0:
        return f"{head}; on {day(date)} it placed none outside Scotland."
    return (
        f"{head}, including the {count_words(outside)} it places outside Scotland on {day(date)}."
    )


def snapshot_dates_sentence(dates) -> str:
    """Which dates the snapshots are of: how many at a quarter's end, the others, and the
    quarters with none.

    Examples
    --------
    >>> d = pd.to_datetime(["2016-03-31", "2017-03-31", "2017-06-30", "2017-08-02"])
    >>> snapshot_dates_sentence(d)
    'Three snapshots are of the last day of a quarter, and one of 2 August 2017; there is none for the quarters ending 30 June 2016, 30 September 2016 and 31 December 2016.'
    """  # noqa: E501
    unique = sorted({pd.Timestamp(x) for x in dates})
    ends = [x for x in unique if x == (x + pd.offsets.QuarterEnd(0))]
    others = [x for x in unique if x not in ends]
    text = f"{capitalise(count_words(len(ends)))} "
    text += "snapshot is" if len(ends) == 1 else "snapshots are"
    text += " of the last day of a quarter"
    if others:
        text += f", and {count_words(len(others))} of {join_words(day(x) for x in others)}"
    present = {x.to_period("Q") for x in unique}
    every = pd.period_range(unique[0].to_period("Q"), unique[-1].to_period("Q"), freq="Q")
    missing = [q for q in every if q not in present]
    if missing:
        quarters = join_words(day(q.end_time.normalize()) for q in missing)
        text += (
            f"; there is none for the quarter{'s' if len(missing) > 1 else ''} ending {quarters}"
        )
    return text + "."


def framework_caution(switch, first, last) -> str:
    """The caution a change in the share very good or better between ``first`` and ``last``
    needs when the register switched grading framework (``switch``, the first snapshot where
    most services are graded on key questions) between them; '' otherwise.

    Examples
    --------
    >>> framework_caution(pd.Timestamp("2022-12-31"), pd.Timestamp("2017-12-31"),
    ...     pd.Timestamp("2026-05-31"))
    "Part of this change comes from the register's switch of grading framework in December 2022, when it began to show every service's latest grades under key questions, not from new inspections alone."
    """  # noqa: E501
    if switch is None or not (pd.Timestamp(first) < pd.Timestamp(switch) <= pd.Timestamp(last)):
        return ""
    return (
        "Part of this change comes from the register's switch of grading framework in "
        f"{pd.Timestamp(switch):%B %Y}, when it began to show every service's latest grades "
        "under key questions, not from new inspections alone."
    )


def read_problems_sentence(problems: pd.DataFrame) -> str:
    """What in the monthly files could not be read as published, counted by kind
    (:attr:`helpers.care_services.CareServices.problems`).

    Examples
    --------
    >>> t = pd.DataFrame({"problem": ["repeated row", "repeated row",
    ...     "3 UTF-8 characters inside Windows-1252 text (read as UTF-8)",
    ...     "council area not recognised"]})
    >>> read_problems_sentence(t)
    'Four things in the monthly files could not be read as published: two rows repeated exactly, one field of text saved in another character encoding and one council area that is not one.'
    """  # noqa: E501
    if problems.empty:
        return "Everything in the monthly files could be read as published."

    def kind(problem: str) -> str:
        if problem == "repeated row":
            return "row"
        if problem.startswith("the file is"):
            return "file"
        if "Windows-1252" in problem:
            return "field"
        if "council area" in problem:
            return "area"
        return "other"

    words = {
        "row": ("row repeated exactly", "rows repeated exactly"),
        "field": (
            "field of text saved in another character encoding",
            "fields of text saved in another character encoding",
        ),
        "file": (
            "whole file saved in another character encoding",
            "whole files saved in another character encoding",
        ),
        "area": ("council area that is not one", "council areas that are not one"),
        "other": ("other problem", "other problems"),
    }
    counts = problems["problem"].map(kind).value_counts()
    parts = [
        f"{count_words(int(counts[k]))} {words[k][0] if counts[k] == 1 else words[k][1]}"
        for k in words
        if k in counts
    ]
    n = len(problems)
    return (
        f"{capitalise(count_words(n))} {'thing' if n == 1 else 'things'} in the monthly files "
        f"could not be read as published: {join_words(parts)}."
    )


def grade_change_sentences(shares: pd.DataFrame, area: str) -> list[str]:
    """Good or better and very good or better, in ``area`` and Scotland, at the latest date and
    the first of :func:`helpers.care_analysis.grade_shares` (index: date in words, place).

    Examples
    --------
    >>> idx = pd.MultiIndex.from_tuples([("31 December 2017", "A"), ("31 December 2017", "Scotland"),
    ...     ("31 May 2026", "A"), ("31 May 2026", "Scotland")])
    >>> t = pd.DataFrame({"excellent": [0.02, 0.02, 0.01, 0.01], "very good": [0.46, 0.41, 0.19, 0.30],
    ...     "good or better": [0.91, 0.90, 0.90, 0.91], "services graded": [290, 8885, 195, 6143]}, index=idx)
    >>> for s in grade_change_sentences(t, "A"): print(s)
    On 31 May 2026, 90% of A's 195 graded children's services had a lowest grade of good or better (Scotland: 91%); on 31 December 2017, 91% (Scotland: 90%).
    In A, the share of graded children's services with a lowest grade of very good or excellent fell from 48% on 31 December 2017 to 20% on 31 May 2026 (Scotland: from 43% to 31%).
    """  # noqa: E501
    dates = list(dict.fromkeys(shares.index.get_level_values(0)))
    last, first = dates[-1], dates[0]

    def value(date, place, column) -> float:
        return float(shares.loc[(date, place), column])

    def top(date, place) -> float:
        return value(date, place, "excellent") + value(date, place, "very good")

    graded = int(shares.loc[(last, area), "services graded"])
    if graded == 0:
        return [f"No children's service in {area} was graded on {last}."]
    good = (
        f"On {last}, {pct(value(last, area, 'good or better'))} of {area}'s "
        f"{count_words(graded)} graded children's services had a lowest grade of good or better "
        f"({SCOTLAND}: {pct(value(last, SCOTLAND, 'good or better'))})"
    )
    if first == last:
        return [good + "."]
    good += (
        f"; on {first}, {pct(value(first, area, 'good or better'))} "
        f"({SCOTLAND}: {pct(value(first, SCOTLAND, 'good or better'))})."
    )
    before, after = top(first, area), top(last, area)
    verb = "rose" if pct(after) > pct(before) and after > before else "fell"
    if pct(after) == pct(before):
        change = (
            f"In {area}, the share of graded children's services with a lowest grade of very "
            f"good or excellent was {pct(after)} on both {first} and {last}"
        )
    else:
        change = (
            f"In {area}, the share of graded children's services with a lowest grade of very "
            f"good or excellent {verb} from {pct(before)} on {first} to "
            f"{pct(after)} on {last}"
        )
    change += f" ({SCOTLAND}: from {pct(top(first, SCOTLAND))} to {pct(top(last, SCOTLAND))})."
    return [good, change]


def tied_with(n: int) -> str:
    """'tied with none', 'tied with one other area', 'tied with 12 other areas'."""
    return "tied with none" if n == 0 else f"tied with {plural(n, 'other area')}"


def place_phrase(s: Standing, among: bool = True) -> str:
    """Rank and company: 'the highest share of the 20 areas whose split is known, tied with none'.

    The rank counts the areas with a larger share (so ties share a rank); ``among=False`` leaves
    out 'of the 20 areas ...' where a sentence before has said it.

    Examples
    --------
    >>> place_phrase(Standing("A", 8, 9, 0, 0, 19))
    'the highest share of the 20 areas whose split is known, tied with none'
    >>> place_phrase(Standing("A", 0, 9, 18, 1, 0), among=False)
    'the lowest share, tied with one other area'
    >>> place_phrase(Standing("A", 5, 9, 3, 2, 14))
    'the fourth-highest share of the 20 areas whose split is known, tied with two other areas'
    """
    if s.areas <= 1:
        return "no other area's split of grades is known"
    if s.larger == 0 and s.smaller == 0:
        others = plural(s.areas - 1, "area")
        return f"the same share as each of the other {others} whose split is known"
    place = (
        "the highest"
        if s.larger == 0
        else "the lowest"
        if s.smaller == 0
        else f"the {ordinal(s.larger + 1)}-highest"
    )
    of = f" of the {number_word(s.areas)} areas whose split is known" if among else ""
    return f"{place} share{of}, {tied_with(s.same)}"


def rank_sentences(standings: list[tuple[Standing, str]]) -> str:
    """Where an area stands in each group of grades, as rank and company, the first group first.

    ``standings`` pairs a :class:`~helpers.grades.Standing` with its group's words ('very good
    or better'); all are of one area in one programme. The full comparison is the table's.

    Examples
    --------
    >>> print(rank_sentences([(Standing("Moray", 4, 9, 0, 0, 19), "weak or worse"),
    ...                       (Standing("Moray", 0, 9, 18, 1, 0), "good or better")]))
    Moray had four of nine indicators weak or worse: the highest share of the 20 areas whose split is known, tied with none. None was good or better: the lowest share, tied with one other area.
    """  # noqa: E501
    out = []
    for i, (s, what) in enumerate(standings):
        if s.total == 1:
            head = f"{s.area}'s one graded indicator" if i == 0 else "It"
            own = f"{head} was {'' if s.top else 'not '}{what}"
        elif i == 0:
            own = f"{s.area} had {of_phrase(s.top, s.total)} indicators {what}"
        elif s.top == 0:
            own = f"None was {what}"
        else:
            count = capitalise(of_phrase(s.top, s.total))
            own = f"{count} {'was' if s.top == 1 else 'were'} {what}"
        if s.areas <= 1:
            out.append(f"{own}; no other area's split of grades is known.")
            break
        out.append(f"{own}: {place_phrase(s, among=i == 0)}.")
    return " ".join(out)


def _programme_words(programme: str, more: str = "") -> str:
    """'the children at risk of harm programme (2020-2025)' from its reader's name; ``more`` is
    added in the brackets ('2020-2025; published May 2023')."""
    name, _, period = programme_name(programme).rpartition(", ")
    if not name:
        return f"the {period} programme" + (f" ({more})" if more else "")
    return f"the {name} programme ({period}{'; ' + more if more else ''})"


def latest_grades_clause(counts: pd.Series, named: list[tuple[str, str]]) -> str:
    """An inspection's grades for a key point: the split, its one grade, named grades, or none.

    ``counts`` is :func:`helpers.inspections.counts_of`; ``named`` the (indicator, grade) pairs a
    source states.

    Examples
    --------
    >>> latest_grades_clause(as_counts({"adequate": 1}), [("Impact on children", "adequate")])
    'its one graded indicator, impact on children, was adequate'
    >>> latest_grades_clause(as_counts({"good": pd.NA}), [])
    "no source gives its split of grades or names an indicator's grade"
    """
    if not counts.isna().any():
        total = int(counts.sum())
        if total == 1:
            grade = next(g for g in HIGHEST_FIRST if counts[g] > 0)
            which = f", {named[0][0][:1].lower()}{named[0][0][1:]}," if len(named) == 1 else ""
            return f"its one graded indicator{which} was {grade}"
        return f"of {plural(total, 'quality indicator')}, {describe_grades(counts)}"
    if named:
        pairs = join_words(f"{ind[:1].lower()}{ind[1:]}, {grade}" for ind, grade in named)
        return f"the split of grades was not found; sources name {pairs}"
    return "no source gives its split of grades or names an indicator's grade"


def latest_inspection_sentence(
    area: str, programme: str, published: str, counts: pd.Series, named: list[tuple[str, str]]
) -> str:
    """The area's latest joint inspection and its grades, for the key points.

    Examples
    --------
    >>> latest_inspection_sentence("Fife", "care-protection-2018", "publication date not found",
    ...                            as_counts({"good": pd.NA}), [])
    "Fife's latest joint inspection was in the care and protection programme (2018-2020; publication date not found): no source gives its split of grades or names an indicator's grade."
    """  # noqa: E501
    return (
        f"{area}'s latest joint inspection was in {_programme_words(programme, published)}: "
        f"{latest_grades_clause(counts, named)}."
    )


def findings_count_sentence(kinds: pd.Series) -> str:
    """How many strengths and things to improve are recorded of an inspection.

    ``kinds`` is the ``kind`` column of its findings.

    Examples
    --------
    >>> findings_count_sentence(pd.Series(["strength", "strength", "to improve", "method"]))
    "Inspectors' findings recorded from it: two strengths and one thing to improve."
    >>> findings_count_sentence(pd.Series([], dtype=object))
    'No finding of it was found in the sources reached.'
    """
    strengths = int((kinds == "strength").sum())
    improve = int((kinds == "to improve").sum())
    if strengths == improve == 0:
        return "No finding of it was found in the sources reached."

    def count(n: int, word: str) -> str:
        return f"no {word}s" if n == 0 else plural(n, word)

    return (
        f"Inspectors' findings recorded from it: {count(strengths, 'strength')} and "
        f"{count(improve, 'thing')} to improve."
    )


def standing_key_point(programme: str, standings: list[tuple[Standing, str]]) -> str:
    """'In the children and young people programme (2012-2017), Moray had ...' (first group)."""
    return f"In {_programme_words(programme)}, {rank_sentences(standings[:1])}"


def care_good_key_point(trend: pd.DataFrame, area: str) -> str:
    """The share of the area's graded children's services good or better at the latest snapshot,
    against Scotland (``trend`` is :func:`helpers.care_analysis.good_or_better_trend`).

    Examples
    --------
    >>> t = pd.DataFrame({"Fife": [0.9], "Scotland": [0.91]}, index=[pd.Timestamp("2026-05-31")])
    >>> care_good_key_point(t, "Fife")
    "On 31 May 2026, 90% of Fife's graded children's services had a lowest grade of good or better, against 91% in Scotland."
    """  # noqa: E501
    last = trend.index[-1]
    here, there = trend.loc[last, area], trend.loc[last, SCOTLAND]
    if pd.isna(here):
        return f"On {day(last)}, no children's service in {area} was graded."
    return (
        f"On {day(last)}, {pct(here)} of {area}'s graded children's services had a lowest grade "
        f"of good or better, against {pct(there)} in {SCOTLAND}."
    )


def _services(n: int) -> str:
    return "no children's service" if n == 0 else plural(n, "children's service")


def recent_change_sentence(table: pd.DataFrame, area: str, before, after) -> str:
    """What changed in the area between two snapshots, without Scotland (for a profile).

    ``table`` is :func:`helpers.changes.counts`.

    Examples
    --------
    >>> t = pd.DataFrame({"Fife": [0, 3, 1, 0, 2], "Scotland": [54, 84, 114, 11, 125]},
    ...                  index=["newly registered", "cancelled", "a grade went down",
    ...                         "a grade fell to weak or worse", "a grade went up"])
    >>> print(recent_change_sentence(t, "Fife", "2026-03-31", "2026-05-31"))
    Between 31 March 2026 and 31 May 2026, no children's service in Fife was newly registered and three were cancelled; one had a grade go down, none of them to weak or worse, and two had a grade go up.
    >>> t["Fife"] = [0, 0, 0, 0, 1]
    >>> print(recent_change_sentence(t, "Fife", "2026-03-31", "2026-05-31"))
    Between 31 March 2026 and 31 May 2026, no children's service in Fife was newly registered and none were cancelled; none had a grade go down and one had a grade go up.
    """  # noqa: E501
    n = table[area].astype(int)
    new, gone, down = n["newly registered"], n["cancelled"], n["a grade went down"]
    new_words = f"{_services(new)} in {area} {'was' if new <= 1 else 'were'} newly registered"
    low = f", {none_or_number(n['a grade fell to weak or worse'])} of them to weak or worse,"
    return (
        f"Between {day(before)} and {day(after)}, {new_words} and {none_or_number(gone)} "
        f"{'was' if gone == 1 else 'were'} cancelled; {none_or_number(down)} had a grade go down"
        f"{low if down else ''} and {none_or_number(n['a grade went up'])} had a grade go up."
    )


def changes_key_points(
    table: pd.DataFrame, area: str, before, after, fell: pd.DataFrame
) -> list[str]:
    """05's key points: services newly registered and cancelled, grades down and up, and each
    service whose grade fell to weak or worse, in the area against Scotland.

    ``table`` is :func:`helpers.changes.counts`; ``fell`` :func:`helpers.care_analysis.grade_moves`
    of the area's services with a grade that fell to weak or worse (their names, never a
    childminder's).

    Examples
    --------
    >>> t = pd.DataFrame({"Fife": [1, 3, 1, 0, 2], "Scotland": [54, 84, 114, 11, 125]},
    ...                  index=["newly registered", "cancelled", "a grade went down",
    ...                         "a grade fell to weak or worse", "a grade went up"])
    >>> for s in changes_key_points(t, "Fife", "2026-03-31", "2026-05-31", pd.DataFrame()):
    ...     print(s)
    Between 31 March 2026 and 31 May 2026, one children's service was newly registered in Fife (Scotland: 54) and three were cancelled (Scotland: 84).
    One service had a grade go down (Scotland: 114) and two had a grade go up (Scotland: 125).
    No grade of a service in Fife fell to weak or worse (Scotland: 11 services).
    """  # noqa: E501
    here, there = table[area].astype(int), table[SCOTLAND].astype(int)

    def scot(row: str) -> str:
        return f"({SCOTLAND}: {count_words(there[row])})"

    new, gone = here["newly registered"], here["cancelled"]
    down, up = here["a grade went down"], here["a grade went up"]
    low = here["a grade fell to weak or worse"]
    first = (
        f"Between {day(before)} and {day(after)}, {_services(new)} "
        f"{'was' if new <= 1 else 'were'} newly registered in {area} {scot('newly registered')} "
        f"and {none_or_number(gone)} {'was' if gone == 1 else 'were'} cancelled "
        f"{scot('cancelled')}."
    )
    down_words = "No service" if down == 0 else capitalise(plural(down, "service"))
    second = (
        f"{down_words} had a grade go down {scot('a grade went down')} and "
        f"{none_or_number(up)} had a grade go up {scot('a grade went up')}."
    )
    scot_low = f"({SCOTLAND}: {plural(int(there['a grade fell to weak or worse']), 'service')})"
    if low == 0:
        third = f"No grade of a service in {area} fell to weak or worse {scot_low}."
    else:
        names = [
            "a childminder"
            if r["care service"] == "Child Minding"
            else f"{r['service']} ({r['care service'].lower()})"
            for _, r in fell.iterrows()
        ]
        which = f": {join_words(names)}" if names else ""
        third = (
            f"{capitalise(plural(low, 'service'))} in {area} had a grade fall to weak or worse "
            f"{scot_low}{which}."
        )
    return [first, second, third]


def not_inspected_lines(area: str, programmes: list[str]) -> list[str]:
    """One line per programme with no inspection of the area in the data.

    Examples
    --------
    >>> not_inspected_lines("Moray", ["cp-2009"])
    ['No inspection of Moray in the child protection programme (2009-2012) was found in the sources searched.']
    """  # noqa: E501
    return [
        f"No inspection of {area} in {_programme_words(p)} was found in the sources searched."
        for p in programmes
    ]


def inspection_unknowns(
    programme: str, published_known: bool, split_known: bool, unnamed: int, indicators: int
) -> list[str]:
    """What is not known about one inspection, one line per fact, each said once: its
    publication date, its split of grades, and how many indicators no source names.

    Examples
    --------
    >>> for line in inspection_unknowns("cyp-2012", False, True, 7, 9):
    ...     print(line)
    Children and young people, 2012-2017: the publication date was not found.
    Children and young people, 2012-2017: no source names the grade of seven of its nine indicators; they are shown as unknown.
    >>> inspection_unknowns("cp-2009", True, True, 6, 6)[-1]
    'Child protection, 2009-2012: no source names the grade of any of its six indicators.'
    >>> inspection_unknowns("cp-2009", True, False, 6, 6)
    ["Child protection, 2009-2012: no source gives its split of grades or any indicator's grade."]
    """  # noqa: E501
    name = capitalise(programme_name(programme))
    lines = []
    if not published_known:
        lines.append(f"{name}: the publication date was not found.")
    if not split_known and unnamed == indicators:  # nothing of its grades is known: one line
        lines.append(f"{name}: no source gives its split of grades or any indicator's grade.")
        return lines
    if not split_known:
        lines.append(f"{name}: the split of grades was not found in any source.")
    if unnamed and unnamed == indicators:
        lines.append(
            f"{name}: no source names the grade of any of its {number_word(indicators)} indicators."
            if indicators > 1
            else f"{name}: no source names the grade of its one indicator."
        )
    elif unnamed:
        lines.append(
            f"{name}: no source names the grade of {number_word(unnamed)} of its "
            f"{number_word(indicators)} indicators; they are shown as unknown."
        )
    return lines


_UNKNOWN_DATE = re.compile(
    r"(?:^|(?<=[.;]))\s*[^.;]*\bpublication date (?:unknown|not found|not known)[^.;]*[.;]?",
    re.IGNORECASE,
)


def note_without_unknown_date(note: str) -> str:
    """An inspection's note less any clause that only says its publication date is unknown
    (the page says that once, beside the date).

    Examples
    --------
    >>> note_without_unknown_date("Publication date unknown.")
    ''
    >>> note_without_unknown_date("Second cycle (about 2011-12); publication date unknown.")
    'Second cycle (about 2011-12).'
    >>> note_without_unknown_date("Level 3 counted as adequate.")
    'Level 3 counted as adequate.'
    """
    text = _UNKNOWN_DATE.sub("", str(note)).strip()
    text = re.sub(r"[;,]\s*$", "", text).strip()
    if text and not text.endswith((".", "!", "?")):
        text += "."
    return text


def lower_first(text: str) -> str:
    """A sentence's first letter made small, to go on after a comma ('Of nine ...' -> 'of nine')."""
    return text[:1].lower() + text[1:]


def top_themes_sentence(tags: pd.DataFrame, kind: str) -> str:
    """The theme (or tied themes) most often named as ``kind`` across every programme, with the
    inspections and the council areas they were named in.

    ``tags`` is :func:`helpers.findings.tagged` (a row per finding and theme).

    Examples
    --------
    >>> t = pd.DataFrame({"council_area": ["A", "A", "B", "C"],
    ...                   "programme": ["p1", "p2", "p1", "p1"],
    ...                   "kind": ["strength"] * 3 + ["to improve"],
    ...                   "theme_name": ["Workforce", "Workforce", "Workforce", "Neglect"]})
    >>> top_themes_sentence(t, "strength")
    'Counting every programme together, the theme most often named as a strength was workforce: in three inspections, of two council areas.'
    """  # noqa: E501
    what = "a strength" if kind == "strength" else "something to improve"
    mine = tags[tags["kind"] == kind]
    if mine.empty:
        return f"No finding in the data names a theme as {what}."
    visits = mine.drop_duplicates(["theme_name", "council_area", "programme"])
    per = visits.groupby("theme_name", sort=False).agg(
        inspections=("council_area", "size"), areas=("council_area", "nunique")
    )
    top = per[per["inspections"] == per["inspections"].max()]
    n = int(top["inspections"].iloc[0])
    if len(top) == 1:
        name, areas = top.index[0], int(top["areas"].iloc[0])
        return (
            f"Counting every programme together, the theme most often named as {what} was "
            f"{lower_first(name)}: in {plural(n, 'inspection')}, of "
            f"{plural(areas, 'council area')}."
        )
    parts = [f"{lower_first(t)} ({plural(int(r.areas), 'area')})" for t, r in top.iterrows()]
    return (
        f"Counting every programme together, the themes most often named as {what}, each in "
        f"{plural(n, 'inspection')}, were {join_words(parts)}."
    )


def reach_sentence(
    areas_with: int, areas: int, programmes_with: int, programmes: int, without: list[str]
) -> str:
    """How far the findings reach: council areas and programmes, and which areas have none.

    Examples
    --------
    >>> reach_sentence(31, 32, 5, 5, ["Angus"])
    'The findings reach 31 of 32 council areas and all five programmes with inspections in the data; no finding was found for Angus.'
    """  # noqa: E501
    missing = f"; no finding was found for {join_words(without)}" if without else ""
    return (
        f"The findings reach {of_phrase(areas_with, areas)} council areas and "
        f"{of_phrase(programmes_with, programmes)} programmes with inspections in the data"
        f"{missing}."
    )


def placed_key_point(area: str, programme: str, published: str, themes, others) -> str:
    """Where an inspection's things to improve sit: for each theme, the other inspections told
    the same (``themes`` and ``others`` as for :func:`heard_same_sentence`).

    Examples
    --------
    >>> th = pd.DataFrame({"theme": ["chron"], "name": ["Chronologies"]})
    >>> o = pd.DataFrame({"theme": ["chron", "chron"], "council_area": ["Fife", "Moray"],
    ...                   "programme": ["risk-of-harm-2020"] * 2})
    >>> print(placed_key_point("Angus", "cyp-2012", "published April 2018", th, o))
    Of Angus's things to improve from its 2012-2017 inspection (published April 2018), chronologies also came up in two other inspections: Fife and Moray, both 2020-2025.
    """  # noqa: E501
    period = programme_name(programme).rpartition(", ")[2]
    if themes.empty:
        return f"No theme is recorded among {area}'s things to improve in its {period} inspection."
    parts = []
    for _, theme in themes.iterrows():
        same = others[others["theme"] == theme["theme"]]
        name = lower_first(theme["name"])
        if same.empty:
            parts.append(f"{name} came up in no other inspection")
            continue
        periods = [programme_name(p).rpartition(", ")[2] for p in same["programme"]]
        named = join_words(same["council_area"])
        if len(set(periods)) == 1:
            both = "both " if len(same) == 2 else "all " if len(same) > 2 else ""
            where = f"{named}, {both}{periods[0]}"
        else:
            where = join_words(
                f"{a} ({p})" for a, p in zip(same["council_area"], periods, strict=True)
            )
        many = plural(len(same), "other inspection")
        parts.append(f"{name} also came up in {many}: {where}")
    return (
        f"Of {area}'s things to improve from its {period} inspection ({published}), "
        f"{'; '.join(parts)}."
    )
