"""Record what was built: the manifest (content keys) and the index, each report committed whole.

A report's HTML, its PDF, its figures' files (``<stem>-figure-<n>.png|svg|csv``) and its
manifest entry change together or not at all; a new page's figure files replace all the old
ones. The new files are first written beside the old ones under temporary names
(:func:`helpers.atomic.stage`); :func:`commit` then writes the manifest with the new entry and
the list of moves still to do (``pending``: the commit point), makes the moves, and writes the
manifest without it. A build killed after the commit point is completed by the next
:func:`load_manifest`; one killed before leaves the old report and its entry as they were (the
temporary files are removed).
"""

from __future__ import annotations

import contextlib
import glob
import html
import json
import os
import re
from datetime import UTC, datetime
from pathlib import Path

from helpers.atomic import atomic_write_text
from helpers.build.plan import MANIFEST_VERSION, Job

MANIFEST = "manifest.json"


def _empty() -> dict:
    return {"version": MANIFEST_VERSION, "reports": {}}


def _plain_name(name) -> bool:
    """Whether ``name`` is a file's name in the output folder itself: no path, no way out."""
    return (
        isinstance(name, str)
        and name not in ("", ".", "..")
        and not any(ch in name for ch in "/\\\0")
    )


def _well_formed(manifest) -> bool:
    """Whether ``manifest`` has the shape the build writes: report entries are mappings, and a
    pending commit moves and removes only files of the folder itself (a manifest damaged or
    edited to name ``../x`` must never move or delete a file elsewhere)."""
    if not isinstance(manifest, dict) or manifest.get("version") != MANIFEST_VERSION:
        return False
    reports, pending = manifest.get("reports"), manifest.get("pending", {})
    if not isinstance(reports, dict) or not isinstance(pending, dict):
        return False
    if not all(isinstance(entry, dict) for entry in reports.values()):
        return False
    for commit in pending.values():
        if not isinstance(commit, dict):
            return False
        moves, remove, entry = commit.get("moves"), commit.get("remove"), commit.get("entry")
        if not (isinstance(moves, dict) and isinstance(remove, list)):
            return False
        if not isinstance(entry, dict):
            return False
        names = [*moves, *moves.values(), *remove]
        if not all(_plain_name(name) for name in names):
            return False
    return True


def _read(out_dir: Path) -> dict:
    """The manifest on disk; an empty one if it is missing, unreadable or not well formed
    (:func:`_well_formed`): every report is then built again."""
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _empty()
    return manifest if _well_formed(manifest) else _empty()


def _apply(out_dir: Path, manifest: dict) -> None:
    """Make the moves of the pending commits, then forget them: safe to repeat after a kill."""
    for stem, pending in manifest.pop("pending", {}).items():
        for name, tmp in pending["moves"].items():
            if (out_dir / tmp).exists():
                os.replace(out_dir / tmp, out_dir / name)
        for name in pending["remove"]:
            (out_dir / name).unlink(missing_ok=True)
        manifest["reports"][stem] = pending["entry"]


def load_manifest(out_dir: Path) -> dict:
    """The previous build's manifest (an interrupted commit completed), or an empty one.

    A damaged file means rebuild everything. Temporary files left by a killed build are removed.
    """
    manifest = _read(out_dir)
    if manifest.get("pending"):
        _apply(out_dir, manifest)
        save_manifest(out_dir, manifest)
    if out_dir.is_dir():
        for leftover in out_dir.glob(".*.tmp*"):
            leftover.unlink(missing_ok=True)
    return manifest


def discard_staged(out_dir: Path) -> None:
    """Remove the staged (temporary) files in ``out_dir``, except those a commit still needs.

    For a build that stops (a full disk) while it holds the folder's lock, so every staged file
    is its own. A commit whose commit point was written (``pending`` in the manifest on disk)
    keeps its files: the next :func:`load_manifest` completes it.
    """
    pending = _read(out_dir).get("pending", {}).values()
    keep = {tmp for commit in pending for tmp in commit["moves"].values()}
    for leftover in out_dir.glob(".*.tmp*"):
        if leftover.name not in keep:
            leftover.unlink(missing_ok=True)


def warm_maps() -> None:
    """Start computing the index's maps (a second or two) while the first reports run, so the
    index is written as soon as a report is committed, as before the maps. Only for a build
    with reports to make: a build with nothing to do writes no index."""
    import threading

    from helpers.build import front

    def warm() -> None:
        with contextlib.suppress(Exception):  # write_index reports the error on the page
            front.map_values()

    threading.Thread(target=warm, name="index-maps", daemon=True).start()


def save_manifest(out_dir: Path, manifest: dict) -> None:
    """Write the manifest atomically."""
    atomic_write_text(out_dir / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))


def commit(out_dir: Path, manifest: dict, stem: str, entry: dict, moves: dict, remove=()) -> None:
    """Replace report ``stem``: its entry, staged files (``{name: temporary path}``) and removals.

    All or nothing (see the module docstring). Files named in ``remove`` (an old PDF that would
    no longer match the new HTML) are deleted as part of the same commit.
    """
    names = {name: Path(tmp).name for name, tmp in moves.items()}
    figures = sorted(name for name in moves if _FIGURE_FILE.match(name, len(stem)))
    if f"{stem}.html" in moves:  # a new page: its figures' files are the ones staged with it
        entry = {**entry, "figures": [n for n in figures if n.startswith(f"{stem}-")]}
        remove = [*remove, *(n for n in figure_files(out_dir, stem) if n not in moves)]
    elif stem in manifest["reports"] and "figures" in manifest["reports"][stem]:
        entry = {**entry, "figures": manifest["reports"][stem]["figures"]}
    pending = {"entry": entry, "moves": names, "remove": list(remove)}
    manifest.setdefault("pending", {})[stem] = pending
    save_manifest(out_dir, manifest)  # the commit point
    _apply(out_dir, manifest)
    save_manifest(out_dir, manifest)


#: A figure's file beside its report, after the report's stem: ``-figure-3.svg``.
_FIGURE_FILE = re.compile(r"-figure-\d+\.(png|svg|csv)$")


def figure_files(out_dir: Path, stem: str) -> list[str]:
    """The names of the figure files of report ``stem`` now in ``out_dir``."""
    if not out_dir.is_dir():
        return []
    return sorted(
        f.name
        for f in out_dir.glob(f"{glob.escape(stem)}-figure-*")
        if f.name.startswith(stem) and _FIGURE_FILE.fullmatch(f.name, len(stem))
    )


def entry_for(job: Job, **fields) -> dict:
    """A manifest entry for ``job``: what the index shows, plus ``fields``."""
    return {
        "title": job.title,
        "area": job.area,
        "source": job.source.name,
        "parameters": job.parameters,
        **fields,
    }


def failed_entry(out_dir: Path, previous: dict | None, job: Job, error: str) -> dict:
    """The entry of a report whose rebuild failed: the previous files kept, marked as failed."""
    previous = dict(previous or {})
    html_name = previous.get("html") or f"{job.stem}.html"
    if not (out_dir / html_name).exists():
        previous = {"html": None, "pdf": None}
    previous.setdefault("html", html_name)
    return {**previous, **entry_for(job), "failed": {"error": error, "at": now()}}


def now() -> str:
    """The time now, UTC, to the minute: when a report was built or failed."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _built_at(out_dir: Path, report: dict) -> str:
    """When a report's current files were built (from the manifest, else the file's time)."""
    if report.get("built"):
        return report["built"]
    stamp = (out_dir / report["html"]).stat().st_mtime
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


#: One line on what each Scotland-wide report answers (by its notebook's file name).
DESCRIPTIONS = {
    "01-perth-and-kinross-2017.ipynb": "One joint inspection read closely: what was looked at, "
    "how the services were graded and what the inspectors found.",
    "02-scotland-compared.ipynb": "Perth and Kinross's grades against every council area whose "
    "split of grades is known, and what the later programmes show.",
    "03-registered-care-services.ipynb": "Registered care services for children: who runs them "
    "and how they are graded, against Scotland, since 2016.",
    "04-data-quality.ipynb": "What is known for which area and programme, from which sources, "
    "and how sure.",
    "06-what-inspectors-found.ipynb": "What inspectors praised and asked to improve, theme by "
    "theme, in every programme since 2009, beside the national reviews; and who else was told, "
    "as Perth and Kinross was in 2017, to improve chronologies and independent advocacy.",
}
#: The groups of per-area reports: notebook -> (heading, one line on every report in it).
AREA_GROUPS = {
    "area-profile.ipynb": (
        "Area profiles",
        "One per council area: its latest joint inspection first, with what inspectors found; "
        "every inspection's grades and findings against the other areas whose grades are known; "
        "and its registered children's services.",
    ),
    "05-what-changed.ipynb": (
        "What changed",
        "One per council area: children's services newly registered or cancelled, and grades "
        "gone down or up, between the last two snapshots, against Scotland.",
    ),
}


def _front_maps(reports: dict) -> str:
    """The tile maps and their summary; a note instead if the data cannot be read."""
    from helpers.build import front

    links = {
        r["area"]: r["html"]
        for r in reports.values()
        if r.get("area") and r.get("source") == "area-profile.ipynb" and r.get("html")
    }
    try:
        maps = front.map_values()
    except Exception as error:  # the index is still written, with its list of reports
        return (
            f"<p>The maps could not be drawn: {html.escape(type(error).__name__)}: "
            f"{html.escape(str(error))}</p>"
        )
    figures = "".join(front.tile_map(values, links) for values in maps)
    sentences = "".join(f"<li>{html.escape(s)}</li>" for s in front.summary(maps))
    # What the maps show comes first, so a reader on a phone has it before the maps and lists.
    return (
        '<section aria-labelledby="maps-heading"><h2 id="maps-heading">Scotland at a glance</h2>'
        f'<ul class="summary">{sentences}</ul>'
        "<p>Each square is a council area, placed roughly where it lies (north at the top); "
        "select one to open its profile. Grey hatched squares are not known: no value, "
        "not zero. Each map has its own scale: see its legend.</p>"
        f'<div class="maps">{figures}</div></section>'
    )


def _index_row(out_dir: Path, report: dict, label: str, description: str = "") -> str:
    """One report in the index: its HTML and PDF links, or why there are none, and a warning if
    its last build failed."""
    failed = report.get("failed")
    if not (report.get("html") and (out_dir / report["html"]).exists()):
        error = html.escape(failed["error"]) if failed else "no HTML"
        return (
            f'<li>{html.escape(label)} <strong class="failed">last build failed: {error}; '
            "there is no previous version</strong></li>"
        )
    title = f'<a href="{html.escape(report["html"])}">{html.escape(label)}</a>'
    if report.get("pdf") and (out_dir / report["pdf"]).exists():
        pdf = f'<a href="{html.escape(report["pdf"])}">PDF</a>'
    elif report.get("pdf_error"):
        pdf = f"no PDF: {html.escape(report['pdf_error'])}"
    else:
        pdf = "no PDF (Chromium was not found, or --no-pdf)"
    warning = ""
    if failed:
        warning = (
            f' <strong class="failed">last build failed: {html.escape(failed["error"])}; '
            f"showing the previous version of {html.escape(_built_at(out_dir, report))}"
            "</strong>"
        )
    about = f'<br/><span class="about">{html.escape(description)}</span>' if description else ""
    return f"<li>{title} ({pdf}){warning}{about}</li>"


def _area_sections(out_dir: Path, reports: dict) -> list[str]:
    """The per-area reports, a section per template (:data:`AREA_GROUPS` first), A to Z."""
    groups: dict[str, list] = {}
    for report in reports.values():
        if report.get("area"):
            groups.setdefault(report.get("source") or "", []).append(report)
    parts = []
    for source in [*AREA_GROUPS, *sorted(set(groups) - set(AREA_GROUPS))]:
        members = sorted(groups.get(source, []), key=lambda r: r["area"])
        if not members:
            continue
        heading, about = AREA_GROUPS.get(source, (source, ""))
        parts += [
            f"<h2>{html.escape(heading)} ({len(members)} council "
            f"{'area' if len(members) == 1 else 'areas'})</h2>",
            f'<p class="about">{html.escape(about)}</p>' if about else "",
            "<ul>",
            *(_index_row(out_dir, r, r["area"]) for r in members),
            "</ul>",
        ]
    return parts


def write_index(out_dir: Path, manifest: dict) -> Path:
    """Write ``index.html``: tile maps of Scotland, then the reports in groups, with HTML/PDF links.

    The maps (:mod:`helpers.build.front`) link each council area to its profile. The reports
    follow: the Scotland-wide reports, the area profiles A to Z, then what changed A to Z,
    each group with a line on what its reports say. A report whose last build failed is
    marked, with the error: its links are to the previous version (dated), or there are none if
    it never built. A report without a PDF says why.
    """
    reports = manifest["reports"]
    notebooks = [(stem, r) for stem, r in sorted(reports.items()) if not r.get("area")]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"/>',
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
        "<title>Inspections of children's services in Scotland: reports</title>",
        f"<style>{INDEX_CSS}</style></head><body><main>",
        "<h1>Inspections of children's services in Scotland: reports</h1>",
        _front_maps(reports),
        "<h2>Scotland-wide reports</h2><ul>",
        *(
            _index_row(
                out_dir, r, r.get("title") or stem, DESCRIPTIONS.get(r.get("source") or "", "")
            )
            for stem, r in notebooks
        ),
        "</ul>",
        *_area_sections(out_dir, reports),
        "</main></body></html>",
    ]
    return atomic_write_text(out_dir / "index.html", _sanitized("\n".join(parts)) + "\n")


def _sanitized(page: str) -> str:
    """The index with what lies in its ``<main>`` passed through the reports' allowlist
    (:func:`helpers.build.sanitize.sanitize`): its data text is escaped where it is written,
    and this is the second line of defence, as for every report."""
    from helpers.build.sanitize import sanitize, visible_controls

    start, end = page.find("<main>") + len("<main>"), page.rfind("</main>")
    return page[:start] + sanitize(visible_controls(page[start:end])) + page[end:]


#: The index's styles: the maps side by side where there is room, one above the other where not.
INDEX_CSS = (
    "body{font-family:sans-serif;max-width:62em;margin:2em auto;padding:0 1em;line-height:1.5;"
    "color:#1a1a1a}"
    ".failed{color:#a00000}.about{color:#444;font-size:0.92em}"
    ".maps{display:flex;flex-wrap:wrap;gap:1.5em}"
    ".map{margin:0;flex:1 1 26em;max-width:30em}.map figcaption{margin-bottom:0.4em}"
    ".tile-map{width:100%;height:auto}.tile-map a:focus rect{stroke:#000;stroke-width:3}"
    ".legend{list-style:none;padding:0;margin:0.4em 0;font-size:0.9em;display:flex;"
    "flex-wrap:wrap;gap:0.2em 1em}.legend svg{vertical-align:middle}"
    "a{color:#0b4f9c}"
    # On a phone the tiles' labels are 7 to 8 px: the values are listed under each map there.
    ".map-list{display:none}"
    "@media screen and (max-width:700px){.map-list{display:block;columns:2;column-gap:1em;"
    "padding-left:1.2em;margin:0.4em 0;font-size:15px;line-height:1.6}"
    ".map-list li{break-inside:avoid}}"
    "@media print{.maps{flex-wrap:nowrap}.map{flex:1 1 0;min-width:0;break-inside:avoid}"
    "a{color:inherit}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}"
)
