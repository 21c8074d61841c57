"""What changed between two snapshots of registered care services, in words: the sentences of
notebook 05 and the profiles, and its tables as readers see them (names, never a
childminder's; each grade that moved as 'leadership: good → weak').

``table`` below is :func:`helpers.care.changes.counts` (rows 'newly registered', 'cancelled',
'a grade went down', 'a grade fell to weak or worse', 'a grade went up'; a column for the area
and one for Scotland).
"""

from __future__ import annotations

import pandas as pd

from helpers.areas import SCOTLAND
from helpers.care.changes import FELL_TO_WEAK_OR_WORSE
from helpers.datastore.snapshot import CHILD_MINDING
from helpers.grades import WEAK_OR_WORSE
from helpers.narrative.care import service_label
from helpers.words import (
    capitalise,
    count_words,
    day,
    join_words,
    none_or_number,
    number_word,
    plural,
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
        f"{scot('a grade went down')}, {none_or_number(n(FELL_TO_WEAK_OR_WORSE))} of "
        f"them to weak or worse{scot(FELL_TO_WEAK_OR_WORSE)}, and "
        f"{none_or_number(n('a grade went up'))} had a grade go up{scot('a grade went up')}."
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
    low = f", {none_or_number(n[FELL_TO_WEAK_OR_WORSE])} of them to weak or worse,"
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

    ``table`` is :func:`helpers.care.changes.counts`; ``fell`` :func:`grade_moves`
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
    low = here[FELL_TO_WEAK_OR_WORSE]
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
    scot_low = f"({SCOTLAND}: {plural(int(there[FELL_TO_WEAK_OR_WORSE]), 'service')})"
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


def changed_services(frame: pd.DataFrame, with_area: bool = True) -> pd.DataFrame:
    """Services newly registered or cancelled (:class:`helpers.care.changes.Changes` ``new``
    or ``cancelled``) as a reader's table: area, type, sector and name (never a childminder's)."""
    out = pd.DataFrame(
        {
            "council area": frame["council_area"].astype(str),
            "care service": frame["care_service"].astype(str),
            "service": service_label(frame),
            "sector": frame["sector"].astype(str),
        }
    )
    if not with_area:
        out = out.drop(columns="council area")
    return out.sort_values(list(out.columns), kind="stable").reset_index(drop=True)


def grade_moves(moves: pd.DataFrame, with_area: bool = True) -> pd.DataFrame:
    """Grades that went down or up (:class:`helpers.care.changes.Changes` ``down`` or ``up``),
    one row per service, in the order given (for ``down``: those now weak or worse first).

    Columns: area, type, name (never a childminder's), for grades that went down ``fell to weak
    or worse`` (yes where a measure fell to weak or unsatisfactory), and ``grades``
    ('leadership: good → weak; ...').
    """
    if moves.empty:  # the columns of grades that went down, so that a table of none has them
        columns = ["council area", "care service", "service", "fell to weak or worse", "grades"]
        out = pd.DataFrame(columns=columns)
        return out.drop(columns="council area") if not with_area else out
    m = moves.assign(
        _move=moves["measure"].astype(str)
        + ": "
        + moves["grade before"].astype(str)
        + " → "
        + moves["grade after"].astype(str),
        _low=moves["grade after"].astype(str).isin(WEAK_OR_WORSE),
        _label=service_label(moves),
    )
    grouped = m.groupby("service_id", sort=False)
    out = pd.DataFrame(
        {
            "council area": grouped["council_area"].first().astype(str),
            "care service": grouped["care_service"].first().astype(str),
            "service": grouped["_label"].first(),
            "now weak or worse": grouped["_low"].any().map({True: "yes", False: "no"}),
            "grades": grouped["_move"].agg("; ".join),
        }
    ).reset_index(drop=True)
    if (moves["steps"] > 0).all():  # grades that went up: none fell, so no such column
        out = out.drop(columns="now weak or worse")
    else:
        out = out.rename(columns={"now weak or worse": "fell to weak or worse"})
    return out if with_area else out.drop(columns="council area")
