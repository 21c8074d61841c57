"""The data-quality checks notebook 04 shows: validation, conflicts, dates, coverage, sources.

Each function takes the joint-inspection tables as :func:`helpers.joint.tables.load_all` returns
them (or their folder) and returns a table of real values (table and field names as the data
package has them); the sentences and the tables in readers' words are in
:mod:`helpers.narrative.quality`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from helpers import schema
from helpers.areas import COUNCIL_AREAS
from helpers.grades import COUNT_FIELDS
from helpers.joint import questions
from helpers.joint.questions import COVERAGE, DEFAULT_PROGRAMME, NOT_IN_DATA
from helpers.joint.tables import ORDER, Data, Tables, as_tables, load_all
from helpers.schema import DataError, split_cell
from helpers.sites import copy_kind, domain, site_name

#: What the loaders check beyond the fields, types, allowed values and keys of datapackage.json.
RULES_IN_CODE: dict[str, str] = {
    "council_areas": "standard names only",
    "inspections": (
        "ISO dates; counts all six or none, adding up to indicators stated; the programme's "
        "indicator count unless a recorded conflict; counts name their source"
    ),
    "named_grades": "a grade label of its programme; indicator variants renamed; within the "
    "inspection's counts; a second level only for an ambiguous wording, and above the grade "
    "(an ambiguous grade is shown, never counted)",
    "findings": "ids start with their area and programme and end in a two-digit number; the "
    "same finding never twice for one inspection",
    "finding_themes": "every strength and thing to improve has at least one theme",
    "progress_reviews": "ISO dates",
    "national_reviews": "ISO dates",
}


def _check(run: Callable[[], str]) -> dict[str, str]:
    try:
        return {"result": "passed", "detail": run()}
    except Exception as err:  # a check that fails is reported, not raised: this is a report
        return {"result": "FAILED", "detail": f"{type(err).__name__}: {err}"}


def _rules(name: str) -> dict[str, object]:
    """What a table is held to: its primary key, the tables it refers to, the rules in code."""
    resource = schema.resources()[name]
    return {
        "table": name,
        "primary_key": tuple(resource.primary_key),
        "refers_to": tuple(dict.fromkeys(fk.resource for fk in resource.foreign_keys)),
        "rules": RULES_IN_CODE.get(name, ""),
    }


def _load_checks(path: Path | str | None) -> tuple[list[dict], Tables | None]:
    """One row per table: loaded and valid, the first that failed, or not reached."""
    try:
        t, failure = load_all(path), None
    except DataError as err:
        t, failure = None, err
    rows, failed = [], False
    for name in ORDER:
        rules = _rules(name)
        if t is not None:
            rows.append(rules | _check(lambda n=name: f"{len(getattr(t, n))} rows loaded"))
        elif not failed and Path(failure.file).name == schema.resources()[name].file:
            failed = True
            rows.append(rules | {"result": "FAILED", "detail": str(failure)})
        else:
            what = "not checked: an earlier table failed" if failed else "valid"
            rows.append(rules | {"result": "passed" if not failed else "not checked",
                                 "detail": what})  # fmt: skip
    return rows, t


def _cross_checks(t: Tables) -> list[tuple[str, Callable[[], str]]]:
    ins, named = t.inspections, t.named_grades

    def every_area_cyp() -> str:
        have = set(ins.loc[ins["programme"] == DEFAULT_PROGRAMME, "council_area"])
        missing = sorted(set(COUNCIL_AREAS) - have)
        if missing:
            raise AssertionError(f"no {DEFAULT_PROGRAMME} row for {missing}")
        return f"all {len(COUNCIL_AREAS)} council areas have a row"

    def counts_have_source() -> str:
        known = ins.dropna(subset=list(COUNT_FIELDS))
        bare = known.loc[known["source_url"] == "", "council_area"].tolist()
        if bare:
            raise AssertionError(f"counts without a source: {bare}")
        return f"{len(known)} inspections with counts, each with a source"

    def named_have_source() -> str:
        bare = int((named["source_url"] == "").sum())
        if bare:
            raise AssertionError(f"{bare} named grades without a source")
        return f"{len(named)} named grades, each with a source"

    def conflicts_explained() -> str:
        c = ins[ins["conflict"] != ""]
        bare = c.loc[c["note"] == "", "council_area"].tolist()
        if bare:
            raise AssertionError(f"conflicts without a note: {bare}")
        return f"{len(c)} recorded {'conflict' if len(c) == 1 else 'conflicts'}, each with a note"

    return [
        ("every council area has a row for the 2012-2017 programme", every_area_cyp),
        ("every inspection with counts names its source", counts_have_source),
        ("every named grade names its source", named_have_source),
        ("every recorded conflict is explained in a note", conflicts_explained),
    ]


def validation_report(path: Path | str | None = None) -> pd.DataFrame:
    """Load every table and list each check with its result.

    The loaders raise :class:`helpers.DataError` on any broken rule, so 'passed' means the whole
    table met every rule. The cross-table checks follow. Nothing is raised; a failure shows as
    'FAILED' with the message. :func:`helpers.narrative.validation_table` says each check in
    readers' words.

    Returns
    -------
    pandas.DataFrame
        One row per check. For a table: ``table`` (its name in the data package),
        ``primary_key`` and ``refers_to`` (field and table names, as tuples), ``rules`` (what
        the loader checks beyond the package, :data:`RULES_IN_CODE`). For a cross-table check:
        ``table`` empty and ``rules`` the check. Then ``result`` ('passed', 'FAILED' or 'not
        checked') and ``detail``.
    """
    rows, t = _load_checks(path)
    for name, run in _cross_checks(t) if t is not None else []:
        rows.append({"table": "", "primary_key": (), "refers_to": (), "rules": name} | _check(run))
    return pd.DataFrame(rows)


def conflicts(path: Data = None) -> pd.DataFrame:
    """Inspections whose sources conflict with the programme (kept as published, flagged)."""
    t = as_tables(path)
    prog = t.programmes.set_index("programme")["indicators_graded"]
    c = t.inspections[t.inspections["conflict"] != ""].copy()
    c["programme_grades"] = c["programme"].map(prog).astype("Int64")
    cols = ["council_area", "programme", "conflict", "indicators_stated", "programme_grades"]
    return c[cols + list(COUNT_FIELDS) + ["note"]].reset_index(drop=True)


def date_precision(path: Data = None) -> pd.DataFrame:
    """How precisely publication dates are known, per programme (counts of inspections); a
    programme with no inspection in the data has no row."""
    t = as_tables(path)
    table = pd.crosstab(t.inspections["programme"], t.inspections["published_precision"])
    order = [p for p in ("day", "month", "year", "unknown") if p in table.columns]
    programmes = [p for p in t.programmes["programme"] if p in table.index]
    return table.reindex(index=programmes, columns=order, fill_value=0)


def imprecise_dates(path: Data = None) -> pd.DataFrame:
    """Inspections whose publication date is not known to the day."""
    ins = as_tables(path).inspections
    out = ins[ins["published_precision"] != "day"]
    cols = ["programme", "council_area", "published", "published_precision", "fieldwork"]
    out = out[cols].sort_values(["programme", "published_precision", "council_area"])
    return out.reset_index(drop=True)


def areas_without_split(programme: str = DEFAULT_PROGRAMME, path: Data = None) -> pd.DataFrame:
    """Areas inspected in a programme whose split of grades is not known, with the note."""
    ins = as_tables(path).inspections
    ins = ins[ins["programme"] == programme]
    unknown = ins[ins[list(COUNT_FIELDS)].isna().any(axis=1)]
    return (
        unknown[["council_area", "published", "note"]]
        .sort_values("council_area")
        .reset_index(drop=True)
    )


def coverage_summary(path: Data = None) -> pd.DataFrame:
    """How many of the 32 areas have each kind of coverage, per programme."""
    cov = questions.coverage(path)
    table = pd.DataFrame(
        {p: cov[p].value_counts().reindex(list(COVERAGE), fill_value=0) for p in cov.columns}
    ).T
    table = table.rename(columns={NOT_IN_DATA: "no inspection in the data"})
    table["areas"] = table.sum(axis=1)
    table.index.name = "programme"
    return table


def sources(path: Data = None) -> pd.DataFrame:
    """Every source cited: one row per inspection, corroborating page (an inspection may have
    several), named grade, finding and progress review that cites a page, with its domain (a row
    that cites none is not a citation: see :func:`uncited_inspections`)."""
    t = as_tables(path)
    ins, named, found, reviews = t.inspections, t.named_grades, t.findings, t.progress_reviews
    cols = ["programme", "council_area", "cited_for", "detail", "source_url"]
    corroborations = ins.assign(
        cited_for="corroboration", detail="", source_url=ins["corroborated_by"].map(split_cell)
    ).explode("source_url")
    rows = [
        ins.assign(cited_for="inspection", detail="")[cols],
        named.assign(cited_for="named grade", detail=named["indicator"])[cols],
        corroborations[cols].fillna({"source_url": ""}),
        found.assign(cited_for="finding", detail=found["kind"])[cols],
        reviews.assign(cited_for="progress review", detail="")[cols],
    ]
    out = pd.concat(rows, ignore_index=True)
    out = out[out["source_url"] != ""].copy()
    out["domain"] = out["source_url"].map(domain)
    return out.sort_values(["programme", "council_area", "cited_for", "detail"]).reset_index(
        drop=True
    )


def uncited_inspections(path: Data = None) -> pd.DataFrame:
    """Inspections whose row cites no page: programme, area, publication date (blank if not
    known) and the row's note."""
    ins = as_tables(path).inspections
    columns = ["programme", "council_area", "published", "note"]
    out = ins.loc[ins["source_url"] == "", columns].copy()
    return out.reset_index(drop=True)


def domain_counts(path: Data = None) -> pd.DataFrame:
    """How many citations and distinct pages come from each web domain."""
    s = sources(path)
    table = s.groupby("domain").agg(
        citations=("source_url", "size"), pages=("source_url", "nunique")
    )
    table = table.reset_index().sort_values(["citations", "domain"], ascending=[False, True])
    return table.set_index("domain")


def site_counts(path: Data = None) -> pd.DataFrame:
    """How many facts each site is cited for, and for how many council areas, most cited
    first (index: site, :func:`helpers.sites.site_name`)."""
    s = sources(path).assign(site=lambda f: f["source_url"].map(site_name))
    table = s.groupby("site").agg(
        facts_cited=("source_url", "size"), areas=("council_area", "nunique")
    )
    table = table.reset_index().sort_values(["facts_cited", "site"], ascending=[False, True])
    return table.set_index("site")


def cited_pages(path: Data = None) -> pd.DataFrame:
    """One row per distinct page cited, grouped by site: the page (``source``), the council
    areas and kinds of fact it is cited for, and how many facts."""
    s = sources(path).assign(site=lambda f: f["source_url"].map(site_name))

    def words(values: pd.Series) -> str:
        return ", ".join(dict.fromkeys(sorted(values)))

    table = s.groupby("source_url").agg(
        site=("site", "first"),
        areas=("council_area", words),
        cited_for=("cited_for", words),
        facts=("source_url", "size"),
    )
    table = table.reset_index().rename(columns={"source_url": "source"})
    table = table.sort_values(["site", "areas", "source"]).reset_index(drop=True)
    return table[["source", "areas", "cited_for", "facts"]]


def copied_sites(path: Data = None) -> pd.DataFrame:
    """The cited sites :data:`helpers.sites.COPIES` lists: site, what it is, and how many facts
    are cited from it."""
    s = sources(path)
    s = s.assign(site=s["source_url"].map(site_name), copy=s["source_url"].map(copy_kind))
    s = s[s["copy"] != ""]
    table = s.groupby(["copy", "site"]).size().rename("facts").reset_index()
    return table[["site", "copy", "facts"]]
