"""Sentences about registered care services: counts, sectors, grades, and what changed."""

from __future__ import annotations

import pandas as pd

from helpers.areas import SCOTLAND
from helpers.datastore.snapshot import CHILD_MINDING
from helpers.words import (
    capitalise,
    count_words,
    day,
    join_words,
    none_or_number,
    number_word,
    pct,
    plural,
)


def sector_sentence(table: pd.DataFrame, date: pd.Timestamp, area: str) -> str:
    """Which sector runs most of ``area``'s children's services at ``date``, against Scotland."""
    shares = table.drop(columns="services", errors="ignore")
    here = shares.loc[(pd.Timestamp(date), area)]
    there = shares.loc[(pd.Timestamp(date), SCOTLAND)]
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


def registered_sentence(counts: pd.DataFrame, area: str) -> str:
    """How many children's services were registered in ``area`` (and Scotland) at each date.

    ``counts`` is :func:`helpers.care.questions.registered_counts`; a date with no count for
    the area says it is not known (never zero).

    Examples
    --------
    >>> t = pd.DataFrame({"Fife": [510, 501], "Scotland": [9000, 6655]},
    ...                  index=pd.to_datetime(["2017-12-31", "2026-05-31"]))
    >>> print(registered_sentence(t, "Fife"))
    On 31 May 2026, 501 children's services were registered in Fife (Scotland: 6,655); on 31 December 2017, 510 (Scotland: 9,000).
    """  # noqa: E501

    def count(value) -> str:
        return "not known" if pd.isna(value) else count_words(value)

    dates = list(counts.index)
    last = dates[-1]
    text = (
        f"On {day(last)}, {count(counts.loc[last, area])} children's services were registered in "
        f"{area} ({SCOTLAND}: {count(counts.loc[last, SCOTLAND])})"
    )
    for date in reversed(dates[:-1]):
        text += (
            f"; on {day(date)}, {count(counts.loc[date, area])} "
            f"({SCOTLAND}: {count(counts.loc[date, SCOTLAND])})"
        )
    return text + "."


def good_or_better_sentence(trend: pd.DataFrame, area: str) -> str:
    """The share of ``area``'s graded children's services good or better at the latest
    snapshot and the first, against Scotland; 'not known' where the area had none graded.

    ``trend`` is :func:`helpers.care.questions.good_or_better_trend`.
    """
    here, there = trend[("good or better", area)], trend[("good or better", SCOTLAND)]
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

    ``table`` is :func:`helpers.care.questions.weak_by_type`.
    """
    weak = table[(area, "weak or worse")]
    graded = int(table[(area, "graded")].sum())
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
    """What changed in ``area`` against Scotland, from :func:`helpers.care.changes.counts`.

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

    ``table`` is :func:`helpers.care.questions.by_sector` (shares as fractions).
    """
    shares = table.drop(columns="services", errors="ignore")
    here = shares.loc[(pd.Timestamp(date), area)].sort_values(ascending=False, kind="stable")
    there = shares.loc[(pd.Timestamp(date), SCOTLAND)]
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


def scotland_scope_sentence(outside: int, date) -> str:
    """What Scotland's figures for registered services count: every children's service on the
    register, those it places outside Scotland included (:func:`helpers.care.questions.outside_scotland`).

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
    (:attr:`helpers.care.tables.CareServices.problems`).

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
    the first of :func:`helpers.care.questions.grade_shares` (index: date, place).

    Examples
    --------
    >>> d1, d2 = pd.Timestamp("2017-12-31"), pd.Timestamp("2026-05-31")
    >>> idx = pd.MultiIndex.from_tuples([(d1, "A"), (d1, "Scotland"), (d2, "A"), (d2, "Scotland")])
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
        return [f"No children's service in {area} was graded on {day(last)}."]
    good = (
        f"On {day(last)}, {pct(value(last, area, 'good or better'))} of {area}'s "
        f"{count_words(graded)} graded children's services had a lowest grade of good or better "
        f"({SCOTLAND}: {pct(value(last, SCOTLAND, 'good or better'))})"
    )
    if first == last:
        return [good + "."]
    good += (
        f"; on {day(first)}, {pct(value(first, area, 'good or better'))} "
        f"({SCOTLAND}: {pct(value(first, SCOTLAND, 'good or better'))})."
    )
    before, after = top(first, area), top(last, area)
    verb = "rose" if pct(after) > pct(before) and after > before else "fell"
    if pct(after) == pct(before):
        change = (
            f"In {area}, the share of graded children's services with a lowest grade of very "
            f"good or excellent was {pct(after)} on both {day(first)} and {day(last)}"
        )
    else:
        change = (
            f"In {area}, the share of graded children's services with a lowest grade of very "
            f"good or excellent {verb} from {pct(before)} on {day(first)} to "
            f"{pct(after)} on {day(last)}"
        )
    change += f" ({SCOTLAND}: from {pct(top(first, SCOTLAND))} to {pct(top(last, SCOTLAND))})."
    return [good, change]


def care_good_key_point(trend: pd.DataFrame, area: str) -> str:
    """The share of the area's graded children's services good or better at the latest snapshot,
    against Scotland (``trend`` is :func:`helpers.care.questions.good_or_better_trend`).

    Examples
    --------
    >>> t = pd.DataFrame({("good or better", "Fife"): [0.9], ("good or better", "Scotland"): [0.91]},
    ...                  index=[pd.Timestamp("2026-05-31")])
    >>> care_good_key_point(t, "Fife")
    "On 31 May 2026, 90% of Fife's graded children's services had a lowest grade of good or better, against 91% in Scotland."
    """  # noqa: E501
    last = trend.index[-1]
    here = trend.loc[last, ("good or better", area)]
    there = trend.loc[last, ("good or better", SCOTLAND)]
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

    ``table`` is :func:`helpers.care.changes.counts`.

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

    ``table`` is :func:`helpers.care.changes.counts`; ``fell`` :func:`helpers.shown.care.grade_moves`
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
            if r["care service"] == CHILD_MINDING
            else f"{r['service']} ({r['care service'].lower()})"
            for _, r in fell.iterrows()
        ]
        which = f": {join_words(names)}" if names else ""
        third = (
            f"{capitalise(plural(low, 'service'))} in {area} had a grade fall to weak or worse "
            f"{scot_low}{which}."
        )
    return [first, second, third]
