"""``python -m helpers.build``: see :mod:`helpers.build`."""

import sys

from helpers.build.cli import main

sys.exit(main())
