"""Registered care services' tables as readers see them (notebooks 03 and 05, the profiles).

The tables of :mod:`helpers.care.questions` and :mod:`helpers.care.changes` hold dates as
dates and shares as fractions, with places as a level of the columns. Here they get the words a
reader sees: a date as '31 May 2026', a share as a whole percentage under a header such as
'Scotland (%)', each place named once over its columns, and a service's name, never a
childminder's (a childminder's name is a person's name: :func:`service_label`).
"""

from __future__ import annotations

import pandas as pd

from helpers.areas import SCOTLAND
from helpers.datastore.snapshot import CHILD_MINDING
from helpers.grades import HIGHEST_FIRST, WEAK_OR_WORSE
from helpers.words import day

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
    return _dates_in_words(percent_table(table, [*HIGHEST_FIRST, "good or better"]))


def trend_table(trend: pd.DataFrame, area: str) -> pd.DataFrame:
    """:func:`helpers.care.questions.good_or_better_trend` for readers, one header per column:
    'Moray (%)', 'Scotland (%)', 'graded in Moray', 'graded in Scotland', 'graded on key
    questions (Scotland) (%)'."""
    flat = {
        area: trend[("good or better", area)],
        SCOTLAND: trend[("good or better", SCOTLAND)],
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
