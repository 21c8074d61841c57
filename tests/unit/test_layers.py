"""Imports only go down: no circle of imports, no import of a higher layer, no module unplaced.

The layers are :data:`helpers.layers.LAYERS`. This test reads every ``.py`` file under
``src/helpers`` with :mod:`ast` (nothing is imported, so a broken module cannot hide an edge) and
takes every import in it: at module level and inside functions, ``import a.b`` and
``from a import b``, absolute and relative. ``from helpers.x import y`` is an edge to the module
``helpers.x.y`` if there is one, else to ``helpers.x``. Only imports of ``helpers`` count.

How the package's ``__init__`` files are treated, as what each is:

- ``helpers/__init__`` (the public API) and the ``__init__`` of a package that spans layers
  (:data:`helpers.layers.NAMESPACES`, ``joint``) are in no layer. Their own imports are not
  checked (they re-export what notebooks call), and no module may import a name from them:
  ``from helpers import cache`` imports the module ``helpers.cache``, which is fine;
  ``from helpers import load_inspections`` would import the public API from inside it.
- The ``__init__`` of a package that is one layer (``narrative``, ``charts``, ``build``,
  ``datastore``) is a module of that layer, re-exporting its package: ``from helpers import
  narrative`` is an import of layer 3, and a module inside ``narrative`` that imported the
  facade would make a circle with it, which fails like any other.
- ``__main__`` modules (``build``'s command line, ``datastore``'s) are modules of their
  package's layer; nothing imports them.

The checks are functions of a folder and a table, so the tests at the end can feed them a small
package with a circle and an upward import, and see them fail.
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import layers, paths

WHERE = "src/helpers/layers.py (LAYERS)"


@dataclass(frozen=True)
class Edge:
    """``source`` imports ``target`` (dotted names under the package; '' is the package)."""

    source: str
    target: str
    file: Path
    line: int

    def where(self) -> str:
        return f"{self.file.name}:{self.line}"


def module_files(root: Path) -> dict[str, Path]:
    """Every module of the package in ``root``: dotted name under it ('' for ``__init__``)."""
    out = {}
    for file in sorted(root.rglob("*.py")):
        parts = list(file.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = file
    return out


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The module ``name`` is, or the innermost module it is in ('a.b.c' -> 'a.b')."""
    parts = name.split(".") if name else []
    for end in range(len(parts), -1, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def imports(root: Path, package: str) -> list[Edge]:
    """Every import of ``package`` in the package at ``root``, wherever it stands in a file."""
    modules = module_files(root)
    edges = []
    for source, file in modules.items():
        is_package = file.name == "__init__.py"
        here = source.split(".") if source else []
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"), str(file))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:  # relative: from the module's package, up level - 1
                    base = here if is_package else here[:-1]
                    base = base[: len(base) - (node.level - 1)]
                    module = ".".join([package, *base, *([node.module] if node.module else [])])
                else:
                    module = node.module or ""
                names = [f"{module}.{a.name}" for a in node.names if a.name != "*"] or [module]
            for name in names:
                if name != package and not name.startswith(package + "."):
                    continue
                target = _resolve(name.removeprefix(package).lstrip("."), modules)
                if target is not None and target != source:
                    edges.append(Edge(source, target, file, node.lineno))
    return edges


def _label(name: str, package: str) -> str:
    return f"{package}.{name}" if name else package


def unplaced(
    root: Path, package: str, layer_of: Callable[[str], int | None], namespaces: Iterable[str]
) -> list[str]:
    """Modules in no layer (the package and the namespaces aside)."""
    spaces = {"", *namespaces}
    return [
        f"{_label(m, package)} ({f.relative_to(root.parent)}) is in no layer: add it to {WHERE}"
        for m, f in module_files(root).items()
        if m not in spaces and layer_of(m) is None
    ]


def upward(
    edges: Iterable[Edge], package: str, layer_of: Callable[[str], int | None], namespaces
) -> list[str]:
    """Imports of a higher layer, and of a name from the package or a namespace."""
    spaces = {"", *namespaces}
    problems = []
    for e in edges:
        if e.source in spaces:
            continue  # a namespace re-exports: its own imports are not checked
        if e.target in spaces:
            problems.append(
                f"{_label(e.source, package)} ({e.where()}) imports a name from "
                f"{_label(e.target, package)}, which spans layers: import it from the module "
                "that defines it"
            )
            continue
        mine, theirs = layer_of(e.source), layer_of(e.target)
        if mine is not None and theirs is not None and theirs > mine:
            problems.append(
                f"{_label(e.source, package)} (layer {mine}, {e.where()}) imports "
                f"{_label(e.target, package)} (layer {theirs}): an import may only go down"
            )
    return problems


def cycles(edges: Iterable[Edge], package: str) -> list[str]:
    """Each circle of imports (a strongly connected group of modules), with the imports in it."""
    graph: dict[str, dict[str, Edge]] = {}
    for e in edges:
        graph.setdefault(e.source, {}).setdefault(e.target, e)
    # Tarjan's algorithm, iterative (no recursion limit to meet on a deep package).
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, {}))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, {})))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(sorted(group))
    problems = []
    for group in groups:
        inside = [
            f"{_label(s, package)} -> {_label(t, package)} ({e.where()})"
            for s in group
            for t, e in sorted(graph.get(s, {}).items())
            if t in group
        ]
        problems.append("a circle of imports: " + "; ".join(inside))
    return problems


def check(root: Path, package: str, layer_of, namespaces) -> list[str]:
    """Every problem with the package's layering, in words (empty when there is none)."""
    edges = imports(root, package)
    spaces = {"", *namespaces}
    # A namespace is never imported from inside (upward says so), so it closes no circle.
    modules_only = [e for e in edges if e.source not in spaces and e.target not in spaces]
    return [
        *unplaced(root, package, layer_of, namespaces),
        *upward(edges, package, layer_of, namespaces),
        *cycles(modules_only, package),
    ]


# --------------------------------------------------------------------------- the package itself


def test_helpers_imports_only_go_down_without_a_circle():
    problems = check(paths.PACKAGE_DIR, "helpers", layers.layer_of, layers.NAMESPACES)
    assert not problems, "\n".join(problems)


def test_every_module_in_the_layer_table_exists():
    """A name in the table that is no module (renamed, moved) is a stale map: it fails too."""
    modules = module_files(paths.PACKAGE_DIR)
    listed = [m for _, _, names in layers.LAYERS.values() for m in names]
    missing = [m for m in [*listed, *layers.NAMESPACES] if m not in modules]
    assert not missing, f"{WHERE} lists modules that do not exist: {missing}"
    assert len(listed) == len(set(listed)), "a module is listed in two layers"


def test_the_readme_layout_names_each_module_in_its_layer():
    """README's layout table describes the layers; it must say what the table says."""
    rows = {}
    for line in (paths.REPO_ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        number = line[2:3]
        if line.startswith("| ") and number.isdigit() and int(number) in layers.LAYERS:
            rows[int(number)] = line
    assert sorted(rows) == sorted(layers.LAYERS), "README's layout table has a row per layer"
    for number, (_, _, names) in layers.LAYERS.items():
        for name in names:
            words = (f"`{name.replace('.', '/')}`", f"`{name.replace('.', '/')}/`")
            assert any(w in rows[number] for w in words), (
                f"README's layout table does not name {name} in layer {number}"
            )


def test_the_walk_sees_imports_inside_functions():
    """The import that once closed a circle hid inside a function (labels -> inspections)."""
    edges = imports(paths.PACKAGE_DIR, "helpers")
    inside = [e for e in edges if (e.source, e.target) == ("exporters", "build.printer")]
    assert inside, "exporters imports build.printer inside a function; the walk must see it"


# --------------------------------------------------------------------------- the check can fail


def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        file = root / name
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def tiny_layer(module: str) -> int | None:
    """The tiny package's table: a package's name stands for its modules, as in LAYERS."""
    return {"low": 0, "mid": 1, "mid2": 1, "sub": 1, "high": 2}.get(module.split(".")[0])


@pytest.fixture
def tiny(tmp_path) -> Path:
    """pkg: low (0) imports high (2) inside a function; mid and mid2 (1) import each other, one
    of them relatively; sub.inner (1) imports a name from pkg; stray is in no layer."""
    return _package(
        tmp_path / "pkg",
        {
            "__init__.py": "from pkg.high import shout\n",
            "low.py": "def f():\n    from pkg import high\n    return high\n",
            "mid.py": "import os\nfrom pkg import mid2\n",
            "mid2.py": "from . import mid\nfrom .low import f\n",
            "high.py": "def shout():\n    pass\n",
            "sub/__init__.py": "",
            "sub/inner.py": "from pkg import shout\nfrom .. import low\nfrom pkg.mid import os\n",
            "stray.py": "from pkg import low\n",
        },
    )


def test_check_finds_an_upward_import_inside_a_function(tiny):
    up = [p for p in check(tiny, "pkg", tiny_layer, ()) if "may only go down" in p]
    assert up == [
        "pkg.low (layer 0, low.py:2) imports pkg.high (layer 2): an import may only go down"
    ]


def test_check_finds_a_circle_through_a_relative_import(tiny):
    circles = [p for p in check(tiny, "pkg", tiny_layer, ()) if p.startswith("a circle")]
    assert circles == [
        "a circle of imports: pkg.mid -> pkg.mid2 (mid.py:2); pkg.mid2 -> pkg.mid (mid2.py:1)"
    ]


def test_check_finds_a_name_imported_from_the_package_and_an_unplaced_module(tiny):
    problems = check(tiny, "pkg", tiny_layer, ())
    assert len(problems) == 4, problems
    assert "pkg.sub.inner (inner.py:1) imports a name from pkg, which spans layers" in "".join(
        problems
    )
    assert any(p.startswith("pkg.stray (pkg/stray.py) is in no layer: add it to") for p in problems)


def test_imports_resolve_names_modules_and_relative_imports(tiny):
    edges = {(e.source, e.target) for e in imports(tiny, "pkg")}
    # 'from pkg.mid import os' names a name in a module: an edge to pkg.mid; 'from .. import
    # low' in pkg/sub/inner.py is pkg.low; 'import os' is not the package's.
    assert {("sub.inner", "mid"), ("sub.inner", "low"), ("sub.inner", "")} <= edges
    assert ("", "high") in edges and not any(t == "os" for _, t in edges)


def test_check_passes_a_package_that_keeps_its_layers(tiny):
    (tiny / "low.py").write_text("def f():\n    return 1\n", encoding="utf-8")
    (tiny / "mid2.py").write_text("from .low import f\n", encoding="utf-8")
    (tiny / "sub" / "inner.py").write_text("from .. import low\n", encoding="utf-8")
    (tiny / "stray.py").unlink()
    assert check(tiny, "pkg", tiny_layer, ()) == []
