"""Charts of the joint inspections: one inspection, areas compared, grades by indicator.

Each returns a :class:`~helpers.charts.style.Chart` ``(fig, alt, table)``, drawn with
:mod:`helpers.charts.style` and shown by ``.show()``::

    from helpers import charts
    charts.grade_profile(helpers.grade_counts("Perth and Kinross"), "Perth and Kinross").show()

Distributions, never means; ties shown by labelling every count, never by ranks.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.ticker import PercentFormatter

from helpers.charts.style import (
    TEXT,
    UNKNOWN_HATCH,
    Chart,
    grade_handles,
    headline,
    literal_text,
    style_axes,
    text_colour,
)
from helpers.grades import (
    HIGHEST_FIRST,
    PALETTE,
    UNKNOWN,
    UNKNOWN_COLOUR,
    as_counts,
    group_count,
    shares_table,
    standing,
)
from helpers.joint.findings import most_named
from helpers.labels import programme_name as _programme_name
from helpers.narrative import (
    describe_grades,
    known_grades_phrase,
    standing_headline,
    standing_sentence,
)
from helpers.words import capitalise, join_words, number_word, of_phrase, plural

#: Marks for how a named grade is known (see ``named_grades.basis``).
BASIS_MARKS: dict[str, str] = {"ambiguous": "*", "derived": "†"}
BASIS_NOTES: dict[str, str] = {
    "ambiguous": "* matched to the indicator by judgement",
    "derived": "† derived by elimination from the counts",
}
#: Mark for an area whose source conflicts with its programme (see ``inspections.conflict``).
FLAG_MARK = "‡"


# --------------------------------------------------------------------------- shared pieces


def _strip_programme(name: object) -> str | None:
    """'Perth and Kinross (cyp-2012)' -> 'Perth and Kinross' (the name grade_counts gives)."""
    if not isinstance(name, str) or not name:
        return None
    return name.rsplit(" (", 1)[0] if name.endswith(")") else name


def _in_brackets(programme: str | None) -> str:
    """' (children and young people, 2012-2017)', for an alt text; nothing without a programme."""
    return f" ({_programme_name(programme)})" if programme else ""


def _grade_bars(ax, counts: pd.Series) -> None:
    """Horizontal bars, one per grade, excellent at the top, each count labelled."""
    c = as_counts(counts).astype(int)
    ys = list(range(len(HIGHEST_FIRST)))[::-1]
    bars = ax.barh(ys, c.tolist(), color=[PALETTE[g] for g in HIGHEST_FIRST], height=0.7)
    for bar, grade in zip(bars, HIGHEST_FIRST, strict=True):
        bar.set_gid(grade)
    top = max(int(c.max()), 1)
    for y, n in zip(ys, c.tolist(), strict=True):
        ax.text(n + top * 0.02, y, str(n), va="center", ha="left", fontsize=9, color=TEXT)
    ax.set_yticks(ys, list(HIGHEST_FIRST))
    ax.set_xlim(0, top * 1.15)
    ax.set_xlabel("quality indicators", color=TEXT)
    ax.xaxis.get_major_locator().set_params(integer=True)
    style_axes(ax)


def _unknown_bar(ax, note: str = "split of grades not known") -> None:
    bar = ax.barh(
        [0], [1], color=UNKNOWN_COLOUR, hatch=UNKNOWN_HATCH, edgecolor="white", height=0.6
    )[0]
    bar.set_gid(UNKNOWN)
    ax.text(
        0.5, 0, note, ha="center", va="center", fontsize=10, color=TEXT,
        bbox={"facecolor": "white", "edgecolor": "none", "pad": 3},
    )  # fmt: skip
    ax.set_yticks([0], [UNKNOWN])
    ax.set_xlim(0, 1)
    ax.set_xticks([])
    style_axes(ax)


def _counts_table(counts: pd.Series) -> pd.DataFrame:
    c = as_counts(counts)
    if c.isna().any():
        return pd.DataFrame({"grade": list(HIGHEST_FIRST), "count": UNKNOWN}).set_index("grade")
    total = int(c.sum())
    share = [round(100 * int(n) / total) if total else 0 for n in c]
    return pd.DataFrame({"count": c.astype(int).tolist(), "share (%)": share}, index=c.index)


# --------------------------------------------------------------------------- one inspection


@literal_text
def grade_profile(
    counts: pd.Series | Mapping[str, object],
    area: str | None = None,
    programme: str | None = None,
) -> Chart:
    """One inspection's grades: a bar per grade, excellent at the top, each count labelled.

    Parameters
    ----------
    counts
        Count of indicators at each grade (as :func:`helpers.grade_counts` returns). If any is
        missing the split is unknown, and the chart says 'unknown' instead of showing zeros.
    area, programme
        For the title and alt text; ``area`` defaults to the name of a ``grade_counts`` Series.

    Returns
    -------
    Chart
        ``(fig, alt, table)``; the table has the count and share at each grade.

    Examples
    --------
    >>> chart = grade_profile({"excellent": 2, "very good": 6, "good": 1}, "Perth and Kinross")
    >>> chart.fig.get_suptitle()
    'Perth and Kinross: eight of nine indicators very good or better'
    """
    area = area or _strip_programme(getattr(counts, "name", None)) or "This inspection"
    of_what = _in_brackets(programme)
    c = as_counts(counts)
    fig = Figure(figsize=(6.4, 3.0), layout="constrained")
    ax = fig.add_subplot()
    if c.isna().any():
        _unknown_bar(ax)
        title = f"{area}: split of grades not known"
        alt = (
            f"Bar chart for {area}'s inspection{of_what}: the split of grades is not known, so "
            "one grey bar labelled unknown is shown; no grade is shown as zero."
        )
    else:
        _grade_bars(ax, c)
        top, total = group_count(c), int(c.sum())
        title = f"{area}: {of_phrase(top, total)} indicators very good or better"
        alt = (
            f"Horizontal bar chart of the grades of {area}'s {number_word(total)} quality "
            f"indicators{of_what}, excellent at the top: {describe_grades(c)}. "
            f"{of_phrase(top, total).capitalize()} were very good or better."
        )
    headline(fig, title)
    return Chart(fig, alt, _counts_table(c))


@literal_text
def compare_profiles(profiles: Mapping[str, pd.Series], area: str) -> Chart:
    """Two or more inspections of one area side by side, in panels on one count scale.

    Used where frameworks differ (different indicators), so the panels are not stacked or
    merged: each shows its own counts and the subtitle says they are not directly comparable.
    """
    profiles = {_programme_name(label): counts for label, counts in profiles.items()}
    labels = list(profiles)
    fig = Figure(figsize=(4.0 * len(labels), 3.2), layout="constrained")
    axes = fig.subplots(1, len(labels), sharey=True, squeeze=False)[0]
    parts, sentences = [], []
    for ax, label in zip(axes, labels, strict=True):
        c = as_counts(profiles[label])
        if c.isna().any():
            _unknown_bar(ax)
            parts.append(f"split not known in {label}")
            sentences.append(f"{label}: the split of grades is not known")
        else:
            _grade_bars(ax, c)
            top, total = group_count(c), int(c.sum())
            parts.append(f"{of_phrase(top, total)} very good or better in {label}")
            sentences.append(f"{label}: of {number_word(total)} indicators, {describe_grades(c)}")
        ax.set_title(label, loc="left", fontsize=10, color=TEXT)
    # One count scale for every panel, so three of six is drawn half as long as six of nine.
    right = max(ax.get_xlim()[1] for ax in axes)
    for ax in axes:
        ax.set_xlim(0, right)
    headline(fig, f"{area}: {'; '.join(parts)}")
    fig.text(
        0.01, -0.02, "Different frameworks (different indicators): not directly comparable.",
        fontsize=8, color="#555", ha="left", va="top",
    )  # fmt: skip
    alt = (
        f"Side-by-side bar charts of {area}'s grades in {join_words(labels)}, one panel per "
        f"inspection. {'. '.join(sentences)}. The frameworks differ, so the panels are not "
        "directly comparable."
    )
    table = pd.concat({label: _counts_table(profiles[label]) for label in labels}, axis=1)
    return Chart(fig, alt, table)


# --------------------------------------------------------------------------- areas compared


def _stacked_bars(ax, data: pd.DataFrame, ys: dict[str, int]) -> None:
    """One 100% bar per area, excellent on the left, each non-zero segment labelled."""
    areas = list(data.index)
    left = pd.Series(0.0, index=areas)
    for grade in HIGHEST_FIRST:
        share = data[grade] / data["total"]
        bars = ax.barh(
            [ys[a] for a in areas], share.tolist(), left=left.tolist(), height=0.75,
            color=PALETTE[grade], edgecolor="white", linewidth=0.5, label=grade,
        )  # fmt: skip
        for bar, area in zip(bars, areas, strict=True):
            bar.set_gid(f"{area}|{grade}")
            count = int(data.loc[area, grade])
            if count:
                ax.text(
                    left[area] + share[area] / 2, ys[area], str(count), ha="center",
                    va="center", fontsize=8, color=text_colour(PALETTE[grade]),
                )  # fmt: skip
        left = left + share


def _outline(ax, y: float, area: str) -> None:
    """Pick out one bar: a black outline, a marker at its end and a bold label."""
    ax.add_patch(
        Rectangle(
            (0, y - 0.42), 1, 0.84, fill=False, edgecolor="black", linewidth=1.8,
            gid="highlight", clip_on=False,
        )
    )  # fmt: skip
    ax.plot([1.015], [y], marker="<", color="black", markersize=7, clip_on=False)
    for tick in ax.get_yticklabels():
        if tick.get_text().removesuffix(f" {FLAG_MARK}") == area:
            tick.set_fontweight("bold")


def _distribution_alt(n: int, programme: str | None, where: str, flags: Mapping) -> str:
    """The alt text of :func:`stacked_distribution`: what is drawn, how ordered, what flagged."""
    of_what = f" in {_programme_name(programme)}" if programme else ""
    flagged = (
        f" Flagged with {FLAG_MARK}: {join_words(sorted(flags))} (source in conflict; shown "
        "as published)."
        if flags
        else ""
    )
    return (
        f"100% stacked horizontal bar chart of the grades of quality indicators{of_what} for "
        f"{number_word(n)} council areas with a known split, excellent on the left, ordered by "
        "share very good or better and then share excellent; each segment is labelled with "
        f"its count.{where}{flagged}"
    )


@literal_text
def stacked_distribution(
    table: pd.DataFrame,
    highlight: str | None,
    programme: str | None = None,
    flags: Mapping[str, str] | None = None,
) -> Chart:
    """Each area's grades as a 100% stacked bar, ordered by share very good or better.

    Parameters
    ----------
    table
        One row per area (index), one column per grade with counts (as
        :func:`helpers.scotland_counts` returns; other columns are ignored). Every count must
        be known: areas without a split belong in a coverage table, not here.
    highlight
        An area to pick out: bold label, black outline and a marker. ``None`` for none.
    programme
        For the alt text.
    flags
        Area -> note, for areas whose source is in conflict; their label gets a mark and the
        note is printed below the chart.

    Returns
    -------
    Chart
        The table has the counts, total and the two shares (%) in the chart's order.

    Notes
    -----
    Segments run from excellent (left) to unsatisfactory (right), so the share very good or
    better is the left part of each bar. Every non-zero segment is labelled with its count, so
    ties are visible; there are no ranks.
    """
    flags = dict(flags or {})
    data = shares_table(table)
    n = len(data)
    fig = Figure(figsize=(8.0, 1.6 + 0.3 * n), layout="constrained")
    ax = fig.add_subplot()
    ys = {area: n - 1 - i for i, area in enumerate(data.index)}
    _stacked_bars(ax, data, ys)
    _share_axes(ax, ys, flags)
    title, where = _pick_out(ax, data, ys, highlight)
    ax.legend(
        handles=grade_handles(), ncols=6, loc="lower left", bbox_to_anchor=(0, 1.0),
        frameon=False, fontsize=8, handlelength=1.2, columnspacing=1.0,
    )  # fmt: skip
    if flags:
        note = "  ".join(f"{FLAG_MARK} {a}: {text}" for a, text in sorted(flags.items()))
        fig.text(0.01, -0.01, textwrap.fill(note, 120), fontsize=8, color="#555", va="top")
    headline(fig, title)
    alt = _distribution_alt(n, programme, where, flags)
    out = data[[*HIGHEST_FIRST, "total"]].copy()
    out["very good or better (%)"] = (100 * data["share_very_good_or_better"]).round().astype(int)
    out["excellent (%)"] = (100 * data["share_excellent"]).round().astype(int)
    return Chart(fig, alt, out)


def _share_axes(ax, ys: dict[str, int], flags: Mapping[str, str]) -> None:
    """The areas down the side (a flagged one marked), shares of 0 to 100% along the bottom."""
    labels = [f"{a} {FLAG_MARK}" if a in flags else a for a in ys]
    ax.set_yticks(list(ys.values()), labels)
    ax.set_ylim(-0.6, len(ys) - 0.4)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.set_xlabel("share of the area's graded quality indicators", color=TEXT)
    style_axes(ax)


def _pick_out(ax, data: pd.DataFrame, ys: dict[str, int], highlight: str | None) -> tuple[str, str]:
    """Outline ``highlight``'s bar; return the chart's title (its standing, ties said) and what
    the alt text adds of it. Without a highlight: the plain title, and nothing to add."""
    if highlight is None:
        return f"Grades of {number_word(len(data))} areas, ordered by share very good or better", ""
    s = standing(data, highlight)
    _outline(ax, ys[highlight], highlight)
    where = f" {standing_sentence(s)} {highlight} is outlined and its label is bold."
    return standing_headline(s), where


@literal_text
def scotland_total(table: pd.DataFrame, programme: str | None = None) -> Chart:
    """All graded indicators of the areas in ``table`` added up: one bar per grade.

    ``table`` is as for :func:`stacked_distribution` (counts per area; all known).
    """
    data = shares_table(table)
    counts = data[list(HIGHEST_FIRST)].sum()
    total, areas = int(counts.sum()), len(data)
    top = group_count(counts)
    fig = Figure(figsize=(6.4, 3.0), layout="constrained")
    ax = fig.add_subplot()
    _grade_bars(ax, counts)
    of_what = _in_brackets(programme)
    headline(
        fig,
        f"{number_word(top).capitalize()} of {number_word(total)} graded indicators in "
        f"{number_word(areas)} areas were very good or better",
    )
    alt = (
        f"Horizontal bar chart of all {number_word(total)} quality indicators graded in the "
        f"{number_word(areas)} council areas with a known split{of_what}, excellent at the top: "
        f"{describe_grades(counts)}. {number_word(top).capitalize()} of {number_word(total)} "
        "were very good or better."
    )
    return Chart(fig, alt, _counts_table(counts))


# --------------------------------------------------------------------------- indicator grids


def _wrap(text: str, width: int = 18) -> str:
    return "\n".join(textwrap.wrap(text, width))


def _draw_grid(
    ax,
    cells: pd.DataFrame,
    indicators: Sequence[str],
    areas: Sequence[str],
    highlight: str | None = None,
    columns: int | None = None,
) -> pd.DataFrame:
    """Draw areas x indicators; return the shown text per cell (areas x indicators)."""
    lookup = {
        (r.council_area, r.indicator): (r.grade, getattr(r, "basis", "stated"))
        for r in cells.itertuples()
    }
    n, m = len(areas), len(indicators)
    shown = pd.DataFrame(UNKNOWN, index=pd.Index(list(areas), name="council_area"),
                         columns=list(indicators))  # fmt: skip
    for i, area in enumerate(areas):
        y = n - 1 - i
        for j, indicator in enumerate(indicators):
            grade, basis = lookup.get((area, indicator), (None, None))
            known = isinstance(grade, str) and grade in PALETTE
            fill = PALETTE[grade] if known else UNKNOWN_COLOUR
            ax.add_patch(
                Rectangle(
                    (j + 0.04, y + 0.06), 0.92, 0.88, facecolor=fill, edgecolor="white",
                    hatch=None if known else UNKNOWN_HATCH, gid=f"{area}|{indicator}",
                )
            )  # fmt: skip
            label = f"{grade}{BASIS_MARKS.get(basis, '')}" if known else UNKNOWN
            shown.loc[area, indicator] = label
            ax.text(
                j + 0.5, y + 0.5, label, ha="center", va="center", fontsize=7.5,
                color=text_colour(fill) if known else "#444",
            )  # fmt: skip
    ax.set_xlim(0, columns or m)
    ax.set_ylim(0, n)
    ax.set_yticks([n - 1 - i + 0.5 for i in range(n)], list(areas))
    ax.set_xticks([j + 0.5 for j in range(m)], [_wrap(x) for x in indicators], fontsize=7.5)
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    if highlight in areas:
        for tick in ax.get_yticklabels():
            if tick.get_text() == highlight:
                tick.set_fontweight("bold")
    return shown


def _grid_legend(fig, cells: pd.DataFrame) -> None:
    """Grades present and unknown in one row; the marks for how a grade is known below it."""
    grades = [g for g in HIGHEST_FIRST if g in set(cells["grade"])]
    handles = grade_handles(grades, unknown=True)
    fig.legend(
        handles=handles, loc="outside lower left", ncols=len(handles), frameon=False,
        fontsize=8, handlelength=1.2, columnspacing=1.0,
    )  # fmt: skip
    bases = [b for b in BASIS_MARKS if "basis" in cells and b in set(cells["basis"])]
    if bases:
        # The bottom axis label is free (indicator names sit on top), and layout makes room.
        notes = "    ".join(BASIS_NOTES[b] for b in bases)
        fig.axes[-1].set_xlabel(notes, loc="left", fontsize=8, color="#444")


def _grid_alt(shown: pd.DataFrame, cells: pd.DataFrame) -> tuple[int, int, str]:
    total = shown.size
    named = cells.merge(pd.DataFrame({"council_area": shown.index}), on="council_area")
    named = named[named["indicator"].isin(shown.columns)]
    counts = as_counts(named["grade"].value_counts().to_dict())
    bases = named["basis"].value_counts() if "basis" in named else pd.Series(dtype=int)
    marks = [
        f"{number_word(int(bases.get(b, 0)))} {BASIS_NOTES[b].split(' ', 1)[1]} "
        f"(marked {BASIS_MARKS[b]})"
        for b in BASIS_MARKS
        if bases.get(b, 0)
    ]
    detail = f"Of the known grades, {describe_grades(counts)}." if len(named) else ""
    if marks:
        detail += f" Of these, {join_words(marks)}."
    return len(named), total, detail


@literal_text
def indicator_grid(
    cells: pd.DataFrame,
    indicators: Sequence[str],
    areas: Sequence[str] | None = None,
    highlight: str | None = None,
    programme: str | None = None,
) -> Chart:
    """Areas x indicators, each cell coloured by its named grade, or grey 'unknown'.

    Parameters
    ----------
    cells
        One row per named grade: ``council_area``, ``indicator``, ``grade`` (label) and
        optionally ``basis`` ('stated', 'ambiguous' or 'derived'; the last two are marked).
    indicators
        The columns, in report order.
    areas
        The rows, top to bottom; default the areas in ``cells``, A to Z.
    highlight
        An area whose label is bold.

    Returns
    -------
    Chart
        The table is the grid as text: the grade (with its mark) or 'unknown'.

    Notes
    -----
    A cell no source names is grey, hatched and labelled 'unknown'; it is never filled in from
    the counts, even where only two grades remain possible.
    """
    areas = list(areas) if areas is not None else sorted(set(cells["council_area"]))
    n, m = len(areas), len(indicators)
    fig = Figure(figsize=(1.05 * m + 2.4, 0.38 * n + 2.4), layout="constrained")
    ax = fig.add_subplot()
    shown = _draw_grid(ax, cells, indicators, areas, highlight)
    _grid_legend(fig, cells)
    k, total, detail = _grid_alt(shown, cells)
    of_what = _in_brackets(programme)
    in_grid = cells[cells["council_area"].isin(areas) & cells["indicator"].isin(indicators)]
    bases = in_grid["basis"] if "basis" in in_grid else pd.Series("stated", index=in_grid.index)
    # Grades derived by elimination are known, not named: the title counts them apart.
    where = f" for these {number_word(n)} areas"
    headline(fig, capitalise(known_grades_phrase(bases, total, where=where)))
    alt = (
        f"Grid of {number_word(n)} council areas by {number_word(m)} quality indicators"
        f"{of_what}, each cell coloured by the grade a source names for it. "
        f"{number_word(k).capitalize()} of {number_word(total)} cells have a known grade; the "
        f"other {number_word(total - k)} are grey, hatched and labelled unknown, not filled in. "
        f"{detail}"
    )
    return Chart(fig, alt, shown)


@literal_text
def later_rounds(
    cells: pd.DataFrame,
    indicators: pd.DataFrame,
    inspected: pd.DataFrame,
    labels: Mapping[str, str] | None = None,
) -> Chart:
    """The later programmes, one grid panel each: areas inspected x that programme's indicators.

    Parameters
    ----------
    cells
        Named grades: ``programme``, ``council_area``, ``indicator``, ``grade`` (and ``basis``).
    indicators
        ``programme``, ``position``, ``indicator``: the panels' columns. Its programmes, in
        order of first appearance, are the panels.
    inspected
        ``programme`` and ``council_area`` of each inspection to show (rows of a panel).
    labels
        Programme -> panel title (default the programme id).
    """
    labels = dict(labels or {})
    panels = _later_panels(indicators, inspected)
    width = max(len(cols) for _, cols in panels.values())
    shown = sum(len(rows) for rows, _ in panels.values())  # inspections, one a row
    fig = Figure(figsize=(1.05 * width + 2.6, 0.4 * shown + 3.2), layout="constrained")
    heights = [len(rows) + 1.6 for rows, _ in panels.values()]
    axes = fig.subplots(len(panels), 1, squeeze=False, height_ratios=heights)[:, 0]
    tables, sentences = {}, []
    for ax, (p, (rows, cols)) in zip(axes, panels.items(), strict=True):
        sub = cells[cells["programme"] == p]
        tables[p] = _draw_grid(ax, sub, cols, rows, columns=width)
        ax.set_title(labels.get(p, p), loc="left", fontsize=10, color=TEXT, fontweight="bold")
        k, total, detail = _grid_alt(tables[p], sub)
        sentences.append(
            f"{labels.get(p, p)}: {plural(len(rows), 'area')} by "
            f"{plural(len(cols), 'indicator')}, {number_word(k)} of "
            f"{number_word(total)} grades named. {detail}"
        )
    _grid_legend(fig, cells)
    # Programmes are not pooled: the same indicator name in two frameworks is not one measure.
    headline(
        fig,
        f"Later rounds: {number_word(shown)} inspections in "
        f"{plural(len(panels), 'programme')}, each shown on its own",
    )
    alt = (
        f"Grids of the later programmes, one panel each, council areas by quality indicators, "
        f"each cell coloured by its named grade or grey and labelled unknown. "
        f"{' '.join(sentences)}"
    )
    table = pd.concat(
        {p: t.stack().rename("shown") for p, t in tables.items()},
        names=["programme"],
    ).to_frame()
    table.index.names = ["programme", "council_area", "indicator"]
    return Chart(fig, alt, table)


def _later_panels(
    indicators: pd.DataFrame, inspected: pd.DataFrame
) -> dict[str, tuple[list[str], list[str]]]:
    """Programme -> its panel's rows (the areas inspected, A to Z) and columns (its indicators,
    in report order), the programmes in order of first appearance in ``indicators``."""
    return {
        p: (
            sorted(inspected.loc[inspected["programme"] == p, "council_area"]),
            indicators[indicators["programme"] == p].sort_values("position")["indicator"].tolist(),
        )
        for p in dict.fromkeys(indicators["programme"])
    }


@literal_text
def area_against_scotland(table: pd.DataFrame, area: str, programme_name: str) -> Chart:
    """A 100% stacked bar of an area's grades against Scotland's, in one programme.

    Parameters
    ----------
    table
        :func:`helpers.joint.questions.area_against_scotland`: per grade, the area's count and
        share and the other areas' (with a known split) together.
    area
        The area (a column of ``table``).
    programme_name
        The programme's name, for the alt text.

    Returns
    -------
    Chart
        Where the area's split is not known its bar is one grey 'unknown' block, not a guess;
        the table says 'unknown' too. The table has two header rows: the place (the area, and
        'other areas with a known split (19)'), then 'indicators' and '%' (whole per cent).
    """
    counts = table.xs("indicators", axis=1, level="measure").T
    counts.index = [_place(p, area, table.attrs.get("others", 0)) for p in counts.index]
    fig = Figure(figsize=(7.5, 2.4))
    ax = fig.subplots()
    labels = list(counts.index)[::-1]  # the other areas at the bottom, the area on top
    drawn: dict[str, object] = {}  # every grade drawn in either bar gets its legend entry
    for y, label in enumerate(labels):
        row = counts.loc[label]
        if row.isna().any():  # grey and hatched, as an unknown is in every chart
            bar = ax.barh(y, 100, color=UNKNOWN_COLOUR, hatch=UNKNOWN_HATCH, edgecolor="white")
            drawn.setdefault(UNKNOWN, bar)
            ax.text(50, y, "split of grades not known", ha="center", va="center", color=TEXT,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 3})  # fmt: skip
            continue
        left = 0.0
        for grade in HIGHEST_FIRST:  # excellent first, from the left, as in every chart
            width = 100 * row[grade] / row.sum()
            if width:
                drawn.setdefault(grade, ax.barh(y, width, left=left, color=PALETTE[grade]))
            left += width
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of quality indicators (%)")
    order = [g for g in (*HIGHEST_FIRST, UNKNOWN) if g in drawn]
    ax.legend([drawn[g] for g in order], order, ncols=6, fontsize=7, loc="lower center",
              bbox_to_anchor=(0.5, 1.0), frameon=False)  # fmt: skip
    own = counts.loc[area]
    said = "its split of grades is not known" if own.isna().any() else describe_grades(own)
    against = (
        f"the {counts.index[1]}" if len(counts) > 1 else "no other area: none has a known split"
    )
    alt = (
        f"Stacked bar chart of the share of quality indicators at each grade in "
        f"{programme_name}: {area} against {against}. In {area}, {said}."
    )
    return Chart(fig, alt, _against_table(counts))


def _place(place: str, area: str, others: int) -> str:
    """A place of :func:`helpers.joint.questions.area_against_scotland` in readers' words."""
    if place == area:
        return area
    return f"other {'area' if others == 1 else 'areas'} with a known split ({others})"


def _against_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Per grade, each place's indicators and whole per cent, the place named once above its
    two columns; unknown stays unknown: the word, not a blank or NaN."""
    columns = {}
    for place, row in counts.iterrows():
        row = row.astype("Int64")  # whole numbers, as the question gave them
        columns[(place, "indicators")] = row
        columns[(place, "%")] = (row * 100 / row.sum(skipna=False)).round(0).astype("Int64")
    out = pd.DataFrame(columns)
    out.index.name = "grade"
    out.columns = pd.MultiIndex.from_tuples(out.columns)
    return out.astype(object).where(out.notna(), "unknown")


# --------------------------------------------------------------------------- themes of findings

#: Strengths in the blue of the upper grades, things to improve in the orange of the lower.
STRENGTH_COLOUR, IMPROVE_COLOUR = PALETTE["very good"], PALETTE["weak"]


@literal_text
def theme_bars(counts: pd.DataFrame, inspected: Mapping[str, int]) -> Chart:
    """Paired horizontal bars, one panel per programme: for each theme, how many areas heard it
    as a strength (left, blue) and as something to improve (right, orange).

    Parameters
    ----------
    counts
        :func:`helpers.joint.findings.theme_counts`: programme, theme_name, strength, to_improve.
    inspected
        Programme -> how many areas of it are in the data (for the alt text).
    """
    programmes = list(dict.fromkeys(counts["programme"]))
    themes = list(dict.fromkeys(counts["theme_name"]))
    top = max(int(counts[["strength", "to_improve"]].to_numpy().max()), 1)
    # Narrow panels, so that printed at the page's width the words stay legible (about 6 pt).
    fig = Figure(figsize=(1.45 * len(programmes) + 2.3, 0.38 * len(themes) + 2.0),
                 layout="constrained")  # fmt: skip
    axes = fig.subplots(1, len(programmes), sharey=True, squeeze=False)[0]
    ys = list(range(len(themes)))[::-1]
    sentences = []
    for ax, programme in zip(axes, programmes, strict=True):
        c = counts[counts["programme"] == programme].set_index("theme_name").reindex(themes)
        good, improve = c["strength"].astype(int), c["to_improve"].astype(int)
        _theme_panel(ax, programme, ys, good, improve, top)
        listed = [
            f"{name} {int(g)} and {int(i)}"
            for name, g, i in zip(themes, good, improve, strict=True)
            if g or i
        ]
        sentences.append(
            f"{_programme_name(programme)} ({plural(inspected.get(programme, 0), 'area')} "
            f"inspected): {'; '.join(listed) or 'no themed finding'}."
        )
    axes[0].set_yticks(ys, [textwrap.fill(t, 24) for t in themes])
    fig.legend(
        handles=[
            Rectangle((0, 0), 1, 1, color=STRENGTH_COLOUR, label="areas with it as a strength"),
            Rectangle((0, 0), 1, 1, color=IMPROVE_COLOUR, label="areas told to improve it"),
        ],
        loc="outside lower center", ncols=2, frameon=False, fontsize=8,
    )  # fmt: skip
    headline(fig, _most_to_improve_title(counts))
    alt = (
        "Paired horizontal bar charts, one panel per programme, oldest first, themes as rows: to "
        "the left the number of council areas whose findings named the theme as a strength, to "
        "the right the number told to improve it. Counts by programme, strength then to "
        f"improve: {' '.join(sentences)}"
    )
    table = counts.set_index(["programme", "theme_name"])[["strength", "to_improve"]]
    table.index.names = ["programme", "theme"]
    table.columns = ["areas with it as a strength", "areas told to improve it"]
    return Chart(fig, alt, table)


def _theme_panel(
    ax, programme: str, ys: list[int], good: pd.Series, improve: pd.Series, top: int
) -> None:
    """One programme's panel: strengths to the left of zero, things to improve to the right,
    each non-zero bar labelled with its count, on the scale every panel shares (``top``)."""
    ax.barh(ys, [-v for v in good], color=STRENGTH_COLOUR, height=0.7)
    ax.barh(ys, improve.tolist(), color=IMPROVE_COLOUR, height=0.7)
    for y, g, i in zip(ys, good, improve, strict=True):
        if g:
            ax.text(-g - 0.3, y, str(g), va="center", ha="right", fontsize=8, color=TEXT)
        if i:
            ax.text(i + 0.3, y, str(i), va="center", ha="left", fontsize=8, color=TEXT)
    ax.axvline(0, color=TEXT, linewidth=0.6)
    ax.set_xlim(-top - 2, top + 2)
    ax.set_xticks([])
    ax.set_title(textwrap.fill(_programme_name(programme), 16), fontsize=8.5, loc="left")
    style_axes(ax)
    ax.spines[["left", "bottom"]].set_visible(False)
    ax.tick_params(axis="y", length=0)  # no tick marks beside the bars' labels


def _most_to_improve_title(counts: pd.DataFrame) -> str:
    """The theme most often named as something to improve, over every programme; a tie is
    said as a tie."""
    worst, top = most_named(counts, "to_improve")
    if not worst:
        return "No theme was named as something to improve"
    lead = (
        f"{capitalise(worst[0])} was the theme"
        if len(worst) == 1
        else f"{capitalise(number_word(len(worst)))} themes tie as those"
    )
    return (
        f"{lead} most often named as something to improve, "
        f"{'' if len(worst) == 1 else 'each '}in {plural(top, 'inspection')}"
    )
