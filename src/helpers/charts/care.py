"""Charts of registered care services for children (notebook 03, the profiles), drawn from the
tables of :mod:`helpers.care.questions` (dates, counts, fractions).

Each returns a :class:`~helpers.charts.style.Chart`: the figure, its alt text and its table as
readers see it (:mod:`helpers.narrative.care`).
Titles and alt texts are built from the numbers, never typed, so they stay true when the data
change. Every function takes the area it is about: none has a default.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from helpers.areas import SCOTLAND
from helpers.care.questions import framework_change
from helpers.charts.style import (
    AREA_COLOUR,
    EARLIER_COLOUR,
    SCOTLAND_COLOUR,
    Chart,
    axes_headline,
    despine,
    legend_outside,
    literal_text,
    percent_axis,
    text_colour,
)
from helpers.grades import (
    GOOD_OR_BETTER,
    GOOD_OR_BETTER_NAME,
    HIGHEST_FIRST,
    PALETTE,
    VERY_GOOD_OR_BETTER,
)
from helpers.narrative.care import (
    by_type_table,
    grade_shares_table,
    residential_table,
    trend_table,
)
from helpers.words import day, pct, period


def _finish(fig: Figure, ax, title: str, ylabel: str | None = None) -> None:
    """The care charts' common last steps: the y axis's label, the headline, the legend beside
    the axes (clear of the data), no top or right spine, and a tight layout."""
    if ylabel:
        ax.set_ylabel(ylabel, fontsize=8)
    axes_headline(ax, title)
    legend_outside(ax)
    despine(ax)
    fig.tight_layout()


@literal_text
def by_type_chart(table: pd.DataFrame, area: str) -> Chart:
    """Grouped bars: children's services by type in ``area``, at each date of ``table``."""
    dates = list(dict.fromkeys(c[0] for c in table.columns))
    counts = table.xs(area, axis=1, level=1)
    first, last = dates[0], dates[-1]
    total_first, total_last = int(counts[first].sum()), int(counts[last].sum())
    if first == last:
        top = counts[last].idxmax()
        title = (
            f"{area}: {total_last} registered children's services on {day(last)};\n"
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
            f"{area}: {total_first} registered children's services on {day(first)}, "
            f"{total_last} on {day(last)};\n{what}"
        )
    fig = Figure(figsize=(8, 0.45 * len(counts) + 1.5))
    ax = fig.subplots()
    y = np.arange(len(counts))
    height = 0.8 / len(dates)
    colours = [EARLIER_COLOUR, AREA_COLOUR]
    for i, date in enumerate(dates):
        bars = ax.barh(y + i * height, counts[date], height, label=day(date), color=colours[i % 2])
        ax.bar_label(bars, padding=2, fontsize=8)
    # Room for the longest bar's label inside the axes, clear of the legend beside them.
    ax.set_xlim(0, max(1.0, float(counts.to_numpy().max())) * 1.12)
    ax.set_yticks(y + height * (len(dates) - 1) / 2, counts.index)
    ax.invert_yaxis()
    ax.set_xlabel("registered services")
    _finish(fig, ax, title)
    if first == last:
        alt = (
            f"Horizontal bar chart of {area}'s registered children's services by type on "
            f"{day(last)}. The total was {total_last}; "
            + "; ".join(f"{name}: {int(counts.loc[name, last])}" for name in counts.index)
            + "."
        )
    else:
        alt = (
            f"Horizontal grouped bar chart of {area}'s registered children's services by type on "
            f"{day(first)} and on {day(last)}. The total went from {total_first} to {total_last}; "
            + "; ".join(
                f"{name}: {int(counts.loc[name, first])} then {int(counts.loc[name, last])}"
                for name in counts.index
            )
            + "."
        )
    return Chart(fig, alt, by_type_table(table, area))


@literal_text
def grade_shares_chart(table: pd.DataFrame, area: str) -> Chart:
    """100% stacked bars of lowest grades, ``area`` and Scotland, at each date."""
    last = table.index.get_level_values(0)[-1]
    here, there = (
        table.loc[(last, area), GOOD_OR_BETTER_NAME],
        table.loc[(last, SCOTLAND), GOOD_OR_BETTER_NAME],
    )
    relation = "above" if here > there else "below" if here < there else "level with"
    top = list(VERY_GOOD_OR_BETTER)
    first = table.index.get_level_values(0)[0]
    if first == last:
        title = (
            f"{pct(here)} of {area}'s graded children's services were good or better on "
            f"{day(last)},"
            f"\n{relation} Scotland's {pct(there)}; very good or better: {area} "
            f"{pct(table.loc[(last, area), top].sum())}, Scotland "
            f"{pct(table.loc[(last, SCOTLAND), top].sum())}"
        )
    else:
        title = (
            f"{pct(here)} of {area}'s graded children's services were good or better on "
            f"{day(last)},\n{relation} Scotland's {pct(there)}; very good or better: {area} "
            f"{pct(table.loc[(first, area), top].sum())} on {day(first)},\n"
            f"{pct(table.loc[(last, area), top].sum())} on {day(last)} (Scotland "
            f"{pct(table.loc[(first, SCOTLAND), top].sum())}, "
            f"{pct(table.loc[(last, SCOTLAND), top].sum())})"
        )
    fig = Figure(figsize=(8, 3.6))
    ax = fig.subplots()
    labels = [f"{place}, {day(date)}" for date, place in table.index]
    left = np.zeros(len(table))
    for grade in HIGHEST_FIRST:
        values = table[grade].to_numpy(dtype=float)
        ax.barh(labels, values, left=left, color=PALETTE[grade], label=grade)
        for y, (x0, v) in enumerate(zip(left, values, strict=True)):
            if v >= 0.06:
                colour = text_colour(PALETTE[grade])
                ax.text(x0 + v / 2, y, pct(v), ha="center", va="center", fontsize=8, color=colour)
        left += values
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    percent_axis(ax.xaxis)
    axes_headline(ax, title)
    ax.legend(ncols=6, fontsize=7, frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.15))
    despine(ax)
    fig.tight_layout()
    alt = (
        "Stacked horizontal bar chart of the share of graded children's services by their lowest "
        f"grade, {area} and Scotland. "
        + "; ".join(
            f"{place}, {day(date)}: {pct(row[GOOD_OR_BETTER_NAME])} good or better, "
            f"{pct(row['excellent'] + row['very good'])} very good or excellent, "
            f"of {int(row['services graded'])} services"
            for (date, place), row in table.iterrows()
        )
        + "."
    )
    return Chart(fig, alt, grade_shares_table(table))


def _trend_words(trend: pd.DataFrame, area: str, marked: bool) -> tuple[str, str]:
    """The trend chart's title and the values its alt text gives."""
    here, there = trend[(GOOD_OR_BETTER_NAME, area)], trend[(GOOD_OR_BETTER_NAME, SCOTLAND)]
    if len(trend) == 1:
        date = day(trend.index[0])
        title = (
            f"Good or better on {date}: {area} {pct(here.iloc[0])}, Scotland {pct(there.iloc[0])}"
        )
        return title, f"{area}: {pct(here.iloc[0])}; Scotland: {pct(there.iloc[0])}."
    gap = (here - there).abs().max()
    through = ", through the change of framework" if marked else ""
    title = (
        f"Good or better: {area} {pct(here.iloc[0])} → {pct(here.iloc[-1])}, "
        f"Scotland {pct(there.iloc[0])} → {pct(there.iloc[-1])};\n"
        f"never more than {gap * 100:.0f} points apart{through}"
    )
    values = (
        f"{area} went from {pct(here.iloc[0])} to {pct(here.iloc[-1])} "
        f"(lowest {pct(here.min())} on {day(here.idxmin())}); Scotland from "
        f"{pct(there.iloc[0])} to {pct(there.iloc[-1])}."
    )
    return title, values


def _framework_band(ax, first_kq, majority_kq, last) -> str:
    """Shade the change from quality themes to key questions; return the alt text's words."""
    if first_kq is None:
        return ""
    end = majority_kq if majority_kq is not None else last
    ax.axvspan(pd.Timestamp(first_kq), pd.Timestamp(end), color="#f0f0f0", zorder=0)
    return (
        f" A shaded band from {day(first_kq)} (first key-question grades) to {day(end)} "
        + (
            "(key questions for most services)"
            if majority_kq is not None
            else "(the last snapshot; key questions are not yet the majority)"
        )
        + " marks the change from quality themes to key questions."
    )


@literal_text
def trend_chart(trend: pd.DataFrame, area: str) -> Chart:
    """Lines: share good or better, ``area`` vs Scotland, with the framework change marked (a
    band from the first key-question grades to the first snapshot where most services have them)."""
    first_kq, majority_kq = framework_change(trend)
    # The change is marked only where the snapshots show it begin: if key-question grades are
    # there from the first snapshot, when they began is not known from these data.
    if first_kq is not None and first_kq <= trend.index[0]:
        first_kq = majority_kq = None
    dates = pd.to_datetime(pd.Series(trend.index))
    title, values = _trend_words(trend, area, marked=first_kq is not None)
    fig = Figure(figsize=(8, 3.8))
    ax = fig.subplots()
    shares = trend[GOOD_OR_BETTER_NAME]
    ax.plot(dates, shares[area], marker="o", ms=3, color=AREA_COLOUR, label=area)
    ax.plot(dates, shares[SCOTLAND], marker="o", ms=3, color=SCOTLAND_COLOUR, label=SCOTLAND)
    band = _framework_band(ax, first_kq, majority_kq, trend.index[-1])
    if majority_kq is not None:
        ax.axvline(pd.Timestamp(majority_kq), color="#636363", ls="--", lw=1)
        ax.text(pd.Timestamp(majority_kq), 0.995, " key questions\n replace quality themes",
                fontsize=8, va="top", color="#636363")  # fmt: skip
    bottom = min(0.8, np.floor(float(shares[[area, SCOTLAND]].min().min()) * 20) / 20)
    ax.set_ylim(bottom, 1.0)
    ax.set_yticks(np.linspace(bottom, 1.0, int(round((1.0 - bottom) / 0.05)) + 1))
    percent_axis(ax.yaxis)
    _finish(fig, ax, title, "graded children's services\nwhose lowest grade is good or better")
    alt = (
        "Line chart of the share of graded children's services whose lowest grade is good or "
        f"better, at {period(dates)}, {area} and Scotland. {values}{band}"
    )
    return Chart(fig, alt, trend_table(trend, area))


@literal_text
def residential_chart(table: pd.DataFrame, date: pd.Timestamp, area: str) -> Chart:
    """Grouped bars: residential children's services by grade, ``area`` vs Scotland (shares)."""
    here, there = table[(area, "share")], table[(SCOTLAND, "share")]
    n_here, n_there = int(table[(area, "services")].sum()), int(table[(SCOTLAND, "services")].sum())
    good_here = here[list(GOOD_OR_BETTER)].sum()
    good_there = there[list(GOOD_OR_BETTER)].sum()
    title = (
        f"{pct(good_here)} of {area}'s {n_here} graded residential children's services were good "
        f"or better on {day(date)},\nagainst {pct(good_there)} of Scotland's {n_there}"
    )
    fig = Figure(figsize=(8, 3.4))
    ax = fig.subplots()
    x = np.arange(len(table))
    ax.bar(x - 0.2, here, 0.4, color=AREA_COLOUR, label=f"{area} ({n_here} services)")
    ax.bar(x + 0.2, there, 0.4, color=SCOTLAND_COLOUR, label=f"{SCOTLAND} ({n_there} services)")
    for xi, (a, b) in enumerate(zip(here, there, strict=True)):
        ax.text(xi - 0.2, a + 0.01, pct(a), ha="center", fontsize=8)
        ax.text(xi + 0.2, b + 0.01, pct(b), ha="center", fontsize=8)
    ax.set_xticks(x, table.index)
    percent_axis(ax.yaxis)
    _finish(fig, ax, title, "share of services")
    alt = (
        "Grouped bar chart of residential children's services (care homes, school care and "
        f"secure accommodation) by their key-question grade on {day(date)}, {area} against "
        f"Scotland. {area}: "
        + ", ".join(f"{g} {int(table.loc[g, (area, 'services')])}" for g in table.index)
        + f" ({pct(good_here)} good or better); Scotland: "
        + ", ".join(f"{g} {pct(there[g])}" for g in table.index)
        + f" ({pct(good_there)} good or better)."
    )
    return Chart(fig, alt, residential_table(table, area))  # each place named once
