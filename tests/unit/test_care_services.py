"""Tests of helpers.care.tables (the children's-services table, written whole and validated on
load) and helpers.datastore.derive (its derivation from real snapshot rows: the fixtures). The
committed table itself is checked in ``tests/data/test_care_services_committed.py``."""

from __future__ import annotations

import csv
import gzip
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.care import tables
from helpers.datastore import derive, history
from helpers.datastore.__main__ import main as datastore_main
from helpers.schema import DataError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "datastore"


@pytest.fixture
def build_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("HELPERS_BUILD_DIR", str(tmp_path / "build"))
    return tmp_path / "build"


@pytest.fixture
def derived(tmp_path, build_dir, care_data):
    """A copy of data/care-services built from the fixtures (real rows of 17 snapshots, see
    conftest.py) that a test may break."""
    return Path(shutil.copytree(care_data, tmp_path / "care-services"))


def _rewrite(folder: Path, name: str, edit) -> None:
    """Apply ``edit`` to the text of one table (gzipped or not)."""
    path = folder / name
    text = (gzip.decompress if name.endswith(".gz") else bytes)(path.read_bytes()).decode()
    data = edit(text).encode()
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)


# --- derivation, on real rows ------------------------------------------------------------------


def test_derived_from_fixtures_expands_to_the_readers_childrens_rows(derived, build_dir):
    raw = history(FIXTURES)
    kids = raw.services[raw.services["client_group"] == "Children"]
    loaded = tables.load(derived)
    key = ["snapshot_date", "service_id"]
    ours = loaded.services.astype({"service_id": str}).sort_values(key).reset_index(drop=True)
    theirs = kids.astype({"service_id": str}).sort_values(key).reset_index(drop=True)
    assert ours[key].equals(theirs[key])
    for column in ("care_service", "sector", "council_area", "status", "latest_grading_date"):
        pd.testing.assert_series_equal(
            ours[column].astype(object), theirs[column].astype(object), check_names=False
        )
    grades = raw.grades.astype({"service_id": str}).merge(theirs[key], on=key)
    assert len(loaded.grades) == len(grades) > 0


def test_spells_split_on_a_gap_and_on_a_change(tmp_path, build_dir):
    """A service absent from a snapshot, or whose details change, starts a new spell."""
    folder = tmp_path / "snaps"
    folder.mkdir()
    source = FIXTURES / "datastore_2017-09-30.csv.gz"
    text = gzip.decompress(source.read_bytes()).decode("cp1252")
    lines = text.split("\r\n")
    header, rows = lines[0], [r for r in lines[1:] if r.strip(",")]
    kid = next(r for r in rows if ",Children," in r)
    others = [r for r in rows if r != kid]
    versions = {
        "2017-01-31": [kid, *others],
        "2017-02-28": others,  # the service is missing
        "2017-03-31": [kid, *others, "," * header.count(",")],  # not the same bytes as January
        "2017-04-30": [kid.replace(",Active,", ",Inactive,"), *others],
    }
    for day, body in versions.items():
        data = "\r\n".join([header, *body, ""]).encode("cp1252")
        (folder / f"datastore_{day}.csv.gz").write_bytes(gzip.compress(data))
    made = derive.derive(folder)
    sid = kid.split(",")[0]
    spells = made["services.csv.gz"].astype({"service_id": str})
    mine = spells[spells["service_id"] == sid]
    assert [
        (f.strftime("%m"), t.strftime("%m"))
        for f, t in zip(mine["first"], mine["last"], strict=True)
    ] == [
        ("01", "01"),
        ("03", "03"),
        ("04", "04"),
    ]


def test_write_is_whole_or_nothing(derived, monkeypatch, build_dir):
    before = {p.name: p.read_bytes() for p in derived.iterdir()}
    made = derive.derive(FIXTURES)
    calls = []

    def failing(frame, target):
        calls.append(target.name)
        if len(calls) == 3:
            raise OSError("disk full")
        target.write_bytes(b"half")

    monkeypatch.setattr(derive, "_to_csv", failing)
    with pytest.raises(OSError, match="disk full"):
        derive.write(made, derived)
    assert {p.name: p.read_bytes() for p in derived.iterdir()} == before
    assert sorted(p.name for p in derived.parent.iterdir()) == ["build", "care-services"]


def test_write_recovers_from_a_kill_between_the_renames(derived, build_dir):
    old = derived.with_name(f".{derived.name}.old")
    derived.rename(old)  # what a kill after the first rename leaves
    derive.write(derive.derive(FIXTURES), derived)
    assert not old.exists()
    tables.load(derived)


def _cell(text: str, line: int, column: str, value: str) -> str:
    """The CSV text with one cell (line counted from the header = 1) set to ``value``, as is."""
    lines = text.split("\n")
    header = lines[0].split(",")
    cells = next(csv.reader([lines[line - 1]]))
    cells[header.index(column)] = value
    lines[line - 1] = ",".join(f'"{c}"' if "," in c and c != value else c for c in cells)
    return "\n".join(lines)


# --- validation on load -------------------------------------------------------------------------

BAD = [
    (
        "services.csv.gz",
        lambda t: t.replace(",2017-09-30,", ",2017-09-31,", 1),
        "first|last",
        "not a date",
    ),
    (
        "services.csv.gz",
        lambda t: t.replace(",2017-09-30,", ",2017-08-31,", 1),
        "first|last",
        "not the date of a snapshot",
    ),
    (
        "services.csv.gz",
        lambda t: t.replace(",Child Minding,", "X,Child Minding,", 1),
        "service_name",
        "person's name",
    ),
    (
        "services.csv.gz",
        lambda t: _cell(t, 3, "council_area", "Perth"),
        "council_area",
        "not one of",
    ),
    ("services.csv.gz", lambda t: _cell(t, 4, "status", "Active,extra"), None, "12 fields where"),
    (
        "services.csv.gz",
        lambda t: "\n".join(
            line.rsplit(",", 1)[0] if n == 3 else line for n, line in enumerate(t.split("\n"))
        ),
        None,
        "10 fields where",
    ),
    (
        "problems.csv",
        lambda t: t.replace("\n", ",extra\n", 2).replace(",extra", "", 1),
        None,
        "fields where",
    ),
    ("services.csv.gz", lambda t: "\ufeff" + t, None, "byte-order mark"),
    ("services.csv.gz", lambda t: t.replace("\n", "\r\n"), None, "carriage return"),
    (
        "services.csv.gz",
        lambda t: _cell(t, 4, "registered_places", "99999999999"),
        "registered_places",
        "whole number",
    ),
    (
        "services.csv.gz",
        lambda t: _cell(t, 4, "registered_places", "1e3"),
        "registered_places",
        "whole number",
    ),
    ("grades.csv.gz", lambda t: t.replace(",good,", ",fine,", 1), "grade", "not one of"),
    (
        "grades.csv.gz",
        lambda t: t.replace(",quality theme,", ",theme,", 1),
        "framework",
        "not one of",
    ),
    ("grades.csv.gz", lambda t: t.replace("\nCS", "\nXX", 1), "service_id", "no such service"),
    (
        "snapshots.csv",
        lambda t: re.sub(r"(\n2016-03-31,[^,]*,[0-9a-f]+,)\d+", r"\g<1>999999", t),
        "services",
        "number of",
    ),
]


@pytest.mark.parametrize(("name", "edit", "column", "message"), BAD)
def test_load_names_file_line_column_and_value(derived, name, edit, column, message):
    _rewrite(derived, name, edit)
    with pytest.raises(DataError, match=message) as caught:
        tables.load(derived)
    error = caught.value
    assert Path(error.file).name == name
    if column is not None:
        assert re.fullmatch(column, error.column)
        assert error.line is not None and error.line >= 2
        assert error.value is not None


def test_load_overlapping_spells_is_an_error(derived):
    def duplicate_first_row(text):
        lines = text.split("\n")
        return "\n".join([lines[0], lines[1], *lines[1:]])

    _rewrite(derived, "services.csv.gz", duplicate_first_row)
    with pytest.raises(DataError, match="overlap"):
        tables.load(derived)


def test_load_missing_file_says_how_to_rebuild(derived):
    (derived / "grades.csv.gz").unlink()
    with pytest.raises(DataError, match="grades.csv.gz.*make care-data"):
        tables.load(derived)


def test_cli_rebuilds_from_a_folder_and_reports(tmp_path, build_dir, capsys):
    dest = tmp_path / "out"
    assert datastore_main(["derive", "--source", str(FIXTURES), "--dest", str(dest)]) == 0
    assert "17 snapshots" in capsys.readouterr().out
    shutil.rmtree(dest)
    assert datastore_main(["derive", "--source", str(tmp_path / "none"), "--dest", str(dest)]) == 1
    assert "No datastore folder" in capsys.readouterr().err
    assert not dest.exists()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda b: gzip.decompress(b), "cannot be read"),  # not gzipped
        (lambda b: b[: len(b) // 2], "cannot be read"),  # cut short
        (lambda b: b"version https://git-lfs.github.com/spec/v1\n", "cannot be read"),
    ],
)
def test_load_damaged_gzip_is_a_clear_error(derived, damage, message):
    path = derived / "grades.csv.gz"
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(DataError, match=f"grades.csv.gz.*{message}"):
        tables.load(derived)


def test_write_never_replaces_good_tables_with_ones_that_would_not_load(derived, build_dir):
    before = {p.name: p.read_bytes() for p in derived.iterdir()}
    made = derive.derive(FIXTURES)
    services = made["services.csv.gz"]
    minder = services.index[services["care_service"] == "Child Minding"][0]
    services.loc[minder, "service_name"] = "A Person"
    with pytest.raises(DataError, match="person's name"):
        derive.write(made, derived)
    assert {p.name: p.read_bytes() for p in derived.iterdir()} == before


def test_write_removes_the_temporary_folders_of_a_killed_run(derived, build_dir):
    stale = derived.with_name(f".{derived.name}.abc123")
    stale.mkdir()
    (stale / "services.csv.gz").write_bytes(b"half")
    derive.write(derive.derive(FIXTURES), derived)
    assert not stale.exists()
    assert sorted(p.name for p in derived.parent.iterdir()) == ["build", "care-services"]


# --- one shared copy per process -------------------------------------------------------------


def _touch(path: Path) -> None:
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_shared_is_read_once_and_again_when_a_file_changes(derived):
    first = tables.shared(derived)
    assert tables.shared(derived) is first
    assert len(first.services) == len(tables.load(derived).services)
    _touch(derived / "problems.csv")  # same bytes, another modification time
    again = tables.shared(derived)
    assert again is not first
    assert again.services.equals(first.services)


def test_shared_sees_a_file_rewritten_with_its_old_size_and_mtime(derived):
    first = tables.shared(derived)
    path = derived / "problems.csv"
    before = path.stat()
    path.write_bytes(path.read_bytes())  # what cp -p, rsync -a or tar do: same size, same mtime
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert tables.shared(derived) is not first


def test_shared_of_a_missing_folder_says_how_to_rebuild(tmp_path):
    with pytest.raises(DataError, match="make care-data"):
        tables.shared(tmp_path / "no-such-folder")


def test_shared_keeps_nothing_from_a_folder_that_fails_to_load(derived):
    good = tables.shared(derived)
    _rewrite(derived, "snapshots.csv", lambda text: text.replace(",", ";", 3))
    with pytest.raises(DataError):
        tables.shared(derived)
    shutil.rmtree(derived)
    with pytest.raises(DataError):
        tables.shared(derived)  # not the copy read before the damage
    assert len(good.services) > 0


# --- nothing dropped in silence ----------------------------------------------------------------


def _rename_column(folder: Path, name: str, old: str, new: str) -> int:
    """Rename a column in the header of one snapshot (kept gzipped Windows-1252, as published);
    returns how many non-empty cells it holds."""
    path = folder / name
    text = gzip.decompress(path.read_bytes()).decode("cp1252")
    header, rest = text.split("\n", 1)
    columns = next(csv.reader([header]))
    assert columns.count(old) == 1
    path.write_bytes(gzip.compress((header.replace(old, new, 1) + "\n" + rest).encode("cp1252")))
    rows = list(csv.reader(rest.splitlines()))
    return sum(1 for r in rows if len(r) == len(columns) and r[columns.index(old)].strip())


@pytest.fixture
def renamed(tmp_path):
    """The fixtures with KQ_Setting renamed Setting in March 2020 (months on both sides have it)."""
    source = Path(shutil.copytree(FIXTURES, tmp_path / "snapshots"))
    count = _rename_column(source, "datastore_2020-03-31.csv.gz", "KQ_Setting", "Setting")
    assert count > 0
    return source, count


def test_care_data_refuses_a_month_that_lost_a_grade_column_and_writes_nothing(
    renamed, derived, build_dir, capsys
):
    source, count = renamed
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in derived.iterdir()}
    code = datastore_main(["derive", "--source", str(source), "--dest", str(derived)])
    out, err = capsys.readouterr()
    assert code == 1
    assert "datastore_2020-03-31.csv.gz: no column for key question 'setting'" in err
    assert "'KQ_Setting' in datastore_2019-03-31.csv.gz and in datastore_2020-06-30.csv.gz" in err
    assert "columns no rule knows: 'Setting'" in err
    assert "--accept-missing-grades" in err and "nothing was written" in err
    assert "wrote" not in out
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in derived.iterdir()} == before
    assert not [p.name for p in derived.parent.iterdir() if p.name.startswith(".")]
    with pytest.raises(derive.MissingGradesError, match="2020-03-31"):
        derive.build(source, derived)


def test_care_data_summarises_what_it_dropped_by_month(renamed, derived, build_dir, capsys):
    source, count = renamed
    code = datastore_main(
        ["derive", "--source", str(source), "--dest", str(derived), "--accept-missing-grades"]
    )
    out, _ = capsys.readouterr()
    assert code == 0
    assert (
        "  datastore_2020-03-31.csv.gz: column 'Setting': column no rule knows: ignored "
        f"({count:,} value{'s' * (count != 1)} dropped)\n"
    ) in out
    problems = pd.read_csv(derived / "problems.csv", dtype=str, keep_default_na=False)
    listed = [line.split(":")[0].strip() for line in out.splitlines() if line.startswith("  ")]
    assert sorted(set(listed)) == sorted(set(problems["file"]))  # every month with a problem
    assert "accepted: datastore_2020-03-31.csv.gz: no column for key question 'setting'" in out
    assert f"wrote {derived}" in out
    grades = tables.load(derived).grades
    march = grades[grades["snapshot_date"] == pd.Timestamp("2020-03-31")]
    assert not ((march["framework"] == "key question") & (march["measure"] == "setting")).any()


def test_a_grade_that_comes_or_goes_for_good_is_no_gap():
    """The fixtures' quality themes end in 2022 and COVID-19 grades come and go: no gap."""
    assert derive.grade_gaps(FIXTURES) == []
