"""One root for every problem a person can fix: ``except KioskError`` catches a staff
member's or an administrator's mistake, and never a bug.

Each module keeps its own error type next to the rule it enforces (ConfigError in
config.py, PackError in packs/format.py, ...), and each derives from KioskError rather
than ValueError: an ``except ValueError`` around a parse would otherwise catch a bug in
the parser together with the person's bad input, and show the bug as their mistake.

The message of every KioskError is one line a person can act on: what, where (a file,
a line, an address) and, where there is one, the fix.
"""

from __future__ import annotations


class KioskError(Exception):
    """A problem with what a person gave the kiosk: content, a pack, a key, a config."""


class UnreadableFileError(KioskError):
    """A file the kiosk itself made (a pack's catalogue or search index) that this
    version cannot read: another version's format, or damage. Callers fall back to
    rebuilding it from the content (kiosk/core/packs/source.py)."""
