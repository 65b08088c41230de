"""What a kiosk knows of its fleet between checks, in ``<state>/fleet/fleet.json``:
when it last checked and last confirmed the repository fresh, until when that
confirmation holds, the pack it installed from it, and the last problem. The admin
panel and the health export read it; `kiosk fleet check` writes it (whole, in one
rename). Nothing in it is about a patient.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.core.files import read_regular, write_atomically
from kiosk.core.freshness import Freshness

FOLDER = "fleet"  # under the kiosk's state folder: the trusted metadata, downloads, this
FILE = "fleet.json"
# A time recorded this far ahead of the clock was recorded while the clock was wrong
# (less is rounding, or two processes' clocks read a moment apart).
CLOCK_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class FleetState:
    """Times are UTC, ISO 8601, or "" for never."""

    last_check: str = ""
    last_success: str = ""  # the repository confirmed fresh (a valid timestamp)
    fresh_until: str = ""  # when that timestamp expires
    last_install: str = ""
    installed_sha256: str = ""  # the pack installed from the fleet
    problem: str = ""  # the last check's, in one line; "" if it went well
    accepted_expired: str = ""  # the last expired USB stick staff took with the PIN
    root_version: str = ""  # of the fleet root trusted after the last good check: IT
    # knows every kiosk followed a key ceremony when each reports the new root's

    def checked(self, when: datetime, **changes: str) -> FleetState:
        return replace(self, last_check=when.isoformat(), **changes)

    def stale(self, now: datetime, limit_hours: int) -> bool:
        """Whether freshness has not been confirmed for longer than ``limit_hours`` (or
        ever): the admin panel says so in red, the health export reports it."""
        if not self.last_success:
            return True
        confirmed = datetime.fromisoformat(self.last_success)
        # A confirmation dated ahead of the clock came while the clock was wrong: when it
        # really was is unknown, so it vouches for nothing.
        return not -CLOCK_SLACK <= now - confirmed <= timedelta(hours=limit_hours)

    def due(self, now: datetime, every_minutes: int) -> bool:
        """Whether the next check should go out: ``every_minutes`` after the last, or at
        once when the last is dated ahead of the clock (a clock set back after running
        ahead would otherwise stop every check until it caught up)."""
        if not self.last_check:
            return True
        since = now - datetime.fromisoformat(self.last_check)
        return since < -CLOCK_SLACK or since >= timedelta(minutes=every_minutes)


def freshness(folder: Path, limit_hours: int, now: datetime | None = None) -> Freshness:
    """The fleet's freshness as this kiosk last saw it (``folder``: its fleet folder;
    ``limit_hours``: config ``fleet_stale_hours``). Patients keep seeing the last good
    pack either way (issue 17: stale content must not go unnoticed)."""
    state = read_state(folder)
    problem = state.problem
    if not state.last_check:
        problem = "no check has run yet (is kiosk-fleet.timer on?)"
    confirmed = ""
    if state.last_success:
        confirmed = f"{datetime.fromisoformat(state.last_success):%Y-%m-%d %H:%M} UTC"
    stale = state.stale(now or utc_now(), limit_hours)
    return Freshness(stale, confirmed, problem, state.accepted_expired)


def read_state(folder: Path) -> FleetState:
    """The state in ``folder`` (the kiosk's fleet folder); a fresh one if there is none
    or it cannot be read (it is only a record: the next check writes it again)."""
    try:
        data = json.loads(read_regular(folder / FILE, 64 * 1024))
        known = {k: str(v) for k, v in data.items() if k in FleetState.__dataclass_fields__}
        return FleetState(**known)
    except (OSError, ValueError, TypeError, AttributeError):
        return FleetState()


def write_state(folder: Path, state: FleetState) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    write_atomically(folder / FILE, (json.dumps(asdict(state), indent=1) + "\n").encode())


@contextlib.contextmanager
def check_lock(folder: Path) -> Iterator[bool]:
    """One fleet check at a time on a kiosk (the timer's and one typed by hand): yields
    True with the folder held (flock(2); the kernel lets go if the process dies), False
    at once if another check holds it. Two at once installed the same pack twice, and
    the loser recorded a failure that stayed. Raises OSError if the folder cannot be made."""
    import fcntl  # Linux: kiosks (the publishing commands never take this lock)

    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
