"""No function in ``src/helpers`` is over 60 lines (issue 18).

A function that long is several steps, and a reader must hold all of them at once; split into
steps with names, it says what it does. Lines are counted as :mod:`ast` counts them, from the
``def`` line to the last line of the body, docstring and comments included (decorators not):
``end_lineno - lineno + 1``. Every function counts: methods, nested functions, private ones.

The check is a function of a folder, so the last test can feed it a function of 61 lines and
see it fail.
"""

from __future__ import annotations

import ast
from pathlib import Path

import helpers

LIMIT = 60
PACKAGE = Path(helpers.__file__).resolve().parent

#: Functions over the limit on main that another branch is splitting, as 'path:name' under
#: ``src/helpers``: each must still be over it (remove it here when its branch is merged).
BEING_SPLIT: set[str] = set()


def long_functions(root: Path, limit: int = LIMIT) -> dict[str, int]:
    """Every function under ``root`` longer than ``limit`` lines: 'path:name' -> its lines
    (``path`` relative to ``root``; a name defined twice in a file is counted at its longest)."""
    found: dict[str, int] = {}
    for file in sorted(root.rglob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                key = f"{file.relative_to(root).as_posix()}:{node.name}"
                if lines > limit:
                    found[key] = max(lines, found.get(key, 0))
    return found


def test_no_function_in_helpers_is_over_60_lines():
    long = {k: n for k, n in long_functions(PACKAGE).items() if k not in BEING_SPLIT}
    listed = "; ".join(f"{k} ({n} lines)" for k, n in sorted(long.items()))
    assert not long, f"over {LIMIT} lines, split into named steps: {listed}"


def test_functions_being_split_are_still_long_else_unlisted():
    """A function split on its branch and merged leaves :data:`BEING_SPLIT`: no exemption is
    left behind to hide a function that grows long again."""
    still = set(long_functions(PACKAGE))
    done = sorted(BEING_SPLIT - still)
    assert not done, f"no longer over {LIMIT} lines, remove from BEING_SPLIT: {', '.join(done)}"


def _function(name: str, lines: int, indent: str = "") -> str:
    """The source of a function of exactly ``lines`` lines (def, docstring, statements)."""
    body = [f"{indent}    x{i} = {i}" for i in range(lines - 2)]
    return "\n".join([f"{indent}def {name}():", f'{indent}    """Doc."""', *body]) + "\n"


def test_long_function_check_fails_at_61_lines_and_not_at_60(tmp_path):
    package = tmp_path / "package"
    (package / "sub").mkdir(parents=True)
    (package / "short.py").write_text(_function("fits", 60))
    (package / "long.py").write_text(_function("fits", 60) + "\n\n" + _function("too_long", 61))
    method = "class Thing:\n" + _function("method", 62, indent="    ")
    (package / "sub" / "nested.py").write_text(method)
    assert long_functions(package) == {"long.py:too_long": 61, "sub/nested.py:method": 62}
    (package / "long.py").write_text(_function("too_long", 60))
    assert long_functions(package) == {"sub/nested.py:method": 62}
