"""The package as installed: a new Python process, started in any folder, imports ``helpers``
from this repository's ``src/`` (the editable install ``make env`` makes). The project's other
set-up checks are in ``tests/unit/test_project.py``."""

from __future__ import annotations

import subprocess
import sys

from helpers import paths


def test_helpers_imports_from_any_folder(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", "import helpers, sys; print(helpers.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == str(paths.PACKAGE_DIR / "__init__.py")
