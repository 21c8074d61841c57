"""Registered care services for children: the questions notebook 03 and the profiles ask.

Every function takes the tables of :func:`helpers.care.tables.load` (or, for a folder of raw
snapshots, :func:`helpers.datastore.history`) and returns a table of real values: dates are
``Timestamp``\\ s, counts integers, shares fractions, and a place is a level of the columns or
the index (``('good or better', 'Moray')``), never part of a column's name. Readers see these
tables through layer 3: their sentences in :mod:`helpers.narrative.care`, their charts in
:mod:`helpers.charts.care`, and the tables beside them (dates in words, whole percentages,
'Moray (%)' headers) in :mod:`helpers.narrative.care`. Every function takes the area it is about,
with no default; a public one makes it standard on the way in (:func:`helpers.areas.takes_area`),
so a notebook's misspelt name stops with suggestions rather than giving empty tables.

Definitions used throughout:

children's services
    ``Client_group`` = Children, whatever the service's status (active, inactive, proposing to
    cancel): the services of :mod:`helpers.care.tables` (tests check this definition against
    the counts recorded with the raw snapshots).
a service's grade
    its *lowest* current grade, over the quality themes and key questions the datastore lists for
    it (:data:`COMPARED`). Most services carry one framework at a time, but from mid-2021 to late
    2022 a few hundred carry both, and then an older theme grade counts too. The lowest grade is
    the one that says whether anything about the service fell short, and it is comparable across
    the frameworks where single measures are not (themes and key questions measure different
    things). COVID-19 key questions and the datastore's combined evaluations (which restate the
    other grades) are left out.
residential children's services
    care homes for children and young people, school care accommodation and secure
    accommodation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.areas import COUNCIL_AREAS, OUTSIDE_SCOTLAND, SCOTLAND, takes_area
from helpers.care.tables import CHILDREN
from helpers.datastore.columns import FRAMEWORKS
from helpers.grades import (
    GOOD_OR_BETTER,
    GOOD_OR_BETTER_NAME,
    GRADES,
    HIGHEST_FIRST,
    WEAK_OR_WORSE,
    WEAK_OR_WORSE_NAME,
)

#: The date the registered-services reports (notebook 03 and every area profile) compare the
#: latest snapshot with: the last snapshot of 2017, the one nearest the joint inspections of 2017
#: (Perth and Kinross's among them, notebook 01).
SINCE = pd.Timestamp("2017-12-31")

#: The frameworks a service is graded on, then and now: the datastore's first two (its
#: :data:`~helpers.datastore.columns.FRAMEWORKS` lists them first). The others (COVID-19 key
#: questions, combined evaluations, superseded grades) are left out of every comparison.
QUALITY_THEME, KEY_QUESTION = COMPARED = FRAMEWORKS[:2]

RESIDENTIAL = (
    "Care Home Service",
    "School Care Accommodation Service",
    "Secure Accommodation Service",
)


def childrens(services: pd.DataFrame) -> pd.DataFrame:
    """Children's services (``client_group`` Children, any status)."""
    return services[services["client_group"] == CHILDREN]


def latest_date(services: pd.DataFrame) -> pd.Timestamp:
    """The date of the latest snapshot."""
    return pd.Timestamp(services["snapshot_date"].max())


def comparison_dates(services: pd.DataFrame, since: pd.Timestamp = SINCE) -> list[pd.Timestamp]:
    """``since`` (if there is a snapshot of it) and the latest snapshot, oldest first."""
    present = set(pd.to_datetime(services["snapshot_date"].unique()))
    dates = [d for d in (pd.Timestamp(since), latest_date(services)) if d in present]
    return list(dict.fromkeys(dates))


def outside_scotland(services: pd.DataFrame, date: pd.Timestamp) -> int:
    """How many children's services the register places outside Scotland at ``date``.

    The rule for every Scotland-wide figure of registered services (03, the profiles, what
    changed): 'Scotland' is the whole register, these services included, and the reports say
    so with :func:`helpers.narrative.scotland_scope_sentence`.
    """
    kids = childrens(services)
    now = kids[kids["snapshot_date"] == pd.Timestamp(date)]
    return int((now["council_area"] == OUTSIDE_SCOTLAND).sum())


@takes_area
def registered_counts(services: pd.DataFrame, dates: list[pd.Timestamp], area: str) -> pd.DataFrame:
    """Children's services registered in ``area`` and in Scotland at each date.

    Returns
    -------
    DataFrame
        Index ``snapshot`` (the dates); columns ``area`` and Scotland (level ``place``): counts,
        missing where there is no snapshot of a date.
    """
    kids = childrens(services)
    kids = kids[kids["snapshot_date"].isin(dates)]
    table = pd.DataFrame(
        {
            area: kids[kids["council_area"] == area].groupby("snapshot_date").size(),
            SCOTLAND: kids.groupby("snapshot_date").size(),
        }
    ).reindex(pd.DatetimeIndex(dates, name="snapshot"))
    table.columns.name = "place"
    return table.astype("Int64")


@takes_area
def by_type(services: pd.DataFrame, dates: list[pd.Timestamp], area: str) -> pd.DataFrame:
    """Children's services by type at each date: how many in ``area``, and the share of
    Scotland's of each type. Types ``area`` has none of are left out; the types the area has
    most of at the latest date come first.

    Returns
    -------
    DataFrame
        Index ``care service``; columns (``snapshot``, ``place``): for ``area`` a count, for
        Scotland a share (fraction).
    """
    kids = childrens(services)
    columns = {}
    for date in dates:
        now = kids[kids["snapshot_date"] == date]
        here = now[now["council_area"] == area]["care_service"].value_counts()
        columns[(pd.Timestamp(date), area)] = here
        columns[(pd.Timestamp(date), SCOTLAND)] = now["care_service"].value_counts(normalize=True)
    table = pd.DataFrame(columns).fillna(0)
    table.columns.names = ["snapshot", "place"]
    table.index = table.index.astype(str)
    for col in table.columns:
        if col[1] == area:
            table[col] = table[col].astype(int)
    table = table[(table.xs(area, axis=1, level="place") > 0).any(axis=1)]
    table = table.sort_values((pd.Timestamp(dates[-1]), area), ascending=False)
    table.index.name = "care service"
    return table


def _at_dates(frame: pd.DataFrame, dates: list[pd.Timestamp], area: str):
    """(date, place, rows) for each date, ``area`` then Scotland."""
    for date in dates:
        now = frame[frame["snapshot_date"] == date]
        for place, rows in ((area, now[now["council_area"] == area]), (SCOTLAND, now)):
            yield pd.Timestamp(date), place, rows


@takes_area
def by_sector(services: pd.DataFrame, dates: list[pd.Timestamp], area: str) -> pd.DataFrame:
    """Shares (fractions) of children's services by sector, in ``area`` and Scotland, at each
    date, and how many services (``services``).

    Returns
    -------
    DataFrame
        Index (``snapshot``, ``place``); a column per sector (level ``sector``), most common
        first, then ``services``.
    """
    rows, counts = {}, {}
    for date, place, frame in _at_dates(childrens(services), dates, area):
        rows[(date, place)] = frame["sector"].value_counts(normalize=True)
        counts[(date, place)] = len(frame)
    table = pd.DataFrame(rows).T.fillna(0)
    table.columns = table.columns.astype(str)
    table = table[table.mean().sort_values(ascending=False).index]
    table.columns.name = "sector"
    table["services"] = pd.Series(counts).reindex(table.index).astype(int)
    table.index.names = ["snapshot", "place"]
    return table


def lowest_grades(services: pd.DataFrame, grades: pd.DataFrame) -> pd.DataFrame:
    """Each graded children's service's lowest grade, per snapshot (see the module docstring).

    Returns
    -------
    DataFrame
        ``snapshot_date``, ``service_id``, ``care_service``, ``sector``, ``council_area``,
        ``framework`` ('key question' if it was graded on those, else 'quality theme'),
        ``lowest`` (ordered grade) and ``measures`` (how many grades it has).
    """
    kids = childrens(services)[
        ["snapshot_date", "service_id", "care_service", "sector", "council_area"]
    ]
    current = grades[grades["framework"].isin(COMPARED)]
    per = (
        current.assign(kq=current["framework"] == KEY_QUESTION)
        .groupby(["snapshot_date", "service_id"], observed=True)
        .agg(lowest=("grade", "min"), kq=("kq", "any"), measures=("grade", "size"))
        .reset_index()
    )
    per["framework"] = np.where(per["kq"], KEY_QUESTION, QUALITY_THEME)
    out = kids.merge(per.drop(columns="kq"), on=["snapshot_date", "service_id"], how="inner")
    out["lowest"] = out["lowest"].astype(GRADES)
    return out.sort_values(["snapshot_date", "service_id"]).reset_index(drop=True)


@takes_area
def grade_shares(lowest: pd.DataFrame, dates: list[pd.Timestamp], area: str) -> pd.DataFrame:
    """Share (fraction) of graded children's services by lowest grade, ``area`` vs Scotland, at
    each date; services not graded are not counted.

    Returns
    -------
    DataFrame
        Index (``snapshot``, ``place``); a column per grade, highest first, then ``good or
        better`` (a share) and ``services graded`` (a count).
    """
    rows = {}
    for date, place, frame in _at_dates(lowest, dates, area):
        shares = frame["lowest"].value_counts(normalize=True).reindex(list(HIGHEST_FIRST))
        rows[(date, place)] = {
            **shares.fillna(0).to_dict(),
            GOOD_OR_BETTER_NAME: float(frame["lowest"].isin(GOOD_OR_BETTER).mean())
            if len(frame)
            else 0.0,
            "services graded": len(frame),
        }
    table = pd.DataFrame(rows).T
    table["services graded"] = table["services graded"].astype(int)
    table.index.names = ["snapshot", "place"]
    return table


@takes_area
def good_or_better_trend(lowest: pd.DataFrame, area: str) -> pd.DataFrame:
    """Per snapshot: the share of graded children's services good or better, in ``area`` and
    Scotland; how many were graded there; and the share of Scotland's graded on key questions.

    Returns
    -------
    DataFrame
        Index ``snapshot``; columns (``measure``, ``place``): ``good or better`` (a share;
        missing for ``area`` where none was graded) and ``graded`` (a count), each for ``area``
        and Scotland, and ``on key questions`` (a share) for Scotland.
    """
    good = lowest["lowest"].isin(GOOD_OR_BETTER)
    kq = lowest["framework"] == KEY_QUESTION
    in_area = lowest["council_area"] == area
    by = lowest["snapshot_date"]
    table = pd.DataFrame(
        {
            (GOOD_OR_BETTER_NAME, area): good[in_area].groupby(by[in_area]).mean(),
            (GOOD_OR_BETTER_NAME, SCOTLAND): good.groupby(by).mean(),
            ("graded", area): in_area.groupby(by).sum(),
            ("graded", SCOTLAND): good.groupby(by).size(),
            ("on key questions", SCOTLAND): kq.groupby(by).mean(),
        }
    )
    table.columns.names = ["measure", "place"]
    table.index = pd.DatetimeIndex(table.index, name="snapshot")
    return table


def framework_change(trend: pd.DataFrame) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The first snapshot of :func:`good_or_better_trend` with any key-question grade, and the
    first where they are the majority (each ``None`` if there is no such snapshot)."""
    share = trend[("on key questions", SCOTLAND)]
    some, most = share[share > 0], share[share >= 0.5]
    return (some.index[0] if len(some) else None), (most.index[0] if len(most) else None)


def residential_repetition(services: pd.DataFrame, grades: pd.DataFrame) -> pd.DataFrame:
    """Per snapshot: residential children's services with 2+ key-question grades, and the share
    whose key-question grades are all one value.

    Returns
    -------
    DataFrame
        Index ``snapshot``; ``services with 2+ key questions`` (a count), ``one value
        repeated`` (a share).
    """
    kids = childrens(services)
    res = kids[kids["care_service"].isin(RESIDENTIAL)][["snapshot_date", "service_id"]]
    kq = grades[grades["framework"] == KEY_QUESTION].merge(res, on=["snapshot_date", "service_id"])
    per = kq.groupby(["snapshot_date", "service_id"], observed=True)["grade"].agg(
        ["nunique", "size"]
    )
    per = per[per["size"] >= 2]
    table = (
        (per["nunique"] == 1)
        .groupby(level="snapshot_date")
        .agg(["size", "mean"])
        .rename(columns={"size": "services with 2+ key questions", "mean": "one value repeated"})
    )
    table.index = pd.DatetimeIndex(table.index, name="snapshot")
    return table


def key_questions_nearly_all(table: pd.DataFrame) -> pd.Timestamp:
    """The first snapshot of :func:`residential_repetition` at which key questions covered
    nearly all residential services (90% as many as at the latest snapshot)."""
    n = table["services with 2+ key questions"]
    return n[n >= 0.9 * n.iloc[-1]].index[0]


def repetition_since_change(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`residential_repetition` from :func:`key_questions_nearly_all` on: the rows the
    sentence about it cites."""
    return table.loc[key_questions_nearly_all(table) :]


@takes_area
def residential_grades(lowest: pd.DataFrame, date: pd.Timestamp, area: str) -> pd.DataFrame:
    """Residential children's services by their lowest grade at ``date``: ``area`` and Scotland,
    counts and shares.

    Returns
    -------
    DataFrame
        Index ``grade`` (highest first); columns (``place``, ``measure``): ``services`` (a
        count) and ``share`` (a fraction), for ``area`` then Scotland.
    """
    now = lowest[(lowest["snapshot_date"] == date) & lowest["care_service"].isin(RESIDENTIAL)]
    columns = {}
    for place, rows in ((area, now[now["council_area"] == area]), (SCOTLAND, now)):
        counts = rows["lowest"].value_counts().reindex(list(HIGHEST_FIRST))
        columns[(place, "services")] = counts.fillna(0).astype(int)
        columns[(place, "share")] = (counts / counts.sum()).fillna(0)
    table = pd.DataFrame(columns)
    table.columns.names = ["place", "measure"]
    table.index.name = "grade"
    return table


def excluded_frameworks(grades: pd.DataFrame) -> pd.DataFrame:
    """Grades left out of the comparisons (COVID-19, combined and previous), by framework: how
    many, and the first and last snapshot with any."""
    out = grades[~grades["framework"].isin(COMPARED)]
    return out.groupby("framework", observed=True).agg(
        grades=("grade", "size"),
        first=("snapshot_date", "min"),
        last=("snapshot_date", "max"),
    )


def good_or_better_by_area(lowest: pd.DataFrame, date: pd.Timestamp) -> pd.DataFrame:
    """Every council area's graded children's services at ``date``, and how many of them had a
    lowest grade of good or better (the front page's map).

    Returns
    -------
    DataFrame
        Index ``council_area`` (all 32, A to Z); ``graded`` and ``good or better`` (counts),
        ``share`` (a fraction; missing where none was graded: not known, never zero).
    """
    now = lowest[lowest["snapshot_date"] == pd.Timestamp(date)]
    good = now["lowest"].isin(GOOD_OR_BETTER)
    area = now["council_area"].astype(str)
    table = pd.DataFrame(
        {"graded": area.value_counts(), GOOD_OR_BETTER_NAME: good.groupby(area).sum()}
    )
    table = table.reindex(pd.Index(COUNCIL_AREAS, name="council_area")).fillna(0).astype(int)
    table["share"] = (table[GOOD_OR_BETTER_NAME] / table["graded"]).where(table["graded"] > 0)
    return table


# --- one area's services: graded weak or worse, and how many were graded -------------------------


@takes_area
def graded_counts(lowest: pd.DataFrame, dates: list[pd.Timestamp], area: str) -> pd.Series:
    """How many of ``area``'s children's services were graded at each date (0 where none)."""
    here = lowest[lowest["council_area"] == area]
    return here.groupby("snapshot_date").size().reindex(dates, fill_value=0).astype(int)


def _weak(lowest: pd.DataFrame) -> pd.Series:
    return lowest["lowest"].astype(str).isin(WEAK_OR_WORSE)


@takes_area
def weak_or_worse(lowest: pd.DataFrame, services: pd.DataFrame, date, area: str) -> pd.DataFrame:
    """``area``'s children's services whose lowest grade at ``date`` is weak or worse.

    Returns
    -------
    DataFrame
        One row per service, worst first then by type: ``service_id``, ``care_service``,
        ``service_name`` (as the tables hold it: blank for a childminder, whose name is a
        person's), ``sector``, ``lowest`` (the grade), ``framework``. Shown to readers by
        :func:`helpers.narrative.care.weak_services`, which names no childminder.
    """
    date = pd.Timestamp(date)
    low = lowest[
        (lowest["snapshot_date"] == date) & (lowest["council_area"] == area) & _weak(lowest)
    ]
    names = services[services["snapshot_date"] == date][["service_id", "service_name"]]
    out = low.merge(names, on="service_id", how="left")
    out = out.sort_values(["lowest", "care_service"], kind="stable")
    columns = ["service_id", "care_service", "service_name", "sector", "lowest", "framework"]
    return out[columns].reset_index(drop=True)


@takes_area
def weak_by_type(lowest: pd.DataFrame, date, area: str) -> pd.DataFrame:
    """Graded children's services whose lowest grade at ``date`` is weak or worse, by type:
    how many in ``area`` and in Scotland, and how many of each type are graded there.

    Returns
    -------
    DataFrame
        Index ``care service`` (the types ``area`` has graded, most weak or worse first);
        columns (``place``, ``measure``): ``weak or worse`` and ``graded`` (counts), for
        ``area`` then Scotland.
    """
    now = lowest[lowest["snapshot_date"] == pd.Timestamp(date)]
    columns = {}
    for place, rows in ((area, now[now["council_area"] == area]), (SCOTLAND, now)):
        kind = rows["care_service"].astype(str)
        columns[(place, WEAK_OR_WORSE_NAME)] = _weak(rows).groupby(kind).sum()
        columns[(place, "graded")] = rows.groupby(kind).size()
    table = pd.DataFrame(columns).fillna(0).astype(int)
    table.columns.names = ["place", "measure"]
    table = table[table[(area, "graded")] > 0]
    table = table.sort_values(
        [(area, WEAK_OR_WORSE_NAME), (area, "graded")], ascending=False, kind="stable"
    )
    table.index.name = "care service"
    return table
