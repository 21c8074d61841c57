"""Sources in a reader's tables: bare addresses made links named by their site, a source
repeated on every row said once, and addresses that may wrap only at their '/' and '.'.

Why its own module: the data cite a web page for every fact, so tables are full of addresses.
A reader wants 'Care Inspectorate', not a 90-letter address (:func:`helpers.sites.site_name`);
a printed page wants the address to break where it can be read, never inside a word
(:func:`break_addresses`). A link is made only where the data state a source (a column or row
whose header says so).
"""

from __future__ import annotations

import re

from helpers.sites import site_name


def _link_columns(table) -> set[int]:
    """The positions of the columns whose header says they hold sources
    (:func:`helpers.display.link_column`); none in a table with merged cells."""
    from helpers.display import link_column

    if table.find(attrs={"colspan": True}) or table.find(attrs={"rowspan": True}):
        return set()
    head = table.thead.find("tr") if table.thead else None
    heads = head.find_all(["th", "td"]) if head is not None else []
    return {j for j, cell in enumerate(heads) if link_column(cell.get_text(" "))}


def readable_links(table, soup) -> None:
    """Bare web addresses in a source column (:func:`_link_columns`) or row become links whose
    text is the site's name (the address stays the link's target and its title). An address
    anywhere else stays text: a link is made only where the data states one."""
    from helpers.display import link_column, web_address

    columns = _link_columns(table)
    for row in table.tbody.find_all("tr") if table.tbody else []:
        cells = row.find_all(["td", "th"])
        # A table turned on its side: the row's header says it holds sources.
        sources = cells and cells[0].name == "th" and link_column(cells[0].get_text(" "))
        for j, cell in enumerate(cells):
            links = cell.find_all("a")
            text = cell.get_text(strip=True)
            stated = j in columns or sources
            if not links and stated and cell.name == "td" and web_address(text):
                cell.clear()
                link = soup.new_tag("a", href=text)
                cell.append(link)
                links = [link]
            for link in links:
                href = link.get("href", "")
                if web_address(href) and link.get_text(strip=True) in (
                    href,
                    href.rstrip("/"),
                    "",
                ):
                    link.string = site_name(href)
                    link["title"] = href
                    link.attrs.pop("target", None)


def one_source_once(table, soup) -> None:
    """A column giving the same one link on every row is dropped, and said once under the
    table ('Source, for every row: ...')."""
    if table.find(attrs={"colspan": True}) or table.find(attrs={"rowspan": True}):
        return
    head_rows = table.thead.find_all("tr") if table.thead else []
    body_rows = table.tbody.find_all("tr") if table.tbody else []
    if len(body_rows) < 2 or len(head_rows) != 1:
        return
    grid = [row.find_all(["td", "th"]) for row in body_rows]
    heads = head_rows[0].find_all(["td", "th"])
    width = len(heads)
    if width < 2 or any(len(cells) != width for cells in grid):
        return
    for j in reversed(range(width)):
        column = [cells[j] for cells in grid]
        hrefs = set()
        for cell in column:
            links = cell.find_all("a")
            if len(links) != 1 or cell.get_text(strip=True) != links[0].get_text(strip=True):
                break
            hrefs.add(links[0].get("href"))
        else:
            if len(hrefs) != 1:
                continue
            note = soup.new_tag("p", attrs={"class": "reader-table-source"})
            label = heads[j].get_text(" ", strip=True) or "Source"
            label = re.sub(r"[ _]?url$", "", label, flags=re.IGNORECASE) or "Source"
            note.append(f"{label.replace('_', ' ').capitalize()}, the same for every row: ")
            note.append(column[0].find("a"))
            table.insert_after(note)
            heads[j].decompose()
            for cell in column:
                cell.decompose()
            return


#: Where an address may break: after a '/', before a '.', after a '_' of a path's words
#: (inspectors_praise_...), never at either end of the word.
ADDRESS_BREAK = re.compile(r"(?<=[^/\s]/)(?=[^/\s])|(?<=\w)(?=\.\w)|(?<=[^\W_]_)(?=[^\W_])")
#: A word that reads as an address or a host name ('careinspectorate.com', 'https://a.b/c').
_ADDRESS = re.compile(r"^(https?://)?[\w-]+(\.[\w-]+)+(/\S*)?$")


def address_breaks(table, soup) -> None:
    """Let a web address or host name in a table wrap only at its '/' and '.' boundaries:
    a ``<wbr>`` after each '/' and before each '.' (never in numbers, never in a site's name)."""
    for cell in table.find_all(["td", "th"]):
        if "num" not in cell.get("class", []):
            break_addresses(cell, soup)


def break_addresses(element, soup) -> None:
    """A ``<wbr>`` after each '/' and '_' and before each '.' of every address in ``element``'s
    text."""
    for text in list(element.find_all(string=True)):
        words = text.split(" ")
        if not any(len(w) >= 12 and _ADDRESS.match(w) for w in words):
            continue
        pieces = []
        for k, word in enumerate(words):
            parts = ADDRESS_BREAK.split(word) if _ADDRESS.match(word) else [word]
            for j, part in enumerate(parts):
                if j:
                    pieces.append(soup.new_tag("wbr"))
                pieces.append(part)
            if k < len(words) - 1:
                pieces.append(" ")
        text.replace_with(*pieces)
