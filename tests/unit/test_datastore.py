"""Tests of helpers.datastore on real snapshots and on small files built from them.

By default the real snapshots are the committed fixtures (``tests/fixtures/datastore``: real rows
of 17 snapshots that between them hold every column of the 39); ``make check-snapshots`` runs the
same tests on a full folder (``HELPERS_TEST_SNAPSHOTS``). The files are counted here
independently, with the csv module, and the loader must account for every non-empty row and
every non-empty grade cell.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.areas import COUNCIL_AREAS, OUTSIDE_SCOTLAND
from helpers.datastore import (
    DatastoreError,
    NoSnapshotsError,
    UnknownColumnError,
    grade_measure,
    history,
    read_snapshot,
    snapshot_date_from_name,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "datastore"
DATASTORE = Path(os.environ.get("HELPERS_TEST_SNAPSHOTS") or FIXTURES)
REAL = sorted(DATASTORE.glob("datastore_*.csv.gz"))

# Independent of the loader's rules: what a grade cell is, by its column's name.
GRADE_COLUMN = re.compile(r"^(old_)?(quality_of_|kq_|comb_eval_)", re.I)


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    # As published: Windows-1252 (the few UTF-8 cells of real files do not touch these tests).
    with gzip.open(path, "rt", encoding="cp1252", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        return header, list(reader)


def _count(path: Path) -> dict[str, int]:
    """Non-empty rows, distinct non-empty rows and their non-empty grade cells."""
    with gzip.open(path, "rt", encoding="cp1252", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        grade_idx = [
            i for i, c in enumerate(header) if GRADE_COLUMN.match(c) and not c.endswith("_change")
        ]
        rows = distinct = cells = 0
        seen: set[int] = set()
        for row in reader:
            if not "".join(row).strip():
                continue
            rows += 1
            key = hash(tuple(row))
            if key in seen:
                continue
            seen.add(key)
            distinct += 1
            cells += sum(1 for i in grade_idx if row[i].strip())
    return {"rows": rows, "distinct": distinct, "grade_cells": cells}


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    """HELPERS_BUILD_DIR in a temporary folder for this module (the cache goes there)."""
    path = tmp_path_factory.mktemp("build")
    old = os.environ.get("HELPERS_BUILD_DIR")
    os.environ["HELPERS_BUILD_DIR"] = str(path)
    yield path
    if old is None:
        os.environ.pop("HELPERS_BUILD_DIR", None)
    else:
        os.environ["HELPERS_BUILD_DIR"] = old


@pytest.fixture(scope="module")
def real_history(build_dir):
    assert REAL, f"no datastore snapshots in {DATASTORE}"
    return history(DATASTORE)


@pytest.fixture(scope="module")
def real_counts():
    return {p.name: _count(p) for p in REAL}


# --- small files built from a real snapshot ------------------------------------------------


@pytest.fixture(scope="module")
def sample() -> tuple[list[str], list[list[str]]]:
    """Header and real rows of a 2017 snapshot (quality themes) with a non-ASCII name."""
    header, rows = _rows(FIXTURES / "datastore_2017-09-30.csv.gz")
    rows = [list(r) for r in rows if "".join(r).strip()]
    assert len(rows) >= 20
    rows[0][header.index("ServiceName")] = "Crèche Café – Bàgh a' Chaisteil"
    return header, rows


def _write(path: Path, header, rows, gz: bool | None = None) -> Path:
    gz = path.name.endswith(".gz") if gz is None else gz
    opener = gzip.open if gz else open
    with opener(path, "wt", encoding="cp1252", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _set(header, rows, row, column, value):
    rows = [list(r) for r in rows]
    rows[row][header.index(column)] = value
    return rows


# --- the real snapshots --------------------------------------------------------------------


def test_history_loads_every_snapshot_with_its_date(real_history):
    files = real_history.files
    assert list(files["file"]) == [p.name for p in REAL]
    assert list(files["snapshot_date"].dt.strftime("%Y-%m-%d")) == [p.name[10:20] for p in REAL]
    assert set(real_history.services["snapshot_date"].unique()) == set(files["snapshot_date"])


def test_history_services_equal_csv_distinct_nonempty_rows(real_history, real_counts):
    by_date = real_history.services.groupby("snapshot_date").size()
    repeated = real_history.problems.query("problem == 'repeated row'").groupby("file").size()
    for name, counts in real_counts.items():
        date = pd.Timestamp(snapshot_date_from_name(name))
        assert by_date[date] == counts["distinct"], name
        # Every non-empty row is a service, or an exact repeat reported as a problem.
        assert counts["rows"] - counts["distinct"] == repeated.get(name, 0), name


def test_history_grades_equal_csv_nonempty_grade_cells(real_history, real_counts):
    by_date = real_history.grades.groupby("snapshot_date").size()
    for name, counts in real_counts.items():
        date = pd.Timestamp(snapshot_date_from_name(name))
        assert by_date.get(date, 0) == counts["grade_cells"], name


def test_history_service_ids_unique_within_each_snapshot(real_history):
    duplicated = real_history.services.duplicated(["snapshot_date", "service_id"])
    assert not duplicated.any()
    assert real_history.services["service_id"].notna().all()


def test_history_council_areas_standard_or_reported(real_history):
    services = real_history.services
    allowed = {*COUNCIL_AREAS, OUTSIDE_SCOTLAND}
    assert set(services["council_area"].dropna().unique()) <= allowed
    missing = services[services["council_area"].isna()]
    reported = real_history.problems.query("column == 'council_area'")
    assert len(missing) == len(reported)
    assert set(missing["service_id"].astype(str)) == set(reported["service_id"])


def test_history_grades_are_ordered_and_frameworks_known(real_history):
    grades = real_history.grades
    assert grades["grade"].cat.ordered
    assert grades["grade"].notna().all()
    frameworks = set(grades["framework"].unique())
    assert {"quality theme", "key question", "combined evaluation"} <= frameworks


# --- errors and problems, on files built from a real one ------------------------------------


def test_read_snapshot_unmapped_area_is_kept_and_reported(tmp_path, sample):
    header, rows = sample
    rows = _set(header, rows, 3, "Council_Area_Name", "Atlantis")
    snap = read_snapshot(_write(tmp_path / "datastore_2017-12-31.csv", header, rows))
    sid = rows[3][header.index("CSNumber")]
    assert len(snap.services) == len(sample[1])
    row = snap.services.set_index("service_id").loc[sid]
    assert pd.isna(row["council_area"])
    problem = snap.problems.query("column == 'council_area'")
    assert problem[["file", "service_id", "value", "record"]].values.tolist() == [
        ["datastore_2017-12-31.csv", sid, "Atlantis", 4]
    ]


def _with_column(tmp_path, sample, column: str, value: str) -> Path:
    """The sample written with one more column, ``value`` in every row."""
    header, rows = sample
    return _write(
        tmp_path / "datastore_2017-12-31.csv", [*header, column], [[*r, value] for r in rows]
    )


def _plain(tmp_path, sample):
    (tmp_path / "plain").mkdir(exist_ok=True)
    return read_snapshot(_write(tmp_path / "plain" / "datastore_2017-12-31.csv", *sample))


@pytest.mark.parametrize(
    "column",
    ["Brand_New_Column", "Service Contact e-mail", "Publication_Month", "any_requirements_25"],
)
def test_read_snapshot_new_non_grade_column_does_not_stop_the_read(tmp_path, sample, column):
    """A column a new month adds is ignored: reported if no rule knows it, silently if one does."""
    header, rows = sample
    path = _write(
        tmp_path / "datastore_2017-12-31.csv", [*header, column], [[*r, "x"] for r in rows]
    )
    snap = read_snapshot(path)
    plain = _plain(tmp_path, sample)
    pd.testing.assert_frame_equal(snap.services, plain.services)
    pd.testing.assert_frame_equal(snap.grades, plain.grades)
    reported = snap.problems.query("column == @column")
    if column == "Brand_New_Column":
        assert reported[["file", "problem"]].values.tolist() == [
            ["datastore_2017-12-31.csv", "column no rule knows: ignored"]
        ]
    else:
        assert reported.empty  # a rule knows it: contact details, publication month, yearly


@pytest.mark.parametrize(
    ("column", "framework"),
    [
        ("Quality_of_Food", "quality theme"),
        ("KQ_Wellness", "key question"),
        ("Comb_Eval_Outcomes", "combined evaluation"),
        ("Overall_Grade", "other grade"),
        ("KQ_Support_Wellbeing_2", "key question"),  # a second column for a measure
    ],
)
def test_read_snapshot_unmapped_grade_column_is_kept_under_its_name(
    tmp_path, sample, column, framework
):
    header, rows = sample
    values = ["5" if i % 3 else "" for i in range(len(rows))]
    if column == "KQ_Support_Wellbeing_2":
        header, rows = [*header, "KQ_Support_Wellbeing"], [[*r, "4"] for r in rows]
    path = _write(
        tmp_path / "datastore_2017-12-31.csv",
        [*header, column],
        [[*r, v] for r, v in zip(rows, values, strict=True)],
    )
    snap = read_snapshot(path)
    kept = snap.grades[snap.grades["measure"] == column]
    assert len(kept) == values.count("5")
    assert set(kept["framework"]) == {framework}
    assert set(kept["grade"]) == {"very good"}
    problem = snap.problems.query("column == @column")["problem"].tolist()
    assert len(problem) == 1 and "kept as" in problem[0]


def test_read_snapshot_grade_named_column_with_text_is_reported_and_ignored(tmp_path, sample):
    snap = read_snapshot(_with_column(tmp_path, sample, "Grade_Notes", "see report"))
    assert "Grade_Notes" not in set(snap.grades["measure"].astype(str))
    assert "ignored" in snap.problems.query("column == 'Grade_Notes'")["problem"].item()


def test_read_snapshot_second_column_for_a_used_name_is_reported(tmp_path, sample):
    snap = read_snapshot(_with_column(tmp_path, sample, "Council_Area", "Fife"))
    pd.testing.assert_frame_equal(snap.services, _plain(tmp_path, sample).services)
    assert snap.problems.query("column == 'Council_Area'")["problem"].tolist() == [
        "also a column for council_area: ignored"
    ]


def test_read_snapshot_missing_required_column_raises_naming_file(tmp_path, sample):
    header, rows = sample
    header = ["Something_Else" if c == "Client_group" else c for c in header]
    path = _write(tmp_path / "datastore_2017-12-31.csv", header, rows)
    with pytest.raises(UnknownColumnError, match=r"datastore_2017-12-31\.csv.*client_group"):
        read_snapshot(path)


def test_read_snapshot_utf8_file_is_read_as_utf8_and_reported(tmp_path, sample):
    header, rows = sample
    path = tmp_path / "datastore_2017-12-31.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows([header, *rows])
    snap = read_snapshot(path)
    names = set(snap.services["service_name"].dropna())
    assert "Crèche Café – Bàgh a' Chaisteil" in names
    assert not any("Ã" in n or "â€" in n for n in names)  # no mojibake
    problem = snap.problems.query("problem.str.contains('UTF-8')")
    assert problem[["file", "record"]].values.tolist() == [["datastore_2017-12-31.csv", 2]]
    assert "the file is UTF-8" in problem["problem"].item()


def test_read_snapshot_utf8_cells_inside_windows_1252_are_read_as_utf8(tmp_path, sample):
    header, rows = sample
    path = _write(tmp_path / "datastore_2017-12-31.csv", header, rows)  # cp1252, with 'Crèche'
    data = path.read_bytes()
    i = header.index("ServiceName")
    sid = rows[4][header.index("CSNumber")]
    old = rows[4][i].encode("cp1252")
    path.write_bytes(data.replace(old, "Décor Nursery".encode(), 1))
    snap = read_snapshot(path)
    names = snap.services.set_index("service_id")["service_name"].astype(str)
    assert names[sid] == "Décor Nursery"
    assert names[rows[0][header.index("CSNumber")]] == "Crèche Café – Bàgh a' Chaisteil"
    problem = snap.problems.query("problem.str.contains('UTF-8')")
    assert problem["record"].tolist() == [6]  # the header is line 1, rows[4] is line 6


@pytest.mark.parametrize("change", ["longer", "shorter"])
def test_read_snapshot_ragged_row_raises_naming_file_and_line(tmp_path, sample, change):
    header, rows = sample
    rows = [list(r) for r in rows]
    rows[7] = [*rows[7], "extra"] if change == "longer" else rows[7][:-3]
    path = _write(tmp_path / "datastore_2017-12-31.csv", header, rows)
    fields = len(rows[7])
    with pytest.raises(
        DatastoreError,
        match=rf"datastore_2017-12-31\.csv: line 9 .*{fields} fields where the header has "
        rf"{len(header)}",
    ):
        read_snapshot(path)


def test_read_snapshot_renamed_columns_map_by_rule(tmp_path, sample):
    header, rows = sample
    renamed = [
        {
            "CSNumber": "CaseNumber",
            "ServiceType": "Service Type",
            "Client_group": "CLIENT_GROUP",
        }.get(c, c).replace("Quality_of_Staffing", "quality of staffing")
        for c in header
    ]
    plain = read_snapshot(_write(tmp_path / "datastore_2017-12-31.csv", header, rows))
    other = read_snapshot(_write(tmp_path / "MDSF_data_31 December 2017.csv", renamed, rows))
    pd.testing.assert_frame_equal(plain.services, other.services)
    pd.testing.assert_frame_equal(plain.grades, other.grades)


@pytest.mark.parametrize("value", ["7", "good", "0"])
def test_read_snapshot_bad_grade_raises_naming_file_service_and_value(tmp_path, sample, value):
    header, rows = sample
    rows = _set(header, rows, 5, "Quality_of_Staffing", value)
    sid = rows[5][header.index("CSNumber")]
    path = _write(tmp_path / "datastore_2017-12-31.csv", header, rows)
    with pytest.raises(DatastoreError, match=rf"datastore_2017-12-31\.csv.*{sid}.*'{value}'"):
        read_snapshot(path)


def test_read_snapshot_repeated_id_with_different_values_raises(tmp_path, sample):
    header, rows = sample
    copy = list(rows[2])
    copy[header.index("Council_Area_Name")] = "Fife"
    rows = [*rows, copy]
    path = _write(tmp_path / "datastore_2017-12-31.csv", header, rows)
    sid = rows[2][header.index("CSNumber")]
    with pytest.raises(DatastoreError, match=rf"datastore_2017-12-31\.csv.*{sid}"):
        read_snapshot(path)


def test_read_snapshot_exact_repeat_is_kept_once_and_reported(tmp_path, sample):
    header, rows = sample
    rows = [*rows, list(rows[2])]
    snap = read_snapshot(_write(tmp_path / "datastore_2017-12-31.csv", header, rows))
    sid = rows[2][header.index("CSNumber")]
    assert len(snap.services) == len(sample[1])
    assert snap.problems[["service_id", "record", "problem"]].values.tolist() == [
        [sid, len(sample[1]) + 1, "repeated row"]
    ]


@pytest.mark.parametrize("column", ["NumberStaff", "Last_inspection_Date", "MinGrade"])
def test_read_snapshot_repeat_differing_only_in_unread_column_raises(tmp_path, sample, column):
    """Columns the loader does not read still count: such a row is not an exact repeat."""
    header, rows = sample
    copy = list(rows[2])
    copy[header.index(column)] = "changed"
    rows = [*rows, copy]
    sid = rows[2][header.index("CSNumber")]
    path = _write(tmp_path / "datastore_2017-12-31.csv", header, rows)
    with pytest.raises(DatastoreError, match=rf"datastore_2017-12-31\.csv.*{sid}.*{column}"):
        read_snapshot(path)


def _with_placeholder(header, rows, row=None, value=""):
    """The sample with readr's '...99' column (a blank header cell) added, empty but in ``row``."""
    rows = [[*r, value if i == row else ""] for i, r in enumerate(rows)]
    return [*header, "...99"], rows


def test_read_snapshot_empty_placeholder_column_is_ignored(tmp_path, sample):
    header, rows = _with_placeholder(*sample)
    snap = read_snapshot(_write(tmp_path / "datastore_2017-12-31.csv", header, rows))
    assert len(snap.services) == len(sample[1])
    assert snap.problems.empty


def test_read_snapshot_placeholder_column_with_value_raises_naming_file_row_and_value(
    tmp_path, sample
):
    header, rows = _with_placeholder(*sample, row=6, value="4")
    sid = rows[6][header.index("CSNumber")]
    path = _write(tmp_path / "datastore_2017-12-31.csv", header, rows)
    with pytest.raises(
        DatastoreError, match=rf"datastore_2017-12-31\.csv.*'\.\.\.99'.*record 7.*{sid}.*'4'"
    ):
        read_snapshot(path)


def test_read_snapshot_padding_rows_are_not_services(tmp_path, sample):
    header, rows = sample
    padded = [*rows, *([[""] * len(header)] * 50)]
    snap = read_snapshot(_write(tmp_path / "datastore_2017-12-31.csv", header, padded))
    assert len(snap.services) == len(rows)


def test_read_snapshot_plain_gzip_and_official_names_read_identically(tmp_path, sample):
    header, rows = sample
    reads = [
        read_snapshot(_write(tmp_path / name, header, rows, gz=gz))
        for name, gz in [
            ("datastore_2017-12-31.csv", False),
            ("datastore_2017-12-31.csv.gz", True),
            ("MDSF_data_31 December 2017.csv", False),
            ("171231_DatastoreExternal.csv", False),
        ]
    ]
    for other in reads[1:]:
        pd.testing.assert_frame_equal(reads[0].services, other.services)
        pd.testing.assert_frame_equal(reads[0].grades, other.grades)
    names = reads[0].services["service_name"].astype(str)
    assert "Crèche Café – Bàgh a' Chaisteil" in set(names)


def test_snapshot_date_from_name_reads_each_form():
    assert str(snapshot_date_from_name("datastore_2021-03-22.csv.gz")) == "2021-03-22"
    assert str(snapshot_date_from_name("MDSF_data_31 December 2017.csv")) == "2017-12-31"
    assert str(snapshot_date_from_name("MDSF_data_1 Sept 2019.csv")) == "2019-09-01"
    assert str(snapshot_date_from_name("250430_DatastoreExternal.csv")) == "2025-04-30"


def test_snapshot_date_from_name_unknown_raises_naming_file():
    with pytest.raises(DatastoreError, match="export.csv"):
        snapshot_date_from_name("export.csv")


def test_grade_measure_maps_every_known_family():
    assert grade_measure("Quality_of_Mgmt_and_Lship") == (
        "quality theme",
        "management and leadership",
    )
    assert grade_measure("KQ_Staff_Team") == ("key question", "staff team")
    assert grade_measure("KQ_COVID19") == ("covid-19 key question", "COVID-19")
    assert grade_measure("Comb_Eval_Setting_Env") == ("combined evaluation", "setting")
    assert grade_measure("Old_Comb_Eval_CareSupportPlaning") == (
        "previous combined evaluation",
        "care and support planning",
    )
    assert grade_measure("KQ_Wellbeing_change") is None
    assert grade_measure("MinGrade") is None
    with pytest.raises(UnknownColumnError):  # classify_columns keeps it under its own name
        grade_measure("KQ_Wellness")


# --- the cache -------------------------------------------------------------------------------

SMALL = ["datastore_2019-03-31.csv.gz", "datastore_2020-03-31.csv.gz"]


def test_history_cache_second_load_equal_and_changes_picked_up(tmp_path, monkeypatch):
    monkeypatch.setenv("HELPERS_BUILD_DIR", str(tmp_path / "build"))
    folder = tmp_path / "snapshots"
    folder.mkdir()
    for name in SMALL:
        shutil.copy2(FIXTURES / name, folder / name)

    first = history(folder, workers=1)
    cached = sorted((tmp_path / "build" / "cache" / "datastore").glob("history-*.parquet"))
    assert len(cached) == 4
    second = history(folder)
    for table in ("services", "grades", "problems", "files"):
        pd.testing.assert_frame_equal(getattr(first, table), getattr(second, table))

    # An added file is picked up.
    shutil.copy2(FIXTURES / "datastore_2020-06-30.csv.gz", folder)
    added = history(folder)
    assert len(added.files) == 3
    assert len(added.services) > len(first.services)

    # A changed file (same name, fewer rows) is picked up.
    header, rows = _rows(folder / SMALL[0])
    _write(folder / SMALL[0], header, rows[:10])
    changed = history(folder)
    n = changed.files.set_index("file").loc[SMALL[0], "services"]
    assert n == 10
    # And the superseded caches are gone.
    assert len(list((tmp_path / "build" / "cache" / "datastore").glob("history-*"))) == 4


def test_history_without_snapshots_says_how_to_download(tmp_path, monkeypatch):
    monkeypatch.setenv("HELPERS_BUILD_DIR", str(tmp_path / "build"))
    for folder in (tmp_path / "missing", tmp_path):
        with pytest.raises(NoSnapshotsError, match="python -m helpers.datastore download"):
            history(folder)


def test_history_same_date_twice_raises_naming_both(tmp_path, sample):
    header, rows = sample
    _write(tmp_path / "datastore_2017-12-31.csv", header, rows)
    _write(tmp_path / "MDSF_data_31 December 2017.csv", header, rows)
    with pytest.raises(DatastoreError, match="MDSF_data_31 December 2017.csv"):
        history(tmp_path)


def test_counts_helper_sees_padding_and_repeats(tmp_path, sample):
    """The independent counter itself: padding is not counted and exact repeats are collapsed."""
    header, rows = sample
    path = _write(
        tmp_path / "datastore_2017-12-31.csv.gz", header, [*rows, rows[0], [""] * len(header)]
    )
    counts = _count(path)
    assert counts["rows"] == len(rows) + 1
    assert counts["distinct"] == len(rows)
    assert counts["grade_cells"] == sum(
        1 for r in rows for i, c in enumerate(header) if GRADE_COLUMN.match(c) and r[i].strip()
    )


def test_read_snapshot_coded_values_in_another_case_read_as_the_usual_spelling(tmp_path, sample):
    header, rows = sample
    shouted = [list(r) for r in rows]
    for column in ("CareService", "ServiceType", "Client_group", "ServiceStatus"):
        i = header.index(column)
        for row in shouted:
            row[i] = row[i].upper()
    snap = read_snapshot(_write(tmp_path / "datastore_2017-12-31.csv", header, shouted))
    pd.testing.assert_frame_equal(snap.services, _plain(tmp_path, sample).services)


# --- inputs found by trying to break the reader ------------------------------------------------


def _raw(tmp_path, header, rows, encoding="cp1252", newline="\r\n", name=None) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows([header, *rows])
    path = tmp_path / (name or "datastore_2017-12-31.csv")
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def test_bare_quote_inside_an_unquoted_field_is_a_ragged_row_not_a_shifted_one(tmp_path, sample):
    header, rows = sample
    path = _write(tmp_path / "datastore_2017-12-31.csv", header, rows)
    i = header.index("NumberStaff")
    lines = path.read_bytes().split(b"\r\n")
    cells = lines[3].split(b",")
    cells[i] = b'NHS "Greater, Glasgow"'  # as a spreadsheet might write it, unquoted
    lines[3] = b",".join(cells)
    path.write_bytes(b"\r\n".join(lines))
    with pytest.raises(DatastoreError, match=r"line 4 .*fields where the header has"):
        read_snapshot(path)


def test_header_name_with_a_line_break_keeps_every_later_column(tmp_path, sample):
    header, rows = sample
    bent = [c.replace("RAD", "RAD\n") if c.startswith("RAD") else c for c in header]
    assert bent != header
    plain = _plain(tmp_path, sample)
    snap = read_snapshot(_write(tmp_path / "datastore_2017-12-31.csv", bent, rows))
    pd.testing.assert_frame_equal(snap.grades, plain.grades)


def test_repeated_grade_header_keeps_both_columns(tmp_path, sample):
    header, rows = sample
    path = _write(
        tmp_path / "datastore_2017-12-31.csv",
        [*header, "Quality_of_Staffing"],
        [[*r, "1"] for r in rows],
    )
    snap = read_snapshot(path)
    staffing = snap.grades[snap.grades["measure"] == "staffing"]
    plain = _plain(tmp_path, sample).grades
    assert len(staffing) == (plain["measure"] == "staffing").sum()
    second = snap.grades[snap.grades["measure"] == "Quality_of_Staffing.1"]
    assert len(second) == len(rows) and set(second["grade"]) == {"unsatisfactory"}


def test_blank_header_cell_holding_grades_is_an_error(tmp_path, sample):
    header, rows = sample
    path = _write(tmp_path / "datastore_2017-12-31.csv", [*header, ""], [[*r, "5"] for r in rows])
    with pytest.raises(DatastoreError, match="no name in the header"):
        read_snapshot(path)


def test_unusual_coded_value_is_kept_and_reported(tmp_path, sample):
    header, rows = sample
    rows = _set(header, rows, 2, "Client_group", "Children and Young People")
    snap = read_snapshot(_write(tmp_path / "datastore_2017-12-31.csv", header, rows))
    reported = snap.problems.query("column == 'client_group'")
    assert reported[["value", "record"]].values.tolist() == [["Children and Young People", 3]]


@pytest.mark.parametrize("spelling", ["Childminder", "Child Minder", "Childminding Service"])
def test_any_spelling_of_childminding_is_child_minding(tmp_path, sample, spelling):
    header, rows = sample
    rows = _set(header, rows, 1, "CareService", spelling)
    snap = read_snapshot(_write(tmp_path / "datastore_2017-12-31.csv", header, rows))
    sid = rows[1][header.index("CSNumber")]
    assert snap.services.set_index("service_id").loc[sid, "care_service"] == "Child Minding"


@pytest.mark.parametrize("value", ["3000000000", "-5", "1e3", "1_0", "12.5"])
def test_registered_places_that_are_not_a_plausible_whole_number_are_reported(
    tmp_path, sample, value
):
    header, rows = sample
    rows = _set(header, rows, 2, "Registered_Places", value)
    snap = read_snapshot(_write(tmp_path / "datastore_2017-12-31.csv", header, rows))
    sid = rows[2][header.index("CSNumber")]
    assert pd.isna(snap.services.set_index("service_id").loc[sid, "registered_places"])
    assert snap.problems.query("column == 'registered_places'")["value"].tolist() == [value]


def test_service_id_in_lower_case_is_the_same_service(tmp_path, sample):
    header, rows = sample
    copy = list(rows[2])
    copy[header.index("CSNumber")] = copy[header.index("CSNumber")].lower()
    snap = read_snapshot(_write(tmp_path / "datastore_2017-12-31.csv", header, [*rows, copy]))
    assert len(snap.services) == len(rows)
    assert snap.problems["problem"].tolist() == ["repeated row"]


@pytest.mark.parametrize(
    ("encoding", "newline", "problem"),
    [
        ("utf-16", "\r\n", "UTF-16"),
        ("utf-8-sig", "\r\n", "UTF-8"),
        ("cp1252", "\r", "carriage return"),
    ],
)
def test_other_encodings_and_line_ends_read_the_same(tmp_path, sample, encoding, newline, problem):
    header, rows = sample
    snap = read_snapshot(_raw(tmp_path, header, rows, encoding, newline))
    plain = _plain(tmp_path, sample)
    pd.testing.assert_frame_equal(snap.services, plain.services)
    pd.testing.assert_frame_equal(snap.grades, plain.grades)
    assert snap.problems["problem"].str.contains(problem).any()


def test_bytes_that_look_like_utf8_but_are_not_read_as_windows_1252(tmp_path, sample):
    header, rows = sample
    rows = _set(header, rows, 4, "ServiceName", "Mair\xed\xa0\u20ac5")  # bytes ED A0 80
    snap = read_snapshot(_write(tmp_path / "datastore_2017-12-31.csv", header, rows))
    sid = rows[4][header.index("CSNumber")]
    assert snap.services.set_index("service_id").loc[sid, "service_name"] == "Mair\xed\xa0\u20ac5"


def test_utf8_problem_names_the_column_and_holds_no_surrounding_text(tmp_path, sample):
    header, rows = sample
    path = _write(tmp_path / "datastore_2017-12-31.csv", header, rows)
    old = rows[5][header.index("ServiceName")].encode("cp1252")
    path.write_bytes(path.read_bytes().replace(old, "Siobhán McAllister".encode(), 1))
    problem = read_snapshot(path).problems.query("problem.str.contains('UTF-8')").iloc[0]
    assert problem["column"] == "ServiceName"
    assert problem["value"] == "á"


def test_an_html_page_saved_as_csv_says_so(tmp_path):
    path = tmp_path / "datastore_2017-12-31.csv"
    path.write_text("<!DOCTYPE html>\n<html><body>Not found</body></html>\n")
    with pytest.raises(DatastoreError, match="HTML page"):
        read_snapshot(path)


def test_read_snapshot_ascii_utf8_with_a_byte_order_mark_is_reported_as_utf8(tmp_path, sample):
    """A month saved as UTF-8 with a byte-order mark is UTF-8 even if all of it is ASCII."""
    header, rows = sample
    rows = [[cell.encode("ascii", "replace").decode() for cell in row] for row in rows]
    path = tmp_path / "datastore_2017-12-31.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows([header, *rows])
    assert path.read_bytes()[:4] == b"\xef\xbb\xbfC" and path.read_bytes()[3:].isascii()
    snap = read_snapshot(path)
    assert len(snap.services) == len({r[header.index("CSNumber")] for r in rows})
    problem = snap.problems.query("problem.str.contains('UTF-8')")
    assert problem[["file", "record"]].values.tolist() == [["datastore_2017-12-31.csv", 1]]
    assert "byte-order mark" in problem["problem"].item()


def test_read_snapshot_refuses_a_gzip_bomb_without_inflating_it(tmp_path, sample):
    """A small gzip whose text is far larger than any month is refused, naming file and limit.

    The text is a real header and rows, then 8 MiB of zeros (8 KB gzipped); the limit is lowered
    to 1 MiB here, so the read stops after a megabyte of text whatever the gzip would give."""
    header, rows = sample
    path = _write(tmp_path / "datastore_2017-12-31.csv.gz", header, rows)
    text = gzip.decompress(path.read_bytes())
    path.write_bytes(gzip.compress(text + b"0" * (8 << 20)))
    assert path.stat().st_size < 64 << 10
    with pytest.raises(
        DatastoreError,
        match=r"^datastore_2017-12-31\.csv\.gz: holds more than 1 MB of text once decompressed",
    ):
        read_snapshot(path, max_bytes=1 << 20)
    path.write_bytes(gzip.compress(text))  # the same month without the zeros: within the limit
    assert len(read_snapshot(path, max_bytes=1 << 20).services) > 0


def test_read_snapshot_refuses_a_record_longer_than_any_month_holds(tmp_path, sample):
    """A line of zeros (2 MiB, one field) is refused, naming its line, not parsed."""
    header, rows = sample
    rows = _set(header, rows, 2, "ServiceName", "0" * (2 << 20))
    path = _write(tmp_path / "datastore_2017-12-31.csv", header, rows)
    with pytest.raises(DatastoreError, match=r"^datastore_2017-12-31\.csv: line 4 is a record of"):
        read_snapshot(path)
