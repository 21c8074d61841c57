"""What inspectors found across Scotland: the cells of ``notebooks/06-what-inspectors-found``.

This module only assembles: the counts come from :mod:`helpers.joint.findings`, the sentences from
:mod:`helpers.narrative`, the chart from :mod:`helpers.charts`. Data text (findings, facts,
titles) is escaped wherever it becomes Markdown (:func:`helpers.profile.md`).
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from helpers import charts, narrative, schema
from helpers.areas import COUNCIL_AREAS
from helpers.display import KeyPoints
from helpers.joint import findings, questions
from helpers.joint.tables import tables
from helpers.labels import programme_name, programme_years
from helpers.profile import link, md

#: The inspection 06 places among the others: Perth and Kinross, 2012-2017 (reported 2018).
AREA, PROGRAMME = "Perth and Kinross", questions.DEFAULT_PROGRAMME


def _inspected() -> dict[str, int]:
    return findings.notes_coverage()["inspected"].to_dict()


def _judged() -> dict[str, tuple[int, int]]:
    """Per programme: areas whose findings record a strength or thing to improve, and areas
    inspected."""
    coverage = findings.notes_coverage()
    return {p: (int(r.with_judgements), int(r.inspected)) for p, r in coverage.iterrows()}


def lead() -> Markdown:
    """What stands out: the themes most often named, over every programme."""
    return Markdown(md(narrative.themes_lead_sentence(findings.theme_counts())))


def coverage() -> Markdown:
    """What the findings cover and what they do not."""
    sentence = narrative.notes_coverage_sentence(
        findings.notes_coverage(), findings.areas_without_findings(), len(COUNCIL_AREAS)
    )
    return Markdown(md(sentence))


def themes_figure() -> charts.Chart:
    """The paired bar chart of themes by programme, with its alt text and table."""
    return charts.theme_bars(findings.theme_counts(), _inspected())


def themes_table(kind: str) -> pd.DataFrame:
    """Themes by programme: how many areas heard each as ``kind`` ('strength' or 'to improve'),
    a column per programme (headed by its years, so that no header is cut), oldest first."""
    counts = findings.theme_counts()
    column = "strength" if kind == "strength" else "to_improve"
    wide = counts.pivot_table(
        index="theme_name", columns="programme", values=column, sort=False
    ).astype(int)
    order = list(dict.fromkeys(counts["programme"]))
    wide = wide[order]
    wide.columns = [programme_years(p) for p in order]
    wide.index.name = "theme"
    wide.columns.name = None
    return wide


def themes_by_programme() -> pd.DataFrame:
    """:func:`themes_table` for strengths then things to improve, one below the other: rows
    (heard as, theme), a column per programme headed by its years."""
    parts = {"a strength": themes_table("strength"), "to improve": themes_table("to improve")}
    out = pd.concat(parts, names=["heard as", "theme"])
    return out


def show_themes() -> None:
    """The chart of themes by programme, with its alt text and its numbers: areas that heard each
    theme as a strength, then areas told to improve it, a column per programme."""
    themes_figure()._replace(table=themes_by_programme()).show()


def show_programmes() -> None:
    """For each programme: what most areas heard, then the national review's own statements
    beside it, each linked to its source."""
    from IPython.display import display

    counts = findings.theme_counts()
    inspected = _judged()
    facts = findings.national_facts()
    programmes = list(tables().programmes["programme"])
    for programme in programmes:
        own = facts[facts["programme"] == programme]
        if programme not in inspected and own.empty:
            continue
        display(Markdown(f"### {md(narrative.capitalise(programme_name(programme)))}"))
        if programme in inspected:
            sentence = narrative.programme_themes_sentence(counts, programme, *inspected[programme])
        else:
            sentence = "No inspection of this programme is in the data; only its national review."
        display(Markdown(md(sentence)))
        if own.empty:
            display(Markdown("No national review of this programme is in the data."))
            continue
        lines = []
        for title, group in own.groupby("title", sort=False):
            date = narrative.published_phrase(
                group["published_date"].iloc[0], group["published_precision"].iloc[0]
            )
            lines.append(f"The review *{md(title)}* ({md(date)}) says:\n")
            lines += [f"- {md(f.fact)} ({_sources(f)})" for f in group.itertuples()]
            lines.append("")
        display(Markdown("\n".join(lines)))


def _sources(fact) -> str:
    """A national review fact's source, and any other page or version it rests on."""
    others = (
        schema.split_cell(fact.corroborated_by) if isinstance(fact.corroborated_by, str) else []
    )
    return " · ".join(
        [link(fact.source_url), *(link(u).replace("[source]", "[also]") for u in others)]
    )


def placed() -> Markdown:
    """Perth and Kinross's 2017 things to improve, among the areas told the same."""
    row = questions.inspection(AREA, PROGRAMME)
    published = narrative.published_phrase(row["published_date"], row["published_precision"])
    sentence = narrative.heard_same_sentence(
        AREA,
        PROGRAMME,
        published,
        findings.own_themes(AREA, PROGRAMME),
        findings.heard_same(AREA, PROGRAMME),
    )
    grades = narrative.programme_line(row["indicators_stated"], questions.counts_of(row))
    period = programme_years(PROGRAMME)
    own = f"{AREA}'s own grades in its {period} inspection: {narrative.lower_first(grades)}."
    return Markdown(md(f"{sentence} {own}"))


def placed_table() -> pd.DataFrame:
    """The inspections told to improve the same themes as Perth and Kinross in 2017."""
    same = findings.heard_same(AREA, PROGRAMME)
    out = same.assign(
        published=[
            narrative.published_phrase(d, p).removeprefix("published ")
            for d, p in zip(same["published_date"], same["published_precision"], strict=True)
        ]
    )
    out = out.drop(columns="theme").rename(columns={"theme_name": "theme"})
    return out[["theme", "council_area", "programme", "published"]].set_index(
        ["theme", "council_area"]
    )


def key_points() -> KeyPoints:
    """What stands out across Scotland: the themes most often named as things to improve and
    as strengths (inspections and areas), how far the findings reach, and where Perth and
    Kinross's 2012-2017 things to improve sit among the others."""
    tags = findings.tagged()
    coverage = findings.notes_coverage()
    table = tables().findings
    without = findings.areas_without_findings()
    row = questions.inspection(AREA, PROGRAMME)
    published = narrative.published_phrase(row["published_date"], row["published_precision"])
    return KeyPoints(
        [
            narrative.top_themes_sentence(tags, "to improve"),
            narrative.top_themes_sentence(tags, "strength"),
            narrative.reach_sentence(
                len(COUNCIL_AREAS) - len(without),
                len(COUNCIL_AREAS),
                table["programme"].nunique(),
                len(coverage),
                without,
            ),
            narrative.placed_key_point(
                AREA,
                PROGRAMME,
                published,
                findings.own_themes(AREA, PROGRAMME),
                findings.heard_same(AREA, PROGRAMME),
            ),
        ]
    )
