"""Tables as readers see them: the questions' tables of real values (layer 2), with dates in
words, shares as whole percentages and each place named once in the headers.

One module per subject, beside :mod:`helpers.charts` (figures) and :mod:`helpers.narrative`
(sentences): the third thing a notebook cell shows. Nothing here computes a number; it only
decides how one reads.
"""
