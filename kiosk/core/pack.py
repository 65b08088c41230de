"""The content a kiosk shows, as immutable values the UI can read but never change."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path

# Links inside a section's HTML: another article ("article:slug") or a file of the pack
# ("pack:/images/x.png"). Nothing else is ever linked; see kiosk/core/markdown.py.
ARTICLE_SCHEME = "article"
PACK_SCHEME = "pack"
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # an article's file name


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
    readability_limit: float = 8.0
    on_review_overdue: OverduePolicy = OverduePolicy.SHOW
    synonyms: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)
    titles: Mapping[str, str] = field(default_factory=dict)

    def title_in(self, locale: str) -> str:
        """The pack's title in a language, or its main title where none is given."""
        return self.titles.get(locale, self.title)


@dataclass(frozen=True)
class Pack:
    info: PackInfo
    root: Path
    articles: Mapping[str, Mapping[str, Article]]

    def articles_in(self, locale: str) -> list[Article]:
        """Articles of one locale, sorted by title as the A-Z browser lists them."""
        return sorted(self.articles.get(locale, {}).values(), key=lambda a: a.title.casefold())

    def article(self, locale: str, slug: str) -> Article | None:
        return self.articles.get(locale, {}).get(slug)

    @property
    def article_count(self) -> int:
        return sum(len(by_slug) for by_slug in self.articles.values())
