"""Words for numbers, plurals, shares and dates: the house style every sentence is written in.

The ground floor of the package: nothing here knows about inspections or care services, so any
module (data loading included) may use it without reaching up into the sentences. Numbers below
ten are words, larger ones digits; shares are whole percentages unless that would round to 0% or
100%; dates are as precise as they are known.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

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


def count_words(n: int) -> str:
    """:func:`number_word`, with thousands separated ('two', '12', '6,655').

    Examples
    --------
    >>> count_words(2), count_words(6655)
    ('two', '6,655')
    """
    return number_word(n) if 0 <= int(n) < 10 else f"{int(n):,}"


def published_phrase(date: pd.Timestamp, precision: str) -> str:
    """'published April 2018', 'published 12 April 2018', or 'publication date not found'."""
    if precision == "unknown" or pd.isna(date):
        return "publication date not found"
    return f"published {when(date, precision).split(' ', 1)[1]}"


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


def lower_first(text: str) -> str:
    """A sentence's first letter made small, to go on after a comma ('Of nine ...' -> 'of nine')."""
    return text[:1].lower() + text[1:]
