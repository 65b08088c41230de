"""Search behind the term browser: SQLite FTS5 plus typo tolerance and synonyms.

``SearchIndex`` is what the kiosk holds: it builds an index (kiosk.core.search.writer)
or opens a prebuilt one, ranks queries (kiosk.core.search.query) with near-spellings
from the names in memory (kiosk.core.search.names), and turns a damaged index into no
results (kiosk.core.search.damage) rather than a crash.

Ranking puts what a patient meant first: an exact title or alias, then a title or
alias that starts with the query, then near-spellings of a title or alias, then
articles that only mention the words in their text.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.content.catalogue import Catalogue
from kiosk.core.content.pack import Pack
from kiosk.core.errors import UnreadableFileError
from kiosk.core.search.damage import IndexDamageError, is_damage
from kiosk.core.search.folding import normalize, prepare
from kiosk.core.search.names import NameTables
from kiosk.core.search.query import QUERY_MAX_CHARS, QUERY_MAX_WORDS, TextQuery
from kiosk.core.search.writer import write_index

log = logging.getLogger("kiosk.search")

SCHEMA_VERSION = 6  # 3: a built pack's catalogue is its own signed file; 4: it keeps
# urgent texts and crisis names (a pack built before is read in full, so they show);
# 5: words keep the marks of scripts that write with them, apostrophes join words, and
# only English is folded (an older index is refused, so the pack is indexed again);
# 6: letters such as œ, ł, đ, dotless i and ø are indexed as the ASCII letters patients type


@dataclass(frozen=True)
class Hit:
    slug: str
    title: str
    kind: str
    score: float

    def as_dict(self) -> dict[str, object]:
        return {"slug": self.slug, "title": self.title, "kind": self.kind, "score": self.score}


class SearchIndex:
    """Queries one index; cheap to query from the GUI thread (milliseconds)."""

    def __init__(self, conn: sqlite3.Connection, listing: Catalogue | None = None) -> None:
        self._db = conn
        self._tables = NameTables()
        self._query = TextQuery(conn, self._tables)
        self._warm = False  # the tables above load at the first search (or warm())
        self._warming = threading.Lock()
        self._damage_logged = False
        # The articles' details: a table in this database (a content folder, indexed in
        # memory) or the pack's own signed catalogue file (an installed pack).
        self.catalogue = listing or Catalogue(conn)

    # --- construction ---------------------------------------------------------------

    @classmethod
    def build(cls, pack: Pack, path: Path | None = None) -> SearchIndex:
        """Index every article of a pack, in memory or into a new file at ``path``.

        In memory, the catalogue is a table of the index; a file (a pack being built)
        leaves it out: the pack carries it as a file of its own (catalogue.write_file).
        """
        return cls(write_index(pack, path, SCHEMA_VERSION))

    @classmethod
    def open(cls, path: Path, listing: Catalogue | None = None) -> SearchIndex:
        """Open a prebuilt index read-only; raises UnreadableFileError if it is not one.

        ``listing`` is the pack's catalogue; without it the index only searches."""
        uri = f"{path.resolve().as_uri()}?mode=ro"
        try:
            # Opened in a worker, used on the GUI thread (kiosk.ui.system.pack_verifier).
            conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            # Checked in the background, after start: never run code stored in it.
            conn.execute("PRAGMA trusted_schema = OFF")
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.DatabaseError as err:
            raise UnreadableFileError(f"{path}: not a search index ({err})") from err
        if row is None or row[0] != str(SCHEMA_VERSION):
            conn.close()
            raise UnreadableFileError(f"{path}: search index schema {row} is not {SCHEMA_VERSION}")
        return cls(conn, listing)

    def close(self) -> None:
        self._db.close()

    def warm(self) -> None:
        """Load what fuzzy matching needs into memory (0.4-0.5 s for 30,000 names). The
        first search does this anyway; the kiosk calls it once its first screen is up,
        and for a new pack in the worker that opens it (kiosk.ui.system.pack_verifier),
        so no patient waits. Thread-safe: a search while another thread warms waits for
        it, never reads half-loaded tables."""
        with self._warming:
            if self._warm:
                return
            import rapidfuzz.process  # noqa: F401  (its first import takes milliseconds)

            prepare()
            try:
                self._tables.load(self._db)
            except (sqlite3.DatabaseError, IndexDamageError) as err:
                if not is_damage(err):
                    raise
                self._log_damage(err)
                self._tables.clear()
            self._warm = True

    def _log_damage(self, err: Exception) -> None:
        if not self._damage_logged:
            self._damage_logged = True
            log.error("the search index is damaged (%s); search finds nothing", err)

    # --- querying -------------------------------------------------------------------

    def search(self, query: str, locale: str, limit: int = 20) -> list[Hit]:
        """Best matches first. Any text is accepted; nonsense just finds nothing; only
        its first QUERY_MAX_CHARS characters are searched (what the on-screen box holds).

        A damaged index finds nothing (logged once) rather than raising: an installed
        pack's index is checked in the background, and the kiosk moves off a pack that
        fails at the next idle reset. Anything else that goes wrong raises."""
        try:
            return self._search(query, locale, limit)
        except (sqlite3.DatabaseError, IndexDamageError) as err:
            if not is_damage(err):
                raise
            self._log_damage(err)
            return []

    def _search(self, query: str, locale: str, limit: int) -> list[Hit]:
        # Each word once, and a patient's few: see QUERY_MAX_WORDS.
        words = list(dict.fromkeys(normalize(_held(query)).split()))[:QUERY_MAX_WORDS]
        if not words:
            return []
        self.warm()
        scores = self._query.scores(words, locale, limit)
        docs = self._tables.docs
        known = [(doc, score) for doc, score in scores.items() if doc in docs]
        ranked = sorted(known, key=lambda kv: (-kv[1], docs[kv[0]][1].casefold()))
        return [
            Hit(docs[doc][0], docs[doc][1], docs[doc][2], round(score, 2))
            for doc, score in ranked[:limit]
        ]

    def closest(self, query: str, locale: str, limit: int = 3) -> list[Hit]:
        """Titles or aliases most like ``query`` (its first QUERY_MAX_CHARS characters):
        for "No results. Did you mean ...?"."""
        try:
            self.warm()
            ranked = self._tables.closest(_held(query), locale, limit)
        except (sqlite3.DatabaseError, IndexDamageError) as err:
            if not is_damage(err):
                raise
            self._log_damage(err)
            return []
        return [Hit(*self._tables.docs[doc], score=round(score, 2)) for doc, score in ranked]


def _held(query: str) -> str:
    """What the search box would hold of ``query``: its first QUERY_MAX_CHARS letters,
    composed ("e" and a combining accent are one letter), never more than 4 times that
    in code points to compose."""
    return unicodedata.normalize("NFC", query[: QUERY_MAX_CHARS * 4])[:QUERY_MAX_CHARS]
