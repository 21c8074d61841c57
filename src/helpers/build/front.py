"""The front page's picture of Scotland: two tile maps of the 32 council areas, as inline SVG.

Each council area is one square tile at its place on the grid of ``data/maps/scotland-tiles.csv``
(column west to east, row north to south), labelled with a short name and its value, and linked
to the area's profile. What the maps show (their values, titles and the sentences under them)
is :mod:`helpers.front_page`; this module only draws them, in the house colours
(:data:`helpers.charts.style.SHARE_BLUES`, and an unknown grey and hatched as in every chart).
An area whose value is not known is labelled 'not known', never drawn as zero. No scripts: the
maps work offline and in print.

On a phone each map also lists its values area by area (:func:`value_list`), where its tiles'
labels would be too small to read. Every data text is escaped.
"""

from __future__ import annotations

import csv
import functools
import html
import math
from pathlib import Path

from helpers import paths
from helpers.charts.style import SHARE_BLUES, text_colour
from helpers.front_page import PROGRAMME, MapValues, map_values, summary  # noqa: F401 - drawn here
from helpers.grades import UNKNOWN_COLOUR
from helpers.words import pct

TILE = 62  # px, one tile
GAP = 4
#: An unknown tile: the charts' unknown grey, hatched with white lines as their bars are.
UNKNOWN_FILL = UNKNOWN_COLOUR
UNKNOWN_LINE = "#ffffff"
NOT_KNOWN = "not known"

#: Names short enough for a tile (the full name is in each tile's title and label).
SHORT_NAMES = {
    "Aberdeen City": "Aberdeen",
    "Aberdeenshire": "Aberdeensh.",
    "Argyll and Bute": "Argyll",
    "City of Edinburgh": "Edinburgh",
    "Clackmannanshire": "Clackmann.",
    "Dumfries and Galloway": "Dumfries",
    "Dundee City": "Dundee",
    "East Ayrshire": "E Ayrshire",
    "East Dunbartonshire": "E Dunbart.",
    "East Lothian": "E Lothian",
    "East Renfrewshire": "E Renfrew.",
    "Glasgow City": "Glasgow",
    "Na h-Eileanan Siar": "Eilean Siar",
    "North Ayrshire": "N Ayrshire",
    "North Lanarkshire": "N Lanark.",
    "Orkney Islands": "Orkney",
    "Perth and Kinross": "Perth & K.",
    "Renfrewshire": "Renfrew.",
    "Scottish Borders": "Borders",
    "Shetland Islands": "Shetland",
    "South Ayrshire": "S Ayrshire",
    "South Lanarkshire": "S Lanark.",
    "West Dunbartonshire": "W Dunbart.",
    "West Lothian": "W Lothian",
}


def short_name(area: str) -> str:
    """A council area's name as it fits on a tile."""
    return SHORT_NAMES.get(area, area)


def tiles(data: Path | None = None) -> dict[str, tuple[int, int]]:
    """Council area -> (column, row) on the tile grid."""
    file = paths.map_tiles_file(data)
    with open(file, encoding="utf-8", newline="") as fh:
        return {r["council_area"]: (int(r["column"]), int(r["row"])) for r in csv.DictReader(fh)}


def as_shown(value: float) -> float:
    """A share as its tile prints it (:func:`helpers.words.pct`: 89.7% is '90%'), so that
    a tile's colour always agrees with its number."""
    return float(pct(value).rstrip("%")) / 100


def bins(values) -> list[float]:
    """Class edges for shares: whole multiples of 5%, at most five classes, covering the data."""
    known = [as_shown(v) for v in values if v is not None]
    if not known:
        return [0.0, 1.0]
    low = math.floor(min(known) * 20 + 1e-9) / 20
    high = math.ceil(max(known) * 20 - 1e-9) / 20
    high = max(high, low + 0.05)
    step = math.ceil(round((high - low) / len(SHARE_BLUES) * 20, 9)) / 20
    count = max(1, math.ceil(round((high - low) / step, 9)))
    return [round(low + k * step, 4) for k in range(count + 1)]


def palette(n: int) -> list[str]:
    """``n`` colours from :data:`~helpers.charts.style.SHARE_BLUES`, spread from light to dark."""
    if n == 1:
        return [SHARE_BLUES[2]]
    return [SHARE_BLUES[round(i * (len(SHARE_BLUES) - 1) / (n - 1))] for i in range(n)]


def colour_of(value: float | None, edges: list[float]) -> str | None:
    """The fill of a share (``None`` for not known)."""
    if value is None:
        return None
    colours = palette(len(edges) - 1)
    k = int((as_shown(value) - edges[0]) / (edges[1] - edges[0]) + 1e-9)
    return colours[min(max(k, 0), len(colours) - 1)]


def _value_text(value: float | None) -> str:
    return NOT_KNOWN if value is None else pct(value)


def tile_map(values: MapValues, links: dict[str, str], data: Path | None = None) -> str:
    """One map as a ``<figure>`` of inline SVG with its legend; ``links``: area -> profile."""
    grid = tiles(data)
    edges = bins(values.values.values())
    columns = max(c for c, _ in grid.values()) + 1
    rows = max(r for _, r in grid.values()) + 1
    width, height = columns * (TILE + GAP), rows * (TILE + GAP)
    hatch = f"hatch-{values.key}"
    esc = functools.partial(html.escape, quote=True)
    parts = [
        f'<svg class="tile-map" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="group" aria-label="{esc(values.title)}: tile map of the 32 council areas">',
        f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{UNKNOWN_FILL}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{UNKNOWN_LINE}" stroke-width="1"/>'
        "</pattern></defs>",
    ]
    for area, (col, row) in sorted(grid.items(), key=lambda x: (x[1][1], x[1][0])):
        value = values.values.get(area)
        fill = colour_of(value, edges)
        detail = values.details.get(area)
        said = (
            f"{area}: {pct(value)} {values.measure} ({detail})"
            if value is not None
            else f"{area}: {NOT_KNOWN}"
        )
        x, y = col * (TILE + GAP), row * (TILE + GAP)
        text = text_colour(fill or UNKNOWN_FILL)
        rect = (
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="3" '
            f'fill="{fill or f"url(#{hatch})"}" stroke="#9e9e9e"/>'
        )
        label = (
            f'<text x="{x + TILE / 2}" y="{y + 26}" text-anchor="middle" font-size="10" '
            f'fill="{text}">{esc(short_name(area))}</text>'
            f'<text x="{x + TILE / 2}" y="{y + 44}" text-anchor="middle" font-size="'
            f'{12 if value is not None else 10}" font-weight="bold" fill="{text}">'
            f"{esc(_value_text(value))}</text>"
        )
        inner = f"<title>{esc(said)}</title>{rect}{label}"
        if area in links:
            parts.append(f'<a href="{esc(links[area])}" aria-label="{esc(said)}">{inner}</a>')
        else:
            parts.append(f'<g role="img" aria-label="{esc(said)}">{inner}</g>')
    parts.append("</svg>")
    return (
        f'<figure class="map" id="map-{values.key}"><figcaption><strong>{esc(values.title)}'
        f"</strong><br/><span>{esc(values.note)}</span></figcaption>"
        + "".join(parts)
        + legend(edges, values.key)
        + value_list(values, links)
        + "</figure>"
    )


def value_list(values: MapValues, links: dict[str, str], data: Path | None = None) -> str:
    """The map's values as a list, area by area: the index shows it on a phone, where the
    tiles' labels would be too small to read (``map-list``; hidden on a wider screen)."""
    esc = functools.partial(html.escape, quote=True)
    items = []
    for area in sorted(tiles(data)):
        name = f'<a href="{esc(links[area])}">{esc(area)}</a>' if area in links else esc(area)
        items.append(f"<li>{name}: {esc(_value_text(values.values.get(area)))}</li>")
    label = f"{values.title}, area by area"
    return f'<ul class="map-list" aria-label="{esc(label)}">{"".join(items)}</ul>'


def legend(edges: list[float], key: str) -> str:
    """The classes of a map, and 'not known', as swatches with their words."""
    colours = palette(len(edges) - 1)
    items = []
    for i, colour in enumerate(colours):
        upper = "to" if i == len(colours) - 1 else "to under"
        words = f"{pct(edges[i])} {upper} {pct(min(edges[i + 1], 1.0))}"
        items.append((f'fill="{colour}"', words))
    items.append((f'fill="url(#legend-hatch-{key})"', NOT_KNOWN))
    defs = (
        f'<defs><pattern id="legend-hatch-{key}" width="6" height="6" '
        'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="{UNKNOWN_FILL}"/><line x1="0" y1="0" x2="0" y2="6" '
        f'stroke="{UNKNOWN_LINE}"/></pattern></defs>'
    )
    swatches = "".join(
        f'<li><svg width="16" height="16" aria-hidden="true">{defs if "hatch" in fill else ""}'
        f'<rect width="16" height="16" {fill} stroke="#757575"/></svg> {html.escape(words)}</li>'
        for fill, words in items
    )
    return f'<ul class="legend" aria-label="Legend">{swatches}</ul>'
