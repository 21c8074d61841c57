"""The committed joint-inspection tables against their schema: they load and validate, the
datapackage (``data/datapackage.json``) validates with frictionless and catches a bad grade, its
fields are the columns the loaders read, and the data card's coverage table is true.

How the loaders refuse broken tables is tested on broken copies in
``tests/unit/test_inspections.py`` and ``tests/unit/test_schema.py``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import helpers
from helpers import paths
from helpers.joint.tables import load_all

DATA = paths.joint_inspections_dir()


def test_committed_tables_load_and_validate():
    t = load_all()
    assert len(t.council_areas) == 32
    cyp = t.inspections[t.inspections["programme"] == "cyp-2012"]
    assert cyp["council_area"].nunique() == 32
    assert cyp.dropna(subset=["excellent"]).shape[0] == 20
    assert t.named_grades["grade"].dtype == helpers.GRADES


def test_datapackage_validates():
    from frictionless import validate

    report = validate(paths.data_dir() / "datapackage.json")
    assert report.valid, report.flatten(["resource_name", "row_number", "field_name", "note"])


def test_datapackage_catches_bad_grade(tmp_path):
    from frictionless import validate

    data = tmp_path / "data"
    shutil.copytree(DATA, data / "joint-inspections")
    shutil.copy(paths.data_dir() / "datapackage.json", data)
    named = data / "joint-inspections" / "named_grades.csv"
    text = named.read_text(encoding="utf-8")
    assert ",excellent,,stated" in text, "the test no longer edits what it means to"
    named.write_text(text.replace(",excellent,,stated", ",brilliant,,stated", 1), encoding="utf-8")
    report = validate(data / "datapackage.json")
    assert not report.valid
    errors = report.flatten(["type", "note"])
    assert any(kind == "constraint-error" and "enum" in note for kind, note in errors), errors


def test_datapackage_fields_are_the_columns_loaded():
    import json

    from helpers.care.tables import COLUMNS as CARE_COLUMNS

    package = json.loads((paths.data_dir() / "datapackage.json").read_text("utf-8"))
    t = load_all()
    for resource in package["resources"]:
        name = Path(resource["path"]).name
        fields = [f["name"] for f in resource["schema"]["fields"]]
        if resource["path"].startswith("care-services/"):
            assert fields == list(CARE_COLUMNS[name]), name
        elif resource["path"].startswith("joint-inspections/"):
            # the loader adds derived columns after the file's own, never drops one
            assert list(getattr(t, resource["name"]).columns)[: len(fields)] == fields, name
    assert {Path(r["path"]).name for r in package["resources"]} >= set(CARE_COLUMNS)
    assert package["licenses"][0]["name"] == "OGL-UK-3.0"


def test_data_card_coverage_table_is_true():
    card = (paths.data_dir() / "README.md").read_text("utf-8")
    table = helpers.coverage()
    for programme in table.columns:
        row = re.search(
            rf"^\| `{re.escape(programme)}`.*\| (\d+)(?: \(all\))? \| (\d+) \|$", card, re.M
        )
        assert row, f"data/README.md has no coverage row for {programme}"
        assert int(row[1]) == (table[programme] != "").sum(), programme
        assert int(row[2]) == (table[programme] == "full split").sum(), programme
