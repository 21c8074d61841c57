"""Scotland's 32 council areas: standard names, the variants sources use, and matching.

Sources spell areas in many ways ('Perth & Kinross', 'Edinburgh, City of', 'Eilean Siar',
'Western Isles', 'Dundee'). :func:`standard_area` turns any of them into the one standard name
used throughout the project, case-insensitively; an unknown name raises :class:`UnknownAreaError`
with the closest names as suggestions.
"""

from __future__ import annotations

import csv
import difflib
import functools
import inspect
import re
from collections.abc import Callable
from typing import TypeVar

from helpers import cache, paths

#: The 32 standard names (those of the Scottish Government's council area list), A to Z.
COUNCIL_AREAS: tuple[str, ...] = (
    "Aberdeen City",
    "Aberdeenshire",
    "Angus",
    "Argyll and Bute",
    "City of Edinburgh",
    "Clackmannanshire",
    "Dumfries and Galloway",
    "Dundee City",
    "East Ayrshire",
    "East Dunbartonshire",
    "East Lothian",
    "East Renfrewshire",
    "Falkirk",
    "Fife",
    "Glasgow City",
    "Highland",
    "Inverclyde",
    "Midlothian",
    "Moray",
    "Na h-Eileanan Siar",
    "North Ayrshire",
    "North Lanarkshire",
    "Orkney Islands",
    "Perth and Kinross",
    "Renfrewshire",
    "Scottish Borders",
    "Shetland Islands",
    "South Ayrshire",
    "South Lanarkshire",
    "Stirling",
    "West Dunbartonshire",
    "West Lothian",
)

#: The name of the whole country, beside an area's in a comparison.
SCOTLAND = "Scotland"

#: The datastore's name for services registered in Scotland but based elsewhere.
OUTSIDE_SCOTLAND = "outside Scotland"


def _key(name: str) -> str:
    """Lower case, '&' as 'and', punctuation and repeated spaces folded away."""
    text = str(name).lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


def _lookup() -> dict[str, str]:
    """Normalised name or variant -> standard name.

    The variants are those of ``data/joint-inspections/council_areas.csv``, the one list of
    them (the loader checks it); read again only when the file changes.
    """
    return _read_lookup(str(paths.joint_inspections_dir() / "council_areas.csv"))


@cache.cached_on(lambda file: [file], maxsize=2)
def _read_lookup(file: str) -> dict[str, str]:
    lookup = {_key(a): a for a in COUNCIL_AREAS}
    with open(file, encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            area = row["council_area"].strip()
            for variant in filter(None, row["variants"].split("|")):
                lookup.setdefault(_key(variant), lookup.get(_key(area), area))
    return lookup


class UnknownAreaError(ValueError):
    """A name that is not one of Scotland's 32 council areas (nor a known variant)."""

    def __init__(self, name: object, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f" Did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"Unknown council area {name!r}.{hint}")


def find_area(name: object) -> str | None:
    """The standard name for ``name``, or ``None`` if it is not a council area."""
    if name is None or (isinstance(name, float) and name != name):
        return None
    return _lookup().get(_key(str(name)))


def suggest_areas(name: object, n: int = 3) -> list[str]:
    """The council areas whose names are closest to ``name``."""
    key = _key(str(name))
    # Areas that contain the typed word first ('lanark' -> North and South Lanarkshire), then
    # those that are spelt alike.
    lookup = _lookup()
    keys = [k for k in lookup if key and key in k]
    keys += difflib.get_close_matches(key, list(lookup), n=n * 2, cutoff=0.5)
    out: list[str] = []
    for k in keys:
        area = lookup[k]
        if area not in out:
            out.append(area)
    return out[:n]


def standard_area(name: object) -> str:
    """Return the standard name of a council area, matching case and the usual variants.

    Parameters
    ----------
    name
        Any spelling of a council area: 'Perth & Kinross', 'edinburgh, city of', 'Western Isles'.

    Returns
    -------
    str
        One of :data:`COUNCIL_AREAS`.

    Raises
    ------
    UnknownAreaError
        If the name is not a council area; the message suggests the closest names.

    Examples
    --------
    >>> standard_area("Perth & Kinross")
    'Perth and Kinross'
    >>> standard_area("Edinburgh, City of")
    'City of Edinburgh'
    """
    area = find_area(name)
    if area is None:
        raise UnknownAreaError(name, suggest_areas(name))
    return area


_F = TypeVar("_F", bound=Callable)


def takes_area(func: _F) -> _F:
    """Mark ``func`` as a place where a reader's area name comes in: its ``area`` argument is
    made standard (:func:`standard_area`) before the body runs, so the body and everything it
    calls can trust it, and an unknown name stops with suggestions instead of giving empty
    tables. :data:`SCOTLAND` passes as it is.

    Examples
    --------
    >>> @takes_area
    ... def shout(area):
    ...     return area.upper()
    >>> shout("perth & kinross"), shout("Scotland")
    ('PERTH AND KINROSS', 'SCOTLAND')
    """
    signature = inspect.signature(func)
    if "area" not in signature.parameters:
        raise TypeError(f"{func.__qualname__} has no parameter named 'area'")

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        if bound.arguments["area"] != SCOTLAND:
            bound.arguments["area"] = standard_area(bound.arguments["area"])
        return func(*bound.args, **bound.kwargs)

    return wrapper  # type: ignore[return-value]
