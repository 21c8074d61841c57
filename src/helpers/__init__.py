"""Helpers for the analysis of inspections of services for children in Scotland.

The public API that notebooks and users call::

    import helpers
    helpers.GRADES                               # the six-point scale, ordered
    helpers.load_inspections()                   # validated joint inspections
    helpers.load_named_grades()                  # grades of named indicators
    counts = helpers.grade_counts("Perth and Kinross")
    helpers.describe_grades(counts)              # 'two were graded excellent, ...'

Everything else is in the module of what it does, in layers (:mod:`helpers.layers`): the joint
inspections' tables and questions in :mod:`helpers.joint`, sentences in
:mod:`helpers.narrative`, charts in :mod:`helpers.charts`, one module per report above them.
"""

from helpers.areas import COUNCIL_AREAS, UnknownAreaError, standard_area
from helpers.grades import GRADES, HIGHEST_FIRST, PALETTE, SCALE
from helpers.joint.questions import (
    DEFAULT_PROGRAMME,
    areas_with_grades,
    coverage,
    grade_counts,
    indicator_grades,
    scotland_counts,
)
from helpers.joint.tables import (
    load_all,
    load_finding_themes,
    load_findings,
    load_indicators,
    load_inspections,
    load_named_grades,
    load_national_reviews,
    load_programmes,
    load_progress_reviews,
    load_themes,
)
from helpers.narrative import describe_grades
from helpers.schema import DataError

__all__ = [
    "COUNCIL_AREAS",
    "DEFAULT_PROGRAMME",
    "GRADES",
    "HIGHEST_FIRST",
    "PALETTE",
    "SCALE",
    "DataError",
    "UnknownAreaError",
    "areas_with_grades",
    "coverage",
    "describe_grades",
    "grade_counts",
    "indicator_grades",
    "load_all",
    "load_finding_themes",
    "load_findings",
    "load_indicators",
    "load_inspections",
    "load_named_grades",
    "load_national_reviews",
    "load_programmes",
    "load_progress_reviews",
    "load_themes",
    "scotland_counts",
    "standard_area",
]
