"""A datastore file's bytes, checked before any value is read: encoding and shape.

The datastore is published as Windows-1252 text, but not always wholly so: one month of the 39
(June 2019) is UTF-8 throughout, and others carry UTF-8 text pasted into Windows-1252 cells
('décor' as the bytes of UTF-8). Read as Windows-1252 either would become mojibake ('dÃ©cor').
:func:`decode` reads every UTF-8 sequence as UTF-8 and every other byte as Windows-1252, and says
so, with the file and the line, in a problem row; the text handed on is UTF-8.

A row with more fields than the header, or fewer, would be trimmed or padded by a CSV reader
that reads selected columns; :func:`check_shape` counts every record's fields and names the
first that differs.

Both work on the raw bytes, a few milliseconds a file, so every read can afford them.

No file is read past :data:`MAX_CSV_BYTES` of text, gzipped or not (a small gzip can hold
gigabytes of zeros), and no record may be longer than :data:`MAX_RECORD_BYTES`.
"""

from __future__ import annotations

import codecs
import contextlib
import gzip
import re
import zlib
from pathlib import Path

import numpy as np

from helpers.datastore.columns import DatastoreError

ENCODING = "cp1252"
#: The most text a datastore file may hold once decompressed: a month is 7 to 20 MB (2016-2026),
#: so ten times the largest; a file past it is refused before it fills memory.
MAX_CSV_BYTES = 200 * 2**20
#: The longest record (line) a datastore file may hold: the longest published is 18 KB.
MAX_RECORD_BYTES = 2**20

# A multi-byte UTF-8 sequence. In Windows-1252 text these byte pairs are accented capitals
# followed by typographic punctuation ('Ã©', 'â€™'): what UTF-8 looks like read the wrong way.
_UTF8 = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def size_text(size: int) -> str:
    """A byte count for messages: '200 MB' for whole megabytes, else '1,000 bytes'."""
    return f"{size // 2**20} MB" if size >= 2**20 and not size % 2**20 else f"{size:,} bytes"


def read_bytes(path: Path, limit: int = MAX_CSV_BYTES) -> bytes:
    """The file's bytes, gunzipped if it is gzip (by its magic bytes, not its name).

    Decompressed as a stream, never past ``limit`` bytes (default :data:`MAX_CSV_BYTES`).

    Raises
    ------
    DatastoreError
        If the file cannot be read, is broken gzip, or holds more than ``limit`` bytes of text.
    """
    try:
        with open(path, "rb") as fh:
            gzipped = fh.read(2) == b"\x1f\x8b"
            fh.seek(0)
            with gzip.GzipFile(fileobj=fh) if gzipped else contextlib.nullcontext(fh) as text:
                data = text.read(limit + 1)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as err:
        raise DatastoreError(f"{path.name}: cannot be read ({err})") from None
    if len(data) > limit:
        raise DatastoreError(
            f"{path.name}: holds more than {size_text(limit)} of text"
            f"{' once decompressed' if gzipped else ''}, far more than a month of the datastore "
            "(7 to 20 MB): not read"
        )
    return data


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def _undefined(err: UnicodeDecodeError) -> tuple[str, int]:
    """Decode error handler for the five bytes Windows-1252 leaves undefined: the control
    character of the same number, as Windows itself reads them."""
    return chr(err.object[err.start]), err.start + 1


codecs.register_error("helpers-windows-1252", _undefined)


def _utf8_sequences(data: bytes) -> list[re.Match]:
    """Every valid UTF-8 multi-byte sequence in the bytes (looked for only where a byte is
    non-ASCII; a run the pattern allows but UTF-8 does not, such as a surrogate, is not one)."""
    found: list[re.Match] = []
    after = 0
    for position in np.flatnonzero(np.frombuffer(data, dtype=np.uint8) >= 0x80).tolist():
        if position >= after and (match := _UTF8.match(data, position)) is not None:
            try:
                match[0].decode("utf-8")
            except UnicodeDecodeError:
                continue
            found.append(match)
            after = match.end()
    return found


def _problem(source: str, data: bytes, position: int, value: str, what: str) -> dict:
    """A problem row for text at ``position``: its line, and the field's number in its record
    as ``column`` (the caller names it from the header). The value is only the characters
    concerned, never the text around them, which may be a person's name or contact details."""
    return {
        "file": source,
        "record": _line_of(data, position),
        "service_id": "",
        "column": field_at(data, position),
        "value": value,
        "problem": what,
    }


def decode(data: bytes, source: str) -> tuple[bytes, list[dict]]:
    """The file's text as UTF-8 bytes with ``\\n`` line ends, and a problem row for anything
    that was not Windows-1252 text as published.

    - A UTF-16 file (byte-order mark) is decoded as UTF-16; a UTF-8 byte-order mark is dropped
      and the file read, and reported, as UTF-8 (even if every character is ASCII).
    - A file wholly valid UTF-8 is read as UTF-8; UTF-8 sequences inside Windows-1252 text are
      read as UTF-8 and every other byte as Windows-1252.
    - Line ends of a lone carriage return (old Mac files) become line feeds.

    Returns
    -------
    tuple
        ``(utf8_bytes, problems)``: each problem has ``file``, ``record`` (the line),
        ``service_id`` (empty), ``column`` (the field's number in its record), ``value`` and
        ``problem``.
    """
    data, problems, marked_utf8 = _byte_order_mark(data, source)
    if b"\r" in data and b"\n" not in data:
        data = data.replace(b"\r", b"\n")
        what = "lines end in a carriage return alone: read as line ends"
        problems.append(_problem(source, data, 0, "", what))
    if marked_utf8 or data.isascii():
        return data, problems
    text, problem = _utf8_within_windows_1252(data, source)
    return text, problems + ([problem] if problem else [])


def _byte_order_mark(data: bytes, source: str) -> tuple[bytes, list[dict], bool]:
    """The text after a byte-order mark, as UTF-8 bytes, a problem row naming the encoding the
    mark gave, and whether the file is UTF-8 by its mark.

    UTF-16 is decoded. A UTF-8 mark is dropped; if the bytes after it are not UTF-8 the file is
    Windows-1252 after all, and no problem is said of the mark. Without a mark: as it is.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as err:
            raise DatastoreError(f"{source}: begins as UTF-16 but is not ({err})") from None
        what = "the file is UTF-16, not Windows-1252 as the datastore is published: read as UTF-16"
        return data, [_problem(source, data, 0, "", what)], False
    if data[:3] != b"\xef\xbb\xbf":
        return data, [], False
    data = data[3:]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data, [], False
    # UTF-8 by its mark, even if every character is ASCII: reported as such.
    what = (
        "the file is UTF-8 (it begins with a byte-order mark), not Windows-1252 as the "
        "datastore is published: read as UTF-8"
    )
    return data, [_problem(source, data, 0, "", what)], True


def _utf8_within_windows_1252(data: bytes, source: str) -> tuple[bytes, dict | None]:
    """Unmarked text that is not ASCII, as UTF-8 bytes: every UTF-8 sequence read as UTF-8,
    every other byte as Windows-1252 (a file wholly valid UTF-8 is UTF-8). With a problem row
    at the first UTF-8 sequence, or None if there is none (Windows-1252 as published)."""
    sequences = _utf8_sequences(data)
    if not sequences:
        return data.decode(ENCODING, "helpers-windows-1252").encode("utf-8"), None
    try:
        text = data.decode("utf-8")
        what = "the file is UTF-8, not Windows-1252 as the datastore is published: read as UTF-8"
    except UnicodeDecodeError:
        pieces, done = [], 0
        for match in sequences:
            pieces += [data[done : match.start()].decode(ENCODING, "helpers-windows-1252")]
            pieces += [match[0].decode("utf-8")]
            done = match.end()
        text = "".join([*pieces, data[done:].decode(ENCODING, "helpers-windows-1252")])
        count = len(sequences)
        what = (
            f"{count} UTF-8 character{'s' if count != 1 else ''} inside Windows-1252 text "
            "(the first here): read as UTF-8, the rest as Windows-1252"
        )
    first = sequences[0]
    problem = _problem(source, data, first.start(), first[0].decode("utf-8"), what)
    return text.encode("utf-8"), problem


def _quoted_spans(data: bytes, quotes: list[int]) -> np.ndarray:
    """Start and end of every quoted field, flattened, as the CSV readers tokenize them: a quote
    opens a field only at its start (after a comma or a line end); inside, a doubled quote is a
    quote; a quote anywhere else is a literal character."""
    spans: list[int] = []
    i, n = 0, len(quotes)
    while i < n:
        start = quotes[i]
        if start and data[start - 1] not in b",\n\r":
            i += 1  # a bare quote in an unquoted field: literal
            continue
        j = i + 1
        while j + 1 < n and quotes[j + 1] == quotes[j] + 1:
            j += 2  # a doubled quote inside the field
        end = quotes[j] if j < n else len(data)
        spans += [start, end]
        i = j + 1
    return np.asarray(spans, dtype=np.int64)


def _outside(spans: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The positions that are not inside a quoted field."""
    return positions[np.searchsorted(spans, positions, side="right") % 2 == 0]


def field_at(data: bytes, position: int) -> int:
    """The number (from 0) of the field that holds byte ``position``, in its record."""
    raw = np.frombuffer(data, dtype=np.uint8)[:position]
    spans = _quoted_spans(data, np.flatnonzero(raw == ord('"')).tolist())
    ends = _outside(spans, np.flatnonzero(raw == ord("\n")))
    start = int(ends[-1]) + 1 if len(ends) else 0
    return len(_outside(spans, np.flatnonzero(raw[start:] == ord(",")) + start))


def check_shape(data: bytes, source: str) -> None:
    """Raise if any record has more or fewer fields than the header, or is longer than
    :data:`MAX_RECORD_BYTES`.

    Fields are counted by the commas and line ends outside quoted fields, tokenized as pandas
    and the csv module do (:func:`_quoted_spans`). Empty lines are not records.

    Raises
    ------
    DatastoreError
        Naming the file, the line, the record's first field and both counts.
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    spans = _quoted_spans(data, np.flatnonzero(raw == ord('"')).tolist())

    ends = _outside(spans, np.flatnonzero(raw == ord("\n")))
    if len(raw) and (not len(ends) or ends[-1] != len(raw) - 1):
        ends = np.append(ends, len(raw))  # a last record with no line end
    commas = _outside(spans, np.flatnonzero(raw == ord(",")))
    starts = np.concatenate([[0], ends[:-1] + 1]).astype(np.int64)
    fields = np.searchsorted(commas, ends) - np.searchsorted(commas, starts) + 1
    span = ends - starts
    if len(span) and span.max() > MAX_RECORD_BYTES:
        longest = int(np.argmax(span))
        raise DatastoreError(
            f"{source}: line {_line_of(data, int(starts[longest]))} is a record of "
            f"{int(span[longest]):,} bytes, longer than any datastore record may be "
            f"({size_text(MAX_RECORD_BYTES)}; the longest published is 18 KB): not read"
        )
    first_byte = raw[np.minimum(starts, max(len(raw) - 1, 0))] if len(raw) else raw
    empty = (span == 0) | ((span == 1) & (first_byte == ord("\r")))
    fields[empty] = fields[0] if len(fields) else 0  # empty lines: not records
    bad = np.flatnonzero(fields != fields[0]) if len(fields) else []
    if len(bad):
        first = int(bad[0])
        record = data[starts[first] : ends[first]].rstrip(b"\r")
        lead = record.split(b",", 1)[0].decode(ENCODING, "replace").strip('"')
        raise DatastoreError(
            f"{source}: line {_line_of(data, int(starts[first]))} (beginning {lead!r}) has "
            f"{int(fields[first])} fields where the header has {int(fields[0])}"
            f"{f' ({len(bad)} such records in all)' if len(bad) > 1 else ''}; "
            "a row that is cut short or runs over is not read by guesswork"
        )
