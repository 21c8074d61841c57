"""What a cell's output may hold in a reader's page: an allowlist, applied by ``nh3``.

``nh3`` is the Python binding of the Rust ``ammonia`` crate, which parses HTML as a browser does
(html5ever) and keeps only the elements and attributes listed here: tables, headings, lists,
figures and their embedded PNG images, links, and the inline SVG of the front page's tile maps.
Everything else goes, and the content of ``script``, ``style``, ``noscript``, ``iframe``,
``object``, ``template``, ``math`` and the like goes with it (other unknown elements leave their
text). Addresses are allowed only where they cannot load or run anything by themselves: a link
may go to an http, https or mailto address, a relative page or a ``#fragment`` (and is given
``rel="noopener noreferrer"``); an image only shows an embedded ``data:image/...;base64`` picture,
so nothing in a page calls out when it opens; SVG paint is a colour or a ``url(#id)`` in the page.
No ``style`` element or attribute survives: the reader's styles are added after this, by the
trusted template (:mod:`helpers.build.template`).

Data text is escaped where it becomes HTML (:mod:`helpers.profile`, :mod:`helpers.display`, the
index); this is the second line of defence, over every cell's output. Invisible direction
controls in data text (which can make a service's name read backwards), control characters and
invisible format characters are shown as visible marks by :func:`visible_controls`.
"""

from __future__ import annotations

import functools
import re

#: HTML elements a report's cells use.
HTML_TAGS = frozenset(
    "a abbr b blockquote br caption cite code col colgroup dd del details div dl dt em figcaption "
    "figure h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark nav ol p pre q s section small span "
    "strong sub summary sup table tbody td tfoot th thead time tr u ul".split()
)
#: SVG elements of the front page's tile maps and their legends (:mod:`helpers.build.front`).
SVG_TAGS = frozenset(
    "svg g defs pattern rect line path circle ellipse polyline polygon text tspan title "
    "desc".split()
)
#: Elements dropped with everything inside them (ammonia keeps the text of other unknown ones).
DROP_WITH_CONTENT = frozenset(
    "script style noscript iframe object embed applet template math foreignObject textarea "
    "select xmp noembed noframes plaintext frameset frame".split()
)
_PAINT = ("fill", "stroke")
_SVG_SHAPE = {"fill", "stroke", "stroke-width", "opacity", "fill-opacity", "transform"}
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"class", "id", "role", "title", "lang"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "scope"},
    "th": {"colspan", "rowspan", "scope"},
    "div": {"data-mime-type", "data-caption"},
    "ol": {"start"},
    "time": {"datetime"},
    "svg": {"viewBox", "width", "height", "xmlns", "focusable", "preserveAspectRatio"},
    "g": _SVG_SHAPE,
    "pattern": {"width", "height", "x", "y", "patternUnits", "patternTransform"},
    "rect": {"x", "y", "width", "height", "rx", "ry"} | _SVG_SHAPE,
    "line": {"x1", "y1", "x2", "y2"} | _SVG_SHAPE,
    "path": {"d"} | _SVG_SHAPE,
    "circle": {"cx", "cy", "r"} | _SVG_SHAPE,
    "ellipse": {"cx", "cy", "rx", "ry"} | _SVG_SHAPE,
    "polyline": {"points"} | _SVG_SHAPE,
    "polygon": {"points"} | _SVG_SHAPE,
    "text": {"x", "y", "dx", "dy", "text-anchor", "font-size", "font-weight", "font-family"}
    | _SVG_SHAPE,
    "tspan": {"x", "y", "dx", "dy", "text-anchor", "font-size", "font-weight"} | _SVG_SHAPE,
}
#: A picture embedded in the page: the only image source allowed (nothing to fetch).
_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$")
#: A link: an http(s) or mailto address, a fragment, or a relative address (no scheme at all).
_LINK = re.compile(r"^(https?://|mailto:|#|[^:/?#]*([/?#]|$))", re.IGNORECASE)
#: SVG paint: a colour, or a pattern in the page (never another document's).
_PAINT_VALUE = re.compile(r"^(none|#[0-9a-fA-F]{3,8}|[a-zA-Z]+|url\(#[\w.-]+\))$")
#: What a browser ignores in a URL (it would read 'java&#9;script:' as 'javascript:').
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")


def _attribute(tag: str, name: str, value: str) -> str | None:
    """Keep an allowed attribute's value, or drop it (None) if it could load or run anything."""
    if name == "src":
        return value if tag == "img" and _IMAGE.match(value) else None
    if name == "href":
        bare = _IGNORED_IN_URL.sub("", value)
        return value if bare and _LINK.match(bare) else None
    if name in _PAINT:
        return value if _PAINT_VALUE.match(value.strip()) else None
    return value


@functools.cache
def _cleaner():
    import nh3

    return nh3.Cleaner(
        tags=set(HTML_TAGS | SVG_TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        attribute_filter=_attribute,
        generic_attribute_prefixes={"aria-"},
        url_schemes={"http", "https", "mailto", "data"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


#: An ``<img>`` as ammonia writes it (every value double-quoted, quotes escaped in values).
_IMG = re.compile(r'<img((?:\s[^\s="]+="[^"]*")*)\s*/?>')


def sanitize(fragment: str) -> str:
    """``fragment`` with only what :data:`HTML_TAGS`, :data:`SVG_TAGS` and :data:`ATTRIBUTES`
    allow, every address checked, and images without an embedded picture removed."""
    clean = _cleaner().clean(fragment)
    return _IMG.sub(lambda m: m[0] if ' src="' in m[1] else "", clean)


#: Invisible characters shown as a mark naming them (:func:`visible_controls`): those that
#: change the direction text is shown in (embeddings and overrides U+202A-202E, isolates
#: U+2066-2069, the marks U+200E, U+200F, U+061C); control characters (C0 but tab, line feed
#: and carriage return, which are white space in HTML; DEL; C1), which a page hides and a PDF
#: may not; and the invisible format characters (zero-width space, non-joiner and joiner,
#: U+200B-200D; word joiner U+2060; U+FEFF) and the line and paragraph separators (U+2028,
#: U+2029).
INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069"
    "\u2028\u2029\ufeff]"
)


def visible_controls(text: str) -> str:
    r"""``text`` with each invisible control or format character shown as a mark naming it
    (:data:`INVISIBLE`).

    The care-services tables hold the publisher's text as published, so a control character in
    a service's name reaches a page: shown, it cannot hide text or differ between HTML and PDF.

    Examples
    --------
    >>> visible_controls("Tots \u202eR suT")
    'Tots [U+202E]R suT'
    >>> visible_controls("A\x00B\x1b[31mC\x7f\x85 D\u200bE\ufeff\u2028\tF\n")
    'A[U+0000]B[U+001B][31mC[U+007F][U+0085] D[U+200B]E[U+FEFF][U+2028]\tF\n'
    """
    return INVISIBLE.sub(lambda m: f"[U+{ord(m[0]):04X}]", text)
