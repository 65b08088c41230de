"""``kiosk health export``: the kiosk's health as Prometheus metrics (kiosk.core.health),
for node_exporter's textfile collector; kiosk-health.timer runs it every minute.

Imports prometheus_client only when the command runs (kiosk.cli's rule).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from datetime import date
from pathlib import Path
from typing import Any

from kiosk.cli_common import add_config_option, config_from, one_line

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def add_commands(commands: Any, content_commands: Any) -> None:
    health = commands.add_parser(
        "health", help="the kiosk's health as Prometheus metrics (node_exporter's textfile)"
    )
    actions = health.add_subparsers(dest="health_command", required=True, metavar="ACTION")
    export = actions.add_parser(
        "export", help="write the metrics: up, pack, fleet freshness, article views per day"
    )
    export.add_argument(
        "--textfile",
        type=Path,
        default=None,
        metavar="FILE",
        help="write them to FILE (a .prom file, replaced whole); default: print them",
    )
    add_config_option(export)
    export.set_defaults(handler=_export)


def _export(args: argparse.Namespace) -> int:
    from prometheus_client import generate_latest

    from kiosk.core.health import registry, write_health

    config = config_from(args)
    if config is None:
        return EXIT_USAGE
    health = _gather(config)
    if args.textfile is None:
        sys.stdout.write(generate_latest(registry(health)).decode("utf-8"))
        return EXIT_OK
    try:
        write_health(args.textfile, health)
    except OSError as err:
        print(f"kiosk: health export: {args.textfile}: {one_line(err)}", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def _gather(config: Any) -> Any:
    """What kiosk.core.health reports, read without changing anything."""
    from kiosk.core.errors import KioskError
    from kiosk.core.fleet.state import FOLDER, read_state, utc_now
    from kiosk.core.health import Health, service_facts, views_since
    from kiosk.core.packs.store import Store
    from kiosk.core.stats import DB_FILE, exportable, read_rows

    now = utc_now()
    try:
        pack = Store(config.store_dir).status().current
    except (KioskError, OSError):
        pack = None  # the kiosk shows what came with it; its admin panel says why
    fleet = read_state(config.state_dir / FOLDER) if config.fleet else None
    views = []
    counts = config.state_dir / DB_FILE
    if counts.is_file():
        try:
            # Finished days only: today's counts, rewritten each minute, would show a
            # scraper when each article was read and in what order (kiosk.core.stats).
            today = date.today()  # the counts' own day: the kiosk's local date
            finished = [r for r in read_rows(counts, views_since(today)) if r[0] < today]
            views = exportable(finished)
        except (sqlite3.Error, OSError):
            views = []
    return Health(
        service=service_facts(),
        pack=pack,
        fleet=fleet,
        stale=fleet is not None and fleet.stale(now, config.fleet_stale_hours),
        views=views,
        now=now,
    )
