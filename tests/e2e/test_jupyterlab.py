"""JupyterLab end to end: open a notebook in headless Chromium, Run All, see its words and figure;
export notebook 01 from File > Save and Export Notebook As (reader HTML, reader PDF, stock HTML).

Starts JupyterLab on a free port with a random token, serving a temporary copy of ``notebooks/``
whose outputs are cleared (so what the test sees was computed now, and nothing is saved into the
repository). Drives Debian's Chromium through Playwright: Playwright's own browser download is
never used. Without Chromium the test skips, except under CI (``CI=true``), where it fails.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from helpers import paths
from helpers.build.printer import CHROMIUM_ARGS, find_chromium

pytestmark = pytest.mark.browser

GRADE_SENTENCE = "two were graded excellent, six very good and one good"
# Every notebook, with words its outputs must show and whether it draws a figure: each must pass
# Run All in JupyterLab itself, not only under nbval.
NOTEBOOKS = [
    ("01-perth-and-kinross-2017.ipynb", GRADE_SENTENCE, True),
    ("02-scotland-compared.ipynb", "are left out of the comparison, not counted as zero", True),
    ("03-registered-care-services.ipynb", "snapshots from 31 March 2016", True),
    ("04-data-quality.ipynb", "checks passed", False),
    ("area-profile.ipynb", GRADE_SENTENCE, True),
]
START_TIMEOUT_S = 60
RUN_TIMEOUT_S = 60


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chromium_or_skip() -> Path:
    """Debian's Chromium; skip without it, but fail under CI, where it must be installed."""
    chromium = find_chromium()
    if chromium is None:
        message = "Chromium not found: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return chromium


def _request(url: str, method: str = "GET", timeout: float = 5.0) -> int:
    request = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A running JupyterLab over a cleared copy of notebooks/: yields (base url, token, root)."""
    root = tmp_path_factory.mktemp("lab")
    notebooks = root / "notebooks"
    notebooks.mkdir()
    for path in paths.notebooks_dir().glob("*.ipynb"):  # notebooks only: no checkpoints, sockets
        shutil.copy(path, notebooks / path.name)
    for path in notebooks.glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nbformat.write(nb, path)
    # Lab settings of its own: every cell kept in the page (no windowing), nothing from ~/.jupyter.
    settings = root / "settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port, token = free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(root / "config"),
        "JUPYTER_RUNTIME_DIR": str(root / "runtime"),
    }
    log = (root / "jupyter.log").open("w")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "jupyter"),
            "lab",
            "--no-browser",
            "--allow-root",  # CI and containers run as root
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={notebooks}",
            f"--LabApp.user_settings_dir={root / 'settings'}",
            f"--LabApp.workspaces_dir={root / 'workspaces'}",
            "--LabApp.news_url=",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited ({process.returncode}): see {log.name}")
            try:
                if _request(f"{base}/api/status?token={token}") == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer within {START_TIMEOUT_S} s: see {log.name}")
            time.sleep(0.25)
        yield base, token, notebooks
    finally:
        # Ask the server to stop (it shuts its kernels down), then make sure it has.
        try:
            _request(f"{base}/api/shutdown?token={token}", method="POST")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        log.close()


@pytest.fixture
def page(tmp_path_factory):
    """A page in one headless Debian Chromium (fresh profile), closed afterwards."""
    chromium = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(chromium),
            headless=True,
            args=list(CHROMIUM_ARGS),
            viewport={"width": 1400, "height": 1000},
            timeout=30_000,
        )
        try:
            page = context.pages[0] if context.pages else context.new_page()
            page.set_default_timeout(30_000)
            yield page
        finally:
            context.close()


CODE_PROMPTS = "document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell .jp-InputPrompt')"


def wait_for_kernel_idle(page, timeout_s: float) -> None:
    """Wait until the status bar says the notebook's kernel is connected and idle."""
    page.locator(".jp-StatusBar-Widget", has_text="| Idle").first.wait_for(timeout=timeout_s * 1000)


def run_all_cells(page) -> None:
    """Run > Run All Cells from the menu bar, then wait until every code cell has a count.

    The first click can land while the kernel is still being wired to the notebook and run
    nothing; if no cell has started within a few seconds, the command is given once more.
    """
    for attempt in range(2):
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        try:
            page.wait_for_function(
                f"() => [...{CODE_PROMPTS}].some(p => /\\[(\\*|\\d+)\\]/.test(p.textContent))",
                timeout=10_000,
                polling=250,
            )
            break
        except Exception:
            if attempt:
                raise
    page.wait_for_function(
        f"""() => {{
            const prompts = [...{CODE_PROMPTS}];
            return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
        }}""",
        timeout=RUN_TIMEOUT_S * 1000,
        polling=250,
    )
    wait_for_kernel_idle(page, RUN_TIMEOUT_S)  # the last outputs are in once it is idle again


@pytest.mark.parametrize(("notebook", "sentence", "has_figure"), NOTEBOOKS)
def test_jupyterlab_runs_notebook_and_shows_sentence_and_figure(
    lab, page, notebook, sentence, has_figure
):
    base, token, root = lab
    if not (root / notebook).exists():
        pytest.skip(f"{notebook} is not in notebooks/ yet")
    screenshot = root.parent / f"failure-{Path(notebook).stem}.png"
    try:
        # A workspace of its own, so JupyterLab does not also restore the notebooks of earlier
        # tests (their cells would be counted with this one's).
        workspace = Path(notebook).stem
        url = f"{base}/lab/workspaces/{workspace}/tree/{notebook}?token={token}"
        page.goto(url, wait_until="domcontentloaded")
        page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=START_TIMEOUT_S * 1000)
        wait_for_kernel_idle(page, START_TIMEOUT_S)
        run_all_cells(page)
        outputs = page.locator(".jp-OutputArea-output")
        assert outputs.filter(has_text=sentence).count() >= 1, f"{sentence!r} not in the outputs"
        images = page.locator(".jp-OutputArea-output img")
        if has_figure:
            assert images.count() >= 1, "no figure in the outputs"
        # A figure is an image/png output, to which JupyterLab's image renderer gives no alt
        # attribute: its alt text is shown as the caption below it (helpers.display).
        captions = page.locator(".jp-OutputArea-output .figure-caption")
        assert captions.count() == images.count(), "a figure without its alt text as caption"
        for i in range(captions.count()):
            assert captions.nth(i).inner_text().strip(), f"figure {i} has an empty caption"
        errors = page.locator(
            ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
        )
        assert errors.filter(has_text="Traceback").count() == 0, "a cell raised an error"
    except BaseException:
        page.screenshot(path=str(screenshot), full_page=True)
        print(f"Screenshot of the failure: {screenshot}")
        raise


# --- File > Save and Export Notebook As ----------------------------------------------------------

EXPORT_NOTEBOOK = "01-perth-and-kinross-2017.ipynb"
#: nbconvert's placeholder for an <img> without alt text.
NO_ALT = "No description has been provided for this image"
EXPORT_TIMEOUT_S = 120


def words(text: str) -> str:
    """``text`` with every run of whitespace as one space (PDF text breaks lines anywhere)."""
    return " ".join(text.split())


def menu_item(page, label: str):
    """The visible menu item labelled exactly ``label``."""
    exact = re.compile(f"^{re.escape(label)}$")
    return page.locator(".lm-Menu-item:visible").filter(
        has=page.locator(".lm-Menu-itemLabel", has_text=exact)
    )


def export_from_menu(page, label: str, out_dir: Path) -> Path:
    """File > Save and Export Notebook As > ``label``; the downloaded file, saved in ``out_dir``.

    JupyterLab opens the export URL in a new tab, which downloads it: the download is caught on
    whichever page it happens. A dialog (JupyterLab asks whether to sanitize HTML with some
    servers) is accepted with its defaults.
    """
    downloads = []
    context = page.context

    def caught(download):
        downloads.append(download)

    def watch(new_page):
        new_page.on("download", caught)

    context.on("page", watch)
    page.on("download", caught)
    try:
        page.get_by_role("menuitem", name="File", exact=True).click()
        # Lumino menu items by their label text (their accessible names carry mnemonics).
        menu_item(page, "Save and Export Notebook As").click()
        menu_item(page, label).click()
        deadline = time.monotonic() + EXPORT_TIMEOUT_S
        while not downloads:
            dialog = page.locator(".jp-Dialog")
            if dialog.count():
                dialog.locator(".jp-mod-accept").first.click()
            if time.monotonic() > deadline:
                pytest.fail(f"{label}: nothing downloaded within {EXPORT_TIMEOUT_S} s")
            page.wait_for_timeout(250)
        download = downloads[0]
        assert download.failure() is None, f"{label}: download failed: {download.failure()}"
        path = out_dir / f"{label}-{download.suggested_filename}"
        download.save_as(path)
        return path
    finally:
        context.remove_listener("page", watch)
        page.remove_listener("download", caught)
        for extra in context.pages[1:]:
            extra.close()


def figures_in_html(path: Path) -> tuple[list, str]:
    """The <img> elements of an exported page and its visible text (words)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return soup.find_all("img"), words(soup.get_text(" "))


def code_inputs(path: Path) -> list:
    """The code cells' inputs shown in an exported page."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return soup.select(".jp-CodeCell .jp-InputArea")


def check_stock_html(path: Path) -> None:
    """Stock export (sanitized or not): every figure an image, its alt text as caption below."""
    from bs4 import BeautifulSoup

    text = path.read_text(encoding="utf-8")
    assert "&lt;figure" not in text and "&lt;img" not in text, "figure markup shown as text"
    images, page_words = figures_in_html(path)
    figures = [i for i in images if i.get("src", "").startswith("data:image/png;base64,")]
    assert figures, f"{path.name}: no figure"
    assert all(i.get("alt", "").strip() for i in figures), f"{path.name}: an image without alt"
    soup = BeautifulSoup(text, "html.parser")
    captions = [words(c.get_text()) for c in soup.select(".figure-caption")]
    assert len(captions) == len(figures), f"{path.name}: a figure without its alt text caption"
    assert all(captions), f"{path.name}: an empty caption"
    assert GRADE_SENTENCE in page_words


def test_jupyterlab_exports_reader_html_reader_pdf_and_stock_html(lab, page, tmp_path):
    """The reports' formats in JupyterLab's export menu give what make reports gives.

    Notebook 01 is run in JupyterLab, then exported from the menu as Reader_html (no code,
    figures with their alt text), Reader_pdf (printed by the system Chromium: the release
    sentence is in its text) and stock HTML, which must show the figures too, also when
    sanitized (JupyterLab's default where it asks).
    """
    from pypdf import PdfReader

    base, token, root = lab
    screenshot = root.parent / "failure-export.png"
    try:
        url = f"{base}/lab/workspaces/export/tree/{EXPORT_NOTEBOOK}?token={token}"
        page.goto(url, wait_until="domcontentloaded")
        page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=START_TIMEOUT_S * 1000)
        wait_for_kernel_idle(page, START_TIMEOUT_S)
        run_all_cells(page)

        reader_html = export_from_menu(page, "Reader_html", tmp_path)
        assert reader_html.suffix == ".html"
        images, page_words = figures_in_html(reader_html)
        assert images, "reader HTML: no figure"
        for image in images:
            alt = image.get("alt", "").strip()
            assert alt and alt != NO_ALT, f"reader HTML: figure without its alt text: {alt!r}"
        assert GRADE_SENTENCE in page_words
        assert not code_inputs(reader_html), "code in the reader HTML"

        reader_pdf = export_from_menu(page, "Reader_pdf", tmp_path)
        assert reader_pdf.read_bytes().startswith(b"%PDF"), "reader PDF is not a PDF"
        pdf_words = words(" ".join(p.extract_text() or "" for p in PdfReader(reader_pdf).pages))
        assert GRADE_SENTENCE in pdf_words, "reader PDF lacks the release sentence"

        check_stock_html(export_from_menu(page, "HTML", tmp_path))
        # And sanitized, whatever the menu chose: the export URL JupyterLab opens, asked for it.
        sanitized = tmp_path / "sanitized.html"
        query = f"download=true&sanitize_html=true&token={token}"
        with urllib.request.urlopen(
            f"{base}/nbconvert/html/{EXPORT_NOTEBOOK}?{query}", timeout=EXPORT_TIMEOUT_S
        ) as response:
            sanitized.write_bytes(response.read())
        check_stock_html(sanitized)
    except BaseException:
        page.screenshot(path=str(screenshot), full_page=True)
        print(f"Screenshot of the failure: {screenshot}")
        raise
