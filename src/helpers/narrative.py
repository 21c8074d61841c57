"""Sentences from data: the words a press officer would write, computed, never typed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from helpers.grades import HIGHEST_FIRST, normalise_grade

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
