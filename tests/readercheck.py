"""A reader's check of built reports: what a council analyst would mark on a printed page.

Four defect classes, each found from the PDF's own word positions (pdfium, through pypdfium2)
set against the report's HTML, which holds the same text unbroken:

- a word cut across two lines ("Improvemen / ts", "2016- / 03-31", a web address cut mid-name);
  a line break after a hyphen between two words ("well- / being") is ordinary typesetting;
- a heading or caption that is the last thing on its page, its content on the next (a
  figure's caption, ``.figure-caption``, is not counted: it belongs to the figure above it,
  which the export keeps on the same page, so a page may end with it);
- words about how the report was made ("notebook", "cell", "committed", "by default", ...)
  outside the colophon and the methods section;
- a first page without the key points.

Run it on a folder of built reports: ``python tests/readercheck.py build/reports``.
"""

from __future__ import annotations

import ctypes
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

#: Words about the machinery of a report, which a reader's text should not hold.
MACHINERY = re.compile(
    # 'committed' as in 'the committed table', not 'committed staff' or 'committed to' (English)
    r"\b(notebooks?|cells?|committed (?:tables?|data|outputs?|files?|notebooks?)"
    r"|the committed\b|project's tables?|by default|dataframes?|kernels?|nbval"
    r"|helpers\.\w+|papermill|jupyter)\b",
    re.IGNORECASE,
)
#: Sections where the making of the report is the subject: their heading starts with one of these.
METHODS_HEADINGS = ("method", "how this report", "about this report", "about the data")
KEY_POINTS = "key points"
#: Punctuation a word may carry without being another word.
_EDGES = "()[]{},.;:!?\"'\u2018\u2019\u201c\u201d*|"
#: Running titles and page numbers sit in the page's top and bottom bands (points).
_BAND = 40


@dataclass(frozen=True)
class Defect:
    report: str
    page: int  # 1-based; 0 where the defect is in the HTML as a whole
    kind: str
    text: str

    def __str__(self) -> str:
        where = f"page {self.page}" if self.page else "HTML"
        return f"{self.report}, {where}: {self.kind}: {self.text}"


def _norm(token: str) -> str:
    return token.strip(_EDGES).casefold()


def _soup(html: Path) -> BeautifulSoup:
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["style", "script", "head"]):
        tag.decompose()
    return soup


def _html_text(soup: BeautifulSoup) -> str:
    return " ".join(soup.get_text(" ").split())


def _vocabulary(text: str) -> set[str]:
    return {_norm(t) for t in text.split()} - {""}


def _words(page) -> list[dict]:
    """The page's words, each with its box (top down, in points), font size and weight."""
    import pypdfium2.raw as raw

    text = page.get_textpage()
    height = page.get_height()
    chars = text.get_text_range()
    words: list[dict] = []
    current: dict | None = None
    x, y = ctypes.c_double(), ctypes.c_double()
    for k, char in enumerate(chars):
        if char.isspace() or char == "\ufffe":
            current = None
            continue
        left, _, right, _ = text.get_charbox(k)
        raw.FPDFText_GetCharOrigin(text.raw, k, x, y)
        size = raw.FPDFText_GetFontSize(text.raw, k)
        baseline = height - y.value
        if current is None or abs(current["baseline"] - baseline) > 1 or left < current["x0"]:
            current = {
                "text": "",
                "x0": left,
                "x1": right,
                "baseline": baseline,
                "top": baseline - size * 0.75,
                "bottom": baseline,
                "size": size,
                "weight": raw.FPDFText_GetFontWeight(text.raw, k),
            }
            words.append(current)
        current["text"] += char
        current["x1"] = max(current["x1"], right)
    return words


def _lines(page) -> list[list[dict]]:
    """The page's words grouped into visual lines (same baseline), each sorted left to right."""
    words = sorted(_words(page), key=lambda w: (w["top"], w["x0"]))
    lines: list[list[dict]] = []
    for word in words:
        if lines and abs(lines[-1][0]["top"] - word["top"]) < 2:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _runs(line: list[dict]) -> list[list[dict]]:
    """A line cut where the gap between words is wider than a space: one run per table cell."""
    runs: list[list[dict]] = [[line[0]]]
    for word in line[1:]:
        gap = word["x0"] - runs[-1][-1]["x1"]
        height = word["bottom"] - word["top"]
        if gap > 0.7 * height:  # a space, with the letters' side bearings, is narrower
            runs.append([word])
        else:
            runs[-1].append(word)
    return runs


def _body(page) -> list[list[dict]]:
    top, bottom = _BAND, page.get_height() - _BAND
    return [line for line in _lines(page) if top < line[0]["top"] < bottom]


def split_words(pdf, vocabulary: set[str], text: str) -> list[tuple[int, str]]:
    """Words cut across lines: a run's last word and the next line's first word below it that
    join into a word of the report, where the two never stand apart in its text."""
    folded = " ".join(_norm(t) for t in text.split())
    found = []
    for number, page in enumerate(pdf, 1):
        runs = [run for line in _body(page) for run in _runs(line)]
        for run in runs:
            last = run[-1]
            height = last["bottom"] - last["top"]
            below = [
                r
                for r in runs
                if 0.6 * height < r[0]["top"] - last["top"] < 2.2 * height
                and r[0]["x0"] < run[-1]["x1"] + 1
                and r[-1]["x1"] > run[0]["x0"] - 1
            ]
            if not below:
                continue
            first = min(below, key=lambda r: (r[0]["top"], r[0]["x0"]))
            left, right = _norm(last["text"]), _norm(first[0]["text"])
            if not left or not right:
                continue
            if left.endswith("-") and _breakable(left[:-1]) and _breakable(right):
                continue  # a break after a hyphen between words, or between years
            if "/" in left and left.endswith(("/", "-", "_")):
                continue  # a web address broken after a slash, a hyphen or an underscore
            if _number(left) and _number(right):
                continue  # two numbers in a column, one above the other
            pieces = _pieces(last, first, runs)
            for k in range(2, len(pieces) + 1):
                joined = "".join(_norm(p["text"]) for p in pieces[:k])
                spaced = " ".join(_norm(p["text"]) for p in pieces[:k])
                if joined in vocabulary and spaced not in folded:
                    found.append((number, " / ".join(p["text"] for p in pieces[:k])))
                    break
    return found


def _pieces(last: dict, first: list[dict], runs: list[list[dict]]) -> list[dict]:
    """A run's last word and up to three lone words stacked under it, as a narrow table header
    cut a long word ('Impr / ove / ment / s')."""
    pieces = [last, first[0]]
    below = first
    while len(pieces) < 4 and len(below) == 1:
        height = below[0]["bottom"] - below[0]["top"]
        nxt = [
            r
            for r in runs
            if 0.6 * height < r[0]["top"] - below[0]["top"] < 2.2 * height
            and abs(r[0]["x0"] - below[0]["x0"]) < 2 * height
        ]
        if not nxt:
            break
        below = min(nxt, key=lambda r: r[0]["top"])
        pieces.append(below[0])
    return pieces


def _breakable(part: str) -> bool:
    """A side of a hyphen where a line may break: a word, or a year ('2012-2017')."""
    return part.isalpha() or re.fullmatch(r"(19|20)\d\d", part) is not None


def _number(token: str) -> bool:
    return re.fullmatch(r"[\d.,%]+", token) is not None


def _texts(tags) -> dict[str, str]:
    texts = (" ".join(t.get_text(" ").replace("¶", " ").split()) for t in tags)
    return {_squash(text): text for text in texts if text}


def stranded_headings(pdf, soup: BeautifulSoup) -> list[tuple[int, str]]:
    """Headings or captions that end a page while the report goes on over the page.

    A heading is known by its words in the HTML and by its type in the PDF (bold or larger than
    the page's body text), so that the same words in the contents list do not count; a caption
    by its words alone.
    """
    headings = _texts(soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6"]))
    labels = [
        p for p in soup.find_all("p")
        if p.em is not None and p.get_text(" ").strip() == p.em.get_text(" ").strip()
    ]  # fmt: skip
    captions = _texts(
        labels
        + soup.find_all(["caption", "figcaption"])
        + soup.select(".table-caption, .reader-caption")
    )
    found = []
    for number, page in enumerate(list(pdf)[:-1], 1):
        lines = _body(page)
        if not lines:
            continue
        words = [w for line in lines for w in line]
        size = sorted(w["size"] for w in words)[len(words) // 2]
        weight = sorted(w["weight"] for w in words)[len(words) // 2]
        for k in (1, 2, 3):
            tail = [w for line in lines[-k:] for w in line]
            key = _squash(" ".join(w["text"] for w in tail))
            emphatic = all(w["size"] > 1.1 * size or w["weight"] > weight + 100 for w in tail)
            if (key in headings and emphatic) or key in captions:
                found.append((number, headings.get(key) or captions[key]))
                break
    return found


def _squash(text: str) -> str:
    return re.sub(r"[\s¶]+", "", text).casefold()


def machinery(soup: BeautifulSoup) -> list[str]:
    """Sentences about how the report was made, outside its colophon and methods section."""
    for tag in soup.select(".reader-colophon, .reader-figure-files, nav, .reader-toc"):
        tag.decompose()
    skipping = False
    found = []
    for tag in soup.find_all(["h1", "h2", "h3", "p", "li", "td", "th", "figcaption"]):
        if tag.name in ("h1", "h2"):
            skipping = tag.get_text(" ").strip().casefold().startswith(METHODS_HEADINGS)
        if skipping or tag.find(["p", "li", "table"]):
            continue
        text = " ".join(tag.get_text(" ").split())
        for match in MACHINERY.finditer(text):
            start = max(0, match.start() - 50)
            found.append(text[start : match.end() + 50])
    return found


def key_points(pdf) -> bool:
    """The first page has a 'Key points' heading with at least three sentences after it."""
    text = pdf[0].get_textpage().get_text_range()
    at = text.casefold().find(KEY_POINTS)
    if at < 0:
        return False
    return len(re.findall(r"[.!?](\s|$)", text[at:])) >= 3


def check(html: Path) -> list[Defect]:
    """Every defect of one report (its HTML and the PDF beside it)."""
    import pypdfium2

    name = html.stem
    soup = _soup(html)
    text = _html_text(soup)
    defects: list[Defect] = []
    pdf = pypdfium2.PdfDocument(html.with_suffix(".pdf"))
    try:
        for page, words in split_words(pdf, _vocabulary(text), text):
            defects.append(Defect(name, page, "word cut across lines", words))
        for page, heading in stranded_headings(pdf, soup):
            defects.append(Defect(name, page, "heading alone at the foot of the page", heading))
        if not key_points(pdf):
            defects.append(Defect(name, 1, "no key points on the first page", ""))
    finally:
        pdf.close()
    for sentence in machinery(soup):
        defects.append(Defect(name, 0, "words about how the report was made", sentence))
    return defects


def check_folder(folder: Path) -> list[Defect]:
    reports = sorted(p for p in folder.glob("*.html") if p.name != "index.html")
    return [d for html in reports if html.with_suffix(".pdf").exists() for d in check(html)]


if __name__ == "__main__":
    defects = check_folder(Path(sys.argv[1]))
    for defect in defects:
        print(defect)
    print(f"{len(defects)} defects")
    sys.exit(1 if defects else 0)
