"""``kiosk fleet ...``: a fleet repository of signed packs through The Update Framework
(kiosk.core.fleet; docs/FLEET.md).

On the publishing computer: ``init`` makes the repository and its keys, ``publish``
adds a pack (for every kiosk or one clinic), ``refresh`` re-signs the timestamp (a
timer runs it daily), ``rotate-key`` replaces a role's key. On a kiosk: ``trust``
takes the repository's first root, ``check`` looks for a new pack and installs it
(a timer runs it; the kiosk shows the pack at its next idle reset).

Imports python-tuf only when a fleet command runs (kiosk.cli's rule).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from kiosk.cli_common import (
    add_config_option,
    add_download_limits,
    config_from,
    number,
    one_line,
)
from kiosk.core.config import (
    CLINIC_NAME,
    ConfigError,
    default_config_path,
    load_config,
    set_config_value,
)
from kiosk.core.files import write_atomically

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
# A key ceremony gathers the root keys' holders: more than nine is no fleet of kiosks.
_KEYS = number("a whole number of keys", least=1, most=9, example="3")


def add_commands(commands: Any, content_commands: Any) -> None:
    fleet = commands.add_parser(
        "fleet", help="a fleet of kiosks: signed packs from a web server or USB stick (TUF)"
    )
    sub = fleet.add_subparsers(dest="fleet_command", required=True, metavar="COMMAND")
    init = sub.add_parser("init", help="make a new fleet repository and its keys")
    init.add_argument("repo", type=Path, help="a new, empty folder for the repository")
    _keys_option(init)
    init.add_argument("--root-keys", type=_KEYS, default=3, help="root keys to make (default 3)")
    init.add_argument(
        "--threshold", type=_KEYS, default=2, help="root keys that must sign a root (default 2)"
    )
    publish = sub.add_parser("publish", help="add a built .kpack to the repository")
    publish.add_argument("repo", type=Path)
    publish.add_argument("pack", type=Path, help="a .kpack that 'kiosk content build' made")
    publish.add_argument("--clinic", help="only for this clinic's kiosks (fleet_clinic)")
    _keys_option(publish)
    refresh = sub.add_parser("refresh", help="re-sign the timestamp: kiosks see it is alive")
    refresh.add_argument("repo", type=Path)
    _keys_option(refresh)
    rotate = sub.add_parser("rotate-key", help="replace a role's key (a key ceremony)")
    rotate.add_argument("repo", type=Path)
    rotate.add_argument("role", help="targets, snapshot, timestamp, root-N or clinic-NAME")
    _keys_option(rotate)
    trust = sub.add_parser("trust", help="on a kiosk: trust a repository's first root")
    trust.add_argument("root", type=Path, help="the repository's metadata/1.root.json")
    trust.add_argument(
        "--repository",
        metavar="URL_OR_FOLDER",
        help="and take packs from this repository from now on (kiosk.toml's 'fleet')",
    )
    trust.add_argument("--clinic", help="this kiosk's clinic (kiosk.toml's 'fleet_clinic')")
    add_config_option(trust)
    check = sub.add_parser("check", help="on a kiosk: look for a new pack and install it")
    check.add_argument("--now", action="store_true", help="even if not due yet")
    check.add_argument(
        "--from",
        dest="source",
        metavar="FOLDER",
        help="this fleet repository (a USB stick's folder) instead of kiosk.toml's 'fleet'",
    )
    check.add_argument(
        "--accept-expired",
        action="store_true",
        help="take a USB stick whose timestamp has expired (air-gapped sites); asks for "
        "the staff PIN, and is logged",
    )
    check.add_argument(
        "--timer",
        action="store_true",
        help="as kiosk-fleet.timer runs it: a kiosk with no 'fleet' set does nothing",
    )
    add_download_limits(check)
    add_config_option(check)
    fleet.set_defaults(handler=_fleet)


def _keys_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--keys",
        type=Path,
        action="append",
        required=True,
        help="a folder of the fleet's key files (give it again for each USB stick)",
    )


def _fleet(args: argparse.Namespace) -> int:
    from kiosk.core.errors import KioskError

    try:
        return int(_HANDLERS[args.fleet_command](args))
    except (KioskError, OSError) as err:
        print(f"kiosk: fleet {args.fleet_command}: {one_line(err)}", file=sys.stderr)
        return EXIT_PROBLEMS


def _init(args: argparse.Namespace) -> int:
    from kiosk.core.fleet.repository import FleetRepository

    repo = FleetRepository.create(
        args.repo, args.keys[0], root_keys=args.root_keys, threshold=args.threshold
    )
    print(
        f"Made the fleet repository {repo.folder} and its keys in {args.keys[0]}. "
        f"Copy the root-N.key files to USB sticks kept apart, then delete them here; "
        f"give each kiosk {repo.metadata / '1.root.json'} (kiosk fleet trust)."
    )
    return EXIT_OK


def _publish(args: argparse.Namespace) -> int:
    from kiosk.core.fleet.repository import FleetRepository, Keys
    from kiosk.core.packs.verify import peek_manifest

    manifest = peek_manifest(args.pack)  # a .kpack, or one line saying what it is not
    target = FleetRepository(args.repo).publish(args.pack, Keys(tuple(args.keys)), args.clinic)
    print(f"Published {args.pack} (build {manifest.version}) as {target} in {args.repo}.")
    return EXIT_OK


def _refresh(args: argparse.Namespace) -> int:
    from kiosk.core.fleet.repository import FleetRepository, Keys

    repo = FleetRepository(args.repo)
    repo.refresh(Keys(tuple(args.keys)))
    expires = repo.latest("timestamp").signed.expires
    print(f"Refreshed {args.repo}: kiosks see it fresh until {expires:%Y-%m-%d %H:%M} UTC.")
    return EXIT_OK


def _rotate(args: argparse.Namespace) -> int:
    from kiosk.core.fleet.repository import FleetRepository, Keys
    from kiosk.core.fleet.rotation import rotate_key

    made = rotate_key(FleetRepository(args.repo), args.role, Keys(tuple(args.keys)))
    print(f"The {args.role} key is now {made}; kiosks follow on their next check.")
    return EXIT_OK


def _trust(args: argparse.Namespace) -> int:
    from kiosk.core.fleet.client import trust_root
    from kiosk.core.fleet.state import FOLDER

    config = config_from(args)
    if config is None:
        return EXIT_USAGE
    if args.clinic is not None and not CLINIC_NAME.match(args.clinic):
        print(
            f"kiosk: fleet trust: clinic name {args.clinic!r}: use lowercase letters, digits "
            "and hyphens (up to 40), as the fleet's publisher named it; nothing was changed",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if not args.root.is_file():
        say = f"kiosk: fleet trust: {args.root}: no such file; give the repository's "
        print(say + "metadata/1.root.json (from its USB stick or the setup)", file=sys.stderr)
        return EXIT_USAGE
    version = trust_root(config.state_dir / FOLDER, args.root)
    print(f"This kiosk now trusts the fleet root {args.root} (version {version}).")
    if args.repository is None and config.fleet:
        print(f"It checks {config.fleet} (fleet in kiosk.toml): give --repository if "
              "that is not this root's repository.")  # fmt: skip
    # The settings after the root: a kiosk never names a repository it cannot check.
    repository = args.repository
    if repository and "://" not in repository:
        repository = str(Path(repository).resolve())  # the timer runs elsewhere
    settings = {"fleet": repository, "fleet_clinic": args.clinic}
    for key, value in settings.items():
        if value is None:
            continue
        path = args.config or default_config_path()
        before = path.read_bytes() if path.is_file() else None
        mode = path.stat().st_mode & 0o777 if before is not None else 0o600
        try:
            set_config_value(path, key, json.dumps(value))
            load_config(path, must_exist=True)
        except ConfigError as err:
            if before is not None:  # the settings as they were: nothing half-changed
                write_atomically(path.resolve(), before, mode=mode)
            print(f"kiosk: {one_line(err)}", file=sys.stderr)
            return EXIT_USAGE
        except OSError as err:
            say = f"kiosk: {err.filename or path}: cannot write it ({err.strerror})"
            print(say, file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"{key} = {json.dumps(value)} in {path}")
    if args.repository:
        print(
            "The kiosk looks there within 5 minutes (kiosk-fleet.timer); "
            "to look now: kiosk fleet check --now"
        )
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from kiosk.core.fleet.state import FOLDER, check_lock

    config = config_from(args)
    if config is None:
        return EXIT_USAGE
    source = args.source or config.fleet
    if not source and args.timer:
        return EXIT_OK  # a kiosk that takes its packs by hand (docs/ADMIN.md)
    if not source:
        where = config.source or "kiosk.toml"
        print(f"kiosk: {where}: no 'fleet' set; see docs/FLEET.md", file=sys.stderr)
        return EXIT_USAGE
    folder = config.state_dir / FOLDER
    with check_lock(folder) as mine:
        if not mine:  # the timer's check and one typed by hand, or two by hand
            if not args.timer:
                print("kiosk: fleet check: another check is running; try again when it "
                      "has finished", file=sys.stderr)  # fmt: skip
            return EXIT_OK if args.timer else EXIT_PROBLEMS
        return _check_alone(args, config, source, folder)


def _check_alone(args: argparse.Namespace, config: Any, source: str, folder: Path) -> int:
    """The check, with the fleet folder to itself (see _check)."""
    from kiosk.core.fleet.client import FleetError, StaleError, check
    from kiosk.core.fleet.state import read_state, utc_now, write_state

    now = utc_now()
    state = read_state(folder)
    if not (args.now or args.source or args.accept_expired) and not state.due(
        now, config.fleet_check_minutes
    ):
        if not args.timer:  # someone at the keyboard: say why nothing happened
            last = datetime.fromisoformat(state.last_check)
            after = last + timedelta(minutes=config.fleet_check_minutes)
            print(
                f"Not due: checked at {last:%H:%M} UTC; the next check after {after:%H:%M} "
                "UTC (fleet_check_minutes); add --now to check now"
            )
        return EXIT_OK
    if args.accept_expired and (problem := _staff_pin_problem(config.admin_pin_hash)):
        print(f"kiosk: fleet check: {problem}; nothing was installed", file=sys.stderr)
        return EXIT_PROBLEMS
    try:
        found = check(
            source, folder, config.fleet_clinic, accept_expired=args.accept_expired,
            deadline_s=args.deadline, min_rate=args.min_rate * 1000,
        )  # fmt: skip
    except FleetError as err:
        write_state(folder, state.checked(now, problem=one_line(err)))
        said = one_line(err)
        if isinstance(err, StaleError) and "://" not in source:
            said += (
                f"; at a site with no network, staff can take it anyway: "
                f"kiosk fleet check --from {source} --accept-expired (asks for the PIN)"
            )
        print(f"kiosk: fleet check: {said}", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.accept_expired:
        # Not fresh: the kiosk goes on reporting stale content. What staff did is kept.
        accepted = f"{now:%Y-%m-%d %H:%M} UTC: {source}, expired {found.fresh_until:%Y-%m-%d}"
        _log_for_it(f"fleet: an expired repository was accepted with the staff PIN ({accepted})")
        state = state.checked(now, problem="", accepted_expired=accepted)
    else:
        state = state.checked(
            now, last_success=now.isoformat(), fresh_until=found.fresh_until.isoformat(),
            problem="",
        )  # fmt: skip
    state = replace(state, root_version=str(found.root_version))
    if found.pack is None or found.sha256 == state.installed_sha256:
        write_state(folder, state)
        if args.accept_expired:
            print(f"Nothing new on it; expired {found.fresh_until:%Y-%m-%d}: reported stale.")
        else:
            until = f"{found.fresh_until:%Y-%m-%d %H:%M}"
            print(f"Nothing new in the fleet; fresh until {until} UTC.")
        return EXIT_OK
    return _install(config, folder, state, found.pack, found.sha256 or "")


def _staff_pin_problem(stored: str) -> str:
    """Asks for the staff PIN (from a terminal, else one line of input); "" if it is
    right, else what is wrong."""
    import getpass

    from kiosk.core.pin import verify_pin

    if not stored:
        return "no staff PIN is set on this kiosk ('kiosk set-pin')"
    try:
        pin = getpass.getpass("Staff PIN: ") if sys.stdin.isatty() else sys.stdin.readline()
    except EOFError:
        pin = ""
    if not verify_pin(pin.strip(), stored):
        _log_for_it("fleet: a wrong staff PIN was given to accept an expired repository")
        return "that is not the staff PIN"
    return ""


def _log_for_it(message: str) -> None:
    """One line in the system journal (``journalctl -t kiosk``), whoever runs this."""
    import syslog

    syslog.openlog("kiosk", 0, syslog.LOG_USER)
    syslog.syslog(syslog.LOG_WARNING, message)
    print(message, file=sys.stderr)


def _install(config: Any, folder: Path, state: Any, pack: Path, sha256: str) -> int:
    from kiosk.core.errors import KioskError
    from kiosk.core.fleet.state import utc_now, write_state
    from kiosk.core.packs.store import Store

    store = Store(config.store_dir)
    try:
        result = store.install(pack, config.trusted_keys)
    except (KioskError, OSError) as err:
        if _already_current(store, pack, config.trusted_keys):  # e.g. from a USB stick
            write_state(folder, replace(state, installed_sha256=sha256))
            print("Nothing new: the fleet's pack is the one installed here.")
            return EXIT_OK
        said = one_line(err)
        if "--allow-downgrade" in said:  # the store's words are for `content install`
            said = said.split("; use --allow-downgrade")[0] + (
                "; the fleet's pack must be a newer build: build the content again and "
                "publish it (kiosk content build, kiosk fleet publish)"
            )
        write_state(folder, replace(state, problem=f"not installed: {said}"))
        print(f"kiosk: fleet check: not installed: {said}", file=sys.stderr)
        return EXIT_PROBLEMS
    write_state(folder, replace(state, last_install=utc_now().isoformat(), installed_sha256=sha256))
    print(
        f"Installed build {result.installed.version} from the fleet; the kiosk shows it at "
        "its next idle reset."
    )
    return EXIT_OK


def _already_current(store: Any, pack: Path, trusted_keys: Any) -> bool:
    """Whether ``pack`` is the build the store shows (installed by hand meanwhile)."""
    from kiosk.core.errors import KioskError
    from kiosk.core.packs.verify import verify_pack

    current = store.status().current
    try:
        return current is not None and verify_pack(pack, trusted_keys).manifest.version == (
            current.version
        )
    except (KioskError, OSError):
        return False


_HANDLERS = {
    "init": _init,
    "publish": _publish,
    "refresh": _refresh,
    "rotate-key": _rotate,
    "trust": _trust,
    "check": _check,
}
