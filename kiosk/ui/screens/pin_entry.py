"""What the PIN pad holds and decides, apart from how it looks: the digits typed (kept
nowhere else), whether the keys work, and what a try came to. Plain Python: the
lockout itself is ``PinGuard``'s; this asks it."""

from __future__ import annotations

from enum import Enum

from kiosk.core.pin import PinGuard

MAX_DIGITS = 12
DIGITS = "0123456789"


class Try(Enum):
    """What OK came to."""

    NOT_COUNTED = "not counted"  # nothing typed, or the pad locked or unset
    ACCEPTED = "accepted"
    WRONG = "wrong"  # tries are left (``tries_left``)
    LOCKED = "locked"  # that was the last try: the pad is locked


class PinEntry:
    """The digits typed so far, cleared on every try."""

    def __init__(self, guard: PinGuard) -> None:
        self._guard = guard
        self._digits = ""

    @property
    def count(self) -> int:
        return len(self._digits)

    @property
    def configured(self) -> bool:
        return self._guard.configured

    @property
    def seconds_locked(self) -> int:
        return self._guard.seconds_locked()

    @property
    def tries_left(self) -> int:
        return self._guard.tries_left

    @property
    def usable(self) -> bool:
        """The keys work: a PIN is set and the pad is not locked."""
        return self._guard.configured and not self._guard.seconds_locked()

    def add(self, digit: str) -> bool:
        """Add one digit, if the pad is usable and not full; whether it was added."""
        if self.usable and len(self._digits) < MAX_DIGITS and len(digit) == 1 and digit in DIGITS:
            self._digits += digit
            return True
        return False

    def delete(self) -> None:
        self._digits = self._digits[:-1]

    def clear(self) -> None:
        self._digits = ""

    def submit(self) -> Try:
        """Check the digits (then forget them); an empty entry is not counted as a try."""
        if not self._digits or not self.usable:
            return Try.NOT_COUNTED
        pin, self._digits = self._digits, ""
        if self._guard.attempt(pin):
            return Try.ACCEPTED
        return Try.LOCKED if self._guard.seconds_locked() else Try.WRONG
