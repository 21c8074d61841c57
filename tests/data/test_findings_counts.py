"""The committed findings, themes and progress reviews as readers get them: 06's counts and key
points agree with a plain count of the CSVs (the csv module alone), and every area's profile
shows every finding and progress review of that area. The loaders' refusals are tested on
broken copies in ``tests/unit/test_findings.py``."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import helpers
from helpers import paths, profile
from helpers.joint import findings

DATA = paths.joint_inspections_dir()


def rows(name: str, folder: Path = DATA) -> list[dict]:
    with open(folder / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


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
