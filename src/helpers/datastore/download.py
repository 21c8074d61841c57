"""Download the latest month of the datastore from the Care Inspectorate's website.

The landing page links to one page per month (links holding ``datastore-``); each month's page
links to a ``.csv``. :func:`download_latest` picks the latest month by the month and year in the
link's text or address, downloads its CSV and saves it, gzip-compressed like the shared
snapshots, as ``datastore_YYYY-MM-DD.csv.gz`` (the date from the CSV's official name, else the
last day of the page's month).

A download never replaces a good file with a bad one: the body goes to a temporary file in the
destination folder, is checked (HTTP status, length against ``Content-Length``, parsed with
:func:`~helpers.datastore.read_snapshot`, and at least half as many services as the month before
unless ``accept_shrink``), and only then renamed into place with :func:`os.replace`. Also:

- one deadline (``deadline`` seconds, default :data:`DEADLINE`) covers the pages and the file
  together, decompressing and checking the file included, and the whole of each exchange:
  every socket operation (connect, TLS handshake, request, response headers, chunk-size lines,
  body) waits only the time left, so a server that trickles its answer a byte at a time cannot
  hold a download past it (the name lookup alone is the system resolver's, with its own
  limits);
- only http(s) addresses are followed, whether given, linked from a page or redirected to;
- a file of more than :data:`MAX_BYTES` as sent, or more than ``max_csv_bytes`` of text once
  decompressed (a small gzip can hold gigabytes of zeros), is refused: a body sent gzipped is
  decompressed as a stream, a block at a time, and never inflated whole;
- no temporary file (``.datastore-*.part``) outlives a download, on an error, Ctrl-C or SIGTERM;
  ones a killed download left are removed at the next start, with a warning on this module's
  logger;
- a month is not saved beside another file of the same date (say ``datastore_YYYY-MM-DD.csv``,
  plain), which would give the folder the month twice.
- a month saved already is never replaced: the same CSV again leaves the file untouched (and
  says so), a different one is refused unless ``replace``;
- a CSV whose name dates it outside the month of the page linking it is refused before it is
  fetched, unless ``accept_date_mismatch``;
- a body whose end cannot be checked (no ``Content-Length``, not chunked, not gzip) must end with
  a whole line and hold as many services as the month before, unless ``accept_shrink``;
- the saved file's permissions are any new file's (0o666 less the umask).

:func:`download_latest` returns a :class:`Download`; its :meth:`Download.summary` is what the
command line (``python -m helpers.datastore download``) prints.
"""

from __future__ import annotations

import calendar
import contextlib
import functools
import gzip
import http.client
import io
import logging
import os
import re
import shutil
import signal
import socket
import ssl
import tempfile
import threading
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from datetime import date
from email.message import Message
from html.parser import HTMLParser
from http.client import HTTPException
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urljoin, urlparse

from helpers.atomic import public
from helpers.datastore import rawfile
from helpers.datastore.cache import SNAPSHOT_NAME
from helpers.datastore.columns import DatastoreError
from helpers.datastore.snapshot import (
    Snapshot,
    last_day_of_month,
    read_snapshot,
    snapshot_date_from_name,
)
from helpers.paths import datastore_dir

try:
    import fcntl
except ImportError:  # Windows: no advisory locks, so every leftover temporary counts as stale
    fcntl = None

logger = logging.getLogger(__name__)

#: The Care Inspectorate's datastore landing page.
DATASTORE_PAGE = "https://www.careinspectorate.scot/resources-data/data-and-statistics/datastore"
USER_AGENT = "helpers-datastore/0.1 (+https://github.com/; analysis of children's services)"
#: Seconds one socket operation (connect, or one read) may wait.
TIMEOUT = 60
#: Seconds a whole download may take, pages and file together.
DEADLINE = 600
#: The only schemes followed, from any page or redirect: never ``file:``, ``ftp:`` or others.
SCHEMES = ("http", "https")
#: A download larger than this is not a month of the datastore (one is about 15 MB).
MAX_BYTES = 500 * 2**20
_CHUNK = 1 << 16
#: Bytes of text handled at a time when compressing, decompressing or comparing a file.
_BLOCK = 1 << 20
#: The names of the downloader's temporary files (and only its), e.g. ``.datastore-x1y2.csv.part``.
_TEMP_PREFIX, _TEMP_SUFFIX = ".datastore-", ".part"

_MONTH_WORDS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTH_WORDS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTH_ALTERNATIVES = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
# 'May 2026', 'datastore-sept-2025', 'December-2024': a month word, then a four-digit year.
_MONTH_YEAR = re.compile(rf"(?<![a-z])({_MONTH_ALTERNATIVES})[a-z]*[\s_\-]*(\d{{4}})", re.I)


class DownloadError(DatastoreError):
    """The datastore could not be downloaded; any existing file was left as it was."""


@dataclass(frozen=True)
class Download:
    """What :func:`download_latest` saved.

    Attributes
    ----------
    path
        The saved file, ``datastore_YYYY-MM-DD.csv.gz``.
    url
        The address the CSV was downloaded from.
    snapshot
        The saved file as :func:`~helpers.datastore.read_snapshot` reads it.
    unchanged
        True if the folder held this very CSV already: nothing was written.
    """

    path: Path
    url: str
    snapshot: Snapshot
    unchanged: bool = False

    def summary(self) -> str:
        """What was saved, for people: the file, its date, its counts and its problems.

        Problems (values kept but not understood, see :attr:`Snapshot.problems`) are counted by
        problem and column, so a month that changed how a column is filled shows at once.
        """
        snap = self.snapshot
        lines = [
            f"already saved, unchanged: {self.path} holds this very CSV"
            if self.unchanged
            else f"saved {self.path}",
            f"  from {self.url}",
            f"  snapshot date {snap.snapshot_date:%Y-%m-%d}: {len(snap.services)} services, "
            f"{len(snap.grades)} grades",
        ]
        if snap.problems.empty:
            lines.append("  problems: none")
            return "\n".join(lines)
        counts = snap.problems.groupby(["problem", "column"]).size().sort_index()
        lines.append(f"  problems: {len(snap.problems)} (values kept but not understood)")
        lines += [f"    {problem} [{column}]: {n}" for (problem, column), n in counts.items()]
        return "\n".join(lines)


class DownloadInterrupted(SystemExit):
    """SIGTERM stopped a download: nothing was saved and its temporary files were removed.

    A :class:`SystemExit` (exit status 128 + the signal's number), so that an uncaught one ends
    the program as the signal would have, but only after ``finally`` blocks have run.
    """


class _OutOfTimeError(TimeoutError):
    """The download's deadline passed during (or before) a socket operation."""


class _Deadline:
    """One time limit for a whole download: every page and the file count against it.

    Every socket operation of the download (connect, the TLS handshake, each send and each
    receive, see :class:`_DeadlineSocket`) may wait only the time left, so the deadline bounds
    the whole exchange: a server trickling its headers or chunk-size lines a byte at a time is
    stopped as surely as one that stalls. :attr:`doing` and :attr:`url` say what the download
    was doing, for the message.
    """

    def __init__(self, seconds: float) -> None:
        if not seconds > 0:
            raise ValueError(f"deadline must be a positive number of seconds, not {seconds!r}")
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.url = ""
        self.doing = "starting to fetch"
        self.received: int | None = None

    def at(self, doing: str, url: str | None = None, received: int | None = None) -> None:
        """Record what the download is doing now (and, reading a body, how much it has)."""
        self.doing = doing
        self.received = received
        if url is not None:
            self.url = url

    def wait(self) -> float:
        """Seconds the next socket operation may wait: the time left, at most :data:`TIMEOUT`.

        Raises :class:`_OutOfTimeError` once no time is left.
        """
        left = self.end - time.monotonic()
        if left <= 0:
            raise _OutOfTimeError(self.message())
        return min(left, TIMEOUT)

    def message(self) -> str:
        got = "" if self.received is None else f" ({self.received} bytes received)"
        return (
            f"gave up after the deadline of {self.seconds:g} s (for the pages and the file "
            f"together) while {self.doing} {self.url}{got}"
        )

    def error(self) -> DownloadError:
        return DownloadError(self.message())


def _bounded(sock: socket.socket, deadline: _Deadline, operation, *args):
    """Run one blocking socket ``operation``, waiting at most the time ``deadline`` leaves.

    A wait cut short by the deadline that times out raises :class:`_OutOfTimeError`; one that waited
    the full :data:`TIMEOUT` raises the plain :class:`TimeoutError` (the server went quiet).
    """
    wait = deadline.wait()
    sock.settimeout(wait)
    try:
        return operation(*args)
    except TimeoutError:
        if wait < TIMEOUT or time.monotonic() >= deadline.end:
            raise _OutOfTimeError(deadline.message()) from None
        raise


class _KeepsDeadline:
    """What a socket that keeps the deadline adds to its base class: :attr:`deadline` (none:
    a plain socket), and each operation run through :func:`_bounded`.

    Mixed into :class:`_DeadlineSocket` and :class:`_DeadlineSSLSocket`, before the socket class,
    so that ``super()`` in an operation is the socket's own.
    """

    deadline: _Deadline | None = None

    def _run(self, operation, *args):
        if self.deadline is None:
            return operation(*args)
        return _bounded(self, self.deadline, operation, *args)

    def send(self, *args):
        return self._run(super().send, *args)


class _DeadlineSocket(_KeepsDeadline, socket.socket):
    """A socket whose every connect, send and receive waits at most the deadline's time left.

    http.client reads the status line, headers, chunk-size lines and body through
    ``makefile()``, which calls :meth:`recv_into`: so each of those reads is bounded too.
    """

    def connect(self, address):
        return self._run(super().connect, address)

    def recv(self, *args):
        return self._run(super().recv, *args)

    def recv_into(self, *args):
        return self._run(super().recv_into, *args)

    def sendall(self, *args):
        return self._run(super().sendall, *args)


class _DeadlineSSLSocket(_KeepsDeadline, ssl.SSLSocket):
    """The TLS side of :class:`_DeadlineSocket`: the handshake, each read and each write.

    (``recv``, ``recv_into`` and ``sendall`` go through :meth:`read` and :meth:`send`.)
    """

    def do_handshake(self, *args):
        return self._run(super().do_handshake, *args)

    def read(self, *args):
        return self._run(super().read, *args)


def _connect(deadline: _Deadline, address, source_address=None) -> _DeadlineSocket:
    """Connect to ``(host, port)`` as :func:`socket.create_connection` does, within the deadline.

    Each address the name resolves to is tried in turn, each waiting only the time left. (The
    name lookup itself is the system resolver's and keeps its own time limits.)
    """
    host, port = address
    error: OSError | None = None
    for family, kind, proto, _, sockaddr in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
        sock = _DeadlineSocket(family, kind, proto)
        sock.deadline = deadline
        try:
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except _OutOfTimeError:
            sock.close()
            raise
        except OSError as err:
            sock.close()
            error = err
    raise error or OSError(f"{host}: the name resolves to no address")


class _DeadlineHTTPConnection(http.client.HTTPConnection):
    """An HTTP connection whose sockets keep the deadline, saying what it is doing."""

    def __init__(self, *args, deadline: _Deadline, **kwargs):
        super().__init__(*args, **kwargs)
        self._deadline = deadline
        self._create_connection = lambda address, timeout=None, source=None: _connect(
            deadline, address, source
        )

    def connect(self):
        self._deadline.at("connecting to")
        super().connect()
        self._deadline.at("sending the request to")

    def getresponse(self):
        self._deadline.at("reading the response headers from")
        response = super().getresponse()
        self._deadline.at("reading the body of", received=0)
        return response


class _DeadlineHTTPSConnection(_DeadlineHTTPConnection, http.client.HTTPSConnection):
    """The same over TLS: the handshake and every TLS read and write keep the deadline too."""

    def connect(self):
        self._deadline.at("connecting to")
        http.client.HTTPConnection.connect(self)
        sock = self._context.wrap_socket(
            self.sock,
            server_hostname=self._tunnel_host or self.host,
            do_handshake_on_connect=False,
        )
        sock.deadline = self._deadline
        self.sock = sock
        sock.do_handshake()
        self._deadline.at("sending the request to")


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The default TLS settings (certificates checked), with sockets that keep the deadline.

    Made once, at the first https address (loading the system's certificates takes 0.1 s).
    """
    context = ssl.create_default_context()
    context.sslsocket_class = _DeadlineSSLSocket
    return context


class _OpensWithinDeadline:
    """What a urllib handler that keeps the deadline adds: each connection it opens is
    ``connection`` (:class:`_DeadlineHTTPConnection` or its TLS side) given the deadline."""

    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def _open_within(self, connection: type, req, **kwargs):
        self._deadline.at("connecting to", req.full_url)
        opened = functools.partial(connection, deadline=self._deadline)
        return self.do_open(opened, req, **kwargs)


class _DeadlineHTTPHandler(_OpensWithinDeadline, urllib.request.HTTPHandler):
    def http_open(self, req):
        return self._open_within(_DeadlineHTTPConnection, req)


class _DeadlineHTTPSHandler(_OpensWithinDeadline, urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self._open_within(_DeadlineHTTPSConnection, req, context=_tls_context())


class _Links(HTMLParser):
    """Collect (href, text) of every ``<a>`` in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def _links(html: str, base: str) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(html)
    return [(urljoin(base, href), text) for href, text in parser.links if href]


def _require_http(url: str, source: str = "") -> None:
    """Refuse any address that is not http(s); ``source`` says where it came from."""
    if urlparse(url).scheme.lower() not in SCHEMES:
        where = f" ({source})" if source else ""
        raise DownloadError(f"{url}{where}: only http and https links are followed")


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) addresses only (urllib's own handler also follows ftp)."""

    def http_error_302(self, req, fp, code, msg, headers):
        location = headers.get("Location") or headers.get("URI")
        if location:
            try:
                _require_http(urljoin(req.full_url, location), f"redirected from {req.full_url}")
            except DownloadError:
                fp.close()
                raise
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def _opener(deadline: _Deadline) -> urllib.request.OpenerDirector:
    """An opener for http(s) only (no handler for ``file:``, ``ftp:`` or ``data:`` addresses),
    whose every socket operation keeps ``deadline``."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        _DeadlineHTTPHandler(deadline),
        _DeadlineHTTPSHandler(deadline),
        urllib.request.HTTPDefaultErrorHandler(),
        _HttpOnlyRedirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def _out_of_time(err: BaseException) -> bool:
    """Whether ``err`` is the deadline's doing (urllib wraps errors of the request in URLError)."""
    return isinstance(err, _OutOfTimeError) or isinstance(
        getattr(err, "reason", None), _OutOfTimeError
    )


def _open(url: str, deadline: _Deadline):
    _require_http(url)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    deadline.at("starting to fetch", url)
    try:
        deadline.wait()
        return _opener(deadline).open(request, timeout=TIMEOUT)
    except urllib.error.HTTPError as err:
        err.close()
        raise DownloadError(f"{url}: HTTP {err.code} {err.reason}") from None
    except (urllib.error.URLError, OSError, HTTPException) as err:
        if _out_of_time(err):
            raise deadline.error() from None
        raise DownloadError(f"{url}: cannot be fetched ({err})") from None


def _get_text(url: str, deadline: _Deadline) -> str:
    """The page at ``url`` as text, decoded by its charset (default UTF-8)."""
    body = io.BytesIO()
    headers = _fetch(url, body, deadline)
    charset = headers.get_content_charset() or "utf-8"
    return body.getvalue().decode(charset, errors="replace")


def month_of(text: str) -> tuple[int, int] | None:
    """The (year, month) named in a link's text or address, e.g. 'Datastore May 2026'."""
    found = [(int(m[2]), _MONTH_WORDS[m[1].lower()]) for m in _MONTH_YEAR.finditer(unquote(text))]
    return max(found) if found else None


def _latest_month_page(landing_url: str, deadline: _Deadline) -> tuple[str, tuple[int, int]]:
    """The address of the latest month's page and its (year, month).

    Raises
    ------
    DownloadError
        If the landing page cannot be fetched by ``deadline``, or has no link holding
        'datastore-' with a month and year.
    """
    candidates = []
    for url, text in _links(_get_text(landing_url, deadline), landing_url):
        if "datastore-" not in url.lower():
            continue
        month = month_of(text) or month_of(urlparse(url).path)
        if month:
            candidates.append((month, url))
    if not candidates:
        raise DownloadError(
            f"{landing_url}: no link to a month's datastore page (a link holding 'datastore-' "
            "with a month and year in its text or address)"
        )
    month, url = max(candidates)
    _require_http(url, f"linked from {landing_url}")
    return url, month


def _csv_link(page_url: str, deadline: _Deadline) -> str:
    """The address of the ``.csv`` linked from a month's page (fetched by ``deadline``)."""
    for url, _ in _links(_get_text(page_url, deadline), page_url):
        if urlparse(url).path.lower().endswith(".csv"):
            _require_http(url, f"linked from {page_url}")
            return url
    raise DownloadError(f"{page_url}: no link to a .csv file on the page")


def _fetch(url: str, out: BinaryIO, deadline: _Deadline) -> Message:
    """Stream ``url`` into ``out``; returns the response's headers.

    Raises
    ------
    DownloadError
        If the address cannot be fetched, the transfer breaks off or outlasts ``deadline`` (a
        server sending slowly is stopped too: every socket operation, from the connect to the
        last read of the body, waits only the time left), or the body is shorter than the
        ``Content-Length`` the server sent (where it sent one; a chunked body that is cut off
        before its last, empty chunk is refused by http.client).
    """
    with _open(url, deadline) as response:
        expected = response.headers.get("Content-Length")
        start = out.tell()
        while True:
            deadline.at("reading the body of", response.geturl(), received=out.tell() - start)
            try:
                chunk = response.read1(_CHUNK)
            except (OSError, HTTPException) as err:
                if _out_of_time(err):
                    raise deadline.error() from None
                raise DownloadError(f"{url}: the download broke off ({err})") from None
            if not chunk:
                break
            out.write(chunk)
            if out.tell() - start > MAX_BYTES:
                raise DownloadError(
                    f"{url}: more than {MAX_BYTES // 2**20} MB, far more than a month of the "
                    "datastore (about 15 MB): not a datastore file"
                )
        got = out.tell() - start
        if expected is not None and expected.isdigit() and got != int(expected):
            raise DownloadError(
                f"{url}: received {got} bytes of {expected}: the download is truncated"
            )
        return response.headers


@contextlib.contextmanager
def _sigterm_raises():
    """While the block runs, SIGTERM raises :class:`DownloadInterrupted`; then the old handler.

    Only the main thread may set signal handlers: in another thread nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise DownloadInterrupted(128 + signum)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def _lock(fd: int) -> bool:
    """Lock ``fd`` for this process without waiting; whether it was free (no lock: always)."""
    if fcntl is None:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _temporary(folder: Path, suffix: str) -> tuple[Path, int]:
    """A new temporary file in ``folder`` and its descriptor, locked while the download runs."""
    fd, name = tempfile.mkstemp(dir=folder, prefix=_TEMP_PREFIX, suffix=suffix + _TEMP_SUFFIX)
    _lock(fd)
    return Path(name), fd


def _remove_stale_temporaries(folder: Path) -> list[Path]:
    """Remove the temporary files that a killed download left in ``folder``, and log them.

    A running download holds a lock on each of its temporary files, so those are left alone.
    """
    removed = []
    for path in sorted(folder.glob(f"{_TEMP_PREFIX}*{_TEMP_SUFFIX}")):
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:  # gone already, or not a file we can read
            continue
        try:
            if _lock(fd):
                path.unlink(missing_ok=True)
                removed.append(path)
        finally:
            os.close(fd)
    if removed:
        names = ", ".join(p.name for p in removed)
        logger.warning(
            "removed %d temporary file(s) left in %s by an earlier download that was stopped: %s",
            len(removed),
            folder,
            names,
        )
    return removed


def download_latest(
    dest_folder: str | Path | None = None,
    landing_url: str = DATASTORE_PAGE,
    *,
    accept_shrink: bool = False,
    deadline: float = DEADLINE,
    replace: bool = False,
    accept_date_mismatch: bool = False,
    max_csv_bytes: int = rawfile.MAX_CSV_BYTES,
) -> Download:
    """Download the latest month's datastore CSV into ``dest_folder``, saved only once it has
    passed every check the module's docstring lists.

    Parameters
    ----------
    dest_folder
        Where to save it; default :func:`helpers.paths.datastore_dir` (created if missing).
    landing_url
        The datastore landing page.
    accept_shrink
        Save a file listing fewer than half the services of the month before (or, sent
        without ``Content-Length``, fewer than it); by default it is refused.
    deadline
        Seconds the whole download may take: the pages and the file, checks included.
    replace
        Replace a saved month that differs from the download; by default a month already saved
        is never replaced (one holding the very same CSV is left as it is, and said so).
    accept_date_mismatch
        Save a CSV whose name dates it in another month than the page linking it (under the
        name's date); by default it is refused before it is downloaded.
    max_csv_bytes
        The most text the CSV may hold once decompressed (default
        :data:`~helpers.datastore.rawfile.MAX_CSV_BYTES`); a gzip is never inflated whole.

    Returns
    -------
    Download
        The saved file (``datastore_YYYY-MM-DD.csv.gz``, gzip of the CSV as published), its
        address and its :class:`~helpers.datastore.Snapshot`; ``.unchanged`` is true if the
        folder held this very CSV already (the file was left untouched).

    Raises
    ------
    DownloadError
        If a page or the file cannot be fetched within ``deadline``, is truncated or too large,
        or is not a datastore CSV; if a check above refuses it (unless its option lifts it); or
        if the folder holds the month under another name. Existing files are left untouched.
    DownloadInterrupted
        On SIGTERM (in the main thread): as on any error, nothing is saved, no temporary left.
    """
    clock = _Deadline(deadline)
    dest = _destination(dest_folder)
    with _sigterm_raises():
        url, target, when, page = _latest_csv(landing_url, dest, clock, accept_date_mismatch)
        snap, unchanged = _save(
            url, target, when, clock, accept_shrink,
            replace=replace, page=page, max_csv_bytes=max_csv_bytes,
        )  # fmt: skip
    return Download(path=target, url=url, snapshot=snap, unchanged=unchanged)


def _destination(dest_folder: str | Path | None) -> Path:
    """The folder to save in (default :func:`helpers.paths.datastore_dir`), made if missing,
    without the temporary files a killed download left there."""
    dest = Path(dest_folder) if dest_folder is not None else datastore_dir()
    dest.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(dest)
    return dest


def _latest_csv(
    landing_url: str, dest: Path, clock: _Deadline, accept_date_mismatch: bool
) -> tuple[str, Path, date, tuple[str, tuple[int, int]]]:
    """The latest month's CSV: its address, the file it would be saved as, its date, and its
    page with the page's (year, month). Refused here, before it is fetched, if its name dates
    it in another month (unless ``accept_date_mismatch``) or the folder holds its date under
    another name."""
    page, month = _latest_month_page(landing_url, clock)
    url = _csv_link(page, clock)
    target, when = _target(dest, url, month)
    if not accept_date_mismatch:
        _refuse_date_mismatch(url, page, month, target, when)
    _refuse_twin(target, when)
    return url, target, when, (page, month)


def _month_name(month: tuple[int, int]) -> str:
    return f"{calendar.month_name[month[1]]} {month[0]}"


def _refuse_date_mismatch(
    url: str, page: str, month: tuple[int, int], target: Path, when: date
) -> None:
    """Refuse a CSV whose name dates it in another month than the page that links it.

    The site may have linked the wrong month's file (an earlier month's, already saved, say).

    Raises
    ------
    DownloadError
        Naming both dates, the page and the name the file would be saved under.
    """
    if (when.year, when.month) == month:
        return
    raise DownloadError(
        f"{url}: not downloaded: its name dates it {when:%Y-%m-%d}, but the page linking it is "
        f"the month of {_month_name(month)} ({page}), so the site may link the wrong month's "
        f"file; if the date is right, pass accept_date_mismatch=True (--accept-date-mismatch) "
        f"to save it as {target.name}"
    )


def _target(dest: Path, url: str, month: tuple[int, int]) -> tuple[Path, date]:
    """Where the CSV at ``url`` is saved, and its date: from its name, else the page's month."""
    name = unquote(Path(urlparse(url).path).name)
    try:
        when = snapshot_date_from_name(name)
    except DatastoreError:
        when = last_day_of_month(*month)
    return dest / f"datastore_{when:%Y-%m-%d}.csv.gz", when


def _dated_snapshots(folder: Path) -> list[tuple[date, Path]]:
    """The snapshot files in ``folder`` whose names hold a date, oldest first."""
    found = []
    for path in folder.iterdir():
        if SNAPSHOT_NAME.match(path.name) and path.is_file():
            try:
                found.append((snapshot_date_from_name(path), path))
            except DatastoreError:
                continue
    return sorted(found)


def _refuse_twin(target: Path, when: date) -> None:
    """Refuse to save ``target`` beside another snapshot of the same date.

    E.g. ``datastore_2026-05-31.csv.gz`` beside ``datastore_2026-05-31.csv``, or the reverse:
    the folder would hold one month twice, which :func:`~helpers.datastore.history` refuses.
    A file of the very same name is no twin: it is the month saved already (see :func:`_save`).

    Raises
    ------
    DownloadError
        Naming the existing file(s).
    """
    twins = [p for d, p in _dated_snapshots(target.parent) if d == when and p.name != target.name]
    if twins:
        raise DownloadError(
            f"{target.name} is not saved: {', '.join(str(p) for p in twins)} is already a "
            f"snapshot of {when:%Y-%m-%d}; keep one file a month (remove or move the other)"
        )


def _refuse_shrink(snap: Snapshot, url: str, target: Path, when: date, whole: bool) -> None:
    """Refuse a month with fewer than half the services of the month before it in the folder.

    The month before is the newest snapshot in ``target``'s folder dated before ``when``, or the
    file of the same month that it would replace (a month downloaded again must not lose
    services either); a folder with neither has nothing to compare. A body that could not be
    checked ``whole`` (no ``Content-Length``, not chunked, not gzip) must hold at least as many
    services as that month: cut short at the end of a line, it would look like a valid month.

    Raises
    ------
    DownloadError
        Naming both files and both counts, or the earlier file if it cannot be read.
    """
    before = [p for d, p in _dated_snapshots(target.parent) if d < when]
    if target.exists():
        before.append(target)
    if not before:
        return
    previous = before[-1]
    hint = "pass accept_shrink=True (--accept-shrink) to save it anyway"
    try:
        old = len(read_snapshot(previous).services)
    except DatastoreError as err:
        raise DownloadError(
            f"{url}: cannot compare {target.name} with {previous}, which is unreadable ({err}); "
            f"{hint}"
        ) from None
    new = len(snap.services)
    which = "the file it would replace" if previous == target else "the month before"
    if 2 * new < old:
        raise DownloadError(
            f"{url}: {target.name} would hold {new} services, fewer than half the {old} in "
            f"{previous.name} ({which}); not saved, as the file is probably incomplete: "
            f"{hint}"
        )
    if not whole and new < old:
        raise DownloadError(
            f"{url}: {target.name} would hold {new} services, fewer than the {old} in "
            f"{previous.name} ({which}), and the server sent no Content-Length, so a file cut "
            f"short at the end of a line cannot be told from a smaller month; not saved: {hint}"
        )


def _sent_whole(headers, raw: Path) -> bool:
    """Whether the body's end was checked: by its ``Content-Length`` (:func:`_fetch` compares
    them), by chunked encoding's last, empty chunk (http.client requires it), or by gzip's own
    end (a cut-off gzip stream does not decompress)."""
    length = headers.get("Content-Length")
    if length is not None and length.strip().isdigit():
        return True
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        return True
    with open(raw, "rb") as fh:
        return fh.read(2) == b"\x1f\x8b"


def _refuse_cut_line(url: str, raw: Path) -> None:
    """Refuse a body of unchecked length whose last line has no end: it was cut mid-line."""
    with open(raw, "rb") as fh:
        size = fh.seek(0, os.SEEK_END)
        fh.seek(max(size - 80, 0))
        tail = fh.read()
    if not tail.endswith(b"\n"):
        last = tail.rsplit(b"\n", 1)[-1].decode("cp1252", errors="replace")
        raise DownloadError(
            f"{url}: the server sent no Content-Length, and the file's last line has no end "
            f"(it ends {last[-40:]!r}): the download was probably cut short; not saved"
        )


def _same_csv(a: Path, b: Path, deadline: _Deadline) -> bool:
    """Whether two gzipped files hold the same bytes once decompressed (gzip headers differ)."""
    deadline.at("comparing with the saved month the file from")
    with gzip.open(a, "rb") as fa, gzip.open(b, "rb") as fb:
        while True:
            deadline.wait()
            block_a, block_b = fa.read(1 << 20), fb.read(1 << 20)
            if block_a != block_b:
                return False
            if not block_a:
                return True


def _refuse_replacing(url: str, target: Path, when: date, page: tuple[str, tuple[int, int]]):
    """Refuse to replace a saved month with a download that differs from it.

    Raises
    ------
    DownloadError
        Naming the file, its date and the page's month.
    """
    link, month = page
    raise DownloadError(
        f"{url}: not saved: {target} already holds the month of {when:%Y-%m-%d}, and the "
        f"download from the page of {_month_name(month)} ({link}) differs from it; a month "
        "already saved is never replaced: if the new copy is the right one, pass replace=True "
        "(--replace)"
    )


class _Timed:
    """A file to read from that keeps the deadline: each read waits for none left."""

    def __init__(self, file: BinaryIO, deadline: _Deadline) -> None:
        self._file, self._deadline = file, deadline

    def read(self, size: int = -1) -> bytes:
        self._deadline.wait()
        return self._file.read(size)


def _pack(url: str, raw: Path, gz: Path, deadline: _Deadline, max_csv_bytes: int) -> None:
    """Write the body at ``raw`` gzipped to ``gz``: gzip it, or, sent gzipped already
    (``Content-Encoding: gzip``, or a ``.csv.gz``), copy it after decompressing it as a stream
    to count its text, never holding more than a block of it.

    Both keep the deadline, block by block.

    Raises
    ------
    DownloadError
        If the text is larger than ``max_csv_bytes`` (a small gzip can inflate to gigabytes),
        or the gzip is broken; naming the address and the limit.
    """
    too_big = DownloadError(
        f"{url}: the file holds more than {rawfile.size_text(max_csv_bytes)} of text, far more "
        "than a month of the datastore (7 to 20 MB): not a datastore file; not saved"
    )
    with open(raw, "rb") as src, open(gz, "wb") as packed:
        if src.read(2) == b"\x1f\x8b":  # sent gzipped already (Content-Encoding: gzip)
            deadline.at("decompressing the file from", url)
            src.seek(0)
            size = 0
            try:
                with gzip.GzipFile(fileobj=src) as text:
                    while block := _Timed(text, deadline).read(_BLOCK):
                        size += len(block)
                        if size > max_csv_bytes:
                            raise too_big
            except _OutOfTimeError:
                raise deadline.error() from None
            except (OSError, EOFError, zlib.error) as err:
                raise DownloadError(f"{url}: gzip, but broken ({err}); not saved") from None
            src.seek(0)
            shutil.copyfileobj(src, packed, length=_BLOCK)
            return
        if os.fstat(src.fileno()).st_size > max_csv_bytes:
            raise too_big
        deadline.at("compressing the file from", url)
        src.seek(0)
        try:
            with gzip.GzipFile(fileobj=packed, mode="wb", compresslevel=6) as out:
                shutil.copyfileobj(_Timed(src, deadline), out, length=_BLOCK)
        except _OutOfTimeError:
            raise deadline.error() from None


def _save(
    url: str,
    target: Path,
    when: date,
    deadline: _Deadline,
    accept_shrink: bool,
    *,
    replace: bool = False,
    page: tuple[str, tuple[int, int]] = ("", (0, 1)),
    max_csv_bytes: int = rawfile.MAX_CSV_BYTES,
) -> tuple[Snapshot, bool]:
    """Download ``url`` to a temporary file, gzip and check it, then rename it to ``target``.

    Returns the snapshot and whether ``target`` held this very CSV already (then it is left
    untouched). ``page`` is the month's page and its (year, month), for messages.
    """
    raw, raw_fd = _temporary(target.parent, ".csv")
    gz, gz_fd = _temporary(target.parent, ".csv.gz")
    try:
        with open(raw, "wb") as out:
            headers = _fetch(url, out, deadline)
            if out.tell() == 0:
                raise DownloadError(f"{url}: the file is empty")
        _pack(url, raw, gz, deadline, max_csv_bytes)
        whole = _sent_whole(headers, raw)
        if not whole:
            _refuse_cut_line(url, raw)
        if target.exists():
            try:
                unchanged = _same_csv(gz, target, deadline)
            except (OSError, EOFError):  # the saved file is damaged: it differs
                unchanged = False
            if unchanged:
                return read_snapshot(target, snapshot_date=when), True
        deadline.at("checking the file from", url)
        try:
            deadline.wait()
            snap = read_snapshot(gz, snapshot_date=when, max_bytes=max_csv_bytes)
            deadline.wait()  # the read of a file within the limit takes seconds, at most
        except _OutOfTimeError:
            raise deadline.error() from None
        except DatastoreError as err:
            raise DownloadError(f"{url} is not a datastore CSV: {err}") from None
        if snap.services.empty:
            raise DownloadError(f"{url}: the CSV holds no services")
        if not accept_shrink:
            _refuse_shrink(snap, url, target, when, whole)
        if target.exists() and not replace:
            _refuse_replacing(url, target, when, page)
        public(gz)  # mkstemp made it private: as any new file instead
        os.replace(gz, target)
    finally:
        for path, fd in ((raw, raw_fd), (gz, gz_fd)):
            path.unlink(missing_ok=True)
            os.close(fd)
    return snap, False
