"""A reader's area name is made standard where it comes in (``helpers.areas.takes_area``).

The public functions a notebook calls with an area (the profile's cells, the key points, the
questions of joint inspections, findings and care services, what changed) take any spelling and
stop on an unknown name with suggestions; an empty table or a sentence about 'Fyfe' would be
worse than an error.
"""

from __future__ import annotations

import inspect

import pytest

from helpers import key_points, profile
from helpers.areas import UnknownAreaError, takes_area
from helpers.care import changes, questions
from helpers.joint import findings
from helpers.joint import questions as joint_questions

EDGES = (profile, key_points, questions, changes, joint_questions, findings)


def _public_with_area(module):
    for name, func in vars(module).items():
        if name.startswith("_") or not inspect.isfunction(func):
            continue
        if getattr(func, "__module__", None) != module.__name__:
            continue  # imported, not defined here
        if "area" in inspect.signature(func).parameters:
            yield name, func


@pytest.mark.parametrize("module", EDGES, ids=lambda m: m.__name__)
def test_every_public_function_taking_an_area_makes_it_standard(module):
    found = list(_public_with_area(module))
    assert found, f"{module.__name__} has no public function taking an area"
    plain = [name for name, func in found if not hasattr(func, "__wrapped__")]
    assert not plain, f"{module.__name__}: mark these @takes_area: {plain}"


@pytest.mark.parametrize(
    "call",
    [
        lambda: profile.care_registered("Fyfe"),
        lambda: profile.summary("Fyfe"),
        lambda: key_points.registered_services("Fyfe"),
        lambda: joint_questions.grade_counts("Fyfe"),
        lambda: findings.area_findings("Fyfe"),
    ],
)
def test_an_unknown_area_stops_with_a_suggestion(call):
    with pytest.raises(UnknownAreaError, match="Did you mean: Fife"):
        call()


def test_any_spelling_gives_the_standard_name():
    @takes_area
    def echo(area: str, other: int = 0) -> str:
        return area

    assert echo("perth & kinross") == "Perth and Kinross"
    assert echo(area="Edinburgh, City of") == "City of Edinburgh"
    assert echo("Scotland") == "Scotland"


def test_a_function_without_an_area_cannot_be_marked():
    with pytest.raises(TypeError, match="no parameter named 'area'"):
        takes_area(lambda place: place)
