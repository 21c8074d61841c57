"""Export an executed notebook to a self-contained reader's HTML page (no code), and its
figures' files.

The HTML is nbconvert's 'lab' template without code (a reader's version) and without the
scripts it would fetch from a CDN (:mod:`helpers.build.template`): the reports must open offline
and print offline. Figures are already embedded as ``data:`` URIs by :func:`helpers.display.show`.

What a reader can trust, and where it is made: every table fits the printed page, numbers
right-aligned and never split, without pandas' meaningless 0..n-1 index
(:mod:`helpers.build.tables`); bare addresses in tables read as the site's name and a source
repeated on every row is said once (:mod:`helpers.build.links`); the first heading is followed
by the build date, the data's version and the licences (:mod:`helpers.build.colophon`), and a
long report by its contents (:mod:`helpers.build.contents`); nothing in a cell's output can run,
load anything or hide the page (:mod:`helpers.build.sanitize`, an allowlist); all of it in one
pass over the page (:mod:`helpers.build.page`). Each figure's files are
:mod:`helpers.build.figures`'s.

This module is the entry point the build (:mod:`helpers.build.pipeline`) and JupyterLab's
exporters (:mod:`helpers.exporters`) call.
"""

from __future__ import annotations

import nbformat

from helpers.build.figures import (
    extract_figures,
    figure_files_env,  # the build sets it while kernels run
    links_under_figures,
    short_captions,
)
from helpers.build.page import finish_page
from helpers.build.template import html_exporter

__all__ = ["figure_files_env", "render_html", "render_report"]


def render_report(nb: nbformat.NotebookNode, title: str, stem: str) -> tuple[str, dict]:
    """The reader's HTML page of ``nb`` and its figures' files
    (:func:`~helpers.build.figures.extract_figures`)."""
    nb = nbformat.from_dict(nb)
    files = extract_figures(nb, stem, title)
    return render_html(nb, title), files


def render_html(nb: nbformat.NotebookNode, title: str) -> str:
    """The reader's HTML page of an executed notebook.

    Parameters
    ----------
    nb
        The executed notebook (not changed).
    title
        The page title (``<title>``), also the PDF's document title.
    """
    nb = nbformat.from_dict(nb)  # a copy: the title must not leak into the caller's notebook
    nb.metadata["title"] = title
    # No widget state: nbconvert would add a script that fetches the widget manager from a CDN.
    nb.metadata.pop("widgets", None)
    body, _ = html_exporter().from_notebook_node(nb, resources={"metadata": {"name": title}})
    return finish_page(short_captions(links_under_figures(body)))
