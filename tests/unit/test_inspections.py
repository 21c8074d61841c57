"""The joint-inspection tables: loading, validation on load, and the questions helpers answer."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

import helpers
from helpers import paths
from helpers.joint.questions import indicator_grades
from helpers.joint.tables import load_all
from helpers.schema import DataError

DATA = paths.joint_inspections_dir()


def edit(folder: Path, name: str, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in a table, insisting that ``old`` is there."""
    file = folder / name
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {name}: the test no longer edits what it means to"
    file.write_text(text.replace(old, new, count), encoding="utf-8")


PK_ROW = "Perth and Kinross,cyp-2012,2018-04,Aug-Nov 2017,9,2,6,1,0,0,0,"


# --------------------------------------------------------------------------- the real data


def test_grades_scale_is_ordered_lowest_first():
    grades = pd.Series(["good", "excellent", "weak"], dtype=helpers.GRADES)
    assert list(helpers.GRADES.categories) == [
        "unsatisfactory",
        "weak",
        "adequate",
        "good",
        "very good",
        "excellent",
    ]
    assert grades.max() == "excellent" and grades.min() == "weak"
    assert grades.sort_values().tolist() == ["weak", "good", "excellent"]


def test_satisfactory_maps_to_adequate():
    assert helpers.grades.as_grades(["Satisfactory"]).iloc[0] == "adequate"


def test_grade_counts_perth_and_kinross_highest_first():
    counts = helpers.grade_counts("Perth and Kinross")
    assert list(counts.index) == list(helpers.HIGHEST_FIRST)
    assert counts.to_dict() == {
        "excellent": 2,
        "very good": 6,
        "good": 1,
        "adequate": 0,
        "weak": 0,
        "unsatisfactory": 0,
    }


def test_describe_grades_perth_and_kinross_gives_release_sentence():
    sentence = helpers.describe_grades(helpers.grade_counts("Perth and Kinross"))
    assert sentence == "two were graded excellent, six very good and one good"


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"good": 1}, "one was graded good"),
        ({"weak": 2, "excellent": 0, "satisfactory": 3}, "three were graded adequate and two weak"),
        ({"very_good": 12, "good": 1}, "12 were graded very good and one good"),
        ({"good": 0}, "no indicators were graded"),
        ({"good": pd.NA, "weak": 1}, "the split of grades is not known"),
    ],
)
def test_describe_grades_words_order_and_unknowns(counts, expected):
    assert helpers.describe_grades(counts) == expected


def test_describe_grades_rejects_unknown_label_and_bad_count():
    with pytest.raises(ValueError, match="'brilliant' is not a grade"):
        helpers.describe_grades({"brilliant": 1})
    with pytest.raises(ValueError, match="whole number"):
        helpers.describe_grades({"good": 1.5})


@pytest.mark.parametrize(
    "name", ["perth & kinross", "PERTH AND KINROSS", "Perth and  Kinross", " Perth & Kinross "]
)
def test_area_names_match_case_and_variants(name):
    assert helpers.grade_counts(name).name.startswith("Perth and Kinross")


@pytest.mark.parametrize(
    ("variant", "standard"),
    [
        ("Edinburgh, City of", "City of Edinburgh"),
        ("Eilean Siar", "Na h-Eileanan Siar"),
        ("Western Isles", "Na h-Eileanan Siar"),
        ("Argyll & Bute", "Argyll and Bute"),
        ("Dundee", "Dundee City"),
    ],
)
def test_standard_area_variants(variant, standard):
    assert helpers.standard_area(variant) == standard


def test_unknown_area_suggests_closest_names():
    with pytest.raises(helpers.UnknownAreaError) as err:
        helpers.grade_counts("Perth and Kinros")
    assert err.value.suggestions[0] == "Perth and Kinross"
    assert "Did you mean: Perth and Kinross" in str(err.value)
    with pytest.raises(helpers.UnknownAreaError, match="North Lanarkshire"):
        helpers.standard_area("Lanark")


def test_grade_counts_unknown_split_stays_missing():
    counts = helpers.grade_counts("Glasgow City")
    assert counts.isna().all()  # unknown, never 0
    assert helpers.describe_grades(counts) == "the split of grades is not known"


def test_grade_counts_area_without_programme_says_what_it_has():
    with pytest.raises(LookupError, match="cyp-2012"):
        helpers.grade_counts("Highland", programme="cp-2009")


def test_indicator_grades_perth_and_kinross_unknowns_not_filled_in():
    table = indicator_grades("Perth and Kinross")
    assert len(table) == 9
    named = table.dropna(subset=["grade"])
    assert sorted(named["indicator"]) == [
        "Leadership of improvement and change",
        "Planning and improving services",
    ]
    assert (named["grade"] == "excellent").all()
    unnamed = table[table["grade"].isna()]
    assert len(unnamed) == 7
    # Real values here; the words a table shows for them are layer 3's (narrative).
    assert set(unnamed["open_grades"]) == {("very good", "good")}
    assert set(helpers.narrative.grades_shown(unnamed)) == {
        "very good or good (which one is not known)"
    }
    assert set(unnamed["basis"]) == {"not found"}
    assert set(table["wording_fits"]) == {()}


def test_scotland_counts_twenty_areas_ordered_by_share():
    wide = helpers.scotland_counts()
    assert len(wide) == 20
    shares = list(zip(wide["share_very_good_or_better"], wide["share_excellent"], strict=True))
    assert shares == sorted(shares, reverse=True)
    assert (wide["total"] == wide[list(helpers.HIGHEST_FIRST)].sum(axis=1)).all()


def test_coverage_covers_all_areas_and_programmes():
    table = helpers.coverage()
    # every programme with an inspection in the data; cp-2005 is known only from its review
    assert list(table.columns) == helpers.joint.questions.inspected_programmes()
    assert table.shape == (32, 5) and "cp-2005" not in table.columns
    assert (table["cyp-2012"] == "full split").sum() == 20
    assert table.loc["Argyll and Bute", "cyp-2012"] == "some named grades"
    assert table.loc["Glasgow City", "cyp-2012"] == "inspected, grades not found"


def test_council_areas_table_matches_package_list():
    table = helpers.joint.tables.load_council_areas()
    assert tuple(table["council_area"]) == helpers.COUNCIL_AREAS
    for row in table.itertuples():
        for variant in filter(None, row.variants.split("|")):
            assert helpers.standard_area(variant) == row.council_area


# --------------------------------------------------------------------------- a change in data


def test_changed_count_changes_sentence(data_copy):
    edit(data_copy, "inspections.csv", PK_ROW, PK_ROW.replace(",9,2,6,1,", ",9,3,5,1,"))
    sentence = helpers.describe_grades(helpers.grade_counts("Perth and Kinross", path=data_copy))
    assert sentence == "three were graded excellent, five very good and one good"


# --------------------------------------------------------------------------- validation on load


def test_unknown_grade_label_names_file_line_value(data_copy):
    edit(
        data_copy,
        "named_grades.csv",
        "Leadership of improvement and change,excellent",
        "Leadership of improvement and change,brilliant",
    )
    with pytest.raises(DataError) as err:
        helpers.load_named_grades(data_copy)
    assert err.value.file.endswith("named_grades.csv")
    assert err.value.line == 3 and err.value.column == "grade" and err.value.value == "brilliant"
    assert "named_grades.csv, line 3, column 'grade', value 'brilliant'" in str(err.value)


@pytest.mark.parametrize("bad", ["-1", "1.5", "one"])
def test_count_negative_or_not_whole_raises(data_copy, bad):
    edit(data_copy, "inspections.csv", PK_ROW, PK_ROW.replace(",9,2,6,1,", f",9,2,6,{bad},"))
    with pytest.raises(DataError, match=r"line 2, column 'good', value '.+'.*whole number"):
        helpers.load_inspections(data_copy)


def test_counts_not_adding_up_raises(data_copy):
    edit(data_copy, "inspections.csv", PK_ROW, PK_ROW.replace(",9,2,6,1,", ",9,3,6,1,"))
    with pytest.raises(DataError, match="line 2.*counts add up to 10 but indicators_stated is 9"):
        helpers.load_inspections(data_copy)


def test_counts_given_in_part_raises(data_copy):
    edit(data_copy, "inspections.csv", PK_ROW, PK_ROW.replace(",1,0,0,0,", ",1,0,,0,"))
    with pytest.raises(DataError, match="column 'weak'.*blank for"):
        helpers.load_inspections(data_copy)


def test_duplicated_inspection_raises(data_copy):
    file = data_copy / "inspections.csv"
    lines = file.read_text(encoding="utf-8").splitlines()
    file.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=f"line {len(lines) + 1}.*duplicated.*first on line 2"):
        helpers.load_inspections(data_copy)


def test_named_grade_for_indicator_programme_lacks_raises(data_copy):
    edit(
        data_copy,
        "named_grades.csv",
        "Perth and Kinross,cyp-2012,Planning and improving services",
        "Perth and Kinross,cyp-2012,Impact on staff",
    )
    with pytest.raises(DataError, match="line 2, column 'indicator', value 'Impact on staff'"):
        helpers.load_named_grades(data_copy)


def test_named_grade_variant_is_renamed_to_indicator():
    # 'Assessing risks and needs' is a documented variant; the loader uses the canonical name.
    names = set(helpers.load_named_grades()["indicator"])
    indicators = set(helpers.load_indicators()["indicator"])
    assert names <= indicators


def test_more_named_grades_than_counts_raises(data_copy):
    edit(
        data_copy,
        "named_grades.csv",
        "Aberdeenshire,cyp-2012,Planning and improving services,weak",
        "Aberdeenshire,cyp-2012,Planning and improving services,adequate",
    )
    with pytest.raises(DataError, match="2 indicators named as adequate.*counts 1"):
        helpers.load_named_grades(data_copy)


def test_unknown_council_area_raises_with_suggestion(data_copy):
    edit(data_copy, "inspections.csv", "Perth and Kinross,cyp-2012", "Perth and Kinros,cyp-2012")
    with pytest.raises(DataError, match="value 'Perth and Kinros'.*closest: Perth and Kinross"):
        helpers.load_inspections(data_copy)


@pytest.mark.parametrize("bad", ["2018-13", "April 2018", "18-04-2018", "2018-02-30"])
def test_malformed_date_raises(data_copy, bad):
    edit(data_copy, "inspections.csv", PK_ROW, PK_ROW.replace(",2018-04,", f",{bad},"))
    with pytest.raises(DataError, match=f"line 2, column 'published', value '{bad}'"):
        helpers.load_inspections(data_copy)


def test_dates_keep_their_precision():
    frame = helpers.load_inspections().set_index(["council_area", "programme"])
    assert frame.loc[("Perth and Kinross", "cyp-2012"), "published_precision"] == "month"
    assert frame.loc[("Fife", "cyp-2012"), "published_precision"] == "day"
    assert frame.loc[("Inverclyde", "cyp-2012"), "published_precision"] == "year"
    assert frame.loc[("Glasgow City", "cyp-2012"), "published_precision"] == "unknown"


def test_missing_column_raises(data_copy):
    file = data_copy / "inspections.csv"
    frame = pd.read_csv(file, dtype=str, keep_default_na=False).drop(columns="weak")
    frame.to_csv(file, index=False)
    with pytest.raises(DataError, match=r"missing column\(s\) \['weak'\]"):
        helpers.load_inspections(data_copy)


def test_file_not_utf8_raises(data_copy):
    file = data_copy / "named_grades.csv"
    text = file.read_text(encoding="utf-8").replace("by judgement", "by judgement \u2019")
    file.write_bytes(text.encode("cp1252"))
    with pytest.raises(DataError, match="named_grades.csv, line .*not UTF-8"):
        helpers.load_named_grades(data_copy)


def test_ragged_row_raises(data_copy):
    file = data_copy / "findings.csv"
    text = file.read_text(encoding="utf-8")
    file.write_text(text + "fife-cyp-2012-99,Fife,cyp-2012,strength\n", "utf-8")
    line = text.count("\n") + 1
    header = text.split("\n", 1)[0].count(",") + 1
    assert header == 6  # finding_id, council_area, programme, kind, finding, source_url
    with pytest.raises(DataError, match=f"line {line}: has 4 fields where the header has 6"):
        helpers.load_findings(data_copy)


def test_north_lanarkshire_conflict_is_flagged_not_hidden():
    frame = helpers.load_inspections()
    flagged = frame[frame["conflict"] == "indicator-count"]
    assert flagged[["council_area", "programme"]].values.tolist() == [
        ["North Lanarkshire", "cyp-2012"]
    ]
    assert int(flagged["indicators_stated"].iloc[0]) == 10  # kept as published
    assert "North Lanarkshire" in helpers.scotland_counts().index  # not dropped


def test_north_lanarkshire_without_flag_raises(data_copy):
    edit(data_copy, "inspections.csv", ",indicator-count,", ",,")
    with pytest.raises(
        DataError, match="line 6, column 'indicators_stated', value '10'.*grades 9 indicators"
    ):
        helpers.load_inspections(data_copy)


def test_conflict_flag_on_a_consistent_row_raises(data_copy):
    edit(data_copy, "inspections.csv", PK_ROW, PK_ROW.replace(",0,0,0,", ",0,0,0,indicator-count"))
    with pytest.raises(DataError, match="line 2, column 'conflict'"):
        helpers.load_inspections(data_copy)


def test_unknown_programme_lists_the_programmes():
    with pytest.raises(LookupError, match=r"Unknown programme 'cyp-2099'.*'cp-2009', 'cyp-2012'"):
        helpers.grade_counts("Glasgow City", programme="cyp-2099")


def test_finding_for_programme_not_inspected_raises(data_copy):
    old = "Perth and Kinross,cyp-2012,strength"
    text = (data_copy / "findings.csv").read_text(encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1  # the first Perth and Kinross finding
    edit(data_copy, "findings.csv", old, "Perth and Kinross,cyp-2021,strength")
    with pytest.raises(DataError, match=f"line {line}, column 'programme', value 'cyp-2021'"):
        helpers.load_findings(data_copy)


def test_counts_without_source_raise(data_copy):
    file = data_copy / "inspections.csv"
    frame = pd.read_csv(file, dtype=str, keep_default_na=False)
    frame.loc[1, "source_url"] = ""  # East Ayrshire, line 3: counts, but no source
    frame.to_csv(file, index=False)
    with pytest.raises(DataError, match="line 3, column 'source_url', value ''.*public page"):
        helpers.load_inspections(data_copy)


@pytest.mark.parametrize("bad", ["6", "Excellent", "satisfactory"])
def test_named_grade_must_be_a_label_of_its_programme(data_copy, bad):
    edit(
        data_copy,
        "named_grades.csv",
        "Moray,risk-of-harm-2020,Impact on children and young people,adequate",
        f"Moray,risk-of-harm-2020,Impact on children and young people,{bad}",
    )
    with pytest.raises(DataError, match=f"column 'grade', value '{bad}'"):
        helpers.load_named_grades(data_copy)


def test_satisfactory_is_adequate_in_the_programme_that_used_it(data_copy):
    with (data_copy / "named_grades.csv").open("a", encoding="utf-8") as f:
        f.write(
            "Aberdeen City,cp-2009,Improvements in performance,satisfactory,,stated,"
            "https://example.org/aberdeen,\n"
        )
    named = helpers.load_named_grades(data_copy)
    assert named.iloc[-1]["grade"] == "adequate"


# --------------------------------------------------------------------------- one inspection


def test_inspection_facts_say_published_as_precisely_as_known():
    row = helpers.joint.questions.inspection("Perth and Kinross", "cyp-2012")
    facts = helpers.narrative.inspection_facts(row)["value"]
    assert facts["published"] == "April 2018"
    assert facts["quality indicators graded"] == "nine"


def test_findings_table_orders_by_the_kinds_asked_for():
    table = helpers.joint.findings.findings_table(
        "Perth and Kinross", kinds=("to improve", "strength")
    )
    kinds = table["kind"].tolist()
    assert kinds == sorted(kinds, key=["to improve", "strength"].index)
    assert set(kinds) == {"to improve", "strength"}


def test_questions_take_loaded_tables_as_well_as_a_folder(data_copy):
    edit(data_copy, "inspections.csv", PK_ROW, PK_ROW.replace(",9,2,6,1,", ",9,3,5,1,"))
    t = load_all(data_copy)
    assert helpers.grade_counts("Perth and Kinross", path=t)["excellent"] == 3
    assert helpers.scotland_counts(path=t).loc["Perth and Kinross", "excellent"] == 3


def test_area_against_the_other_areas_adds_every_other_known_split():
    questions = helpers.joint.questions
    table = questions.area_against_scotland("Perth and Kinross", "cyp-2012")
    wide = helpers.scotland_counts().drop(index="Perth and Kinross")
    others = table[questions.OTHERS]
    assert others["indicators"].tolist() == wide[list(helpers.HIGHEST_FIRST)].sum().tolist()
    assert table.attrs["others"] == len(wide)
    own = table["Perth and Kinross"]
    assert own["indicators"].tolist() == [2, 6, 1, 0, 0, 0]  # the 2017 release: 2, 6, 1
    assert own["share"].round(2).tolist() == [0.22, 0.67, 0.11, 0, 0, 0]  # fractions, not words
    assert list(table.columns.get_level_values("place").unique()) == [
        "Perth and Kinross",
        questions.OTHERS,
    ]


def test_area_sources_are_unique_and_start_with_the_inspection():
    urls = helpers.joint.questions.area_sources("Perth and Kinross")
    assert len(urls) == len(set(urls))
    assert urls[0].startswith("https://www.careinspectorate.com/")


def test_named_cells_and_indicator_order_for_a_programme():
    cells = helpers.joint.questions.named_cells("cyp-2012")
    order = helpers.joint.questions.indicator_order("cyp-2012")
    assert len(order) == 9 and set(cells["indicator"]) <= set(order)
    assert cells["grade"].map(type).eq(str).all()


# --------------------------------------------------------------------------- one stamp per cache


def _rewrite_keeping_size_and_mtime(file: Path, old: str, new: str) -> None:
    """What ``cp -p`` or ``rsync -a`` can do: new bytes, same size, the old mtime put back."""
    assert len(old) == len(new)
    before = file.stat()
    edit(file.parent, file.name, old, new)
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = file.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_tables_see_an_edit_that_keeps_size_and_mtime(data_copy):
    first = helpers.joint.tables.tables(data_copy)
    assert helpers.joint.tables.tables(data_copy) is first  # cached
    assert helpers.grade_counts("Perth and Kinross", path=first)["excellent"] == 2
    _rewrite_keeping_size_and_mtime(
        data_copy / "inspections.csv", PK_ROW, PK_ROW.replace(",9,2,6,1,", ",9,3,5,1,")
    )
    again = helpers.joint.tables.tables(data_copy)
    assert again is not first
    assert helpers.grade_counts("Perth and Kinross", path=again)["excellent"] == 3


def test_tables_see_a_table_removed_and_keep_nothing_that_failed(data_copy):
    good = helpers.joint.tables.tables(data_copy)
    (data_copy / "findings.csv").unlink()
    with pytest.raises(DataError, match="findings.csv"):
        helpers.joint.tables.tables(data_copy)
    with pytest.raises(DataError, match="findings.csv"):
        helpers.joint.tables.tables(data_copy)  # not the tables read before
    assert len(good.findings) > 0


def test_programme_names_follow_an_edit_of_programmes_csv(tmp_path, monkeypatch):
    data = Path(shutil.copytree(paths.data_dir(), tmp_path / "data", ignore=_no_datastore))
    monkeypatch.setenv("HELPERS_DATA_DIR", str(data))
    before = helpers.labels.programme_name("cyp-2012")
    assert before != "cyp-2012"
    file = data / "joint-inspections" / "programmes.csv"
    changed = before[:-1] + ("X" if before[-1] != "X" else "Y")
    assert file.read_text(encoding="utf-8").count(before) == 1
    _rewrite_keeping_size_and_mtime(file, before, changed)
    assert helpers.labels.programme_name("cyp-2012") == changed


def _no_datastore(folder: str, names: list[str]) -> list[str]:
    return ["datastore"] if Path(folder).name == "data" else []
