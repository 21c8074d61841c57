"""Rank and company: where an area stands among the others, and with whom it is tied."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from helpers.grades import VERY_GOOD_OR_BETTER_NAME, Standing
from helpers.labels import programme_name
from helpers.narrative.grades import share_clause, split_known_clause
from helpers.words import capitalise, join_words, number_word, ordinal, pct, plural


def rank_sentence(
    s: Standing,
    tied: Sequence[str] | None = None,
    group: str = VERY_GOOD_OR_BETTER_NAME,
    *,
    first: bool = True,
) -> str:
    """An area's share of its indicators in a group of grades, with its rank and company
    (:func:`place_phrase`; ``tied`` names the areas tied with it, else they are counted).

    ``first=False`` is the form that follows another group's sentence of the same area: the
    area is not named again, nor the areas compared.

    Examples
    --------
    >>> rank_sentence(Standing("Perth and Kinross", 8, 9, 0, 0, 19), [])
    'Perth and Kinross had eight of nine indicators very good or better: the highest share of the 20 areas whose split is known, tied with none.'
    >>> rank_sentence(Standing("Fife", 3, 9, 6, 2, 11), ["Moray", "Angus"])
    'Fife had three of nine indicators very good or better: the seventh-highest share of the 20 areas whose split is known, tied with Moray and Angus.'
    >>> rank_sentence(Standing("Fife", 1, 9, 12, 0, 7), group="good or better", first=False)
    'One of nine was good or better: the 13th-highest share, tied with none.'
    """  # noqa: E501
    own = share_clause(s, group, first=first)
    if s.areas <= 1:
        return f"{own}; no other area's split of grades is known."
    return f"{own}: {place_phrase(s, among=first, tied=tied)}."


def share_range_sentence(
    shares: Mapping[str, object], group: str = VERY_GOOD_OR_BETTER_NAME
) -> str:
    """The spread of a share across the areas whose split is known, lowest and highest with
    the areas at each (named up to two, else counted).

    ``shares`` maps area -> share (a fraction; :func:`helpers.grades.group_shares`).

    Examples
    --------
    >>> from fractions import Fraction as F
    >>> share_range_sentence({"A": F(8, 9), "B": F(0), "C": F(0), "D": F(0), "E": F(1, 3)})
    'Across the five areas whose split is known, the share of indicators very good or better runs from 0% in three areas to 89% in A.'
    """  # noqa: E501
    if not shares:
        return "No area's split of grades is known."
    values = {a: float(v) for a, v in shares.items()}
    low, high = min(values.values()), max(values.values())

    def where(share: float) -> str:
        areas = sorted(a for a, v in values.items() if pct(v) == pct(share))
        return (
            f"in {join_words(areas)}" if len(areas) <= 2 else f"in {number_word(len(areas))} areas"
        )

    head = f"Across the {number_word(len(values))} areas whose split is known"
    if low == high:
        return f"{head}, the share of indicators {group} is {pct(low)} in every one."
    return (
        f"{head}, the share of indicators {group} runs from {pct(low)} {where(low)} to "
        f"{pct(high)} {where(high)}."
    )


def split_known_sentence(known: int, areas: int, programme: str | None = None) -> str:
    """How many council areas (in ``programme``, if given) can be compared, and that the rest
    are not.

    Examples
    --------
    >>> split_known_sentence(20, 32)
    'The split of grades is known for 20 of 32 council areas; the other 12 are left out of the comparison, not counted as zero.'
    >>> split_known_sentence(20, 32, "cyp-2012")
    'The split of grades is known for 20 of 32 council areas in children and young people, 2012-2017; the other 12 are left out of the comparison, not counted as zero.'
    """  # noqa: E501
    text = capitalise(split_known_clause(known, areas))
    if programme is not None:
        text += f" in {programme_name(programme)}"
    if known == areas:
        return f"{text}."
    return (
        f"{text}; the other {number_word(areas - known)} are left out of the comparison, not "
        "counted as zero."
    )


def known_grades_phrase(bases: pd.Series, total: int, where: str = "", judged: bool = True) -> str:
    """How many of ``total`` indicator grades are known, and how: named by a source, or
    derived by elimination from the counts (``basis`` 'derived'). A wording matched to an
    indicator only by judgement (``ambiguous``) is never counted as a grade; ``judged`` says
    how many there are beside the count (leave it out where marks say so). ``where`` follows
    'indicator grades'.

    Examples
    --------
    >>> known_grades_phrase(pd.Series(["stated"] * 21 + ["ambiguous"] * 3 + ["derived"] * 4), 117)
    'sources name 21 of 117 indicator grades and four more follow from the counts by elimination (three more wordings fit a grade only by judgement and are not counted); the other 92 are unknown'
    """  # noqa: E501
    bases = pd.Series(bases, dtype=object)
    derived = int((bases == "derived").sum())
    n_judged = int((bases == "ambiguous").sum())
    named = len(bases) - derived - n_judged
    text = f"sources name {number_word(named)} of {number_word(total)} indicator grades{where}"
    if derived:
        follow = "follows" if derived == 1 else "follow"
        text += f" and {number_word(derived)} more {follow} from the counts by elimination"
    if judged and n_judged:
        fit = "wording fits" if n_judged == 1 else "wordings fit"
        text += (
            f" ({number_word(n_judged)} more {fit} a grade only by judgement and "
            f"{'is' if n_judged == 1 else 'are'} not counted)"
        )
    unknown = total - named - derived
    return text + (f"; the other {number_word(unknown)} are unknown" if unknown else "")


def later_rounds_sentence(
    inspected: pd.DataFrame, areas: int, named: pd.DataFrame | None = None
) -> str:
    """How few inspections of the later programmes are in the data, and (given ``named``, the
    grades a source names, with ``programme`` and ``council_area``) for how many of them a
    grade is known.

    ``inspected`` has one row per inspection (``programme``, ``council_area``), as
    :func:`helpers.joint.questions.later_rounds_data` gives; ``areas`` is how many council areas
    there are.

    Examples
    --------
    >>> t = pd.DataFrame({"programme": ["p", "p", "q"], "council_area": ["A", "B", "A"]})
    >>> later_rounds_sentence(t, 32)
    'Only three inspections of the later programmes are known, of 32 council areas: two in p and one in q; too few to rank the areas.'
    >>> later_rounds_sentence(t, 32, t.iloc[[0, 0]])
    'Only three inspections of the later programmes are known, of 32 council areas: two in p and one in q; a grade is known for one of them; too few to rank the areas.'
    """  # noqa: E501
    counts = inspected.groupby("programme", sort=False).size()
    parts = [f"{number_word(int(n))} in {programme_name(p)}" for p, n in counts.items()]
    n = int(counts.sum())
    graded = ""
    if named is not None:
        keys = set(zip(named["programme"], named["council_area"], strict=True))
        k = sum(
            key in keys
            for key in zip(inspected["programme"], inspected["council_area"], strict=True)
        )
        if k == 0:
            graded = "; no grade of any of them is known"
        else:
            graded = (
                f"; {'a grade is' if k == 1 else 'grades are'} known for "
                f"{'all' if k == n and n > 1 else number_word(k)} of them"
            )
    return (
        f"Only {number_word(n)} {'inspection' if n == 1 else 'inspections'} of the later "
        f"programmes {'is' if n == 1 else 'are'} known, of {number_word(areas)} council areas: "
        f"{join_words(parts)}{graded}; too few to rank the areas."
    )


def tied_with(tied: int | Sequence[str], most: int = 3) -> str:
    """An area's company: the areas tied with it, named up to ``most`` of them, else counted
    (as they are when only their number is given).

    Examples
    --------
    >>> tied_with(0), tied_with(["Fife", "Moray"]), tied_with(list("BCDE")), tied_with(1)
    ('tied with none', 'tied with Fife and Moray', 'tied with four other areas', 'tied with one other area')
    """  # noqa: E501
    n = tied if isinstance(tied, int) else len(tied)
    if n == 0:
        return "tied with none"
    if isinstance(tied, int) or n > most:
        return f"tied with {plural(n, 'other area')}"
    return f"tied with {join_words(tied)}"


def place_phrase(s: Standing, among: bool = True, tied: Sequence[str] | None = None) -> str:
    """Rank and company: 'the highest share of the 20 areas whose split is known, tied with none'.

    The rank counts the areas with a larger share (so ties share a rank: two areas above and
    one level gives 'the third-highest share'); ``among=False`` leaves out 'of the 20 areas ...'
    where a sentence before has said it. ``tied`` names the areas with the same share
    (:func:`helpers.grades.same_share`); without it they are counted (:func:`tied_with`).

    Examples
    --------
    >>> place_phrase(Standing("A", 8, 9, 0, 0, 19))
    'the highest share of the 20 areas whose split is known, tied with none'
    >>> place_phrase(Standing("A", 0, 9, 18, 1, 0), among=False)
    'the lowest share, tied with one other area'
    >>> place_phrase(Standing("A", 5, 9, 3, 2, 14))
    'the fourth-highest share of the 20 areas whose split is known, tied with two other areas'
    >>> place_phrase(Standing("A", 5, 9, 3, 2, 14), tied=["B", "C"])
    'the fourth-highest share of the 20 areas whose split is known, tied with B and C'
    """
    if s.areas <= 1:
        return "no other area's split of grades is known"
    if s.larger == 0 and s.smaller == 0:
        others = plural(s.areas - 1, "area")
        return f"the same share as each of the other {others} whose split is known"
    place = (
        "the highest"
        if s.larger == 0
        else "the lowest"
        if s.smaller == 0
        else f"the {ordinal(s.larger + 1)}-highest"
    )
    of = f" of the {number_word(s.areas)} areas whose split is known" if among else ""
    return f"{place} share{of}, {tied_with(s.same if tied is None else tied)}"


def rank_sentences(standings: list[tuple[Standing, str]]) -> str:
    """Where an area stands in each group of grades, as rank and company, the first group first
    (:func:`rank_sentence`; the company counted).

    ``standings`` pairs a :class:`~helpers.grades.Standing` with its group's words ('very good
    or better'); all are of one area in one programme. The full comparison is the table's.

    Examples
    --------
    >>> print(rank_sentences([(Standing("Moray", 4, 9, 0, 0, 19), "weak or worse"),
    ...                       (Standing("Moray", 0, 9, 18, 1, 0), "good or better")]))
    Moray had four of nine indicators weak or worse: the highest share of the 20 areas whose split is known, tied with none. None was good or better: the lowest share, tied with one other area.
    """  # noqa: E501
    out = []
    for i, (s, what) in enumerate(standings):
        out.append(rank_sentence(s, group=what, first=i == 0))
        if s.areas <= 1:
            break
    return " ".join(out)
