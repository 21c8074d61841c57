"""The area profile: one council area's inspection grades, against Scotland, with their gaps.

Logic for ``notebooks/area-profile.ipynb`` (run once per area by :mod:`helpers.build`), kept here
so the notebook's cells stay short. Every sentence is computed from the data; unknown stays
unknown: a grade no source gives is shown as unknown (with the grades still open, where the counts
narrow it down), never filled in.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
from IPython.display import Markdown
from matplotlib.figure import Figure

from helpers import analysis, inspections
from helpers.areas import standard_area
from helpers.grades import HIGHEST_FIRST, PALETTE, UNKNOWN_COLOUR
from helpers.narrative import describe_grades, join_words, number_word

_COUNTS = list(HIGHEST_FIRST)
#: The two ends of the scale compared in :func:`spread_text`.
GOOD_OR_BETTER = ("excellent", "very good", "good")
WEAK_OR_WORSE = ("weak", "unsatisfactory")


def title(area: str) -> Markdown:
    """The profile's first heading, naming the area (the PDF's first line says whom it is about).

    Examples
    --------
    >>> title("perth & kinross").data
    '# Perth and Kinross: joint inspections of services for children'
    """
    return Markdown(f"# {standard_area(area)}: joint inspections of services for children")


def _programme_names() -> dict[str, str]:
    programmes = inspections.tables().programmes
    return dict(zip(programmes["programme"], programmes["name"], strict=True))


def area_inspections(area: str) -> pd.DataFrame:
    """The area's inspections, one row per programme, oldest programme first.

    Parameters
    ----------
    area
        A council area in any usual spelling.

    Returns
    -------
    pandas.DataFrame
        The rows of ``inspections.csv`` for the area, with the programme's ``name`` and
        ``period``, in the order of ``programmes.csv``.
    """
    area = standard_area(area)
    t = inspections.tables()
    rows = t.inspections[t.inspections["council_area"] == area]
    programmes = t.programmes[["programme", "name", "period"]]
    return programmes.merge(rows, on="programme", how="inner").reset_index(drop=True)


def _counts(row: pd.Series) -> pd.Series:
    return pd.Series({g: row[g.replace(" ", "_")] for g in _COUNTS}, dtype="Int64")


def _published(row: pd.Series) -> str:
    return f"published {row['published']}" if row["published"] else "publication date not found"


def summary(area: str) -> Markdown:
    """One line per programme: when the area was inspected and how its indicators were graded.

    Parameters
    ----------
    area
        A council area in any usual spelling.

    Returns
    -------
    IPython.display.Markdown
        A bullet list; where the split of grades is not known, it says so.
    """
    area = standard_area(area)
    rows = area_inspections(area)
    if rows.empty:
        return Markdown(f"No joint inspection of {area} is in the data.")
    lines = [f"## {area}", ""]
    for _, row in rows.iterrows():
        counts = _counts(row)
        stated = row["indicators_stated"]
        plural = "" if pd.notna(stated) and int(stated) == 1 else "s"
        of = f"Of {number_word(stated)} quality indicator{plural}, " if pd.notna(stated) else ""
        sentence = describe_grades(counts)
        if counts.isna().any():
            sentence = f"{of}the split of grades is not known"
        elif of:
            sentence = of + sentence
        else:
            sentence = sentence[0].upper() + sentence[1:]
        lines.append(f"- **{row['name']}** ({row['period']}; {_published(row)}): {sentence}.")
    return Markdown("\n".join(lines))


def comparison(area: str, programme: str) -> pd.DataFrame:
    """The area's grades against those of all areas with a known split, in one programme.

    Parameters
    ----------
    area
        A council area in any usual spelling.
    programme
        A programme id.

    Returns
    -------
    pandas.DataFrame
        One row per grade, excellent first; columns: the area's count and share (per cent),
        Scotland's (every area with a known split, the area included). The area's columns are
        missing where its split is not known.
    """
    area = standard_area(area)
    wide = inspections.scotland_counts(programme)
    scotland = wide[_COUNTS].sum().astype("Int64")
    own = inspections.grade_counts(area, programme).astype("Int64")
    table = pd.DataFrame(index=pd.Index(_COUNTS, name="grade"))
    table[area] = own.to_numpy()
    table[f"{area} %"] = (own * 100 / own.sum(skipna=False)).round(0).astype("Int64").to_numpy()
    label = f"Scotland ({len(wide)} areas)"
    table[label] = scotland.to_numpy()
    table[f"{label} %"] = (scotland * 100 / scotland.sum()).round(0).astype("Int64").to_numpy()
    return table


def standing_text(area: str, programme: str) -> str:
    """Where the area stands among areas with a known split, by share very good or better.

    The same words as in the Scotland notebook (:func:`helpers.analysis.standing_sentence`): how
    many areas had a larger, the same and a smaller share. No rank, which would hide ties.
    """
    area = standard_area(area)
    wide = inspections.scotland_counts(programme)
    if area not in wide.index:
        return (
            f"{area} cannot be placed among the {len(wide)} areas with a known split of grades: "
            "its own split is not known."
        )
    return analysis.standing_sentence(analysis.standing(wide, area))


def _areas(n: int) -> str:
    return f"{number_word(n)} area" + ("" if n == 1 else "s")


def _none(n: int) -> str:
    return "none" if n == 0 else number_word(n)


def _larger_same_smaller(shares: dict[str, Fraction], area: str, what: str) -> str:
    mine = shares[area]
    others = [v for a, v in shares.items() if a != area]
    larger = sum(v > mine for v in others)
    same = sum(v == mine for v in others)
    smaller = sum(v < mine for v in others)
    return (
        f"{_none(larger)} had a larger share {what}, {_none(same)} the same share and "
        f"{_none(smaller)} a smaller share"
    )


def spread_text(area: str, programme: str) -> str:
    """The area against the others at both ends of the scale: good or better, weak or worse.

    Complements :func:`standing_text` (very good or better), which ties every area with few top
    grades. Shares are compared exactly (as fractions); no rank, ties stated. Empty if the area's
    split is not known (:func:`standing_text` says so).

    Examples
    --------
    For Moray in cyp-2012: 'Moray had none of nine indicators good or better and four weak or
    worse. Of the other 19 areas with a known split, 18 had a larger share good or better, one
    the same share and none a smaller share; none had a larger share weak or worse, one the same
    share and 18 a smaller share.'
    """
    area = standard_area(area)
    wide = inspections.scotland_counts(programme)
    if area not in wide.index:
        return ""
    total = wide[_COUNTS].sum(axis=1).astype(int)
    good = {a: Fraction(int(wide.loc[a, list(GOOD_OR_BETTER)].sum()), total[a]) for a in wide.index}
    weak = {a: Fraction(int(wide.loc[a, list(WEAK_OR_WORSE)].sum()), total[a]) for a in wide.index}
    n_good = int(wide.loc[area, list(GOOD_OR_BETTER)].sum())
    n_weak = int(wide.loc[area, list(WEAK_OR_WORSE)].sum())
    if total[area] == 1:
        label = "good or better" if n_good else "weak or worse" if n_weak else "adequate"
        own = f"{area}'s one graded indicator was {label}."
    else:
        own = (
            f"{area} had {analysis.of_phrase(n_good, total[area])} indicators good or better "
            f"and {_none(n_weak)} weak or worse."
        )
    if len(wide) == 1:
        return f"{own} No other area's split of grades is known."
    return (
        f"{own} Of the other {_areas(len(wide) - 1)} with a known split, "
        f"{_larger_same_smaller(good, area, 'good or better')}; "
        f"{_larger_same_smaller(weak, area, 'weak or worse')}."
    )


def comparison_figure(area: str, programme: str) -> tuple[Figure, str, pd.DataFrame]:
    """A 100% stacked bar of the area's grades against Scotland's, with its alt text and table.

    Returns
    -------
    (Figure, str, pandas.DataFrame)
        For :func:`helpers.display.show`. Where the area's split is not known its bar is one
        grey 'unknown' block, not a guess.
    """
    area = standard_area(area)
    table = comparison(area, programme)
    counts = table[[c for c in table.columns if not c.endswith("%")]].T
    fig = Figure(figsize=(7.5, 2.4))
    ax = fig.subplots()
    labels = list(counts.index)[::-1]  # Scotland at the bottom, the area on top
    for y, label in enumerate(labels):
        row = counts.loc[label]
        if row.isna().any():
            ax.barh(y, 100, color=UNKNOWN_COLOUR, label="unknown" if y == len(labels) - 1 else "")
            ax.text(50, y, "split of grades not known", ha="center", va="center")
            continue
        left = 0.0
        for grade in reversed(_COUNTS):  # lowest first, from the left
            width = 100 * row[grade] / row.sum()
            if width:
                ax.barh(y, width, left=left, color=PALETTE[grade], label=grade if y == 0 else "")
            left += width
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlim(0, 100)
    ax.set_xlabel("share of quality indicators (%)")
    handles, names = ax.get_legend_handles_labels()
    keep = [(h, n) for h, n in zip(handles, names, strict=True) if n]
    ax.legend(*zip(*keep, strict=True), ncols=6, fontsize=7, loc="lower center",
              bbox_to_anchor=(0.5, 1.0), frameon=False)  # fmt: skip
    name = _programme_names()[programme]
    own = counts.loc[area]
    said = "its split of grades is not known" if own.isna().any() else describe_grades(own)
    alt = (
        f"Stacked bar chart of the share of quality indicators at each grade in {name}: "
        f"{area} against all {counts.index[1].removeprefix('Scotland (').rstrip(')')} with a "
        f"known split. In {area}, {said}."
    )
    # Unknown stays unknown in the table too: the word, not a blank or NaN.
    shown = table.astype(object).where(table.notna(), "unknown")
    return fig, alt, shown


def indicator_table(area: str) -> pd.DataFrame:
    """Every indicator of every programme the area was inspected in, with its grade or 'unknown'.

    Returns
    -------
    pandas.DataFrame
        Columns: programme, indicator, grade shown (the named grade, or unknown with the grades
        still open), basis (stated, ambiguous, derived, not published).
    """
    area = standard_area(area)
    parts = []
    for programme in area_inspections(area)["programme"]:
        grades = inspections.indicator_grades(area, programme)
        grades.insert(0, "programme", programme)
        parts.append(grades)
    if not parts:
        return pd.DataFrame(columns=["programme", "indicator", "grade shown", "basis"])
    out = pd.concat(parts, ignore_index=True)
    # 'very good or good (not published which)' -> 'unknown: very good or good'
    out["shown"] = (
        out["shown"]
        .astype(str)
        .str.replace(r"^(?!unknown)(.*) \(not published which\)$", r"unknown: \1", regex=True)
    )
    out = out.rename(columns={"shown": "grade shown"})
    return out[["programme", "indicator", "grade shown", "basis"]].set_index(
        ["programme", "indicator"]
    )


def gaps(area: str) -> Markdown:
    """What is not known about the area, said plainly."""
    area = standard_area(area)
    rows = area_inspections(area)
    names = _programme_names()
    lines = []
    missing = [names[p] for p in names if p not in set(rows["programme"])]
    if missing:
        lines.append(f"- No inspection of {area} in the data for: {join_words(missing)}.")
    for _, row in rows.iterrows():
        if _counts(row).isna().any():
            lines.append(f"- {row['name']}: the split of grades was not found in any source.")
        if not row["published"]:
            lines.append(f"- {row['name']}: the publication date was not found.")
    table = indicator_table(area).reset_index()
    unnamed = table[table["basis"] == "not published"]
    for programme, group in unnamed.groupby("programme", sort=False):
        lines.append(
            f"- {names[programme]}: no source names the grade of {number_word(len(group))} of "
            f"{number_word(int((table['programme'] == programme).sum()))} indicators; they are "
            "shown as unknown."
        )
    for _, row in rows.iterrows():
        if row["note"]:
            lines.append(f"- {row['name']}: {row['note']}")
    return Markdown("\n".join(lines) if lines else "No gaps are recorded.")


def sources(area: str) -> Markdown:
    """The sources of every figure about the area, as links."""
    area = standard_area(area)
    rows = area_inspections(area)
    named = inspections.tables().named_grades
    urls: list[str] = []
    for _, row in rows.iterrows():
        urls += [row["source_url"], row["corroborated_by"]]
    urls += named.loc[named["council_area"] == area, "source_url"].tolist()
    findings = inspections.tables().findings
    urls += findings.loc[findings["council_area"] == area, "source_url"].tolist()
    unique = list(dict.fromkeys(u for u in urls if u))
    if not unique:
        return Markdown("No sources are recorded.")
    return Markdown("\n".join(f"- <{u}>" for u in unique))


def findings(area: str) -> Markdown | None:
    """Inspectors' findings about the area, in the project's words, grouped by kind."""
    area = standard_area(area)
    table = inspections.tables().findings
    table = table[table["council_area"] == area]
    if table.empty:
        return Markdown("No findings are recorded for this area.")
    lines = []
    for kind, group in table.groupby("kind", sort=False):
        lines.append(f"**{kind.capitalize()}**\n")
        lines += [f"- {text}" for text in group["finding"]]
        lines.append("")
    return Markdown("\n".join(lines))


def show_comparisons(area: str) -> None:
    """For each programme the area was inspected in: where it stands, then the chart and table.

    Where it stands: the share very good or better (:func:`standing_text`), then the shares good
    or better and weak or worse (:func:`spread_text`), each against the other areas, ties stated.

    Programmes in which no area has a known split are said to have no comparison.
    """
    from IPython.display import display

    from helpers.display import show

    area = standard_area(area)
    names = _programme_names()
    for programme in area_inspections(area)["programme"]:
        display(Markdown(f"### {names[programme]}"))
        if inspections.scotland_counts(programme).empty:
            display(Markdown("No area's split of grades is known in this programme."))
            continue
        display(
            Markdown(f"{standing_text(area, programme)} {spread_text(area, programme)}".strip())
        )
        show(*comparison_figure(area, programme))
