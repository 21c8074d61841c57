"""The area profile: one council area's inspection grades, against Scotland, with their gaps,
and its registered care services for children.

The cells of ``notebooks/area-profile.ipynb`` (run once per area by :mod:`helpers.build`). This
module only assembles: the numbers come from :mod:`helpers.joint` and :mod:`helpers.grades` (the
care services from :mod:`helpers.care`), the sentences and the tables as readers see them from
:mod:`helpers.narrative`, the charts from :mod:`helpers.charts`.
Unknown stays unknown: a grade no source gives is shown as unknown (with the grades still open,
where the counts narrow it down), never filled in.

Every public function takes a reader's ``area`` and makes it standard on the way in
(:func:`helpers.areas.takes_area`): 'perth & kinross' works, and 'Fyfe' stops with 'Did you
mean: Fife?' instead of an empty profile. The private ones trust the name they are given.
"""

from __future__ import annotations

import html
import re

import pandas as pd
from IPython.display import Markdown

from helpers import cache, charts, labels, narrative, quality
from helpers.areas import takes_area
from helpers.care import changes, tables
from helpers.care import questions as care
from helpers.display import KeyPoints
from helpers.grades import (
    GOOD_OR_BETTER,
    GOOD_OR_BETTER_NAME,
    VERY_GOOD_OR_BETTER,
    VERY_GOOD_OR_BETTER_NAME,
    WEAK_OR_WORSE,
    WEAK_OR_WORSE_NAME,
    standing,
)
from helpers.joint import findings as joint_findings
from helpers.joint import questions

#: Markdown punctuation that could make data text into markup (emphasis, code, links).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")
#: Where Markdown would make a link of an address in text ('https://...', 'www.'): backslashed.
_AUTOLINK = re.compile(r"(?<=[A-Za-z]):(?=//)|(?<![\w.])www\.", re.IGNORECASE)
#: An address that is safe to make a link of: http(s), nothing that ends the link early.
_SAFE_URL = re.compile(r"^https?://[^\s<>\"'`]+$", re.IGNORECASE)


def md(text: object) -> str:
    """Data text as Markdown that reads exactly as the text: never markup, never a script.

    HTML's special characters become entities and Markdown's are backslashed, so a finding or
    note holding ``<img src=x onerror=...>`` or ``[x](javascript:...)`` is shown, not run; an
    address in the text (``https://...``, ``www.``) stays text, not a link the data did not state.
    Every line break (``\\r``, ``\\n``, U+2028, U+2029 and the rest) becomes a space, and the
    text's start cannot open a block: leading spaces go, and a leading ``#``, ``-``, ``+``,
    ``~`` or ``1.`` is backslashed (``>`` is already an entity), so data text never makes a
    heading, list, quote or code block, wherever it is put.

    Examples
    --------
    >>> md("<script>alert(1)</script> & [x](javascript:y) *a*")
    '&lt;script&gt;alert(1)&lt;/script&gt; &amp; \\\\[x\\\\](javascript:y) \\\\*a\\\\*'
    >>> md("see https://a.example or www.b.example")
    'see https\\\\://a.example or www\\\\.b.example'
    >>> md("line1\\n\\n# heading\\r\\n\\u2028    code")
    'line1 # heading code'
    >>> [md(t) for t in ("# h", "    code", "- item", "+ item", "12. item", "2) x", "2.1 x")]
    ['\\\\# h', 'code', '\\\\- item', '\\\\+ item', '12\\\\. item', '2\\\\) x', '2.1 x']
    """
    text = re.sub(r"[ \t]*[\r\n\v\f\x85\u2028\u2029]+[ \t]*", " ", str(text)).lstrip(" \t")
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = _AUTOLINK.sub(lambda m: m[0][:-1] + "\\" + m[0][-1], text)
    # What would open a block at the start of a line: an ATX heading, a list item, a code fence.
    text = re.sub(r"^([#+~-])", r"\\\1", text)
    text = re.sub(r"^([0-9]{1,9})([.)])(?=[ \t]|$)", r"\1\\\2", text)
    return html.escape(text, quote=False)


@takes_area
def title(area: str) -> Markdown:
    """The profile's first heading, naming the area (the PDF's first line says whom it is about).

    Examples
    --------
    >>> title("Perth and Kinross").data
    '# Perth and Kinross: joint inspections and registered care services for children'
    """
    return Markdown(f"# {md(area)}: joint inspections and registered care services for children")


def _published(row: pd.Series) -> str:
    """'published 16 February 2017', 'published April 2018' (in words, as precise as known)."""
    return narrative.published_phrase(row["published_date"], row["published_precision"])


@takes_area
def summary(area: str) -> Markdown:
    """One line per programme: when the area was inspected and how its indicators were graded.

    Where the split of grades is not known, the line says so.
    """
    rows = questions.area_inspections(area)
    if rows.empty:
        return Markdown(f"No joint inspection of {md(area)} is in the data.")
    lines = []  # under the notebook's own heading; the page's title names the area
    for _, row in rows.iterrows():
        sentence = narrative.programme_line(row["indicators_stated"], questions.counts_of(row))
        lines.append(
            f"- **{md(row['name'])}** ({md(row['period'])}; {md(_published(row))}): {md(sentence)}."
        )
    return Markdown("\n".join(lines))


@takes_area
def standings(area: str, programme: str) -> list[tuple]:
    """The area's standing in each group of grades, what stands out first: weak or worse if it
    had any, then very good or better and good or better (else those two, then weak or worse).

    Pairs of :class:`~helpers.grades.Standing` and the group's words; empty if the area's split
    is not known.
    """
    wide = questions.scotland_counts(programme)
    if area not in wide.index:
        return []
    groups = [
        (standing(wide, area, VERY_GOOD_OR_BETTER), VERY_GOOD_OR_BETTER_NAME),
        (standing(wide, area, GOOD_OR_BETTER), GOOD_OR_BETTER_NAME),
        (standing(wide, area, WEAK_OR_WORSE), WEAK_OR_WORSE_NAME),
    ]
    return groups[2:] + groups[:2] if groups[2][0].top else groups


@takes_area
def standing_text(area: str, programme: str) -> str:
    """Where the area stands among the areas with a known split: rank and company in each group
    of grades (ties said as ties; the full comparison is in the table beside it)."""
    ranked = standings(area, programme)
    if not ranked:
        return narrative.unplaced_sentence(area, len(questions.scotland_counts(programme)))
    return narrative.rank_sentences(ranked)


@takes_area
def comparison_figure(area: str, programme: str) -> charts.Chart:
    """The area's grades against Scotland's, as a chart with its alt text and table."""
    table = questions.area_against_scotland(area, programme)
    return charts.area_against_scotland(table, area, labels.programme_title(programme))


@takes_area
def indicator_table(area: str) -> pd.DataFrame:
    """Every indicator of every programme the area was inspected in, with its grade or 'unknown'.

    Returns
    -------
    pandas.DataFrame
        Columns: programme, indicator, grade shown (the named grade, or unknown with the grades
        still open), basis (stated, ambiguous, derived, not found).
    """
    parts = []
    for programme in questions.area_inspections(area)["programme"]:
        grades = questions.indicator_grades(area, programme)
        grades.insert(0, "programme", programme)
        grades["grade shown"] = narrative.grades_shown(grades, unknown_first=True)
        parts.append(grades)
    if not parts:
        return pd.DataFrame(columns=["programme", "indicator", "grade shown", "basis"])
    out = pd.concat(parts, ignore_index=True)
    return out[["programme", "indicator", "grade shown", "basis"]].set_index(
        ["programme", "indicator"]
    )


@takes_area
def gaps(area: str) -> Markdown:
    """What is not known about the area, said plainly."""
    rows = questions.area_inspections(area)
    inspected = questions.inspected_programmes()
    missing = [p for p in inspected if p not in set(rows["programme"])]
    lines = []
    table = indicator_table(area).reset_index()
    for _, row in rows.iloc[::-1].iterrows():  # latest first, as the page
        mine = table[table["programme"] == row["programme"]]
        lines += narrative.inspection_unknowns(
            row["programme"],
            bool(row["published"]),
            not questions.counts_of(row).isna().any(),
            int((mine["basis"] == "not found").sum()),
            len(mine),
        )
    lines += narrative.not_inspected_lines(area, missing[::-1])
    return Markdown(
        "\n".join(f"- {md(line)}" for line in lines) if lines else "No gaps are recorded."
    )


@takes_area
def sources(area: str) -> Markdown:
    """The sources of every figure about the area, as links."""
    urls = questions.area_sources(area)
    if not urls:
        return Markdown(
            "No source page is recorded for this area's inspections: what is shown comes from "
            "research notes, and is marked as not found where no source gives it."
        )
    lines = []
    for u in urls:
        link = f"<{u}>" if _SAFE_URL.match(str(u)) else md(u)
        ogl = "careinspectorate." in str(u)
        lines.append(
            f"- {link}" + (" (Care Inspectorate: Open Government Licence v3.0)" if ogl else "")
        )
    lines += [
        "",
        "Care Inspectorate pages: contains public sector information licensed under the Open "
        "Government Licence v3.0. Other pages are cited as sources of fact; they are not under "
        "that licence.",
    ]
    return Markdown("\n".join(lines))


def link(url: object) -> str:
    """A source as a Markdown link named 'source' (an unsafe address is shown as text)."""
    if _SAFE_URL.match(str(url)):
        return f"[source](<{url}>)"
    return md(url)


#: Headings of the kinds of finding, in the order a profile shows them.
KIND_HEADINGS = {
    "strength": "Strengths",
    "to improve": "To improve",
    "progress review": "Progress reviews",
    "method": "How inspectors worked",
}


def _grades_line(area: str, row: pd.Series) -> str:
    """The grades of one inspection in words: the split, the named grades, or 'not found'."""
    counts = questions.counts_of(row)
    grades = questions.indicator_grades(area, row["programme"])
    named = grades[grades["basis"] != "not found"]
    parts = []
    # The split, unless the named grades say it all (one indicator graded, and named: say once)
    whole = not counts.isna().any() and int(counts.sum()) == len(named) == len(grades)
    if not counts.isna().any() and not whole:
        parts.append(narrative.programme_line(row["indicators_stated"], counts))
    parts += [
        f"{r.indicator}: {shown}"
        for r, shown in zip(named.itertuples(), narrative.grades_shown(named), strict=True)
    ]
    return "; ".join(parts) if parts else "no split of grades and no named grade found"


def _inspection_section(area: str, row: pd.Series) -> list[str]:
    """Lines of Markdown for one inspection: when, grades, findings by kind, progress reviews."""
    published = narrative.published_phrase(row["published_date"], row["published_precision"])
    lines = [
        f"**{md(narrative.capitalise(row['name']))}** ({md(row['period'])}), {md(published)}.",
        "",
        f"- Grades: {md(narrative.lower_first(_grades_line(area, row)))}.",
    ]
    note = narrative.note_without_unknown_date(row["note"]) if row["note"] else ""
    if note:
        lines.append(f"- Note: {md(note)}")
    table = joint_findings.area_findings(area, row["programme"])
    reviews = joint_findings.area_progress_reviews(area, row["programme"])
    # A return visit is told once: under 'Progress reviews', dated, where a review of the same
    # source is in the data (its summary says what the finding says); else as the finding.
    reviewed = set(reviews["source_url"])
    returns = table[table["kind"] == "progress review"]
    table = table[table["kind"] != "progress review"]
    if table.empty and returns.empty and reviews.empty:
        lines += ["", "No findings of this inspection were found in the sources reached."]
    for kind, group in table.groupby("kind", sort=False):
        lines += ["", f"*{md(KIND_HEADINGS.get(kind, kind))}*", ""]
        lines += [f"- {md(r.finding)} ({link(r.source_url)})" for r in group.itertuples()]
    unmatched = returns[~returns["source_url"].isin(reviewed)]
    if len(reviews) or len(unmatched):
        lines += ["", "*Progress reviews*", ""]
        for r in reviews.itertuples():
            date = narrative.when(r.published_date, r.published_precision)
            date = "date not known" if date == "on a date not known" else date
            lines.append(
                f"- {md(narrative.capitalise(date))}: {md(r.summary)} ({link(r.source_url)})"
            )
        lines += [f"- {md(r.finding)} ({link(r.source_url)})" for r in unmatched.itertuples()]
    return lines


@takes_area
def latest(area: str) -> Markdown:
    """The area's most recent inspection: programme, date, grades, findings, progress reviews."""
    rows = questions.area_inspections(area)
    if rows.empty:
        return Markdown(f"No joint inspection of {md(area)} is in the data.")
    return Markdown("\n".join(_inspection_section(area, rows.iloc[-1])))


@takes_area
def earlier(area: str) -> Markdown:
    """The area's earlier inspections, newest first, each with its grades and findings."""
    rows = questions.area_inspections(area)
    if len(rows) < 2:
        return Markdown("No earlier inspection of this area is in the data.")
    lines: list[str] = []
    for _, row in rows.iloc[:-1].iloc[::-1].iterrows():
        lines += [f"### {md(narrative.capitalise(row['short_name']))}", ""]
        lines += _inspection_section(area, row) + [""]
    return Markdown("\n".join(lines))


@takes_area
def findings(area: str) -> Markdown:
    """Every finding about the area, every programme: :func:`latest` then :func:`earlier`."""
    return Markdown(f"{latest(area).data}\n\n{earlier(area).data}")


@takes_area
def show_comparisons(area: str) -> None:
    """For each programme the area was inspected in: where it stands, then the chart and table.

    Where it stands (:func:`standing_text`): rank and company in each group of grades.

    Programmes in which no area has a known split are said to have no comparison.
    """
    from IPython.display import display

    for programme in questions.area_inspections(area)["programme"]:
        display(Markdown(f"### {md(labels.programme_title(programme))}"))
        if questions.scotland_counts(programme).empty:
            display(Markdown("No area's split of grades is known in this programme."))
            continue
        display(Markdown(md(standing_text(area, programme))))
        comparison_figure(area, programme).show()
        conflicts = quality.conflicts()
        conflicts = conflicts[conflicts["programme"] == programme]
        others = conflicts[conflicts["council_area"] != area]
        own = conflicts[conflicts["council_area"] == area]
        if not others.empty:
            lead = "The other areas' total counts every indicator each source gives."
            display(Markdown(md(f"{lead} {narrative.conflict_sentence(others, programme)}")))
        if not own.empty:
            display(Markdown(md(narrative.conflict_sentence(own, programme))))


# --- registered care services for children -------------------------------------------------------


@cache.cached_on(lambda: cache.folder_files(tables.care_services_dir()), maxsize=1)
def _care():
    """The committed care-services tables, each service's lowest grade, and the two dates (the
    latest snapshot and :data:`helpers.care.questions.SINCE`).

    Computed once for every profile a process makes (and again if the tables change): the
    tables are :func:`helpers.care.tables.shared`, which no function here changes.
    """
    data = tables.shared()
    lowest = care.lowest_grades(data.services, data.grades)
    dates = care.comparison_dates(data.services)
    return data, lowest, dates


@takes_area
def care_registered(area: str) -> Markdown:
    """How many children's services are registered in the area, now and at the comparison date."""
    data, _, dates = _care()
    counts = care.registered_counts(data.services, dates, area)
    latest = max(dates)
    scope = narrative.scotland_scope_sentence(care.outside_scotland(data.services, latest), latest)
    return Markdown(md(f"{narrative.registered_sentence(counts, area)} {scope}"))


@takes_area
def care_by_type_figure(area: str) -> charts.Chart:
    """The area's children's services by type, now and at the comparison date."""
    data, _, dates = _care()
    return charts.by_type_chart(care.by_type(data.services, dates, area), area)


@takes_area
def care_sectors(area: str) -> tuple[Markdown, pd.DataFrame]:
    """Who runs the area's children's services (sentence, table of shares), against Scotland."""
    data, _, dates = _care()
    table = care.by_sector(data.services, dates, area)
    sentence = narrative.sectors_sentence(table, dates[-1], area)
    return Markdown(md(sentence)), narrative.sector_table(table)


@takes_area
def care_grades_figure(area: str) -> charts.Chart | Markdown:
    """The area's graded services by lowest grade against Scotland, at the dates it had any.

    A date at which the area had no graded service is left out and said to be not known (a
    share of nothing is unknown, not zero); with none at all, only that is said.
    """
    _, lowest, dates = _care()
    graded = care.graded_counts(lowest, dates, area)
    known = [d for d in dates if graded[d] > 0]
    if not known:
        return Markdown(
            md(f"No children's service in {area} was graded: the shares are not known.")
        )
    return charts.grade_shares_chart(care.grade_shares(lowest, known, area), area)


@takes_area
def care_trend(area: str) -> tuple[Markdown, charts.Chart]:
    """The share good or better, the area against Scotland, at every snapshot (sentence, chart)."""
    _, lowest, _ = _care()
    trend = care.good_or_better_trend(lowest, area)
    sentence = narrative.good_or_better_sentence(trend, area)
    # A snapshot with nothing graded in the area: not drawn.
    drawn = trend.dropna(subset=[(GOOD_OR_BETTER_NAME, area)])
    return Markdown(md(sentence)), charts.trend_chart(drawn, area)


@takes_area
def care_weak(area: str) -> tuple[Markdown, pd.DataFrame, pd.DataFrame]:
    """The area's services graded weak or worse now: sentence, counts by type, the services.

    A service is named only where its name is not a person's: never a childminder.
    """
    data, lowest, dates = _care()
    by_type = care.weak_by_type(lowest, dates[-1], area)
    services = narrative.weak_services(care.weak_or_worse(lowest, data.services, dates[-1], area))
    sentence = narrative.weak_sentence(by_type, dates[-1], area)
    return (
        Markdown(md(sentence)),
        narrative.weak_by_type_table(by_type),
        services.set_index(["care service", "service"]),
    )


@takes_area
def show_care_grades(area: str) -> None:
    """Show :func:`care_grades_figure`: the chart with its alt text and table, or why not."""
    from IPython.display import display

    figure = care_grades_figure(area)
    if isinstance(figure, Markdown):
        display(figure)
    else:
        figure.show()


# --- key points --------------------------------------------------------------------------------


@takes_area
def latest_key_point(area: str) -> list[str]:
    """The area's latest inspection and its grades, then what its findings hold (key points)."""
    rows = questions.area_inspections(area)
    if rows.empty:
        return [f"No joint inspection of {area} is in the data."]
    row = rows.iloc[-1]
    grades = questions.indicator_grades(area, row["programme"])
    named = [(r.indicator, r.grade) for r in grades.itertuples() if r.basis == "stated"]
    published = narrative.published_phrase(row["published_date"], row["published_precision"])
    kinds = joint_findings.area_findings(area, row["programme"])["kind"]
    return [
        narrative.latest_inspection_sentence(
            area, row["programme"], published, questions.counts_of(row), named
        ),
        narrative.findings_count_sentence(kinds),
    ]


@takes_area
def standing_key_point(area: str) -> str:
    """Where the area stands in the programme with the most known splits among those it has a
    known split in (what stands out first); or that it cannot be placed."""
    known = {p: questions.scotland_counts(p) for p in questions.inspected_programmes()}
    mine = [p for p, wide in known.items() if area in wide.index]
    if not mine:
        programme = max(known, key=lambda p: len(known[p]))
        return narrative.unplaced_key_point(area, programme, len(known[programme]))
    programme = max(mine, key=lambda p: len(known[p]))
    return narrative.standing_key_point(programme, standings(area, programme))


@takes_area
def care_key_points(area: str) -> list[str]:
    """Registered children's services good or better against Scotland, and what changed between
    the two latest snapshots."""
    _, lowest, _ = _care()
    trend = care.good_or_better_trend(lowest, area)
    recent = changes.between()
    counts = changes.counts(recent, area)
    return [
        narrative.care_good_key_point(trend, area),
        narrative.recent_change_sentence(counts, area, recent.before, recent.after),
    ]


@takes_area
def key_points(area: str) -> KeyPoints:
    """What matters in the profile, first: the latest inspection and its grades, the standing
    among the areas whose grades are known, registered services good or better against
    Scotland, and what changed most recently."""
    return KeyPoints([*latest_key_point(area), standing_key_point(area), *care_key_points(area)])
