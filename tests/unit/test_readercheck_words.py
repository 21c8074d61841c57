"""The reader check's list of words about how a report was made, on sentences (no PDF): the checks
on pages printed by Chromium are in ``tests/e2e/test_readercheck.py``."""

from __future__ import annotations


def test_committed_to_is_english_not_machinery():
    """'Leaders were committed to change' (a finding) is plain English; 'the committed table'
    is about how the report was made."""
    from readercheck import MACHINERY

    assert MACHINERY.search("leaders were committed to a five-year programme") is None
    assert MACHINERY.search("thanks to committed staff") is None
    assert MACHINERY.search("it reads the committed data") is not None
    assert MACHINERY.search("The committed table holds 206 services")
    assert MACHINERY.search("the notebook shows counts")
