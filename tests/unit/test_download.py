"""Tests of helpers.datastore.download_latest against a real HTTP server on 127.0.0.1.

The server plays the Care Inspectorate's website: a landing page linking to month pages (links
holding 'datastore-'), each linking to a CSV shaped like the real ones (the header and rows of a
real snapshot, in Windows-1252 with non-ASCII text). The rows come from the committed fixtures in
``tests/fixtures/datastore``, so the tests need nothing outside the repository.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import re
import signal
import threading
import time
from collections.abc import Callable
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from helpers.datastore import (
    DownloadError,
    DownloadInterrupted,
    download,
    download_latest,
    read_snapshot,
)
from helpers.datastore.__main__ import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "datastore"
SOURCE = FIXTURES / "datastore_2026-05-31.csv.gz"
NAME = "Crèche Café – Bàgh a' Chaisteil"


def _rows(source: Path = SOURCE) -> tuple[list[str], list[list[str]]]:
    """The header and rows of a committed fixture snapshot."""
    with gzip.open(source, "rt", encoding="cp1252", newline="") as fh:
        reader = csv.reader(fh)
        return next(reader), list(reader)


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    """A CSV as published: cp1252, CRLF."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    return out.getvalue().encode("cp1252")


@pytest.fixture(scope="module")
def csv_bytes() -> bytes:
    """A CSV like the published ones: a real header and 28 rows, cp1252, CRLF, a non-ASCII name."""
    header, rows = _rows()
    assert len(rows) == 28
    rows[0][header.index("ServiceName")] = NAME
    return _csv(header, rows)


class Site:
    """Routes path -> (status, body, extra headers), served on 127.0.0.1.

    Every body is sent with its ``Content-Length``, except: ``truncate`` sends half the body and
    closes; ``no_length`` sends no ``Content-Length`` and ends the body by closing; ``slow``
    (path -> seconds) sends the body in eight pieces over that many seconds; ``midway``
    (path -> function) calls the function after sending half the body, then holds the rest back
    until the test ends; ``chunked`` sends the body chunked (Transfer-Encoding: chunked, no
    ``Content-Length``), in two chunks, and with ``truncate`` only the first; ``trickle`` (path
    -> 'headers' or 'chunk-size') sends one byte every 0.1 s, without end, of a header line, or
    of the chunk-size line after a first chunk of 1000 bytes.
    """

    def __init__(self):
        self.routes: dict[str, tuple[int, bytes, dict[str, str]]] = {}
        self.truncate: set[str] = set()
        self.no_length: set[str] = set()
        self.slow: dict[str, float] = {}
        self.midway: dict[str, Callable[[], None]] = {}
        self.chunked: set[str] = set()
        self.trickle: dict[str, str] = {}
        self.user_agents: list[str] = []
        self.requested: list[str] = []
        self.done = threading.Event()

    def page(self, path: str, html: str) -> None:
        self.routes[path] = (200, html.encode(), {"Content-Type": "text/html; charset=utf-8"})

    def file(self, path: str, body: bytes, status: int = 200) -> None:
        self.routes[path] = (status, body, {"Content-Type": "text/csv"})

    def redirect(self, path: str, location: str) -> None:
        self.routes[path] = (302, b"", {"Location": location})


@pytest.fixture
def site():
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            state.user_agents.append(self.headers.get("User-Agent", ""))
            state.requested.append(self.path)
            status, body, headers = state.routes.get(self.path, (404, b"not found", {}))
            if self.path in state.trickle or self.path in state.chunked:
                try:
                    self._send_chunked(body)
                except OSError:  # the client gave up, as it should have
                    pass
                self.close_connection = True
                return
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            if self.path not in state.no_length:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self._send(body)
            except OSError:  # the client gave up, as it should have
                self.close_connection = True

        def _send_chunked(self, body: bytes) -> None:
            """Write the response by hand: chunked, or trickled (see :class:`Site`)."""
            trickle = state.trickle.get(self.path)
            head = b"HTTP/1.1 200 OK\r\nContent-Type: text/csv\r\n"
            if trickle == "headers":
                self.wfile.write(head + b"X-Trickle: ")
            else:
                self.wfile.write(head + b"Transfer-Encoding: chunked\r\n\r\n")
                first = 1000 if trickle else len(body) // 2
                for piece in (body[:first], body[first:]):
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                    if trickle or self.path in state.truncate:
                        break
                else:
                    self.wfile.write(b"0\r\n\r\n")
            while trickle and not state.done.wait(0.1):
                self.wfile.write(b"a" if trickle == "headers" else b"0")

        def _send(self, body: bytes) -> None:
            half = len(body) // 2
            if self.path in state.truncate:
                self.wfile.write(body[:half])
            elif self.path in state.midway:
                self.wfile.write(body[:half])
                state.midway[self.path]()
                state.done.wait(10)
            elif self.path in state.slow:
                piece = -(-len(body) // 8)
                for i in range(0, len(body), piece):
                    if state.done.wait(state.slow[self.path] / 8):
                        break
                    self.wfile.write(body[i : i + piece])
            else:
                self.wfile.write(body)
            self.close_connection = True

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        state.done.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


LANDING = "/resources-data/data-and-statistics/datastore"


def _publish(site: Site, csv_bytes: bytes, latest_csv: str = "/files/260531_DatastoreExternal.csv"):
    site.page(
        LANDING,
        """<html><body><h1>Datastore</h1>
        <a href="/about">About us</a>
        <a href="/resources-data/data-and-statistics/datastore/datastore-april-2026">Datastore
           April 2026</a>
        <a href="datastore/datastore-may-2026">Datastore May 2026</a>
        <a href="/resources-data/data-and-statistics/datastore/datastore-march-2025">March
           2025</a>
        </body></html>""",
    )
    site.page(
        f"{LANDING}/datastore-april-2026",
        '<a href="/files/260430_DatastoreExternal.csv">CSV</a>',
    )
    site.page(
        "/resources-data/data-and-statistics/datastore/datastore-may-2026",
        f'<p>May 2026</p><a href="/files/guide.pdf">guide</a><a href="{latest_csv}">Download</a>',
    )
    site.file("/files/260430_DatastoreExternal.csv", csv_bytes)
    site.file(latest_csv.split("?")[0], csv_bytes)


def test_download_latest_picks_latest_month_and_saves_gzip(tmp_path, site, csv_bytes):
    _publish(site, csv_bytes)
    saved = download_latest(tmp_path, landing_url=site.base + LANDING)
    assert saved.path == tmp_path / "datastore_2026-05-31.csv.gz"
    assert saved.url == site.base + "/files/260531_DatastoreExternal.csv"
    assert gzip.decompress(saved.path.read_bytes()) == csv_bytes
    snap = read_snapshot(saved.path)
    pd.testing.assert_frame_equal(saved.snapshot.services, snap.services)
    assert len(snap.services) == 28
    assert NAME in set(snap.services["service_name"].astype(str))
    assert all(ua.startswith("helpers-datastore") for ua in site.user_agents)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_download_latest_dates_official_mdsf_name(tmp_path, site, csv_bytes):
    _publish(site, csv_bytes, latest_csv="/files/MDSF_data_31%20May%202026.csv")
    saved = download_latest(tmp_path, landing_url=site.base + LANDING)
    assert saved.path.name == "datastore_2026-05-31.csv.gz"


def test_download_latest_dates_unnamed_csv_by_page_month(tmp_path, site, csv_bytes):
    _publish(site, csv_bytes, latest_csv="/files/export.csv")
    saved = download_latest(tmp_path, landing_url=site.base + LANDING)
    assert saved.path.name == "datastore_2026-05-31.csv.gz"


def _good_file(tmp_path: Path) -> tuple[Path, bytes, int]:
    good = tmp_path / "datastore_2026-05-31.csv.gz"
    good.write_bytes(SOURCE.read_bytes())
    return good, good.read_bytes(), good.stat().st_mtime_ns


def _assert_untouched(tmp_path: Path, good: Path, content: bytes, mtime: int) -> None:
    assert good.read_bytes() == content
    assert good.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in tmp_path.iterdir()) == [good.name]


def test_download_latest_404_leaves_good_file(tmp_path, site, csv_bytes):
    _publish(site, csv_bytes)
    del site.routes["/files/260531_DatastoreExternal.csv"]
    good, content, mtime = _good_file(tmp_path)
    with pytest.raises(DownloadError, match="404"):
        download_latest(tmp_path, landing_url=site.base + LANDING)
    _assert_untouched(tmp_path, good, content, mtime)


@pytest.mark.parametrize(
    "path",
    ["/files/260531_DatastoreExternal.csv", f"{LANDING}/datastore-may-2026"],
    ids=["csv", "month-page"],
)
def test_download_latest_truncated_leaves_good_file(tmp_path, site, csv_bytes, path):
    """A body shorter than its Content-Length is refused, the CSV's or a page's."""
    _publish(site, csv_bytes)
    site.truncate.add(path)
    good, content, mtime = _good_file(tmp_path)
    length = len(site.routes[path][1])
    with pytest.raises(
        DownloadError, match=rf"{path}: received {length // 2} bytes of {length}: .*truncated"
    ):
        download_latest(tmp_path, landing_url=site.base + LANDING)
    _assert_untouched(tmp_path, good, content, mtime)


def test_download_latest_without_content_length_reads_to_the_end(tmp_path, site, csv_bytes):
    _publish(site, csv_bytes)
    site.no_length.update({LANDING, "/files/260531_DatastoreExternal.csv"})
    saved = download_latest(tmp_path, landing_url=site.base + LANDING)
    assert gzip.decompress(saved.path.read_bytes()) == csv_bytes


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body>Sorry, the page moved</body></html>",
        b"CSNumber,CareService\nCS1,Child Minding\n",
        b"",
    ],
    ids=["html", "wrong-columns", "empty"],
)
def test_download_latest_garbage_csv_leaves_good_file(tmp_path, site, csv_bytes, body):
    _publish(site, csv_bytes)
    site.file("/files/260531_DatastoreExternal.csv", body)
    good, content, mtime = _good_file(tmp_path)
    with pytest.raises(DownloadError, match="260531_DatastoreExternal.csv"):
        download_latest(tmp_path, landing_url=site.base + LANDING)
    _assert_untouched(tmp_path, good, content, mtime)


def test_download_latest_landing_without_months_raises(tmp_path, site):
    site.page(LANDING, '<a href="/about">About</a>')
    with pytest.raises(DownloadError, match="no link to a month"):
        download_latest(tmp_path, landing_url=site.base + LANDING)


def _elsewhere(tmp_path: Path, csv_bytes: bytes) -> dict[str, str]:
    """A month page and a CSV outside the server, as file: addresses (and one ftp: address)."""
    outside = tmp_path / "outside"
    outside.mkdir()
    csv_file = outside / "260630_DatastoreExternal.csv"
    csv_file.write_bytes(csv_bytes)
    page = outside / "datastore-june-2026"
    page.write_text(f'<a href="{csv_file.as_uri()}">CSV</a>', encoding="utf-8")
    ftp = "ftp://127.0.0.1:1/files/260630_DatastoreExternal.csv"
    return {"page": page.as_uri(), "csv": csv_file.as_uri(), "ftp": ftp}


@pytest.mark.parametrize(
    "case", ["landing-page", "month-link", "csv-link", "redirect-to-file", "redirect-to-ftp"]
)
def test_download_latest_follows_only_http_links(tmp_path, site, csv_bytes, case):
    """No file:, ftp: or other address is followed, whether given, linked or redirected to."""
    _publish(site, csv_bytes)
    links = _elsewhere(tmp_path, csv_bytes)
    landing = site.base + LANDING
    if case == "landing-page":
        landing = link = links["page"]
    elif case == "month-link":
        link = links["page"]
        site.page(LANDING, f'<a href="{link}">Datastore June 2026</a>')
    elif case == "csv-link":
        link = links["csv"]
        site.page(f"{LANDING}/datastore-may-2026", f'<a href="{link}">Download</a>')
    else:
        link = links["csv" if case == "redirect-to-file" else "ftp"]
        site.redirect("/files/260531_DatastoreExternal.csv", link)
    dest = tmp_path / "dest"
    with pytest.raises(DownloadError, match=rf"^{re.escape(link)}[ :].*only http and https"):
        download_latest(dest, landing_url=landing)
    assert list(dest.iterdir()) == []


def test_download_latest_follows_http_redirects(tmp_path, site, csv_bytes):
    _publish(site, csv_bytes)
    moved = "/files/moved/260531_DatastoreExternal.csv"
    site.redirect("/files/260531_DatastoreExternal.csv", moved)
    site.file(moved, csv_bytes)
    saved = download_latest(tmp_path, landing_url=site.base + LANDING)
    assert gzip.decompress(saved.path.read_bytes()) == csv_bytes
    assert site.requested[-1] == moved


def test_download_deadline_covers_pages_and_file_together(tmp_path, site, csv_bytes, capsys):
    """A server sending slowly is stopped by one deadline for the whole download.

    The landing page and the CSV each take 0.4 s, trickled in pieces: each alone is well within
    0.6 s (and no read waits long), together they are not.
    """
    _publish(site, csv_bytes)
    with pytest.raises(ValueError, match="positive number of seconds, not 0"):
        download_latest(tmp_path, site.base + LANDING, deadline=0)
    site.slow.update({LANDING: 0.4, "/files/260531_DatastoreExternal.csv": 0.4})
    assert download_latest(tmp_path / "roomy", site.base + LANDING, deadline=5).path.exists()
    dest = tmp_path / "dest"
    dest.mkdir()
    good, content, mtime = _good_file(dest)
    started = time.monotonic()
    with pytest.raises(
        DownloadError,
        match=r"^gave up after the deadline of 0\.6 s \(for the pages and the file together\) "
        r"while reading the body of http://\S+/files/260531_DatastoreExternal\.csv "
        r"\(\d+ bytes received\)$",
    ):
        download_latest(dest, landing_url=site.base + LANDING, deadline=0.6)
    assert 0.6 <= time.monotonic() - started < 1.2
    _assert_untouched(dest, good, content, mtime)
    args = ["download", "--dest", str(dest), "--url", site.base + LANDING, "--deadline", "0.6"]
    assert main(args) == 1
    assert "deadline of 0.6 s" in capsys.readouterr().err
    _assert_untouched(dest, good, content, mtime)


def test_download_deadline_stops_a_stalled_transfer(tmp_path, site, csv_bytes):
    """A server that stops sending mid-file is given up on at the deadline, and says so."""
    _publish(site, csv_bytes)
    site.midway["/files/260531_DatastoreExternal.csv"] = lambda: None
    started = time.monotonic()
    with pytest.raises(
        DownloadError, match=r"deadline of 0\.5 s .* reading the body of \S+\.csv \(\d+ bytes"
    ):
        download_latest(tmp_path, landing_url=site.base + LANDING, deadline=0.5)
    assert time.monotonic() - started < 1.0
    assert list(tmp_path.iterdir()) == []


CSV_PATH = "/files/260531_DatastoreExternal.csv"


def _temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


@pytest.mark.parametrize(
    ("stage", "error"),
    [("fetch", KeyboardInterrupt), ("gzip", KeyboardInterrupt), ("gzip", OSError)],
    ids=["ctrl-c-fetching", "ctrl-c-compressing", "disk-full-compressing"],
)
def test_download_interrupted_leaves_no_temporary(
    tmp_path, site, csv_bytes, monkeypatch, stage, error
):
    """Ctrl-C or a failing disk mid-transfer: the temporaries go, the good file stays."""
    _publish(site, csv_bytes)
    good, content, mtime = _good_file(tmp_path)
    seen: list[str] = []
    real_fetch, real_copy = download._fetch, download.shutil.copyfileobj

    def fetch(url, out, deadline):
        if not url.endswith(".csv"):
            return real_fetch(url, out, deadline)
        out.write(csv_bytes[:1000])
        if stage == "fetch":
            seen.extend(_temporaries(tmp_path))
            raise error("interrupted midway")
        out.write(csv_bytes[1000:])
        return {}

    def copy(src, dst, length=0):
        real_copy(src, dst, length)
        seen.extend(_temporaries(tmp_path))
        raise error("interrupted midway")

    monkeypatch.setattr(download, "_fetch", fetch)
    monkeypatch.setattr(download.shutil, "copyfileobj", copy)
    with pytest.raises(error, match="interrupted midway"):
        download_latest(tmp_path, landing_url=site.base + LANDING)
    assert len(seen) == 2  # the raw and the gzipped temporaries both existed, then went
    _assert_untouched(tmp_path, good, content, mtime)


def test_download_sigterm_midway_leaves_no_temporary(tmp_path, site, csv_bytes, capsys):
    """SIGTERM mid-transfer ends the download cleanly; the old handler is restored after.

    The test's own handler stays in place around the download, so a download that installed
    none fails the test instead of killing pytest.
    """
    _publish(site, csv_bytes)
    good, content, mtime = _good_file(tmp_path)
    seen: list[str] = []

    def terminate():
        seen.extend(_temporaries(tmp_path))
        os.kill(os.getpid(), signal.SIGTERM)

    def fallback(signum, frame):
        raise AssertionError("SIGTERM reached the test's handler, not the download's")

    site.midway[CSV_PATH] = terminate
    previous = signal.signal(signal.SIGTERM, fallback)
    try:
        with pytest.raises(DownloadInterrupted) as stopped:
            download_latest(tmp_path, landing_url=site.base + LANDING)
        assert stopped.value.code == 128 + signal.SIGTERM
        assert signal.getsignal(signal.SIGTERM) is fallback
        args = ["download", "--dest", str(tmp_path), "--url", site.base + LANDING]
        assert main(args) == 128 + signal.SIGTERM
        assert "stopped by SIGTERM: nothing saved" in capsys.readouterr().err
        assert signal.getsignal(signal.SIGTERM) is fallback
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert len(seen) == 4  # two temporaries in each run
    _assert_untouched(tmp_path, good, content, mtime)


def test_download_removes_stale_temporaries_and_says_so(tmp_path, site, csv_bytes, caplog):
    _publish(site, csv_bytes)
    stale = [".datastore-k1ll3d.csv.part", ".datastore-k1ll3d.csv.gz.part"]
    for name in [*stale, ".other-tool.part", "notes.part"]:
        (tmp_path / name).write_bytes(b"half a file")
    with caplog.at_level("WARNING", logger="helpers.datastore.download"):
        download_latest(tmp_path, landing_url=site.base + LANDING)
    assert _temporaries(tmp_path) == [".other-tool.part", "notes.part"]
    assert caplog.messages == [
        f"removed 2 temporary file(s) left in {tmp_path} by an earlier download that was "
        f"stopped: {stale[1]}, {stale[0]}"
    ]


def test_download_leaves_temporaries_of_a_running_download(tmp_path, site, csv_bytes):
    """A temporary another download holds (locked) is not stale: it stays."""
    fcntl = pytest.importorskip("fcntl", reason="locks are POSIX")
    _publish(site, csv_bytes)
    busy = tmp_path / ".datastore-running.csv.part"
    with open(busy, "wb") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        download_latest(tmp_path, landing_url=site.base + LANDING)
        assert _temporaries(tmp_path) == [busy.name]


@pytest.mark.parametrize(
    "existing",
    ["datastore_2026-05-31.csv", "260531_DatastoreExternal.csv", "MDSF_data_31 May 2026.csv"],
)
def test_download_refuses_a_second_file_for_the_same_date(tmp_path, site, csv_bytes, existing):
    """The month saved plain (or under its official name) is not saved again gzipped."""
    _publish(site, csv_bytes)
    twin = tmp_path / existing
    twin.write_bytes(gzip.decompress(SOURCE.read_bytes()))
    with pytest.raises(
        DownloadError,
        match=rf"datastore_2026-05-31\.csv\.gz is not saved: {re.escape(str(twin))} is already",
    ):
        download_latest(tmp_path, landing_url=site.base + LANDING)
    assert CSV_PATH not in site.requested
    assert sorted(p.name for p in tmp_path.iterdir()) == [existing]


def test_download_refuses_plain_beside_gzipped_too(tmp_path):
    gzipped = tmp_path / "datastore_2026-05-31.csv.gz"
    gzipped.write_bytes(SOURCE.read_bytes())
    with pytest.raises(DownloadError, match=rf"{re.escape(str(gzipped))} is already a snapshot"):
        download._refuse_twin(tmp_path / "datastore_2026-05-31.csv", date(2026, 5, 31))
    download._refuse_twin(gzipped, date(2026, 5, 31))  # the same name: replaced, no twin
    download._refuse_twin(tmp_path / "datastore_2026-04-30.csv", date(2026, 4, 30))


def test_download_never_replaces_a_saved_month_unless_asked(tmp_path, site, csv_bytes, capsys):
    """A month saved already and differing is an error naming both dates and the file; with
    replace it is replaced; the very same CSV again leaves the file untouched, and says so."""
    _publish(site, csv_bytes)
    other = (FIXTURES / "datastore_2026-03-31.csv.gz").read_bytes()
    saved = tmp_path / "datastore_2026-05-31.csv.gz"
    saved.write_bytes(other)
    mtime = saved.stat().st_mtime_ns
    expected = (
        f"{site.base}{CSV_PATH}: not saved: {saved} already holds the month of 2026-05-31, "
        f"and the download from the page of May 2026 ({site.base}{LANDING}/datastore-may-2026) "
        "differs from it; a month already saved is never replaced"
    )
    with pytest.raises(DownloadError, match=f"^{re.escape(expected)}"):
        download_latest(tmp_path, landing_url=site.base + LANDING)
    args = ["download", "--dest", str(tmp_path), "--url", site.base + LANDING]
    assert main(args) == 1
    assert expected in capsys.readouterr().err
    _assert_untouched(tmp_path, saved, other, mtime)
    replaced = download_latest(tmp_path, landing_url=site.base + LANDING, replace=True)
    assert not replaced.unchanged
    assert gzip.decompress(saved.read_bytes()) == csv_bytes
    assert [p.name for p in tmp_path.iterdir()] == [saved.name]
    content, mtime = saved.read_bytes(), saved.stat().st_mtime_ns
    again = download_latest(tmp_path, landing_url=site.base + LANDING)
    assert again.unchanged and len(again.snapshot.services) == 28
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"already saved, unchanged: {saved} holds this very CSV\n")
    assert "28 services" in out
    _assert_untouched(tmp_path, saved, content, mtime)


def test_download_refuses_a_csv_dated_in_another_month_than_its_page(
    tmp_path, site, csv_bytes, capsys
):
    """The issue's case: May's page links April's CSV, and April is saved already."""
    _publish(site, csv_bytes, latest_csv="/files/260430_DatastoreExternal.csv")
    april = tmp_path / "datastore_2026-04-30.csv.gz"
    april.write_bytes((FIXTURES / "datastore_2026-03-31.csv.gz").read_bytes())
    content, mtime = april.read_bytes(), april.stat().st_mtime_ns
    url = f"{site.base}/files/260430_DatastoreExternal.csv"
    page = f"{site.base}{LANDING}/datastore-may-2026"
    with pytest.raises(DownloadError) as refused:
        download_latest(tmp_path, landing_url=site.base + LANDING)
    assert str(refused.value) == (
        f"{url}: not downloaded: its name dates it 2026-04-30, but the page linking it is the "
        f"month of May 2026 ({page}), so the site may link the wrong month's file; if the date "
        "is right, pass accept_date_mismatch=True (--accept-date-mismatch) to save it as "
        "datastore_2026-04-30.csv.gz"
    )
    assert "/files/260430_DatastoreExternal.csv" not in site.requested
    args = ["download", "--dest", str(tmp_path), "--url", site.base + LANDING]
    assert main(args) == 1
    assert "dates it 2026-04-30, but the page linking it is the month of May 2026" in (
        capsys.readouterr().err
    )
    _assert_untouched(tmp_path, april, content, mtime)
    assert main([*args, "--accept-date-mismatch"]) == 1  # accepted, but April differs
    assert "already holds the month of 2026-04-30, and the download from the page of May 2026" in (
        capsys.readouterr().err
    )
    _assert_untouched(tmp_path, april, content, mtime)
    assert main([*args, "--accept-date-mismatch", "--replace"]) == 0
    assert gzip.decompress(april.read_bytes()) == csv_bytes
    assert [p.name for p in tmp_path.iterdir()] == [april.name]


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_download_saves_with_the_permissions_the_umask_gives(
    tmp_path, site, csv_bytes, umask, mode
):
    _publish(site, csv_bytes)
    previous = os.umask(umask)
    try:
        saved = download_latest(tmp_path, landing_url=site.base + LANDING)
    finally:
        os.umask(previous)
    assert saved.path.stat().st_mode & 0o777 == mode


def _month_file(folder: Path, name: str, services: int) -> Path:
    """A snapshot in ``folder`` holding the first ``services`` rows of a 30-service fixture."""
    header, rows = _rows(FIXTURES / "datastore_2026-03-31.csv.gz")
    assert len(rows) >= services
    path = folder / name
    path.write_bytes(gzip.compress(_csv(header, rows[:services])))
    assert len(read_snapshot(path).services) == services
    return path


def _publish_services(site: Site, services: int) -> None:
    """Publish May 2026 with the first ``services`` rows of its fixture."""
    header, rows = _rows()
    _publish(site, _csv(header, rows[:services]))


def test_download_refuses_a_month_with_under_half_the_services(tmp_path, site, capsys):
    _publish_services(site, 14)
    april = _month_file(tmp_path, "datastore_2026-04-30.csv.gz", 30)
    content, mtime = april.read_bytes(), april.stat().st_mtime_ns
    with pytest.raises(DownloadError) as refused:
        download_latest(tmp_path, landing_url=site.base + LANDING)
    message = str(refused.value)
    assert message.startswith(f"{site.base}{CSV_PATH}: ")
    assert (
        "datastore_2026-05-31.csv.gz would hold 14 services, fewer than half the 30 in "
        "datastore_2026-04-30.csv.gz (the month before)"
    ) in message
    _assert_untouched(tmp_path, april, content, mtime)
    args = ["download", "--dest", str(tmp_path), "--url", site.base + LANDING]
    assert main(args) == 1
    assert "14 services, fewer than half the 30" in capsys.readouterr().err
    _assert_untouched(tmp_path, april, content, mtime)


def test_download_accept_shrink_saves_the_smaller_month(tmp_path, site, capsys):
    _publish_services(site, 14)
    _month_file(tmp_path, "datastore_2026-04-30.csv.gz", 30)
    saved = download_latest(tmp_path, landing_url=site.base + LANDING, accept_shrink=True)
    assert len(saved.snapshot.services) == 14
    saved.path.unlink()
    args = ["download", "--dest", str(tmp_path), "--url", site.base + LANDING, "--accept-shrink"]
    assert main(args) == 0
    assert "14 services" in capsys.readouterr().out
    assert saved.path.exists()


def test_download_refuses_when_the_month_before_is_unreadable(tmp_path, site, csv_bytes):
    _publish(site, csv_bytes)
    april = tmp_path / "datastore_2026-04-30.csv"
    april.write_text("not,a,datastore\n1,2,3\n", encoding="cp1252")
    with pytest.raises(DownloadError, match=rf"cannot compare .* with {re.escape(str(april))}"):
        download_latest(tmp_path, landing_url=site.base + LANDING)
    assert sorted(p.name for p in tmp_path.iterdir()) == [april.name]
    download_latest(tmp_path, landing_url=site.base + LANDING, accept_shrink=True)


def test_download_compares_with_the_newest_earlier_month_only(tmp_path, site):
    """Half exactly is kept; months older than the latest earlier one, or later, don't count."""
    _publish_services(site, 15)
    _month_file(tmp_path, "datastore_2026-02-28.csv.gz", 30)
    _month_file(tmp_path, "datastore_2026-04-30.csv.gz", 30)
    _month_file(tmp_path, "datastore_2026-06-30.csv.gz", 30)
    assert len(download_latest(tmp_path, site.base + LANDING).snapshot.services) == 15
    _publish_services(site, 7)
    (tmp_path / "datastore_2026-05-31.csv.gz").unlink()  # else the month it replaces counts
    (tmp_path / "datastore_2026-04-30.csv.gz").unlink()
    _month_file(tmp_path, "datastore_2026-04-30.csv", 14)  # plain: any snapshot counts
    assert len(download_latest(tmp_path, site.base + LANDING).snapshot.services) == 7


def test_download_cli_saves_file_and_reports_failure(tmp_path, site, csv_bytes, capsys):
    _publish(site, csv_bytes)
    assert main(["download", "--dest", str(tmp_path), "--url", site.base + LANDING]) == 0
    out = capsys.readouterr().out
    assert f"saved {tmp_path / 'datastore_2026-05-31.csv.gz'}" in out
    assert "snapshot date 2026-05-31: 28 services, 122 grades" in out
    assert "problems: none" in out
    first = pd.read_csv(tmp_path / "datastore_2026-05-31.csv.gz", encoding="cp1252")
    assert len(first) == 28
    assert main(["download", "--dest", str(tmp_path), "--url", site.base + "/nothing"]) == 1
    assert "download failed" in capsys.readouterr().err


def test_download_cli_summary_counts_problems_by_problem_and_column(tmp_path, site, capsys):
    header, rows = _rows()
    area = header.index("Council_Area_Name")
    rows[3][area] = "Atlantis"
    rows[7][area] = "Lyonesse"
    rows[9][area] = ""
    rows.append(list(rows[2]))  # an exact repeat: kept once, reported
    _publish(site, _csv(header, rows))
    assert main(["download", "--dest", str(tmp_path), "--url", site.base + LANDING]) == 0
    out = capsys.readouterr().out
    snap = read_snapshot(tmp_path / "datastore_2026-05-31.csv.gz")
    assert len(snap.services) == 28
    summary = out[out.index("problems:") :].splitlines()
    assert summary == [
        "problems: 4 (values kept but not understood)",
        "    council area not recognised [council_area]: 2",
        "    no council area [council_area]: 1",
        "    repeated row [service_id]: 1",
    ]


def test_download_of_a_month_with_new_columns_saves_it_and_lists_them(tmp_path, site, capsys):
    """A month that adds columns no rule knows (and a grade-like one) still downloads: the
    summary names each new column, and the grade column is kept under its published name."""
    header, rows = _rows()
    header = [*header, "Brand_New_Column", "KQ_Outdoor_Play"]
    rows = [[*r, "x", "5"] if "".join(r).strip() else [*r, "", ""] for r in rows]
    _publish(site, _csv(header, rows))
    assert main(["download", "--dest", str(tmp_path), "--url", site.base + LANDING]) == 0
    out = capsys.readouterr().out
    assert "column no rule knows: ignored [Brand_New_Column]: 1" in out
    assert "KQ_Outdoor_Play" in out
    snap = read_snapshot(tmp_path / "datastore_2026-05-31.csv.gz")
    kept = snap.grades[snap.grades["measure"] == "KQ_Outdoor_Play"]
    assert len(kept) == sum(1 for r in rows if "".join(r).strip())


def test_download_of_a_utf8_month_reads_it_as_utf8_and_says_so(tmp_path, site, capsys):
    header, rows = _rows()
    rows[0][header.index("ServiceName")] = NAME
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    _publish(site, out.getvalue().encode("utf-8"))
    assert main(["download", "--dest", str(tmp_path), "--url", site.base + LANDING]) == 0
    assert "UTF-8" in capsys.readouterr().out
    snap = read_snapshot(tmp_path / "datastore_2026-05-31.csv.gz")
    assert NAME in set(snap.services["service_name"].dropna())


def test_download_again_refuses_to_replace_a_month_with_a_much_smaller_one(tmp_path, site):
    """The same month downloaded again (cut short this time) must not replace the good file."""
    _publish_services(site, 28)
    saved = download_latest(tmp_path, site.base + LANDING).path
    good = saved.read_bytes()
    _publish_services(site, 10)
    with pytest.raises(DownloadError, match="fewer than half the 28 .*the file it would replace"):
        download_latest(tmp_path, site.base + LANDING)
    assert saved.read_bytes() == good


def test_download_sent_gzipped_is_saved_once_gzipped(tmp_path, site, csv_bytes):
    _publish(site, gzip.compress(csv_bytes))
    saved = download_latest(tmp_path, site.base + LANDING)
    assert gzip.decompress(saved.path.read_bytes()) == csv_bytes
    assert len(saved.snapshot.services) == 28


def test_download_larger_than_any_month_is_refused(tmp_path, site, csv_bytes, monkeypatch):
    monkeypatch.setattr("helpers.datastore.download.MAX_BYTES", len(csv_bytes) // 2)
    _publish(site, csv_bytes)
    with pytest.raises(DownloadError, match="not a datastore file"):
        download_latest(tmp_path, site.base + LANDING)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    ("trickle", "doing"),
    [
        ("headers", "reading the response headers from {url}"),
        ("chunk-size", "reading the body of {url} (1000 bytes received)"),
    ],
)
def test_download_deadline_bounds_trickled_headers_and_chunk_lines(
    tmp_path, site, csv_bytes, capsys, trickle, doing
):
    """A server sending a byte every 0.1 s never lets one read wait long, yet the deadline ends
    the download, and the message says what it was reading."""
    _publish(site, csv_bytes)
    site.trickle[CSV_PATH] = trickle
    good, content, mtime = _good_file(tmp_path)
    expected = (
        "gave up after the deadline of 0.8 s (for the pages and the file together) while "
        + doing.format(url=site.base + CSV_PATH)
    )
    started = time.monotonic()
    with pytest.raises(DownloadError, match=f"^{re.escape(expected)}$"):
        download_latest(tmp_path, landing_url=site.base + LANDING, deadline=0.8)
    assert time.monotonic() - started < 0.8 + 5  # a bound, generous: without the fix, minutes
    _assert_untouched(tmp_path, good, content, mtime)
    args = ["download", "--dest", str(tmp_path), "--url", site.base + LANDING, "--deadline", "0.8"]
    assert main(args) == 1
    assert capsys.readouterr().err == f"download failed: {expected}\n"


def test_download_chunked_body_is_read_whole_and_refused_when_cut(tmp_path, site, csv_bytes):
    """A chunked body ends with an empty chunk: one cut off before it is refused."""
    _publish(site, csv_bytes)
    site.chunked.add(CSV_PATH)
    saved = download_latest(tmp_path, landing_url=site.base + LANDING)
    assert gzip.decompress(saved.path.read_bytes()) == csv_bytes
    saved.path.unlink()
    site.truncate.add(CSV_PATH)
    with pytest.raises(DownloadError, match=rf"{re.escape(CSV_PATH)}: the download broke off"):
        download_latest(tmp_path, landing_url=site.base + LANDING)
    assert list(tmp_path.iterdir()) == []


def _cut_at_a_line(csv_bytes: bytes, rows: int) -> bytes:
    """The first ``rows`` rows of the published CSV: the body cut short at the end of a line."""
    header, all_rows = _rows()
    all_rows[0][header.index("ServiceName")] = NAME
    cut = _csv(header, all_rows[:rows])
    assert csv_bytes.startswith(cut) and len(cut) < len(csv_bytes)
    return cut


@pytest.mark.parametrize("sent", ["no-length", "content-length", "chunked"])
def test_download_without_length_must_hold_the_services_of_the_month_before(
    tmp_path, site, csv_bytes, capsys, sent
):
    """A body with no Content-Length cut at the end of a line looks like a valid month: with
    fewer services than the month before it is refused (the half rule alone would keep 20 of
    28). A body whose end was checked (Content-Length, chunked) keeps the half rule only."""
    _publish(site, _cut_at_a_line(csv_bytes, 20))
    if sent == "no-length":
        site.no_length.add(CSV_PATH)
    elif sent == "chunked":
        site.chunked.add(CSV_PATH)
    april = _month_file(tmp_path, "datastore_2026-04-30.csv.gz", 28)
    content, mtime = april.read_bytes(), april.stat().st_mtime_ns
    if sent != "no-length":
        assert len(download_latest(tmp_path, site.base + LANDING).snapshot.services) == 20
        return
    with pytest.raises(DownloadError) as refused:
        download_latest(tmp_path, landing_url=site.base + LANDING)
    assert str(refused.value) == (
        f"{site.base}{CSV_PATH}: datastore_2026-05-31.csv.gz would hold 20 services, fewer "
        "than the 28 in datastore_2026-04-30.csv.gz (the month before), and the server sent no "
        "Content-Length, so a file cut short at the end of a line cannot be told from a smaller "
        "month; not saved: pass accept_shrink=True (--accept-shrink) to save it anyway"
    )
    _assert_untouched(tmp_path, april, content, mtime)
    args = ["download", "--dest", str(tmp_path), "--url", site.base + LANDING]
    assert main(args) == 1
    assert "fewer than the 28 in datastore_2026-04-30.csv.gz" in capsys.readouterr().err
    _assert_untouched(tmp_path, april, content, mtime)
    assert main([*args, "--accept-shrink"]) == 0
    assert "20 services" in capsys.readouterr().out


def test_download_without_length_cut_mid_line_is_refused(tmp_path, site, csv_bytes):
    """No month before to compare with: the last line must still be whole."""
    whole = _cut_at_a_line(csv_bytes, 20)
    _publish(site, csv_bytes[: len(whole) + 25])
    site.no_length.add(CSV_PATH)
    with pytest.raises(DownloadError) as refused:
        download_latest(tmp_path, landing_url=site.base + LANDING)
    message = str(refused.value)
    assert message.startswith(
        f"{site.base}{CSV_PATH}: the server sent no Content-Length, and the file's last line "
        "has no end (it ends "
    )
    assert message.endswith("): the download was probably cut short; not saved")
    assert csv_bytes[len(whole) : len(whole) + 25].decode("cp1252") in message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("sent", ["content-encoding-gzip", "plain"])
def test_download_refuses_a_file_whose_text_outgrows_the_limit(tmp_path, site, csv_bytes, sent):
    """A small gzip that would inflate far past any month (a real CSV, then 8 MiB of zeros, 8 KB
    sent as ``Content-Encoding: gzip``) is refused after one megabyte of text (the limit lowered
    for the test), naming the address and the limit; the plain CSV past the limit too. Nothing is
    saved and no temporary file is left, through the command line as well."""
    _publish(site, csv_bytes)
    path = "/files/260531_DatastoreExternal.csv"
    if sent == "plain":
        body, headers, limit = csv_bytes, {"Content-Type": "text/csv"}, len(csv_bytes) - 1
    else:
        body = gzip.compress(csv_bytes + b"0" * (8 << 20))
        headers = {"Content-Type": "text/csv", "Content-Encoding": "gzip"}
        limit = 1 << 20
        assert len(body) < 64 << 10
    site.routes[path] = (200, body, headers)
    good, content, mtime = _good_file(tmp_path)
    url = re.escape(site.base + path)
    with pytest.raises(DownloadError, match=rf"^{url}: the file holds more than .* of text"):
        download_latest(tmp_path, site.base + LANDING, deadline=5, max_csv_bytes=limit)
    _assert_untouched(tmp_path, good, content, mtime)
    assert _temporaries(tmp_path) == []
    # the same file under the default limit (200 MB of text) is saved
    if sent == "plain":
        assert download_latest(tmp_path / "roomy", site.base + LANDING).path.exists()


def test_download_deadline_covers_decompressing_the_file(tmp_path):
    """Decompressing a file sent gzipped keeps the deadline: one that has passed stops it,
    saying so, and not after inflating the rest."""
    raw, gz = tmp_path / "raw.part", tmp_path / "gz.part"
    raw.write_bytes(gzip.compress(b"0" * (4 << 20)))
    clock = download._Deadline(1e-6)
    clock.at("starting to fetch", "http://127.0.0.1/x.csv")
    with pytest.raises(
        DownloadError,
        match=r"deadline of 1e-06 s .* while decompressing the file from http://127\.0\.0\.1/x",
    ):
        download._pack("http://127.0.0.1/x.csv", raw, gz, clock, 1 << 30)
