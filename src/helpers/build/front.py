"""The front page's picture of Scotland: two tile maps of the 32 council areas, as inline SVG.

Each council area is one square tile at its place on the grid of ``data/maps/scotland-tiles.csv``
(column west to east, row north to south), labelled with a short name and its value, and linked
to the area's profile. One map colours the tiles by the share of the area's joint-inspection
quality indicators graded very good or better (programme :data:`PROGRAMME`, the one with most
areas); the other by the share of its registered children's services whose lowest grade is good
or better at the latest snapshot. An area whose value is not known is drawn grey and hatched and
labelled 'not known', never as zero. No scripts: the maps work offline and in print.

On a phone each map also lists its values area by area (:func:`value_list`), where its tiles'
labels would be too small to read. Every data text is escaped. The values are computed once per
process and data folder (:func:`map_values`): the index is rewritten after every report of a build.
"""

from __future__ import annotations

import csv
import functools
import html
import math
from dataclasses import dataclass, field
from pathlib import Path

from helpers import cache, paths
from helpers.words import pct

#: The joint-inspection programme the first map shows: the one with most areas graded.
PROGRAMME = "cyp-2012"
TILE = 62  # px, one tile
GAP = 4
#: Light to dark blues (ColorBrewer Blues): ordered, colour-blind safe.
BLUES = ("#eff3ff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
UNKNOWN_FILL = "#f2f2f2"
UNKNOWN_LINE = "#9e9e9e"
DARK_TEXT = "#1a1a1a"
LIGHT_TEXT = "#ffffff"
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
    file = (data or paths.data_dir()) / "maps" / "scotland-tiles.csv"
    with open(file, encoding="utf-8", newline="") as fh:
        return {r["council_area"]: (int(r["column"]), int(r["row"])) for r in csv.DictReader(fh)}


@dataclass
class MapValues:
    """One map: its title, what its values are, area -> share (``None``: not known), and the
    words behind each share ('12 of 18 indicators')."""

    key: str
    title: str
    measure: str
    values: dict[str, float | None]
    details: dict[str, str] = field(default_factory=dict)
    note: str = ""


def _luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    """The WCAG contrast ratio of two ``#rrggbb`` colours."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(fill: str) -> str:
    """The label colour with the higher contrast on ``fill``."""
    return max((DARK_TEXT, LIGHT_TEXT), key=lambda text: contrast(text, fill))


def as_shown(value: float) -> float:
    """A share as its tile prints it (:func:`helpers.narrative.pct`: 89.7% is '90%'), so that
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
    step = math.ceil(round((high - low) / len(BLUES) * 20, 9)) / 20
    count = max(1, math.ceil(round((high - low) / step, 9)))
    return [round(low + k * step, 4) for k in range(count + 1)]


def palette(n: int) -> list[str]:
    """``n`` colours from :data:`BLUES`, spread from light to dark."""
    if n == 1:
        return [BLUES[2]]
    return [BLUES[round(i * (len(BLUES) - 1) / (n - 1))] for i in range(n)]


def colour_of(value: float | None, edges: list[float]) -> str | None:
    """The fill of a share (``None`` for not known)."""
    if value is None:
        return None
    colours = palette(len(edges) - 1)
    k = int((as_shown(value) - edges[0]) / (edges[1] - edges[0]) + 1e-9)
    return colours[min(max(k, 0), len(colours) - 1)]


def _joint(data: Path) -> MapValues:
    from helpers import inspections
    from helpers.areas import COUNCIL_AREAS

    folder = data / "joint-inspections"
    counts = inspections.scotland_counts(PROGRAMME, path=folder)
    label = inspections.programme_labels([PROGRAMME], path=folder)[PROGRAMME]
    values: dict[str, float | None] = dict.fromkeys(COUNCIL_AREAS)
    details = {}
    for area, row in counts.iterrows():
        values[area] = float(row["share_very_good_or_better"])
        good = int(round(row["share_very_good_or_better"] * row["total"]))
        details[area] = f"{good} of {int(row['total'])} quality indicators"
    return MapValues(
        "joint",
        "Joint inspections: quality indicators graded very good or better",
        "of quality indicators graded very good or better",
        values,
        details,
        note=label,
    )


def _care(data: Path) -> MapValues:
    from helpers.areas import COUNCIL_AREAS
    from helpers.care import questions, tables
    from helpers.grades import GOOD_OR_BETTER
    from helpers.words import day

    services = tables.load(data / "care-services")
    lowest = questions.lowest_grades(services.services, services.grades)
    latest = questions.latest_date(services.services)
    now = lowest[lowest["snapshot_date"] == latest]
    values: dict[str, float | None] = dict.fromkeys(COUNCIL_AREAS)
    details = {}
    for area, frame in now.groupby("council_area", observed=True):
        if area in values and len(frame):
            good = int(frame["lowest"].isin(GOOD_OR_BETTER).sum())
            values[area] = good / len(frame)
            details[area] = f"{good} of {len(frame)} graded services"
    return MapValues(
        "care",
        "Registered children's services: lowest grade good or better",
        "of graded children's services whose lowest grade is good or better",
        values,
        details,
        note=f"Care Inspectorate datastore, snapshot of {day(latest)}",
    )


def _map_files(data: str) -> list[Path]:
    """What the two maps are computed from: the joint tables, their package, the care tables."""
    folder = Path(data)
    return [
        *cache.folder_files(folder / "joint-inspections", "*.csv"),
        folder / "datapackage.json",
        *cache.folder_files(folder / "care-services"),
    ]


@cache.cached_on(_map_files, maxsize=2)
def _map_values(data: str) -> tuple[MapValues, ...]:
    return (_joint(Path(data)), _care(Path(data)))


def map_values(data: Path | None = None) -> tuple[MapValues, ...]:
    """The two maps' values, computed once per process and data folder (again when a file
    they come from changes)."""
    return _map_values(str(data or paths.data_dir()))


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
        text = text_on(fill or UNKNOWN_FILL)
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


def summary(maps: tuple[MapValues, ...]) -> list[str]:
    """Sentences about the maps, computed from their values."""
    sentences = []
    for values in maps:
        known = {a: v for a, v in values.values.items() if v is not None}
        total = len(values.values)
        if not known:
            sentences.append(f"{values.title}: no council area has a known value.")
            continue

        def where(share: float, known: dict = known) -> str:
            areas = sorted(a for a, v in known.items() if pct(v) == pct(share))
            return f"in {areas[0]}" if len(areas) == 1 else f"in {len(areas)} areas"

        low, high = min(known.values()), max(known.values())
        if values.key == "joint":
            lead = (
                f"{len(known)} of {total} council areas have a known split of grades from the "
                f"{values.note[:1].lower()}{values.note[1:]}"
            )
        else:
            lead = f"{len(known)} of {total} council areas have graded children's services"
        sentences.append(
            f"{lead}; the share {values.measure} runs from {pct(low)} {where(low)} to "
            f"{pct(high)} {where(high)}"
            + (
                f"; {total - len(known)} {'is' if total - len(known) == 1 else 'are'} not known."
                if len(known) < total
                else "."
            )
        )
    return sentences
