"""Build every report: run the notebooks in fresh kernels, export HTML and PDF, index them.

``python -m helpers.build`` (``make reports``) executes each numbered notebook
(``notebooks/NN-*.ipynb``) and one area profile (``notebooks/area-profile.ipynb`` with papermill
parameters) per council area (all 32), and one what-changed report (05) per area, each in a
fresh ``python3`` kernel with its working directory in ``notebooks/``. Each is exported to a
self-contained reader's HTML (no code) and printed to PDF by headless Chromium, into
``build/reports/`` with an ``index.html``.

The stages, one module each:

``plan``      the jobs (notebooks, one profile per area) and their content keys; what is stale
``kernels``   the zygote: libraries imported once, a fresh kernel forked per report
``execute``   run one notebook in a fresh kernel; failures name notebook, cell and error
``export``    the reader's HTML (no code, no network scripts, tidy tables), from ``template``
              (nbconvert's template and the CSS), ``page`` (one pass over the page), ``tables``,
              ``links``, ``sanitize``, ``colophon``, ``contents`` and ``figures`` (their files)
``printer``   PDFs from one long-lived headless Chromium
``record``    the manifest and the index; a report's HTML, PDF and entry committed together
``front``     the index's two tile maps of Scotland (what they show: :mod:`helpers.front_page`)
``lock``      one build per output folder at a time (a second one waits)
``pipeline``  the output folder checked first, then the stages overlapped across reports
``cli``       the command line

What it promises:

* the output folder is checked for writing and free space before any notebook runs;
* one build per output folder at a time: a second build into it waits for the first, then
  adds its reports to the same manifest and index (which list every report in the folder);
* progress as it goes (which report, n of N, elapsed time);
* a failing notebook is reported with its notebook, cell (index and first line) and error; the
  others still build, and the exit status is 1;
* a report's HTML, PDF and manifest entry are replaced together or not at all: a killed build
  leaves the previous report whole (or the new one, completed by the next build);
* killing the build kills its kernels (they die with their parent);
* a full output disk stops the build with 'no space left on the output disk (<folder>)',
  exit status 1, every staged file removed and the reports, manifest and index whole;
* a report whose rebuild fails keeps its previous HTML and PDF, and the index says so: 'last
  build failed: <error>; showing the previous version of <date>' (no links if there is none);
  a new HTML whose PDF fails is never shown beside the old PDF (that PDF is deleted, the index
  says why there is none); the failed report is tried again on the next build;
* a rebuild with nothing changed skips what is up to date (keys in
  ``build/reports/manifest.json``, see :mod:`helpers.build.plan`);
* no Chromium: HTML is still built, the missing PDFs and what to install are stated, exit 0.

``--execute-in-place`` re-executes the numbered notebooks and the template (with its default
parameters) into ``notebooks/`` instead (the references nbval compares against), keeping their
metadata, and builds no reports.
"""

import sys

# jsonschema (imported by nbformat) imports rfc3987_syntax when it is installed, which compiles a
# grammar for about 0.9 s at every start of the build, for 'iri'/'uri' format checks no notebook
# schema uses. Blocking it (an ImportError, which jsonschema expects) halves the start-up of
# ``python -m helpers.build``, so of a no-change rebuild. Only if nothing imported it already.
sys.modules.setdefault("rfc3987_syntax", None)

from helpers.build.cli import main  # noqa: E402
from helpers.build.execute import NotebookError, execute_notebook  # noqa: E402
from helpers.build.pipeline import build_reports  # noqa: E402
from helpers.build.plan import (  # noqa: E402
    PROFILE_TEMPLATE,
    Job,
    discover_jobs,
    job_key,
    profile_areas,
    select,
    shared_key,
)

__all__ = [
    "PROFILE_TEMPLATE",
    "Job",
    "NotebookError",
    "build_reports",
    "discover_jobs",
    "execute_notebook",
    "job_key",
    "main",
    "profile_areas",
    "select",
    "shared_key",
]
