"""SHA-256 (FIPS 180-4) through the OpenSSL that ``cryptography`` already carries.

Why not ``hashlib``: it loads the system's libcrypto, a second OpenSSL beside the one
inside ``cryptography``, which the kiosk needs before its first frame anyway (the pack's
Ed25519 signature). The second copy cost 3.4 MB of resident memory at the first paint,
against a budget of 30 MB over a bare window (issue 14.6). Same algorithm, same digests
(tests/test_digest.py compares them with hashlib's). ``kiosk.core.pin`` keeps
``hashlib.scrypt``, imported when staff type a PIN, never at start-up.
"""

from __future__ import annotations

from typing import BinaryIO

from cryptography.hazmat.primitives import hashes

CHUNK_BYTES = 64 * 1024  # read at a time: a pack's bytes never all in memory at once


class Sha256:
    """A running SHA-256, fed with ``update``; ``hexdigest`` may be asked more than once."""

    def __init__(self, data: bytes = b"") -> None:
        self._hash = hashes.Hash(hashes.SHA256())
        if data:
            self._hash.update(data)

    def update(self, data: bytes) -> None:
        self._hash.update(data)

    def hexdigest(self) -> str:
        """64 lowercase hex digits of what was fed so far."""
        return self._hash.copy().finalize().hex()


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of ``data`` as 64 lowercase hex digits."""
    return Sha256(data).hexdigest()


def prefix_sha256(file: BinaryIO, end: int) -> str:
    """The SHA-256 of the first ``end`` bytes of ``file`` (a pack's bytes before its
    manifest: the archive digest), read from its start in chunks; ``file`` is left at
    ``end``. EOFError if it is shorter; OSError as the file raises it."""
    sha = Sha256()
    file.seek(0)
    left = end
    while left:
        chunk = file.read(min(CHUNK_BYTES, left))
        if not chunk:
            raise EOFError(f"{end - left:,} of {end:,} bytes")
        sha.update(chunk)
        left -= len(chunk)
    return sha.hexdigest()
