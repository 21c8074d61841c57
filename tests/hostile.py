"""Data text that would run in a reader's browser if it were not escaped, and a finder of
anything in a page that could run: shared by the export's unit tests and the real builds'."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

#: Data text that would run in a reader's browser if it were not escaped.
HOSTILE = (
    "<img src=x onerror=alert(2)> <script>alert(1)</script> "
    '<a href="javascript:alert(3)">x</a> [click](javascript:alert(4)) <svg onload=alert(5)>'
)


def executable(soup: BeautifulSoup) -> list[str]:
    """Every script, event handler and ``javascript:`` address in ``soup``."""
    found = [f"<script> {s.get_text()[:60]!r}" for s in soup.find_all("script")]
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"<{tag.name} {name}>")
            elif isinstance(value, str) and re.match(r"\s*javascript:", value, re.I):
                found.append(f"<{tag.name} {name}={value!r}>")
    return found
