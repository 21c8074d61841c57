"""Finish an exported page in one pass: sanitized, tables tidied, accessible, what belongs
together kept together, with the colophon and the contents.

Why its own module: nbconvert's page is parsed once, here, and every step that needs the parsed
page runs on it (a second parse cost as much as the rest of the export). The steps themselves
live by concern: :mod:`helpers.build.sanitize`, :mod:`helpers.build.tables`,
:mod:`helpers.build.links`, :mod:`helpers.build.colophon`, :mod:`helpers.build.contents`.
"""

from __future__ import annotations

from helpers.build.colophon import colophon_html
from helpers.build.contents import contents, heading_text
from helpers.build.links import break_addresses
from helpers.build.sanitize import sanitize, visible_controls
from helpers.build.tables import tidy_table

#: nbconvert's alt text for an image that has none (ours all have their own).
NO_ALT = "No description has been provided for this image"


def accessible(fragment) -> None:
    """What nbconvert's HTML exporter does last: every image has alt text (nbconvert's default
    where none was given) and every cell's output can take the keyboard focus."""
    for image in fragment.find_all("img"):
        if image.get("alt") is None:
            image["alt"] = NO_ALT
    for cell in fragment.find_all("div", class_=("jp-Cell-inputWrapper", "jp-OutputArea-output")):
        cell["tabindex"] = "0"


def _output_children(soup):
    return soup.find_all("div", class_="jp-OutputArea-child")


def _lone_bold(child):
    """The ``<strong>`` of an output that is one bold line and nothing else (a table's caption,
    as a notebook writes it: ``display(Markdown("**...**"))``), else None."""
    output = child.find("div", class_="jp-RenderedMarkdown")
    if output is None:
        return None
    blocks = [t for t in output.children if getattr(t, "name", None)]
    if len(blocks) != 1 or blocks[0].name != "p":
        return None
    parts = [t for t in blocks[0].contents if getattr(t, "name", None) or str(t).strip()]
    if len(parts) != 1 or parts[0].name != "strong":
        return None
    return parts[0]


def keep_together(soup) -> None:
    """What belongs together in print stays together.

    A bold line right before a table (its caption) becomes the table's ``<caption>``, so it
    goes wherever the table goes (to a landscape page too) and a screen reader names the table
    by it. A figure and the caption under it are wrapped in one ``div.reader-keep`` that print
    keeps whole. (Headings keep the space below them in the CSS:
    :data:`helpers.build.template.READER_CSS`.)
    """
    for child in _output_children(soup):
        strong = _lone_bold(child)
        after = child.find_next_sibling("div", class_="jp-OutputArea-child")
        table = after.find("table") if after is not None else None
        if strong is not None and table is not None and table.find("caption") is None:
            caption = soup.new_tag("caption", attrs={"class": "reader-caption"})
            caption.extend(list(strong.contents))
            table.insert(0, caption)
            child.decompose()
    for child in _output_children(soup):
        before = child.find_previous_sibling("div", class_="jp-OutputArea-child")
        if (
            child.find("div", class_="figure-caption") is not None
            and before is not None
            and before.find("img") is not None
            and "reader-keep" not in child.parent.get("class", [])
        ):
            keep = soup.new_tag("div", attrs={"class": "reader-keep"})
            before.insert_before(keep)
            keep.append(before.extract())
            keep.append(child.extract())


def finish_page(page: str, built: str | None = None) -> str:
    """Finish an exported page in one pass over its cells (``<main>``): sanitize them
    (:func:`helpers.build.sanitize.sanitize`, invisible direction controls made visible), tidy
    their tables (:func:`~helpers.build.tables.tidy_table`), make them accessible, and add the
    colophon under its first heading (under the key points, :class:`helpers.display.KeyPoints`,
    where there are some), then the contents (:func:`~helpers.build.contents.contents`) if the
    page is long."""
    from bs4 import BeautifulSoup

    from helpers.display import web_address

    start, end = page.find("<main>"), page.rfind("</main>")
    if start < 0 or end < 0:
        return page
    start += len("<main>")
    cells = sanitize(visible_controls(page[start:end]))
    soup = BeautifulSoup(f"<main>{cells}</main>", "html.parser")
    keep_together(soup)
    for table in soup.find_all("table"):
        tidy_table(table, soup)
    for link in soup.find_all("a"):  # an address in prose, too, breaks at its '/' and '.'
        if link.find_parent("table") is None and web_address(link.get_text()):
            break_addresses(link, soup)
    accessible(soup)
    nav = contents(soup)
    heading = soup.find("h1")
    title = heading_text(heading) if heading is not None else None
    colophon = BeautifulSoup(colophon_html(built, title), "html.parser").div
    # The colophon follows what matters: the key points if the report has them, else its title.
    anchor = soup.find("section", class_="reader-key-points") or soup.find("h1")
    if anchor is not None:
        anchor.insert_after(colophon)
    else:
        soup.main.insert(0, colophon)
    if nav is not None:
        colophon.insert_after(nav)
    return page[: start - len("<main>")] + str(soup) + page[end + len("</main>") :]
