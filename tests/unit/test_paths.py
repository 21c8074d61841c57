"""helpers.paths: every path anchored on the repository, each movable by its variable."""

from __future__ import annotations

from helpers import paths


def test_default_paths_are_inside_the_repository(monkeypatch):
    monkeypatch.delenv("HELPERS_DATA_DIR", raising=False)
    assert paths.data_dir() == paths.REPO_ROOT / "data"
    assert paths.joint_inspections_dir() == paths.REPO_ROOT / "data" / "joint-inspections"
    assert (paths.data_dir() / "datapackage.json").exists()


def test_data_dir_follows_its_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("HELPERS_DATA_DIR", str(tmp_path))
    assert paths.joint_inspections_dir() == tmp_path.resolve() / "joint-inspections"
