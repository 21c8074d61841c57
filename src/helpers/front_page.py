"""The front page of the built reports: what its two maps of the 32 council areas show.

One map is the share of each area's joint-inspection quality indicators graded very good or
better (programme :data:`PROGRAMME`, the one with most areas graded); the other the share of its
registered children's services whose lowest grade is good or better at the latest snapshot.
This module gathers those values from the questions
(:func:`helpers.joint.questions.scotland_counts`,
:func:`helpers.care.questions.good_or_better_by_area`) with the words each map needs, and says
what the maps show (:func:`summary`); :mod:`helpers.build.front` draws them into the index page.
An area whose value is not known stays ``None``, never zero.

The values are computed once per process and data folder (:func:`map_values`), and again when
a file they come from changes: the index is rewritten after every report of a build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from helpers import cache, paths
from helpers.areas import COUNCIL_AREAS
from helpers.grades import VERY_GOOD_OR_BETTER
from helpers.joint.questions import DEFAULT_PROGRAMME
from helpers.narrative.maps import map_sentence
from helpers.words import day

#: The joint-inspection programme the first map shows: the one with most areas graded.
PROGRAMME = DEFAULT_PROGRAMME  # the same programme; a test checks it has most areas graded


@dataclass
class MapValues:
    """One map: its title, what its values are, area -> share (``None``: not known), and the
    words behind each share ('12 of 18 indicators')."""

    key: str
    title: str
    measure: str
    values: dict[str, float | None]
    details: dict[str, str] = field(default_factory=dict)
    note: str = ""


def _joint(data: Path) -> MapValues:
    from helpers.joint.questions import scotland_counts
    from helpers.labels import programme_label

    folder = paths.joint_inspections_dir(data)
    counts = scotland_counts(PROGRAMME, path=folder)
    label = programme_label(PROGRAMME, path=folder)
    values: dict[str, float | None] = dict.fromkeys(COUNCIL_AREAS)
    details = {}
    for area, row in counts.iterrows():
        values[area] = float(row["share_very_good_or_better"])
        good = int(row[list(VERY_GOOD_OR_BETTER)].sum())  # the counts, not a share undone
        details[area] = f"{good} of {int(row['total'])} quality indicators"
    return MapValues(
        "joint",
        "Joint inspections: quality indicators graded very good or better",
        "of quality indicators graded very good or better",
        values,
        details,
        note=label,
    )


def _care(data: Path) -> MapValues:
    from helpers.care import questions, tables

    services = tables.load(paths.care_services_dir(data))
    lowest = questions.lowest_grades(services.services, services.grades)
    latest = questions.latest_date(services.services)
    table = questions.good_or_better_by_area(lowest, latest)
    values: dict[str, float | None] = dict.fromkeys(table.index)
    details = {}
    for area, graded, good, share in table.itertuples():
        if graded > 0:
            values[area] = float(share)
            details[area] = f"{good} of {graded} graded services"
    return MapValues(
        "care",
        "Registered children's services: lowest grade good or better",
        "of graded children's services whose lowest grade is good or better",
        values,
        details,
        note=f"Care Inspectorate datastore, snapshot of {day(latest)}",
    )


def _map_files(data: str) -> list[Path]:
    """What the two maps are computed from: the joint tables, their package, the care tables."""
    folder = Path(data)
    return [
        *cache.folder_files(paths.joint_inspections_dir(folder), "*.csv"),
        paths.datapackage_file(folder),
        *cache.folder_files(paths.care_services_dir(folder)),
    ]


@cache.cached_on(_map_files, maxsize=2)
def _map_values(data: str) -> tuple[MapValues, ...]:
    return (_joint(Path(data)), _care(Path(data)))


def map_values(data: Path | None = None) -> tuple[MapValues, ...]:
    """The two maps' values, computed once per process and data folder (again when a file
    they come from changes)."""
    return _map_values(str(data or paths.data_dir()))


def summary(maps: tuple[MapValues, ...]) -> list[str]:
    """A sentence about each map: how many areas have a value, and its range."""
    sentences = []
    for values in maps:
        if values.key == "joint":
            lead = (
                f"council areas have a known split of grades from the "
                f"{values.note[:1].lower()}{values.note[1:]}"
            )
        else:
            lead = "council areas have graded children's services"
        sentences.append(map_sentence(values.title, values.measure, values.values, lead))
    return sentences
