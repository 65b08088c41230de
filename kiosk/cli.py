"""The ``kiosk`` command: run the kiosk, and the administrator's content tools.

Every command that works on content runs without a display and imports no Qt.
Bad input ends with one clear line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import json
import logging
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.cli_common import (
    EXIT_OUTPUT_CLOSED,
    Parser,
    add_config_option,
    config_from,
    forget_closed_output,
    number,
    one_line,
    output_closed,
    output_was_closed,
)
from kiosk.core.config import ConfigError, default_config_path, load_config, set_config_value
from kiosk.core.content.problems import Severity
from kiosk.core.pin import hash_pin, pin_problem
from kiosk.resources import bundled_content

if TYPE_CHECKING:
    from kiosk.core.content.loader import LoadResult

# Commands import what only they need inside their handlers: `kiosk run` must start fast,
# so it never loads the Markdown, YAML or download code the content tools use.
# Each module has add_commands(commands, content_commands) and imports no Qt at the top.
_COMMAND_MODULES: tuple[str, ...] = (
    "kiosk.cli_stats",
    "kiosk.cli_packs",
    "kiosk.cli_smoke",
    "kiosk.cli_studio",
    "kiosk.cli_fleet",
    "kiosk.cli_health",
)

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def main(argv: Sequence[str] | None = None) -> int:
    forget_closed_output()
    try:
        code = _dispatch(argv)
    except KeyboardInterrupt:
        code = 130
    except BrokenPipeError:  # the command stopped half way: only the cut is known
        return output_closed()
    except SystemExit as stop:  # argparse's --help and usage errors stay SystemExit,
        # flushed first: a reader gone early was Python's "Exception ignored" at exit
        # (seen in a fresh Debian root); --help | head -0 ends with 141.
        if not isinstance(stop.code, int | None):
            raise  # sys.exit("words"): Python prints them
        raise SystemExit(_flushed(stop.code or EXIT_OK)) from None
    return _flushed(code)


def _flushed(code: int) -> int:
    """``code`` once stdout is flushed: a reader gone early shows here, not in Python's
    own exit. It did not stop the work (cli_common.say): a command that failed says so
    with its own status, one that succeeded with EXIT_OUTPUT_CLOSED."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        output_closed()
    return EXIT_OUTPUT_CLOSED if code == EXIT_OK and output_was_closed() else code


def _dispatch(argv: Sequence[str] | None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    # `kiosk run` (a kiosk's every start) parses with its own command only: making every
    # other command's parser, and importing their modules, cost about 18 ms before the
    # first frame. Its usage lines, errors and --help are the same either way.
    parser = _build_parser(run_only=words[:1] == ["run"])
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    code: int = args.handler(args)
    return code


def _build_parser(*, run_only: bool = False) -> argparse.ArgumentParser:
    """Every command's parser; ``run_only``: only `kiosk run`'s (see _dispatch)."""
    parser = Parser(prog="kiosk", description="Clinic waiting-room health-information kiosk.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="start the kiosk")
    run.add_argument("--content", type=Path, default=None, help="content folder (default: bundled)")
    add_config_option(run)
    mode = run.add_mutually_exclusive_group()
    mode.add_argument("--windowed", action="store_true", help="a normal window that can be closed")
    mode.add_argument("--kiosk", action="store_true", help="locked, full screen, on top")
    run.add_argument("--verbose", action="store_true", help="log debug messages too")
    run.set_defaults(handler=_run)
    if run_only:
        return parser

    content = commands.add_parser("content", help="check and manage content packs")
    content_commands = content.add_subparsers(
        dest="content_command", required=True, metavar="ACTION"
    )
    validate = content_commands.add_parser(
        "validate", help="check a content folder and list every problem with its file and line"
    )
    validate.add_argument("path", type=Path, help="the content folder (the one with pack.toml)")
    validate.add_argument("--json", action="store_true", help="print the result as JSON")
    validate.set_defaults(handler=_validate)

    preview = content_commands.add_parser(
        "preview", help="open the kiosk in a window on a content folder; reloads on every save"
    )
    preview.add_argument("path", type=Path, help="the content folder (the one with pack.toml)")
    add_config_option(preview)
    preview.set_defaults(handler=_preview)

    # Command groups that live in their own modules add themselves here.
    for module in _COMMAND_MODULES:
        importlib.import_module(module).add_commands(commands, content_commands)

    search = commands.add_parser("search", help="search the content as the term browser does")
    search.add_argument("query", help="what a patient would type")
    search.add_argument(
        "--content", type=Path, default=None, help="content folder (default: bundled)"
    )
    search.add_argument("--locale", default=None, help="language code, e.g. en or es")
    search.add_argument(
        "--limit",
        type=number("a whole number of results", least=0, above=True, most=1_000_000, example="10"),
        default=10,
        help="how many results (default 10)",
    )
    search.add_argument("--json", action="store_true", help="print the results as JSON")
    search.set_defaults(handler=_search)

    set_pin = commands.add_parser(
        "set-pin",
        help="set the staff PIN that unlocks the kiosk (reads it from the terminal or stdin)",
    )
    add_config_option(set_pin)
    set_pin.set_defaults(handler=_set_pin)
    return parser


def _run(args: argparse.Namespace) -> int:
    config = config_from(args)
    if config is None:
        return EXIT_USAGE
    if args.content is not None and not (args.content / "pack.toml").is_file():
        print(f"kiosk: --content {args.content}: no pack.toml there", file=sys.stderr)
        return EXIT_USAGE
    # Qt is imported only here, so content commands work on machines with no display;
    # the modules without Qt come first (kiosk.before_qt).
    import kiosk.before_qt  # noqa: F401
    from kiosk.ui.app import RunOptions, run_kiosk

    locked = args.kiosk or (config.locked and not args.windowed)
    return run_kiosk(config, RunOptions(args.content, locked, args.verbose))


def _preview(args: argparse.Namespace) -> int:
    if not args.path.is_dir():
        print(f"kiosk: {args.path}: no such folder", file=sys.stderr)
        return EXIT_USAGE
    config = config_from(args)
    if config is None:
        return EXIT_USAGE
    from kiosk.ui.app import run_preview

    return run_preview(config, args.path)


def _validate(args: argparse.Namespace) -> int:
    from kiosk.core.content.loader import load_pack
    from kiosk.core.packs.folder import content_files
    from kiosk.core.terminal import printable, printable_json

    result = load_pack(args.path)
    problems = list(result.problems)
    # Every file a build would pack, checked by the build's own rule: what validate
    # accepts builds (a name that differs from another only in case, a named pipe, ...).
    content_files(args.path, problems)
    problems.sort(key=lambda p: (p.file, p.line, p.message))
    errors = [p for p in problems if p.severity is Severity.ERROR]
    warnings = [p for p in problems if p.severity is Severity.WARNING]
    if args.json:
        report = {
            "ok": not errors,
            "articles": len(result.articles),
            "problems": [p.as_dict() for p in problems],
            "details": [
                {
                    "file": a.source_file,
                    "locale": a.locale,
                    "slug": a.slug,
                    "sections": len(a.sections),
                    "grade": a.grade,
                }
                for a in result.articles
            ],
        }
        # Names and texts from the folder, as everywhere, are never escape codes.
        print(printable_json(json.dumps(report, indent=2, ensure_ascii=False)))
        return EXIT_PROBLEMS if errors else EXIT_OK
    for article in sorted(result.articles, key=lambda a: a.source_file):
        grade = f", reading grade {article.grade:.1f}" if article.grade is not None else ""
        print(printable(f"{article.source_file}: {len(article.sections)} sections{grade}"))
    for problem in problems:
        print(printable(str(problem)))
    print(_summary(result, len(errors), len(warnings)))
    return EXIT_PROBLEMS if errors else EXIT_OK


def _summary(result: LoadResult, errors: int, warnings: int) -> str:
    per_locale: dict[str, int] = {}
    for article in result.articles:
        per_locale[article.locale] = per_locale.get(article.locale, 0) + 1
    locales = ", ".join(f"{loc}: {n}" for loc, n in sorted(per_locale.items())) or "none read"
    sections = sum(len(a.sections) for a in result.articles)
    verdict = "OK" if not errors else "NOT USABLE: fix the errors above"
    return (
        f"{len(result.articles)} articles ({locales}), {sections} sections, "
        f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}: {verdict}"
    )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _search(args: argparse.Namespace) -> int:
    from kiosk.core.content.loader import load_pack
    from kiosk.core.search.index import SearchIndex
    from kiosk.core.search.query import QUERY_MAX_CHARS
    from kiosk.core.terminal import printable, printable_json

    # Composed first: "e" and a combining accent are one letter on screen.
    if len(unicodedata.normalize("NFC", args.query)) > QUERY_MAX_CHARS:
        print(
            f"kiosk: the query has {len(args.query):,} characters; search reads at most "
            f"{QUERY_MAX_CHARS}, as many as the kiosk's search box holds",
            file=sys.stderr,
        )
        return EXIT_USAGE
    root = args.content or bundled_content()
    result = load_pack(root)
    if result.pack is None:
        errors = sum(1 for p in result.problems if p.severity is Severity.ERROR)
        print(
            f"kiosk: {root}: content has {_plural(errors, 'error')}; "
            f"run 'kiosk content validate {root}' to see them",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    locale = args.locale or result.pack.info.default_locale
    if locale not in result.pack.info.locales:
        print(
            f"kiosk: --locale {locale}: this pack has {', '.join(result.pack.info.locales)}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    index = SearchIndex.build(result.pack)
    hits = index.search(args.query, locale, limit=int(args.limit))
    if args.json:
        print(printable_json(json.dumps([h.as_dict() for h in hits], ensure_ascii=False)))
        return EXIT_OK
    if not hits:
        print("no results")
    for rank, hit in enumerate(hits, start=1):
        print(printable(f"{rank:2d}. {hit.title} ({hit.kind}, {hit.slug})  score {hit.score:g}"))
    return EXIT_OK


def _set_pin(args: argparse.Namespace) -> int:
    path: Path = args.config or default_config_path()
    try:
        if path.exists():
            # A broken file is reported before the PIN is asked for; a malformed
            # admin_pin_hash is what this command repairs.
            load_config(path, replacing="admin_pin_hash")
        pin, problem = _read_new_pin()
        if problem:
            print(f"kiosk: {problem}; nothing was saved", file=sys.stderr)
            return EXIT_USAGE
        set_config_value(path, "admin_pin_hash", json.dumps(hash_pin(pin)))
        load_config(path, must_exist=True)
    except (ConfigError, OSError) as err:
        print(f"kiosk: {one_line(err)}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"Admin PIN saved in {path}")
    return EXIT_OK


def _read_new_pin() -> tuple[str, str]:
    """The new PIN and "" or ("", the problem). Twice from a terminal, once from a pipe."""
    try:
        if sys.stdin.isatty():
            pin = getpass.getpass("New admin PIN (4 to 12 digits): ")
            if getpass.getpass("The same PIN again: ") != pin:
                return "", "the two PINs are not the same"
        else:
            pin = sys.stdin.readline().strip()
    except EOFError:
        pin = ""
    if not pin:
        return "", "no PIN was given"
    problem = pin_problem(pin)
    return ("", problem) if problem else (pin, "")
