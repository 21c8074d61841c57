"""Readers' words: one mapping for headers and programme names."""

from __future__ import annotations

import pandas as pd

from helpers import narrative, quality
from helpers.labels import column_label, programme_name, readable


def test_programme_ids_become_names_and_other_text_stays():
    assert programme_name("cp-2009") == "child protection, 2009-2012"
    assert programme_name("Perth and Kinross") == "Perth and Kinross"


def test_readable_renames_headers_index_and_programme_cells():
    table = pd.DataFrame(
        {"programme": ["cyp-2012"], "council_area": ["Fife"], "source_url": ["https://x"]}
    ).set_index("council_area")
    out = readable(table)
    assert list(out.columns) == ["programme", "source"]
    assert out.index.name == "council area"
    assert out["programme"].tolist() == ["children and young people, 2012-2017"]
    assert table["programme"].tolist() == ["cyp-2012"]  # the original is not changed


def test_no_raw_field_name_reaches_a_reader_table():
    for table in (quality.conflicts(), quality.imprecise_dates(), quality.sources()):
        headers = [column_label(c) for c in table.columns]
        assert not [h for h in headers if "_" in h], headers


def test_sources_sentence_counts_findings_and_says_which_inspections_cite_nothing():
    sources, uncited = quality.sources(), quality.uncited_inspections()
    assert "finding" in set(sources["cited_for"])
    assert len(uncited) > 0 and (uncited["published"].astype(str) != "").sum() > 0
    text = narrative.sources_sentence(sources, uncited)
    assert (
        f"cite a source {len(sources)} times" in text.replace("ninety-four", "94")
        or str(len(sources)) in text
    )
    assert "cite no page" in text
