"""The project's set-up: the two dependency lists agree, and the package imports from anywhere."""

from __future__ import annotations

import re
import tomllib

import pytest

from helpers import paths

ROOT = paths.REPO_ROOT


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]


def _names(specs: list[str]) -> dict[str, str]:
    return {re.split(r"[<>=!~ ]", d, maxsplit=1)[0].lower(): d for d in specs}


def _pyproject_dependencies(*extras: str) -> dict[str, str]:
    """The runtime dependencies, and those of the named extras."""
    project = _project()
    specs = list(project["dependencies"])
    for extra in extras:
        specs += project["optional-dependencies"][extra]
    return _names(specs)


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
    pyproject = _pyproject_dependencies(*_project()["optional-dependencies"])
    conda = _environment_dependencies()
    assert set(conda) == set(pyproject), set(conda) ^ set(pyproject)
    for name, spec in pyproject.items():
        assert conda[name].replace(" ", "") == spec.replace(" ", ""), name


LOCKS = {
    "requirements.lock": (),
    "requirements-reports.lock": ("pdf",),
    "requirements-dev.lock": ("pdf", "test", "dev"),
}


@pytest.mark.parametrize(("name", "extras"), LOCKS.items())
def test_each_lock_pins_its_dependencies_with_hashes(name, extras):
    lock = (ROOT / name).read_text("utf-8")
    pinned = {m.lower() for m in re.findall(r"^([A-Za-z0-9_.\-]+)==", lock, flags=re.M)}
    assert set(_pyproject_dependencies(*extras)) <= pinned
    assert lock.count("--hash=sha256:") >= len(pinned)
    # No index URL or host: the lock installs from whatever index pip is configured with.
    assert "index-url" not in lock and not re.search(r"https?://", lock)


def test_runtime_lock_leaves_out_test_and_dev_tools():
    lock = (ROOT / "requirements.lock").read_text("utf-8")
    for tool in ("pytest", "ruff", "playwright", "pypdf", "frictionless", "nbval"):
        assert not re.search(rf"^{tool}==", lock, flags=re.M), tool


def test_locks_agree_on_every_version_they_share():
    versions: dict[str, set[str]] = {}
    for name in LOCKS:
        lock = (ROOT / name).read_text("utf-8")
        for package, version in re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)", lock, flags=re.M):
            versions.setdefault(package.lower(), set()).add(version)
    assert {p: v for p, v in versions.items() if len(v) > 1} == {}


def test_distribution_has_a_name_of_its_own_and_imports_as_helpers():
    assert _project()["name"] not in {"helpers", ""}
    assert (ROOT / "src" / "helpers" / "__init__.py").exists()


def test_citation_file_names_this_version_and_both_licences():
    import yaml

    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert citation["cff-version"] == "1.2.0"
    assert citation["version"] == version
    assert citation["license"] == "MIT"
    assert {ref["license"] for ref in citation["references"]} == {"OGL-UK-3.0"}
