"""The key points reports 01 to 05 open with: what matters, on page 1.

One function per report. Each gathers that report's tables through the public functions of
:mod:`helpers.joint`, :mod:`helpers.quality`, :mod:`helpers.care.questions` and
:mod:`helpers.care.changes`, and returns a :class:`helpers.display.KeyPoints` of three to six
sentences written by :mod:`helpers.narrative`: every number comes from the data when the report
runs. Nothing here formats or computes a sentence itself. ``area`` is made standard on the
way in (:func:`helpers.areas.takes_area`), so an unknown name stops with suggestions.
"""

from __future__ import annotations

import pandas as pd

from helpers import grades, narrative, quality
from helpers.areas import COUNCIL_AREAS, takes_area
from helpers.care import changes, tables
from helpers.care import questions as care
from helpers.display import KeyPoints
from helpers.joint import findings, questions
from helpers.joint.questions import DEFAULT_PROGRAMME
from helpers.joint.tables import Data, as_tables
from helpers.labels import programme_name


def _rank(table: pd.DataFrame, area: str) -> str:
    return narrative.rank_sentence(grades.standing(table, area), grades.same_share(table, area))


@takes_area
def one_inspection(
    area: str, programme: str = DEFAULT_PROGRAMME, earlier: str | None = None, path: Data = None
) -> KeyPoints:
    """01: the inspection's grades and date, its rank among the areas whose split is known,
    what the inspectors praised and asked to improve, and ``earlier`` (another programme's
    inspection of the area) on its own framework."""
    t = as_tables(path)
    row = questions.inspection(area, programme, t)
    counts = questions.grade_counts(area, programme, t)
    what = f"the joint inspection of services for {programme_name(programme).split(',')[0]}"
    points = [
        narrative.inspection_sentence(
            area, counts, row["published_date"], row["published_precision"], what
        )
    ]
    table = questions.scotland_counts(programme, t)
    if area in table.index:
        points.append(_rank(table, area))
    kinds = ("strength", "to improve")
    points += narrative.findings_sentences(findings.findings_table(area, programme, kinds, t))
    if earlier is not None:
        before = questions.grade_counts(area, earlier, t)
        points.append(narrative.earlier_sentence(before, programme_name(earlier)))
    return KeyPoints(points)


@takes_area
def scotland_compared(
    area: str, programme: str = DEFAULT_PROGRAMME, later: list[str] | None = None, path: Data = None
) -> KeyPoints:
    """02: the area's rank and company, the spread across the areas whose split is known, how
    many those are, how much of which-indicator-got-which-grade is known, and how few
    inspections of the ``later`` programmes are known."""
    t = as_tables(path)
    table = questions.scotland_counts(programme, t)
    points = [_rank(table, area)] if area in table.index else []
    points.append(narrative.share_range_sentence(grades.group_shares(table)))
    points.append(narrative.split_known_sentence(len(table), len(COUNCIL_AREAS)))
    cells = questions.named_cells(programme, t)
    indicators = len(questions.indicator_order(programme, t))
    points.append(narrative.named_basis_sentence(cells, indicators, programme))
    if later:
        named, _, inspected = questions.later_rounds_data(later, t)
        points.append(narrative.later_rounds_sentence(inspected, len(COUNCIL_AREAS), named))
    return KeyPoints(points)


@takes_area
def registered_services(area: str, since: pd.Timestamp = care.SINCE) -> KeyPoints:
    """03: the change in the share very good or better (with the caution the register's switch
    of grading framework needs), the share good or better now and at ``since`` (default
    :data:`helpers.care.questions.SINCE`), the services weak or worse now, and the services
    registered in ``area`` and Scotland."""
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
    t = as_tables(path)
    cells = questions.named_cells(programme, t)
    indicators = len(questions.indicator_order(programme, t))
    return KeyPoints(
        [
            narrative.coverage_sentence(quality.coverage_summary(t), lead=programme),
            narrative.named_basis_sentence(cells, indicators, programme),
            narrative.conflicts_key_sentence(quality.conflicts(t)),
            narrative.date_precision_sentence(quality.date_precision(t)),
            narrative.sources_key_sentence(quality.sources(t), quality.uncited_inspections(t)),
        ]
    )


@takes_area
def what_changed(recent: changes.Changes, area: str) -> KeyPoints:
    """05: newly registered and cancelled, grades down and up, and the services whose grade fell
    to weak or worse (named, never a childminder), in ``area`` against Scotland, between the
    two snapshots of ``recent`` (:func:`helpers.care.changes.between`)."""
    local = changes.in_area(recent, area)
    fell = narrative.grade_moves(changes.fell_to_weak(local), with_area=False)
    return KeyPoints(
        narrative.changes_key_points(
            changes.counts(recent, area), area, recent.before, recent.after, fell
        )
    )
