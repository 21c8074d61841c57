"""``python -m helpers.build``: see :mod:`helpers.build`.

Ctrl-C (SIGINT) stops the build with one line and exit status 130, not a traceback: the clean-up
has run by then (every staged file removed, each report as its last complete build left it).
"""

import sys

from helpers.build.cli import main

#: What a build stopped by Ctrl-C says, on standard error.
STOPPED = "Stopped by Ctrl-C: reports already committed are kept; nothing half-written is left."

try:
    status = main()
except KeyboardInterrupt:
    print(STOPPED, file=sys.stderr, flush=True)
    status = 130
sys.exit(status)
