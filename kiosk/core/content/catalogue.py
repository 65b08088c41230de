"""Every article's details except its text, as an SQLite table.

A built pack ships it as ``catalogue.sqlite``, a small signed file (about 4 MB for
10,000 articles) that a kiosk checks against the manifest at every start and then
lists and opens articles from, without parsing 10,000 Markdown files: lists are
ordered queries (``LIMIT``), and an article's text is read only when it is opened.
A content folder gets the same table in its in-memory search index, so both ways of
running list articles with the same code.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kiosk.core.content.pack import Article, Kind
from kiosk.core.errors import UnreadableFileError

SCHEMA = """
CREATE TABLE catalogue (locale TEXT NOT NULL, slug TEXT NOT NULL, kind TEXT NOT NULL,
    title TEXT NOT NULL, sort_key TEXT NOT NULL, initial TEXT NOT NULL,
    summary TEXT NOT NULL, details TEXT NOT NULL, review_due TEXT,
    PRIMARY KEY (locale, slug));
CREATE INDEX catalogue_order ON catalogue (locale, sort_key, slug);
CREATE INDEX catalogue_initial ON catalogue (locale, initial, sort_key);
"""
KIND_FOLDERS = {Kind.TOPIC: "topics", Kind.TERM: "terms"}


@dataclass(frozen=True)
class Listed:
    """What a list of articles shows: enough for a card or a button, no text."""

    slug: str
    title: str
    summary: str
    kind: Kind
    urgent: str = ""  # what to do now, if the article says ("Call 911 now if...")


def initial_of(title: str) -> str:
    """The A-Z letter an article is listed under."""
    return title[:1].upper()


def relative_file(locale: str, kind: Kind, slug: str) -> str:
    """Where an article's Markdown lives inside a content folder (the loader's layout)."""
    return f"{locale}/{KIND_FOLDERS[kind]}/{slug}.md"


def write_file(path: Path, articles: Iterable[Article]) -> None:
    """A new catalogue file at ``path`` (a pack being built)."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(str(path))
    try:
        conn.executescript(SCHEMA)
        with conn:
            insert_articles(conn, articles)
        conn.execute("VACUUM")
    finally:
        conn.close()


def from_bytes(data: bytes, where: Path) -> Catalogue:
    """A pack's catalogue, held in memory from bytes already checked against the
    signed manifest: SQLite never reads the file again, so a change on disk after the
    check cannot reach the screen. Raises UnreadableFileError if it is not a catalogue."""
    # Made in a worker, used on the GUI thread (kiosk.ui.system.pack_verifier).
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    try:
        conn.deserialize(data)
        conn.execute("SELECT COUNT(*) FROM catalogue").fetchone()
    except sqlite3.DatabaseError as err:
        conn.close()
        raise UnreadableFileError(f"{where}: not a catalogue ({err})") from None
    return Catalogue(conn)


def insert_articles(conn: sqlite3.Connection, articles: Iterable[Article]) -> None:
    conn.executemany(
        "INSERT INTO catalogue VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                a.locale,
                a.slug,
                a.kind.value,
                a.title,
                a.title.casefold(),  # SQLite orders these as Python's sorted() does
                initial_of(a.title),
                a.summary,
                json.dumps(_details(a), ensure_ascii=False),
                a.review_due.isoformat() if a.review_due else None,
            )
            for a in articles
        ),
    )


def _details(article: Article) -> dict[str, object]:
    return {
        "aliases": list(article.aliases),
        "related": list(article.related),
        "sensitive": article.sensitive,
        "reviewed": article.reviewed.isoformat() if article.reviewed else None,
        "sources": list(article.sources),
        "url": article.url,
        "grade": article.grade,
        "urgent": article.urgent,
        "crisis": article.crisis,
    }


@dataclass(frozen=True)
class Record:
    """One catalogue row: an article with everything but its sections."""

    locale: str
    slug: str
    kind: Kind
    title: str
    summary: str
    aliases: tuple[str, ...]
    related: tuple[str, ...]
    sensitive: bool
    reviewed: date | None
    review_due: date | None
    sources: tuple[str, ...]
    url: str | None
    grade: float | None
    urgent: str = ""
    crisis: str = ""

    @property
    def relative_file(self) -> str:
        return relative_file(self.locale, self.kind, self.slug)


class Catalogue:
    """Ordered, filtered lists of a pack's articles, straight from SQLite."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._db = conn

    def listing(
        self,
        locale: str,
        *,
        kind: Kind | None = None,
        initial: str = "",
        limit: int = -1,
        hide_due_before: date | None = None,
    ) -> list[Listed]:
        """Articles of a language by title; ``hide_due_before`` leaves out overdue ones."""
        where, args = self._where(locale, hide_due_before)
        if kind is not None:
            where += " AND kind = ?"
            args.append(kind.value)
        if initial:
            where += " AND initial = ?"
            args.append(initial)
        rows = self._db.execute(
            f"SELECT slug, title, summary, kind, details FROM catalogue WHERE {where} "
            "ORDER BY sort_key, slug LIMIT ?",
            (*args, limit),
        )
        return [
            Listed(slug, title, summary, Kind(kind_), str(json.loads(details).get("urgent") or ""))
            for slug, title, summary, kind_, details in rows
        ]

    def initials(self, locale: str, *, hide_due_before: date | None = None) -> set[str]:
        where, args = self._where(locale, hide_due_before)
        rows = self._db.execute(f"SELECT DISTINCT initial FROM catalogue WHERE {where}", args)
        return {initial for (initial,) in rows}

    def titles(self, locale: str, slugs: Iterable[str]) -> dict[str, str]:
        """Title by slug, for those of ``slugs`` this language has."""
        wanted = list(dict.fromkeys(slugs))
        if not wanted:
            return {}
        marks = ", ".join("?" * len(wanted))
        rows = self._db.execute(
            f"SELECT slug, title FROM catalogue WHERE locale = ? AND slug IN ({marks})",
            (locale, *wanted),
        )
        return dict(rows.fetchall())

    def record(self, locale: str, slug: str) -> Record | None:
        row = self._db.execute(
            "SELECT kind, title, summary, details, review_due FROM catalogue "
            "WHERE locale = ? AND slug = ?",
            (locale, slug),
        ).fetchone()
        if row is None:
            return None
        kind, title, summary, details_json, review_due = row
        details = json.loads(details_json)
        return Record(
            locale=locale,
            slug=slug,
            kind=Kind(kind),
            title=title,
            summary=summary,
            aliases=tuple(details["aliases"]),
            related=tuple(details["related"]),
            sensitive=bool(details["sensitive"]),
            reviewed=_date(details["reviewed"]),
            review_due=_date(review_due),
            sources=tuple(details["sources"]),
            url=details["url"],
            grade=details["grade"],
            # Catalogues written before these keys existed have neither.
            urgent=str(details.get("urgent") or ""),
            crisis=str(details.get("crisis") or ""),
        )

    def slugs(self, locale: str) -> Iterator[str]:
        rows = self._db.execute(
            "SELECT slug FROM catalogue WHERE locale = ? ORDER BY sort_key, slug", (locale,)
        )
        return (slug for (slug,) in rows.fetchall())

    def count(self, locale: str) -> int:
        row = self._db.execute("SELECT COUNT(*) FROM catalogue WHERE locale = ?", (locale,))
        return int(row.fetchone()[0])

    def has(self, locale: str, slug: str) -> bool:
        row = self._db.execute(
            "SELECT 1 FROM catalogue WHERE locale = ? AND slug = ?", (locale, slug)
        ).fetchone()
        return row is not None

    @staticmethod
    def _where(locale: str, hide_due_before: date | None) -> tuple[str, list[str]]:
        where, args = "locale = ?", [locale]
        if hide_due_before is not None:
            where += " AND (review_due IS NULL OR review_due >= ?)"
            args.append(hide_due_before.isoformat())
        return where, args


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
