"""``kiosk smoke-test``: prove that this kiosk (from source, or the frozen bundle) works.

Runs without a display: unless QT_QPA_PLATFORM says otherwise, Qt draws offscreen.
Imports no Qt until the command runs.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from kiosk.cli_common import add_config_option, config_from

EXIT_USAGE = 2


def add_commands(commands: Any, content_commands: Any) -> None:
    smoke = commands.add_parser(
        "smoke-test",
        help="open every article and card, search, toggle every setting, reset; exit 0 or 1",
    )
    smoke.add_argument(
        "--content", type=Path, default=None, help="content folder (default: bundled)"
    )
    smoke.add_argument(
        "--quick",
        action="store_true",
        help="one article and one search per language, every setting at once (setup-kiosk.sh)",
    )
    add_config_option(smoke)
    smoke.set_defaults(handler=_smoke_test)


def _smoke_test(args: argparse.Namespace) -> int:
    if args.content is not None and not (args.content / "pack.toml").is_file():
        print(f"smoke test failed: --content {args.content}: no pack.toml there", flush=True)
        return EXIT_USAGE
    config = config_from(args)
    if config is None:
        return EXIT_USAGE
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # this command needs no display
    from kiosk.ui.smoke import run_smoke_test

    return run_smoke_test(config, args.content, quick=args.quick)
