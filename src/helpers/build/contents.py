"""The list of contents a long report opens with, linking its sections.

Why its own module: long reports (the profiles, the Scotland-wide reports) need a way in, on
screen and in print (Chromium keeps in-page links as links in the PDF), and the printer relies
on it being in the HTML already; short reports do without.
"""

from __future__ import annotations

#: A report with this many section headings (h2 and h3) or more opens with a linked list of
#: contents, on screen and in print (Chromium keeps in-page links as links in the PDF): the
#: profiles and the Scotland-wide reports, not the short ones.
TOC_MIN_HEADINGS = 7


def heading_text(heading) -> str:
    """A heading's words, without nbconvert's pilcrow link."""
    words = (
        text for text in heading.find_all(string=True)
        if text.find_parent("a", class_="anchor-link") is None
    )  # fmt: skip
    return " ".join("".join(words).split())


def contents(soup):
    """A ``<nav>`` listing and linking every h2 and h3 with an id, or None for a short page."""
    heads = [h for h in soup.find_all(["h2", "h3"]) if h.get("id")]
    if len(heads) < TOC_MIN_HEADINGS or soup.find("nav", class_="reader-toc") is not None:
        return None
    nav = soup.new_tag("nav", attrs={"class": "reader-toc", "aria-label": "Contents"})
    title = soup.new_tag("h2")
    title.string = "Contents"
    items = soup.new_tag("ul")
    for heading in heads:
        item = soup.new_tag("li")
        if heading.name == "h3":
            item["style"] = "margin-left:1.5em"
        link = soup.new_tag("a", href=f"#{heading['id']}")
        link.string = heading_text(heading)
        item.append(link)
        items.append(item)
    nav.append(title)
    nav.append(items)
    return nav
