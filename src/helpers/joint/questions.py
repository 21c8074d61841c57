"""The questions asked of the joint inspections: counts, shares, standings, what is known.

Layer 2 of the joint side: each function takes ``path``, the tables as
:func:`helpers.joint.tables.load_all` returns them or their folder (default
``data/joint-inspections``, loaded once and cached), and returns real values: counts by grade,
shares, the areas with a known split, which indicator got which grade and how that is known.
What inspectors found is :mod:`helpers.joint.findings`; the words for readers are layer 3
(:mod:`helpers.narrative`, :mod:`helpers.labels`).

A public function that takes an area takes a user's spelling ('Perth & Kinross') and makes it
standard once, on the way in (:func:`helpers.areas.takes_area`); the private ones it calls
trust it.
"""

from __future__ import annotations

import pandas as pd

from helpers.areas import COUNCIL_AREAS, takes_area
from helpers.grades import COUNT_FIELDS, GRADES, HIGHEST_FIRST, shares_table
from helpers.joint.tables import Data, Tables, as_tables
from helpers.schema import split_cell

#: The programme most analyses mean by default (2012-2017; Perth and Kinross reported in 2018).
DEFAULT_PROGRAMME = "cyp-2012"

#: What :func:`coverage` says of an area in a programme, most known first: every count known;
#: only some indicators' grades named; inspected, but no grade found; no row in the data.
FULL_SPLIT, SOME_NAMED, NONE_FOUND, NOT_IN_DATA = COVERAGE = (
    "full split",
    "some named grades",
    "inspected, grades not found",
    "",
)


def _inspection(area: str, programme: str, t: Tables) -> pd.Series:
    """The row of ``inspections.csv`` of one inspection (``area`` standard), or why there is
    none: an unknown programme, or no inspection of the area in it."""
    known = list(t.programmes["programme"])
    if programme not in known:
        raise LookupError(f"Unknown programme {programme!r}; the programmes are: {known}")
    frame = t.inspections
    match = frame[(frame["council_area"] == area) & (frame["programme"] == programme)]
    if match.empty:
        known = sorted(frame.loc[frame["council_area"] == area, "programme"])
        raise LookupError(
            f"No {programme} inspection of {area} in the data; it has: {known or 'none'}"
        )
    return match.iloc[0]


def counts_of(row: pd.Series) -> pd.Series:
    """The counts of one row of ``inspections``, by grade label, highest first (``Int64``)."""
    values = [row[c] for c in COUNT_FIELDS]
    return pd.Series(pd.array(values, dtype="Int64"), index=pd.Index(HIGHEST_FIRST, name="grade"))


@takes_area
def grade_counts(area: str, programme: str = DEFAULT_PROGRAMME, path: Data = None) -> pd.Series:
    """How many indicators an inspection graded at each level, highest first.

    Parameters
    ----------
    area
        A council area, in any usual spelling ('Perth & Kinross', 'Edinburgh, City of').
    programme
        Programme id (see ``programmes.csv``); default the 2012-2017 programme.
    path
        The loaded tables, or their folder; default ``data/joint-inspections``.

    Returns
    -------
    pandas.Series
        Indexed by the six grades, excellent first; nullable integers, all ``<NA>`` where the
        split is not known.

    Raises
    ------
    helpers.areas.UnknownAreaError
        For a name that is not a council area (the message suggests the closest).
    LookupError
        If the area has no inspection in that programme.

    Examples
    --------
    >>> grade_counts("Perth & Kinross").to_dict()
    {'excellent': 2, 'very good': 6, 'good': 1, 'adequate': 0, 'weak': 0, 'unsatisfactory': 0}
    """
    row = _inspection(area, programme, as_tables(path))
    series = counts_of(row)
    series.name = f"{row['council_area']} ({programme})"
    return series


def open_grades(counts: pd.Series, named: pd.Series) -> tuple[str, ...]:
    """The grades an indicator no source names may still have, given the inspection's
    ``counts`` and the grades ``named`` (counted) for its other indicators, highest first;
    ``()`` where the counts are not known.

    Examples
    --------
    >>> counts = pd.Series({"excellent": 0, "very good": 2, "good": 1, "adequate": 0,
    ...                     "weak": 0, "unsatisfactory": 0})
    >>> open_grades(counts, pd.Series(["very good"]))
    ('very good', 'good')
    """
    if counts.isna().any():
        return ()
    left = counts.astype(int).to_dict()
    for grade in named.dropna():
        left[grade] -= 1
    return tuple(g for g in HIGHEST_FIRST if left[g] > 0)


def counted_grades(named: pd.DataFrame) -> pd.DataFrame:
    """The named grades that count as grades: all but the ambiguous (a wording matched by
    judgement, or one that fits two levels), which are shown but never counted."""
    return named[named["basis"] != "ambiguous"]


@takes_area
def indicator_grades(area: str, programme: str = DEFAULT_PROGRAMME, path: Data = None):
    """Every indicator of an inspection, in report order, with its grade where a source names it.

    Where no source names an indicator's grade, ``grade`` stays missing and ``open_grades``
    holds the grades still open given the counts (for Perth and Kinross: very good or good).
    The open grades are never put in the ``grade`` column. Nor is an ambiguous grade: its
    ``wording_fits`` holds the level (or two) the source's wording fits. How a table shows
    each is :func:`helpers.narrative.grade_shown`.

    Returns
    -------
    pandas.DataFrame
        Columns: position, question, indicator, grade (ordered categorical, missing where not
        named), basis ('stated', 'ambiguous', 'derived' or 'not found'), source_url,
        wording_fits (an ambiguous grade's level, or its two levels, lower first; else
        ``()``), open_grades (for an indicator without a grade, :func:`open_grades`; else
        ``()``).
    """
    t = as_tables(path)
    row = _inspection(area, programme, t)
    inds = t.indicators[t.indicators["programme"] == programme]
    named = t.named_grades[
        (t.named_grades["council_area"] == row["council_area"])
        & (t.named_grades["programme"] == programme)
    ].set_index("indicator")
    out = inds[["position", "question", "indicator"]].copy()
    counted = counted_grades(named.reset_index()).set_index("indicator")
    out["grade"] = out["indicator"].map(counted["grade"].astype(object)).astype(GRADES)
    # 'not found': in no source the project reached (the report's own table was not reachable).
    out["basis"] = out["indicator"].map(named["basis"]).astype(object).fillna("not found")
    out["source_url"] = out["indicator"].map(named["source_url"]).astype(object).fillna("")
    fits = {
        ind: tuple(g for g in (str(r["grade"]), r["or_grade"]) if g)
        for ind, r in named[named["basis"] == "ambiguous"].iterrows()
    }
    out["wording_fits"] = [fits.get(ind, ()) for ind in out["indicator"]]
    still_open = open_grades(counts_of(row), out["grade"])
    out["open_grades"] = [() if pd.notna(g) else still_open for g in out["grade"]]
    return out.reset_index(drop=True)


def areas_with_grades(path: Data = None) -> list[str]:
    """Council areas with any known grade (a count or a named indicator), A to Z."""
    t = as_tables(path)
    counted = t.inspections.dropna(subset=list(COUNT_FIELDS))["council_area"]
    return sorted(set(counted) | set(counted_grades(t.named_grades)["council_area"]))


def scotland_counts(programme: str = DEFAULT_PROGRAMME, path: Data = None) -> pd.DataFrame:
    """Counts at each grade for every area with a known split in a programme.

    Returns
    -------
    pandas.DataFrame
        One row per area (index), one column per grade (excellent first), plus ``total``,
        ``share_very_good_or_better`` and ``share_excellent``; ordered by those two shares,
        highest first, then by name (:func:`helpers.grades.shares_table`). Areas without a
        known split are left out: see :func:`coverage` for them.
    """
    frame = as_tables(path).inspections
    frame = frame[frame["programme"] == programme].dropna(subset=list(COUNT_FIELDS))
    wide = frame.set_index("council_area")[list(COUNT_FIELDS)].astype(int)
    wide.columns = list(HIGHEST_FIRST)
    return shares_table(wide)


def inspected_programmes(path: Data = None) -> list[str]:
    """The programmes with at least one inspection in the data, oldest first.

    ``cp-2005`` is known only from its national review, so it is left out.
    """
    t = as_tables(path)
    have = set(t.inspections["programme"])
    return [p for p in t.programmes["programme"] if p in have]


def coverage(path: Data = None) -> pd.DataFrame:
    """What is known for each council area in each programme.

    Returns
    -------
    pandas.DataFrame
        32 rows (areas), one column per programme with any inspection in the data, each cell
        one of 'full split', 'some named grades' (ambiguous ones not counted), 'inspected,
        grades not found', or '' (no row in the data).
    """
    t = as_tables(path)
    named = counted_grades(t.named_grades)
    named = set(zip(named["council_area"], named["programme"], strict=True))
    table = pd.DataFrame(index=pd.Index(COUNCIL_AREAS, name="council_area"))
    for programme in inspected_programmes(t):
        rows = t.inspections[t.inspections["programme"] == programme].set_index("council_area")
        cells = []
        for area in COUNCIL_AREAS:
            if area not in rows.index:
                cells.append(NOT_IN_DATA)
            elif rows.loc[area, list(COUNT_FIELDS)].notna().all():
                cells.append(FULL_SPLIT)
            elif (area, programme) in named:
                cells.append(SOME_NAMED)
            else:
                cells.append(NONE_FOUND)
        table[programme] = cells
    return table


def named_cells(programme: str = DEFAULT_PROGRAMME, path: Data = None) -> pd.DataFrame:
    """Named grades of a programme that count, one row per area and indicator (grade as text)."""
    n = counted_grades(as_tables(path).named_grades)
    n = n[n["programme"] == programme]
    out = n[["council_area", "indicator", "grade", "basis"]].copy()
    out["grade"] = out["grade"].astype(object)
    return out.sort_values(["council_area", "indicator"]).reset_index(drop=True)


def indicator_order(programme: str = DEFAULT_PROGRAMME, path: Data = None) -> list[str]:
    """A programme's indicators in report order."""
    ind = as_tables(path).indicators
    return ind.loc[ind["programme"] == programme, "indicator"].tolist()


def later_rounds_data(programmes: list[str], path: Data = None):
    """(named grades, indicators, inspections) of some programmes, for charts.later_rounds."""
    t = as_tables(path)
    named = counted_grades(t.named_grades)
    named = named[named["programme"].isin(programmes)].copy()
    named["grade"] = named["grade"].astype(object)
    ind = t.indicators[t.indicators["programme"].isin(programmes)]
    ins = t.inspections[t.inspections["programme"].isin(programmes)]
    return named, ind, ins[["programme", "council_area"]]


@takes_area
def area_inspections(area: str, path: Data = None) -> pd.DataFrame:
    """The area's inspections, one row per programme, oldest programme first.

    Returns
    -------
    pandas.DataFrame
        The rows of ``inspections.csv`` for the area, with the programme's ``name`` and
        ``period``, in the order of ``programmes.csv``.
    """
    return _area_inspections(area, as_tables(path))


def _area_inspections(area: str, t: Tables) -> pd.DataFrame:
    rows = t.inspections[t.inspections["council_area"] == area]
    programmes = t.programmes[["programme", "name", "short_name", "period"]]
    return programmes.merge(rows, on="programme", how="inner").reset_index(drop=True)


@takes_area
def inspection(area: str, programme: str = DEFAULT_PROGRAMME, path: Data = None) -> pd.Series:
    """One inspection: its row of :func:`area_inspections` (the row of ``inspections.csv``
    with its programme's ``name``, ``short_name`` and ``period``).

    Raises
    ------
    LookupError
        For an unknown programme, or an area with no inspection in it.
    """
    t = as_tables(path)
    _inspection(area, programme, t)  # raises, saying why, if there is none
    return _area_inspections(area, t).set_index("programme", drop=False).loc[programme]


@takes_area
def area_sources(area: str, path: Data = None) -> list[str]:
    """Every page cited for the area (inspections, each corroborating page, named grades,
    findings, progress reviews), each once."""
    t = as_tables(path)
    urls: list[str] = []
    for _, row in _area_inspections(area, t).iterrows():
        urls += [row["source_url"], *split_cell(row["corroborated_by"])]
    for table in (t.named_grades, t.findings, t.progress_reviews):
        urls += table.loc[table["council_area"] == area, "source_url"].tolist()
    return list(dict.fromkeys(u for u in urls if u))


#: The place that stands for the other areas with a known split in :func:`area_against_scotland`.
OTHERS = "others"


@takes_area
def area_against_scotland(area: str, programme: str, path: Data = None) -> pd.DataFrame:
    """The area's grades against those of the other areas with a known split, in one programme.

    The comparison is never 'Scotland': it is every *other* area whose split is known, which
    is rarely all of them (:func:`helpers.charts.area_against_scotland` says how many).

    Returns
    -------
    pandas.DataFrame
        One row per grade, excellent first (index ``grade``); columns ``(place, measure)``: the
        place is the area, then :data:`OTHERS` (the other areas with a known split, added
        together); the measure ``indicators`` (a count) or ``share`` (a fraction). The area's
        are missing where its split is not known; the others' are left out where no other area
        has a known split. ``table.attrs["others"]`` is how many other areas that is.
    """
    t = as_tables(path)
    wide = scotland_counts(programme, t)
    others = wide.drop(index=area, errors="ignore")[list(HIGHEST_FIRST)]
    own = counts_of(_inspection(area, programme, t))
    columns = {
        (area, "indicators"): own.to_numpy(),
        (area, "share"): (own / own.sum(skipna=False)).astype("Float64").to_numpy(),
    }
    if len(others):
        total = others.sum().astype("Int64")
        columns[(OTHERS, "indicators")] = total.to_numpy()
        columns[(OTHERS, "share")] = (total / total.sum()).astype("Float64").to_numpy()
    table = pd.DataFrame(columns, index=pd.Index(HIGHEST_FIRST, name="grade"))
    table.columns.names = ["place", "measure"]
    table.attrs["others"] = len(others)
    return table
