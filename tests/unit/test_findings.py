"""Findings, themes, progress and national reviews: loaders refuse bad rows (file, line, value),
ambiguous grades are never counted, profiles escape data text and lead with the newest
programme. 06's counts against a plain count of the committed CSVs, and every finding in every
profile, are checked in ``tests/data/test_findings_counts.py``."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

import helpers
from helpers import narrative, paths, profile
from helpers.joint import findings, questions, tables
from helpers.schema import DataError

DATA = paths.joint_inspections_dir()


def rows(name: str, folder: Path = DATA) -> list[dict]:
    with open(folder / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def rewrite(folder: Path, name: str, change) -> int:
    """Apply ``change`` to the first row of a table; return that row's line number (2)."""
    table = rows(name, folder)
    change(table[0])
    with open(folder / name, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, list(table[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(table)
    return 2


def test_a_finding_for_an_inspection_not_in_the_data_is_refused(data_copy):
    rewrite(data_copy, "findings.csv", lambda r: r.update(programme="risk-of-harm-2020"))
    first = rows("findings.csv", data_copy)[0]
    with pytest.raises(DataError) as err:
        helpers.load_findings(data_copy)
    assert err.value.file.endswith("findings.csv") and err.value.line == 2
    # the id no longer matches, or the inspection is missing: either names the row
    assert first["finding_id"] in str(err.value) or "inspections.csv" in str(err.value)


def test_a_finding_of_an_area_never_inspected_in_that_programme_is_refused(data_copy):
    ins = {(r["council_area"], r["programme"]) for r in rows("inspections.csv")}
    area = next(a for a in helpers.COUNCIL_AREAS if (a, "care-protection-2018") not in ins)
    slug = tables.area_slug(area)

    def change(r):
        r.update(council_area=area, programme="care-protection-2018",
                 finding_id=f"{slug}-care-protection-2018-01")  # fmt: skip

    rewrite(data_copy, "findings.csv", change)
    with pytest.raises(DataError, match=r"findings.csv, line 2, column 'programme'.*inspections"):
        helpers.load_findings(data_copy)


@pytest.mark.parametrize(
    ("column", "value", "says"),
    [("kind", "praise", "expected one of"), ("source_url", "", "is blank")],
)
def test_an_unknown_kind_or_a_missing_source_is_refused(data_copy, column, value, says):
    rewrite(data_copy, "findings.csv", lambda r: r.update({column: value}))
    with pytest.raises(DataError) as err:
        helpers.load_findings(data_copy)
    assert f"findings.csv, line 2, column '{column}', value '{value}'" in str(err.value)
    assert says in str(err.value)


def test_a_duplicated_finding_id_is_refused(data_copy):
    second = rows("findings.csv", data_copy)[1]["finding_id"]
    rewrite(data_copy, "findings.csv", lambda r: r.update(finding_id=second))
    with pytest.raises(DataError, match=rf"findings.csv, line \d+.*{second}.*duplicated"):
        helpers.load_findings(data_copy)


def test_an_unknown_theme_is_refused(data_copy):
    rewrite(data_copy, "finding_themes.csv", lambda r: r.update(theme="astrology"))
    with pytest.raises(DataError) as err:
        helpers.load_finding_themes(data_copy)
    assert "finding_themes.csv, line 2, column 'theme', value 'astrology'" in str(err.value)
    assert "themes.csv" in str(err.value)


def test_a_theme_for_an_unknown_finding_is_refused(data_copy):
    rewrite(data_copy, "finding_themes.csv", lambda r: r.update(finding_id="moray-cyp-2012-99"))
    with pytest.raises(DataError, match="finding_themes.csv, line 2.*'moray-cyp-2012-99'"):
        helpers.load_finding_themes(data_copy)


def test_a_progress_review_of_an_inspection_not_in_the_data_is_refused(data_copy):
    rewrite(data_copy, "progress_reviews.csv", lambda r: r.update(programme="risk-of-harm-2020"))
    first = rows("progress_reviews.csv", data_copy)[0]
    ins = {(r["council_area"], r["programme"]) for r in rows("inspections.csv")}
    if (first["council_area"], "risk-of-harm-2020") in ins:
        pytest.skip("that area has a risk-of-harm inspection; the edit is not a bad row")
    with pytest.raises(DataError, match="progress_reviews.csv, line 2, column 'programme'"):
        helpers.load_progress_reviews(data_copy)


def test_an_ambiguous_grade_is_shown_but_never_counted():
    named = helpers.load_named_grades()
    ambiguous = named[named["basis"] == "ambiguous"]
    assert len(ambiguous)
    counted = questions.counted_grades(named)
    assert not set(counted["basis"]) & {"ambiguous"}
    for r in ambiguous.itertuples():
        grades = questions.indicator_grades(r.council_area, r.programme)
        row = grades[grades["indicator"] == r.indicator].iloc[0]
        assert row["grade"] != row["grade"]  # missing: never a counted grade
        shown = narrative.grade_shown(row["grade"], row["wording_fits"], row["open_grades"])
        assert "not counted" in shown and str(r.grade) in shown
        assert row["wording_fits"][0] == str(r.grade)
        cells = questions.named_cells(r.programme)
        mask = (cells["council_area"] == r.council_area) & (cells["indicator"] == r.indicator)
        assert not mask.any()


def test_the_profile_leads_with_the_newest_programme():
    for area in ("Moray", "Dumfries and Galloway", "Perth and Kinross"):
        newest = findings.latest_inspection(area)
        name = helpers.load_programmes().set_index("programme").loc[newest["programme"], "name"]
        assert profile.latest(area).data.startswith(f"**{profile.md(name)}**")


def test_data_text_is_escaped_in_the_profile(data_copy, monkeypatch):
    rewrite(data_copy, "findings.csv", lambda r: r.update(finding="<img src=x onerror=alert(1)>"))
    shutil.copy(DATA.parent / "datapackage.json", data_copy.parent)
    monkeypatch.setenv("HELPERS_DATA_DIR", str(data_copy.parent))  # the documented override
    area = rows("findings.csv", data_copy)[0]["council_area"]
    text = profile.latest(area).data + profile.earlier(area).data
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text
