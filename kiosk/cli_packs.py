"""Signed content packs from the command line: keygen, trust, build, install, status, rollback.

Imports no Qt. Every failure ends with one line on stderr and a non-zero exit.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from kiosk.cli_common import (
    add_config_option,
    add_download_limits,
    ask_line,
    new_passphrase,
    number,
    one_line,
    output_problem,
    say,
)
from kiosk.core.config import (
    ConfigError,
    KioskConfig,
    default_config_path,
    load_config,
    set_config_value,
)
from kiosk.core.content.problems import Problem
from kiosk.core.files import kind_of
from kiosk.core.packs.format import BuildError, PackError
from kiosk.core.packs.signing import (
    SigningError,
    check_public_key,
    generate_keypair,
    load_public_key_file,
)
from kiosk.core.packs.status import InstalledPack, StoreError
from kiosk.core.packs.store import Store

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
DEFAULT_MAX_MB = 200
DEFAULT_TIMEOUT_S = 30.0
# What the options accept: zero, negatives, inf and nan are refused in one line, and so
# is more than is any use (a per-read --timeout of 1e10 s overflowed the socket's clock;
# a day is more than a download ever needs).
_MAX_MB = number("a number of MB", least=0, above=True, most=1_000_000, example="200")
_TIMEOUT = number("a number of seconds", least=0, above=True, most=86_400, example="30")

# Errors worded for people by the core; anything else is a bug and may show a traceback.
_EXPECTED = (ConfigError, SigningError, PackError, StoreError, BuildError)

_SubParsers = Any  # argparse's _SubParsersAction is private
_GIVE_O = "give a file name with -o"


def add_commands(commands: _SubParsers, content_commands: _SubParsers) -> None:
    keygen = commands.add_parser(
        "keygen", help="make a key pair for signing content packs (keep the .key file secret)"
    )
    keygen.add_argument("--out", type=Path, required=True, help="folder for the two key files")
    keygen.add_argument(
        "--passphrase",
        action="store_true",
        help="protect the private key with a passphrase (asked for twice; 8 characters or more)",
    )
    keygen.set_defaults(handler=_keygen)

    trust = content_commands.add_parser(
        "trust", help="accept packs signed with this public key (adds it to trusted_keys)"
    )
    trust.add_argument(
        "public_key", metavar="PUBLIC_KEY", help="a .pub.txt key file (or the key text itself)"
    )
    add_config_option(trust)
    trust.set_defaults(handler=_trust)

    build = content_commands.add_parser(
        "build", help="check, index and sign a content folder into one .kpack file"
    )
    build.add_argument("path", type=Path, help="the content folder (the one with pack.toml)")
    build.add_argument("-o", "--out", type=Path, required=True, help="the .kpack file to write")
    build.add_argument("--key", type=Path, required=True, help="the private signing key file")
    build.set_defaults(handler=_build)

    install = content_commands.add_parser(
        "install", help="verify a .kpack and make it the pack the kiosk shows"
    )
    install.add_argument(
        "source", metavar="SOURCE", help="a .kpack file, a folder holding .kpack files, or a URL"
    )
    add_config_option(install)
    install.add_argument(
        "--allow-downgrade", action="store_true", help="install even if it is not newer"
    )
    install.add_argument(
        "--max-mb",
        type=_MAX_MB,
        default=DEFAULT_MAX_MB,
        help=f"largest download accepted, in MB (default {DEFAULT_MAX_MB})",
    )
    install.add_argument(
        "--timeout",
        type=_TIMEOUT,
        default=DEFAULT_TIMEOUT_S,
        help=f"seconds to wait for the server (default {DEFAULT_TIMEOUT_S:g})",
    )
    add_download_limits(install)
    install.set_defaults(handler=_install)

    status = content_commands.add_parser(
        "status", help="which pack is installed, its signer, and articles due for review"
    )
    add_config_option(status)
    status.set_defaults(handler=_status)

    rollback = content_commands.add_parser(
        "rollback", help="go back to the previously installed pack"
    )
    add_config_option(rollback)
    rollback.set_defaults(handler=_rollback)

    reset_version = content_commands.add_parser(
        "reset-version",
        help="forget a build number from the future (a pack built with a wrong clock) that "
        "makes every new pack 'older'; the pack shown stays",
    )
    add_config_option(reset_version)
    reset_version.set_defaults(handler=_reset_version)


def _fail(message: object, code: int = EXIT_PROBLEMS) -> int:
    say(f"kiosk: {one_line(message)}", file=sys.stderr)
    return code


def _config(args: argparse.Namespace) -> KioskConfig:
    return load_config(args.config, must_exist=args.config is not None)


# --- keygen and trust ------------------------------------------------------------------


def _keygen(args: argparse.Namespace) -> int:
    if args.out.exists() and not args.out.is_dir():
        what = "a file" if args.out.is_file() else kind_of(args.out.stat().st_mode)
        return _fail(
            f"{args.out}: it is {what}, not a folder; give a folder with --out", EXIT_USAGE
        )
    passphrase = None
    if args.passphrase:
        passphrase, problem = new_passphrase()
        if problem:
            return _fail(problem, EXIT_USAGE)
    try:
        private_path, public_path = generate_keypair(args.out, passphrase)
        key = load_public_key_file(public_path)
    except _EXPECTED as err:
        return _fail(err)
    print(f"Private key: {private_path} (keep it secret: whoever has it can sign packs)")
    print(f"Public key:  {public_path} (give it to each kiosk: kiosk content trust FILE)")
    print(f"Key id: {check_public_key(key)}")
    return EXIT_OK


def _trust(args: argparse.Namespace) -> int:
    path: Path = args.config or default_config_path()
    try:
        key = _public_key_argument(args.public_key)
        ident = check_public_key(key)
        config = load_config(path) if path.exists() else KioskConfig()
        if key in config.trusted_keys:
            print(f"Key {ident} is already trusted in {path}")
            return EXIT_OK
        set_config_value(path, "trusted_keys", json.dumps([*config.trusted_keys, key]))
        load_config(path, must_exist=True)
    except _EXPECTED as err:
        return _fail(err)
    except OSError as err:
        return _fail(f"{err.filename or path}: cannot write it ({err.strerror})")
    print(f"Trusted key {ident} in {path}; packs it signs can now be installed")
    return EXIT_OK


def _public_key_argument(argument: str) -> str:
    """A public key file, or (when no such file exists) the key text itself."""
    path = Path(argument)
    if not path.exists() and not path.is_symlink():
        try:
            check_public_key(argument)
        except SigningError:
            pass
        else:
            return argument.strip()
    return load_public_key_file(path)


# --- build -----------------------------------------------------------------------------


def _build(args: argparse.Namespace) -> int:
    refused = output_problem(args.out)
    if refused:  # before the work; the pack is then written to a new file renamed over -o
        return _fail(f"{args.out}: cannot write the pack there ({refused}); {_GIVE_O}", EXIT_USAGE)

    def report(problem: Problem) -> None:
        say(problem)  # a reader gone (| head) must not stop the build

    # The builder reaches the loader, the Markdown pipeline and the index writer: `kiosk
    # run` registers this command too, and must not load them before its first frame.
    from kiosk.core.packs.build import build_pack
    from kiosk.core.packs.signing import PassphraseNeededError

    try:
        try:
            manifest = build_pack(args.path, args.out, args.key, report=report)
        except PassphraseNeededError:  # a key protected by one: asked once (ADMIN.md)
            secret = ask_line(f"Passphrase for {args.key}: ")
            manifest = build_pack(args.path, args.out, args.key, report=report, passphrase=secret)
    except BuildError as err:  # each problem (none for a wrong clock), then what it means
        for each in err.problems:
            say(each)
        return _fail(err)
    except _EXPECTED as err:
        return _fail(err)
    except OSError as err:
        return _fail(f"cannot write {args.out}: {err.strerror or err}")
    files = len(manifest.files)
    say(
        f"Built {args.out}: pack {manifest.pack_id}, content version {manifest.content_version}, "
        f"build {manifest.version}, {files} files, signed by {manifest.signer}"
    )
    return EXIT_OK


# --- install, status, rollback ---------------------------------------------------------


def _install(args: argparse.Namespace) -> int:
    # Imported here: the kiosk itself (`kiosk run`) never downloads, so it never pays
    # for urllib and http.client at start-up.
    from kiosk.core.packs.fetch import FetchError, resolve_source

    # The options' types (cli_common.number) refused zero, negatives, inf and nan.
    kpack: Path | None = None
    try:
        config = _config(args)
        store = Store(config.store_dir)
        with tempfile.TemporaryDirectory(prefix="kiosk-install-") as work:
            kpack = resolve_source(
                args.source,
                Path(work),
                int(args.max_mb * 1_000_000),
                args.timeout,
                config.trusted_keys,
                deadline_s=args.deadline,
                min_rate=args.min_rate * 1000,
            )
            result = store.install(kpack, config.trusted_keys, args.allow_downgrade)
    except (*_EXPECTED, FetchError, OSError) as err:
        text = str(err)
        if isinstance(err, OSError):
            text = f"{err.filename or args.source}: {err.strerror or err}"
        if kpack is not None and _is_url(args.source):
            # A download is a temporary file, gone by now: name the address typed.
            text = text.replace(str(kpack), args.source)
        return _fail(text)
    m = result.manifest
    origin = args.source if _is_url(args.source) else kpack
    say(
        f"Installed pack {m.pack_id} build {m.version} (content version {m.content_version}, "
        f"built {m.built}, signed by {result.signer}) from {origin}"
    )
    say(f"Store: {store.root}")
    if result.previous is not None:
        print(f"Previous: build {result.previous.version} (kept for 'kiosk content rollback')")
    if result.downgrade:
        print("Note: this is not newer than what was installed (--allow-downgrade)")
    print("A running kiosk switches to it at its next idle reset.")
    return EXIT_OK


def _is_url(source: str) -> bool:
    return "://" in source


def _describe(pack: InstalledPack) -> str:
    return (
        f"pack {pack.pack_id} build {pack.version} (content version {pack.content_version}), "
        f"built {pack.built}, signed by {pack.signer}"
    )


def _status(args: argparse.Namespace) -> int:
    try:
        config = _config(args)
        store = Store(config.store_dir)
        # A store on a disk that is not mounted said "Installed: none" (exit 0), and sent
        # staff the wrong way (newcomer). Checked, not made: nothing through a link.
        if store.root.exists() or store.root.is_symlink():
            problem = store.check_root()
            if problem is not None:
                return _fail(f"cannot use the store at {store.root}: {problem}")
        status = store.status()
    except _EXPECTED as err:
        return _fail(err)
    say(f"Store: {status.root}")
    if status.current is None:
        print("Installed: none (install one with 'kiosk content install SOURCE')")
        return EXIT_OK
    say(f"Installed: {_describe(status.current)}")
    if status.previous is not None:
        say(f"Previous: {_describe(status.previous)}")
    else:
        print("Previous: none")
    print(f"Highest version installed so far: {status.highest_version}")
    if status.blocking_future is not None:
        print(
            f"Warning: build {status.blocking_future} is dated after the date on this kiosk "
            f"({_now_text()}), so every new pack is refused as older; run "
            "'kiosk content reset-version' (as root on a kiosk)"
        )
    code = EXIT_OK
    try:
        Store.verify_installed(status.current.path, config.trusted_keys or None)
        print(f"Integrity: OK ({len(status.current.manifest.files)} files match the manifest)")
    except StoreError as err:
        say(f"Integrity: DAMAGED: {err}")
        code = EXIT_PROBLEMS
    _print_review(status.current)
    return code


def _print_review(pack: InstalledPack) -> None:
    today = date.today()
    from kiosk.core.content.loader import load_pack  # Markdown and YAML: only when asked for
    from kiosk.core.content.review import overdue

    result = load_pack(pack.content_dir, today=today)
    if result.pack is None:
        say(f"Review: the content in {pack.content_dir} does not load; it cannot be shown")
        return
    late = overdue(result.pack, today)
    if not late:
        print(f"Review: all {result.pack.article_count} articles are within their review date")
        return
    noun = "article is" if len(late) == 1 else "articles are"
    policy = result.pack.info.on_review_overdue.value
    print(f"Review: {len(late)} {noun} past review_due (on_review_overdue = {policy}):")
    for article in late:
        say(f"  {article.locale}/{article.slug}: {article.title} (due {article.review_due})")


def _rollback(args: argparse.Namespace) -> int:
    try:
        config = _config(args)
        status = Store(config.store_dir).rollback()
    except _EXPECTED as err:
        return _fail(err)
    assert status.current is not None
    say(f"Rolled back: current is now {_describe(status.current)}")
    if status.previous is not None:
        print(f"Previous: build {status.previous.version} (roll back again to return to it)")
    print("A running kiosk switches to it at its next idle reset.")
    return EXIT_OK


def _now_text() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _reset_version(args: argparse.Namespace) -> int:
    try:
        config = _config(args)
        forgotten, status = Store(config.store_dir).reset_version()
    except _EXPECTED as err:
        return _fail(err)
    if forgotten is None:
        print(
            "Nothing to reset: no build dated after the date on this kiosk "
            f"({_now_text()}) holds new packs back; highest version installed so far: "
            f"{status.highest_version}"
        )
        return EXIT_OK
    print(
        f"Forgot build {forgotten}: it is dated after the date on this kiosk ({_now_text()}) "
        "and no longer makes new packs 'older'"
    )
    print(f"Highest version installed so far: {status.highest_version}")
    if status.current is not None:
        say(f"Showing, unchanged: {_describe(status.current)}")
    print("Check the date on the computer that builds packs, rebuild, and install as usual.")
    return EXIT_OK
