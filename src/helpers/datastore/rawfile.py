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
"""

from __future__ import annotations

import codecs
import gzip
import re
import zlib
from pathlib import Path

import numpy as np

from helpers.datastore.columns import DatastoreError

ENCODING = "cp1252"

# A multi-byte UTF-8 sequence. In Windows-1252 text these byte pairs are accented capitals
# followed by typographic punctuation ('Ã©', 'â€™'): what UTF-8 looks like read the wrong way.
_UTF8 = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped if it is gzip (by its magic bytes, not its name)."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
        return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as err:
        raise DatastoreError(f"{path.name}: cannot be read ({err})") from None


def _line_of(data: bytes, position: int) -> int:
    return data.count(b"\n", 0, position) + 1


def _undefined(err: UnicodeDecodeError) -> tuple[str, int]:
    """Decode error handler for the five bytes Windows-1252 leaves undefined: the control
    character of the same number, as Windows itself reads them."""
    return chr(err.object[err.start]), err.start + 1


codecs.register_error("helpers-windows-1252", _undefined)


def _utf8_sequences(data: bytes) -> list[re.Match]:
    """Every UTF-8 multi-byte sequence in the bytes (looked for only where a byte is non-ASCII)."""
    found: list[re.Match] = []
    after = 0
    for position in np.flatnonzero(np.frombuffer(data, dtype=np.uint8) >= 0x80).tolist():
        if position >= after and (match := _UTF8.match(data, position)) is not None:
            found.append(match)
            after = match.end()
    return found


def _snippet(data: bytes, found: re.Match) -> str:
    start = max(data.rfind(b"\n", 0, found.start()) + 1, found.start() - 20)
    end = data.find(b"\n", found.end())
    end = found.end() + 20 if end < 0 else min(end, found.end() + 20)
    return data[start:end].decode("utf-8", "helpers-windows-1252").strip()


def decode(data: bytes, source: str) -> tuple[bytes, dict | None]:
    """The file's text as UTF-8 bytes, and a problem row if any of it was UTF-8 already.

    Returns
    -------
    tuple
        ``(utf8_bytes, problem)``: ``problem`` is ``None`` for a file wholly in Windows-1252,
        else a dict with ``file``, ``record`` (the first such line), ``service_id`` (empty),
        ``column`` (empty), ``value`` (the text around it) and ``problem``.
    """
    if data.isascii():
        return data, None
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
            f"{count} UTF-8 character{'s' if count != 1 else ''} inside Windows-1252 text: "
            "read as UTF-8, the rest as Windows-1252"
        )
    found = sequences[0]
    problem = {
        "file": source,
        "record": _line_of(data, found.start()),
        "service_id": "",
        "column": "",
        "value": _snippet(data, found),
        "problem": what,
    }
    return text.encode("utf-8"), problem


def check_shape(data: bytes, source: str) -> None:
    """Raise if any record has more or fewer fields than the header.

    Fields are counted by the commas and line ends outside quotes: in a CSV the parity of the
    quotes seen so far says whether a byte is inside a quoted field (a doubled quote inside one
    flips it twice). Empty lines are not records.

    Raises
    ------
    DatastoreError
        Naming the file, the line, the record's first field and both counts.
    """
    raw = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(raw == ord('"'))

    def outside(positions: np.ndarray) -> np.ndarray:
        # Outside quotes: an even number of quote characters before the position.
        return positions[np.searchsorted(quotes, positions) % 2 == 0]

    ends = outside(np.flatnonzero(raw == ord("\n")))
    if len(raw) and (not len(ends) or ends[-1] != len(raw) - 1):
        ends = np.append(ends, len(raw))  # a last record with no line end
    commas = outside(np.flatnonzero(raw == ord(",")))
    starts = np.concatenate([[0], ends[:-1] + 1]).astype(np.int64)
    fields = np.searchsorted(commas, ends) - np.searchsorted(commas, starts) + 1
    span = ends - starts
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
