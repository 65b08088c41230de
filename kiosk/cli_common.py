"""What every command that reads the kiosk config shares: the option and the error."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.core.config import ConfigError, KioskConfig, load_config

EXIT_USAGE = 2


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config", type=Path, default=None, help="config file (default: the user's kiosk.toml)"
    )


def config_from(args: argparse.Namespace) -> KioskConfig | None:
    """The config named by --config (which must exist) or the default one; on a bad
    file, one line on stderr and None, so the caller exits with EXIT_USAGE."""
    try:
        return load_config(args.config, must_exist=args.config is not None)
    except ConfigError as err:
        print(f"kiosk: {err}", file=sys.stderr)
        return None
