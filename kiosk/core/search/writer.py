"""Writing a search index: the SQLite FTS5 tables and every article of a pack in them.

The index is a self-contained SQLite file (or an in-memory database): documents,
their names for fuzzy matching, and the pack's synonyms. A built pack ships the file,
so a kiosk opens it (kiosk.core.search.index) instead of re-indexing at start-up.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kiosk.core.content import catalogue
from kiosk.core.content.pack import Article, Pack
from kiosk.core.search.folding import fold, index_text

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


def write_index(pack: Pack, path: Path | None, schema_version: int) -> sqlite3.Connection:
    """Index every article of a pack, in memory or into a new file at ``path`` (replaced
    if it exists); the open connection is returned.

    ``schema_version`` is kiosk.core.search.index.SCHEMA_VERSION, which the reading
    side checks. In memory, the catalogue is a table of the index; a file (a pack being
    built) leaves it out: the pack carries it as a file of its own (catalogue.write_file).
    """
    if path is not None and path.exists():
        path.unlink()
    # Made in a worker, used on the GUI thread (kiosk.ui.system.pack_verifier).
    conn = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
    conn.executescript(_SCHEMA if path else _SCHEMA + catalogue.SCHEMA)
    with conn:
        conn.execute("INSERT INTO meta VALUES ('schema', ?)", (str(schema_version),))
        conn.execute("INSERT INTO meta VALUES ('pack', ?)", (pack.info.id,))
        conn.execute("INSERT INTO meta VALUES ('version', ?)", (str(pack.info.version),))
        for locale, by_slug in pack.articles.items():
            if path is None:
                catalogue.insert_articles(conn, by_slug.values())
            for article in by_slug.values():
                _insert_article(conn, locale, article)
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
    return conn


def _insert_article(conn: sqlite3.Connection, locale: str, article: Article) -> None:
    """One article: its row, its words for full-text search, and its names (the title,
    then each alias) folded for prefix and near-spelling matching."""
    cur = conn.execute(
        "INSERT INTO docs (locale, slug, title, kind) VALUES (?, ?, ?, ?)",
        (locale, article.slug, article.title, article.kind.value),
    )
    doc = cur.lastrowid
    conn.execute(
        "INSERT INTO fts (rowid, title, aliases, summary, body) VALUES (?, ?, ?, ?, ?)",
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
