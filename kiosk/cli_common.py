"""What every command shares: the argument parser and its one-line errors, the numeric
options, the config option and its error, output files, and a closed output."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TextIO

from kiosk.core.config import ConfigError, KioskConfig, load_config
from kiosk.core.files import check_replaceable
from kiosk.core.terminal import printable

EXIT_USAGE = 2
# A command whose reader went away (``kiosk content validate ... | head -1``) ends as if
# SIGPIPE had ended it: 128 + 13, what the shell reports for cat or grep in the same
# place. Its output was cut short, so it is not a success; a script with
# ``set -o pipefail`` sees that, and tells it from the command's own 1 and 2.
EXIT_OUTPUT_CLOSED = 141


class Parser(argparse.ArgumentParser):
    """argparse, with a mistake on the command line said in one line (argparse prints
    its usage, several lines, first): "kiosk: --max-mb: 'inf' is not a number of MB
    above 0 and at most 1,000,000; write one such as 200 (see 'kiosk content install
    --help')".
    Subcommands' parsers are made of the same class."""

    def error(self, message: str) -> NoReturn:
        message = re.sub(r"^argument ([^:]+): ", r"\1: ", one_line(message))
        self.exit(EXIT_USAGE, f"kiosk: {message} (see '{self.prog} --help')\n")


def number(
    what: str, *, least: float, most: float, example: str, above: bool = False
) -> Callable[[str], float]:
    """An argparse type: ``what`` ("a number of MB", "a whole number of results": then
    an int) from ``least`` (or, if ``above``, more than it) to ``most``. inf, nan and
    numbers out of range are refused in words, and the line says what to write
    (``--max-mb inf`` was an OverflowError traceback, ``--timeout 1e10`` too)."""
    whole = what.startswith("a whole number")
    if above:
        rule = f"{what} above {_figure(least)} and at most {_figure(most)}"
    else:
        rule = f"{what} from {_figure(least)} to {_figure(most)}"

    def parse(text: str) -> float:
        refused = argparse.ArgumentTypeError(f"{text!r} is not {rule}; write one such as {example}")
        try:
            value: float = int(text) if whole else float(text)
        except ValueError:
            raise refused from None
        if not ((value > least if above else value >= least) and value <= most):
            raise refused  # nan and inf too: every comparison with nan is false
        return value

    return parse


# A clinic line of 1 Mbit/s (125 kB/s) brings the largest pack --max-mb accepts by
# default (200 MB) in under half an hour: an hour leaves room for a busy evening.
DEFAULT_DEADLINE_S = 3600.0
# Far below any link that works (a poor mobile link does 50 kB/s and more): a server
# that sends less, on average over a minute, is stuck or hostile.
DEFAULT_MIN_RATE_KB = 10.0


def add_download_limits(parser: argparse.ArgumentParser) -> None:
    """``--deadline`` (seconds a download may take in all) and ``--min-rate`` (kB a
    second on average over a minute; 0: none), for every command that downloads a pack:
    a stuck or hostile server ends in a clear error, not a kiosk waiting for ever."""
    parser.add_argument(
        "--deadline",
        type=number("a number of seconds", least=0, above=True, most=86_400, example="3600"),
        default=DEFAULT_DEADLINE_S,
        help=f"most seconds a download may take in all (default {DEFAULT_DEADLINE_S:g})",
    )
    parser.add_argument(
        "--min-rate",
        type=number("a number of kB a second", least=0, most=1_000_000, example="10"),
        default=DEFAULT_MIN_RATE_KB,
        metavar="KB_S",
        help="stop a download that brings less than this many kB a second, on average over "
        f"a minute; 0 for no minimum (default {DEFAULT_MIN_RATE_KB:g})",
    )


def _figure(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:g}"


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
        say(f"kiosk: {one_line(err)}", file=sys.stderr)
        return None


def one_line(message: object) -> str:
    """``message`` as one line: an exception's text may span several (urllib's
    redirect loop had three), and staff read one line per error."""
    return " ".join(line.strip() for line in str(message).splitlines() if line.strip())


def output_problem(path: Path) -> str | None:
    """Why a command must not write its output file ``path`` (-o), in words, or None:
    a named pipe would block the open for ever, and a device or a folder would be
    replaced by a file (``-o /dev/null`` as root). Checked before any work."""
    try:
        check_replaceable(path)
    except OSError as err:
        return err.strerror or str(err)
    return None


# --- a closed output -------------------------------------------------------------------


class _Output:
    closed = False  # whether a reader went away during the command (say, output_closed)


def say(*values: object, file: TextIO | None = None) -> None:
    """print() for what a command reports while it works (the warnings of a build), and
    for every line that names a file or holds a pack's or a server's words: each value is
    made printable (kiosk/core/terminal.py), so none sends the terminal an escape
    sequence. A reader that went away (``| head -1``, ``| true``) does not stop the work.
    What is left to print is dropped, and main() ends a command that succeeded with
    EXIT_OUTPUT_CLOSED once its work is done."""
    stream = sys.stdout if file is None else file
    try:
        print(*(printable(str(value)) for value in values), file=stream)
    except BrokenPipeError:
        _drop(stream)


def _drop(stream: TextIO) -> None:
    """Point ``stream`` at /dev/null: what is still buffered can never be written, and
    Python's own flush at exit then has nowhere to fail ("Exception ignored in ...")."""
    _Output.closed = True
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        # ValueError: no file descriptor (a test's capture)
        with contextlib.suppress(OSError, ValueError):
            os.dup2(devnull, stream.fileno())
    finally:
        os.close(devnull)


def output_was_closed() -> bool:
    """Whether an output was found closed since the last forget_closed_output()."""
    return _Output.closed


def forget_closed_output() -> None:
    _Output.closed = False


def output_closed() -> int:
    """End a command whose output was closed: quietly (no traceback, nothing on stderr,
    which may be the same closed pipe) with EXIT_OUTPUT_CLOSED."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            _drop(stream)
    return EXIT_OUTPUT_CLOSED


MIN_PASSPHRASE = 8


def ask_line(prompt: str) -> str:
    """A secret typed at a terminal (not shown), else one line of standard input."""
    import getpass

    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\n")


def new_passphrase() -> tuple[str, str]:
    """A passphrase typed twice (from a terminal, else two lines of input), and what is
    wrong with it ("" if nothing). Short ones are refused: a stolen key file can be
    tried offline without limit."""
    first = ask_line("Passphrase for the new key (8 characters or more): ")
    if len(first) < MIN_PASSPHRASE:
        return "", f"the passphrase must have {MIN_PASSPHRASE} characters or more; no key was made"
    if ask_line("The same passphrase again: ") != first:
        return "", "the two passphrases differ; no key was made"
    return first, ""
