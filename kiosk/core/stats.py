"""Usage counts: how many times each article was opened, per language, per day.

This is the only thing about patients that the kiosk writes to disk. A row is
``(day, locale, slug, count)``: no time of day, no sequence, no search text, no
session. Because ``record`` is called in the order a patient reads, the file is
also kept from revealing that order:

* the table is ``WITHOUT ROWID``, so there is no insertion-ordered rowid;
* ``rows()`` sorts by day, locale and slug;
* the journal is a rollback journal that is deleted after each commit, never a
  WAL (a WAL keeps every committed page image in commit order);
* a b-tree page places each new cell below the previous one, so the bytes of the
  file would show which article was opened first. Whenever a write moved a cell
  (a new row, or a count whose stored size grows), the file is rebuilt with
  ``VACUUM``, which lays rows out by key alone: two kiosks with the same counts
  have the same pages, whatever order the articles were read in. Increments that
  keep the cell's size are written in place and move nothing. Freed space is
  zeroed (``secure_delete``) and temporary data stays in memory.

``record`` never raises: a full disk or an unwritable folder logs one warning and
the kiosk goes on. Log messages never include a slug or locale that failed the
checks, since a bad value could be something a patient typed.
"""

from __future__ import annotations

import csv
import logging
import queue
import sqlite3
import threading
import time
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TextIO

from kiosk.core.content.identifiers import is_locale, is_slug
from kiosk.core.errors import UnreadableFileError
from kiosk.core.files import FolderError, NotARegularFileError
from kiosk.core.usagefile import DayCount, open_usage_file, read_counts

_log = logging.getLogger(__name__)

DB_FILE = "usage.sqlite"
DEFAULT_KEEP_DAYS = 400
CSV_HEADER = ("day", "locale", "slug", "count")
# A day's count below this is never exported: on a quiet day, "harm reduction: 1" says
# that one patient read it. Small cells are suppressed as public-health statistics do
# (e.g. CDC WONDER hides counts under 10); left out, such a day reads like no views.
SMALLEST_EXPORTED_COUNT = 5

_UPSERT = (
    "INSERT INTO views(day, locale, slug, count) VALUES(?, ?, ?, 1) "
    "ON CONFLICT(day, locale, slug) DO UPDATE SET count = count + 1 RETURNING count"
)
# SQLite stores an integer in 0 bytes (0 and 1), then 1, 2, 3, 4, 6 or 8 bytes. A count
# that reaches one of these values needs a bigger cell, which SQLite moves to free space
# in the page (a new row is count 1). Any other increment overwrites the cell in place.
_CELL_MOVES_AT = frozenset({1, 2, 1 << 7, 1 << 15, 1 << 23, 1 << 31, 1 << 47})
_STATE_FIX = (
    "; the kiosk goes on without counting; fix: mount the disk, make the folder writable "
    "or move what is in the way, or set 'state' in kiosk.toml"
)


class UsageCounts:
    """Per-day article counts in one SQLite file; see the module's notes on privacy."""

    def __init__(
        self, db_path: Path, enabled: bool = True, *, keep_days: int = DEFAULT_KEEP_DAYS
    ) -> None:
        self.path = Path(db_path)
        self.enabled = enabled
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._failing = False
        self._problem: str | None = None
        self._given_up = False
        self._unsorted = False
        self._queue: queue.Queue[tuple[str, str, date]] = queue.Queue()
        self._writer: threading.Thread | None = None
        self._writer_lock = threading.Lock()
        if enabled:
            with self._lock:
                self._connection()
            self.prune(keep_days)

    def record(self, slug: str, locale: str, day: date | None = None) -> None:
        """Count one opening of ``slug`` in ``locale`` on ``day`` (today). Never raises."""
        if not self.enabled:
            return
        if not is_slug(slug):
            _log.warning("usage counts: not an article slug; not counted")
            return
        if not is_locale(locale):
            _log.warning("usage counts: not a language code; not counted")
            return
        when = _day(day)
        with self._lock:
            conn = self._connection()
            if conn is None:
                return
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    count = conn.execute(_UPSERT, (when.isoformat(), locale, slug)).fetchone()[0]
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
                if count in _CELL_MOVES_AT or self._unsorted:
                    self._unsorted = True  # until a VACUUM succeeds (a reader may block it)
                    conn.execute("VACUUM")
                    self._unsorted = False
            except (sqlite3.Error, OSError) as err:
                self._failed("cannot count an article view", err)
            else:
                self._succeeded()

    def record_soon(self, slug: str, locale: str) -> None:
        """``record`` today's opening on the writer thread, and return at once.

        For the GUI thread: a write, and the VACUUM after a new row, took 23 ms median
        and 49 ms at worst with a year of counts, over a 16 ms frame (issue 13). The
        queue holds slugs only until written; ``flush`` or ``close`` waits for it."""
        if not self.enabled:
            return
        day = date.today()  # the day of the opening, even if it is written after midnight
        with self._writer_lock:
            if self._writer is None:
                self._writer = threading.Thread(
                    target=self._write_queued, name="usage counts", daemon=True
                )
                self._writer.start()
        self._queue.put((slug, locale, day))

    def _write_queued(self) -> None:
        while True:
            slug, locale, day = self._queue.get()
            try:
                self.record(slug, locale, day)
            except Exception:  # record never raises; should it, the writer goes on
                _log.exception("usage counts: the writer failed")
            finally:
                self._queue.task_done()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait up to ``timeout`` s for queued counts to be written; True if they were."""
        deadline = time.monotonic() + timeout
        with self._queue.all_tasks_done:
            while self._queue.unfinished_tasks:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._queue.all_tasks_done.wait(left)
        return True

    def rows(self, since: date | None = None) -> list[DayCount]:
        """Every count from ``since`` on (all if None), sorted by day, locale, slug."""
        if not self.enabled:
            return []
        with self._lock:
            conn = self._connection()
            if conn is None:
                raise sqlite3.OperationalError(f"{self.path}: usage counts cannot be opened")
            return read_counts(conn, since)

    def export_csv(self, stream: TextIO, since: date | None = None) -> int:
        """Write ``day,locale,slug,count`` with a header, leaving out every count below
        ``SMALLEST_EXPORTED_COUNT``; return the number of rows written."""
        return write_csv(stream, self.rows(since))

    def prune(self, keep_days: int = DEFAULT_KEEP_DAYS) -> int:
        """Delete counts older than ``keep_days`` days and compact the file. Never raises."""
        if not self.enabled:
            return 0
        cutoff = (date.today() - timedelta(days=max(0, keep_days))).isoformat()
        with self._lock:
            conn = self._connection()
            if conn is None:
                return 0
            try:
                deleted = conn.execute("DELETE FROM views WHERE day < ?", (cutoff,)).rowcount
                # Also rebuilds a layout left behind by a crash between a write and its VACUUM.
                self._unsorted = True
                conn.execute("VACUUM")
                self._unsorted = False
            except (sqlite3.Error, OSError) as err:
                self._failed("cannot remove old usage counts", err)
                return 0
            self._succeeded()
            return max(0, deleted)

    def close(self) -> None:
        """Write what is queued (for a few seconds at most), then close the file."""
        if not self.flush():
            _log.warning("usage counts: %s: closed with counts still queued", self.path)
        with self._lock:
            if self._conn is not None:
                try:
                    self._conn.close()
                except sqlite3.Error as err:
                    _log.warning("usage counts: %s: cannot close (%s)", self.path, err)
                self._conn = None

    def __enter__(self) -> UsageCounts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _connection(self) -> sqlite3.Connection | None:
        """The open connection, opening (again) after an earlier failure. Lock held."""
        if self._conn is not None or self._given_up:
            return self._conn
        try:
            self._conn = open_usage_file(self.path)
        except UnreadableFileError as err:
            _log.warning("usage counts: %s: %s; usage is not counted", self.path, err)
            self._problem = f"{self.path}: {err}"
            self._given_up = True
        except FolderError as err:
            self._failed("cannot open the usage counts", err, fix=_STATE_FIX)
        except NotARegularFileError as err:
            self._failed("cannot open the usage counts", err.strerror or err, fix=_STATE_FIX)
        except (sqlite3.Error, OSError) as err:
            self._failed("cannot open the usage counts", err)
        return self._conn

    def _failed(self, what: str, err: BaseException | str, *, fix: str = "") -> None:
        # One warning per run of failures: a full disk must not fill the log as well.
        level = logging.DEBUG if self._failing else logging.WARNING
        _log.log(level, "usage counts: %s: %s (%s)%s", self.path, what, err, fix)
        self._failing = True
        self._problem = f"{self.path}: {what} ({err})"

    def _succeeded(self) -> None:
        if self._failing:
            _log.warning("usage counts: %s: writing again", self.path)
        self._failing = False
        self._problem = None

    @property
    def problem(self) -> str | None:
        """Why counts are not being written now (for staff), or None while they are."""
        return self._problem if self.enabled else None


def read_rows(db_path: Path, since: date | None = None) -> list[DayCount]:
    """Read counts from a file without changing it (for ``kiosk stats export``)."""
    uri = f"{Path(db_path).resolve().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=5)
    try:
        return read_counts(conn, since)
    finally:
        conn.close()


def exportable(rows: Iterable[DayCount]) -> list[DayCount]:
    """The rows that may leave the kiosk: counts of at least ``SMALLEST_EXPORTED_COUNT``."""
    return [row for row in rows if row[3] >= SMALLEST_EXPORTED_COUNT]


def write_csv(stream: TextIO, rows: Iterable[DayCount]) -> int:
    """Write the exportable rows as CSV with a header; return how many were written."""
    kept = exportable(rows)
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows((day.isoformat(), locale, slug, count) for day, locale, slug, count in kept)
    return len(kept)


def _day(day: date | None) -> date:
    if day is None:
        return date.today()
    if isinstance(day, datetime):  # a datetime is a date too: never store its time
        return day.date()
    return day
