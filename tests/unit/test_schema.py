"""The schema in data/datapackage.json drives the loaders: faults found by injecting them.

Each test breaks one committed table in a copy and checks the error names the file, the line,
the column and the value.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import helpers
from helpers import paths, schema
from helpers.joint.tables import load_all
from helpers.schema import DataError

DATA = paths.joint_inspections_dir()
PK_ROW = "Perth and Kinross,cyp-2012,2018-04,Aug-Nov 2017,9,2,6,1,0,0,0,"


def header_only(folder: Path, name: str) -> None:
    file = folder / name
    file.write_text(file.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


def test_resources_are_the_ten_joint_inspection_tables():
    assert list(schema.resources()) == [
        "programmes",
        "indicators",
        "council_areas",
        "inspections",
        "named_grades",
        "findings",
        "themes",
        "finding_themes",
        "progress_reviews",
        "national_reviews",
    ]
    assert schema.resources()["findings"].primary_key == ("finding_id",)
    assert schema.resources()["named_grades"].primary_key == (
        "council_area",
        "programme",
        "indicator",
    )


@pytest.mark.parametrize("name", ["inspections.csv", "named_grades.csv"])
def test_header_only_table_names_file_and_line_not_key_error(data_copy, name):
    header_only(data_copy, name)
    with pytest.raises(DataError) as err:
        load_all(data_copy)
    assert Path(err.value.file).name == name
    assert (err.value.line, err.value.column, err.value.value) == (2, None, None)
    assert "header but no rows" in str(err.value)


def test_duplicated_finding_names_file_line_column_value(data_copy):
    file = data_copy / "findings.csv"
    lines = file.read_text(encoding="utf-8").splitlines()
    file.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    finding_id = lines[1].split(",")[0]
    with pytest.raises(DataError) as err:
        helpers.load_findings(data_copy)
    assert Path(err.value.file).name == "findings.csv"
    assert err.value.line == len(lines) + 1
    assert (err.value.column, err.value.value) == ("finding_id", finding_id)
    assert "first on line 2" in str(err.value)


def test_same_finding_under_a_new_id_names_file_line_column_value(data_copy):
    import csv

    file = data_copy / "findings.csv"
    with file.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    copy = {**rows[0], "finding_id": rows[0]["finding_id"][:-2] + "99"}
    copy["finding"] = copy["finding"].upper()  # compared ignoring case
    with file.open("a", newline="", encoding="utf-8") as f:
        csv.DictWriter(f, list(copy), lineterminator="\n").writerow(copy)
    with pytest.raises(DataError) as err:
        helpers.load_findings(data_copy)
    assert Path(err.value.file).name == "findings.csv"
    assert (err.value.line, err.value.column) == (len(rows) + 2, "finding")
    assert err.value.value == copy["finding"]
    assert "on line 2" in str(err.value)


@pytest.mark.parametrize(("bad", "column"), [("1e3", "good"), ("1_0", "good"), ("1.0", "good")])
def test_count_not_written_as_digits_is_blamed_on_its_own_cell(data_copy, bad, column):
    file = data_copy / "inspections.csv"
    text = file.read_text(encoding="utf-8")
    assert PK_ROW in text
    file.write_text(text.replace(PK_ROW, PK_ROW.replace(",9,2,6,1,", f",9,2,6,{bad},")), "utf-8")
    with pytest.raises(DataError) as err:
        helpers.load_inspections(data_copy)
    assert Path(err.value.file).name == "inspections.csv"
    assert (err.value.line, err.value.column, err.value.value) == (2, column, bad)
    assert "whole number" in str(err.value)


def test_stated_count_1_0_is_not_read_as_ten(data_copy):
    file = data_copy / "programmes.csv"
    text = file.read_text(encoding="utf-8")
    assert ",2012-2017,9," in text
    file.write_text(text.replace(",2012-2017,9,", ",2012-2017,1_0,"), encoding="utf-8")
    with pytest.raises(DataError) as err:
        helpers.load_programmes(data_copy)
    line = text[: text.index(",2012-2017,9,")].count("\n") + 1  # the cyp-2012 row
    assert (err.value.line, err.value.column, err.value.value) == (line, "indicators_graded", "1_0")


def test_value_outside_enum_names_the_allowed_values(data_copy):
    file = data_copy / "findings.csv"
    text = file.read_text(encoding="utf-8")
    assert ",cyp-2012,strength," in text
    line = text[: text.index(",cyp-2012,strength,")].count("\n") + 1
    file.write_text(text.replace(",cyp-2012,strength,", ",cyp-2012,strong point,", 1), "utf-8")
    match = rf"line {line}, column 'kind', value 'strong point'.*method"
    with pytest.raises(DataError, match=match):
        helpers.load_findings(data_copy)


def test_load_all_reads_each_file_once(data_copy, monkeypatch):
    reads: list[str] = []
    original = schema.read_table

    def counting(file, resource):
        reads.append(Path(file).name)
        return original(file, resource)

    monkeypatch.setattr(schema, "read_table", counting)
    load_all(data_copy)
    assert sorted(reads) == sorted(p.name for p in data_copy.glob("*.csv"))


def _add_column(file: Path, name: str, value: str) -> None:
    """Append a column to every line of a table (none of its lines spans two)."""
    lines = file.read_text(encoding="utf-8").splitlines()
    out = [f"{lines[0]},{name}", *(f"{line},{value}" for line in lines[1:])]
    file.write_text("\n".join(out) + "\n", encoding="utf-8")


def test_duplicated_header_column_is_refused_not_read_over_the_first(data_copy):
    """A second 'published' column would replace every date (pandas keeps the last)."""
    _add_column(data_copy / "inspections.csv", "published", "1999")
    with pytest.raises(DataError) as err:
        load_all(data_copy)
    assert Path(err.value.file).name == "inspections.csv"
    assert (err.value.line, err.value.column) == (1, "published")
    assert "names this column twice (fields 3 and 16)" in str(err.value)


@pytest.mark.parametrize("name", ["programmes.csv", "findings.csv", "named_grades.csv"])
def test_unknown_extra_column_is_refused_in_any_table(data_copy, name):
    _add_column(data_copy / name, "rating", "")
    with pytest.raises(DataError) as err:
        load_all(data_copy)
    assert Path(err.value.file).name == name
    assert (err.value.line, err.value.column) == (1, "rating")
    assert "unknown column(s) ['rating']" in str(err.value)
    assert "datapackage.json" in str(err.value)


@pytest.mark.parametrize(
    ("char", "shown"),
    [
        ("\x00", r"\x00"),  # NUL
        ("\x1b", r"\x1b"),  # escape
        ("\x7f", r"\x7f"),  # DEL
        ("\x85", r"\x85"),  # a C1 control (next line)
        ("\u202e", r"\u202e"),  # right-to-left override
        ("\u2067", r"\u2067"),  # right-to-left isolate
        ("\u200f", r"\u200f"),  # right-to-left mark
        ("\u061c", r"\u061c"),  # Arabic letter mark
        ("\u200b", r"\u200b"),  # zero-width space
        ("\u200c", r"\u200c"),  # zero-width non-joiner
        ("\u200d", r"\u200d"),  # zero-width joiner
        ("\u2060", r"\u2060"),  # word joiner
        ("\ufeff", r"\ufeff"),  # a byte-order mark inside a cell
        ("\u2028", r"\u2028"),  # line separator
        ("\u2029", r"\u2029"),  # paragraph separator
    ],
)
def test_control_character_in_text_is_refused_naming_line_column_and_value(data_copy, char, shown):
    file = data_copy / "inspections.csv"
    text = file.read_text(encoding="utf-8")
    note = "Report cover is dated April 2018"
    assert note in text
    file.write_text(text.replace(note, f"Report cover{char} is dated April 2018"), "utf-8")
    with pytest.raises(DataError) as err:
        load_all(data_copy)
    assert Path(err.value.file).name == "inspections.csv"
    assert (err.value.line, err.value.column) == (2, "note")
    assert char in err.value.value
    assert f"Report cover{shown} is dated" in str(err.value)  # shown escaped, not as itself
    assert char not in str(err.value)
    assert f"U+{ord(char):04X}" in str(err.value)


def test_tabs_and_line_breaks_in_quoted_text_are_kept(data_copy):
    file = data_copy / "inspections.csv"
    with open(file, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    text = "Report cover is dated April 2018;\tan NHS\r\nTayside release\nof 18 April 2018"
    rows[1][rows[0].index("note")] = text
    with open(file, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    frame = helpers.load_inspections(data_copy)
    assert frame.loc[0, "note"] == text


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ("https://a.example.org/1 ; www.b.example.org/2", "address 2 of 2, 'www.b.example.org/2'"),
        ("https://a.example.org/1 ;  ; https://b.example.org/2", "address 2 of 3, ''"),
        ("https://a.example.org/1;https://b.example.org/2", "address 1 of 1"),
    ],
)
def test_each_corroborating_address_is_checked(data_copy, cell, says):
    """corroborated_by holds several addresses separated by ' ; '; a bad one is named."""
    import csv

    file = data_copy / "inspections.csv"
    with file.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    line = next(i for i, r in enumerate(rows, 2) if " ; " in r["corroborated_by"])
    rows[line - 2]["corroborated_by"] = cell
    with file.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    with pytest.raises(DataError) as err:
        helpers.load_inspections(data_copy)
    assert Path(err.value.file).name == "inspections.csv"
    assert (err.value.line, err.value.column, err.value.value) == (line, "corroborated_by", cell)
    assert says in str(err.value) and "' ; '" in str(err.value)


def test_several_corroborating_pages_are_each_a_source():
    from helpers import quality
    from helpers.joint import questions

    ins = helpers.load_inspections()
    several = ins[ins["corroborated_by"].str.contains(" ; ")]
    assert set(several["council_area"]) >= {"Highland", "Scottish Borders", "Fife"}
    cited = quality.sources()
    for row in several.itertuples():
        pages = schema.split_cell(row.corroborated_by)
        assert len(pages) >= 2
        assert set(pages) <= set(questions.area_sources(row.council_area))
        mine = cited[(cited["council_area"] == row.council_area)
                     & (cited["programme"] == row.programme)
                     & (cited["cited_for"] == "corroboration")]  # fmt: skip
        assert mine["source_url"].tolist() == pages


def test_a_trailing_line_feed_is_no_part_of_a_whole_number_or_an_address():
    """A whole number or an address is matched whole: '1\\n' is not 1, and an address ending in a
    line feed is not an address (``$`` would let both through)."""
    file = DATA / "inspections.csv"
    resource = schema.resources()["inspections"]
    rows = schema.read_table(file, resource).to_dict("records")
    assert schema.whole(file, {**rows[0], "good": "1"}, "good") == 1
    with pytest.raises(DataError, match="whole number") as err:
        schema.whole(file, {**rows[0], "good": "1\n"}, "good")
    assert (err.value.line, err.value.column, err.value.value) == (2, "good", "1\n")
    schema.check_cells(file, rows, resource)  # as committed: every address passes
    value = rows[0]["source_url"] + "\n"
    with pytest.raises(DataError, match="expected an http or https address") as err:
        schema.check_cells(file, [{**rows[0], "source_url": value}], resource)
    assert (err.value.line, err.value.column, err.value.value) == (2, "source_url", value)
