"""Rules that name every column of a datastore CSV, whatever month it comes from.

The datastore's columns drift: case and spacing change (``ServiceType``, ``Service Type``), some
are renamed (``CaseNumber`` -> ``CSNumber``, ``Service_Provider`` -> ``ServiceProvider``),
yearly columns are renamed every April (``Complnt_upheld_or_partially_1516`` ...
``Complaints_upheld_2425``) and readr, which rebuilt the archive, named blank header cells
``...104``. So columns are matched by *rules* on a normalised name (lower case, everything
but letters and digits removed), never by a list of files. Every column falls in exactly one class:

``used``
    a column the loader reads, under its standard name (:data:`USED`);
``grade``
    a graded measure (``Quality_of_*``, ``KQ_*``, ``Comb_Eval_*``, ``Old_*`` of those), mapped by
    :func:`grade_measure` to a framework and a measure, or an error: never silently dropped;
``ignored``
    a column known not to be needed (addresses, yearly complaint and requirement counts ...);
``placeholder``
    readr's name for a blank header cell (``...104``): read like the used columns and checked to
    be empty in every row by :func:`helpers.datastore.snapshot.read_snapshot`, which raises
    otherwise (a column with no name could hide a grade);
``unknown``
    anything else: not read, and reported as a problem naming the file and the column (a new
    month must not stop the read; the report says a rule may be wanted).

A grade-like column no measure rule maps (a new ``KQ_*``, or a second column for a measure
already read) is *kept* under its published name, in the framework of its family, and reported.
A column that no rule sees as graded but whose name speaks of grades (``grade``, ``evaluation``,
``rating``) is read: if every value is a grade 1-6 it is kept as an ``other grade`` under its
published name, otherwise it is reported and ignored. No grade is ever dropped unseen.

Two columns for one used name (``Council_Area_Name`` beside ``Council_Area``): the first alias
in :data:`USED` wins, the other is reported and ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd


class DatastoreError(ValueError):
    """A datastore file that cannot be read as published: the message names file, row and value."""


class UnknownColumnError(DatastoreError):
    """A header the reader cannot use: a required column missing (the message names the file)."""


def squash(name: object) -> str:
    """A column name in lower case, letters and digits only (``Service Type``: ``servicetype``)."""
    return re.sub(r"[^a-z0-9]+", "", str(name).lower())


#: Standard name -> the normalised source names that mean it (renames across the years).
USED: dict[str, tuple[str, ...]] = {
    "service_id": ("csnumber", "casenumber", "csno", "servicenumber", "serviceid"),
    "care_service": ("careservice", "careservicetype"),
    "subtype": ("subtype",),
    "sector": ("servicetype",),
    "service_name": ("servicename",),
    "provider_number": ("spnumber", "serviceprovidernumber"),
    "provider_name": ("serviceprovider", "serviceprovidername"),
    "status": ("servicestatus",),
    "council_area": ("councilareaname", "councilarea", "localauthority"),
    "client_group": ("clientgroup", "clientgroups"),
    "registered_places": ("registeredplaces",),
    "publication_of_latest_grading": ("publicationoflatestgrading",),
    "year_month_latest_grade": (
        "yearmonthlatestgrade",
        "yearmonthlatestgrading",
        "publicationyearmonth",
    ),
}

#: Columns every snapshot must have; the others may be absent in some months (2016 has no
#: publication date, for instance).
REQUIRED: tuple[str, ...] = (
    "service_id",
    "care_service",
    "sector",
    "status",
    "council_area",
    "client_group",
)

_USED_LOOKUP: dict[str, str] = {alias: std for std, aliases in USED.items() for alias in aliases}

#: Columns known and not needed, as regular expressions over the normalised name.
_IGNORED = re.compile(
    "|".join(
        [
            r"combinedservice",
            r"casenumbercombined",
            r"additionalsubtypes?",
            r"addressline\d+",
            r"service(town|postcode|phonenumber|phone|email|fax|website)",
            # Contact details in any spelling: never needed, often personal.
            r"[a-z0-9]*(email|phone|telephone|fax|contact)[a-z0-9]*",
            r"(chop)?uprn",
            r"managername",
            r"eformsemailaddress",
            r"providedbylocalauthority",
            r"datereg(istered)?|registrationdate",
            # The month the file itself was published (the snapshot date comes from its name).
            r"(publication|published|datastore|extract|report)(month|date|yearmonth)",
            r"cancelreqdate",
            r"simd\d*(rank|decile)?",
            r"datazone",
            r"chpname",
            r"(integrationauthority|healthboard)name",
            r"totalbeds|singlebedrooms|bedsindoublerooms|bedsinbedroomsfor3ormore",
            r"[a-z]{3}\d{2}annualreturnsubmitted",
            r"carehomemainareaofcare|carehomeallareasofprovision",
            r"area|areateam|inspector",
            r"numberstaff",
            r"publiclist",
            r"rad|radscore|radsatscore",
            # The summaries of a service's grades; the grades themselves are read instead.
            r"gradespread|mingrade|maxgrade",
            r"lastinspectiondate",
            # 'Same'/'Improve'/'Decline' since the last grading: not grades.
            r"[a-z0-9]*change",
            # Yearly columns, renamed every April ('1516', '2425', or a shorter '25').
            r"(complntupheldorpartially|complaintsupheld|complaints|enforcementsissued"
            r"|enforcements|anyrequirements|anyreqs|countanyreqs|requirements)(\d{2}|\d{4})",
            r"(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)"
            r"(date|case|recs|reqs)(\d{2}|\d{4})",
        ]
    ).join(["^(?:", ")$"])
)

#: Names of blank header cells, readr's (``...104``) and pandas' (``Unnamed: 5``): they must be
#: empty, and that is checked.
_PLACEHOLDER = re.compile(r"^(\.\.\.\d+|Unnamed: \d+)$")

#: A name that speaks of grades but matches no family: read, and kept if its values are grades.
_GRADE_HINT = re.compile(r"grade|grading|evaluation|eval|rating")

#: A grade-like column: a prefix, then the measure. ``Old_`` marks grades superseded by a newer one.
_GRADE_PREFIX = re.compile(r"^(?P<old>old)?(?P<family>qualityof|kq|combeval)(?P<rest>[a-z0-9]*)$")

#: Frameworks, in the order tables show them. See :func:`grade_measure` for what each means.
FRAMEWORKS: tuple[str, ...] = (
    "quality theme",
    "key question",
    "covid-19 key question",
    "combined evaluation",
    "previous key question",
    "previous covid-19 key question",
    "previous combined evaluation",
    "other grade",
)
FRAMEWORK_DTYPE = pd.CategoricalDtype(list(FRAMEWORKS))

# (pattern over the rest of the normalised name, measure name). First match wins, so the more
# specific patterns ('cyp' wellbeing, support *planning*) come before the general ones.
_MEASURE_RULES: tuple[tuple[str, str], ...] = (
    (r"covid", "COVID-19"),
    (r"cyp.*wellb|child.*wellb", "children and young people's wellbeing"),
    (r"plan", "care and support planning"),
    (r"cpl|play.*learn", "care, play and learning"),
    (r"wellb", "wellbeing"),
    (r"^careandsupport$|^caresupport$", "care and support"),
    (r"^information$|^info$", "information"),
    (r"^environment$|^env$", "environment"),
    (r"setting", "setting"),
    (r"^staffing$", "staffing"),
    (r"staff", "staff team"),
    (r"mgmt|management|leader|lship", "leadership"),
)

#: Every measure name, themes first then key questions.
MEASURES: tuple[str, ...] = (
    "care and support",
    "environment",
    "staffing",
    "management and leadership",
    "information",
    "wellbeing",
    "children and young people's wellbeing",
    "care and support planning",
    "care, play and learning",
    "setting",
    "staff team",
    "leadership",
    "COVID-19",
)
MEASURE_DTYPE = pd.CategoricalDtype(list(MEASURES))


def grade_measure(column: str) -> tuple[str, str] | None:
    """Framework and measure of a grade column, ``None`` if not grade-like; raise if unmappable.

    Frameworks:

    ``quality theme``
        ``Quality_of_*``: the five themes graded until 2018-2022.
    ``key question``
        ``KQ_*``: the quality framework's key questions, from 2018 (care homes) to all services.
    ``covid-19 key question``
        ``KQ_COVID19``: the temporary key question 7 on infection prevention and control during
        the pandemic (2020-2022); kept apart so it does not change the key questions' trends.
    ``combined evaluation``
        ``Comb_Eval_*``: the datastore's own mapping of a service's latest grades (whichever
        framework) onto the key questions, 2018-2022. It restates other grades, so it must not be
        counted with them.
    ``previous ...``
        ``Old_*`` (December 2022): the grade a newer inspection has superseded.

    Parameters
    ----------
    column
        The column name as in the file.

    Returns
    -------
    tuple of (str, str) or None
        ``(framework, measure)``; ``None`` when the column is not grade-like.

    Raises
    ------
    UnknownColumnError
        For a grade-like column whose measure no rule recognises (the caller adds the file name).
    """
    key = squash(column)
    if key.endswith("change"):
        return None
    match = _GRADE_PREFIX.match(key)
    if not match:
        return None
    family, rest = match["family"], match["rest"]
    measure = next((name for pattern, name in _MEASURE_RULES if re.search(pattern, rest)), None)
    if family == "qualityof":
        # The themes' own names: 'staffing' and 'management and leadership'.
        measure = {"staff team": "staffing", "leadership": "management and leadership"}.get(
            measure, measure
        )
        framework = "quality theme"
        allowed = MEASURES[:5]
    else:
        framework = "combined evaluation" if family == "combeval" else "key question"
        if measure == "COVID-19":
            framework = "covid-19 key question"
        allowed = MEASURES[5:]
    if measure not in allowed:
        raise UnknownColumnError(f"grade-like column {column!r} matches no measure rule")
    if match["old"]:
        framework = f"previous {framework}"
    return framework, measure


def grade_family(column: str) -> str | None:
    """The framework a grade-like column belongs to by its prefix alone, whatever its measure.

    ``None`` when the name has no grade prefix (``Quality_of_``, ``KQ_``, ``Comb_Eval_``, with
    ``Old_`` before any of them) or is a ``*_Change`` column ('Same', 'Improve': not a grade).
    """
    key = squash(column)
    match = _GRADE_PREFIX.match(key)
    if key.endswith("change") or not match:
        return None
    framework = {
        "qualityof": "quality theme",
        "kq": "key question",
        "combeval": "combined evaluation",
    }[match["family"]]
    if match["family"] == "kq" and "covid" in match["rest"]:
        framework = "covid-19 key question"
    return f"previous {framework}" if match["old"] else framework


@dataclass(frozen=True)
class ColumnPlan:
    """How the columns of one file are read.

    Attributes
    ----------
    used
        Standard name -> the column's name in the file.
    grades
        Column name in the file -> ``(framework, measure)``. A column no measure rule maps keeps
        its published name as its measure (see ``unmapped``).
    ignored
        Columns known and not needed.
    placeholders
        Columns with no name in the header (readr's ``...104``): read only to check that every
        cell is empty.
    unknown
        Columns no rule knows: not read, reported.
    unmapped
        Grade columns kept under their published name (a subset of ``grades``), with why.
    hinted
        Columns whose name speaks of grades but that no rule maps: read, kept as ``other grade``
        if every value is a grade, otherwise reported and ignored.
    duplicates
        Column -> the used name it would also mean: not read, reported.
    """

    used: dict[str, str]
    grades: dict[str, tuple[str, str]]
    ignored: tuple[str, ...]
    placeholders: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    unmapped: dict[str, str] = field(default_factory=dict)
    hinted: tuple[str, ...] = ()
    duplicates: dict[str, str] = field(default_factory=dict)

    @property
    def usecols(self) -> list[str]:
        """The file's columns to read, in a stable order."""
        return [*self.used.values(), *self.grades, *self.placeholders, *self.hinted]


def _grade_of(column: str, seen: dict[tuple[str, str], str]) -> tuple[tuple[str, str], str] | None:
    """``((framework, measure), why-unmapped)`` of a grade-like column, or ``None``."""
    framework = grade_family(column)
    if framework is None:
        return None
    try:
        mapped = grade_measure(column)
    except UnknownColumnError:
        return (framework, column), "grade-like column that no measure rule maps"
    if mapped in seen:
        return (framework, column), f"a second column for {mapped[0]} {mapped[1]!r}"
    return mapped, ""


def _resolve_used(found: dict[str, list[str]]) -> tuple[dict[str, str], dict[str, str]]:
    """One column per used name: the alias listed first in :data:`USED` wins (ties go to the
    first in the file); the others are duplicates, column -> the name they would also mean."""
    used, duplicates = {}, {}
    for standard, columns in found.items():
        ranked = sorted(columns, key=lambda c: USED[standard].index(squash(c)))
        used[standard] = ranked[0]
        duplicates.update({c: standard for c in ranked[1:]})
    return used, duplicates


def classify_columns(header: list[str], source: str) -> ColumnPlan:
    """Map every column of a header by rule; what no rule knows is listed, never a stop.

    Parameters
    ----------
    header
        The file's column names, in order.
    source
        The file's name, for error messages.

    Returns
    -------
    ColumnPlan

    Raises
    ------
    UnknownColumnError
        Only when a required column (:data:`REQUIRED`) is missing: without a service id, type,
        sector, status, council area or client group there is nothing to read.
    """
    found: dict[str, list[str]] = {}
    grades: dict[str, tuple[str, str]] = {}
    unmapped: dict[str, str] = {}
    seen: dict[tuple[str, str], str] = {}
    other: dict[str, list[str]] = {"ignored": [], "placeholders": [], "unknown": [], "hinted": []}
    for column in header:
        key = squash(column)
        if (standard := _USED_LOOKUP.get(key)) is not None:
            found.setdefault(standard, []).append(column)
        elif (graded := _grade_of(column, seen)) is not None:
            (mapped, why), grades[column] = graded, graded[0]
            if why:
                unmapped[column] = why
            else:
                seen[mapped] = column
        elif _PLACEHOLDER.match(str(column).strip()):
            other["placeholders"].append(column)
        elif _IGNORED.match(key):
            other["ignored"].append(column)
        else:
            other["hinted" if _GRADE_HINT.search(key) else "unknown"].append(column)
    used, duplicates = _resolve_used(found)
    missing = [name for name in REQUIRED if name not in used]
    if missing:
        start = ",".join(header)[:80]
        raise UnknownColumnError(
            f"{source}: no column for {', '.join(missing)} in the header, which begins "
            f"{start!r}{' (an HTML page, not a CSV)' if '<' in start else ''}"
        )
    return ColumnPlan(
        used={s: used[s] for s in USED if s in used},
        grades=grades,
        ignored=tuple(other["ignored"]),
        placeholders=tuple(other["placeholders"]),
        unknown=tuple(other["unknown"]),
        unmapped=unmapped,
        hinted=tuple(other["hinted"]),
        duplicates=duplicates,
    )
