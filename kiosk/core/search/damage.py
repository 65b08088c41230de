"""A damaged index: what SQLite says of one, and rows no build writes.

An installed pack's index is checked in the background; until then, damage means no
results (logged once by kiosk.core.search.index), never a crash. Any other error is a
bug, and raises.
"""

from __future__ import annotations

import sqlite3

from kiosk.core.errors import KioskError

# What SQLite says of a damaged (or altered) index file: bad pages, not a database, or
# a file it cannot read.
_DAMAGE_CODES = frozenset(
    (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN)
)


class IndexDamageError(KioskError):
    """The index file holds rows that no build writes (a value of the wrong type)."""


def is_damage(err: Exception) -> bool:
    """Whether ``err`` (an sqlite3.DatabaseError or IndexDamageError) means a damaged
    index file rather than a bug; SQLite's extended codes are matched on their low byte."""
    if isinstance(err, IndexDamageError):
        return True
    code = getattr(err, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in _DAMAGE_CODES


def check_row(row: tuple[object, ...], types: tuple[type, ...]) -> None:
    """Raise IndexDamageError unless the row's values have the types a build writes."""
    for value, kind in zip(row, types, strict=True):
        if not isinstance(value, kind):
            raise IndexDamageError(f"{value!r} where the index holds {kind.__name__}")
