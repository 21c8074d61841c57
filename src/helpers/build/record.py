"""Record what was built: the manifest (content keys) and the index, each report committed whole.

A report's HTML, its PDF and its manifest entry change together or not at all. The new files
are first written beside the old ones under temporary names (:func:`helpers.atomic.stage`);
:func:`commit` then writes the manifest with the new entry and the list of moves still to do
(``pending``: the commit point), makes the moves, and writes the manifest without it. A build
killed after the commit point is completed by the next :func:`load_manifest`; one killed before
leaves the old report and its entry as they were (the temporary files are removed).
"""

from __future__ import annotations

import html
import json
import os
from datetime import UTC, datetime
from pathlib import Path

from helpers.atomic import atomic_write_text
from helpers.build.plan import MANIFEST_VERSION, Job

MANIFEST = "manifest.json"


def _empty() -> dict:
    return {"version": MANIFEST_VERSION, "reports": {}}


def _read(out_dir: Path) -> dict:
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return _empty()
    return manifest if manifest.get("version") == MANIFEST_VERSION else _empty()


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


def save_manifest(out_dir: Path, manifest: dict) -> None:
    """Write the manifest atomically."""
    atomic_write_text(out_dir / MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))


def commit(out_dir: Path, manifest: dict, stem: str, entry: dict, moves: dict, remove=()) -> None:
    """Replace report ``stem``: its entry, staged files (``{name: temporary path}``) and removals.

    All or nothing (see the module docstring). Files named in ``remove`` (an old PDF that would
    no longer match the new HTML) are deleted as part of the same commit.
    """
    names = {name: Path(tmp).name for name, tmp in moves.items()}
    pending = {"entry": entry, "moves": names, "remove": list(remove)}
    manifest.setdefault("pending", {})[stem] = pending
    save_manifest(out_dir, manifest)  # the commit point
    _apply(out_dir, manifest)
    save_manifest(out_dir, manifest)


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


def write_index(out_dir: Path, manifest: dict) -> Path:
    """Write ``index.html``: the notebooks, then the area profiles A to Z, with HTML/PDF links.

    A report whose last build failed is marked, with the error: its links are to the previous
    version (dated), or there are none if it never built. A report without a PDF says why.
    """
    reports = manifest["reports"]
    notebooks = sorted((s, r) for s, r in reports.items() if not r.get("area"))
    profiles = sorted(
        ((s, r) for s, r in reports.items() if r.get("area")), key=lambda x: x[1]["area"]
    )

    def row(stem: str, report: dict, label: str) -> str:
        failed = report.get("failed")
        has_html = bool(report.get("html")) and (out_dir / report["html"]).exists()
        if not has_html:
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
        return f"<li>{title} ({pdf}){warning}</li>"

    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"/>',
        "<title>Inspections of children's services in Scotland: reports</title>",
        "<style>body{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}"
        ".failed{color:#a00000}</style></head><body>",
        "<h1>Inspections of children's services in Scotland: reports</h1>",
        "<h2>Notebooks</h2><ul>",
        *(row(s, r, r["title"]) for s, r in notebooks),
        "</ul>",
        f"<h2>Area profiles ({len(profiles)} council areas with grades)</h2><ul>",
        *(row(s, r, r["area"]) for s, r in profiles),
        "</ul></body></html>",
    ]
    return atomic_write_text(out_dir / "index.html", "\n".join(parts) + "\n")
