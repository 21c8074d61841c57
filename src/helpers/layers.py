"""Which layer each module is in: the one table of the package's layers (the test reads it).

The package is built in layers, each importing only from the layers below it (or from its own
layer, without a circle), so that a newcomer can read it from the ground up and a change low
down never needs a module above it. ``tests/unit/test_layers.py`` reads :data:`LAYERS` and walks
every import in ``src/helpers`` (at the top of a module and inside functions alike): an import
of a higher layer, a circle of imports, or a module in no layer fails it.

A new module goes in the layer of what it does; a module in a package listed here as a whole
(``build``, ``datastore``, ``narrative``, ``charts``) is in that package's layer already. It is
kept here, not in the test, so that it sits beside the modules it orders: it is the map of the
package, and the test is what keeps the map true.
"""

from __future__ import annotations

#: The layers, bottom first: name, what belongs there, and the modules (names under ``helpers``;
#: a package's name stands for the package and every module in it).
LAYERS: dict[int, tuple[str, str, tuple[str, ...]]] = {
    0: (
        "ground",
        "paths, words, the grade scale, area names, cited sites, atomic writes, the cache",
        ("paths", "words", "grades", "areas", "sites", "atomic", "cache", "layers"),
    ),
    1: (
        "data",
        "the tables as published, read, validated and cached: real values, no words",
        ("schema", "joint.tables", "care.tables", "datastore"),
    ),
    2: (
        "questions",
        "what the tables answer: counts, shares, standings, findings, changes, checks",
        ("joint.questions", "joint.findings", "care.questions", "care.changes", "quality"),
    ),
    3: (
        "words and pictures",
        "readers' words, every sentence, every chart, how a notebook shows them",
        ("labels", "narrative", "charts", "display", "figure_cache"),
    ),
    4: (
        "reports",
        "one module per report: its cells, assembled from the layers below",
        ("profile", "what_found", "key_points", "front_page"),
    ),
    5: (
        "publish",
        "the build (execute, export, print, record) and the exporters JupyterLab's menu calls",
        ("build", "exporters"),
    ),
}

#: Packages whose ``__init__`` spans layers, so is in none: ``joint`` and ``care`` (their tables
#: at layer 1, their questions at layer 2). So is the package's own ``helpers/__init__``, the
#: public API that notebooks call (it re-exports from layers 0 to 3). Nothing in ``helpers`` may
#: import a name from any of them: only their modules.
NAMESPACES: tuple[str, ...] = ("joint", "care")


def layer_of(module: str) -> int | None:
    """The layer of a module named under ``helpers`` (``"joint.tables"``, ``"build.plan"``):
    its own entry, else its innermost listed package's; ``None`` if it is in none.

    Examples
    --------
    >>> layer_of("joint.tables"), layer_of("build.plan"), layer_of("narrative"), layer_of("x")
    (1, 5, 3, None)
    """
    parts = module.split(".")
    for end in range(len(parts), 0, -1):
        name = ".".join(parts[:end])
        for number, (_, _, modules) in LAYERS.items():
            if name in modules:
                return number
    return None
