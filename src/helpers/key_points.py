"""The key points each Scotland-wide report opens with: what matters, on page 1.

One function per report (01 to 04). Each gathers that report's tables through the public
functions of :mod:`helpers.inspections`, :mod:`helpers.quality` and
:mod:`helpers.care.questions`, and returns a :class:`helpers.display.KeyPoints` of three to six
sentences written by :mod:`helpers.narrative`: every number comes from the data when the report
runs. Nothing here formats or computes a sentence itself.
"""

from __future__ import annotations

import pandas as pd

from helpers import grades, inspections, narrative, quality
from helpers.areas import COUNCIL_AREAS, standard_area
from helpers.care import questions as care
from helpers.care import tables
from helpers.display import KeyPoints
from helpers.inspections import DEFAULT_PROGRAMME, Data
from helpers.labels import programme_name


def _rank(table: pd.DataFrame, area: str) -> str:
    return narrative.rank_sentence(grades.standing(table, area), grades.same_share(table, area))


def one_inspection(
    area: str, programme: str = DEFAULT_PROGRAMME, earlier: str | None = None, path: Data = None
) -> KeyPoints:
    """01: the inspection's grades and date, its rank among the areas whose split is known,
    what the inspectors praised and asked to improve, and ``earlier`` (another programme's
    inspection of the area) on its own framework."""
    area = standard_area(area)
    t = inspections.as_tables(path)
    row = inspections.area_inspections(area, t).set_index("programme").loc[programme]
    counts = inspections.grade_counts(area, programme, t)
    what = f"the joint inspection of services for {programme_name(programme).split(',')[0]}"
    points = [
        narrative.inspection_sentence(
            area, counts, row["published_date"], row["published_precision"], what
        )
    ]
    table = inspections.scotland_counts(programme, t)
    if area in table.index:
        points.append(_rank(table, area))
    kinds = ("strength", "to improve")
    points += narrative.findings_sentences(inspections.findings_table(area, programme, kinds, t))
    if earlier is not None:
        before = inspections.grade_counts(area, earlier, t)
        points.append(narrative.earlier_sentence(before, programme_name(earlier)))
    return KeyPoints(points)


def scotland_compared(
    area: str, programme: str = DEFAULT_PROGRAMME, later: list[str] | None = None, path: Data = None
) -> KeyPoints:
    """02: the area's rank and company, the spread across the areas whose split is known, how
    many those are, how much of which-indicator-got-which-grade is known, and how few
    inspections of the ``later`` programmes are known."""
    area = standard_area(area)
    t = inspections.as_tables(path)
    table = inspections.scotland_counts(programme, t)
    points = [_rank(table, area)] if area in table.index else []
    points.append(narrative.share_range_sentence(grades.group_shares(table)))
    points.append(narrative.split_known_sentence(len(table), len(COUNCIL_AREAS)))
    cells = inspections.named_cells(programme, t)
    indicators = len(inspections.indicator_order(programme, t))
    points.append(narrative.named_basis_sentence(cells, indicators, programme))
    if later:
        named, _, inspected = inspections.later_rounds_data(later, t)
        points.append(narrative.later_rounds_sentence(inspected, len(COUNCIL_AREAS), named))
    return KeyPoints(points)


def registered_services(area: str, since: pd.Timestamp = care.SINCE) -> KeyPoints:
    """03: the change in the share very good or better (with the caution the register's switch
    of grading framework needs), the share good or better now and at ``since`` (default
    :data:`helpers.care.questions.SINCE`), the services weak or worse now, and the services
    registered in ``area`` and Scotland."""
    area = standard_area(area)
    data = tables.load()
    services = data.services
    latest = care.latest_date(services)
    dates = care.comparison_dates(services, since)
    lowest = care.lowest_grades(services, data.grades)
    registered = narrative.registered_sentence(care.registered_counts(services, dates, area), area)
    shares = care.grade_shares(lowest, dates, area)
    weak = care.weak_by_type(lowest, latest, area)
    sentences = list(reversed(narrative.grade_change_sentences(shares, area)))
    if len(sentences) == 2:
        _, switch = care.framework_change(care.good_or_better_trend(lowest, area))
        caution = narrative.framework_caution(switch, dates[0], dates[-1])
        sentences[0] = " ".join(part for part in (sentences[0], caution) if part)
    return KeyPoints([*sentences, narrative.weak_sentence(weak, latest, area), registered])


def data_quality(programme: str = DEFAULT_PROGRAMME, path: Data = None) -> KeyPoints:
    """04: coverage by programme, which indicator grades are named or derived, the conflicts,
    how precise the dates are, and where the sources come from."""
    t = inspections.as_tables(path)
    cells = inspections.named_cells(programme, t)
    indicators = len(inspections.indicator_order(programme, t))
    return KeyPoints(
        [
            narrative.coverage_key_sentence(quality.coverage_summary(t), programme),
            narrative.named_basis_sentence(cells, indicators, programme),
            narrative.conflicts_key_sentence(quality.conflicts(t)),
            narrative.date_precision_sentence(quality.date_precision(t)),
            narrative.sources_key_sentence(quality.sources(t), quality.uncited_inspections(t)),
        ]
    )
