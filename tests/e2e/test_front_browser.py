"""The front page's tile maps in Chromium: they pass axe, and on a phone each map lists its values
in readable text. The maps themselves are tested without a browser in
``tests/unit/test_front.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers.areas import COUNCIL_AREAS
from helpers.build import record
from helpers.build.printer import find_chromium


def _index_of_profiles(folder: Path) -> Path:
    """The index page for a placeholder profile of each of the 32 areas (the maps link them)."""
    reports = {}
    for area in COUNCIL_AREAS:
        stem = f"area-profile-{area.lower().replace(' ', '-')}"
        (folder / f"{stem}.html").write_text("x")
        reports[stem] = {"title": area, "area": area, "source": "area-profile.ipynb",
                         "html": f"{stem}.html"}  # fmt: skip
    return record.write_index(folder, {"reports": reports})


@pytest.mark.skipif(find_chromium() is None, reason="Chromium is not installed")
def test_index_with_maps_passes_axe(tmp_path):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    page_file = _index_of_profiles(tmp_path)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(find_chromium()), headless=True, args=["--no-sandbox"]
        )
        page = browser.new_page()
        page.goto(page_file.resolve().as_uri())
        violations = Axe().run(page).response["violations"]
        browser.close()
    assert not [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]


@pytest.mark.skipif(find_chromium() is None, reason="Chromium is not installed")
def test_index_on_a_phone_lists_each_maps_values_in_readable_text(tmp_path):
    """At 390 px the tiles' labels are too small to read (measured), so each map lists its 32
    values under it, at 14 px or more, and passes axe; a wide screen shows the map alone."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    page_file = _index_of_profiles(tmp_path)
    measure = """() => ({
        label: Math.max(...[...document.querySelectorAll('.tile-map text')].map(
            t => t.getBoundingClientRect().height)),
        lists: [...document.querySelectorAll('.map-list')].map(l => ({
            shown: l.getBoundingClientRect().height > 0,
            items: [...l.querySelectorAll('li')].filter(
                li => li.getBoundingClientRect().height > 0).length,
            size: parseFloat(getComputedStyle(l).fontSize),
        })),
    })"""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(find_chromium()), headless=True, args=["--no-sandbox"]
        )
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        phone.goto(page_file.resolve().as_uri())
        small = phone.evaluate(measure)
        violations = Axe().run(phone).response["violations"]
        wide = browser.new_page(viewport={"width": 1200, "height": 900})
        wide.goto(page_file.resolve().as_uri())
        large = wide.evaluate(measure)
        browser.close()
    assert small["label"] < 12  # the tiles' own labels: too small to read on a phone
    assert len(small["lists"]) == 2
    assert all(m["shown"] and m["items"] == 32 and m["size"] >= 14 for m in small["lists"])
    assert not any(m["shown"] for m in large["lists"])
    assert not [(v["id"], [n["target"] for n in v["nodes"][:3]]) for v in violations]
