"""Registered care services for children: the tables and charts of notebook 03.

Every function takes the tables of :func:`helpers.care_services.load` (or, for a folder of raw
snapshots, :func:`helpers.datastore.history`) and returns a table, or a
``(figure, alt text, table)`` triple for :func:`helpers.display.show`. Titles and alt texts are
built from the numbers, never typed, so they stay true when the data change. Shares are computed
as fractions; the tables shown beside the charts give them as whole percentages (columns named
``... (%)``, see :func:`percent_table`).

Definitions used throughout:

children's services
    ``Client_group`` = Children, whatever the service's status (active, inactive, proposing to
    cancel): the services of :mod:`helpers.care_services` (tests check this definition against
    the counts recorded with the raw snapshots).
a service's grade
    its *lowest* current grade, over the quality themes or the key questions it was last graded
    on (a service is graded on one framework at a time). The lowest grade is the one that says
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
from matplotlib.figure import Figure

from helpers.grades import GRADES, HIGHEST_FIRST, PALETTE

AREA = "Perth and Kinross"
SCOTLAND = "Scotland"
DECEMBER_2017 = pd.Timestamp("2017-12-31")
RESIDENTIAL = (
    "Care Home Service",
    "School Care Accommodation Service",
    "Secure Accommodation Service",
)
#: The frameworks a service is graded on (see the module docstring for why not the others).
FRAMEWORKS = ("quality theme", "key question")
GOOD_OR_BETTER = ("good", "very good", "excellent")
_AREA_COLOUR = "#08306b"
_SCOTLAND_COLOUR = "#9e9ac8"


def pct(share: float) -> str:
    """A share as a whole percentage ('91%'), with a decimal rather than round to 0% or 100%."""
    if 0 < share < 0.005 or 0.995 <= share < 1:
        return f"{share:.1%}"
    return f"{share:.0%}"


def day(date: pd.Timestamp) -> str:
    """A snapshot date in words ('31 May 2026')."""
    date = pd.Timestamp(date)
    return f"{date.day} {date:%B %Y}"


def period(dates) -> str:
    """The snapshots a set of dates covers, in words: '39 snapshots from 31 March 2016 to 31 May
    2026', or 'one snapshot, of 31 May 2026'."""
    unique = sorted({pd.Timestamp(d) for d in dates})
    if len(unique) == 1:
        return f"one snapshot, of {day(unique[0])}"
    return f"{len(unique)} snapshots from {day(unique[0])} to {day(unique[-1])}"


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


def comparison_dates(services: pd.DataFrame) -> list[pd.Timestamp]:
    """December 2017 (if there is a snapshot of it) and the latest snapshot, oldest first."""
    present = set(pd.to_datetime(services["snapshot_date"].unique()))
    dates = [d for d in (DECEMBER_2017, latest_date(services)) if d in present]
    return list(dict.fromkeys(dates))


def registered_counts(
    services: pd.DataFrame, dates: list[pd.Timestamp], area: str = AREA
) -> pd.DataFrame:
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


def by_type(services: pd.DataFrame, dates: list[pd.Timestamp], area: str = AREA) -> pd.DataFrame:
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


def by_type_chart(table: pd.DataFrame, area: str = AREA) -> tuple[Figure, str, pd.DataFrame]:
    """Grouped bars: children's services by type in ``area``, at each date of ``table``."""
    dates = list(dict.fromkeys(c[0] for c in table.columns))
    counts = table.xs(area, axis=1, level=1)
    first, last = dates[0], dates[-1]
    total_first, total_last = int(counts[first].sum()), int(counts[last].sum())
    if first == last:
        top = counts[last].idxmax()
        title = (
            f"{area}: {total_last} registered children's services on {last};\n"
            f"{top.lower()} the most ({int(counts.loc[top, last])})"
        )
    else:
        change = counts[first].sub(counts[last])
        biggest = change.idxmax()
        if change[biggest] > 0:
            what = f"{biggest.lower()} fell most ({int(change[biggest])} fewer)"
        else:
            what = "no type fell"
        title = (
            f"{area}: {total_first} registered children's services on {first}, {total_last} "
            f"on {last};\n{what}"
        )
    fig = Figure(figsize=(8, 0.45 * len(counts) + 1.5))
    ax = fig.subplots()
    y = np.arange(len(counts))
    height = 0.8 / len(dates)
    colours = ["#bdbdbd", _AREA_COLOUR]
    for i, date in enumerate(dates):
        bars = ax.barh(y + i * height, counts[date], height, label=date, color=colours[i % 2])
        ax.bar_label(bars, padding=2, fontsize=8)
    ax.set_yticks(y + height * (len(dates) - 1) / 2, counts.index)
    ax.invert_yaxis()
    ax.set_xlabel("registered services")
    ax.set_title(title, fontsize=10, loc="left")
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    if first == last:
        alt = (
            f"Horizontal bar chart of {area}'s registered children's services by type on "
            f"{last}. The total was {total_last}; "
            + "; ".join(f"{name}: {int(counts.loc[name, last])}" for name in counts.index)
            + "."
        )
    else:
        alt = (
            f"Horizontal grouped bar chart of {area}'s registered children's services by type on "
            f"{first} and on {last}. The total went from {total_first} to {total_last}; "
            + "; ".join(
                f"{name}: {int(counts.loc[name, first])} then {int(counts.loc[name, last])}"
                for name in counts.index
            )
            + "."
        )
    return fig, alt, table


def by_sector(services: pd.DataFrame, dates: list[pd.Timestamp], area: str = AREA) -> pd.DataFrame:
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


def grade_shares(lowest: pd.DataFrame, dates: list[pd.Timestamp], area: str = AREA) -> pd.DataFrame:
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


def grade_shares_chart(table: pd.DataFrame, area: str = AREA) -> tuple[Figure, str, pd.DataFrame]:
    """100% stacked bars of lowest grades, ``area`` and Scotland, at each date."""
    last = table.index.get_level_values(0)[-1]
    here, there = (
        table.loc[(last, area), "good or better"],
        table.loc[(last, SCOTLAND), "good or better"],
    )
    relation = "above" if here > there else "below" if here < there else "level with"
    top = ["excellent", "very good"]
    first = table.index.get_level_values(0)[0]
    if first == last:
        title = (
            f"{pct(here)} of {area}'s graded children's services were good or better on {last},"
            f"\n{relation} Scotland's {pct(there)}; very good or better: {area} "
            f"{pct(table.loc[(last, area), top].sum())}, Scotland "
            f"{pct(table.loc[(last, SCOTLAND), top].sum())}"
        )
    else:
        title = (
            f"{pct(here)} of {area}'s graded children's services were good or better on {last},"
            f"\n{relation} Scotland's {pct(there)}; very good or better: {area} "
            f"{pct(table.loc[(first, area), top].sum())} on {first},\n"
            f"{pct(table.loc[(last, area), top].sum())} on {last} (Scotland "
            f"{pct(table.loc[(first, SCOTLAND), top].sum())}, "
            f"{pct(table.loc[(last, SCOTLAND), top].sum())})"
        )
    fig = Figure(figsize=(8, 3.6))
    ax = fig.subplots()
    labels = [f"{place}, {date}" for date, place in table.index]
    left = np.zeros(len(table))
    for grade in HIGHEST_FIRST:
        values = table[grade].to_numpy(dtype=float)
        ax.barh(labels, values, left=left, color=PALETTE[grade], label=grade)
        for y, (x0, v) in enumerate(zip(left, values, strict=True)):
            if v >= 0.06:
                colour = (
                    "white" if grade in ("excellent", "very good", "unsatisfactory") else "black"
                )
                ax.text(x0 + v / 2, y, pct(v), ha="center", va="center", fontsize=8, color=colour)
        left += values
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(lambda x, _: pct(x))
    ax.set_title(title, fontsize=10, loc="left")
    ax.legend(ncols=6, fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.15))
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    alt = (
        "Stacked horizontal bar chart of the share of graded children's services by their lowest "
        f"grade, {area} and Scotland. "
        + "; ".join(
            f"{place}, {date}: {pct(row['good or better'])} good or better, "
            f"{pct(row['excellent'] + row['very good'])} very good or excellent, "
            f"of {int(row['services graded'])} services"
            for (date, place), row in table.iterrows()
        )
        + "."
    )
    return fig, alt, percent_table(table, [*HIGHEST_FIRST, "good or better"])


def good_or_better_trend(lowest: pd.DataFrame, area: str = AREA) -> pd.DataFrame:
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


def trend_chart(trend: pd.DataFrame, area: str = AREA) -> tuple[Figure, str, pd.DataFrame]:
    """Lines: share good or better, ``area`` vs Scotland, with the framework change marked (a
    band from the first key-question grades to the first snapshot where most services have them)."""
    first_kq, majority_kq = framework_change(trend)
    # The change is marked only where the snapshots show it begin: if key-question grades are
    # there from the first snapshot, when they began is not known from these data.
    if first_kq is not None and first_kq <= trend.index[0]:
        first_kq = majority_kq = None
    dates = pd.to_datetime(pd.Series(trend.index))
    lows = {place: trend[place].agg(["min", "idxmin"]) for place in (area, SCOTLAND)}
    gap = (trend[area] - trend[SCOTLAND]).abs().max()
    single = len(trend) == 1
    if single:
        title = (
            f"Good or better on {day(dates.iloc[0])}: {area} {pct(trend[area].iloc[0])}, "
            f"Scotland {pct(trend[SCOTLAND].iloc[0])}"
        )
    else:
        through = ", through the change of framework" if first_kq is not None else ""
        title = (
            f"Good or better: {area} {pct(trend[area].iloc[0])} → {pct(trend[area].iloc[-1])}, "
            f"Scotland {pct(trend[SCOTLAND].iloc[0])} → {pct(trend[SCOTLAND].iloc[-1])};\n"
            f"never more than {gap * 100:.0f} points apart{through}"
        )
    fig = Figure(figsize=(8, 3.8))
    ax = fig.subplots()
    ax.plot(dates, trend[area], marker="o", ms=3, color=_AREA_COLOUR, label=area)
    ax.plot(dates, trend[SCOTLAND], marker="o", ms=3, color=_SCOTLAND_COLOUR, label=SCOTLAND)
    band = ""
    if first_kq is not None:
        end = majority_kq if majority_kq is not None else trend.index[-1]
        ax.axvspan(pd.Timestamp(first_kq), pd.Timestamp(end), color="#f0f0f0", zorder=0)
        band = (
            f" A shaded band from {day(first_kq)} (first key-question grades) to {day(end)} "
            + (
                "(key questions for most services)"
                if majority_kq is not None
                else "(the last snapshot; key questions are not yet the majority)"
            )
            + " marks the change from quality themes to key questions."
        )
    if majority_kq is not None:
        ax.axvline(pd.Timestamp(majority_kq), color="#636363", ls="--", lw=1)
        ax.text(
            pd.Timestamp(majority_kq),
            0.995,
            " key questions\n replace quality themes",
            fontsize=8,
            va="top",
            color="#636363",
        )
    bottom = min(0.8, np.floor(float(trend[[area, SCOTLAND]].min().min()) * 20) / 20)
    ax.set_ylim(bottom, 1.0)
    ax.set_yticks(np.linspace(bottom, 1.0, int(round((1.0 - bottom) / 0.05)) + 1))
    ax.yaxis.set_major_formatter(lambda y, _: pct(y))
    ax.set_ylabel("graded children's services\nwhose lowest grade is good or better", fontsize=8)
    ax.set_title(title, fontsize=10, loc="left")
    ax.legend(frameon=False, loc="lower left")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    if single:
        values = f"{area}: {pct(trend[area].iloc[0])}; Scotland: {pct(trend[SCOTLAND].iloc[0])}."
    else:
        values = (
            f"{area} went from {pct(trend[area].iloc[0])} to {pct(trend[area].iloc[-1])} "
            f"(lowest {pct(lows[area]['min'])} on {day(lows[area]['idxmin'])}); Scotland from "
            f"{pct(trend[SCOTLAND].iloc[0])} to {pct(trend[SCOTLAND].iloc[-1])}."
        )
    alt = (
        "Line chart of the share of graded children's services whose lowest grade is good or "
        f"better, at {period(dates)}, {area} and Scotland. {values}{band}"
    )
    return fig, alt, percent_table(trend, [area, SCOTLAND, "graded on key questions (Scotland)"])


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


def residential_grades(lowest: pd.DataFrame, date: pd.Timestamp, area: str = AREA) -> pd.DataFrame:
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


def residential_chart(
    table: pd.DataFrame, date: pd.Timestamp, area: str = AREA
) -> tuple[Figure, str, pd.DataFrame]:
    """Grouped bars: residential children's services by grade, ``area`` vs Scotland (shares)."""
    here, there = table[f"{area} (share)"], table[f"{SCOTLAND} (share)"]
    n_here, n_there = (
        int(table[f"{area} (services)"].sum()),
        int(table[f"{SCOTLAND} (services)"].sum()),
    )
    good_here = here[list(GOOD_OR_BETTER)].sum()
    good_there = there[list(GOOD_OR_BETTER)].sum()
    title = (
        f"{pct(good_here)} of {area}'s {n_here} graded residential children's services were good "
        f"or better on {day(date)},\nagainst {pct(good_there)} of Scotland's {n_there}"
    )
    fig = Figure(figsize=(8, 3.4))
    ax = fig.subplots()
    x = np.arange(len(table))
    ax.bar(x - 0.2, here, 0.4, color=_AREA_COLOUR, label=f"{area} ({n_here} services)")
    ax.bar(x + 0.2, there, 0.4, color=_SCOTLAND_COLOUR, label=f"{SCOTLAND} ({n_there} services)")
    for xi, (a, b) in enumerate(zip(here, there, strict=True)):
        ax.text(xi - 0.2, a + 0.01, pct(a), ha="center", fontsize=8)
        ax.text(xi + 0.2, b + 0.01, pct(b), ha="center", fontsize=8)
    ax.set_xticks(x, table.index)
    ax.yaxis.set_major_formatter(lambda y, _: pct(y))
    ax.set_ylabel("share of services", fontsize=8)
    ax.set_title(title, fontsize=10, loc="left")
    ax.legend(frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    alt = (
        "Grouped bar chart of residential children's services (care homes, school care and "
        f"secure accommodation) by their key-question grade on {day(date)}, {area} against "
        f"Scotland. {area}: "
        + ", ".join(f"{g} {int(table.loc[g, f'{area} (services)'])}" for g in table.index)
        + f" ({pct(good_here)} good or better); Scotland: "
        + ", ".join(f"{g} {pct(there[g])}" for g in table.index)
        + f" ({pct(good_there)} good or better)."
    )
    shown = percent_table(table, [f"{area} (share)", f"{SCOTLAND} (share)"])
    shown.columns = [c.replace(" (share) (%)", " (%)") for c in shown.columns]
    return fig, alt, shown


def sector_sentence(table: pd.DataFrame, date: pd.Timestamp, area: str = AREA) -> str:
    """Which sector runs most of ``area``'s children's services at ``date``, against Scotland."""
    shares = table.drop(columns="services", errors="ignore")
    here = shares.loc[(day(date), area)]
    there = shares.loc[(day(date), SCOTLAND)]
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
    now = (
        f"On {day(last)}, {pct(share.iloc[-1])} of the {int(n.iloc[-1])} "
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
