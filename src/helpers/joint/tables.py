"""Load and validate the joint-inspection tables: layer 1 of the joint side (the questions
asked of them are :mod:`helpers.joint.questions` and :mod:`helpers.joint.findings`).

The tables live in ``data/joint-inspections/`` (see ``data/README.md``); ``data/datapackage.json``
states their fields, types, allowed values and keys, and :mod:`helpers.schema` applies it. This
module adds the rules the package cannot state (counts that add up, grade labels that depend on
the programme), and loads the tables together, in the order their keys need, reading each file
once, and keeps them (:func:`tables`) until a file changes. A broken table never yields a
DataFrame: each problem raises :class:`DataError`, which names the file, the line, the column and
the value, and says what was expected.

Tables keep real values: dates are dates (with how precisely each is known), counts are
integers. Unknown stays unknown: a blank count is missing (``<NA>``), never 0, and a grade that
no source gives is never filled in. This is also where an area's name read from a file is made
standard (every table holds the standard names, so nothing above needs to make them so again).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import cache, paths, schema
from helpers.areas import COUNCIL_AREAS, UnknownAreaError, standard_area
from helpers.grades import (
    COUNT_COLUMNS,
    COUNT_FIELDS,
    GRADES,
    HIGHEST_FIRST,
    normalise_grade,
)
from helpers.schema import DataError, row_error

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

#: Tables in the order their foreign keys need them.
ORDER = (
    "programmes",
    "indicators",
    "council_areas",
    "inspections",
    "named_grades",
    "findings",
    "themes",
    "finding_themes",
    "progress_reviews",
    "national_reviews",
)
#: The kinds of finding that say what was good or what must improve (and so carry themes).
JUDGEMENTS = ("strength", "to improve")


# --------------------------------------------------------------------------- cells


def _area(file: Path, row: dict) -> str:
    try:
        return standard_area(row["council_area"])
    except UnknownAreaError as err:
        hint = f"; closest: {', '.join(err.suggestions)}" if err.suggestions else ""
        raise row_error(
            file, row, "council_area", f"not one of Scotland's 32 council areas{hint}"
        ) from None


def _date(file: Path, row: dict, column: str) -> tuple[pd.Timestamp | None, str]:
    """Parse an ISO date as precise as known: ``2018-04-12``, ``2018-04`` or ``2018``."""
    text = row[column]
    if text == "":
        return None, "unknown"
    match = _DATE.fullmatch(text)
    try:
        if not match:
            raise ValueError
        year, month, day = match.groups()
        stamp = pd.Timestamp(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise row_error(
            file, row, column,
            "expected an ISO date as precise as known: YYYY-MM-DD, YYYY-MM or YYYY",
        ) from None  # fmt: skip
    return stamp, ("day" if day else "month" if month else "year")


# --------------------------------------------------------------------------- rules per table
# Each takes the table as read (text, with ``_line``), checked cell by cell against the schema,
# and the tables it refers to (already loaded); it applies the rules the schema cannot state
# and returns the table with its values normalised and typed.


def _programmes(file: Path, frame: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    # Blank for a programme with no inspection in the data (known only from its national review).
    graded = [
        schema.whole(file, row, "indicators_graded", minimum=1) for row in frame.to_dict("records")
    ]
    return frame.assign(indicators_graded=pd.array(graded, dtype="Int64"))


def _council_areas(file: Path, frame: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    for row in frame.to_dict("records"):
        if row["council_area"] not in COUNCIL_AREAS:
            _area(file, row)  # raises with suggestions for a misspelling
            raise row_error(file, row, "council_area", "use the standard name")
    return frame


def _indicators(file: Path, frame: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    frame = frame.assign(position=frame["position"].astype(int))
    return frame.sort_values(["programme", "position"])


def _count_rules(file: Path, row: dict, expected: int) -> tuple[int | None, dict]:
    """The counts of one inspection: all six or none, adding up to the number stated."""
    stated = schema.whole(file, row, "indicators_stated", minimum=1)
    counts = {c: schema.whole(file, row, c) for c in COUNT_FIELDS}
    known = [c for c, v in counts.items() if v is not None]
    if known and len(known) != len(COUNT_FIELDS):
        blank = [c for c in COUNT_FIELDS if counts[c] is None]
        raise DataError(
            file,
            f"counts are given for some grades but blank for {blank}: give all six "
            "(0 where none) or leave all blank when the split is unknown",
            line=row["_line"], column=blank[0], value="",
        )  # fmt: skip
    if (known or stated is not None) and row["source_url"] == "":
        raise row_error(
            file, row, "source_url",
            "is blank, but a figure must name the public page it comes from (an http or https "
            "address)",
        )  # fmt: skip
    if known and sum(counts.values()) != stated:
        raise row_error(
            file, row, "indicators_stated",
            f"counts add up to {sum(counts.values())} but indicators_stated is {stated}",
        )  # fmt: skip
    conflict = row["conflict"]
    if stated is not None and stated != expected and conflict != "indicator-count":
        raise row_error(
            file, row, "indicators_stated",
            f"programme {row['programme']} grades {expected} indicators; if the source really "
            "says otherwise, record it as conflict 'indicator-count'",
        )  # fmt: skip
    if conflict == "indicator-count" and stated == expected:
        raise row_error(
            file, row, "conflict",
            "marked as an indicator-count conflict, but states the programme's own number",
        )  # fmt: skip
    return stated, counts


def _inspections(file: Path, frame: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    graded = loaded["programmes"].set_index("programme")["indicators_graded"]
    records = []
    for row in frame.to_dict("records"):
        area = _area(file, row)
        published, precision = _date(file, row, "published")
        stated, counts = _count_rules(file, row, int(graded[row["programme"]]))
        records.append(
            {
                **row,
                "council_area": area,
                "indicators_stated": stated,
                **counts,
                "published_date": published,
                "published_precision": precision,
            }
        )
    out = pd.DataFrame.from_records(records)
    for column in ["indicators_stated", *COUNT_FIELDS]:
        out[column] = pd.array(out[column].tolist(), dtype="Int64")
    out["published_date"] = pd.to_datetime(out["published_date"])
    return out


def _indicator_lookup(indicators: pd.DataFrame) -> dict[tuple[str, str], str]:
    """(programme, lower-case name or variant) -> the indicator's name."""
    lookup: dict[tuple[str, str], str] = {}
    for row in indicators.itertuples():
        for name in [row.indicator, *filter(None, row.variants.split("|"))]:
            lookup[(row.programme, name.strip().lower())] = row.indicator
    return lookup


def _named_grade(file: Path, row: dict, level_3: str, column: str = "grade") -> str:
    """The label exactly as the scale spells it; 'satisfactory' only in a programme that used
    that word for level 3. A number or another spelling is a typo, not a grade."""
    labels = set(HIGHEST_FIRST) | ({"satisfactory"} if level_3 == "satisfactory" else set())
    grade = normalise_grade(row[column]) if row[column] in labels else None
    if grade is None:
        raise row_error(
            file, row, column,
            f"unknown grade for {row['programme']}; expected one of {sorted(labels)}",
        )  # fmt: skip
    return grade


def _or_grade(file: Path, row: dict, grade: str) -> str:
    """The second level a wording fits: only for an ambiguous grade, and above ``grade``."""
    other = row["or_grade"]
    if other == "":
        return ""
    if row["basis"] != "ambiguous":
        raise row_error(
            file, row, "or_grade",
            f"a second level is for a wording that fits two (basis 'ambiguous'), not "
            f"{row['basis']!r}",
        )  # fmt: skip
    if HIGHEST_FIRST.index(other) >= HIGHEST_FIRST.index(grade):
        raise row_error(
            file, row, "or_grade",
            f"expected a level above the grade {grade!r} (the grade column holds the lower)",
        )  # fmt: skip
    return other


def _named_grades(file: Path, frame: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    indicators = loaded["indicators"]
    lookup = _indicator_lookup(indicators)
    position = {(r.programme, r.indicator): r.position for r in indicators.itertuples()}
    level_3 = loaded["programmes"].set_index("programme")["level_3_label"].to_dict()
    records = []
    for row in frame.to_dict("records"):
        programme = row["programme"]
        indicator = lookup.get((programme, row["indicator"].lower()))
        if indicator is None:
            names = indicators.loc[indicators["programme"] == programme, "indicator"].tolist()
            raise row_error(
                file, row, "indicator",
                f"programme {programme} has no such indicator; it has: {names}",
            )  # fmt: skip
        records.append(
            {
                **row,
                "council_area": _area(file, row),
                "indicator": indicator,
                "grade": (grade := _named_grade(file, row, level_3[programme])),
                "or_grade": _or_grade(file, row, grade),
                "position": position[(programme, indicator)],
            }
        )
    return pd.DataFrame.from_records(records)


def _named_within_counts(file: Path, frame: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    """Named grades must fit inside the inspection's counts, where the counts are known.

    An ambiguous grade is never counted, so it is not held to the counts either.
    """
    inspections = loaded["inspections"].set_index(["council_area", "programme"])
    counted = frame[frame["basis"] != "ambiguous"]
    for (area, programme), group in counted.groupby(["council_area", "programme"]):
        counts = inspections.loc[(area, programme), list(COUNT_FIELDS)]
        if counts.isna().any():
            continue
        for grade, n in Counter(group["grade"]).items():
            allowed = int(counts[COUNT_COLUMNS[grade]])
            if n > allowed:
                raise DataError(
                    file,
                    f"{n} indicators named as {grade} for {area} in {programme}, but the "
                    f"inspection counts {allowed}",
                    line=int(group.loc[group["grade"] == grade, "_line"].iloc[-1]),
                    column="grade",
                    value=grade,
                )
    return frame.assign(grade=frame["grade"].astype(GRADES))


def area_slug(area: str) -> str:
    """An area's name as it starts a finding's id.

    Examples
    --------
    >>> area_slug("Na h-Eileanan Siar")
    'na-h-eileanan-siar'
    """
    return re.sub(r"[^a-z0-9]+", "-", area.lower()).strip("-")


def _findings(file: Path, frame: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    """Ids start with their area and programme; one inspection never holds the same finding
    twice (under two ids), compared ignoring case."""
    areas = []
    seen: dict[tuple[str, str, str], dict] = {}
    for row in frame.to_dict("records"):
        area = _area(file, row)
        text = (area, row["programme"], row["finding"].casefold())
        first = seen.setdefault(text, row)
        if first is not row and first["finding_id"] != row["finding_id"]:  # same id: key check
            raise row_error(
                file, row, "finding",
                f"the same finding for {area} in {row['programme']} is on line "
                f"{first['_line']} ({first['finding_id']}); each must be unique",
            )  # fmt: skip
        stem = f"{area_slug(area)}-{row['programme']}-"
        number = row["finding_id"].removeprefix(stem)
        if not (row["finding_id"].startswith(stem) and re.fullmatch(r"\d{2}", number)):
            raise row_error(
                file, row, "finding_id",
                f"expected {stem}NN (the area, the programme, a two-digit number)",
            )  # fmt: skip
        areas.append(area)
    return frame.assign(council_area=areas)


def _every_judgement_themed(file: Path, frame: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    """Each strength and thing to improve carries at least one theme (the table is reviewed)."""
    findings = loaded["findings"]
    bare = findings[
        findings["kind"].isin(JUDGEMENTS) & ~findings["finding_id"].isin(frame["finding_id"])
    ]
    if len(bare):
        row = bare.iloc[0].to_dict()
        raise DataError(
            file,
            f"the {row['kind']} finding {row['finding_id']!r} (findings.csv, line {row['_line']}) "
            f"has no theme; {len(bare)} such finding(s) in all; tag each with at least one",
            value=row["finding_id"],
        )
    return frame


def _progress_reviews(file: Path, frame: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    records = []
    for row in frame.to_dict("records"):
        published, precision = _date(file, row, "published")
        records.append({**row, "council_area": _area(file, row), "published_date": published,
                        "published_precision": precision})  # fmt: skip
    out = pd.DataFrame.from_records(records)
    return out.assign(published_date=pd.to_datetime(out["published_date"]))


def _national_reviews(file: Path, frame: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    dates = [_date(file, row, "published") for row in frame.to_dict("records")]
    return frame.assign(
        published_date=pd.to_datetime([d for d, _ in dates]),
        published_precision=[p for _, p in dates],
    )


def _same(file: Path, frame: pd.DataFrame, loaded: dict) -> pd.DataFrame:
    return frame


Rule = Callable[[Path, pd.DataFrame, dict], pd.DataFrame]
#: Per table: the rules on its rows (before the keys are checked) and on the whole table (after).
_RULES: dict[str, tuple[Rule, Rule | None]] = {
    "programmes": (_programmes, None),
    "council_areas": (_council_areas, None),
    "indicators": (_indicators, None),
    "inspections": (_inspections, None),
    "named_grades": (_named_grades, _named_within_counts),
    "findings": (_findings, None),
    "themes": (_same, None),
    "finding_themes": (_same, _every_judgement_themed),
    "progress_reviews": (_progress_reviews, None),
    "national_reviews": (_national_reviews, None),
}


# --------------------------------------------------------------------------- loading


def _folder(path: Path | str | None) -> Path:
    """The folder of tables: ``path`` itself, the folder of a file ``path``, or the default."""
    if path is None:
        return paths.joint_inspections_dir()
    path = Path(path)
    return path if path.is_dir() else path.parent


def _needed(name: str) -> set[str]:
    """A table and every table its foreign keys refer to, directly or not."""
    out, todo = set(), [name]
    resources = schema.resources()
    while todo:
        current = todo.pop()
        if current not in out:
            out.add(current)
            todo += [fk.resource for fk in resources[current].foreign_keys]
    return out


def _load(path: Path | str | None, wanted: str | None = None) -> dict[str, pd.DataFrame]:
    """Read and validate ``wanted`` (default all) and the tables it refers to, each file once.

    ``path`` is a folder, or one table's file (then the others are read from its folder).
    """
    folder = _folder(path)
    needed = _needed(wanted) if wanted else set(ORDER)
    resources = schema.resources()
    loaded: dict[str, pd.DataFrame] = {}
    for name in (n for n in ORDER if n in needed):
        resource = resources[name]
        given = path is not None and not Path(path).is_dir() and Path(path).name == resource.file
        file = Path(path) if given else folder / resource.file
        frame = schema.read_table(file, resource)
        schema.check_cells(file, frame.to_dict("records"), resource)
        rows, table = _RULES[name]
        frame = rows(file, frame, loaded)
        schema.check_primary_key(file, frame, resource)
        schema.check_foreign_keys(file, frame, resource, loaded)
        loaded[name] = table(file, frame, loaded) if table else frame
    return {n: f.drop(columns="_line").reset_index(drop=True) for n, f in loaded.items()}


def load_programmes(path: Path | str | None = None) -> pd.DataFrame:
    """The inspection programmes: id, name, period, how many indicators each grades.

    Parameters
    ----------
    path
        ``programmes.csv`` or its folder; default ``data/joint-inspections``.
    """
    return _load(path, "programmes")["programmes"]


def load_indicators(path: Path | str | None = None) -> pd.DataFrame:
    """The quality indicators of each programme, in report order, with their question.

    ``variants`` holds other names the reports use, separated by ``|``.
    """
    return _load(path, "indicators")["indicators"]


def load_council_areas(path: Path | str | None = None) -> pd.DataFrame:
    """The 32 council areas and the other names sources use for them."""
    return _load(path, "council_areas")["council_areas"]


def load_inspections(path: Path | str | None = None) -> pd.DataFrame:
    """The joint inspections: one row per council area per programme, validated.

    Parameters
    ----------
    path
        ``inspections.csv`` or its folder; the tables it refers to (programmes, council areas)
        are read from the same folder. Default ``data/joint-inspections``.

    Returns
    -------
    pandas.DataFrame
        Columns as in the file, plus ``published_date`` (the first day of the period given) and
        ``published_precision`` (day, month, year or unknown). Counts are nullable integers:
        ``<NA>`` where the split is not known.

    Raises
    ------
    DataError
        Naming the file, line, column and value, for: a missing column; a file that is not
        UTF-8 or holds only a header; an unknown council area or programme; a malformed date; a
        count that is not written as a whole number; counts given only in part, or not adding
        up to ``indicators_stated``; a number of indicators stated that is not the programme's,
        unless the row records that conflict in ``conflict``; a duplicated inspection.

    Examples
    --------
    >>> df = load_inspections()
    >>> int(df.query("council_area == 'Perth and Kinross' and programme == 'cyp-2012'")["excellent"].iloc[0])
    2
    """  # noqa: E501
    return _load(path, "inspections")["inspections"]


def load_named_grades(path: Path | str | None = None) -> pd.DataFrame:
    """Grades that a source attaches to a named indicator, validated.

    Parameters
    ----------
    path
        ``named_grades.csv`` or its folder; inspections, programmes and indicators are read
        from the same folder. Default ``data/joint-inspections``.

    Returns
    -------
    pandas.DataFrame
        ``grade`` is the ordered :data:`helpers.GRADES` categorical ('satisfactory' read as
        adequate); indicator names are the programme's own (a known variant is renamed);
        ``position`` is the indicator's place in the report.

    Raises
    ------
    DataError
        For an unknown grade label, area, programme or basis; an indicator the programme does
        not have; a duplicated grade; or more named grades at a level than the inspection's
        counts allow.
    """
    return _load(path, "named_grades")["named_grades"]


def load_findings(path: Path | str | None = None) -> pd.DataFrame:
    """What inspectors found (strengths, what to improve, how they worked, what a progress
    review found), in our words, one row per finding with its id and source.

    Raises
    ------
    DataError
        For a finding of an inspection not in ``inspections.csv``, an unknown kind, a missing
        source, an id that is duplicated or does not start with its area and programme.
    """
    return _load(path, "findings")["findings"]


def load_themes(path: Path | str | None = None) -> pd.DataFrame:
    """The themes findings are tagged with: id, readers' name, one-sentence definition."""
    return _load(path, "themes")["themes"]


def load_finding_themes(path: Path | str | None = None) -> pd.DataFrame:
    """Which themes each finding is about (a reviewed table).

    Raises
    ------
    DataError
        For an unknown theme or finding, a duplicated pair, or a strength or thing to improve
        with no theme.
    """
    return _load(path, "finding_themes")["finding_themes"]


def load_progress_reviews(path: Path | str | None = None) -> pd.DataFrame:
    """Return visits after an inspection, with ``published_date`` and ``published_precision``.

    Raises
    ------
    DataError
        For a review of an inspection not in ``inspections.csv``, a malformed date or a missing
        source.
    """
    return _load(path, "progress_reviews")["progress_reviews"]


def load_national_reviews(path: Path | str | None = None) -> pd.DataFrame:
    """Facts from the reviews of a whole programme, one a row, with their sources."""
    return _load(path, "national_reviews")["national_reviews"]


@dataclass(frozen=True)
class Tables:
    """Every joint-inspection table, loaded and validated together."""

    programmes: pd.DataFrame
    indicators: pd.DataFrame
    council_areas: pd.DataFrame
    inspections: pd.DataFrame
    named_grades: pd.DataFrame
    findings: pd.DataFrame
    themes: pd.DataFrame
    finding_themes: pd.DataFrame
    progress_reviews: pd.DataFrame
    national_reviews: pd.DataFrame


def load_all(path: Path | str | None = None) -> Tables:
    """Load and validate every table in the folder (default ``data/joint-inspections``).

    Each file is read once; the tables are checked against each other as they load.
    """
    return Tables(**_load(_folder(path)))


def _table_files(folder: Path) -> list[Path]:
    """What :func:`load_all` reads: the folder's tables and the package that states them."""
    return [*cache.folder_files(folder, "*.csv"), paths.datapackage_file()]


@cache.cached_on(_table_files)
def _cached(folder: Path) -> Tables:
    return load_all(folder)


def tables(path: Path | str | None = None) -> Tables:
    """:func:`load_all`, cached until a file in the folder (or the package) changes: any file's
    stamp (:func:`helpers.cache.stamps`), so an edit that keeps the size and modification time
    is seen too. Every caller gets the same tables: do not change them."""
    return _cached(_folder(path).resolve())


#: What the questions take as ``path``: the tables as :func:`load_all` returns them, or their
#: folder (default ``data/joint-inspections``, loaded once and cached by :func:`tables`).
Data = Tables | Path | str | None


def as_tables(path: Data) -> Tables:
    """``path`` if it is the loaded tables, else the tables of that folder (cached)."""
    return path if isinstance(path, Tables) else tables(path)
