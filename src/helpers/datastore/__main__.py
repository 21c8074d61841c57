"""Command line: ``python -m helpers.datastore download [--dest DIR] [--url URL]``."""

from __future__ import annotations

import argparse
import sys

from helpers.datastore.columns import DatastoreError
from helpers.datastore.download import DATASTORE_PAGE, download_latest
from helpers.paths import datastore_dir


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.datastore", description="The Care Inspectorate's datastore."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    download = commands.add_parser("download", help="download the latest month's CSV")
    download.add_argument(
        "--dest", default=None, help=f"folder to save it in (default {datastore_dir()})"
    )
    download.add_argument("--url", default=DATASTORE_PAGE, help="the datastore landing page")
    args = parser.parse_args(argv)
    try:
        saved = download_latest(args.dest, landing_url=args.url)
    except DatastoreError as err:
        print(f"download failed: {err}", file=sys.stderr)
        return 1
    print(saved.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
