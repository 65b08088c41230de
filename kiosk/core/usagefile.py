"""The usage counts' SQLite file (kiosk/core/stats.py): opened safely, its schema made
and checked, its counts read.

Schema 1: ``meta(key, value)`` holds ``schema_version``; ``views(day, locale, slug,
count)`` one row per article, language and day. Both are ``WITHOUT ROWID``, so no
rowid records the order articles were read in (see stats.py on privacy). A file of
another schema is not changed: it is an UnreadableFileError, and nothing is counted.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from pathlib import Path

from kiosk.core.errors import UnreadableFileError
from kiosk.core.files import check_regular, prepare_folder

SCHEMA_VERSION = 1
# The writer waits only briefly for a reader (kiosk stats export), then logs and goes on.
BUSY_TIMEOUT_S = 0.5

# (day, locale, slug, count)
DayCount = tuple[date, str, str, int]

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta("
    "key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS views("
    "day TEXT NOT NULL, locale TEXT NOT NULL, slug TEXT NOT NULL, count INTEGER NOT NULL, "
    "PRIMARY KEY(day, locale, slug)) WITHOUT ROWID",
)
_PRAGMAS = (
    "journal_mode = DELETE",  # never a WAL: it keeps page images in commit order
    "synchronous = FULL",
    "secure_delete = ON",
    "temp_store = MEMORY",
)


def open_usage_file(path: Path) -> sqlite3.Connection:
    """The counts file at ``path``, made (owner-only) if missing, its schema checked.

    Raises FolderError or NotARegularFileError (OSErrors) for a folder or file that
    cannot be used, UnreadableFileError for another schema, sqlite3.Error otherwise."""
    prepare_folder(path.parent)  # never through a link to an unmounted disk
    if path.exists():
        check_regular(path)  # SQLite would wait for ever on a named pipe
    # Counts only, but still nobody else's business: owner-only from the start.
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
    )
    try:
        for pragma in _PRAGMAS:
            conn.execute(f"PRAGMA {pragma}").fetchall()
        _create_schema(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _create_schema(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in _SCHEMA:
            conn.execute(statement)
        conn.execute(
            "INSERT OR IGNORE INTO meta(key, value) VALUES('schema_version', ?)",
            (str(SCHEMA_VERSION),),
        )
        (version,) = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if str(version) != str(SCHEMA_VERSION):
            raise UnreadableFileError(
                f"written by another kiosk version (schema {version}, this one {SCHEMA_VERSION})"
            )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def read_counts(conn: sqlite3.Connection, since: date | None) -> list[DayCount]:
    """Every count from ``since`` on (all if None), sorted by day, locale, slug."""
    cursor = conn.execute(
        "SELECT day, locale, slug, count FROM views WHERE day >= ? ORDER BY day, locale, slug",
        ((since or date.min).isoformat(),),
    )
    return [
        (date.fromisoformat(day), str(locale), str(slug), int(count))
        for day, locale, slug, count in cursor
    ]
