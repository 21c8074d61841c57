"""Sentences about what inspectors found: themes named as strengths and as things to improve."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd

from helpers.joint.findings import most_named
from helpers.labels import programme_name, programme_years
from helpers.words import (
    capitalise,
    join_words,
    lower_first,
    number_word,
    of_phrase,
    plural,
    published_phrase,
)


def _times(n: int) -> str:
    return plural(n, "inspection")


def themes_lead_sentence(counts: pd.DataFrame) -> str:
    """What stands out in :func:`helpers.joint.findings.theme_counts`: the theme most often named as
    something to improve, and as a strength, over every programme (ties named together)."""
    parts, tops = [], []
    for column, what in (("to_improve", "something to improve"), ("strength", "a strength")):
        names, top = most_named(counts, column)
        if top == 0:
            continue
        if tops and tops[0] == names:
            parts.append(f"also as {what} (in {_times(top)})")
            continue
        tops.append(names)
        theme = join_words(names)
        most = "the themes" if len(names) > 1 else "the theme"
        parts.append(f"{theme} {'were' if len(names) > 1 else 'was'} {most} most often named "
                     f"as {what} (in {_times(top)})")  # fmt: skip
    if not parts:
        return "No finding in the data carries a theme."
    n = counts["programme"].nunique()
    return f"Across {plural(n, 'programme')}, {join_words(parts)}."


def programme_themes_sentence(
    counts: pd.DataFrame, programme: str, judged: int, inspected: int | None = None
) -> str:
    """For one programme: the themes most areas were told to improve, and praised for, out of
    the ``judged`` areas whose findings record a strength or thing to improve (of ``inspected``
    inspected, where findings are missing for some).

    Examples
    --------
    >>> c = pd.DataFrame({"programme": ["cyp-2012"] * 2, "theme_name": ["Workforce", "Neglect"],
    ...                   "to_improve": [8, 2], "strength": [0, 15]})
    >>> programme_themes_sentence(c, "cyp-2012", 26, 32)
    'Children and young people, 2012-2017 (findings recorded for 26 of 32 areas): eight of the 26 were told to improve workforce; 15 of the 26 were praised for neglect.'
    """  # noqa: E501
    c = counts[counts["programme"] == programme]
    partial = inspected is not None and judged < inspected
    parts = []
    for column, what in (("to_improve", "told to improve"), ("strength", "praised for")):
        top = int(c[column].max()) if len(c) else 0
        if top:
            names = [lower_first(n) for n in c.loc[c[column] == top, "theme_name"]]
            many = (
                f"{number_word(top)} of the {number_word(judged)} were"
                if partial
                else f"{of_phrase(top, judged)} areas were"
            )
            parts.append(f"{many} {what} {join_words(names)}")
    if not parts:
        return f"No finding of {programme_name(programme)} carries a theme."
    name = capitalise(programme_name(programme))
    if partial:
        name += f" (findings recorded for {of_phrase(judged, inspected)} areas)"
    return f"{name}: {'; '.join(parts)}."


def notes_coverage_sentence(coverage: pd.DataFrame, without: list[str], areas: int) -> str:
    """What the findings cover and what they do not, said plainly."""
    have = areas - len(without)
    parts = [
        f"{capitalise(programme_name(p))}, {of_phrase(int(r.with_judgements), int(r.inspected))}"
        for p, r in coverage.iterrows()
    ]
    missing = f"; none for {join_words(without)}" if without else ""
    return (
        f"The findings cover {of_phrase(have, areas)} council areas{missing}. Inspections with a "
        f"strength or something to improve recorded, by programme: {'; '.join(parts)}. They are "
        "taken from news pages and releases, not from the full reports, which were not reached: "
        "a release reports a few points of a report, so a theme missing from an area's findings "
        "is not evidence that inspectors did not raise it."
    )


def _told_the_same(
    themes: pd.DataFrame, others: pd.DataFrame
) -> Iterator[tuple[str, pd.DataFrame]]:
    """Each of an inspection's things to improve (``themes``: ``theme``, ``name``), its name as
    words within a sentence, with the rows of ``others`` (the other inspections) told the same."""
    for _, theme in themes.iterrows():
        yield lower_first(theme["name"]), others[others["theme"] == theme["theme"]]


def heard_same_sentence(area: str, programme: str, published: str, themes, others) -> str:
    """An inspection's things to improve, and the other inspections told the same (named)."""
    if themes.empty:
        return f"No theme is recorded among {area}'s things to improve in this programme."
    lines = [
        f"{area} was told, in its {programme_name(programme)} inspection ({published}), to "
        f"improve {join_words(lower_first(n) for n in themes['name'])}."
    ]
    for name, same in _told_the_same(themes, others):
        if same.empty:
            lines.append(f"No other inspection in the data was told to improve {name}.")
            continue
        named = [
            f"{r.council_area} ({programme_name(r.programme)}; "
            f"{published_phrase(r.published_date, r.published_precision)})"
            for r in same.itertuples()
        ]
        lines.append(
            f"{capitalise(number_word(len(same)))} other "
            f"{'inspection was' if len(same) == 1 else 'inspections were'} told to improve "
            f"{name}: {join_words(named)}."
        )
    return " ".join(lines)


def top_themes_sentence(tags: pd.DataFrame, kind: str) -> str:
    """The theme (or tied themes) most often named as ``kind`` across every programme, with the
    inspections and the council areas they were named in.

    ``tags`` is :func:`helpers.joint.findings.tagged` (a row per finding and theme).

    Examples
    --------
    >>> t = pd.DataFrame({"council_area": ["A", "A", "B", "C"],
    ...                   "programme": ["p1", "p2", "p1", "p1"],
    ...                   "kind": ["strength"] * 3 + ["to improve"],
    ...                   "theme_name": ["Workforce", "Workforce", "Workforce", "Neglect"]})
    >>> top_themes_sentence(t, "strength")
    'Counting every programme together, the theme most often named as a strength was workforce: in three inspections, of two council areas.'
    """  # noqa: E501
    what = "a strength" if kind == "strength" else "something to improve"
    mine = tags[tags["kind"] == kind]
    if mine.empty:
        return f"No finding in the data names a theme as {what}."
    visits = mine.drop_duplicates(["theme_name", "council_area", "programme"])
    per = visits.groupby("theme_name", sort=False).agg(
        inspections=("council_area", "size"), areas=("council_area", "nunique")
    )
    top = per[per["inspections"] == per["inspections"].max()]
    n = int(top["inspections"].iloc[0])
    if len(top) == 1:
        name, areas = top.index[0], int(top["areas"].iloc[0])
        return (
            f"Counting every programme together, the theme most often named as {what} was "
            f"{lower_first(name)}: in {plural(n, 'inspection')}, of "
            f"{plural(areas, 'council area')}."
        )
    parts = [f"{lower_first(t)} ({plural(int(r.areas), 'area')})" for t, r in top.iterrows()]
    return (
        f"Counting every programme together, the themes most often named as {what}, each in "
        f"{plural(n, 'inspection')}, were {join_words(parts)}."
    )


def reach_sentence(
    areas_with: int, areas: int, programmes_with: int, programmes: int, without: list[str]
) -> str:
    """How far the findings reach: council areas and programmes, and which areas have none.

    Examples
    --------
    >>> reach_sentence(31, 32, 5, 5, ["Angus"])
    'The findings reach 31 of 32 council areas and all five programmes with inspections in the data; no finding was found for Angus.'
    """  # noqa: E501
    missing = f"; no finding was found for {join_words(without)}" if without else ""
    return (
        f"The findings reach {of_phrase(areas_with, areas)} council areas and "
        f"{of_phrase(programmes_with, programmes)} programmes with inspections in the data"
        f"{missing}."
    )


def placed_key_point(area: str, programme: str, published: str, themes, others) -> str:
    """Where an inspection's things to improve sit: for each theme, the other inspections told
    the same (``themes`` and ``others`` as for :func:`heard_same_sentence`).

    Examples
    --------
    >>> th = pd.DataFrame({"theme": ["chron"], "name": ["Chronologies"]})
    >>> o = pd.DataFrame({"theme": ["chron", "chron"], "council_area": ["Fife", "Moray"],
    ...                   "programme": ["risk-of-harm-2020"] * 2})
    >>> print(placed_key_point("Angus", "cyp-2012", "published April 2018", th, o))
    Of Angus's things to improve from its 2012-2017 inspection (published April 2018), chronologies also came up in two other inspections: Fife and Moray, both 2020-2025.
    """  # noqa: E501
    period = programme_years(programme)
    if themes.empty:
        return f"No theme is recorded among {area}'s things to improve in its {period} inspection."
    parts = []
    for name, same in _told_the_same(themes, others):
        if same.empty:
            parts.append(f"{name} came up in no other inspection")
            continue
        periods = [programme_years(p) for p in same["programme"]]
        named = join_words(same["council_area"])
        if len(set(periods)) == 1:
            both = "both " if len(same) == 2 else "all " if len(same) > 2 else ""
            where = f"{named}, {both}{periods[0]}"
        else:
            where = join_words(
                f"{a} ({p})" for a, p in zip(same["council_area"], periods, strict=True)
            )
        many = plural(len(same), "other inspection")
        parts.append(f"{name} also came up in {many}: {where}")
    return (
        f"Of {area}'s things to improve from its {period} inspection ({published}), "
        f"{'; '.join(parts)}."
    )
