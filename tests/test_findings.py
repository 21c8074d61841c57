"""Findings, themes, progress and national reviews: loaders refuse bad rows (file, line, value),
06's counts agree with a plain count of the committed CSVs, and profiles show every finding."""

from __future__ import annotations

import csv
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

import helpers
from helpers import narrative, paths, profile
from helpers.joint import findings, questions, tables
from helpers.schema import DataError

DATA = paths.joint_inspections_dir()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "joint-inspections"
    shutil.copytree(DATA, folder)
    return folder


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


def test_theme_counts_agree_with_a_plain_count_of_the_csvs():
    """Areas per programme, theme and kind, counted with the csv module alone."""
    kinds = {r["finding_id"]: r for r in rows("findings.csv")}
    plain: dict[tuple, set] = defaultdict(set)
    for tag in rows("finding_themes.csv"):
        f = kinds[tag["finding_id"]]
        if f["kind"] in ("strength", "to improve"):
            plain[(f["programme"], tag["theme"], f["kind"])].add(f["council_area"])
    table = findings.theme_counts()
    assert len(table) > 0
    for r in table.itertuples():
        assert r.strength == len(plain[(r.programme, r.theme, "strength")]), r
        assert r.to_improve == len(plain[(r.programme, r.theme, "to improve")]), r
    shown = {(r.programme, r.theme) for r in table.itertuples()}
    assert {(p, t) for p, t, _ in plain} <= shown


def test_notes_coverage_agrees_with_a_plain_count():
    found = rows("findings.csv")
    areas = {r["council_area"] for r in found}
    assert findings.areas_without_findings() == sorted(set(helpers.COUNCIL_AREAS) - areas)
    cov = findings.notes_coverage()
    for programme, r in cov.iterrows():
        judged = {
            f["council_area"]
            for f in found
            if f["programme"] == programme and f["kind"] in ("strength", "to improve")
        }
        assert r["with_judgements"] == len(judged)


def test_perth_and_kinross_2017_is_placed_among_areas_told_the_same():
    from helpers import what_found

    kinds = {r["finding_id"]: r for r in rows("findings.csv")}
    own, others = set(), defaultdict(set)
    for tag in rows("finding_themes.csv"):
        f = kinds[tag["finding_id"]]
        if f["kind"] != "to improve":
            continue
        if (f["council_area"], f["programme"]) == ("Perth and Kinross", "cyp-2012"):
            own.add(tag["theme"])
        else:
            others[tag["theme"]].add(f["council_area"])
    text = what_found.placed().data
    assert own
    # its own grades are said to be its own, not the last area's named before them
    assert "Perth and Kinross's own grades in its 2012-2017 inspection: of nine" in text
    for theme in own:
        for area in others[theme]:
            assert area in text


def test_every_profile_shows_every_finding_of_its_area():
    """All 32 areas: each finding's text (escaped as the profile writes it) is in the profile's
    latest and earlier sections, and so is each progress review; a finding of kind 'progress
    review' from the page of a progress review is that review's fact, told once by it."""
    reviews = defaultdict(list)
    reviewed = set()  # a return visit told by a progress review of the same page and programme
    for r in rows("progress_reviews.csv"):
        reviews[r["council_area"]].append(r["summary"])
        reviewed.add((r["council_area"], r["programme"], r["source_url"]))
    by_area = defaultdict(list)
    told = 0
    for r in rows("findings.csv"):
        key = (r["council_area"], r["programme"], r["source_url"])
        if r["kind"] == "progress review" and key in reviewed:
            told += 1  # shown once, as the review's dated summary (checked below)
            continue
        by_area[r["council_area"]].append(r["finding"])
    assert told >= 9  # every return-visit finding in the data has its review
    for area in helpers.COUNCIL_AREAS:
        text = profile.latest(area).data + profile.earlier(area).data
        for finding in by_area[area] + reviews[area]:
            assert profile.md(finding) in text, (area, finding)


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


def test_06_key_points_match_a_plain_count_of_the_tables():
    """06's key points: the theme most often named as a strength, with its inspections and areas
    counted from findings.csv and finding_themes.csv with the csv module; the areas reached; and
    Perth and Kinross's things to improve with the others told the same."""
    import re

    finding = {r["finding_id"]: r for r in rows("findings.csv")}
    names = {r["theme"]: r["name"] for r in rows("themes.csv")}
    seen = defaultdict(set)
    for r in rows("finding_themes.csv"):
        f = finding[r["finding_id"]]
        if f["kind"] == "strength":
            seen[names[r["theme"]]].add((f["council_area"], f["programme"]))
    most = max(len(v) for v in seen.values())
    top = [t for t, v in seen.items() if len(v) == most]
    from helpers import what_found

    points = what_found.key_points().sentences
    assert 3 <= len(points) <= 6
    strength = next(p for p in points if "as a strength" in p)
    for theme in top:
        areas = len({a for a, _ in seen[theme]})
        assert theme[:1].lower() + theme[1:] in strength
        assert f"{most} inspections" in strength and re.search(rf"\b{areas}\b", strength)
    reached = {r["council_area"] for r in rows("findings.csv")}
    assert f"reach {len(reached)} of 32 council areas" in " ".join(points)
    placed = points[-1]
    assert placed.startswith("Of Perth and Kinross's things to improve")
    for area in ("North Lanarkshire", "Scottish Borders", "Moray"):
        assert area in placed


@pytest.mark.slow
def test_bad_findings_row_stops_the_build_and_keeps_the_built_report(tmp_path):
    """A findings row with an unknown theme: the build says which file, line and value, exits
    non-zero, and the report built before from good data is left as it was."""
    import os
    import subprocess
    import sys

    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data)
    out = tmp_path / "reports"
    env = {**os.environ, "HELPERS_DATA_DIR": str(data), "MPLBACKEND": "Agg"}

    def build() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "helpers.build", "--only", "06-what-inspectors-found",
             "--out", str(out), "--no-pdf", "--force"],
            capture_output=True, text=True, env=env, timeout=600, check=False,
        )  # fmt: skip

    good = build()
    assert good.returncode == 0, good.stdout[-2000:] + good.stderr[-2000:]
    page = out / "06-what-inspectors-found.html"
    before = page.read_bytes()
    tags = data / "joint-inspections" / "finding_themes.csv"
    lines = tags.read_text(encoding="utf-8").splitlines()
    fid = lines[1].split(",")[0]
    tags.write_text("\n".join([lines[0], f"{fid},no-such-theme", *lines[2:]]) + "\n", "utf-8")
    bad = build()
    said = bad.stdout + bad.stderr
    assert bad.returncode != 0
    assert "finding_themes.csv" in said and "line 2" in said and "no-such-theme" in said, said
    assert page.read_bytes() == before
    assert not list(out.glob("*.tmp*")) and not list(out.glob(".*.tmp*"))
