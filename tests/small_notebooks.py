"""Small notebooks written into a test's folder, for tests of the build (unit and e2e).

A report with a sentence, a figure shown through ``helpers.display.show``, a table and printed
text long enough to wrap; and one whose third cell fails. And one made in memory, with the
outputs ``helpers.display.show`` gives, for the exporters (no kernel runs).
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from matplotlib.figure import Figure
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from helpers.display import FigureOutput

KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
SENTENCE = "The quick brown fox reads every inspection table."
#: Printed (stdout), long enough to wrap: its words must wrap whole, never 'sh ows'.
PRINTED = " ".join(["The table shows the children's services of every council area."] * 6)


def write_notebook(path: Path, cells: list) -> Path:
    """Write a python3 notebook made of ``cells``."""
    nbformat.write(new_notebook(cells=cells, metadata={"kernelspec": KERNELSPEC}), path)
    return path


def small_notebook(folder: Path, name: str = "01-small.ipynb") -> Path:
    """A report with a sentence, a figure through helpers.display.show and a table."""
    return write_notebook(
        folder / name,
        [
            new_markdown_cell(f"# A small report\n\n{SENTENCE}"),
            new_code_cell("import matplotlib.pyplot as plt\nimport pandas as pd\n"),
            new_code_cell(
                "from helpers.display import show\n"
                "fig, ax = plt.subplots()\n"
                "ax.bar(['a', 'b'], [1, 2])\n"
                "show(fig, 'Bar chart: b is twice a.', pd.DataFrame({'value': [1, 2]}));"
            ),
            new_code_cell(f"print({PRINTED!r})"),
        ],
    )


def broken_notebook(folder: Path) -> Path:
    """A report whose third cell (index 2) raises ZeroDivisionError."""
    return write_notebook(
        folder / "02-broken.ipynb",
        [
            new_markdown_cell("# Broken"),
            new_code_cell("x = 1"),
            new_code_cell("y = x - 1\nz = x / y"),
        ],
    )


#: The figure's alt text, with characters HTML must escape.
ALT = 'Bar chart: b is "twice" a & <more>.'
RELEASE_SENTENCE = "two were graded excellent, six very good and one good"


def figure_outputs(alt: str = ALT) -> list:
    """The outputs ``helpers.display.show`` gives for one figure: the image, then its caption."""
    fig = Figure(figsize=(2, 1))
    fig.subplots().bar(["a", "b"], [1, 2])
    out = FigureOutput(fig, alt)
    data, metadata = out._repr_mimebundle_()
    return [
        nbformat.v4.new_output("display_data", data=data, metadata=metadata),
        nbformat.v4.new_output("display_data", data=out.caption()),
    ]


def notebook() -> nbformat.NotebookNode:
    """Perth and Kinross's release sentence printed, then a figure, under a code cell whose
    code a reader must never see; no kernel runs."""
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("secret_code_line = 1\nshow(fig, alt)")
    code.outputs = [
        nbformat.v4.new_output(
            "stream", name="stdout", text=f"Of nine indicators, {RELEASE_SENTENCE}.\n"
        ),
        *figure_outputs(),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("# Perth and Kinross, 2017\n\nWords."), code]
    return nb
