"""An article beside its translation, card by card: what is missing, what is extra.

The studio shows the pack's default language (English) and another (Spanish) side by
side, one row per card. Cards are paired in order: a translation keeps its source's
cards in the same order, each under its own heading in its own language, so headings
cannot be compared across languages; a card with no partner is marked missing (in the
translation) or extra. An article with no translation at all is one row per source
card, each missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from kiosk.core.content.pack import Article, Pack, Section


class Pairing(StrEnum):
    BOTH = "both"
    MISSING = "missing"  # a source card with no translated card
    EXTRA = "extra"  # a translated card with no source card


@dataclass(frozen=True)
class CardPair:
    """One row: the source's card and the translation's (None where there is none)."""

    pairing: Pairing
    source: Section | None
    translation: Section | None


@dataclass(frozen=True)
class Translation:
    """``slug`` in the source language beside ``locale``."""

    slug: str
    locale: str
    source: Article | None
    translation: Article | None
    rows: tuple[CardPair, ...]

    @property
    def complete(self) -> bool:
        return all(row.pairing is Pairing.BOTH for row in self.rows)


def pair_cards(source: Sequence[Section], translation: Sequence[Section]) -> list[CardPair]:
    """The cards side by side, in order."""
    rows = [CardPair(Pairing.BOTH, s, t) for s, t in zip(source, translation, strict=False)]
    rows += [CardPair(Pairing.MISSING, s, None) for s in source[len(translation) :]]
    rows += [CardPair(Pairing.EXTRA, None, t) for t in translation[len(source) :]]
    return rows


def translations(pack: Pack, locale: str) -> list[Translation]:
    """Every article of the pack's default language beside ``locale``'s, and every
    article only ``locale`` has, by file name."""
    source_locale = pack.info.default_locale
    sources = pack.articles.get(source_locale, {})
    translated = pack.articles.get(locale, {})
    found = []
    for slug in sorted(set(sources) | set(translated)):
        source, translation = sources.get(slug), translated.get(slug)
        rows = pair_cards(
            source.sections if source is not None else (),
            translation.sections if translation is not None else (),
        )
        found.append(Translation(slug, locale, source, translation, tuple(rows)))
    return found
