"""What a kiosk knows of its fleet between checks, in ``<state>/fleet/fleet.json``:
when it last checked and last confirmed the repository fresh, until when that
confirmation holds, the pack it installed from it, and the last problem. The admin
panel and the health export read it; `kiosk fleet check` writes it (whole, in one
rename). Nothing in it is about a patient.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.core.files import read_regular, write_atomically
from kiosk.core.freshness import Freshness

FOLDER = "fleet"  # under the kiosk's state folder: the trusted metadata, downloads, this
FILE = "fleet.json"


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

    def checked(self, when: datetime, **changes: str) -> FleetState:
        return replace(self, last_check=when.isoformat(), **changes)

    def stale(self, now: datetime, limit_hours: int) -> bool:
        """Whether freshness has not been confirmed for longer than ``limit_hours`` (or
        ever): the admin panel says so in red, the health export reports it."""
        if not self.last_success:
            return True
        confirmed = datetime.fromisoformat(self.last_success)
        return now - confirmed > timedelta(hours=limit_hours)

    def due(self, now: datetime, every_minutes: int) -> bool:
        if not self.last_check:
            return True
        return now - datetime.fromisoformat(self.last_check) >= timedelta(minutes=every_minutes)


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


def utc_now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)
