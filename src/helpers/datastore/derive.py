"""Derive ``data/care-services`` from the raw monthly datastore files: ``make care-data``.

The Care Inspectorate's monthly datastore (one CSV a month, about 12 MB each) is raw input, read
by :func:`helpers.datastore.history`. This module derives from it, once, the small part the
notebooks need, and writes it into the committed folder that :mod:`helpers.care.tables` loads:
the children's services and their grades as *spells* (one row for each run of consecutive
snapshots in which a service's details, or a grade, stayed the same), the snapshots read, and
the problems the reader kept. A childminder's name is a person's name, so it is left blank;
providers' names and numbers are not kept at all.

Here because it reads the raw files and only the datastore package does: the notebooks never
need it (a clone has the committed tables). :func:`build` derives and writes, whole or not at
all, and refuses a month that lost a grade column its neighbours have (:func:`grade_gaps`);
:func:`run` is ``python -m helpers.datastore derive``, which also says what the snapshots held
that the tables do not (:func:`problem_summary`). A test checks that a rebuild is byte for byte
the committed folder.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.atomic import atomic_write_folder
from helpers.care.tables import (
    CHILDREN,
    COLUMNS,
    GRADE_KEY,
    SERVICE_DETAILS,
    care_services_dir,
    load,
)
from helpers.datastore import rawfile
from helpers.datastore.cache import history, snapshot_files
from helpers.datastore.columns import DatastoreError, classify_columns
from helpers.datastore.snapshot import CHILD_MINDING, read_header

# --- deriving ------------------------------------------------------------------------------------


def _spells(frame: pd.DataFrame, key: tuple[str, ...], details: tuple[str, ...]) -> pd.DataFrame:
    """Runs of consecutive snapshots (column ``_i``, the snapshot's position) in which ``key``'s
    ``details`` stay the same, with the ``first`` and ``last`` snapshot date of each run."""
    f = frame.sort_values([*key, "_i"], kind="stable").reset_index(drop=True)
    new = f["_i"].to_numpy() != np.roll(f["_i"].to_numpy(), 1) + 1
    for column in (*key, *details):
        values = f[column].astype(object).where(f[column].notna(), "\0missing")
        new |= values.to_numpy() != np.roll(values.to_numpy(), 1)
    if len(new):
        new[0] = True
    spell = np.cumsum(new) - 1
    out = f.loc[new, [*key, *details]].reset_index(drop=True)
    dates = f["snapshot_date"].to_numpy()
    out.insert(len(key), "first", dates[new])
    last_rows = np.r_[np.flatnonzero(new)[1:] - 1, len(f) - 1] if len(f) else []
    out.insert(len(key) + 1, "last", dates[last_rows])
    assert len(out) == spell[-1] + 1 if len(f) else True
    return out


def derive(folder: str | Path) -> dict[str, pd.DataFrame]:
    """The four tables of ``data/care-services`` from the raw snapshots in ``folder``.

    Raises
    ------
    DatastoreError
        If a snapshot cannot be read (see :func:`helpers.datastore.read_snapshot`).
    """
    raw = history(folder)
    dates = raw.files["snapshot_date"]
    position = pd.Series(np.arange(len(dates)), index=pd.DatetimeIndex(dates))
    services = raw.services[raw.services["client_group"] == CHILDREN].copy()
    childminder = services["care_service"] == CHILD_MINDING
    services["service_name"] = services["service_name"].astype(object).where(~childminder, None)
    services["_i"] = position.reindex(services["snapshot_date"]).to_numpy()
    keys = services[["snapshot_date", "service_id"]]
    grades = raw.grades.merge(keys, on=["snapshot_date", "service_id"], how="inner")
    grades["_i"] = position.reindex(grades["snapshot_date"]).to_numpy()
    files = raw.files.copy()
    files["services"] = (
        services.groupby("snapshot_date").size().reindex(dates, fill_value=0).to_numpy()
    )
    files["grades"] = grades.groupby("snapshot_date").size().reindex(dates, fill_value=0).to_numpy()
    return {
        "snapshots.csv": files[list(COLUMNS["snapshots.csv"])].astype(
            {"services": int, "grades": int}
        ),
        "services.csv.gz": _spells(services, ("service_id",), SERVICE_DETAILS),
        "grades.csv.gz": _spells(grades, GRADE_KEY, ("grade",))[list(COLUMNS["grades.csv.gz"])],
        "problems.csv": raw.problems.sort_values(["file", "record"], kind="stable"),
    }


def _to_csv(frame: pd.DataFrame, target: Path) -> None:
    """Write one table as UTF-8 CSV: dates as YYYY-MM-DD, missing as empty, LF line ends;
    gzipped (with no name or time in the gzip header, so the bytes depend only on the rows)
    where the name ends ``.gz``."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d")
        elif isinstance(out[column].dtype, pd.CategoricalDtype):
            out[column] = out[column].astype(object)
    text = out.to_csv(index=False, lineterminator="\n").encode("utf-8")
    if target.name.endswith(".gz"):
        with open(target, "wb") as raw, gzip.GzipFile("", "wb", 9, raw, mtime=0) as packed:
            packed.write(text)
    else:
        target.write_bytes(text)


def write(tables: dict[str, pd.DataFrame], dest: str | Path) -> Path:
    """Write the tables into ``dest``, whole or not at all.

    They are written to a new folder beside ``dest``, loaded back with :func:`load` (so a table
    that would not load never replaces a good one), and swapped in by
    :func:`helpers.atomic.atomic_write_folder`: a failure or a kill leaves the old folder as it
    was.
    """

    def write_and_check(tmp: Path) -> None:
        for name, frame in tables.items():
            _to_csv(frame, tmp / name)
        load(tmp)

    return atomic_write_folder(dest, write_and_check)


# --- what a rebuild drops ------------------------------------------------------------------------


class MissingGradesError(DatastoreError):
    """A month lacks a grade column that the months on both sides have: its grades would be
    lost (a renamed column, most likely). ``gaps`` lists each one."""

    def __init__(self, gaps: list[GradeGap]):
        self.gaps = gaps
        lines = "\n".join(f"  {gap}" for gap in gaps)
        super().__init__(
            f"{len(gaps)} grade column{'s' if len(gaps) != 1 else ''} missing from a month "
            f"that the months on both sides have; nothing was written:\n{lines}\n"
            "If the Care Inspectorate really stopped publishing it that month, rebuild with "
            "--accept-missing-grades (make care-data CARE_FLAGS=--accept-missing-grades)."
        )


@dataclass(frozen=True)
class GradeGap:
    """One month without a grade column its neighbours have.

    Attributes
    ----------
    file
        The month's file.
    framework, measure
        The grade that is missing.
    column
        Its name in the month before.
    before, after
        The files of the months on either side, which have it.
    unknown
        The month's columns that no rule knows (one of them is likely the grade, renamed).
    """

    file: str
    framework: str
    measure: str
    column: str
    before: str
    after: str
    unknown: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = (
            f"{self.file}: no column for {self.framework} {self.measure!r} "
            f"({self.column!r} in {self.before} and in {self.after})"
        )
        if self.unknown:
            text += f"; columns no rule knows: {', '.join(map(repr, self.unknown))}"
        return text


def grade_gaps(source: str | Path) -> list[GradeGap]:
    """The months whose header lacks a grade (framework and measure) that the months just before
    and just after both have: a grade column renamed or lost in that month, whose values a
    rebuild would drop. Read from the headers alone (a few milliseconds a file).

    A grade that comes or goes for good (the quality themes, replaced by the key questions over
    2018-2022; the ``Old_*`` grades of December 2022 alone) never fires: only a month missing a
    grade that the months on both sides have. The first and the last month have no months on
    both sides, so they never fire (the summary of :func:`main` still lists a new month's
    columns that no rule knows).
    """
    headers = []
    for file in snapshot_files(source):
        plan = classify_columns(read_header(file), file.name)
        named = {mapped: column for column, mapped in reversed(plan.grades.items())}
        headers.append((file.name, named, plan.unknown))
    gaps = []
    for (before, had, _), (name, named, unknown), (after, has, _) in zip(
        headers, headers[1:], headers[2:], strict=False
    ):
        for grade in sorted((had.keys() & has.keys()) - named.keys()):
            gaps.append(GradeGap(name, *grade, had[grade], before, after, unknown))
    return gaps


def _values_in(file: Path, columns: list[str]) -> dict[str, int]:
    """How many non-empty cells each of ``columns`` (named as the reader names them) holds."""
    data, _ = rawfile.decode(rawfile.read_bytes(file), file.name)
    frame = pd.read_csv(
        io.BytesIO(data), usecols=columns, dtype=str, keep_default_na=False, engine="c"
    )
    return {c: int((frame[c].str.strip() != "").sum()) for c in columns}


def problem_summary(problems: pd.DataFrame, source: str | Path | None = None) -> list[str]:
    """The problems of a rebuild (``problems.csv``), one line per month, column and problem.

    A whole column ignored says how many values it held (counted in the month's file in
    ``source``, when given): those values are in no table. Values kept but not understood say
    how many rows they are.
    """
    lines = []
    for file, rows in problems.groupby("file", sort=True):
        whole = rows[rows["record"].isna()]
        ignored = [c for c, p in zip(whole["column"], whole["problem"], strict=True)
                   if p.endswith("ignored")]  # fmt: skip
        counts = {}
        if ignored and source is not None and (Path(source) / file).is_file():
            with contextlib.suppress(DatastoreError, ValueError):
                counts = _values_in(Path(source) / file, ignored)
        for column, problem in zip(whole["column"], whole["problem"], strict=True):
            n = counts.get(column)
            dropped = f" ({n:,} value{'s' if n != 1 else ''} dropped)" if n is not None else ""
            lines.append(f"{file}: column {column!r}: {problem}{dropped}")
        cells = rows[rows["record"].notna()]
        for (column, problem), group in cells.groupby(["column", "problem"], sort=True):
            n = len(group)
            lines.append(f"{file}: column {column!r}: {problem} ({n:,} row{'s' * (n != 1)})")
    return lines


def build(
    source: str | Path, dest: str | Path | None = None, accept_missing_grades: bool = False
) -> Path:
    """Derive the tables from the raw snapshots in ``source`` and write them to ``dest``
    (default ``data/care-services``). Returns the folder written.

    Raises
    ------
    MissingGradesError
        If a month lacks a grade column that the months on both sides have (:func:`grade_gaps`),
        unless ``accept_missing_grades``; nothing is written.
    """
    tables = derive(source)
    _check_gaps(source, accept_missing_grades)
    return write(tables, dest if dest is not None else care_services_dir())


def _check_gaps(source: str | Path, accept: bool) -> list[GradeGap]:
    gaps = grade_gaps(source)
    if gaps and not accept:
        raise MissingGradesError(gaps)
    return gaps


# --- command line --------------------------------------------------------------------------------


def run(source: str | Path, dest: str | Path | None = None, accept_missing_grades=False) -> int:
    """``python -m helpers.datastore derive``: rebuild the folder (default
    ``data/care-services``) from the raw snapshots in ``source``, say what the snapshots held
    that the tables do not, and return the exit status (1, with the reason, if nothing was
    written)."""
    try:
        tables = derive(source)
        summary = problem_summary(tables["problems.csv"], source)
        if summary:
            print(f"problems ({len(tables['problems.csv'])} rows in problems.csv), by month:")
            print("\n".join(f"  {line}" for line in summary))
        gaps = _check_gaps(source, accept_missing_grades)
        for gap in gaps:
            print(f"accepted: {gap}")
        written = write(tables, dest if dest is not None else care_services_dir())
    except DatastoreError as err:
        print(f"care-data: {err}", file=sys.stderr)
        return 1
    loaded = load(written)
    print(
        f"wrote {written}: {len(loaded.files)} snapshots, "
        f"{loaded.services['service_id'].nunique()} children's services, "
        f"{len(loaded.services)} service rows and {len(loaded.grades)} grades when expanded"
    )
    return 0
