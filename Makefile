# Two commands do everything on a fresh machine (see README.md):
#   make reports   build every report (HTML and PDF) into build/reports/
#   make test      lint, every test (unit, data, e2e) and nbval over the committed notebooks
# Each creates the environment it needs (.venv, from a hash-pinned lock: requirements-reports.lock
# for the reports, requirements-dev.lock for the tests and everything else a contributor runs).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
RUNTIME := $(VENV)/.installed-reports
STAMP   := $(VENV)/.installed-dev
# Raw datastore snapshots, needed only to refresh data/care-services (`make care-data`) and for
# `make check-snapshots`: data/datastore, where `make download-datastore` saves them.
# Override: make DATASTORE=/path/to/snapshots care-data.
DATASTORE ?= data/datastore
export HELPERS_DATASTORE_DIR ?= $(abspath $(DATASTORE))
export MPLBACKEND := Agg

.PHONY: all reports test test-fast lint execute lab env lock browser need-browser bench \
	download-datastore care-data check-snapshots clean

all: reports

# The package itself is installed editable, without dependencies: the lock has them all.
$(VENV)/.installed-%: requirements-%.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r $<
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

env: $(STAMP)

## The main job: every notebook and one profile per area, to HTML and PDF. BUILD_FLAGS passes
## options on (python -m helpers.build --help), e.g. make reports BUILD_FLAGS="--only 0[1-4]".
reports: $(RUNTIME) browser
	$(BIN)/python -m helpers.build $(BUILD_FLAGS)

## Everything a contributor (and CI) must pass: lint, then tests/ (unit, data, e2e) and nbval over
## the notebooks, in two processes, a file's tests in one of them (conftest.py says the order).
test: $(STAMP) need-browser lint
	$(BIN)/python -m pytest tests notebooks --nbval --nbval-current-env \
	    --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider \
	    -n 2 --dist loadfile --no-loadscope-reorder

## The unit tests (tests/unit: no kernel, browser, build or new process), in two processes.
## No notebooks run here, so nbval's plugin is not loaded (its import costs ~2 s a process).
test-fast: $(STAMP)
	$(BIN)/python -m pytest tests/unit -p no:cacheprovider -p no:nbval -q -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Debian's Chromium prints PDFs and drives the JupyterLab test. Installed when missing and we
## may (root with apt-get). If we may not, or apt-get fails, say what to install and go on: the
## HTML reports build without it (make reports). make test needs it: need-browser stops there.
BROWSER_HINT := install Debian's 'chromium' package (apt-get install chromium)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium (for PDFs and the JupyterLab test)"; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
	      >/dev/null; } || echo "apt-get could not install chromium (exit $$?)."; \
	  fi; \
	  command -v chromium >/dev/null 2>&1 || echo "chromium not found: $(BROWSER_HINT) for" \
	    "PDFs and the browser tests. The HTML reports build without it."; }

need-browser: $(STAMP) browser
	@$(BIN)/python -c "import sys; from helpers.build.printer import find_chromium; \
	  sys.exit(find_chromium() is None)" || { echo "make test needs Chromium (the PDF and" \
	  "JupyterLab tests): $(BROWSER_HINT), or set HELPERS_CHROMIUM to a Chromium."; exit 1; }

## Re-execute the notebooks in place (after a change to code or data), then nbval compares to these.
execute: $(RUNTIME)
	$(BIN)/python -m helpers.build --execute-in-place

## Save the latest month of the Care Inspectorate's datastore into the snapshots folder.
# DOWNLOAD_FLAGS (any of): --accept-shrink (save a month with under half the services of the
# month before, or, sent with no Content-Length, fewer), --replace (replace a month saved already
# that differs; never by default), --accept-date-mismatch (save a CSV whose name's date is not in
# its page's month), --deadline SECONDS (the whole download; default 600).
download-datastore: $(RUNTIME)
	$(BIN)/python -m helpers.datastore download --dest $(DATASTORE) $(DOWNLOAD_FLAGS)

## Rebuild data/care-services (what the notebooks read) from the raw snapshots in DATASTORE.
## It refuses a month that lost a grade column its neighbours have; if that is real,
## make care-data CARE_FLAGS=--accept-missing-grades.
care-data: $(RUNTIME)
	$(BIN)/python -m helpers.datastore derive --source $(DATASTORE) $(CARE_FLAGS)

## The reader and the derived table checked against a full folder of raw snapshots (DATASTORE).
check-snapshots: $(STAMP)
	HELPERS_TEST_SNAPSHOTS=$(abspath $(DATASTORE)) $(BIN)/python -m pytest \
	    tests/unit/test_datastore.py tests/data/test_snapshots.py -p no:cacheprovider

## JupyterLab over the notebooks; File > Save and Export Notebook As offers Reader-html and
## Reader-pdf (the reports' own formats). Jupyter refuses root without --allow-root: given then only.
lab: $(RUNTIME)
	$(BIN)/jupyter lab $$( [ "$$(id -u)" = 0 ] && echo --allow-root ) notebooks/

## The build (first and warm) against the usual pipeline; the datastore reader if there are snapshots.
bench: $(STAMP)
	$(BIN)/python benchmarks/bench_build.py
	@if [ -d "$(HELPERS_DATASTORE_DIR)" ]; then $(BIN)/python benchmarks/bench_datastore.py; \
	else echo "bench_datastore skipped: no raw snapshots in $(HELPERS_DATASTORE_DIR)" \
	  "(make download-datastore)"; fi

## Re-pin the three locks from pyproject.toml (needs uv; an existing lock's pins are kept where
## they still fit): runtime, runtime + PDF (make reports), and everything (make test).
LOCK := uv pip compile pyproject.toml --generate-hashes --python-version 3.11 --no-header -q
lock:
	$(LOCK) -o requirements.lock
	$(LOCK) --extra pdf -o requirements-reports.lock
	$(LOCK) --extra pdf --extra test --extra dev -o requirements-dev.lock

clean:
	rm -rf build $(VENV)
