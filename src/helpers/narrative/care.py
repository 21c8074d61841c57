"""Registered care services in words: the sentences, and the tables readers see.

The tables of :mod:`helpers.care.questions` hold dates as dates and shares as fractions, with
places as a level of the columns. Here they become what a reader sees: sentences, and the same
tables with a date as '31 May 2026', a share as a whole percentage under a header such as
'Scotland (%)', each place named once over its columns, and a service's name, never a
childminder's (a childminder's name is a person's name: :func:`service_label`). What changed
between two snapshots is :mod:`helpers.narrative.changes`.
"""

from __future__ import annotations

import pandas as pd

from helpers.areas import SCOTLAND
from helpers.datastore.snapshot import CHILD_MINDING
from helpers.grades import GOOD_OR_BETTER_NAME, HIGHEST_FIRST, WEAK_OR_WORSE_NAME
from helpers.words import capitalise, count_words, day, join_words, number_word, pct, plural


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
    here, there = trend[(GOOD_OR_BETTER_NAME, area)], trend[(GOOD_OR_BETTER_NAME, SCOTLAND)]
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
    weak = table[(area, WEAK_OR_WORSE_NAME)]
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
        f"On {day(last)}, {pct(value(last, area, GOOD_OR_BETTER_NAME))} of {area}'s "
        f"{count_words(graded)} graded children's services had a lowest grade of good or better "
        f"({SCOTLAND}: {pct(value(last, SCOTLAND, GOOD_OR_BETTER_NAME))})"
    )
    if first == last:
        return [good + "."]
    good += (
        f"; on {day(first)}, {pct(value(first, area, GOOD_OR_BETTER_NAME))} "
        f"({SCOTLAND}: {pct(value(first, SCOTLAND, GOOD_OR_BETTER_NAME))})."
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
    here = trend.loc[last, (GOOD_OR_BETTER_NAME, area)]
    there = trend.loc[last, (GOOD_OR_BETTER_NAME, SCOTLAND)]
    if pd.isna(here):
        return f"On {day(last)}, no children's service in {area} was graded."
    return (
        f"On {day(last)}, {pct(here)} of {area}'s graded children's services had a lowest grade "
        f"of good or better, against {pct(there)} in {SCOTLAND}."
    )


# --- the questions' tables as readers see them -----------------------------------------------

#: What a reader sees in place of a childminder's name, which is a person's name.
NOT_NAMED = "a childminder (not named)"


def percent_table(table: pd.DataFrame, columns: list) -> pd.DataFrame:
    """``table`` with the share ``columns`` as whole percentages (int), named ``'<name> (%)'``.

    A column label that is a tuple (a MultiIndex) has its last level renamed.

    Examples
    --------
    >>> percent_table(pd.DataFrame({"n": [3, 1], "share": [0.384, 0.616]}), ["share"])
       n  share (%)
    0  3         38
    1  1         62
    """
    out = table.copy()
    renames = {}
    for col in columns:
        out[col] = (out[col].astype(float) * 100).round().astype(int)
        renames[col] = (*col[:-1], f"{col[-1]} (%)") if isinstance(col, tuple) else f"{col} (%)"
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = pd.MultiIndex.from_tuples(
            [renames.get(c, c) for c in out.columns], names=out.columns.names
        )
    else:
        out.columns = pd.Index([renames.get(c, c) for c in out.columns], name=out.columns.name)
    return out


def _dates_in_words(table: pd.DataFrame, axis: str = "index") -> pd.DataFrame:
    """The first level of the index (or the columns) as dates in words ('31 May 2026')."""
    out = table.copy()
    labels = getattr(out, axis)
    setattr(out, axis, labels.set_levels(labels.levels[0].map(day), level=0))
    return out


def by_type_table(table: pd.DataFrame, area: str) -> pd.DataFrame:
    """:func:`helpers.care.questions.by_type` for readers: the dates in words over the area's
    counts and Scotland's shares as whole percentages ('Scotland (%)')."""
    shares = [c for c in table.columns if c[1] == SCOTLAND]
    out = _dates_in_words(percent_table(table, shares), axis="columns")
    out.columns.names = [None, None]
    return out


def sector_table(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`helpers.care.questions.by_sector` for readers: shares as whole percentages, the
    dates in words."""
    return _dates_in_words(percent_table(table, [c for c in table.columns if c != "services"]))


def grade_shares_table(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`helpers.care.questions.grade_shares` for readers: shares as whole percentages,
    the dates in words."""
    return _dates_in_words(percent_table(table, [*HIGHEST_FIRST, GOOD_OR_BETTER_NAME]))


def trend_table(trend: pd.DataFrame, area: str) -> pd.DataFrame:
    """:func:`helpers.care.questions.good_or_better_trend` for readers, one header per column:
    'Moray (%)', 'Scotland (%)', 'graded in Moray', 'graded in Scotland', 'graded on key
    questions (Scotland) (%)'."""
    flat = {
        area: trend[(GOOD_OR_BETTER_NAME, area)],
        SCOTLAND: trend[(GOOD_OR_BETTER_NAME, SCOTLAND)],
        f"graded in {area}": trend[("graded", area)],
        f"graded in {SCOTLAND}": trend[("graded", SCOTLAND)],
        f"graded on key questions ({SCOTLAND})": trend[("on key questions", SCOTLAND)],
    }
    shares = [area, SCOTLAND, f"graded on key questions ({SCOTLAND})"]
    return percent_table(pd.DataFrame(flat, index=trend.index), shares)


def repetition_table(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`helpers.care.questions.residential_repetition` for readers: the share with one
    value repeated as a whole percentage."""
    return percent_table(table, ["one value repeated"])


def excluded_table(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`helpers.care.questions.excluded_frameworks` for readers: the first and last
    snapshot as dates (YYYY-MM-DD)."""
    return table.assign(first=table["first"].dt.date, last=table["last"].dt.date)


def residential_table(table: pd.DataFrame, area: str) -> pd.DataFrame:
    """:func:`helpers.care.questions.residential_grades` for readers: each place named once
    over its two columns, 'services' and '%' (whole percentages)."""
    columns = {}
    for place in (area, SCOTLAND):
        columns[(place, "services")] = table[(place, "services")]
        columns[(place, "%")] = (table[(place, "share")] * 100).round().astype(int)
    out = pd.DataFrame(columns)
    out.columns.names = ["place", ""]
    return out


def weak_by_type_table(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`helpers.care.questions.weak_by_type` for readers: each place named once above
    what is counted."""
    out = table.copy()
    out.columns.names = [None, None]
    return out


def service_label(frame: pd.DataFrame) -> pd.Series:
    """The name a reader may see for each service: its name, never a childminder's.

    A childminder's name is a person's name: it is shown as :data:`NOT_NAMED` whatever the
    table holds; a service with no name recorded is 'name not recorded'.
    """
    minder = frame["care_service"].astype(str) == CHILD_MINDING
    names = frame["service_name"].astype(object)
    named = names.where(names.notna() & (names.astype(str) != ""), "name not recorded")
    return named.where(~minder, NOT_NAMED).astype(str)


def weak_services(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`helpers.care.questions.weak_or_worse` for readers: worst first, then by type and
    name, with ``care service``, ``service`` (never a childminder's name), ``sector``, ``lowest
    grade`` and ``framework``."""
    out = table.assign(service=service_label(table), grade_code=table["lowest"].cat.codes)
    out = out.sort_values(["grade_code", "care_service", "service"], kind="stable")
    out = out.rename(columns={"care_service": "care service", "lowest": "lowest grade"})
    columns = ["care service", "service", "sector", "lowest grade", "framework"]
    return out[columns].astype({"lowest grade": str}).reset_index(drop=True)
