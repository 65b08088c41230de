"""``kiosk stats export``: the per-article, per-day usage counts as CSV.

The counts are read without changing the file, so an export can run while the
kiosk is open. Imports no Qt.
"""

from __future__ import annotations

import argparse
import io
import re
import sqlite3
import stat
import sys
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.cli_common import add_config_option, config_from, one_line, output_problem, say
from kiosk.core.files import atomic_writer, check_regular
from kiosk.core.stats import DB_FILE, read_rows, write_csv
from kiosk.core.usagefile import DayCount

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def add_commands(commands: Any, content_commands: Any) -> None:
    stats = commands.add_parser("stats", help="usage counts: article views per day")
    actions = stats.add_subparsers(dest="stats_command", required=True, metavar="ACTION")
    export = actions.add_parser(
        "export", help="print the counts as CSV: day,locale,slug,count (no patient data)"
    )
    export.add_argument(
        "--csv", action="store_true", help="CSV with a header (the default, and only, format)"
    )
    export.add_argument(
        "--since", default=None, metavar="YYYY-MM-DD", help="only days from this one on"
    )
    add_config_option(export)
    export.add_argument(
        "-o", "--output", type=Path, default=None, help="write to this file (default: stdout)"
    )
    export.set_defaults(handler=_export)


def _export(args: argparse.Namespace) -> int:
    since: date | None = None
    if args.since is not None:
        since = _parse_day(args.since)
        if since is None:
            print(f"kiosk: --since {args.since}: not a date; use YYYY-MM-DD", file=sys.stderr)
            return EXIT_USAGE
    config = config_from(args)
    if config is None:
        return EXIT_USAGE
    where = config.source or "the defaults"
    if not config.usage_counts:
        print(
            f"kiosk: usage counts are off (usage_counts = false in {where}); nothing to export",
            file=sys.stderr,
        )
        return EXIT_OK
    db_path = config.state_dir / DB_FILE
    # A named pipe would block the open for ever; a device would be replaced by a file.
    refused = output_problem(args.output) if args.output is not None else None
    if refused:
        print(
            f"kiosk: {args.output}: cannot write the counts there ({refused}); "
            "give a file name with -o",
            file=sys.stderr,
        )
        return EXIT_USAGE
    rows: list[DayCount] = []
    if db_path.exists():
        try:
            check_regular(db_path)  # SQLite would wait for ever on a named pipe
            rows = read_rows(db_path, since)
        except (sqlite3.Error, OSError, ValueError) as err:
            why = err.strerror if isinstance(err, OSError) and err.strerror else err
            print(
                f"kiosk: {db_path}: cannot read the usage counts ({one_line(why)})",
                file=sys.stderr,
            )
            return EXIT_PROBLEMS
    else:
        say(f"kiosk: no usage counts yet ({db_path} does not exist)", file=sys.stderr)
    if args.output is None:
        write_csv(sys.stdout, rows)
        return EXIT_OK
    try:
        # Whole or not at all: a new file renamed over -o, with the old one's permissions.
        mode = stat.S_IMODE(args.output.stat().st_mode) if args.output.exists() else 0o644
        with atomic_writer(args.output, mode=mode) as raw:
            out = io.TextIOWrapper(raw, encoding="utf-8", newline="")
            write_csv(out, rows)
            out.detach()  # flushed; the writer fsyncs and closes the file itself
    except OSError as err:
        print(f"kiosk: {args.output}: cannot write it ({err.strerror or err})", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def _parse_day(text: str) -> date | None:
    if not _ISO_DAY.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
