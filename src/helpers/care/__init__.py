"""Registered care services for children, as joint inspections are: tables, then questions.

:mod:`helpers.care.tables`
    the committed ``data/care-services`` loaded and checked (layer 1: data);
:mod:`helpers.care.questions`
    what notebook 03 and the profiles ask of them: by type, sector, lowest grade, trends
    (layer 2: questions);
:mod:`helpers.care.changes`
    what changed between two snapshots, for notebook 05 and the profiles (layer 2).

Their tables hold real values (dates, counts, fractions); readers see them through
:mod:`helpers.narrative.care` and :mod:`helpers.narrative.changes` (sentences and tables)
and :mod:`helpers.charts.care`.
Deriving ``data/care-services`` from the raw monthly files is :mod:`helpers.datastore.derive`.
Nothing is imported here, so that loading the tables does not load the questions.
"""
