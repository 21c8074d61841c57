"""What inspectors found: findings, their themes, progress reviews and national reviews.

The questions notebooks 01 and 06 and the area profiles ask of ``findings.csv``, ``themes.csv``,
``finding_themes.csv``, ``progress_reviews.csv`` and ``national_reviews.csv`` (loaded and
validated by :mod:`helpers.joint.tables`). Each function takes the tables as
:func:`helpers.joint.tables.load_all` returns them, or their folder (default
``data/joint-inspections``), and returns a table of real values; the sentences are in
:mod:`helpers.narrative`. A function that takes an area makes its name standard on the way in.

A theme absent from an area's findings is not evidence that inspectors did not raise it: the
findings come from news pages and releases, which report a few points of each report.
"""

from __future__ import annotations

import pandas as pd

from helpers.areas import COUNCIL_AREAS, takes_area
from helpers.joint.questions import DEFAULT_PROGRAMME, inspected_programmes
from helpers.joint.tables import JUDGEMENTS, Data, as_tables

#: The kinds of finding in the order a reader meets them.
KINDS = ("strength", "to improve", "progress review", "method")


def tagged(path: Data = None) -> pd.DataFrame:
    """One row per finding and theme: the finding's area, programme, kind and text, the theme's
    id and name. Only strengths and things to improve carry themes."""
    t = as_tables(path)
    out = t.finding_themes.merge(t.findings, on="finding_id", how="inner")
    out = out.merge(t.themes[["theme", "name"]], on="theme", how="inner")
    return out.rename(columns={"name": "theme_name"})


def theme_counts(path: Data = None) -> pd.DataFrame:
    """For each programme and theme: how many areas heard it as a strength, and how many as
    something to improve (an area counts once however many of its findings carry the theme).

    Returns
    -------
    pandas.DataFrame
        Columns: programme, theme, theme_name, strength, to_improve (whole numbers; 0 where no
        area's findings carry the theme in that programme). Programmes oldest first, themes in
        the order of ``themes.csv``; only programmes with any themed finding.
    """
    t = as_tables(path)
    tags = tagged(t)
    wide = (
        tags.groupby(["programme", "theme", "kind"])["council_area"]
        .nunique()
        .unstack("kind")
        .reindex(columns=list(JUDGEMENTS), fill_value=0)
        .fillna(0)
        .astype(int)
    )
    programmes = [p for p in t.programmes["programme"] if p in set(tags["programme"])]
    index = pd.MultiIndex.from_product(
        [programmes, t.themes["theme"]], names=["programme", "theme"]
    )
    wide = wide.reindex(index, fill_value=0).reset_index()
    wide = wide.merge(t.themes[["theme", "name"]], on="theme").rename(
        columns={"name": "theme_name", "to improve": "to_improve"}
    )
    order = {p: i for i, p in enumerate(programmes)}
    wide = wide.sort_values("programme", key=lambda s: s.map(order), kind="stable")
    return wide[["programme", "theme", "theme_name", "strength", "to_improve"]].reset_index(
        drop=True
    )


def most_named(counts: pd.DataFrame, column: str) -> tuple[list[str], int]:
    """The themes most often named, over every programme of :func:`theme_counts`, in ``column``
    ('strength' or 'to_improve'): their names (ties kept together, in the themes' order) and
    the number of inspections that named each; ``([], 0)`` where no theme is named.

    Examples
    --------
    >>> counts = pd.DataFrame({"programme": ["a", "a", "b"], "theme_name": ["x", "y", "x"],
    ...                        "strength": [1, 2, 1], "to_improve": [0, 0, 0]})
    >>> most_named(counts, "strength"), most_named(counts, "to_improve")
    ((['x', 'y'], 2), ([], 0))
    """
    total = counts.groupby("theme_name", sort=False)[column].sum()
    top = int(total.max()) if len(total) else 0
    if top == 0:
        return [], 0
    return [name for name, n in total.items() if n == top], top


def notes_coverage(path: Data = None) -> pd.DataFrame:
    """For each programme with inspections in the data: how many areas were inspected, how many
    have any finding, and how many have a strength or thing to improve.

    Returns
    -------
    pandas.DataFrame
        Indexed by programme (oldest first); columns inspected, with_findings, with_judgements.
    """
    t = as_tables(path)
    rows = []
    for programme in inspected_programmes(t):
        f = t.findings[t.findings["programme"] == programme]
        rows.append(
            {
                "programme": programme,
                "inspected": int((t.inspections["programme"] == programme).sum()),
                "with_findings": f["council_area"].nunique(),
                "with_judgements": f.loc[f["kind"].isin(JUDGEMENTS), "council_area"].nunique(),
            }
        )
    return pd.DataFrame(rows).set_index("programme")


def areas_without_findings(path: Data = None) -> list[str]:
    """Council areas with no finding at all in the data, A to Z."""
    have = set(as_tables(path).findings["council_area"])
    return [a for a in COUNCIL_AREAS if a not in have]


def _by_kind(findings: pd.DataFrame, kinds: tuple[str, ...]) -> pd.DataFrame:
    """The findings of ``kinds`` only, in that order, then as the file lists them."""
    findings = findings[findings["kind"].isin(kinds)]
    order = findings["kind"].map({k: i for i, k in enumerate(kinds)})
    return findings.assign(_order=order).sort_values("_order", kind="stable").drop(columns="_order")


@takes_area
def area_findings(area: str, programme: str | None = None, path: Data = None) -> pd.DataFrame:
    """An area's findings (one programme's, or all), by kind in :data:`KINDS` order, then as
    the file lists them, with the themes of each (their readers' names, '; '-joined)."""
    t = as_tables(path)
    f = t.findings[t.findings["council_area"] == area]
    if programme is not None:
        f = f[f["programme"] == programme]
    names = tagged(t).groupby("finding_id")["theme_name"].agg("; ".join)
    f = _by_kind(f.assign(themes=f["finding_id"].map(names).fillna("")), KINDS)
    columns = ["finding_id", "programme", "kind", "finding", "themes", "source_url"]
    return f[columns].reset_index(drop=True)


@takes_area
def findings_table(
    area: str,
    programme: str | None = DEFAULT_PROGRAMME,
    kinds: tuple[str, ...] = (),
    path: Data = None,
) -> pd.DataFrame:
    """The inspectors' findings of one inspection (in our words), with the source of each.

    ``programme`` ``None`` gives every programme's; ``kinds`` picks kinds of finding and orders
    them (default all, in the file's order).
    """
    f = as_tables(path).findings
    f = f[f["council_area"] == area]
    if programme is not None:
        f = f[f["programme"] == programme]
    if kinds:
        f = _by_kind(f, kinds)
    return f[["kind", "finding", "source_url"]].reset_index(drop=True)


@takes_area
def area_progress_reviews(area: str, programme: str | None = None, path: Data = None):
    """An area's progress reviews (one programme's, or all), oldest known date first."""
    p = as_tables(path).progress_reviews
    p = p[p["council_area"] == area]
    if programme is not None:
        p = p[p["programme"] == programme]
    p = p.sort_values("published_date", kind="stable", na_position="last")
    return p.reset_index(drop=True)


@takes_area
def latest_inspection(area: str, path: Data = None) -> pd.Series | None:
    """The area's most recent inspection in the data: the one in its newest programme (the
    programmes follow each other in time), or ``None`` if it has none."""
    t = as_tables(path)
    rows = t.inspections[t.inspections["council_area"] == area]
    for programme in reversed(list(t.programmes["programme"])):
        match = rows[rows["programme"] == programme]
        if len(match):
            return match.iloc[0]
    return None


@takes_area
def heard_same(
    area: str, programme: str, kind: str = "to improve", path: Data = None
) -> pd.DataFrame:
    """For each theme of an inspection's findings of one kind: every other area and programme
    whose findings of that kind carry the same theme.

    Returns
    -------
    pandas.DataFrame
        Columns: theme, theme_name, council_area, programme, published_date,
        published_precision (of that inspection); themes in ``themes.csv`` order, then
        programmes oldest first, then areas A to Z. Empty if the inspection has none.
    """
    t = as_tables(path)
    tags = tagged(t)
    tags = tags[tags["kind"] == kind]
    own = tags[(tags["council_area"] == area) & (tags["programme"] == programme)]
    themes = [th for th in t.themes["theme"] if th in set(own["theme"])]
    others = tags[tags["theme"].isin(themes)]
    others = others[~((others["council_area"] == area) & (others["programme"] == programme))]
    others = others[["theme", "theme_name", "council_area", "programme"]].drop_duplicates()
    dates = t.inspections[["council_area", "programme", "published_date", "published_precision"]]
    others = others.merge(dates, on=["council_area", "programme"], how="left")
    theme_order = {th: i for i, th in enumerate(t.themes["theme"])}
    prog_order = {p: i for i, p in enumerate(t.programmes["programme"])}
    others = others.sort_values(
        ["theme", "programme", "council_area"],
        key=lambda s: s.map(theme_order) if s.name == "theme" else (
            s.map(prog_order) if s.name == "programme" else s),
    )  # fmt: skip
    return others.reset_index(drop=True)


@takes_area
def own_themes(area: str, programme: str, kind: str = "to improve", path: Data = None):
    """The themes (id, name), in ``themes.csv`` order, of an inspection's findings of a kind."""
    t = as_tables(path)
    tags = tagged(t)
    own = tags[
        (tags["council_area"] == area) & (tags["programme"] == programme) & (tags["kind"] == kind)
    ]
    return t.themes.loc[t.themes["theme"].isin(set(own["theme"])), ["theme", "name"]].reset_index(
        drop=True
    )


def national_facts(programme: str | None = None, path: Data = None) -> pd.DataFrame:
    """The national reviews' facts (one programme's, or all), programmes oldest first."""
    t = as_tables(path)
    n = t.national_reviews
    if programme is not None:
        n = n[n["programme"] == programme]
    order = {p: i for i, p in enumerate(t.programmes["programme"])}
    n = n.sort_values("programme", key=lambda s: s.map(order), kind="stable")
    columns = ["programme", "title", "published", "published_date", "published_precision"]
    return n[[*columns, "fact", "source_url", "corroborated_by"]].reset_index(drop=True)
