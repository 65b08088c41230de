"""The content a kiosk shows, as immutable values the UI can read but never change."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Protocol, runtime_checkable

from kiosk.core.content.identifiers import SLUG_PATTERN as SLUG_PATTERN  # an article's file name
from kiosk.core.digest import sha256_hex

log = logging.getLogger("kiosk.content")

# Links inside a section's HTML: another article ("article:slug") or a file of the pack
# ("pack:/images/x.png"). Nothing else is ever linked; see kiosk/core/content/links.py
# and kiosk/core/content/images.py.
ARTICLE_SCHEME = "article"
PACK_SCHEME = "pack"


class Kind(StrEnum):
    TOPIC = "topic"
    TERM = "term"


class OverduePolicy(StrEnum):
    """What patients see of an article whose review date has passed."""

    SHOW = "show"
    FLAG = "flag"
    HIDE = "hide"


@dataclass(frozen=True)
class Section:
    """One card: a heading, a safe HTML fragment for Qt, and plain text for speech."""

    title: str
    html: str
    text: str
    links: tuple[str, ...] = ()
    take_home_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    slug: str
    locale: str
    kind: Kind
    title: str
    summary: str
    sections: Sequence[Section]  # a tuple, or parsed on first use (installed packs)
    aliases: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    sensitive: bool = False
    reviewed: date | None = None
    review_due: date | None = None
    sources: tuple[str, ...] = ()
    url: str | None = None
    source_file: str = ""
    grade: float | None = None  # Flesch-Kincaid, English articles only
    urgent: str = ""  # what to do now, shown first ("Call 911 now if..."): front matter
    crisis: str = ""  # the pack's crisis message a sensitive article needs, by name

    @property
    def plain_text(self) -> str:
        return "\n\n".join(s.text for s in self.sections)

    def is_overdue(self, today: date) -> bool:
        return self.review_due is not None and self.review_due < today


@dataclass(frozen=True)
class PackInfo:
    id: str
    title: str
    version: int
    locales: tuple[str, ...]
    default_locale: str
    crisis_banner: Mapping[str, str] = field(default_factory=dict)
    crisis: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # name -> locale -> text
    readability_limit: float = 8.0
    on_review_overdue: OverduePolicy = OverduePolicy.SHOW
    synonyms: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    titles: Mapping[str, str] = field(default_factory=dict)

    def title_in(self, locale: str) -> str:
        """The pack's title in a language, or its main title where none is given."""
        return self.titles.get(locale, self.title)

    def crisis_text(self, name: str, locale: str) -> str:
        """The crisis help a sensitive article shows in ``locale``: the ``[crisis.NAME]``
        message it names, or, where it names none (packs made before named messages),
        the pack's one ``crisis_banner``. "" if the pack has none."""
        if name:
            return self.crisis.get(name, {}).get(locale, "")
        return self.crisis_banner.get(locale, "")


@runtime_checkable
class ForgetsReadArticles(Protocol):
    def forget_read(self) -> None: ...


@dataclass(frozen=True)
class Pack:
    info: PackInfo
    root: Path
    articles: Mapping[str, Mapping[str, Article]]
    # An installed pack: the signed SHA-256 of each file, by its path below root. Files
    # are read while the kiosk runs (images), and each is checked before it is used.
    signed_digests: Mapping[str, str] | None = None

    def read_file(self, relative: str) -> bytes | None:
        """A file of the pack, such as an image; None (logged) if it is outside the
        pack, unreadable, or, for an installed pack, not the file that was signed."""
        return read_pack_file(self.root, relative, self.signed_digests)

    def forget_read_articles(self) -> None:
        """Drop articles kept parsed since they were read (an installed pack keeps the
        last few): between patients, so no trace of what one read stays in memory."""
        for by_slug in self.articles.values():
            if isinstance(by_slug, ForgetsReadArticles):
                by_slug.forget_read()

    def articles_in(self, locale: str) -> list[Article]:
        """Articles of one locale, sorted by title as the A-Z browser lists them."""
        return sorted(self.articles.get(locale, {}).values(), key=lambda a: a.title.casefold())

    def article(self, locale: str, slug: str) -> Article | None:
        return self.articles.get(locale, {}).get(slug)

    @property
    def article_count(self) -> int:
        return sum(len(by_slug) for by_slug in self.articles.values())


def read_pack_file(
    root: Path, relative: str, signed_digests: Mapping[str, str] | None
) -> bytes | None:
    """See Pack.read_file; with ``signed_digests``, only files they list are opened."""
    base = root.resolve()
    target = (base / relative).resolve()
    if not target.is_relative_to(base):
        return None
    name = target.relative_to(base).as_posix()
    if signed_digests is not None and name not in signed_digests:
        log.error("%s is not in the signed manifest; not shown", target)
        return None
    try:
        data = target.read_bytes()
    except OSError as err:
        log.error("cannot read %s (%s); not shown", target, err.strerror)
        return None
    if signed_digests is not None and sha256_hex(data) != signed_digests[name]:
        log.error("%s does not match the signed manifest; not shown", target)
        return None
    return data
