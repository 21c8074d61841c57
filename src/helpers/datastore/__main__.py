"""Command line: ``python -m helpers.datastore download|derive [options]``.

``derive --source DIR [--dest DIR] [--accept-missing-grades]`` rebuilds ``data/care-services``
from the raw snapshots in ``DIR`` (:func:`helpers.datastore.derive.run`; ``make care-data``).

``download [--dest DIR] [--url URL] [options]`` saves the latest month. Its options:
``--accept-shrink`` saves a month with fewer than half the services of the month before
(refused by default; with no ``Content-Length``, fewer services than the month before);
``--replace`` replaces a month already saved that differs from the download (never, by default);
``--accept-date-mismatch`` saves a CSV whose name's date is not in its page's month (refused by
default); ``--deadline SECONDS`` limits the whole download, pages and file.
"""

from __future__ import annotations

import argparse
import sys

from helpers.datastore.columns import DatastoreError
from helpers.datastore.download import (
    DATASTORE_PAGE,
    DEADLINE,
    DownloadInterrupted,
    download_latest,
)
from helpers.paths import datastore_dir


def _seconds(text: str) -> float:
    """A positive number of seconds, for argparse."""
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"not a positive number of seconds: {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    """The two commands and their options."""
    parser = argparse.ArgumentParser(
        prog="python -m helpers.datastore", description="The Care Inspectorate's datastore."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    download = commands.add_parser("download", help="download the latest month's CSV")
    download.add_argument(
        "--dest", default=None, help=f"folder to save it in (default {datastore_dir()})"
    )
    download.add_argument("--url", default=DATASTORE_PAGE, help="the datastore landing page")
    download.add_argument(
        "--accept-shrink",
        action="store_true",
        help="save it even with fewer than half the services of the month before",
    )
    download.add_argument(
        "--replace",
        action="store_true",
        help="replace the month if it is saved already and differs (by default never)",
    )
    download.add_argument(
        "--accept-date-mismatch",
        action="store_true",
        help="save the CSV even if its name's date is not in the month of the page linking it",
    )
    download.add_argument(
        "--deadline",
        type=_seconds,
        default=DEADLINE,
        help=f"seconds the whole download may take (default {DEADLINE})",
    )
    derive = commands.add_parser("derive", help="derive data/care-services from the snapshots")
    derive.add_argument("--source", default=None, help="the raw snapshots (default DATASTORE)")
    derive.add_argument("--dest", default=None, help="default data/care-services")
    derive.add_argument(
        "--accept-missing-grades",
        action="store_true",
        help="write the tables even when a month lacks a grade column the months on both "
        "sides have (its grades are then missing for that month)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    if args.command == "derive":
        from helpers.datastore.derive import run

        return run(args.source or datastore_dir(), args.dest, args.accept_missing_grades)
    try:
        saved = download_latest(
            args.dest,
            landing_url=args.url,
            accept_shrink=args.accept_shrink,
            deadline=args.deadline,
            replace=args.replace,
            accept_date_mismatch=args.accept_date_mismatch,
        )
    except DatastoreError as err:
        print(f"download failed: {err}", file=sys.stderr)
        return 1
    except DownloadInterrupted as err:
        print("download stopped by SIGTERM: nothing saved", file=sys.stderr)
        return err.code
    except KeyboardInterrupt:
        print("download interrupted: nothing saved", file=sys.stderr)
        return 130
    print(saved.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
