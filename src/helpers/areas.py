"""Scotland's 32 council areas: standard names, the variants sources use, and matching.

Sources spell areas in many ways ('Perth & Kinross', 'Edinburgh, City of', 'Eilean Siar',
'Western Isles', 'Dundee'). :func:`standard_area` turns any of them into the one standard name
used throughout the project, case-insensitively; an unknown name raises :class:`UnknownAreaError`
with the closest names as suggestions.
"""

from __future__ import annotations

import difflib
import re

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

#: Variants seen in sources, keyed by their normalised form (see :func:`_key`).
_VARIANTS: dict[str, str] = {
    "edinburgh": "City of Edinburgh",
    "edinburgh city": "City of Edinburgh",
    "edinburgh city of": "City of Edinburgh",
    "city of edinburgh council": "City of Edinburgh",
    "eilean siar": "Na h-Eileanan Siar",
    "western isles": "Na h-Eileanan Siar",
    "comhairle nan eilean siar": "Na h-Eileanan Siar",
    "na h eileanan siar": "Na h-Eileanan Siar",
    "na h eileanan an iar": "Na h-Eileanan Siar",  # the Gaelic form, in some 2017 datastore files
    "aberdeen": "Aberdeen City",
    "dundee": "Dundee City",
    "glasgow": "Glasgow City",
    "orkney": "Orkney Islands",
    "shetland": "Shetland Islands",
    "borders": "Scottish Borders",
    "the scottish borders": "Scottish Borders",
    "perth": "Perth and Kinross",
}


def _key(name: str) -> str:
    """Lower case, '&' as 'and', punctuation and repeated spaces folded away."""
    text = str(name).lower().replace("&", " and ")
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return " ".join(text.split())


_LOOKUP: dict[str, str] = {_key(a): a for a in COUNCIL_AREAS}
_LOOKUP.update(_VARIANTS)


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
    return _LOOKUP.get(_key(str(name)))


def suggest_areas(name: object, n: int = 3) -> list[str]:
    """The council areas whose names are closest to ``name``."""
    key = _key(str(name))
    # Areas that contain the typed word first ('lanark' -> North and South Lanarkshire), then
    # those that are spelt alike.
    keys = [k for k in _LOOKUP if key and key in k]
    keys += difflib.get_close_matches(key, list(_LOOKUP), n=n * 2, cutoff=0.5)
    out: list[str] = []
    for k in keys:
        area = _LOOKUP[k]
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
