"""Sentences about a set of grades: a release's split, a programme's line, an area's standing."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from helpers.grades import (
    HIGHEST_FIRST,
    VERY_GOOD_OR_BETTER_NAME,
    Standing,
    as_counts,
    normalise_grade,
)
from helpers.words import capitalise, join_words, none_or_number, number_word, of_phrase, plural


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


def _the_one_graded(counts: pd.Series) -> str:
    """'the one quality indicator graded was adequate', of counts that add up to one."""
    grade = next(g for g in HIGHEST_FIRST if counts[g] > 0)
    return f"the one quality indicator graded was {grade}"


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
        return f"{lead}, {_the_one_graded(c)}." if lead else f"{capitalise(_the_one_graded(c))}."
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
        return capitalise(_the_one_graded(counts))
    return of + describe_grades(counts) if of else capitalise(describe_grades(counts))


def split_known_clause(known: int, areas: int) -> str:
    """How many council areas' split of grades is known: the one wording of it, for every
    sentence that says so (start one with :func:`helpers.words.capitalise`).

    Examples
    --------
    >>> split_known_clause(20, 32)
    'the split of grades is known for 20 of 32 council areas'
    >>> split_known_clause(2, 2)
    'the split of grades is known for both council areas'
    """
    return f"the split of grades is known for {of_phrase(known, areas)} council areas"


def share_clause(s: Standing, group: str, first: bool = True) -> str:
    """How many of an area's indicators were in a group of grades, as a clause: its one graded
    indicator said as one. ``first=False`` follows a sentence that named the area.

    Examples
    --------
    >>> share_clause(Standing("Moray", 4, 9, 0, 0, 19), "weak or worse")
    'Moray had four of nine indicators weak or worse'
    >>> share_clause(Standing("Moray", 0, 9, 18, 1, 0), "good or better", first=False)
    'None was good or better'
    >>> share_clause(Standing("Moray", 1, 1, 0, 0, 0), "good or better", first=False)
    'It was good or better'
    """
    if s.total == 1:
        head = f"{s.area}'s one graded indicator" if first else "It"
        return f"{head} was {'' if s.top else 'not '}{group}"
    if first:
        return f"{s.area} had {of_phrase(s.top, s.total)} indicators {group}"
    if s.top == 0:
        return f"None was {group}"
    return f"{capitalise(of_phrase(s.top, s.total))} {'was' if s.top == 1 else 'were'} {group}"


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
    own = f"{share_clause(s, VERY_GOOD_OR_BETTER_NAME)}. "
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


def wording_text(fits: tuple[str, ...]) -> str:
    """How an ambiguous named grade is shown: the level, or the two levels (lower first), the
    source's wording fits.

    Examples
    --------
    >>> wording_text(("good", "very good"))
    "good or very good: the source's words fit both (not counted as a grade)"
    >>> wording_text(("very good",))
    "very good, by our reading of the source's words (not counted as a grade)"
    """
    if len(fits) > 1:
        return f"{fits[0]} or {fits[1]}: the source's words fit both (not counted as a grade)"
    return f"{fits[0]}, by our reading of the source's words (not counted as a grade)"


def grade_shown(
    grade: object, fits: tuple[str, ...], open_grades: tuple[str, ...], unknown_first=False
) -> str:
    """What a table shows for one indicator of :func:`helpers.joint.questions.indicator_grades`:
    its grade; else the wording an ambiguous grade fits; else the grades still open.

    ``unknown_first`` says two or more open grades as 'unknown: very good or good' (a profile's
    table), not 'very good or good (which one is not known)'.

    Examples
    --------
    >>> grade_shown(None, (), ("very good", "good"))
    'very good or good (which one is not known)'
    >>> grade_shown(None, (), ("very good", "good"), unknown_first=True)
    'unknown: very good or good'
    >>> grade_shown(None, (), ("good",)), grade_shown(None, (), ()), grade_shown("weak", (), ())
    ('good (by elimination; no source names it)', 'unknown', 'weak')
    """
    if not pd.isna(grade):
        return str(grade)
    if fits:
        return wording_text(fits)
    if len(open_grades) > 1:
        either = join_words(open_grades, "or")
        return f"unknown: {either}" if unknown_first else f"{either} (which one is not known)"
    if open_grades:
        return f"{open_grades[0]} (by elimination; no source names it)"
    return "unknown"


def grades_shown(grades: pd.DataFrame, unknown_first: bool = False) -> pd.Series:
    """:func:`grade_shown` of every row of an inspection's
    :func:`~helpers.joint.questions.indicator_grades`, on its index."""
    shown = [
        grade_shown(r.grade, r.wording_fits, r.open_grades, unknown_first)
        for r in grades.itertuples()
    ]
    return pd.Series(shown, index=grades.index, dtype=object)
