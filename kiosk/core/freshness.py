"""What staff are told of the content's freshness: kiosk.core.fleet.state works it out
from the fleet's last checks, the admin panel says it (in red when stale). Its own
module so that the pack store's watch can carry it without importing the fleet."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Freshness:
    """``stale``: the content may be out of date (the fleet has not confirmed it fresh
    for longer than the staff-set limit); ``last_confirmed``: when it last did, as
    "2026-12-01 10:00 UTC", or "" for never; ``problem``: what the last check said went
    wrong, or ""; ``accepted_expired``: the last expired USB stick staff took with the
    PIN ("2026-12-04 10:00 UTC: /media/usb/fleet, expired 2026-11-20"), or ""."""

    stale: bool = False
    last_confirmed: str = ""
    problem: str = ""
    accepted_expired: str = ""
