"""An article beside its translation, card by card: what is missing, what is extra.

The studio shows the pack's default language (English) and another (Spanish) side by
side, one row per card. Cards are paired in order: a translation keeps its source's
cards in the same order, each under its own heading in its own language, so headings
cannot be compared across languages; a card with no partner is marked missing (in the
translation) or extra. An article with no translation at all is one row per source
card, each missing.

A translation also records which version of its source it was checked against: front
matter ``translated_from``, the source's ``content_hash`` when staff marked it checked.
The source changed since when its hash is another now (its text, not its file's date:
copying a folder or saving a file again changes dates and nothing else).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from kiosk.core.content.frontmatter_edit import (
    FrontMatterEditError,
    body_start,
    front_matter_values,
    set_field,
)
from kiosk.core.content.pack import Article, Pack, Section
from kiosk.core.digest import sha256_hex

SOURCE_KEY = "translated_from"
# What patients see of an article: a change to anything else (review dates, aliases,
# sources) does not call for the translation to be checked again.
HASHED_KEYS = ("title", "summary", "urgent")
HASH_CHARS = 12  # of SHA-256's 64 (the validator's SOURCE_VERSION reads 12)


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


def content_hash(text: str) -> str:
    """The version of what patients see of an article (``text``: its whole file): the
    first HASH_CHARS hex digits of SHA-256 over its title, summary, urgent callout and
    body. Windows' and old Macs' line endings count as Unix's, and spaces at the end of
    a line and blank lines at the start and end are left out, so a file saved again on
    Windows or trimmed by an editor is the same version. A file with no front matter is
    all body. Never raises."""
    try:
        values = front_matter_values(text)
        body = text[body_start(text) :]
    except FrontMatterEditError:
        values, body = {}, text.removeprefix("\ufeff")
    parts = [_normal(values.get(key, "")) for key in HASHED_KEYS] + [_normal(body)]
    return sha256_hex(json.dumps(parts, ensure_ascii=False).encode("utf-8"))[:HASH_CHARS]


def mark_translation_checked(source: str, translation: str) -> str:
    """``translation`` (an article file's text) with ``translated_from`` set to the
    version of ``source`` (its source's text), on its own line; the rest of the file
    byte for byte as it was. Raises FrontMatterEditError (one line) when the
    translation's front matter cannot be edited in place."""
    return set_field(translation, SOURCE_KEY, content_hash(source))


def _normal(value: object) -> object:
    if not isinstance(value, str):
        return value  # a list or true/false: compared as read
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")
