"""Search behind the term browser: SQLite FTS5 plus typo tolerance and synonyms.

The index is a self-contained SQLite file (or an in-memory database): documents,
their names for fuzzy matching, and the pack's synonyms. A built pack ships the
file, so a kiosk opens it instead of re-indexing at start-up.

Ranking puts what a patient meant first: an exact title or alias, then a title or
alias that starts with the query, then near-spellings of a title or alias, then
articles that only mention the words in their text.
"""

from __future__ import annotations

import logging
import sqlite3
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.content import catalogue
from kiosk.core.content.catalogue import Catalogue
from kiosk.core.content.pack import Pack
from kiosk.core.errors import KioskError, UnreadableFileError
from kiosk.core.search.folding import fold, fold_word, index_text, normalize, prepare, without_s

log = logging.getLogger("kiosk.search")

SCHEMA_VERSION = 5  # 3: a built pack's catalogue is its own signed file; 4: it keeps
# urgent texts and crisis names (a pack built before is read in full, so they show);
# 5: words keep the marks of scripts that write with them, apostrophes join words, and
# only English is folded (an older index is refused, so the pack is indexed again)
_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE docs (id INTEGER PRIMARY KEY, locale TEXT NOT NULL, slug TEXT NOT NULL,
                   title TEXT NOT NULL, kind TEXT NOT NULL, UNIQUE (locale, slug));
CREATE TABLE names (doc INTEGER NOT NULL REFERENCES docs(id), locale TEXT NOT NULL,
                    name TEXT NOT NULL, folded TEXT NOT NULL, is_title INTEGER NOT NULL);
CREATE INDEX names_prefix ON names (locale, folded);
CREATE TABLE synonyms (locale TEXT NOT NULL, word TEXT NOT NULL, means TEXT NOT NULL);
CREATE VIRTUAL TABLE fts USING fts5(title, aliases, summary, body,
    tokenize = "unicode61 remove_diacritics 2 categories 'L* N* Co M*'", prefix = '2 3 4');
"""
# Marks (M*) are part of words: without them, unicode61 splits मधुमेह at its vowel
# signs. The text arrives normalized (kiosk.core.search.folding), accents already off.
# bm25 weights for title, aliases, summary, body: a name hit outranks a mention.
_BM25 = "bm25(fts, 10.0, 8.0, 3.0, 1.0)"
_SHORT_QUERY = 3  # a word shorter than this is matched whole in the text, not as a prefix
_CANDIDATES = 60
_FUZZY_CUTOFF = 78.0
_FUZZY_WORD_LETTERS = 5  # words of names this long or longer are matched on their own
# What SQLite says of a damaged (or altered) index file: bad pages, not a database, or
# a file it cannot read. An installed pack's index is checked in the background; until
# then, damage means no results, never a crash. Any other error is a bug, and raises.
_DAMAGE_CODES = frozenset(
    (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN)
)
_CLOSEST_CUTOFF = 60.0  # below this a suggestion is noise; browsing A-Z serves better


class IndexDamageError(KioskError):
    """The index file holds rows that no build writes (a value of the wrong type)."""


def _is_damage(err: Exception) -> bool:
    if isinstance(err, IndexDamageError):
        return True
    code = getattr(err, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in _DAMAGE_CODES


@dataclass(frozen=True)
class Hit:
    slug: str
    title: str
    kind: str
    score: float

    def as_dict(self) -> dict[str, object]:
        return {"slug": self.slug, "title": self.title, "kind": self.kind, "score": self.score}


@dataclass(frozen=True)
class _Name:
    doc: int
    folded: str
    is_title: bool
    # One word of a longer name, for near-spellings of one word: "alzeimer" is far from
    # "alzheimers disease" as a whole, near "alzheimers" (newcomer's review).
    word_of: str = ""


class SearchIndex:
    """Queries one index; cheap to query from the GUI thread (milliseconds)."""

    def __init__(self, conn: sqlite3.Connection, listing: Catalogue | None = None) -> None:
        self._db = conn
        self._names: dict[str, list[_Name]] = {}
        self._doc_names: dict[int, list[_Name]] = {}
        # Names per (locale, first letter) sorted by length, so fuzzy matching compares
        # only names that could reach the cutoff. Typos rarely hit the first letter, and
        # this keeps a misspelt query under a millisecond at 10,000 articles.
        self._fuzzy_buckets: dict[tuple[str, str], tuple[list[int], list[str], list[_Name]]] = {}
        self._docs: dict[int, tuple[str, str, str]] = {}
        self._synonyms: dict[str, dict[str, list[str]]] = {}
        self._warm = False  # the tables above load at the first search (or warm())
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
        if path is not None and path.exists():
            path.unlink()
        conn = sqlite3.connect(str(path) if path else ":memory:")
        conn.executescript(_SCHEMA if path else _SCHEMA + catalogue.SCHEMA)
        with conn:
            conn.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            conn.execute("INSERT INTO meta VALUES ('pack', ?)", (pack.info.id,))
            conn.execute("INSERT INTO meta VALUES ('version', ?)", (str(pack.info.version),))
            for locale, by_slug in pack.articles.items():
                if path is None:
                    catalogue.insert_articles(conn, by_slug.values())
                for article in by_slug.values():
                    cur = conn.execute(
                        "INSERT INTO docs (locale, slug, title, kind) VALUES (?, ?, ?, ?)",
                        (locale, article.slug, article.title, article.kind.value),
                    )
                    doc = cur.lastrowid
                    conn.execute(
                        "INSERT INTO fts (rowid, title, aliases, summary, body) "
                        "VALUES (?, ?, ?, ?, ?)",
                        (
                            doc,
                            index_text(article.title, locale),
                            index_text(" ; ".join(article.aliases), locale),
                            index_text(article.summary, locale),
                            index_text(article.plain_text, locale),
                        ),
                    )
                    names = [(article.title, 1)] + [(a, 0) for a in article.aliases]
                    conn.executemany(
                        "INSERT INTO names VALUES (?, ?, ?, ?, ?)",
                        [(doc, locale, n, fold(n, locale), t) for n, t in names if fold(n, locale)],
                    )
            for locale, words in pack.info.synonyms.items():
                conn.executemany(
                    "INSERT INTO synonyms VALUES (?, ?, ?)",
                    [
                        (locale, fold(w, locale), fold(m, locale))
                        for w, means in words.items()
                        for m in means
                    ],
                )
            conn.execute("INSERT INTO fts (fts) VALUES ('optimize')")
        return cls(conn)

    @classmethod
    def open(cls, path: Path, listing: Catalogue | None = None) -> SearchIndex:
        """Open a prebuilt index read-only; raises UnreadableFileError if it is not one.

        ``listing`` is the pack's catalogue; without it the index only searches."""
        uri = f"{path.resolve().as_uri()}?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True)
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
        """Load what fuzzy matching needs into memory. The first search does this
        anyway; the kiosk calls it once its first screen is up, so no patient waits."""
        if self._warm:
            return
        self._warm = True
        import rapidfuzz.process  # noqa: F401  (its first import takes milliseconds)

        prepare()
        try:
            self._load_memory_tables()
        except (sqlite3.DatabaseError, IndexDamageError) as err:
            if not _is_damage(err):
                raise
            self._log_damage(err)
            self._docs.clear()
            self._names.clear()
            self._doc_names.clear()
            self._fuzzy_buckets.clear()
            self._synonyms.clear()

    def _log_damage(self, err: Exception) -> None:
        if not self._damage_logged:
            self._damage_logged = True
            log.error("the search index is damaged (%s); search finds nothing", err)

    def _load_memory_tables(self) -> None:
        for doc, slug, title, kind in self._db.execute("SELECT id, slug, title, kind FROM docs"):
            _check_row((doc, slug, title, kind), (int, str, str, str))
            self._docs[doc] = (slug, title, kind)
        for doc, locale, folded, is_title in self._db.execute(
            "SELECT doc, locale, folded, is_title FROM names"
        ):
            _check_row((doc, locale, folded, is_title), (int, str, str, int))
            name = _Name(doc, folded, bool(is_title))
            self._names.setdefault(locale, []).append(name)
            self._doc_names.setdefault(doc, []).append(name)
        buckets: dict[tuple[str, str], list[_Name]] = {}
        for locale, names in self._names.items():
            for name in names:
                buckets.setdefault((locale, name.folded[:1]), []).append(name)
                words = name.folded.split()
                for word in words if len(words) > 1 else ():
                    if len(word) >= _FUZZY_WORD_LETTERS:
                        part = _Name(name.doc, word, name.is_title, word_of=name.folded)
                        buckets.setdefault((locale, word[:1]), []).append(part)
        for key, names in buckets.items():
            ordered = sorted(names, key=lambda n: len(n.folded))
            self._fuzzy_buckets[key] = (
                [len(n.folded) for n in ordered],
                [n.folded for n in ordered],
                ordered,
            )
        for locale, word, means in self._db.execute("SELECT locale, word, means FROM synonyms"):
            _check_row((locale, word, means), (str, str, str))
            self._synonyms.setdefault(locale, {}).setdefault(word, []).append(means)

    # --- querying -------------------------------------------------------------------

    def search(self, query: str, locale: str, limit: int = 20) -> list[Hit]:
        """Best matches first. Any text is accepted; nonsense just finds nothing.

        A damaged index finds nothing (logged once) rather than raising: an installed
        pack's index is checked in the background, and the kiosk moves off a pack that
        fails at the next idle reset. Anything else that goes wrong raises."""
        try:
            return self._search(query, locale, limit)
        except (sqlite3.DatabaseError, IndexDamageError) as err:
            if not _is_damage(err):
                raise
            self._log_damage(err)
            return []

    def _search(self, query: str, locale: str, limit: int) -> list[Hit]:
        words = normalize(query).split()
        if not words:
            return []
        self.warm()
        scores: dict[int, float] = {}
        letters = len("".join(words))
        if letters < _SHORT_QUERY:
            # One letter browses names, as the A-Z list does; two may also be a whole
            # word of the text ("tb"), listed after the names, unless it is a common
            # word ("to", "he"): that is no term, and ranking it costs milliseconds.
            self._score_name_prefixes(" ".join(words), locale, scores)
            if letters > 1 and not self._common(words, locale):
                docs = self._matches(words, locale, names_only=False)
                self._score_rows(docs, words, locale, scores)
        else:
            self._score_full_text(words, locale, scores, limit)
            if not scores:
                # No article has every word: probably a misspelling. (Where one has
                # them all, "vitamin d" is not a near-spelling of "Vitamins".)
                self._score_fuzzy(" ".join(words), locale, scores)
        known = [(doc, score) for doc, score in scores.items() if doc in self._docs]
        ranked = sorted(known, key=lambda kv: (-kv[1], self._docs[kv[0]][1].casefold()))
        return [
            Hit(self._docs[doc][0], self._docs[doc][1], self._docs[doc][2], round(score, 2))
            for doc, score in ranked[:limit]
        ]

    def closest(self, query: str, locale: str, limit: int = 3) -> list[Hit]:
        """Titles or aliases most like ``query``: for "No results. Did you mean ...?"."""
        try:
            return self._closest(query, locale, limit)
        except (sqlite3.DatabaseError, IndexDamageError) as err:
            if not _is_damage(err):
                raise
            self._log_damage(err)
            return []

    def _closest(self, query: str, locale: str, limit: int) -> list[Hit]:
        from rapidfuzz import fuzz, process  # imported by warm() before any patient types

        query_folded = fold(query, locale)
        self.warm()
        names = self._names.get(locale, [])
        if len(query_folded) < 2 or not names:
            return []
        matches = process.extract(
            query_folded,
            [n.folded for n in names],
            scorer=fuzz.WRatio,
            processor=None,
            score_cutoff=_CLOSEST_CUTOFF,
            limit=limit * 4,
        )
        best: dict[int, float] = {}
        for _choice, score, i in matches:
            if names[i].doc in self._docs:
                _keep_best(best, names[i].doc, float(score))
        ranked = sorted(best.items(), key=lambda kv: -kv[1])[:limit]
        return [Hit(*self._docs[doc], score=round(score, 2)) for doc, score in ranked]

    def _score_name_prefixes(self, text: str, locale: str, scores: dict[int, float]) -> None:
        prefix = fold(text, locale)
        rows = self._db.execute(
            "SELECT doc, folded, is_title FROM names WHERE locale = ? AND folded >= ? "
            "AND folded < ? LIMIT 500",
            (locale, prefix, prefix + "\U0010ffff"),
        )
        for doc, folded, is_title in rows:
            _check_row((doc, folded, is_title), (int, str, int))
            _keep_best(scores, doc, _name_score(prefix, folded, bool(is_title)))

    def _score_full_text(
        self, words: list[str], locale: str, scores: dict[int, float], limit: int
    ) -> None:
        # Names first: cheap, and usually what a patient is typing towards.
        self._score_rows(self._matches(words, locale, names_only=True), words, locale, scores)
        strong = sum(1 for s in scores.values() if s >= 80)
        if strong >= limit:
            return  # enough names already
        self._score_rows(self._matches(words, locale, names_only=False), words, locale, scores)

    def _matches(self, words: list[str], locale: str, *, names_only: bool) -> list[int]:
        if names_only:
            match = "{title aliases}: (" + self._match_expression(words, locale) + ")"
        else:
            # In the text, a one- or two-letter word is matched whole: "vitamin d" finds
            # "vitamin D", where "d" as a prefix would match most words of every article.
            match = self._match_expression(words, locale, whole_short_words=True)
        rows = self._db.execute(
            f"SELECT fts.rowid FROM fts JOIN docs ON docs.id = fts.rowid "
            f"WHERE fts MATCH ? AND docs.locale = ? ORDER BY {_BM25} LIMIT ?",
            (match, locale, _CANDIDATES),
        )
        return [doc for (doc,) in rows]

    def _score_rows(
        self, docs: list[int], words: list[str], locale: str, scores: dict[int, float]
    ) -> None:
        variants = self._query_variants(words, locale)
        for position, doc in enumerate(docs):
            best = max(
                (
                    _name_score(q, n.folded, n.is_title) - penalty
                    for q, penalty in variants
                    for n in self._doc_names.get(doc, [])
                ),
                default=0.0,
            )
            # Mentions in the text rank below any name hit, in bm25 order.
            _keep_best(scores, doc, best if best > 0 else 50.0 - position * 0.5)

    def _common(self, words: list[str], locale: str) -> bool:
        """True if more articles have these (short) words than a search lists."""
        match = self._match_expression(words, locale, whole_short_words=True)
        rows = self._db.execute(
            # CROSS JOIN keeps the text index the outer loop (SQLite would walk every
            # article of the language otherwise).
            "SELECT 1 FROM fts CROSS JOIN docs ON docs.id = fts.rowid "
            "WHERE fts MATCH ? AND docs.locale = ? LIMIT ?",
            (match, locale, _CANDIDATES + 1),
        ).fetchall()
        return len(rows) > _CANDIDATES

    def _match_expression(
        self, words: list[str], locale: str, *, whole_short_words: bool = False
    ) -> str:
        synonyms = self._synonyms.get(locale, {})

        def alternatives(word: str) -> str:
            folded = fold_word(word, locale)
            star = "" if whole_short_words and len(word) < _SHORT_QUERY else "*"
            options = [f'"{f}"{star}' for f in sorted({word, folded})]
            base = without_s(word, locale)
            if base:  # whole, not a prefix: "news" must not find "newborn"
                options += [f'"{f}"' for f in sorted({base, fold_word(base, locale)})]
            options += [f'"{m}"' for m in synonyms.get(folded, [])]
            return "(" + " OR ".join(options) + ")"

        every_word = " AND ".join(alternatives(w) for w in words)
        if len(words) == 1:
            return every_word
        # "hammer toe" should also find "hammertoe".
        return f"({every_word}) OR {alternatives(''.join(words))}"

    def _query_variants(self, words: list[str], locale: str) -> list[tuple[str, float]]:
        """The folded query, and the query with each synonym swapped in (ranked a bit lower)."""
        folded = [fold_word(w, locale) for w in words]
        variants = [(" ".join(folded), 0.0)]
        for i, word in enumerate(words):  # "parkinsons disease" names "Parkinson disease"
            base = without_s(word, locale)
            if base:
                variants.append(
                    (" ".join([*folded[:i], fold_word(base, locale), *folded[i + 1 :]]), 1.0)
                )
        synonyms = self._synonyms.get(locale, {})
        for i, word in enumerate(folded):
            for meaning in synonyms.get(word, []):
                variants.append((" ".join([*folded[:i], meaning, *folded[i + 1 :]]), 2.0))
        return variants

    def _score_fuzzy(self, text: str, locale: str, scores: dict[int, float]) -> None:
        from rapidfuzz import fuzz, process

        query = fold(text, locale)
        bucket = self._fuzzy_buckets.get((locale, query[:1]))
        if bucket is None:
            return
        lengths, folded, names = bucket
        # ratio = 2*matches/(len_a+len_b) >= cutoff needs the shorter string to be at
        # least cutoff/(200-cutoff) of the longer one.
        reach = _FUZZY_CUTOFF / (200.0 - _FUZZY_CUTOFF)
        low = bisect_left(lengths, int(len(query) * reach))
        high = bisect_right(lengths, int(len(query) / reach) + 1)
        matches = process.extract(
            query,
            folded[low:high],
            scorer=fuzz.ratio,
            processor=None,
            score_cutoff=_FUZZY_CUTOFF,
            limit=10,
        )
        for _choice, similarity, index in matches:
            name = names[low + index]
            # A near-spelling of a name outranks a mere mention in some text (50); of
            # one word of a name, a little less than of the whole name.
            base = 55.0 if name.word_of else 60.0
            _keep_best(scores, name.doc, base + (float(similarity) - _FUZZY_CUTOFF) * 0.9)


def _name_score(query: str, name: str, is_title: bool) -> float:
    """How well a folded query names an article; 0 when it does not."""
    bonus = 1.0 if is_title else 0.0
    if name == query:
        return 99.0 + bonus
    if name.startswith(query):
        return 90.0 + bonus - min(5.0, (len(name) - len(query)) / 10)
    name_words = name.split()
    query_words = query.split()
    if all(any(n.startswith(q) for n in name_words) for q in query_words):
        return 80.0 + bonus
    if name.replace(" ", "").startswith(query.replace(" ", "")):
        return 85.0 + bonus  # "hammer toe" -> "hammertoe"
    return 0.0


def _check_row(row: tuple[object, ...], types: tuple[type, ...]) -> None:
    """Raise IndexDamageError unless the row's values have the types a build writes."""
    for value, kind in zip(row, types, strict=True):
        if not isinstance(value, kind):
            raise IndexDamageError(f"{value!r} where the index holds {kind.__name__}")


def _keep_best(scores: dict[int, float], doc: int, score: float) -> None:
    if score > scores.get(doc, 0.0):
        scores[doc] = score
