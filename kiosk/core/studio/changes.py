"""What publishing would change: the articles added, changed and removed, and which cards.

Before the studio builds and signs a pack it shows staff this summary, against the pack
installed on this machine or the last one published, so that nothing goes to patients
by surprise. Articles are matched by language and file name (slug); an article's cards
by their headings, in order (difflib's longest matching runs: a card inserted in the
middle is one card added, not every later card changed). A card counts as changed when
what a patient sees or hears in it differs; the details are the front matter's.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from kiosk.core.content.frontmatter import KNOWN_KEYS, STUDIO_KEYS
from kiosk.core.content.pack import Article, Pack, Section

# The front matter, compared field by field: each key is an Article attribute too (but
# the studio's own notes, which patients never see).
DETAILS = tuple(key for key in KNOWN_KEYS if key not in STUDIO_KEYS)


class Change(StrEnum):
    ADDED = "added"
    CHANGED = "changed"
    REMOVED = "removed"


@dataclass(frozen=True)
class CardChange:
    change: Change
    card: str  # its heading, or "card N" (from 1) for one without


@dataclass(frozen=True)
class ArticleChange:
    """One article's change; ``cards`` and ``details`` only for a changed one."""

    change: Change
    locale: str
    slug: str
    title: str
    cards: tuple[CardChange, ...] = ()
    details: tuple[str, ...] = ()  # the DETAILS that differ


def changes(before: Pack | None, after: Pack) -> list[ArticleChange]:
    """What ``after`` changes from ``before`` (None: nothing installed: all added),
    by language, then file name."""
    found: list[ArticleChange] = []
    keys = {(loc, slug) for loc, arts in after.articles.items() for slug in arts}
    if before is not None:
        keys |= {(loc, slug) for loc, arts in before.articles.items() for slug in arts}
    for locale, slug in sorted(keys):
        old = before.article(locale, slug) if before is not None else None
        new = after.article(locale, slug)
        if old is None and new is not None:
            found.append(ArticleChange(Change.ADDED, locale, slug, new.title))
        elif new is None and old is not None:
            found.append(ArticleChange(Change.REMOVED, locale, slug, old.title))
        elif old is not None and new is not None:
            changed = _changed(old, new)
            if changed is not None:
                found.append(changed)
    return found


def _changed(old: Article, new: Article) -> ArticleChange | None:
    details = tuple(d for d in DETAILS if getattr(old, d) != getattr(new, d))
    cards = tuple(card_changes(old.sections, new.sections))
    if not details and not cards:
        return None
    return ArticleChange(Change.CHANGED, new.locale, new.slug, new.title, cards, details)


def card_changes(old: Sequence[Section], new: Sequence[Section]) -> list[CardChange]:
    """The cards added, changed and removed from ``old`` to ``new``, in order."""
    matcher = difflib.SequenceMatcher(
        a=[s.title for s in old], b=[s.title for s in new], autojunk=False
    )
    found: list[CardChange] = []
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            found.extend(
                CardChange(Change.CHANGED, _name(new, b0 + i))
                for i in range(a1 - a0)
                if _seen(old[a0 + i]) != _seen(new[b0 + i])
            )
            continue
        found.extend(CardChange(Change.REMOVED, _name(old, i)) for i in range(a0, a1))
        found.extend(CardChange(Change.ADDED, _name(new, i)) for i in range(b0, b1))
    return found


def _seen(section: Section) -> tuple[str, str, tuple[str, ...], tuple[str, ...]]:
    """What a patient sees and hears of a card."""
    return section.html, section.text, section.links, section.take_home_urls


def _name(sections: Sequence[Section], index: int) -> str:
    """A card as staff know it: its title in quotes, or where it is (the opening text
    before the first title has none)."""
    title = sections[index].title
    if title:
        return f"card '{title}'"
    return "the opening card" if index == 0 else f"card {index + 1}"
