"""What changed between two snapshots of the registered care services for children.

For the analyst who has just downloaded a new month: which children's services were newly
registered, which were cancelled (gone from the register), and which grades went down or up,
for Scotland and for one council area. Every function takes a
:class:`~helpers.care.tables.CareServices` (or anything with ``services``, ``grades`` and
``files`` tables of the same shape). Counts stay counts and dates dates: the tables readers see
(names, never a childminder's; grades that moved in words) are made by
:mod:`helpers.narrative.changes`.

Definitions:

newly registered
    a service in the later snapshot that is not in the earlier one;
cancelled
    a service in the earlier snapshot that is not in the later one (the datastore lists a service
    until its registration is cancelled; 'proposing to cancel' is still registered);
a grade that went down (up)
    the same service's grade on the same measure of the same framework (a quality theme or a key
    question) is lower (higher) in the later snapshot. Measures graded in only one of the two
    snapshots (a new inspection under another framework) are not compared: they are counted as
    ``regraded on another framework``. Only the frameworks of
    :data:`helpers.care.questions.COMPARED` are compared: not COVID-19 key questions, combined
    evaluations or superseded grades.

A childminder's name is a person's name: the tables never hold one (the committed data has
none).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers import cache
from helpers.areas import SCOTLAND, takes_area
from helpers.care import questions, tables
from helpers.care.questions import COMPARED
from helpers.grades import WEAK_OR_WORSE, WEAK_OR_WORSE_NAME

#: The row of :func:`counts` for services whose lowest grade fell into the lowest group.
FELL_TO_WEAK_OR_WORSE = f"a grade fell to {WEAK_OR_WORSE_NAME}"
_SERVICE = ["service_id", "service_name", "care_service", "sector", "council_area"]


class SnapshotDateError(LookupError):
    """A date with no snapshot: the message lists the dates there are."""


@dataclass
class Changes:
    """What changed from ``before`` to ``after``, for every children's service in Scotland.

    Attributes
    ----------
    before, after
        The two snapshot dates.
    new, cancelled
        One row per service (its details as in the snapshot where it is listed).
    down, up
        One row per service and measure whose grade changed: ``framework``, ``measure``,
        ``grade before``, ``grade after``, ``steps`` (how many grades it moved).
    regraded
        Services graded on a framework in one snapshot and another in the other, with no
        measure in common.
    """

    before: pd.Timestamp
    after: pd.Timestamp
    new: pd.DataFrame
    cancelled: pd.DataFrame
    down: pd.DataFrame
    up: pd.DataFrame
    regraded: pd.DataFrame


def snapshot_dates(data) -> list[pd.Timestamp]:
    """Every snapshot date in the data, oldest first."""
    return sorted(pd.to_datetime(data.files["snapshot_date"]).tolist())


def _date(value, dates: list[pd.Timestamp], what: str) -> pd.Timestamp:
    try:
        day = pd.Timestamp(value)
    except (ValueError, TypeError):
        day = None
    if day is None or day not in dates:
        listed = ", ".join(f"{d:%Y-%m-%d}" for d in dates)
        raise SnapshotDateError(f"no snapshot of {value!r} ({what}); the snapshots are: {listed}")
    return day


def pick_dates(data, before=None, after=None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The two dates to compare: the latest two snapshots by default, or the dates given.

    Raises
    ------
    SnapshotDateError
        For a date with no snapshot, or ``before`` not earlier than ``after``, listing the dates
        there are.
    """
    dates = snapshot_dates(data)
    listed = f"the snapshots are: {', '.join(f'{d:%Y-%m-%d}' for d in dates)}"
    if len(dates) < 2 and (before is None or after is None):
        raise SnapshotDateError(f"two snapshots are needed; there is {len(dates)}")
    later = _date(after, dates, "after") if after is not None else dates[-1]
    if before is not None:
        earlier = _date(before, dates, "before")
    else:
        earlier = max((d for d in dates if d < later), default=None)
        if earlier is None:
            raise SnapshotDateError(
                f"no snapshot before {later:%Y-%m-%d} to compare it with; {listed}"
            )
    if not earlier < later:
        raise SnapshotDateError(
            f"'before' ({earlier:%Y-%m-%d}) must be earlier than 'after' ({later:%Y-%m-%d}); "
            f"{listed}"
        )
    return earlier, later


def _at(table: pd.DataFrame, day: pd.Timestamp) -> pd.DataFrame:
    out = table[table["snapshot_date"] == day].drop(columns="snapshot_date")
    return out.astype({"service_id": str}).reset_index(drop=True)


def _grade_moves(services_after, services_before, grades_before, grades_after):
    key = ["service_id", "framework", "measure"]
    a = grades_before[grades_before["framework"].isin(COMPARED)]
    b = grades_after[grades_after["framework"].isin(COMPARED)]
    both = a.merge(b, on=key, suffixes=(" before", " after"))
    steps = both["grade after"].cat.codes.astype(int) - both["grade before"].cat.codes.astype(int)
    both["steps"] = steps.to_numpy()
    details = pd.concat([services_after, services_before]).drop_duplicates("service_id")
    moved = both[both["steps"] != 0].merge(details[_SERVICE], on="service_id", how="left")
    cols = [*_SERVICE, "framework", "measure", "grade before", "grade after", "steps"]
    moved = moved[cols].astype({"framework": str, "measure": str})
    ids_both = set(a["service_id"]) & set(b["service_id"])
    common = set(both["service_id"])
    regraded = details[details["service_id"].isin(ids_both - common)][_SERVICE]
    return moved, regraded.reset_index(drop=True)


def _order_down(down: pd.DataFrame) -> pd.DataFrame:
    """Now weak or worse first, then the largest falls, then by area and service."""
    now_low = down["grade after"].astype(str).isin(WEAK_OR_WORSE)
    key = down.assign(_low=~now_low, _fall=down["steps"])
    order = key.sort_values(["_low", "_fall", "council_area", "service_id", "measure"]).index
    return down.loc[order].reset_index(drop=True)


def compare(data, before=None, after=None) -> Changes:
    """What changed between two snapshots (default: the latest two), for all of Scotland.

    Raises
    ------
    SnapshotDateError
        For a date with no snapshot (the message lists the dates there are).
    """
    earlier, later = pick_dates(data, before, after)
    s_a, s_b = _at(data.services, earlier), _at(data.services, later)
    g_a, g_b = _at(data.grades, earlier), _at(data.grades, later)
    new = s_b[~s_b["service_id"].isin(s_a["service_id"])][_SERVICE]
    gone = s_a[~s_a["service_id"].isin(s_b["service_id"])][_SERVICE]
    moved, regraded = _grade_moves(s_b, s_a, g_a, g_b)
    down = _order_down(moved[moved["steps"] < 0])
    up = moved[moved["steps"] > 0].sort_values(
        ["steps", "council_area", "service_id", "measure"], ascending=[False, True, True, True]
    )
    return Changes(
        earlier,
        later,
        new.sort_values(["council_area", "service_id"]).reset_index(drop=True),
        gone.sort_values(["council_area", "service_id"]).reset_index(drop=True),
        down,
        up.reset_index(drop=True),
        regraded,
    )


def between(before=None, after=None) -> Changes:
    """What changed in the committed tables between two snapshots (default: the latest two).

    :func:`compare` on :func:`helpers.care.tables.shared`, kept for the next call with the
    same dates, so that a report for each area compares Scotland once. Every caller gets the
    same result: do not change its tables.

    Raises
    ------
    SnapshotDateError
        For a date with no snapshot (the message lists the dates there are).
    """
    return _between(*pick_dates(tables.shared(), before, after))


@cache.cached_on(lambda before, after: cache.folder_files(tables.care_services_dir()), maxsize=2)
def _between(before: pd.Timestamp, after: pd.Timestamp) -> Changes:
    """:func:`compare` of two snapshots of the shared tables, kept until a file changes."""
    return compare(tables.shared(), before, after)


@takes_area
def in_area(changes: Changes, area: str) -> Changes:
    """The same changes, for one council area only (an unknown name gets suggestions)."""
    return _in_area(changes, area)


def _in_area(changes: Changes, area: str) -> Changes:
    """:func:`in_area` for a name already standard."""

    def pick(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["council_area"] == area].reset_index(drop=True)

    return Changes(
        changes.before,
        changes.after,
        *(pick(getattr(changes, name)) for name in ("new", "cancelled", "down", "up", "regraded")),
    )


@takes_area
def counts(changes: Changes, area: str) -> pd.DataFrame:
    """How many services changed in each way, in ``area`` and in Scotland.

    Grades that moved are counted by service (a service with two measures down counts once);
    'now weak or worse' counts services with a measure that fell to weak or unsatisfactory.
    An unknown name gets suggestions.
    """
    local = _in_area(changes, area)

    def column(c: Changes) -> list[int]:
        low = c.down[c.down["grade after"].astype(str).isin(WEAK_OR_WORSE)]
        return [
            len(c.new),
            len(c.cancelled),
            c.down["service_id"].nunique(),
            low["service_id"].nunique(),
            c.up["service_id"].nunique(),
        ]

    rows = [
        "newly registered",
        "cancelled",
        "a grade went down",
        FELL_TO_WEAK_OR_WORSE,
        "a grade went up",
    ]
    table = pd.DataFrame({area: column(local), SCOTLAND: column(changes)}, index=rows)
    table.index.name = "children's services"
    return table.astype(np.int64)


def fell_to_weak(changes: Changes) -> pd.DataFrame:
    """Every grade that went down, of the services with a grade that fell to weak or worse.

    The same rows as ``changes.down`` gives those services (each measure that went down, not
    only those now weak or worse), so a table of them reads as the area's table of ``down``.
    """
    down = changes.down
    low = down[down["grade after"].astype(str).isin(WEAK_OR_WORSE)]
    return down[down["service_id"].isin(set(low["service_id"]))].reset_index(drop=True)


def outside_scotland(date: pd.Timestamp) -> int:
    """Children's services the register places outside Scotland at ``date`` (counted in
    Scotland's figures: :func:`helpers.care.questions.outside_scotland`)."""
    return questions.outside_scotland(tables.shared().services, date)


def changed_by_type(new: pd.DataFrame, cancelled: pd.DataFrame) -> pd.DataFrame:
    """How many services of each type were newly registered and how many cancelled
    (:class:`Changes` ``new`` and ``cancelled``)."""
    table = pd.DataFrame(
        {
            "newly registered": new["care_service"].astype(str).value_counts(),
            "cancelled": cancelled["care_service"].astype(str).value_counts(),
        }
    )
    table = table.fillna(0).astype(int)
    table = table.sort_values(["newly registered", "cancelled"], ascending=False, kind="stable")
    table.index.name = "care service"
    return table


def moves_by_type(down: pd.DataFrame, up: pd.DataFrame) -> pd.DataFrame:
    """Services with a grade that went down (of them, to weak or worse) and up, by type.

    ``down`` and ``up`` are :class:`Changes` ``down`` and ``up`` (one row per measure); each
    service is counted once per column.
    """
    low = down[down["grade after"].astype(str).isin(WEAK_OR_WORSE)]

    def per_type(frame: pd.DataFrame) -> pd.Series:
        return frame.drop_duplicates("service_id")["care_service"].astype(str).value_counts()

    table = pd.DataFrame(
        {
            "a grade went down": per_type(down),
            FELL_TO_WEAK_OR_WORSE: per_type(low),
            "a grade went up": per_type(up),
        }
    )
    table = table.fillna(0).astype(int)
    table = table.sort_values(list(table.columns), ascending=False, kind="stable")
    table.index.name = "care service"
    return table
