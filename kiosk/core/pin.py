"""The administrator PIN: stored only as a salted scrypt hash, with a lockout.

scrypt (from the standard library) is memory-hard, so a stolen config file does not
give the PIN away to a quick brute force of all 4-8 digit codes.
"""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Callable

from kiosk.core.errors import KioskError

_N, _R, _P = 2**14, 8, 1
MAX_TRIES = 5
LOCKOUT_SECONDS = 60.0


class PinError(KioskError):
    """A new PIN that is not one: the message is pin_problem's."""


def pin_problem(pin: str) -> str | None:
    """Why ``pin`` cannot be the admin PIN, or None: 4 to 12 of the digits 0-9 (not
    other scripts' digits, which str.isdigit accepts and the PIN pad cannot type)."""
    if not (pin.isascii() and pin.isdigit() and 4 <= len(pin) <= 12):
        return "the PIN must be 4 to 12 digits (0-9)"
    return None


def hash_pin(pin: str) -> str:
    """The salted scrypt hash of ``pin`` for the config file; PinError if it is not a
    PIN (pin_problem)."""
    if (problem := pin_problem(pin)) is not None:
        raise PinError(problem)
    salt = os.urandom(16)
    digest = _scrypt()(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return "$".join(["scrypt", str(_N), str(_R), str(_P), _b64(salt), _b64(digest)])


# hashlib.scrypt stays within OpenSSL's default memory limit (32 MB): it checks N * r up to
# 2**17 (this module's 2**14 * 8) and refuses N = 2**15 with r = 8. A hash beyond that
# could never be checked, and staff would be locked out without a word.
_SCRYPT_MAX_N_TIMES_R = 2**17


def is_pin_hash(stored: str) -> bool:
    """Whether ``stored`` is a hash as ``hash_pin`` writes it, one that ``verify_pin`` can
    check: ``scrypt$N$r$p$salt$digest`` (N a power of two, salt and digest in base64)."""
    parts = stored.split("$")
    if len(parts) != 6 or parts[0] != "scrypt":
        return False
    numbers, (salt, digest) = parts[1:4], parts[4:]
    if not all(n.isascii() and n.isdigit() for n in numbers):
        return False
    n, r, p = (int(x) for x in numbers)
    if n < 2 or n & (n - 1) or r < 1 or p < 1 or n * r > _SCRYPT_MAX_N_TIMES_R:
        return False
    try:
        salt_bytes = base64.b64decode(salt, validate=True)
        digest_bytes = base64.b64decode(digest, validate=True)
    except ValueError:
        return False
    return len(salt_bytes) >= 8 and len(digest_bytes) >= 16


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt()(
            pin.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    import hmac  # with hashlib, which it loads: see _scrypt

    return hmac.compare_digest(actual, expected)


def _scrypt() -> Callable[..., bytes]:
    """hashlib's scrypt, loaded when staff set or type a PIN: hashlib brings a second
    OpenSSL (kiosk.core.digest says why the start path goes without it)."""
    import hashlib  # noqa: TID251 -- the one user of hashlib; see kiosk.core.digest

    return hashlib.scrypt


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
