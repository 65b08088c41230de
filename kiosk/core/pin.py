"""The administrator PIN: stored only as a salted scrypt hash, with a lockout.

scrypt (from the standard library) is memory-hard, so a stolen config file does not
give the PIN away to a quick brute force of all 4-8 digit codes.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import time
from collections.abc import Callable

_N, _R, _P = 2**14, 8, 1
MAX_TRIES = 5
LOCKOUT_SECONDS = 60.0


def hash_pin(pin: str) -> str:
    if not (pin.isdigit() and 4 <= len(pin) <= 12):
        raise ValueError("the PIN must be 4 to 12 digits")
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return "$".join(["scrypt", str(_N), str(_R), str(_P), _b64(salt), _b64(digest)])


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            pin.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class PinGuard:
    """Counts wrong tries; after five, refuses every try for a minute."""

    def __init__(self, stored_hash: str, clock: Callable[[], float] = time.monotonic) -> None:
        self._stored = stored_hash
        self._clock = clock
        self._wrong = 0
        self._locked_until = 0.0

    @property
    def configured(self) -> bool:
        return bool(self._stored)

    def seconds_locked(self) -> int:
        """Whole seconds until the pad accepts tries again (0 if it does now)."""
        remaining = self._locked_until - self._clock()
        return max(0, int(remaining + 0.999))

    def attempt(self, pin: str) -> bool:
        if self.seconds_locked() > 0 or not self._stored:
            return False
        if verify_pin(pin, self._stored):
            self._wrong = 0
            return True
        self._wrong += 1
        if self._wrong >= MAX_TRIES:
            self._wrong = 0
            self._locked_until = self._clock() + LOCKOUT_SECONDS
        return False

    @property
    def tries_left(self) -> int:
        return MAX_TRIES - self._wrong
