"""helpers.quality: the data-quality checks, on the committed tables and on broken copies."""

from __future__ import annotations

import helpers
from helpers import narrative, quality, sites
from helpers.joint import questions, tables


def test_validation_report_all_pass_on_committed_data():
    report = quality.validation_report()
    # one row per table, then the four cross-table checks
    assert len(report) == len(tables.ORDER) + 4 == 14
    assert set(report["result"]) == {"passed"}
    # Real values: the tables and fields as the data package names them.
    assert report["table"].tolist()[:10] == list(tables.ORDER) and report["table"].iloc[-1] == ""
    findings = report.set_index("table").loc["findings"]
    assert findings["primary_key"] == ("finding_id",) and "inspections" in findings["refers_to"]
    # The words are layer 3's.
    checks = narrative.validation_table(report)
    assert checks.loc[0, "check"].startswith("the programmes table:")
    named = checks["check"].str.extract(r"^the (.+?) table:")[0].dropna().tolist()
    assert named[-4:] == ["themes", "finding themes", "progress reviews", "national reviews"]
    assert checks.iloc[-1]["check"] == report.iloc[-1]["rules"]
    themed = checks.loc[checks["check"].str.startswith("the finding themes table"), "detail"]
    assert themed.iloc[0] == f"{len(helpers.load_finding_themes())} rows loaded"
    assert "one row per finding id; refers to" in checks.loc[5, "check"]


def test_validation_report_names_the_failing_table_and_does_not_raise(data_copy):
    file = data_copy / "findings.csv"
    file.write_text(file.read_text("utf-8").replace(",strength,", ",strong,", 1), "utf-8")
    report = quality.validation_report(data_copy).set_index("result")
    failed = report.loc[["FAILED"]]
    assert len(failed) == 1 and failed["table"].iloc[0] == "findings"
    assert "line 2, column 'kind', value 'strong'" in failed["detail"].iloc[0]
    assert narrative.validation_sentence(report.reset_index()) == (
        "One of 10 checks failed; four were not checked, as an earlier table had failed."
    )


def test_conflicts_lists_north_lanarkshire_with_programme_count():
    c = quality.conflicts()
    assert c[["council_area", "indicators_stated", "programme_grades"]].values.tolist() == [
        ["North Lanarkshire", 10, 9]
    ]


def test_date_precision_counts_every_inspection():
    t = tables.load_all()
    assert quality.date_precision(t).to_numpy().sum() == len(t.inspections)


def test_areas_without_split_are_those_coverage_says():
    missing = set(quality.areas_without_split("cyp-2012")["council_area"])
    cov = questions.coverage()["cyp-2012"]
    assert missing == set(cov[(cov != "full split") & (cov != "")].index)


def test_sources_have_a_domain_and_counts_add_up():
    s = quality.sources()
    assert (s["domain"] != "").all()
    assert quality.domain_counts()["citations"].sum() == len(s)


def test_cited_pages_one_row_per_page_and_site_counts_add_up():
    s = quality.sources()
    pages = quality.cited_pages()
    assert len(pages) == s["source_url"].nunique()
    assert pages["source"].is_unique
    assert int(pages["facts"].sum()) == len(s)
    counts = quality.site_counts()
    assert int(counts["facts_cited"].sum()) == len(s)
    assert (
        counts.loc["Care Inspectorate", "facts_cited"]
        == (s["domain"] == "careinspectorate.com").sum()
    )


def test_copied_sites_are_those_listed_and_the_sentence_names_them():
    copies = quality.copied_sites()
    assert "careinspectoratelive2.mtcserver.com" in set(copies["site"])
    assert set(copies["copy"]) <= set(sites.COPIES.values())
    sentence = narrative.copies_sentence(copies)
    assert (
        "careinspectoratelive2.mtcserver.com is a copy of the Care Inspectorate's site" in sentence
    )


def test_date_precision_leaves_out_programmes_without_inspections():
    table = quality.date_precision()
    assert "cp-2005" not in table.index
    assert (table.sum(axis=1) > 0).all()
