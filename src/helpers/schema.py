"""The joint-inspection tables' schema, read from ``data/datapackage.json``, and the checks it sets.

``datapackage.json`` is the one statement of each table's fields, their types, the values they
allow and the table's keys. This module reads it and applies it to a table read as text: the
columns, whole numbers, required cells, allowed values (``enum``), patterns, web addresses,
primary keys and foreign keys. What the package cannot say (counts that add up, a grade label
that depends on the programme) is checked by :mod:`helpers.joint.tables`.

Every problem raises :class:`DataError`, which names the file, the line, the column and the
value, and says what was expected.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import cache, paths

#: What a cell of a ``uri`` field must look like: an http or https address.
#: (Matched whole, ``fullmatch``: with ``$`` a value ending in a line feed would pass.)
_URI = re.compile(r"https?://[^\s/]+\.[^\s]+")
#: A whole number as written in the tables: digits only (no sign, exponent, point or '_').
WHOLE_NUMBER = re.compile(r"[0-9]+")
#: Characters no cell may hold: C0 controls but tab, line feed and carriage return (a quoted
#: cell may span lines), DEL, C1 controls, the invisible marks that change the direction of the
#: text around them (embeddings, overrides, isolates, the LRM, RLM and ALM marks), the invisible
#: format characters (zero-width space, non-joiner and joiner, word joiner, a byte-order mark
#: inside the file) and the Unicode line and paragraph separators: a NUL cuts a string short in
#: other tools, a right-to-left override shows text reversed, a zero-width space makes two
#: names that look alike differ.
_CONTROL = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069"
    r"\u2028\u2029\ufeff]"
)
_CONTROL_NAMES = {
    "\x00": "NUL",
    "\x1b": "ESCAPE",
    "\x7f": "DEL",
    "\u200b": "ZERO WIDTH SPACE",
    "\u200c": "ZERO WIDTH NON-JOINER",
    "\u200d": "ZERO WIDTH JOINER",
    "\u2060": "WORD JOINER",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE, a byte-order mark inside the file",
    "\u2028": "LINE SEPARATOR",
    "\u2029": "PARAGRAPH SEPARATOR",
    "\u061c": "ARABIC LETTER MARK",
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
}


class DataError(ValueError):
    """A table in ``data/`` breaks a rule. Names the file, line, column and value.

    Attributes
    ----------
    file, line, column, value
        Where the problem is (``line`` counts the header as line 1; ``None`` for whole-file
        problems).
    """

    def __init__(
        self,
        file: Path | str,
        message: str,
        line: int | None = None,
        column: str | None = None,
        value: object = None,
    ):
        self.file, self.line, self.column, self.value = str(file), line, column, value
        where = str(file)
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        if value is not None:
            where += f", value {value!r}"
        super().__init__(f"{where}: {message}")


def row_error(file: Path, row: dict, column: str, message: str) -> DataError:
    """The error for one bad cell: the file, the row's line, the column and its value."""
    return DataError(file, message, line=row["_line"], column=column, value=row[column])


@dataclass(frozen=True)
class Field:
    """One column as ``datapackage.json`` states it."""

    name: str
    type: str
    required: bool = False
    enum: tuple[str, ...] = ()
    pattern: str | None = None
    minimum: int | None = None
    uri: bool = False
    #: Several values in one cell, split on this (``"separator"`` in the package); each value
    #: is then checked on its own (``"itemFormat": "uri"``: an http or https address).
    separator: str | None = None


@dataclass(frozen=True)
class ForeignKey:
    """Columns of one table that must match a row of another."""

    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Resource:
    """One table: its file name, fields in order, primary key and foreign keys."""

    name: str
    file: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]


def _names(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _field(spec: dict) -> Field:
    rules = spec.get("constraints", {})
    return Field(
        name=spec["name"],
        type=spec["type"],
        required=bool(rules.get("required", False)),
        enum=tuple(rules.get("enum", ())),
        pattern=rules.get("pattern"),
        minimum=rules.get("minimum"),
        uri=spec.get("format") == "uri" or spec.get("itemFormat") == "uri",
        separator=spec.get("separator"),
    )


def split_cell(value: str, separator: str = " ; ") -> list[str]:
    """The values of a cell that holds several (blank: none).

    Examples
    --------
    >>> split_cell("https://a.example/1 ; https://b.example/2")
    ['https://a.example/1', 'https://b.example/2']
    >>> split_cell("")
    []
    """
    return [part.strip() for part in value.split(separator)] if value else []


def resources(package: Path | str | None = None) -> dict[str, Resource]:
    """The joint-inspection tables of ``datapackage.json`` (default ``data/``), by name.

    Examples
    --------
    >>> resources()["inspections"].primary_key
    ('council_area', 'programme')
    """
    return _resources(str(package or paths.datapackage_file()))


@cache.cached_on(lambda package: [package], maxsize=2)
def _resources(package: str) -> dict[str, Resource]:
    try:
        spec = json.loads(Path(package).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(package, "file not found; the loaders need the tables' schema") from None
    out = {}
    for res in spec["resources"]:
        if not res["path"].startswith("joint-inspections/"):
            continue
        schema = res["schema"]
        out[res["name"]] = Resource(
            name=res["name"],
            file=Path(res["path"]).name,
            fields=tuple(_field(f) for f in schema["fields"]),
            primary_key=_names(schema.get("primaryKey", [])),
            foreign_keys=tuple(
                ForeignKey(
                    _names(k["fields"]),
                    k["reference"]["resource"],
                    _names(k["reference"]["fields"]),
                )  # fmt: skip
                for k in schema.get("foreignKeys", [])
            ),
        )
    return out


# --------------------------------------------------------------------------- reading


def _decode(file: Path) -> str:
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise DataError(file, "file not found") from None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        bad = raw[err.start : err.end]
        raise DataError(file, "is not UTF-8 text; save it as UTF-8", line=line, value=bad) from None


def _check_header(file: Path, header: list[str], resource: Resource) -> None:
    """Each of the resource's columns once, and no other: a second ``published`` would replace
    the first, and a column the package does not state would be dropped unread."""
    seen: dict[str, int] = {}
    for i, name in enumerate(header, start=1):
        if name in seen:
            raise DataError(
                file,
                f"the header names this column twice (fields {seen[name]} and {i}); "
                "each column may appear once",
                line=1,
                column=name,
            )
        seen[name] = i
    missing = [c for c in resource.columns if c not in header]
    if missing:
        raise DataError(file, f"missing column(s) {missing}; expected {resource.columns}")
    unknown = [c for c in header if c not in resource.columns]
    if unknown:
        raise DataError(
            file,
            f"unknown column(s) {unknown}: {resource.name} has {resource.columns}; a new column "
            "is stated in data/datapackage.json first",
            line=1,
            column=unknown[0],
        )


def _check_controls(file: Path, line: int, header: list[str], cells: list[str], what: str):
    """Raise for the first cell holding a control or invisible direction character
    (:data:`_CONTROL`), naming its line, its column and where in the cell it is."""
    for name, cell in zip(header, cells, strict=False):
        if (found := _CONTROL.search(cell)) is not None:
            char = found.group()
            start = max(found.start() - 20, 0)
            raise DataError(
                file,
                f"{what} holds the invisible character U+{ord(char):04X} "
                f"({_CONTROL_NAMES.get(char, 'a control character')}) at character "
                f"{found.start() + 1} of the cell; text may hold tabs and line breaks, but no "
                "other control character and no invisible format or direction mark",
                line=line,
                column=name,
                value=cell[start : found.end() + 20],
            )


def read_table(file: Path, resource: Resource) -> pd.DataFrame:
    """Read a CSV as text, strictly UTF-8, all columns as strings ('' for blank).

    A column ``_line`` holds each row's line number in the file (header = 1), for messages.
    A file with a header and no rows is refused: it is a table cut short, not an empty one;
    so is a header that names a column twice or names one the package does not state, and a
    cell holding a control or invisible direction character (:data:`_CONTROL`).
    """
    # The csv module, not pandas, so each record keeps the number of the line it ends on.
    text = _decode(file)
    controls = _CONTROL.search(text) is not None  # the rare file with one: find it cell by cell
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise DataError(file, "is empty; expected a header row") from None
    if controls:
        _check_controls(file, 1, header, header, "the header")
    _check_header(file, header, resource)
    rows, lines = [], []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue  # a blank line is not a row
            if len(record) != len(header):
                raise DataError(
                    file,
                    f"has {len(record)} fields where the header has {len(header)}",
                    line=reader.line_num,
                )
            if controls:
                _check_controls(file, reader.line_num, header, record, "text")
            rows.append([cell.strip() for cell in record])
            lines.append(reader.line_num)
    except csv.Error as err:
        raise DataError(file, f"is not well-formed CSV ({err})", line=reader.line_num) from None
    if not rows:
        raise DataError(
            file, "has a header but no rows; expected at least one row (was it cut short?)", line=2
        )
    frame = pd.DataFrame(rows, columns=header, dtype=object)[resource.columns]
    frame.insert(0, "_line", lines)
    return frame


# --------------------------------------------------------------------------- cells


def whole(file: Path, row: dict, column: str, minimum: int = 0) -> int | None:
    """A blank cell is ``None`` (unknown); anything else must be a whole number >= minimum.

    Only digits count: '1e3', '1_0', '1.0' and '+1' are refused, not read as numbers.
    """
    text = row[column]
    if text == "":
        return None
    if not WHOLE_NUMBER.fullmatch(text) or int(text) < minimum:
        raise row_error(
            file, row, column, f"expected a whole number >= {minimum} (or blank for unknown)"
        )
    return int(text)


def _check_cell(file: Path, row: dict, field: Field) -> None:
    value = row[field.name]
    if value == "":
        if field.required:
            what = (
                "a figure must name the public page it comes from (an http or https address)"
                if field.uri
                else "a value is required"
            )
            raise row_error(file, row, field.name, f"is blank, but {what}")
        return
    if field.type == "integer":
        whole(file, row, field.name, minimum=field.minimum or 0)
    if field.enum and value not in field.enum:
        raise row_error(file, row, field.name, f"expected one of {sorted(field.enum)}")
    if field.separator:
        parts = split_cell(value, field.separator)
        for n, part in enumerate(parts, 1):
            if field.uri and (";" in part or not _URI.fullmatch(part)):
                raise row_error(
                    file, row, field.name,
                    f"address {n} of {len(parts)}, {part!r}, is not an http or https address "
                    f"(separate several with {field.separator!r})",
                )  # fmt: skip
    if field.pattern and not re.fullmatch(field.pattern, value):
        raise row_error(file, row, field.name, f"expected the pattern {field.pattern}")
    if field.uri and not field.separator and not _URI.fullmatch(value):
        raise row_error(file, row, field.name, "expected an http or https address")


def check_cells(file: Path, rows: list[dict], resource: Resource) -> None:
    """Every cell against its field: required, whole number, allowed values, pattern, address."""
    for row in rows:
        for field in resource.fields:
            _check_cell(file, row, field)


def check_primary_key(file: Path, frame: pd.DataFrame, resource: Resource) -> None:
    """No two rows share the primary key (compared ignoring case)."""
    key = list(resource.primary_key)
    if not key:
        return
    seen: dict[tuple, int] = {}
    for row in frame[["_line", *key]].to_dict("records"):
        values = tuple(str(row[k]).casefold() for k in key)
        if values in seen:
            raise row_error(
                file, row, key[-1],
                f"duplicated {' + '.join(key)} (first on line {seen[values]}); each must be "
                "unique",
            )  # fmt: skip
        seen[values] = row["_line"]


def check_foreign_keys(
    file: Path, frame: pd.DataFrame, resource: Resource, loaded: dict[str, pd.DataFrame]
) -> None:
    """Every foreign key matches a row of the table it refers to (already loaded)."""
    for fk in resource.foreign_keys:
        target = loaded[fk.resource]
        known = set(target[list(fk.reference)].itertuples(index=False, name=None))
        for row in frame[["_line", *fk.fields]].to_dict("records"):
            values = tuple(row[f] for f in fk.fields)
            if values not in known:
                what = ", ".join(f"{r} {v!r}" for r, v in zip(fk.reference, values, strict=True))
                raise row_error(
                    file, row, fk.fields[-1],
                    f"no row in {resources()[fk.resource].file} with {what}",
                )  # fmt: skip
