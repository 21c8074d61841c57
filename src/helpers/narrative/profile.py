"""Sentences and tables for one area's inspections: the facts of one, its grades by question,
what was not found, what came before (the area profile and notebook 01)."""

from __future__ import annotations

import re

import pandas as pd

from helpers.grades import HIGHEST_FIRST, Standing
from helpers.labels import name_and_years, programme_label, programme_name
from helpers.narrative.grades import describe_grades, grades_shown, release_sentence
from helpers.narrative.rank import rank_sentences
from helpers.schema import split_cell
from helpers.words import capitalise, join_words, number_word, plural, when


def unplaced_sentence(area: str, areas: int) -> str:
    """An area whose own split is not known cannot be placed among the others."""
    if areas == 0:
        return f"No area's split of grades is known, {area}'s included."
    if areas == 1:
        return (
            f"{area} cannot be compared with the one area whose split of grades is known: "
            "its own split is not known."
        )
    return (
        f"{area} cannot be placed among the {number_word(areas)} areas with a known split of "
        "grades: its own split is not known."
    )


def inspection_sentence(area: str, counts, published, precision: str, what: str) -> str:
    """An inspection's grades with its publication date in words.

    Examples
    --------
    >>> inspection_sentence("Perth and Kinross", {"excellent": 2, "very good": 6, "good": 1},
    ...     pd.Timestamp("2018-04-01"), "month", "the joint inspection of services for children")
    'In the joint inspection of services for children in Perth and Kinross, published in April 2018, of nine quality indicators, two were graded excellent, six very good and one good.'
    """  # noqa: E501
    return release_sentence(
        counts, lead=f"In {what} in {area}, published {when(published, precision)}"
    )


def _sentence_body(text: str) -> str:
    """A finding as a clause: first letter lower case (not a name's), no final full stop."""
    text = text.strip().rstrip(".")
    first = text.split(" ", 1)[0]
    return text if first.isupper() or first in ("I",) else text[:1].lower() + text[1:]


def findings_sentences(findings: pd.DataFrame) -> list[str]:
    """What the inspectors praised first and what they asked to improve, from the findings
    (``kind`` and ``finding``, in the source's order; :func:`helpers.joint.findings.findings_table`).

    Examples
    --------
    >>> f = pd.DataFrame({"kind": ["strength", "strength", "to improve"],
    ...                   "finding": ["Leaders were strong.", "Staff listened.", "Plan more."]})
    >>> findings_sentences(f)
    ['Inspectors named two strengths, first that leaders were strong.', 'They asked for one improvement: to plan more.']
    """  # noqa: E501
    strengths = findings.loc[findings["kind"] == "strength", "finding"].tolist()
    improve = findings.loc[findings["kind"] == "to improve", "finding"].tolist()
    out = []
    if strengths:
        what = "strength" if len(strengths) == 1 else "strengths, first"
        out.append(
            f"Inspectors named {number_word(len(strengths))} {what} that "
            f"{_sentence_body(strengths[0])}."
        )
    if improve:
        noun = "improvement" if len(improve) == 1 else "improvements"
        out.append(
            f"They asked for {number_word(len(improve))} {noun}: "
            f"{join_words([f'to {_sentence_body(f)}' for f in improve])}."
        )
    return out


def earlier_sentence(counts, short_name: str) -> str:
    """An earlier inspection on another framework: its grades, and that they are no trend.

    ``short_name`` is the programme's reader name ('child protection, 2009-2012').

    Examples
    --------
    >>> earlier_sentence({"excellent": 3, "very good": 3}, "child protection, 2009-2012")
    'In the earlier child protection inspection (2009-2012), of six quality indicators, three were graded excellent and three very good; it graded other indicators, so the two are not a trend.'
    """  # noqa: E501
    topic, period_words = name_and_years(short_name)
    lead = f"In the earlier {topic or short_name} inspection" + (
        f" ({period_words})" if topic else ""
    )
    text = release_sentence(counts, lead=lead).rstrip(".")
    return f"{text}; it graded other indicators, so the two are not a trend."


def _programme_words(programme: str, more: str = "") -> str:
    """'the children at risk of harm programme (2020-2025)' from its reader's name; ``more`` is
    added in the brackets ('2020-2025; published May 2023')."""
    name, period = name_and_years(programme_name(programme))
    if not name:
        return f"the {period} programme" + (f" ({more})" if more else "")
    return f"the {name} programme ({period}{'; ' + more if more else ''})"


def latest_grades_clause(counts: pd.Series, named: list[tuple[str, str]]) -> str:
    """An inspection's grades for a key point: the split, its one grade, named grades, or none.

    ``counts`` is :func:`helpers.joint.questions.counts_of`; ``named`` the (indicator, grade)
    pairs a source states.

    Examples
    --------
    >>> from helpers.grades import as_counts
    >>> latest_grades_clause(as_counts({"adequate": 1}), [("Impact on children", "adequate")])
    'its one graded indicator, impact on children, was adequate'
    >>> latest_grades_clause(as_counts({"good": pd.NA}), [])
    "no source gives its split of grades or names an indicator's grade"
    """
    if not counts.isna().any():
        total = int(counts.sum())
        if total == 1:
            grade = next(g for g in HIGHEST_FIRST if counts[g] > 0)
            which = f", {named[0][0][:1].lower()}{named[0][0][1:]}," if len(named) == 1 else ""
            return f"its one graded indicator{which} was {grade}"
        return f"of {plural(total, 'quality indicator')}, {describe_grades(counts)}"
    if named:
        pairs = join_words(f"{ind[:1].lower()}{ind[1:]}, {grade}" for ind, grade in named)
        return f"the split of grades was not found; sources name {pairs}"
    return "no source gives its split of grades or names an indicator's grade"


def latest_inspection_sentence(
    area: str, programme: str, published: str, counts: pd.Series, named: list[tuple[str, str]]
) -> str:
    """The area's latest joint inspection and its grades, for the key points.

    Examples
    --------
    >>> from helpers.grades import as_counts
    >>> latest_inspection_sentence("Fife", "care-protection-2018", "publication date not found",
    ...                            as_counts({"good": pd.NA}), [])
    "Fife's latest joint inspection was in the care and protection programme (2018-2020; publication date not found): no source gives its split of grades or names an indicator's grade."
    """  # noqa: E501
    return (
        f"{area}'s latest joint inspection was in {_programme_words(programme, published)}: "
        f"{latest_grades_clause(counts, named)}."
    )


def findings_count_sentence(kinds: pd.Series) -> str:
    """How many strengths and things to improve are recorded of an inspection.

    ``kinds`` is the ``kind`` column of its findings.

    Examples
    --------
    >>> findings_count_sentence(pd.Series(["strength", "strength", "to improve", "method"]))
    "Inspectors' findings recorded from it: two strengths and one thing to improve."
    >>> findings_count_sentence(pd.Series([], dtype=object))
    'No finding of it was found in the sources reached.'
    """
    strengths = int((kinds == "strength").sum())
    improve = int((kinds == "to improve").sum())
    if strengths == improve == 0:
        return "No finding of it was found in the sources reached."

    def count(n: int, word: str) -> str:
        return f"no {word}s" if n == 0 else plural(n, word)

    return (
        f"Inspectors' findings recorded from it: {count(strengths, 'strength')} and "
        f"{count(improve, 'thing')} to improve."
    )


def standing_key_point(programme: str, standings: list[tuple[Standing, str]]) -> str:
    """'In the children and young people programme (2012-2017), Moray had ...' (first group)."""
    return f"In {_programme_words(programme)}, {rank_sentences(standings[:1])}"


def unplaced_key_point(area: str, programme: str, known: int) -> str:
    """An area whose split is known in no programme: said with the programme where most
    areas' splits are known (``programme``, ``known`` areas).

    Examples
    --------
    >>> unplaced_key_point("Moray", "cyp-2012", 20)
    "Moray's split of grades is not known in any programme; in children and young people, 2012-2017 it is known for 20 areas."
    """  # noqa: E501
    return (
        f"{area}'s split of grades is not known in any programme; in "
        f"{programme_name(programme)} it is known for {plural(known, 'area')}."
    )


def not_inspected_lines(area: str, programmes: list[str]) -> list[str]:
    """One line per programme with no inspection of the area in the data.

    Examples
    --------
    >>> not_inspected_lines("Moray", ["cp-2009"])
    ['No inspection of Moray in the child protection programme (2009-2012) was found in the sources searched.']
    """  # noqa: E501
    return [
        f"No inspection of {area} in {_programme_words(p)} was found in the sources searched."
        for p in programmes
    ]


def inspection_unknowns(
    programme: str, published_known: bool, split_known: bool, unnamed: int, indicators: int
) -> list[str]:
    """What is not known about one inspection, one line per fact, each said once: its
    publication date, its split of grades, and how many indicators no source names.

    Examples
    --------
    >>> for line in inspection_unknowns("cyp-2012", False, True, 7, 9):
    ...     print(line)
    Children and young people, 2012-2017: the publication date was not found.
    Children and young people, 2012-2017: no source names the grade of seven of its nine indicators; they are shown as unknown.
    >>> inspection_unknowns("cp-2009", True, True, 6, 6)[-1]
    'Child protection, 2009-2012: no source names the grade of any of its six indicators.'
    >>> inspection_unknowns("cp-2009", True, False, 6, 6)
    ["Child protection, 2009-2012: no source gives its split of grades or any indicator's grade."]
    """  # noqa: E501
    name = capitalise(programme_name(programme))
    lines = []
    if not published_known:
        lines.append(f"{name}: the publication date was not found.")
    if not split_known and unnamed == indicators:  # nothing of its grades is known: one line
        lines.append(f"{name}: no source gives its split of grades or any indicator's grade.")
        return lines
    if not split_known:
        lines.append(f"{name}: the split of grades was not found in any source.")
    if unnamed and unnamed == indicators:
        lines.append(
            f"{name}: no source names the grade of any of its {number_word(indicators)} indicators."
            if indicators > 1
            else f"{name}: no source names the grade of its one indicator."
        )
    elif unnamed:
        lines.append(
            f"{name}: no source names the grade of {number_word(unnamed)} of its "
            f"{number_word(indicators)} indicators; they are shown as unknown."
        )
    return lines


_UNKNOWN_DATE = re.compile(
    r"(?:^|(?<=[.;]))\s*[^.;]*\bpublication date (?:unknown|not found|not known)[^.;]*[.;]?",
    re.IGNORECASE,
)


def note_without_unknown_date(note: str) -> str:
    """An inspection's note less any clause that only says its publication date is unknown
    (the page says that once, beside the date).

    Examples
    --------
    >>> note_without_unknown_date("Publication date unknown.")
    ''
    >>> note_without_unknown_date("Second cycle (about 2011-12); publication date unknown.")
    'Second cycle (about 2011-12).'
    >>> note_without_unknown_date("Level 3 counted as adequate.")
    'Level 3 counted as adequate.'
    """
    text = _UNKNOWN_DATE.sub("", str(note)).strip()
    text = re.sub(r"[;,]\s*$", "", text).strip()
    if text and not text.endswith((".", "!", "?")):
        text += "."
    return text


def inspection_facts(row: pd.Series) -> pd.DataFrame:
    """What was inspected, when and by which programme, as a two-column table for readers.

    ``row`` is one inspection, as :func:`helpers.joint.questions.inspection` gives it.
    """
    stated = row["indicators_stated"]
    facts = {
        "council area": row["council_area"],
        "programme": programme_label(row["programme"]),
        "fieldwork": row["fieldwork"] or "not known",
        "published": when(row["published_date"], row["published_precision"]).split(" ", 1)[1],
        "quality indicators graded": "not known" if pd.isna(stated) else number_word(int(stated)),
        "source": row["source_url"] or "none found",
        "corroborated by": "; ".join(split_cell(row["corroborated_by"])) or "none",
    }
    return pd.DataFrame({"fact": list(facts), "value": list(facts.values())}).set_index("fact")


def grades_by_question(grades: pd.DataFrame) -> pd.DataFrame:
    """An inspection's indicators grouped under their questions, with the grade shown
    (:func:`~helpers.narrative.grades.grade_shown`) and how it is known.

    ``grades`` is :func:`helpers.joint.questions.indicator_grades` of one inspection.
    """
    g = grades.assign(
        question=grades["question"].replace("", "(no question recorded)"),
        shown=grades_shown(grades),
    )
    return g.set_index(["question", "indicator"])[["shown", "basis"]]
