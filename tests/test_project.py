"""The project's set-up: the two dependency lists agree, and the package imports from anywhere."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib

from helpers import paths

ROOT = paths.REPO_ROOT


def _pyproject_dependencies() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    return {re.split(r"[<>=!~ ]", d, maxsplit=1)[0].lower(): d for d in project["dependencies"]}


def _environment_dependencies() -> dict[str, str]:
    """Conda dependencies, read without a YAML library: list items under 'dependencies:'."""
    out: dict[str, str] = {}
    in_deps = False
    for line in (ROOT / "environment.yml").read_text("utf-8").splitlines():
        if line.startswith("dependencies:"):
            in_deps = True
            continue
        match = re.match(r"^  - ([A-Za-z0-9_.\-]+)(.*)$", line)
        if in_deps and match and match.group(1) not in {"python", "pip"}:
            out[match.group(1).lower()] = match.group(1) + match.group(2).strip()
    return out


def test_environment_yml_and_pyproject_list_same_dependencies():
    pyproject = _pyproject_dependencies()
    conda = _environment_dependencies()
    assert set(conda) == set(pyproject), set(conda) ^ set(pyproject)
    for name, spec in pyproject.items():
        assert conda[name].replace(" ", "") == spec.replace(" ", ""), name


def test_lock_pins_every_dependency_with_hashes():
    lock = (ROOT / "requirements.lock").read_text("utf-8")
    pinned = {m.lower() for m in re.findall(r"^([A-Za-z0-9_.\-]+)==", lock, flags=re.M)}
    assert set(_pyproject_dependencies()) <= pinned
    assert lock.count("--hash=sha256:") >= len(pinned)
    # No index URL or host: the lock installs from whatever index pip is configured with.
    assert "index-url" not in lock and not re.search(r"https?://", lock)


def test_helpers_imports_from_any_folder(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import helpers, sys; print(helpers.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == str(paths.PACKAGE_DIR / "__init__.py")
