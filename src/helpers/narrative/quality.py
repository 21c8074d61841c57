"""Sentences and reader tables for the data-quality checks (notebook 04 and the Methods notes)."""

from __future__ import annotations

import pandas as pd

from helpers.grades import COUNT_COLUMNS, HIGHEST_FIRST
from helpers.labels import column_label, programme_name
from helpers.narrative.grades import describe_grades
from helpers.narrative.rank import known_grades_phrase
from helpers.words import (
    capitalise,
    count_words,
    date_text_in_words,
    join_words,
    number_word,
    plural,
)


def named_basis_sentence(cells: pd.DataFrame, indicators: int, programme: str) -> str:
    """Which indicator got which grade: how many grades are known in how many areas, named or
    derived (``cells`` is :func:`helpers.joint.questions.named_cells`, with ``basis``).

    Examples
    --------
    >>> c = pd.DataFrame({"council_area": ["A", "A", "B"], "basis": ["stated", "derived", "ambiguous"]})
    >>> named_basis_sentence(c, 9, "cyp-2012")
    'Which indicator got which grade is known in two areas for children and young people, 2012-2017: sources name one of 18 indicator grades and one more follows from the counts by elimination (one more wording fits a grade only by judgement and is not counted); the other 16 are unknown.'
    """  # noqa: E501
    areas = cells["council_area"].nunique()
    if areas == 0:
        return f"No source names which indicator got which grade in {programme_name(programme)}."
    phrase = known_grades_phrase(cells["basis"], areas * indicators)
    return (
        f"Which indicator got which grade is known in {plural(areas, 'area')} for "
        f"{programme_name(programme)}: {phrase}."
    )


def conflicts_key_sentence(conflicts: pd.DataFrame) -> str:
    """The recorded conflicts in one sentence (:func:`helpers.quality.conflicts`).

    Examples
    --------
    >>> t = pd.DataFrame({"council_area": ["X"], "indicators_stated": [10],
    ...                   "programme_grades": [9]})
    >>> conflicts_key_sentence(t)
    'One source conflicts with its programme: for X it counts 10 graded indicators where the programme grades nine; it is kept as published and flagged.'
    """  # noqa: E501
    if conflicts.empty:
        return "No source conflicts with its programme."
    parts = [
        f"for {r.council_area} it counts {number_word(int(r.indicators_stated))} graded "
        "indicators "
        f"where the programme grades {number_word(int(r.programme_grades))}"
        for r in conflicts.itertuples()
    ]
    n = len(parts)
    head = "One source conflicts" if n == 1 else f"{capitalise(number_word(n))} sources conflict"
    kept = "it is" if n == 1 else "each is"
    return f"{head} with its programme: {'; '.join(parts)}; {kept} kept as published and flagged."


def date_precision_sentence(table: pd.DataFrame) -> str:
    """How precisely the publication dates are known, over every programme
    (:func:`helpers.quality.date_precision`: inspections by precision).

    Examples
    --------
    >>> t = pd.DataFrame({"day": [0, 12], "month": [0, 7], "year": [0, 8], "unknown": [11, 5]})
    >>> date_precision_sentence(t)
    'Of 43 inspections, 12 are dated to the day, seven to the month only and eight to the year only; for 16 the publication date is not known.'
    """  # noqa: E501
    total = table.sum()
    n = int(total.sum())
    day_ = int(total.get("day", 0))
    parts = [f"{count_words(day_)} are dated to the day"]
    parts += [
        f"{count_words(int(total[k]))} to the {k} only"
        for k in ("month", "year")
        if int(total.get(k, 0))
    ]
    unknown = int(total.get("unknown", 0))
    tail = f"; for {count_words(unknown)} the publication date is not known" if unknown else ""
    return f"Of {count_words(n)} inspections, {join_words(parts)}{tail}."


def sources_key_sentence(sources: pd.DataFrame, uncited: pd.DataFrame) -> str:
    """Where the data come from: pages, domains, the domain cited most, inspections that cite
    no page (:func:`helpers.quality.sources`, :func:`helpers.quality.uncited_inspections`).

    Examples
    --------
    >>> s = pd.DataFrame({"source_url": ["a/1", "a/2", "b/1"], "domain": ["a", "a", "b"]})
    >>> sources_key_sentence(s, pd.DataFrame({"published": [""]}))
    'Everything rests on three public pages on two web domains, the most cited being a (two of three citations); one inspection cites no page.'
    """  # noqa: E501
    by_domain = sources["domain"].value_counts()
    top = sorted(by_domain[by_domain == by_domain.max()].index)
    text = (
        f"Everything rests on {count_words(sources['source_url'].nunique())} public pages on "
        f"{count_words(len(by_domain))} web domains, the most cited being {join_words(top)} "
        f"({count_words(int(by_domain.max()))} of {count_words(len(sources))} citations)"
    )
    n = len(uncited)
    if n:
        text += f"; {number_word(n)} {'inspection cites' if n == 1 else 'inspections cite'} no page"
    return text + "."


def dates_in_words(table: pd.DataFrame, column: str = "published") -> pd.DataFrame:
    """``table`` with the dates in ``column`` in words (:func:`date_text_in_words`)."""
    out = table.copy()
    out[column] = out[column].map(date_text_in_words)
    return out


def conflicts_table(conflicts: pd.DataFrame) -> pd.DataFrame:
    """The recorded conflicts for readers: the grades in words instead of six count columns
    (:func:`helpers.quality.conflicts`)."""
    rows = []
    for _, r in conflicts.iterrows():
        counts = {g: r[COUNT_COLUMNS[g]] for g in HIGHEST_FIRST}
        rows.append(
            {
                "council area": r["council_area"],
                "programme": programme_name(r["programme"]),
                "source counts": number_word(int(r["indicators_stated"])),
                "programme grades": number_word(int(r["programme_grades"])),
                "grades": describe_grades(counts).replace(" were graded", ""),
                "note": r["note"],
            }
        )
    columns = [
        "council area",
        "programme",
        "source counts",
        "programme grades",
        "grades",
        "note",
    ]
    return pd.DataFrame(rows, columns=columns)


def _table_check(row: pd.Series) -> str:
    """What one table of :func:`helpers.quality.validation_report` is held to, in words."""
    key = " + ".join(column_label(k) for k in row["primary_key"])
    refers = sorted({column_label(t) for t in row["refers_to"]})
    parts = [
        "text, fields, types and allowed values as the data package states them",
        f"one row per {key}" if key else "",
        f"refers to {', '.join(refers)}" if refers else "",
        row["rules"],
    ]
    return f"the {column_label(row['table'])} table: " + "; ".join(p for p in parts if p)


def validation_table(report: pd.DataFrame) -> pd.DataFrame:
    """:func:`helpers.quality.validation_report` for readers: each check in words ('the
    findings table: ...; one row per finding id; refers to inspections'), its result and
    detail."""
    checks = [_table_check(r) if r["table"] else r["rules"] for _, r in report.iterrows()]
    return pd.DataFrame(
        {"check": checks, "result": report["result"], "detail": report["detail"]},
        index=report.index,
    )
