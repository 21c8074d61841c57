"""Sentences from data: the words a press officer would write, computed, never typed.

Every sentence the notebooks and reports print is built in this package, from tables of real
values that the layers below compute. One module per subject, so a newcomer finds a sentence by
what it is about:

- :mod:`~helpers.narrative.grades`: a set of grades, a release, an area's standing;
- :mod:`~helpers.narrative.rank`: rank and company among the areas;
- :mod:`~helpers.narrative.joint`: the joint-inspection data as a whole;
- :mod:`~helpers.narrative.profile`: one area's inspections, for its profile;
- :mod:`~helpers.narrative.care`: registered care services and what changed;
- :mod:`~helpers.narrative.found`: what inspectors found;
- :mod:`~helpers.narrative.quality`: the data-quality checks.

The word toolkit they share (number words, plurals, percentages, dates in words) is
:mod:`helpers.words`, at the bottom of the package. Everything is re-exported here, so notebooks
write ``narrative.weak_sentence(...)`` without knowing which module holds it.
"""

from __future__ import annotations

from helpers.narrative.care import (
    care_good_key_point,
    changes_key_points,
    changes_sentence,
    compared_dates_sentence,
    framework_caution,
    good_or_better_sentence,
    grade_change_sentences,
    read_problems_sentence,
    recent_change_sentence,
    registered_sentence,
    repetition_sentence,
    scotland_scope_sentence,
    sector_sentence,
    sectors_sentence,
    snapshot_dates_sentence,
    weak_sentence,
)
from helpers.narrative.found import (
    heard_same_sentence,
    notes_coverage_sentence,
    placed_key_point,
    programme_themes_sentence,
    reach_sentence,
    themes_lead_sentence,
    top_themes_sentence,
)
from helpers.narrative.grades import (
    describe_grades,
    programme_line,
    release_sentence,
    share_clause,
    standing_headline,
    standing_sentence,
)
from helpers.narrative.joint import (
    conflict_flags,
    conflict_sentence,
    copies_sentence,
    coverage_sentence,
    framework_sentence,
    known_split_sentence,
    named_coverage_sentence,
    named_sentence,
    sources_sentence,
    unknown_split_sentence,
    validation_sentence,
)
from helpers.narrative.profile import (
    earlier_sentence,
    findings_count_sentence,
    findings_sentences,
    inspection_sentence,
    inspection_unknowns,
    latest_grades_clause,
    latest_inspection_sentence,
    not_inspected_lines,
    note_without_unknown_date,
    standing_key_point,
    unplaced_sentence,
)
from helpers.narrative.quality import (
    conflicts_key_sentence,
    conflicts_table,
    coverage_key_sentence,
    date_precision_sentence,
    dates_in_words,
    named_basis_sentence,
    sources_key_sentence,
)
from helpers.narrative.rank import (
    known_grades_phrase,
    later_rounds_sentence,
    place_phrase,
    rank_sentence,
    rank_sentences,
    share_range_sentence,
    split_known_sentence,
    tied_with,
)
from helpers.words import (
    capitalise,
    count_words,
    date_text_in_words,
    day,
    join_words,
    lower_first,
    none_or_number,
    number_word,
    of_phrase,
    ordinal,
    pct,
    period,
    plural,
    published_phrase,
    when,
    when_words,
)

__all__ = [
    "capitalise",
    "care_good_key_point",
    "changes_key_points",
    "changes_sentence",
    "compared_dates_sentence",
    "conflict_flags",
    "conflict_sentence",
    "conflicts_key_sentence",
    "conflicts_table",
    "copies_sentence",
    "count_words",
    "coverage_key_sentence",
    "coverage_sentence",
    "date_precision_sentence",
    "date_text_in_words",
    "dates_in_words",
    "day",
    "describe_grades",
    "earlier_sentence",
    "findings_count_sentence",
    "findings_sentences",
    "framework_caution",
    "framework_sentence",
    "good_or_better_sentence",
    "grade_change_sentences",
    "heard_same_sentence",
    "inspection_sentence",
    "inspection_unknowns",
    "join_words",
    "known_grades_phrase",
    "known_split_sentence",
    "later_rounds_sentence",
    "latest_grades_clause",
    "latest_inspection_sentence",
    "lower_first",
    "named_basis_sentence",
    "named_coverage_sentence",
    "named_sentence",
    "none_or_number",
    "not_inspected_lines",
    "note_without_unknown_date",
    "notes_coverage_sentence",
    "number_word",
    "of_phrase",
    "ordinal",
    "pct",
    "period",
    "place_phrase",
    "placed_key_point",
    "plural",
    "programme_line",
    "programme_themes_sentence",
    "published_phrase",
    "rank_sentence",
    "rank_sentences",
    "reach_sentence",
    "read_problems_sentence",
    "recent_change_sentence",
    "registered_sentence",
    "release_sentence",
    "repetition_sentence",
    "scotland_scope_sentence",
    "share_clause",
    "sector_sentence",
    "sectors_sentence",
    "share_range_sentence",
    "snapshot_dates_sentence",
    "sources_key_sentence",
    "sources_sentence",
    "split_known_sentence",
    "standing_headline",
    "standing_key_point",
    "standing_sentence",
    "themes_lead_sentence",
    "tied_with",
    "top_themes_sentence",
    "unknown_split_sentence",
    "unplaced_sentence",
    "validation_sentence",
    "weak_sentence",
    "when",
    "when_words",
]
