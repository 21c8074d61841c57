"""Registered care services for children: the tables behind notebook 03.

Every function takes the tables of :func:`helpers.care_services.load` (or, for a folder of raw
snapshots, :func:`helpers.datastore.history`) and returns a table; the charts
of these tables are in :mod:`helpers.charts.care` and the sentences in :mod:`helpers.narrative`.
Every function takes the area it is about: none has a default. Shares are computed
as fractions; the tables shown beside the charts give them as whole percentages (columns named
``... (%)``, see :func:`percent_table`).

Definitions used throughout:

children's services
    ``Client_group`` = Children, whatever the service's status (active, inactive, proposing to
    cancel): the services of :mod:`helpers.care_services` (tests check this definition against
    the counts recorded with the raw snapshots).
a service's grade
    its *lowest* current grade, over the quality themes and key questions the datastore lists for
    it. Most services carry one framework at a time, but from mid-2021 to late 2022 a few hundred
    carry both, and then an older theme grade counts too. The lowest grade is the one that says
    whether anything about the service fell short, and it is comparable across the frameworks
    where single measures are not (themes and key questions measure different things). COVID-19
    key questions and the datastore's combined evaluations (which restate the other grades) are
    left out.
residential children's services
    care homes for children and young people, school care accommodation and secure
    accommodation.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.areas import OUTSIDE_SCOTLAND, SCOTLAND
from helpers.grades import GOOD_OR_BETTER, GRADES, HIGHEST_FIRST
from helpers.words import day

RESIDENTIAL = (
    "Care Home Service",
    "School Care Accommodation Service",
    "Secure Accommodation Service",
)
#: The frameworks a service is graded on (see the module docstring for why not the others).
FRAMEWORKS = ("quality theme", "key question")


def percent_table(table: pd.DataFrame, columns: list) -> pd.DataFrame:
    """``table`` with the share ``columns`` as whole percentages (int), named ``'<name> (%)'``.

    A column label that is a tuple (a MultiIndex) has its last level renamed.
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


def childrens(services: pd.DataFrame) -> pd.DataFrame:
    """Children's services (``client_group`` Children, any status)."""
    return services[services["client_group"] == "Children"]


def latest_date(services: pd.DataFrame) -> pd.Timestamp:
    """The date of the latest snapshot."""
    return pd.Timestamp(services["snapshot_date"].max())


def comparison_dates(services: pd.DataFrame, since: pd.Timestamp) -> list[pd.Timestamp]:
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


def registered_counts(services: pd.DataFrame, dates: list[pd.Timestamp], area: str) -> pd.DataFrame:
    """Children's services registered in ``area`` and in Scotland at each date."""
    kids = childrens(services)
    kids = kids[kids["snapshot_date"].isin(dates)]
    table = pd.DataFrame(
        {
            area: kids[kids["council_area"] == area].groupby("snapshot_date").size(),
            SCOTLAND: kids.groupby("snapshot_date").size(),
        }
    ).reindex(dates)
    table.index = [day(d) for d in dates]
    table.index.name = "snapshot"
    return table.astype("Int64")


def by_type(services: pd.DataFrame, dates: list[pd.Timestamp], area: str) -> pd.DataFrame:
    """Children's services by type at each date: counts in ``area``, and Scotland's shares as
    whole percentages (column ``'Scotland (%)'``). Types ``area`` has none of are left out."""
    kids = childrens(services)
    columns = {}
    for date in dates:
        now = kids[kids["snapshot_date"] == date]
        here = now[now["council_area"] == area]["care_service"].value_counts()
        columns[(day(date), area)] = here
        columns[(day(date), SCOTLAND)] = now["care_service"].value_counts(normalize=True)
    table = pd.DataFrame(columns).fillna(0)
    table.index = table.index.astype(str)
    for col in table.columns:
        if col[1] == area:
            table[col] = table[col].astype(int)
    table = percent_table(table, [c for c in table.columns if c[1] == SCOTLAND])
    table = table[(table.xs(area, axis=1, level=1) > 0).any(axis=1)]
    table = table.sort_values((day(dates[-1]), area), ascending=False)
    table.index.name = "care service"
    return table


def by_sector(services: pd.DataFrame, dates: list[pd.Timestamp], area: str) -> pd.DataFrame:
    """Shares (fractions) of children's services by sector, in ``area`` and Scotland, at each
    date, and how many services (``services``). Show it with :func:`sector_table`."""
    kids = childrens(services)
    rows = {}
    for date in dates:
        now = kids[kids["snapshot_date"] == date]
        for place, frame in ((area, now[now["council_area"] == area]), (SCOTLAND, now)):
            rows[(day(date), place)] = frame["sector"].value_counts(normalize=True)
    table = pd.DataFrame(rows).T.fillna(0)
    table.columns = table.columns.astype(str)
    table = table[table.mean().sort_values(ascending=False).index]
    table.columns.name = "sector"
    counts = {}
    for date in dates:
        now = kids[kids["snapshot_date"] == date]
        counts[(day(date), area)] = int((now["council_area"] == area).sum())
        counts[(day(date), SCOTLAND)] = len(now)
    table["services"] = pd.Series(counts).reindex(table.index).astype(int)
    table.index.names = ["snapshot", "place"]
    return table


def sector_table(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`by_sector` with the shares as whole percentages."""
    return percent_table(table, [c for c in table.columns if c != "services"])


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
    current = grades[grades["framework"].isin(FRAMEWORKS)]
    per = (
        current.assign(kq=current["framework"] == "key question")
        .groupby(["snapshot_date", "service_id"], observed=True)
        .agg(lowest=("grade", "min"), kq=("kq", "any"), measures=("grade", "size"))
        .reset_index()
    )
    per["framework"] = np.where(per["kq"], "key question", "quality theme")
    out = kids.merge(per.drop(columns="kq"), on=["snapshot_date", "service_id"], how="inner")
    out["lowest"] = out["lowest"].astype(GRADES)
    return out.sort_values(["snapshot_date", "service_id"]).reset_index(drop=True)


def grade_shares(lowest: pd.DataFrame, dates: list[pd.Timestamp], area: str) -> pd.DataFrame:
    """Share (fraction) of graded children's services by lowest grade, ``area`` vs Scotland, at
    each date; services not graded are not counted."""
    rows = {}
    for date in dates:
        now = lowest[lowest["snapshot_date"] == date]
        for place, frame in ((area, now[now["council_area"] == area]), (SCOTLAND, now)):
            shares = frame["lowest"].value_counts(normalize=True).reindex(list(HIGHEST_FIRST))
            rows[(day(date), place)] = {
                **shares.fillna(0).to_dict(),
                "good or better": float(frame["lowest"].isin(GOOD_OR_BETTER).mean())
                if len(frame)
                else 0.0,
                "services graded": len(frame),
            }
    table = pd.DataFrame(rows).T
    table["services graded"] = table["services graded"].astype(int)
    table.index.names = ["snapshot", "place"]
    return table


def good_or_better_trend(lowest: pd.DataFrame, area: str) -> pd.DataFrame:
    """Per snapshot: share good or better in ``area`` and Scotland, and the key questions' share."""
    good = lowest["lowest"].isin(GOOD_OR_BETTER)
    kq = lowest["framework"] == "key question"
    in_area = lowest["council_area"] == area
    by = lowest["snapshot_date"]
    table = pd.DataFrame(
        {
            area: good[in_area].groupby(by[in_area]).mean(),
            SCOTLAND: good.groupby(by).mean(),
            f"graded in {area}": in_area.groupby(by).sum(),
            "graded in Scotland": good.groupby(by).size(),
            "graded on key questions (Scotland)": kq.groupby(by).mean(),
        }
    )
    table.index = table.index.date
    table.index.name = "snapshot"
    return table


def framework_change(trend: pd.DataFrame) -> tuple[object, object]:
    """The first snapshot with any key-question grade, and the first where they are the majority
    (each ``None`` if there is no such snapshot)."""
    share = trend["graded on key questions (Scotland)"]
    some, most = share[share > 0], share[share >= 0.5]
    return (some.index[0] if len(some) else None), (most.index[0] if len(most) else None)


def residential_repetition(services: pd.DataFrame, grades: pd.DataFrame) -> pd.DataFrame:
    """Per snapshot: residential children's services with 2+ key-question grades, and the share
    whose key-question grades are all one value."""
    kids = childrens(services)
    res = kids[kids["care_service"].isin(RESIDENTIAL)][["snapshot_date", "service_id"]]
    kq = grades[grades["framework"] == "key question"].merge(
        res, on=["snapshot_date", "service_id"]
    )
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
    table.index = table.index.date
    table.index.name = "snapshot"
    return table


def key_questions_nearly_all(table: pd.DataFrame):
    """The first snapshot of :func:`residential_repetition` at which key questions covered
    nearly all residential services (90% as many as at the latest snapshot)."""
    n = table["services with 2+ key questions"]
    return n[n >= 0.9 * n.iloc[-1]].index[0]


def repetition_since_change(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`residential_repetition` from :func:`key_questions_nearly_all` on: the rows the
    sentence about it cites."""
    return table.loc[key_questions_nearly_all(table) :]


def residential_grades(lowest: pd.DataFrame, date: pd.Timestamp, area: str) -> pd.DataFrame:
    """Residential children's services by their lowest grade at ``date``: ``area`` and Scotland,
    counts and shares (fractions)."""
    now = lowest[(lowest["snapshot_date"] == date) & lowest["care_service"].isin(RESIDENTIAL)]
    here = now[now["council_area"] == area]["lowest"].value_counts().reindex(list(HIGHEST_FIRST))
    there = now["lowest"].value_counts().reindex(list(HIGHEST_FIRST))
    table = pd.DataFrame(
        {
            f"{area} (services)": here.fillna(0).astype(int),
            f"{area} (share)": (here / here.sum()).fillna(0),
            f"{SCOTLAND} (services)": there.fillna(0).astype(int),
            f"{SCOTLAND} (share)": (there / there.sum()).fillna(0),
        }
    )
    table.index.name = "grade"
    return table


def residential_table(table: pd.DataFrame, area: str) -> pd.DataFrame:
    """:func:`residential_grades` for readers: each place named once over its two columns,
    'services' and '%' (whole percentages)."""
    columns = {}
    for place in (area, SCOTLAND):
        columns[(place, "services")] = table[f"{place} (services)"]
        columns[(place, "%")] = (table[f"{place} (share)"] * 100).round().astype(int)
    out = pd.DataFrame(columns)
    out.columns.names = ["place", ""]
    return out


def excluded_frameworks(grades: pd.DataFrame) -> pd.DataFrame:
    """Grades left out of the comparisons (COVID-19, combined and previous), by framework."""
    out = grades[~grades["framework"].isin(FRAMEWORKS)]
    table = out.groupby("framework", observed=True).agg(
        grades=("grade", "size"),
        first=("snapshot_date", "min"),
        last=("snapshot_date", "max"),
    )
    table["first"] = table["first"].dt.date
    table["last"] = table["last"].dt.date
    return table


# --- one area's services named, and what changed between two snapshots ---------------------------

CHILD_MINDING = "Child Minding"
#: What a reader sees in place of a childminder's name, which is a person's name.
NOT_NAMED = "a childminder (not named)"
WEAK_OR_WORSE = ("weak", "unsatisfactory")


def service_label(frame: pd.DataFrame) -> pd.Series:
    """The name a reader may see for each service: its name, never a childminder's.

    A childminder's name is a person's name: it is shown as :data:`NOT_NAMED` whatever the
    table holds; a service with no name recorded is 'name not recorded'.
    """
    minder = frame["care_service"].astype(str) == CHILD_MINDING
    names = frame["service_name"].astype(object)
    named = names.where(names.notna() & (names.astype(str) != ""), "name not recorded")
    return named.where(~minder, NOT_NAMED).astype(str)


def graded_counts(lowest: pd.DataFrame, dates: list[pd.Timestamp], area: str) -> pd.Series:
    """How many of ``area``'s children's services were graded at each date (0 where none)."""
    here = lowest[lowest["council_area"] == area]
    return here.groupby("snapshot_date").size().reindex(dates, fill_value=0).astype(int)


def weak_or_worse(lowest: pd.DataFrame, services: pd.DataFrame, date, area: str) -> pd.DataFrame:
    """``area``'s children's services whose lowest grade at ``date`` is weak or worse.

    Returns
    -------
    DataFrame
        One row per service, worst first then by type: ``care service``, ``service`` (its name,
        never a childminder's, see :func:`service_label`), ``sector``, ``lowest grade``,
        ``framework``.
    """
    date = pd.Timestamp(date)
    low = lowest[
        (lowest["snapshot_date"] == date)
        & (lowest["council_area"] == area)
        & lowest["lowest"].astype(str).isin(WEAK_OR_WORSE)
    ]
    names = services[services["snapshot_date"] == date][["service_id", "service_name"]]
    out = low.merge(names, on="service_id", how="left")
    out = out.assign(service=service_label(out), grade_code=out["lowest"].cat.codes)
    out = out.sort_values(["grade_code", "care_service", "service"], kind="stable")
    out = out.rename(columns={"care_service": "care service", "lowest": "lowest grade"})
    columns = ["care service", "service", "sector", "lowest grade", "framework"]
    return out[columns].astype({"lowest grade": str}).reset_index(drop=True)


def weak_by_type(lowest: pd.DataFrame, date, area: str) -> pd.DataFrame:
    """Graded children's services whose lowest grade at ``date`` is weak or worse, by type:
    how many in ``area`` and in Scotland, and how many of each type are graded there."""
    now = lowest[lowest["snapshot_date"] == pd.Timestamp(date)]
    here = now[now["council_area"] == area]
    weak = now["lowest"].astype(str).isin(WEAK_OR_WORSE)
    weak_here = here["lowest"].astype(str).isin(WEAK_OR_WORSE)
    table = pd.DataFrame(
        {
            f"{area}: weak or worse": weak_here.groupby(here["care_service"].astype(str)).sum(),
            f"{area}: graded": here.groupby(here["care_service"].astype(str)).size(),
            f"{SCOTLAND}: weak or worse": weak.groupby(now["care_service"].astype(str)).sum(),
            f"{SCOTLAND}: graded": now.groupby(now["care_service"].astype(str)).size(),
        }
    )
    table = table.fillna(0).astype(int)
    table = table[table[f"{area}: graded"] > 0]
    table = table.sort_values(
        [f"{area}: weak or worse", f"{area}: graded"], ascending=False, kind="stable"
    )
    table.index.name = "care service"
    return table


def changed_services(frame: pd.DataFrame, with_area: bool = True) -> pd.DataFrame:
    """Services newly registered or cancelled (:class:`helpers.changes.Changes` ``new`` or
    ``cancelled``) as a reader's table: area, type, sector and name (never a childminder's)."""
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


def changed_by_type(new: pd.DataFrame, cancelled: pd.DataFrame) -> pd.DataFrame:
    """How many services of each type were newly registered and how many cancelled."""
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


def grade_moves(moves: pd.DataFrame, with_area: bool = True) -> pd.DataFrame:
    """Grades that went down or up (:class:`helpers.changes.Changes` ``down`` or ``up``), one row
    per service, in the order given (for ``down``: those now weak or worse first).

    Columns: area, type, name (never a childminder's), for grades that went down ``fell to weak
    or worse`` (yes where a measure fell to weak or unsatisfactory), and ``grades``
    ('leadership: good → weak; ...').
    """
    columns = ["council area", "care service", "service", "now weak or worse", "grades"]
    if moves.empty:
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


def moves_by_type(down: pd.DataFrame, up: pd.DataFrame) -> pd.DataFrame:
    """Services with a grade that went down (of them, to weak or worse) and up, by type.

    ``down`` and ``up`` are :class:`helpers.changes.Changes` ``down`` and ``up`` (one row per
    measure); each service is counted once per column.
    """
    low = down[down["grade after"].astype(str).isin(WEAK_OR_WORSE)]

    def per_type(frame: pd.DataFrame) -> pd.Series:
        return frame.drop_duplicates("service_id")["care_service"].astype(str).value_counts()

    table = pd.DataFrame(
        {
            "a grade went down": per_type(down),
            "a grade fell to weak or worse": per_type(low),
            "a grade went up": per_type(up),
        }
    )
    table = table.fillna(0).astype(int)
    table = table.sort_values(list(table.columns), ascending=False, kind="stable")
    table.index.name = "care service"
    return table
