"""Each care-side constant is defined in one module, and the area is made standard only where a
reader's name comes in: read from the source with :mod:`ast`, so a copy added anywhere fails."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

import helpers
from helpers import grades
from helpers.care import changes, questions
from helpers.datastore.columns import FRAMEWORKS

SRC = Path(helpers.__file__).resolve().parent


@functools.cache
def _modules() -> dict[str, ast.Module]:
    return {
        str(p.relative_to(SRC)): ast.parse(p.read_text(encoding="utf-8"))
        for p in sorted(SRC.rglob("*.py"))
    }


def _assigned(name: str) -> list[str]:
    """The modules that assign ``name`` at their top level."""
    found = []
    for module, tree in _modules().items():
        for node in tree.body:
            targets = (
                node.targets if isinstance(node, ast.Assign)
                else [node.target] if isinstance(node, ast.AnnAssign) else []
            )  # fmt: skip
            names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            if name in names:
                found.append(module)
    return found


def _literals(value: object) -> list[str]:
    """The modules holding the string (or tuple of strings) ``value`` as a literal."""
    found = []
    for module, tree in _modules().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value == value:
                found.append(module)
            elif isinstance(node, ast.Tuple) and all(
                isinstance(e, ast.Constant) for e in node.elts
            ):
                if tuple(e.value for e in node.elts) == value:
                    found.append(module)
    return found


@pytest.mark.parametrize(
    ("name", "home"),
    [
        ("WEAK_OR_WORSE", "grades.py"),
        ("GOOD_OR_BETTER_NAME", "grades.py"),
        ("WEAK_OR_WORSE_NAME", "grades.py"),
        ("FELL_TO_WEAK_OR_WORSE", "care/changes.py"),
        ("SCOTLAND", "areas.py"),
        ("CHILD_MINDING", "datastore/snapshot.py"),
        ("CHILDREN", "datastore/snapshot.py"),
        ("SINCE", "care/questions.py"),
        ("COMPARED", "care/questions.py"),
    ],
)
def test_each_constant_is_assigned_in_one_module(name, home):
    assert _assigned(name) == [home]


def test_no_module_spells_out_the_constants_again():
    assert set(_literals(("weak", "unsatisfactory"))) == {"grades.py"}
    assert _literals(("quality theme", "key question")) == []  # taken from FRAMEWORKS
    assert _literals("2017-12-31") == ["care/questions.py"]
    assert set(_literals("Child Minding")) == {"datastore/snapshot.py"}  # its spellings, its name
    # a group's name is a column between the layers, so spelt once: a typo would find nothing
    for group in ("very good or better", "good or better", "weak or worse"):
        assert _literals(group) == ["grades.py"], group


def test_the_copies_are_the_same_objects():
    assert changes.WEAK_OR_WORSE is grades.WEAK_OR_WORSE
    assert changes.COMPARED is questions.COMPARED
    assert questions.COMPARED == FRAMEWORKS[:2] == ("quality theme", "key question")


def _standard_area_calls(module: str) -> dict[str, int]:
    """How many times each function of ``module`` calls ``standard_area``."""
    calls = {}
    for node in ast.walk(_modules()[module]):
        if isinstance(node, ast.FunctionDef):
            n = sum(
                isinstance(c, ast.Call)
                and getattr(c.func, "id", getattr(c.func, "attr", "")) == "standard_area"
                for c in ast.walk(node)
            )
            if n:
                calls[node.name] = n
    return calls


@pytest.mark.parametrize(
    "module",
    [
        "care/questions.py",
        "care/tables.py",
        "charts/care.py",
        "narrative/care.py",
        "narrative/changes.py",
        "profile.py",
        "key_points.py",
    ],
)
def test_below_the_edge_no_care_module_makes_an_area_standard(module):
    assert _standard_area_calls(module) == {}, module


def test_what_changed_makes_a_readers_area_standard_once_at_its_public_edge():
    """``in_area`` and ``counts`` take the name an analyst types; each is marked
    ``@takes_area`` (made standard once, on the way in), and what they call trusts it."""
    assert _standard_area_calls("care/changes.py") == {}
    marked = {
        node.name
        for node in ast.walk(_modules()["care/changes.py"])
        if isinstance(node, ast.FunctionDef)
        and any(getattr(d, "id", None) == "takes_area" for d in node.decorator_list)
    }
    assert marked == {"in_area", "counts"}
