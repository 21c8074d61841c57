"""The sentence under each of the front page's maps: how many areas it knows, and its range."""

from __future__ import annotations

from helpers.words import pct


def map_sentence(title: str, measure: str, values: dict[str, float | None], lead: str) -> str:
    """How many of the areas in ``values`` have a known share (``lead`` says of what), and the
    lowest and highest share, each with the area that has it (or how many areas share it).

    Examples
    --------
    >>> map_sentence("T", "of things", {"A": 0.0, "B": 0.5, "C": 0.5, "D": None},
    ...              "council areas have things")
    '3 of 4 council areas have things; the share of things runs from 0% in A to 50% in 2 areas; 1 is not known.'
    """  # noqa: E501
    known = {a: v for a, v in values.items() if v is not None}
    total = len(values)
    if not known:
        return f"{title}: no council area has a known value."

    def where(share: float) -> str:
        areas = sorted(a for a, v in known.items() if pct(v) == pct(share))
        return f"in {areas[0]}" if len(areas) == 1 else f"in {len(areas)} areas"

    low, high = min(known.values()), max(known.values())
    missing = total - len(known)
    return (
        f"{len(known)} of {total} {lead}; the share {measure} runs from {pct(low)} {where(low)} "
        f"to {pct(high)} {where(high)}"
        + (f"; {missing} {'is' if missing == 1 else 'are'} not known." if missing else ".")
    )
