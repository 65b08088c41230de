"""What every command shares: the config option and its error, and a closed output."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from kiosk.core.config import ConfigError, KioskConfig, load_config

EXIT_USAGE = 2
# A command whose reader went away (``kiosk content validate ... | head -1``) ends as if
# SIGPIPE had ended it: 128 + 13, what the shell reports for cat or grep in the same
# place. Its output was cut short, so it is not a success; a script with
# ``set -o pipefail`` sees that, and tells it from the command's own 1 and 2.
EXIT_OUTPUT_CLOSED = 141


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


def output_closed() -> int:
    """End a command whose output was closed: quietly (no traceback, nothing on stderr,
    which may be the same closed pipe) with EXIT_OUTPUT_CLOSED."""
    # What is still buffered can never be written; point both streams at /dev/null so
    # that Python's own flush at exit has nowhere to fail ("Exception ignored in ...").
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                # ValueError: no file descriptor (a test's capture)
                with contextlib.suppress(OSError, ValueError):
                    os.dup2(devnull, stream.fileno())
    finally:
        os.close(devnull)
    return EXIT_OUTPUT_CLOSED
