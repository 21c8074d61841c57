"""Small computations the notebooks need: standings, sentences, checks, coverage and sources.

Everything here returns a table or a sentence built from the data, so a notebook shows it in one
short cell and no number is ever typed into the narrative.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import NamedTuple
from urllib.parse import urlparse

import pandas as pd

from helpers import inspections
from helpers.areas import COUNCIL_AREAS
from helpers.grades import COUNT_COLUMNS, HIGHEST_FIRST, normalise_grade
from helpers.narrative import describe_grades, join_words, number_word

#: Grades counted as 'very good or better'.
TOP_GRADES: tuple[str, ...] = ("excellent", "very good")

#: Count columns of ``inspections.csv``, highest grade first.
HIGHEST_FIRST_COLUMNS: tuple[str, ...] = tuple(COUNT_COLUMNS[g] for g in HIGHEST_FIRST)


# --------------------------------------------------------------------------- counts and shares


def as_counts(counts: Mapping[str, object] | pd.Series) -> pd.Series:
    """Counts keyed by grade, highest first, as nullable integers (missing grades count 0).

    Keys may be labels, aliases or column names ('very_good'). A missing value stays ``<NA>``.

    Examples
    --------
    >>> as_counts({"very_good": 2, "excellent": 1}).tolist()
    [1, 2, 0, 0, 0, 0]
    """
    by_grade: dict[str, object] = dict.fromkeys(HIGHEST_FIRST, 0)
    for key, value in dict(counts).items():
        grade = normalise_grade(str(key).replace("_", " "))
        if grade is None:
            raise ValueError(f"{key!r} is not a grade on the six-point scale")
        by_grade[grade] = pd.NA if value is None or pd.isna(value) else value
    series = pd.Series(pd.array(list(by_grade.values()), dtype="Int64"), index=HIGHEST_FIRST)
    series.index.name = "grade"
    return series


def is_known(counts: pd.Series) -> bool:
    """Whether a split of grades is known (no count is missing)."""
    return not as_counts(counts).isna().any()


def top_count(counts: pd.Series) -> int:
    """How many indicators were very good or better."""
    c = as_counts(counts)
    return int(sum(int(c[g]) for g in TOP_GRADES))


def of_phrase(k: int, n: int) -> str:
    """'eight of nine', 'all six', 'none of nine' (numbers below ten as words)."""
    if n > 1 and k == n:
        return f"all {number_word(n)}"
    if k == 0:
        return f"none of {number_word(n)}"
    return f"{number_word(k)} of {number_word(n)}"


def release_sentence(counts: Mapping[str, object] | pd.Series, lead: str = "") -> str:
    """The sentence of a press release: 'Of nine quality indicators, two were graded ...'.

    ``lead`` starts the sentence ('In the 2011 inspection') before 'of nine ...'.

    Examples
    --------
    >>> release_sentence({"excellent": 2, "very good": 6, "good": 1})
    'Of nine quality indicators, two were graded excellent, six very good and one good.'
    >>> release_sentence({"excellent": 3, "very good": 3}, lead="Earlier")
    'Earlier, of six quality indicators, three were graded excellent and three very good.'
    """
    c = as_counts(counts)
    head = f"{lead}, of" if lead else "Of"
    if c.isna().any():
        return (
            f"{lead}, the split of grades is not known."
            if lead
            else ("The split of grades is not known.")
        )
    total = int(c.sum())
    if total == 1:  # 'Of one quality indicators, one was graded good' reads badly
        grade = next(g for g in HIGHEST_FIRST if c[g] > 0)
        return (
            f"{lead}, the one quality indicator graded was {grade}."
            if lead
            else (f"The one quality indicator graded was {grade}.")
        )
    return f"{head} {number_word(total)} quality indicators, {describe_grades(c)}."


class Standing(NamedTuple):
    """Where one area stands among others by share of indicators very good or better."""

    area: str
    top: int
    total: int
    larger: int
    same: int
    smaller: int

    @property
    def areas(self) -> int:
        return self.larger + self.same + self.smaller + 1


def standing(table: pd.DataFrame, area: str) -> Standing:
    """Count the areas with a larger, the same and a smaller share very good or better.

    Shares are compared exactly (as fractions), so 7/9 and 14/18 tie; no rank is given, because
    a rank hides ties.
    """
    if area not in table.index:
        raise KeyError(f"{area!r} has no known split in this table; it has: {list(table.index)}")
    share = {
        a: Fraction(int(r["excellent"]) + int(r["very good"]), int(r[list(HIGHEST_FIRST)].sum()))
        for a, r in table.iterrows()
    }
    mine = share[area]
    others = [s for a, s in share.items() if a != area]
    row = table.loc[area]
    return Standing(
        area=area,
        top=int(row["excellent"]) + int(row["very good"]),
        total=int(row[list(HIGHEST_FIRST)].sum()),
        larger=sum(s > mine for s in others),
        same=sum(s == mine for s in others),
        smaller=sum(s < mine for s in others),
    )


def _areas(n: int) -> str:
    return f"{number_word(n)} area" + ("" if n == 1 else "s")


def standing_sentence(s: Standing) -> str:
    """Where an area stands, in words, with ties stated.

    Examples
    --------
    >>> standing_sentence(Standing("A", 8, 9, 0, 0, 19))
    'A had eight of nine indicators very good or better. Of the other 19 areas with a known split, none had a larger share, none the same share and 19 a smaller share.'
    """  # noqa: E501

    def part(n: int, what: str) -> str:
        return f"{'none' if n == 0 else number_word(n)} {what}"

    own = (
        f"{s.area}'s one graded indicator was {'' if s.top else 'not '}very good or better. "
        if s.total == 1
        else f"{s.area} had {of_phrase(s.top, s.total)} indicators very good or better. "
    )
    return (
        own + f"Of the other {_areas(s.areas - 1)} with a known split, "
        f"{join_words([part(s.larger, 'had a larger share'), part(s.same, 'the same share'), part(s.smaller, 'a smaller share')])}."  # noqa: E501
    )


def standing_headline(s: Standing) -> str:
    """A chart title for :func:`standing`: the finding, ties included, no rank."""
    if s.larger == 0 and s.same == 0:
        return f"{s.area}: the largest share very good or better of {_areas(s.areas)}"
    if s.larger == 0:
        return (
            f"{s.area}: the largest share very good or better, shared with "
            f"{_areas(s.same)} (of {_areas(s.areas)})"
        )
    tie = f", {number_word(s.same)} the same" if s.same else ""
    return (
        f"{s.area}: {_areas(s.larger)} had a larger share very good or better{tie} "
        f"(of {_areas(s.areas)})"
    )


# --------------------------------------------------------------------------- one inspection


def _when(date: pd.Timestamp, precision: str) -> str:
    if precision == "unknown" or pd.isna(date):
        return "on a date not known"
    if precision == "year":
        return f"in {date.year}"
    if precision == "month":
        return f"in {date.strftime('%B %Y')}"
    return f"on {date.day} {date.strftime('%B %Y')}"


def inspection_facts(area: str, programme: str = inspections.DEFAULT_PROGRAMME) -> pd.DataFrame:
    """What was inspected, when and by which programme, as a two-column table."""
    t = inspections.tables()
    row = inspections._inspection(area, programme)
    prog = t.programmes.set_index("programme").loc[programme]
    stated = row["indicators_stated"]
    facts = {
        "council area": row["council_area"],
        "programme": f"{prog['name']} ({prog['period']})",
        "fieldwork": row["fieldwork"] or "not known",
        "published": _when(row["published_date"], row["published_precision"]).split(" ", 1)[1],
        "quality indicators graded": "not known" if pd.isna(stated) else number_word(int(stated)),
        "source": row["source_url"] or "none found",
        "corroborated by": row["corroborated_by"] or "none",
    }
    return pd.DataFrame({"fact": list(facts), "value": list(facts.values())}).set_index("fact")


def findings_table(
    area: str, programme: str = inspections.DEFAULT_PROGRAMME, kinds: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The inspectors' findings of one inspection (in our words), with the source of each."""
    f = inspections.load_findings()
    f = f[(f["council_area"] == area) & (f["programme"] == programme)]
    if kinds:
        f = f[f["kind"].isin(kinds)]
        f = f.assign(_order=f["kind"].map({k: i for i, k in enumerate(kinds)}))
        f = f.sort_values("_order", kind="stable").drop(columns="_order")
    return f[["kind", "finding", "source_url"]].reset_index(drop=True)


def profile_table(area: str, programme: str = inspections.DEFAULT_PROGRAMME) -> pd.DataFrame:
    """An inspection's indicators grouped under their questions, with the grade shown."""
    g = inspections.indicator_grades(area, programme)
    g = g.assign(question=g["question"].replace("", "(no question recorded)"))
    return g.set_index(["question", "indicator"])[["shown", "basis"]]


def framework_sentence(programmes: list[str]) -> str:
    """How many indicators each programme graded, in one sentence."""
    p = inspections.load_programmes().set_index("programme")
    parts = [
        f"{pid} ({p.loc[pid, 'period']}) graded {number_word(p.loc[pid, 'indicators_graded'])}"
        for pid in programmes
    ]
    return f"The programmes graded different sets of indicators: {join_words(parts)}."


# --------------------------------------------------------------------------- grades by indicator


def named_cells(programme: str = inspections.DEFAULT_PROGRAMME) -> pd.DataFrame:
    """Named grades of a programme, one row per area and indicator (grade as text)."""
    n = inspections.load_named_grades()
    n = n[n["programme"] == programme]
    out = n[["council_area", "indicator", "grade", "basis"]].copy()
    out["grade"] = out["grade"].astype(object)
    return out.sort_values(["council_area", "indicator"]).reset_index(drop=True)


def indicator_order(programme: str = inspections.DEFAULT_PROGRAMME) -> list[str]:
    """A programme's indicators in report order."""
    ind = inspections.load_indicators()
    return ind.loc[ind["programme"] == programme, "indicator"].tolist()


# --------------------------------------------------------------------------- data quality


def _check(name: str, run: Callable[[], str]) -> dict[str, str]:
    try:
        return {"check": name, "result": "passed", "detail": run()}
    except Exception as err:  # a check that fails is reported, not raised: this is a report
        return {"check": name, "result": "FAILED", "detail": f"{type(err).__name__}: {err}"}


def validation_report(path=None) -> pd.DataFrame:
    """Run every loader on the data and list each check with its result.

    The loaders raise :class:`helpers.DataError` on any broken rule, so 'passed' means the
    whole table met every rule the loader checks (listed in ``detail``). The cross-table checks
    follow. Nothing is raised; a failure shows as 'FAILED' with the message.
    """
    loaders = [
        ("programmes", inspections.load_programmes, "unique ids; indicators graded >= 1"),
        ("indicators", inspections.load_indicators, "known programme; unique per programme"),
        ("council_areas", inspections.load_council_areas, "standard names only"),
        (
            "inspections",
            inspections.load_inspections,
            "UTF-8; known area and programme; ISO dates; whole counts, all six or none, adding "
            "up to indicators stated; programme's indicator count unless a recorded conflict; "
            "no duplicates",
        ),
        (
            "named_grades",
            inspections.load_named_grades,
            "known grade, indicator and basis; no duplicates; within the inspection's counts",
        ),
        ("findings", inspections.load_findings, "known area; kind strength, to improve or method"),
    ]
    rows = []
    for name, loader, rules in loaders:
        rows.append(
            _check(
                f"load_{name}: {rules}",
                lambda loader=loader: f"{len(loader(path))} rows loaded",
            )
        )

    def every_area_cyp() -> str:
        ins = inspections.load_inspections(path)
        have = set(ins.loc[ins["programme"] == inspections.DEFAULT_PROGRAMME, "council_area"])
        missing = sorted(set(COUNCIL_AREAS) - have)
        if missing:
            raise AssertionError(f"no {inspections.DEFAULT_PROGRAMME} row for {missing}")
        return f"all {len(COUNCIL_AREAS)} council areas have a row"

    def counts_have_source() -> str:
        ins = inspections.load_inspections(path)
        known = ins.dropna(subset=[COUNT_COLUMNS[g] for g in HIGHEST_FIRST])
        bare = known.loc[known["source_url"] == "", "council_area"].tolist()
        if bare:
            raise AssertionError(f"counts without a source: {bare}")
        return f"{len(known)} inspections with counts, each with a source"

    def named_have_source() -> str:
        named = inspections.load_named_grades(path)
        bare = int((named["source_url"] == "").sum())
        if bare:
            raise AssertionError(f"{bare} named grades without a source")
        return f"{len(named)} named grades, each with a source"

    def conflicts_explained() -> str:
        ins = inspections.load_inspections(path)
        c = ins[ins["conflict"] != ""]
        bare = c.loc[c["note"] == "", "council_area"].tolist()
        if bare:
            raise AssertionError(f"conflicts without a note: {bare}")
        return f"{len(c)} recorded conflict(s), each with a note"

    rows += [
        _check("every council area has a row for the 2012-2017 programme", every_area_cyp),
        _check("every inspection with counts names its source", counts_have_source),
        _check("every named grade names its source", named_have_source),
        _check("every recorded conflict is explained in a note", conflicts_explained),
    ]
    return pd.DataFrame(rows)


def conflicts(path=None) -> pd.DataFrame:
    """Inspections whose sources conflict with the programme (kept as published, flagged)."""
    ins = inspections.load_inspections(path)
    prog = inspections.load_programmes(path).set_index("programme")["indicators_graded"]
    c = ins[ins["conflict"] != ""].copy()
    c["programme_grades"] = c["programme"].map(prog).astype("Int64")
    cols = ["council_area", "programme", "conflict", "indicators_stated", "programme_grades"]
    return c[cols + list(HIGHEST_FIRST_COLUMNS) + ["note"]].reset_index(drop=True)


def date_precision(path=None) -> pd.DataFrame:
    """How precisely publication dates are known, per programme (counts of inspections)."""
    ins = inspections.load_inspections(path)
    table = pd.crosstab(ins["programme"], ins["published_precision"])
    order = [p for p in ("day", "month", "year", "unknown") if p in table.columns]
    programmes = inspections.load_programmes(path)["programme"]
    return table.reindex(index=list(programmes), columns=order, fill_value=0)


def imprecise_dates(path=None) -> pd.DataFrame:
    """Inspections whose publication date is not known to the day."""
    ins = inspections.load_inspections(path)
    out = ins[ins["published_precision"] != "day"]
    cols = ["programme", "council_area", "published", "published_precision", "fieldwork"]
    out = out[cols].sort_values(["programme", "published_precision", "council_area"])
    return out.reset_index(drop=True)


def areas_without_split(programme: str = inspections.DEFAULT_PROGRAMME, path=None):
    """Areas inspected in a programme whose split of grades is not known, with the note."""
    ins = inspections.load_inspections(path)
    ins = ins[ins["programme"] == programme]
    unknown = ins[ins[list(HIGHEST_FIRST_COLUMNS)].isna().any(axis=1)]
    return (
        unknown[["council_area", "published", "note"]]
        .sort_values("council_area")
        .reset_index(drop=True)
    )


def coverage_summary(path=None) -> pd.DataFrame:
    """How many of the 32 areas have each kind of coverage, per programme."""
    cov = inspections.coverage(path)
    statuses = ["full split", "some named grades", "inspected, grades not found", ""]
    table = pd.DataFrame(
        {p: cov[p].value_counts().reindex(statuses, fill_value=0) for p in cov.columns}
    ).T
    table = table.rename(columns={"": "no inspection in the data"})
    table["areas"] = table.sum(axis=1)
    table.index.name = "programme"
    return table


def domain(url: str) -> str:
    """The web domain of a URL without 'www.' ('' for a blank)."""
    return urlparse(url).netloc.removeprefix("www.") if url else ""


def sources(path=None) -> pd.DataFrame:
    """Every source cited: one row per inspection, corroboration and named grade, with domain."""
    ins = inspections.load_inspections(path)
    named = inspections.load_named_grades(path)
    rows = [
        ins.assign(cited_for="inspection", detail="")[
            ["programme", "council_area", "cited_for", "detail", "source_url"]
        ],
        named.assign(cited_for="named grade", detail=named["indicator"])[
            ["programme", "council_area", "cited_for", "detail", "source_url"]
        ],
        ins.assign(cited_for="corroboration", detail="", source_url=ins["corroborated_by"])[
            ["programme", "council_area", "cited_for", "detail", "source_url"]
        ],
    ]
    out = pd.concat(rows, ignore_index=True)
    out = out[out["source_url"] != ""].copy()
    out["domain"] = out["source_url"].map(domain)
    return out.sort_values(["programme", "council_area", "cited_for", "detail"]).reset_index(
        drop=True
    )


def domain_counts(path=None) -> pd.DataFrame:
    """How many citations and distinct pages come from each web domain."""
    s = sources(path)
    table = s.groupby("domain").agg(
        citations=("source_url", "size"), pages=("source_url", "nunique")
    )
    table = table.reset_index().sort_values(["citations", "domain"], ascending=[False, True])
    return table.set_index("domain")


class Linked:
    """A table shown with clickable links in HTML and as plain text elsewhere."""

    def __init__(self, table: pd.DataFrame):
        self.table = table

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {
            "text/html": self.table.to_html(render_links=True, index=False),
            "text/plain": self.table.to_string(index=False),
        }


# ------------------------------------------------------------------- sentences for notebooks


def named_sentence(area: str, programme: str = inspections.DEFAULT_PROGRAMME) -> str:
    """How many of an inspection's indicators have a named grade, and what the rest show."""
    g = inspections.indicator_grades(area, programme)
    named = int(g["grade"].notna().sum())
    rest = g.loc[g["grade"].isna(), "shown"].unique().tolist()
    tail = f"; for the other {number_word(len(g) - named)} the table shows {join_words(rest)}"
    return (
        f"A source names the grade of {of_phrase(named, len(g))} indicators{tail if rest else ''}."
    )


def programme_labels(programmes: list[str] | None = None) -> dict[str, str]:
    """Programme id -> 'id: name (period)', for panel titles."""
    p = inspections.load_programmes()
    if programmes is not None:
        p = p[p["programme"].isin(programmes)]
    return {r.programme: f"{r.programme}: {r.name} ({r.period})" for r in p.itertuples()}


def conflict_flags(programme: str = inspections.DEFAULT_PROGRAMME) -> dict[str, str]:
    """Area -> short note, for areas whose source conflicts with the programme."""
    c = conflicts()
    c = c[c["programme"] == programme]
    return {
        r.council_area: (
            f"the source counts {number_word(r.indicators_stated)} graded indicators; the "
            f"programme grades {number_word(r.programme_grades)}. Shown as published."
        )
        for r in c.itertuples()
    }


def conflict_sentence(programme: str = inspections.DEFAULT_PROGRAMME) -> str:
    """What each recorded conflict is, with its counts, in words."""
    c = conflicts()
    c = c[c["programme"] == programme]
    if c.empty:
        return f"No conflicts are recorded for {programme}."
    parts = []
    for _, r in c.iterrows():
        counts = {g: r[COUNT_COLUMNS[g]] for g in HIGHEST_FIRST}
        parts.append(
            f"{r['council_area']}: the source counts {number_word(r['indicators_stated'])} "
            f"graded indicators ({describe_grades(counts).replace(' were graded', '')}) where "
            f"{programme} grades {number_word(r['programme_grades'])}; kept as published, "
            "flagged, and counted with its own total"
        )
    return ". ".join(parts) + "."


def named_coverage_sentence(programme: str = inspections.DEFAULT_PROGRAMME) -> str:
    """How many areas have any named grade, and how many with a split have none."""
    cells = named_cells(programme)
    with_names = set(cells["council_area"])
    split = set(inspections.scotland_counts(programme).index)
    without = sorted(split - with_names)
    return (
        f"Sources name at least one indicator's grade for {number_word(len(with_names))} of "
        f"{number_word(len(COUNCIL_AREAS))} council areas. {number_word(len(without)).capitalize()}"
        f" areas with a known split have no named grade (every cell would be unknown): "
        f"{join_words(without)}."
    )


def later_rounds_data(programmes: list[str]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(named grades, indicators, inspections) of some programmes, for charts.later_rounds."""
    t = inspections.tables()
    named = t.named_grades[t.named_grades["programme"].isin(programmes)].copy()
    named["grade"] = named["grade"].astype(object)
    ind = t.indicators[t.indicators["programme"].isin(programmes)]
    ins = t.inspections[t.inspections["programme"].isin(programmes)]
    return named, ind, ins[["programme", "council_area"]]


def coverage_sentence() -> str:
    """Per programme: how many of the 32 areas have a full split."""
    s = coverage_summary()
    parts = [
        f"{p}: {number_word(int(r['full split']))} of {number_word(int(r['areas']))}"
        for p, r in s.iterrows()
    ]
    return f"Council areas with a full split of grades, by programme: {'; '.join(parts)}."


def validation_sentence(report: pd.DataFrame) -> str:
    """'All ten checks passed.' or which failed."""
    failed = report.loc[report["result"] != "passed", "check"].tolist()
    if not failed:
        return f"All {number_word(len(report))} checks passed."
    return f"{number_word(len(failed)).capitalize()} of {number_word(len(report))} checks failed."


def sources_sentence() -> str:
    """How many citations, pages and domains the data rests on."""
    s = sources()
    return (
        f"The tables cite a source {number_word(len(s))} times: "
        f"{number_word(s['source_url'].nunique())} distinct pages on "
        f"{number_word(s['domain'].nunique())} web domains."
    )
