"""Which build a kiosk may install: newer than every build it had, and not from the future.

A build number is the build's UTC time as the integer YYYYMMDDHHMMSS
(kiosk/core/packs/build.py), so a newer build has a higher number, and the kiosk refuses
a lower one as a downgrade: an old signed pack cannot be slipped back in. That makes the
clock of the computer that builds a pack part of the rule. A pack built while that clock
said 2099 would raise the bar to 2099, and every later pack would be "older". So:

* a pack built more than FUTURE_TOLERANCE after the kiosk's own clock is refused;
* a kiosk that installed a pack dated after its own clock (within the tolerance, or any
  before this rule) can forget that build number (``kiosk content reset-version``): the
  number is *forgiven*, the pack stays where it is, and the bar drops to the highest
  build dated no later than now. Within the tolerance too: a pack dated 16 hours ahead
  would otherwise hold every pack built today back until tomorrow, with no way out.

Only decisions here, no files: kiosk/core/packs/layout.py reads and writes ``state.json`` and
the links, and asks this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

# Clocks set to the wrong time zone are off by up to 14 hours (UTC+14), and a clock
# that drifts for months by minutes; neither is a wrong date. A day covers both, and a
# pack dated within it can hold later packs back by a day at most.
FUTURE_TOLERANCE = timedelta(days=1)
# Two computers' clocks differ by minutes: a pack built on one a few minutes fast is not
# "built with a wrong date" on the kiosk for those minutes (no warning, no reset-version
# advice); reset-version itself forgets any build dated after now.
CLOCK_DRIFT = timedelta(minutes=10)
SEEN_KEPT = 32  # installed builds remembered in state.json (a year of monthly packs, more)
_FORMAT = "%Y%m%d%H%M%S"


def build_number(when: datetime) -> int:
    """The build number of a build made at ``when``."""
    return int(when.astimezone(UTC).strftime(_FORMAT))


def _described(version: int) -> str:
    try:
        return datetime.strptime(str(version), _FORMAT).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:  # not a date: signed by a trusted key, but not by 'kiosk content build'
        return f"build number {version}"


def _now_text(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def is_from_the_future(version: int, now: datetime) -> bool:
    """True if build ``version`` is dated more than FUTURE_TOLERANCE after ``now``."""
    return version > build_number(now + FUTURE_TOLERANCE)


def is_after(version: int, now: datetime) -> bool:
    """True if build ``version`` is dated after ``now`` (by any amount): what
    reset-version forgets."""
    return version > build_number(now)


def future_problem(version: int, now: datetime) -> str | None:
    """Why build ``version`` may not be installed at ``now``; None if it may."""
    if not is_from_the_future(version, now):
        return None
    return (
        f"this pack says it was built on {_described(version)}, after the date on this kiosk "
        f"({_now_text(now)}); check the date on the computer that built it, rebuild the "
        "pack, and install it again (if this kiosk's own date is wrong, correct it first)"
    )


@dataclass(frozen=True)
class Floor:
    """What ``state.json`` holds: the highest build installed so far, the build
    numbers from the future that ``reset-version`` forgave (kept while a link names one),
    and the builds installed (the ``SEEN_KEPT`` highest): a reset falls back to the
    highest of these that is not from the future, not merely to what the links name (a
    build rolled back from was otherwise forgotten, and older packs came back in)."""

    highest: int = 0
    forgiven: frozenset[int] = field(default_factory=frozenset)
    seen: frozenset[int] = field(default_factory=frozenset)

    def bar(self, installed: Iterable[int]) -> int:
        """The build a new pack must beat: the links count too (a crash between moving
        them and writing state.json must not reopen the door to a downgrade), except
        the builds that were forgiven."""
        return max([self.highest, *(v for v in installed if v not in self.forgiven)])

    def after_install(self, version: int, before: Iterable[int], after: Iterable[int]) -> Floor:
        """The floor once ``version`` is installed: ``before`` and ``after`` are the
        builds the links named before and after. A forgiven build is kept only while a
        link still names it."""
        seen = sorted(self.seen | {version})[-SEEN_KEPT:]
        return Floor(max(self.bar(before), version), self.forgiven & set(after), frozenset(seen))

    def blocking(self, installed: Iterable[int], now: datetime) -> int | None:
        """The bar, if it is a build dated more than CLOCK_DRIFT after ``now`` (a kiosk
        held back, or locked out, until then); else None."""
        bar = self.bar(installed)
        return bar if is_after(bar, now + CLOCK_DRIFT) else None


def downgrade_problem(version: int, floor: Floor, installed: Iterable[int], now: datetime) -> str:
    """The one line that refuses build ``version``, not newer than ``floor.bar``, naming
    the way out."""
    linked = list(installed)
    bar = floor.bar(linked)
    if floor.blocking(linked, now) is not None:
        return (
            f"version {version} is older than installed {bar}, which is dated after the date "
            f"on this kiosk ({_now_text(now)}): its clock was wrong when it was built; run "
            "'kiosk content reset-version' (as root on a kiosk) to forget that build number, "
            "then install again"
        )
    if version == bar:
        return (
            f"version {version} is already installed (the highest so far); "
            "use --allow-downgrade to install it again"
        )
    return f"version {version} is older than installed {bar}; use --allow-downgrade"


def reset(floor: Floor, installed: Iterable[int], now: datetime) -> Floor | None:
    """The floor after forgetting every build number dated after ``now``; None if there
    is none. The packs stay installed: a forgiven build no longer raises the bar."""
    linked = set(installed)
    future = {v for v in linked if is_after(v, now)}
    if not (future - floor.forgiven) and not is_after(floor.highest, now):
        return None
    kept = [v for v in [floor.highest, *linked, *floor.seen] if not is_after(v, now)]
    seen = frozenset(v for v in floor.seen if not is_after(v, now))
    return Floor(max([0, *kept]), frozenset((floor.forgiven & linked) | future), seen)
