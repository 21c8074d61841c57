"""05-what-changed.ipynb: its parameters, and the errors a wrong area or date gets.

nbval runs the committed notebook (Perth and Kinross, the latest two snapshots); these tests run
only its parameters and set-up cells, with other values, as papermill would inject them.
"""

from __future__ import annotations

import nbformat
import pytest

from helpers import paths
from helpers.areas import UnknownAreaError
from helpers.care.changes import SnapshotDateError

NOTEBOOK = paths.notebooks_dir() / "05-what-changed.ipynb"


def _set_up(**parameters) -> dict:
    """Run the parameters cell, the injected values, then the set-up cell; the namespace."""
    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    namespace: dict = {"display": lambda *a, **k: None}
    exec(cells[0].source, namespace)  # noqa: S102 - the project's own notebook
    namespace.update(parameters)
    exec(cells[1].source, namespace)  # noqa: S102
    return namespace


def test_first_cell_is_tagged_parameters_with_area_before_after():
    first = nbformat.read(NOTEBOOK, as_version=4).cells[0]
    assert "parameters" in first.metadata.get("tags", [])
    namespace: dict = {}
    exec(first.source, namespace)  # noqa: S102
    assert (namespace["area"], namespace["before"], namespace["after"]) == (
        "Perth and Kinross",
        None,
        None,
    )


def test_defaults_compare_the_latest_two_snapshots():
    from helpers.care import tables
    from helpers.care.changes import snapshot_dates

    ns = _set_up(area="stirling")
    dates = snapshot_dates(tables.load())
    assert (ns["CHANGES"].before, ns["CHANGES"].after) == (dates[-2], dates[-1])
    assert ns["AREA"] == "Stirling"


def test_dates_given_are_compared():
    ns = _set_up(area="Fife", before="2017-12-31", after="2026-03-31")
    assert str(ns["CHANGES"].before.date()) == "2017-12-31"
    assert str(ns["CHANGES"].after.date()) == "2026-03-31"


def test_unknown_area_gets_suggestions():
    with pytest.raises(UnknownAreaError, match="Perth and Kinross"):
        _set_up(area="Perth and Kinros")


def test_date_with_no_snapshot_names_the_dates_there_are():
    with pytest.raises(SnapshotDateError, match="2026-03-31") as error:
        _set_up(before="2026-04-30")
    assert "2016-03-31" in str(error.value)


def test_key_points_cell_follows_the_title_and_counts_match_the_table():
    """The cell after the title shows the key points; their numbers are the counts table's, and
    every area service whose grade fell to weak or worse is in them (named, or 'a childminder')."""
    from helpers import key_points, narrative
    from helpers.care import changes

    cells = nbformat.read(NOTEBOOK, as_version=4).cells
    assert cells[2].source.startswith('Markdown(f"# {AREA}')
    assert "key_points.what_changed(CHANGES, AREA)" in cells[3].source
    recent = changes.between()
    for area in ("Aberdeenshire", "Fife"):
        counts = changes.counts(recent, area)
        points = key_points.what_changed(recent, area).sentences
        assert 3 <= len(points) <= 6
        scot = counts["Scotland"]
        assert f"(Scotland: {scot['newly registered']})" in points[0]
        assert f"(Scotland: {scot['a grade went down']})" in points[1]
        fell = narrative.grade_moves(
            changes.fell_to_weak(changes.in_area(recent, area)), with_area=False
        )
        assert len(fell) == counts.loc["a grade fell to weak or worse", area]
        for r in fell.itertuples():
            assert (r.service if r.service != "a childminder (not named)" else "a childminder") in (
                points[2]
            )
    assert "Busy Bees at Inverurie" in key_points.what_changed(recent, "Aberdeenshire").sentences[2]


def test_scotland_weak_table_lists_every_measure_that_went_down_as_the_area_table_does():
    """05's Scotland table of services that fell to weak or worse holds every measure of them that
    went down (not only those now weak), as the area's table does; no other service."""
    from helpers.care import changes
    from helpers.grades import WEAK_OR_WORSE

    recent = changes.between()
    fell = changes.fell_to_weak(recent)
    low = recent.down[recent.down["grade after"].astype(str).isin(WEAK_OR_WORSE)]
    assert set(fell["service_id"]) == set(low["service_id"])
    for sid in set(low["service_id"]):
        assert len(fell[fell["service_id"] == sid]) == len(
            recent.down[recent.down["service_id"] == sid]
        )
    assert len(fell) > len(low)  # some of them fell on one measure and went down on others
