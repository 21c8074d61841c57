"""helpers.display: a figure is shown with its alt text; a table with links stays readable."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from helpers.display import FigureOutput, Linked


def test_figure_without_alt_text_is_refused():
    with pytest.raises(ValueError, match="alt text"):
        FigureOutput(Figure(), "  ")


def test_figure_output_plain_text_is_the_alt_text_and_the_image_carries_it():
    out = FigureOutput(Figure(), "Bar chart of  two grades.")
    bundle, metadata = out._repr_mimebundle_()
    assert bundle["text/plain"] == "Figure: Bar chart of two grades."
    assert metadata["image/png"]["alt"] == "Bar chart of two grades."
    caption = out.caption()["text/html"]
    assert ">Bar chart of two grades.</div>" in caption  # JupyterLab: the alt text, visible


def test_reader_caption_names_the_chart_not_its_alt_text():
    from helpers.build.figures import short_captions

    fig = Figure()
    fig.suptitle("Perth and Kinross: eight of nine indicators very good or better")
    out = FigureOutput(fig, "Bar chart of nine grades, two excellent.", pd.DataFrame({"a": [1]}))
    reader = short_captions(out.caption()["text/html"])
    assert "Bar chart of nine grades" not in reader
    assert "Figure: Perth and Kinross: eight of nine indicators very good or better." in reader
    assert "table below" in reader


def test_linked_table_has_links_in_html_and_plain_text_elsewhere():
    bundle = Linked(pd.DataFrame({"source_url": ["https://example.org/a"]}))._repr_mimebundle_()
    assert '<a href="https://example.org/a"' in bundle["text/html"]
    assert "https://example.org/a" in bundle["text/plain"]
