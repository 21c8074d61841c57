"""Tidy a reader's tables: no meaningless 0..n-1 index, numbers right-aligned and whole, and
every table fitting the printed page.

Why its own module: pandas writes tables for analysts (its index, its names in a stray header
row, an empty corner header); a reader's page needs them plain, and print needs to know which
cells may wrap and which tables need a landscape page. :func:`tidy_table` is the list of steps,
each a function of its own; sources and addresses are :mod:`helpers.build.links`'s.
"""

from __future__ import annotations

import re

from helpers.build.links import ADDRESS_BREAK, address_breaks, one_source_once, readable_links

#: A cell that reads as a number: '12', '-3', '1,234', '4.5', '67%'.
_NUMBER = re.compile(r"^[-+\u2212]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?%?$")
#: Cells that do not stop a column from being numeric (missing values).
_BLANKS = frozenset({"", "unknown", "nan", "<na>", "none", "-", "\u2013", "\u2014"})
_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL | re.IGNORECASE)


def _add_class(element, name: str) -> None:
    """Add ``name`` to the classes of ``element`` (a cell or a table), after those it has."""
    element["class"] = [*element.get("class", []), name]


def _is_number(text: str) -> bool:
    return bool(text) and any(c.isdigit() for c in text) and bool(_NUMBER.match(text))


def _drop_range_index(table) -> None:
    """Remove a pandas table's unnamed 0..n-1 index column: it means nothing to a reader."""
    head_rows = table.thead.find_all("tr") if table.thead else []
    body_rows = table.tbody.find_all("tr") if table.tbody else []
    if not head_rows or not body_rows:
        return
    firsts = [row.find(["th", "td"]) for row in body_rows]
    if any(c is None or c.name != "th" or c.get("rowspan") for c in firsts):
        return
    if [c.get_text(strip=True) for c in firsts] != [str(i) for i in range(len(firsts))]:
        return
    heads = [row.find(["th", "td"]) for row in head_rows]
    if any(h is None or h.get_text(strip=True) or int(h.get("colspan", 1)) != 1 for h in heads):
        return  # a named index, or a header this does not understand: leave it
    for cell in firsts + heads:
        cell.decompose()


def _mark_numbers(table) -> None:
    """Add class ``num`` to numeric cells, and to whole columns that are numeric."""
    rows = table.find_all("tr")
    spans = table.find_all(attrs={"colspan": True}) + table.find_all(attrs={"rowspan": True})
    if spans:  # positions are ambiguous: mark cells one by one
        for cell in table.find_all("td"):
            if _is_number(cell.get_text(strip=True)):
                _add_class(cell, "num")
        return
    grid = [row.find_all(["td", "th"]) for row in rows]
    body = [
        cells for row, cells in zip(rows, grid, strict=True) if row.find_parent("thead") is None
    ]
    width = max((len(cells) for cells in grid), default=0)
    for j in range(width):
        column = [cells[j] for cells in body if j < len(cells) and cells[j].name == "td"]
        texts = [c.get_text(strip=True) for c in column]
        known = [t for t in texts if t.lower() not in _BLANKS]
        if known and all(_is_number(t) for t in known):
            for cells in grid:
                if j < len(cells):
                    _add_class(cells[j], "num")
        else:
            for cell, text in zip(column, texts, strict=True):
                if _is_number(text):
                    _add_class(cell, "num")


def _index_names_into_header(table) -> None:
    """pandas puts the row labels' names ('grade', 'snapshot', 'place') in a header row of
    their own under the column headers, the rest of that row empty: a reader sees a stray row.
    Their names go into the empty corner cells of the header row above, and that row goes."""
    head = table.find("thead")
    rows = head.find_all("tr", recursive=False) if head is not None else []
    if len(rows) < 2:
        return
    names, above = rows[-1].find_all(["th", "td"]), rows[-2].find_all(["th", "td"])
    filled = [bool(c.get_text(strip=True)) for c in names]
    k = filled.index(False) if False in filled else len(filled)
    if k == 0 or any(filled[k:]) or len(above) < k:
        return
    if any(c.get_text(strip=True) or c.get("colspan") not in (None, "1") for c in above[:k]):
        return
    for name, corner in zip(names[:k], above[:k], strict=True):
        corner.name = "th"
        corner.clear()
        corner.append(name.get_text(" ", strip=True))
    rows[-1].decompose()


def _empty_headers_to_cells(table) -> None:
    """A header cell with no text (pandas' top-left corner) becomes a plain cell: a screen
    reader announces an empty header as a header of nothing."""
    for th in table.find_all("th"):
        if not th.get_text(strip=True):
            th.name = "td"


#: A word this long fits no column of a printed table: it may break anywhere there. (Shorter
#: words, 'Clackmannanshire' or a site's host name, never break inside a letter run.)
LONG_WORD = 30


def _longest_piece(cell) -> int:
    """The longest run of letters in ``cell`` that may not break (a number never breaks)."""
    whole = cell.get_text(strip=True)
    if cell.name == "td" and ("num" in cell.get("class", []) or _DATE.match(whole)):
        return len(whole)  # set on one line (a header of numbers wraps between its words)
    text = " ".join(cell.get_text(" ").split())
    words = [part for word in text.split() for part in ADDRESS_BREAK.split(word)]
    return max((len(w) for w in words if len(w) < LONG_WORD), default=0)


def _mark_long_words(table) -> None:
    """Add class ``reader-break`` to text cells with a word of :data:`LONG_WORD` characters or
    more (an address's pieces between its '/' and '.' counted apart): in print such a cell may
    break inside the word, so the table fits the page."""
    for cell in table.find_all(["td", "th"]):
        if "num" in cell.get("class", []):
            continue
        words = [p for w in cell.get_text(" ").split() for p in ADDRESS_BREAK.split(w)]
        if any(len(word) >= LONG_WORD for word in words):
            _add_class(cell, "reader-break")


#: Tables with more columns than this are set smaller in print.
WIDE_TABLE = 7
#: The width of a printed page's text (A4 less 12 mm margins each side), in points.
PORTRAIT_WIDTH_PT = 595 - 2 * 34
#: Points per letter of a table's text, per point of font size (generous: bold headers).
_LETTER = 0.62
#: A cell's padding and border, in points.
_CELL_PAD = 6


def min_width_pt(table, size: float) -> float:
    """The narrowest a table can be set at ``size`` points without cutting a word: each
    column as wide as its longest unbreakable piece (estimated from letter counts)."""
    widths: dict[int, int] = {}
    for row in table.find_all("tr"):
        j = 0
        for cell in row.find_all(["td", "th"]):
            span = int(cell.get("colspan", 1) or 1)
            if span == 1:
                widths[j] = max(widths.get(j, 0), _longest_piece(cell))
            j += span
    return sum(n * _LETTER * size + _CELL_PAD for n in widths.values())


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _mark_dates(table) -> None:
    """Add class ``reader-date`` to cells holding a date (2016-03-31): never split at a hyphen."""
    for cell in table.find_all(["td", "th"]):
        if _DATE.match(cell.get_text(strip=True)):
            _add_class(cell, "reader-date")


def tidy_table(table, soup) -> None:
    """Tidy one parsed ``<table>`` of ``soup`` in place (see :func:`tidy_tables`)."""
    if "dataframe" in table.get("class", []):
        _drop_range_index(table)
    readable_links(table, soup)
    one_source_once(table, soup)
    _index_names_into_header(table)
    _empty_headers_to_cells(table)
    _mark_numbers(table)
    address_breaks(table, soup)
    _mark_long_words(table)
    _mark_dates(table)
    _fit_the_page(table)


def _fit_the_page(table) -> None:
    """A table of more than :data:`WIDE_TABLE` columns is set smaller in print (``reader-wide``);
    one too wide for a portrait page even so, without cutting words, gets a landscape page
    (``reader-landscape``)."""
    first_row = table.find("tr")
    size = 8.0
    if first_row is not None and len(first_row.find_all(["td", "th"])) > WIDE_TABLE:
        _add_class(table, "reader-wide")
        size = 6.5
    if min_width_pt(table, size) > PORTRAIT_WIDTH_PT:
        _add_class(table, "reader-landscape")


def tidy_tables(body: str) -> str:
    """Reader's tables: no meaningless 0..n-1 index, numbers right-aligned, text left.

    Each ``<table>`` of ``body`` is rewritten on its own (the rest is left as it is). A pandas
    table (class ``dataframe``) whose index is unnamed and reads 0, 1, ..., n-1 loses that
    column; in every table, cells that read as numbers (and the headers of columns that are all
    numbers) get class ``num``. A whole page is tidied by
    :func:`helpers.build.page.finish_page`, in its one pass.
    """
    from bs4 import BeautifulSoup

    def tidy(match: re.Match) -> str:
        soup = BeautifulSoup(match.group(0), "html.parser")
        table = soup.find("table")
        if table is None:
            return match.group(0)
        tidy_table(table, soup)
        return str(soup)

    return _TABLE.sub(tidy, body)
