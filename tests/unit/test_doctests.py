"""The examples in the docstrings run, and give what they say (``doctest``).

Collected here rather than by ``--doctest-modules`` so that ``pytest tests`` (the command
``make test`` and contributors run) includes them.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import helpers

# Not the command-line entry points (``__main__``): importing one runs it.
MODULES = sorted(
    m.name
    for m in pkgutil.walk_packages(helpers.__path__, "helpers.")
    if not m.ispkg and not m.name.endswith("__main__")
)


def test_modules_are_found():
    assert "helpers.grades" in MODULES and "helpers.narrative.rank" in MODULES
    assert doctest.testmod(helpers.grades).attempted > 0  # the examples are really run


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
