"""The tile map's positions: every council area once, no two on one tile, neighbours near."""

from __future__ import annotations

import csv

from helpers import paths
from helpers.areas import COUNCIL_AREAS

TILES = paths.data_dir() / "maps" / "scotland-tiles.csv"


def _tiles() -> dict[str, tuple[int, int]]:
    with open(TILES, encoding="utf-8", newline="") as fh:
        return {r["council_area"]: (int(r["column"]), int(r["row"])) for r in csv.DictReader(fh)}


def test_every_council_area_has_exactly_one_tile():
    tiles = _tiles()
    assert sorted(tiles) == sorted(COUNCIL_AREAS)
    assert len(set(tiles.values())) == len(tiles)


def test_tiles_lie_roughly_as_scotland_does():
    tiles = _tiles()
    col, row = (lambda a: tiles[a][0]), (lambda a: tiles[a][1])
    assert row("Shetland Islands") < row("Orkney Islands") < row("Highland")
    assert col("Na h-Eileanan Siar") < col("Highland") < col("Aberdeenshire")
    assert row("Perth and Kinross") < row("Glasgow City") < row("Dumfries and Galloway")
    assert col("Glasgow City") < col("City of Edinburgh") < col("East Lothian")
    assert row("Fife") < row("City of Edinburgh") < row("Scottish Borders")
