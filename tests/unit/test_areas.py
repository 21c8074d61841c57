"""helpers.areas: standard names, and the spellings sources use, read from council_areas.csv."""

from __future__ import annotations

import shutil

import pytest

from helpers import areas, paths


def test_every_area_is_its_own_standard_name():
    assert all(areas.standard_area(a) == a for a in areas.COUNCIL_AREAS)


def test_variants_come_from_council_areas_csv(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(paths.joint_inspections_dir(), data / "joint-inspections")
    file = data / "joint-inspections" / "council_areas.csv"
    text = file.read_text("utf-8")
    assert "Stirling," in text
    file.write_text(text.replace("Stirling,", "Stirling,Sruighlea"), "utf-8")
    assert areas.find_area("Sruighlea") is None
    monkeypatch.setenv("HELPERS_DATA_DIR", str(data))
    assert areas.standard_area("Sruighlea") == "Stirling"


def test_unknown_area_names_the_closest():
    with pytest.raises(areas.UnknownAreaError, match="Did you mean: Perth and Kinross"):
        areas.standard_area("Perth and Kinros")
