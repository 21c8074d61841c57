"""Print reports to PDF with one long-lived headless Chromium (Debian's, driven by Playwright).

The browser starts once per build and prints several pages at once (each page renders in its own
process), so printing keeps up with execution. If Playwright cannot drive it, each page is
printed by Chromium's own ``--print-to-pdf``. Nothing is ever downloaded: if no Chromium is
installed the caller is told what to install and builds HTML only.

Every page has the report's title at the top and 'Page n of N' at the foot. (The
``--print-to-pdf`` fallback cannot set these: its pages have neither.) A long report's linked
contents are in its HTML already (:func:`helpers.build.contents.contents`), so each page is
printed once.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

#: Flags for a headless Chromium on a closed network in a container: without the
#: background-networking ones it waits on update and sync services it can never reach.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

#: Names Chromium goes by on Debian and elsewhere, tried in this order on PATH.
CHROMIUM_NAMES: tuple[str, ...] = ("chromium", "chromium-browser", "google-chrome")

#: What to tell a user without a browser.
INSTALL_HINT = (
    "Install Debian's Chromium to get PDFs: `apt-get install chromium` "
    "(or pass --browser /path/to/chromium)."
)


#: A running title (the document's title) at the top of every page, and 'page n of N' at the
#: foot. Chromium sets header and footer text at size 0 unless told, and in the page margin.
HEADER_TEMPLATE = (
    '<div style="font-size:7.5pt;color:#555;width:100%;margin:0 12mm;'
    'white-space:nowrap;overflow:hidden;text-overflow:ellipsis">'
    '<span class="title"></span></div>'
)
FOOTER_TEMPLATE = (
    '<div style="font-size:7.5pt;color:#555;width:100%;margin:0 12mm;text-align:right">'
    'Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>'
)
PDF_OPTIONS: dict = {
    "format": "A4",
    "print_background": True,
    "display_header_footer": True,
    "header_template": HEADER_TEMPLATE,
    "footer_template": FOOTER_TEMPLATE,
    "margin": {"top": "18mm", "bottom": "16mm", "left": "12mm", "right": "12mm"},
    # A tagged PDF (headings, lists, tables and alt text for screen readers) with bookmarks:
    # Chromium makes the outline from the tags.
    "tagged": True,
    "outline": True,
}


def find_chromium(browser: str | os.PathLike | None = None) -> Path | None:
    """Find a Chromium to print with.

    Parameters
    ----------
    browser
        An explicit path (the ``--browser`` option); else ``$HELPERS_CHROMIUM``; else the first
        of :data:`CHROMIUM_NAMES` on ``PATH``.

    Returns
    -------
    Path or None
        The executable, or ``None`` if there is none (an explicit path that does not exist also
        gives ``None``: never fall back to a different browser silently).
    """
    explicit = browser or os.environ.get("HELPERS_CHROMIUM")
    if explicit:
        path = Path(explicit).expanduser()
        if path.is_file() and os.access(path, os.X_OK):
            return path
        found = shutil.which(str(explicit))
        return Path(found) if found else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    return None


class PdfPrinter:
    """Print HTML files to PDF with one headless Chromium, started on first use; thread-safe.

    Playwright's asyncio API runs on a loop in a thread of its own, so pages asked for from
    several threads print at once. Use as a context manager so the browser is closed however the
    build ends.

    Parameters
    ----------
    executable
        The Chromium to drive (see :func:`find_chromium`).
    timeout_s
        Bound on loading and printing one page.
    """

    def __init__(self, executable: Path, timeout_s: float = 60.0):
        self.executable = Path(executable)
        self.timeout_s = timeout_s
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._playwright = None
        self._browser = None
        self._use_cli = False
        self._lock = threading.Lock()
        self._pages: list = []  # idle pages, reused (on the loop's thread only)

    def __enter__(self) -> PdfPrinter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        """Start the browser now, in the background: the first print then finds it running."""
        threading.Thread(target=self._start, daemon=True, name="printer-start").start()

    def _run(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def _start(self) -> None:
        """Launch the browser through Playwright; if that fails, print with the CLI instead."""
        with self._lock:
            if self._loop is not None or self._use_cli:
                return
            self._loop = asyncio.new_event_loop()
            self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
            self._thread.start()
            try:
                self._run(self._launch())
            except Exception as error:  # noqa: BLE001 - any launch failure has the same remedy
                first = str(error).splitlines()[0] if str(error) else ""
                print(
                    f"Playwright could not start {self.executable} ({type(error).__name__}: "
                    f"{first}); printing each PDF with chromium --print-to-pdf instead.",
                    flush=True,
                )
                self._stop_loop()
                self._use_cli = True

    async def _launch(self) -> None:
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(
            executable_path=str(self.executable),
            headless=True,
            args=list(CHROMIUM_ARGS),
            timeout=self.timeout_s * 1000,
        )

    async def _page(self):
        """An idle page, or a new one: opening a page per report costs a renderer's start."""
        if self._pages:
            return self._pages.pop()
        page = await self._browser.new_page()
        page.set_default_timeout(self.timeout_s * 1000)
        await page.emulate_media(media="print")
        return page

    async def _print_page(self, url: str, out: Path) -> None:
        page = await self._page()
        printed = False
        try:
            await page.goto(url, wait_until="load")
            out.write_bytes(await page.pdf(**PDF_OPTIONS))
            printed = True
        finally:
            if printed:
                self._pages.append(page)  # a page that failed is not trusted again
            else:
                await page.close()

    def print_pdf(self, html_path: Path, pdf_path: Path) -> Path:
        """Print ``html_path`` to ``pdf_path`` (A4, backgrounds, searchable text).

        The caller writes ``pdf_path`` atomically (see :func:`helpers.atomic.stage`): this writes
        it directly.
        """
        self._start()
        url = Path(html_path).resolve().as_uri()
        if self._use_cli:
            self._print_cli(url, Path(pdf_path))
        else:
            self._run(self._print_page(url, Path(pdf_path)))
        return Path(pdf_path)

    def _print_cli(self, url: str, out: Path) -> None:
        """One Chromium per page: slower, used only when Playwright cannot drive the browser."""
        with tempfile.TemporaryDirectory(prefix="helpers-chromium-") as profile:
            command = [
                str(self.executable),
                "--headless",
                *CHROMIUM_ARGS,
                f"--user-data-dir={profile}",
                "--no-pdf-header-footer",
                f"--print-to-pdf={out}",
                url,
            ]
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=self.timeout_s, check=False
            )
        if done.returncode != 0 or not out.exists() or out.stat().st_size == 0:
            raise RuntimeError(f"chromium --print-to-pdf failed: {done.stderr.strip()[-500:]}")

    async def _close(self) -> None:
        self._pages.clear()
        with contextlib.suppress(Exception):
            if self._browser is not None:
                await self._browser.close()
        with contextlib.suppress(Exception):
            if self._playwright is not None:
                await self._playwright.stop()
        self._browser = self._playwright = None

    def _stop_loop(self) -> None:
        if self._loop is None:
            return
        with contextlib.suppress(Exception):
            self._run(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()
        self._loop = self._thread = None

    def close(self) -> None:
        """Close the browser and Playwright (safe to call twice)."""
        with self._lock:
            self._stop_loop()
