"""helpers.display: a figure is shown with its alt text; a table with links stays readable."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from helpers.display import FigureOutput, Linked


def test_figure_without_alt_text_is_refused():
    with pytest.raises(ValueError, match="alt text"):
        FigureOutput(Figure(), "  ")


def test_figure_output_plain_text_is_the_alt_text_and_html_embeds_it():
    bundle = FigureOutput(Figure(), "Bar chart of  two grades.")._repr_mimebundle_()
    assert bundle["text/plain"] == "Figure: Bar chart of two grades."
    assert 'alt="Bar chart of two grades."' in bundle["text/html"]


def test_linked_table_has_links_in_html_and_plain_text_elsewhere():
    bundle = Linked(pd.DataFrame({"source_url": ["https://example.org/a"]}))._repr_mimebundle_()
    assert '<a href="https://example.org/a"' in bundle["text/html"]
    assert "https://example.org/a" in bundle["text/plain"]
