"""Plain-language help as staff type: what pushes a card's reading grade up, and why.

Three kinds of hint, each on a span of the text so the studio can underline it:

- a sentence whose own reading grade is above the pack's limit (pack.toml's
  ``readability_limit``), because it is long (more than ``LONG_SENTENCE_WORDS`` words:
  the U.S. Federal Plain Language Guidelines keep sentences to 20 words or fewer, CDC's
  Clear Communication Index likewise) or because of its long words, which are named;
- a long word (4 syllables or more in English, 5 or more in Spanish, where words are
  longer: the syllable counts kiosk.core.content.readability uses for the grade);
- a hard word or phrase from the plain-word list, with the plain one to use instead
  ("utilize" -> "use"). The list is a TOML file, bundled (resources/plain-words.toml),
  which a clinic extends with plain-words.toml in its content folder.

The grade formulas are the validator's (Flesch-Kincaid for English, Crawford for
Spanish), so a sentence flagged here is one that raises the grade the validator warns
about. Nothing here changes the text: staff decide.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from kiosk.core.content.readability import count_syllables, count_syllables_es, grade
from kiosk.core.errors import KioskError

LONG_SENTENCE_WORDS = 20
LONG_WORD_SYLLABLES = {"en": 4, "es": 5}
PLAIN_WORDS_FILE = "plain-words.toml"  # a clinic's own list, in its content folder

_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+(?:['\u2019][A-Za-z]+)?")
# A sentence ends at . ! or ? followed by a space or the end, or at a blank line or a
# list item's start (as the grade counts them: kiosk.core.content.readability).
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n|\n(?=\s*[-*•]\s)")


class PlainWordsError(KioskError):
    """A plain-word list that cannot be read, said in one line with its file."""


class HintKind(StrEnum):
    HARD_SENTENCE = "hard sentence"
    LONG_WORD = "long word"
    PLAIN_WORD = "plain word"


@dataclass(frozen=True)
class Hint:
    """``text[start:end]`` and what to do about it, in plain words."""

    start: int
    end: int
    kind: HintKind
    message: str
    instead: str | None = None  # the plain word, for a PLAIN_WORD hint


@dataclass(frozen=True)
class PlainWords:
    """Hard word or phrase -> plain one, per language (keys in lower case)."""

    by_locale: Mapping[str, Mapping[str, str]]

    def pattern(self, locale: str) -> re.Pattern[str] | None:
        words = self.by_locale.get(locale[:2], {})
        if not words:
            return None
        # Longest first: "hipertensión arterial" before "hipertensión".
        alternatives = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])", re.IGNORECASE)


def load_plain_words(*files: Path) -> PlainWords:
    """The lists in ``files`` merged, later ones winning (the bundled list first, then
    a clinic's). A file that does not exist is skipped. Raises PlainWordsError naming
    the file and line for TOML that does not parse or an entry that is not text."""
    merged: dict[str, dict[str, str]] = {}
    for file in files:
        if not file.is_file():
            continue
        try:
            data = tomllib.loads(file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as err:
            raise PlainWordsError(f'{file}: {err}; write each entry as "hard" = "plain"') from None
        for locale, words in data.items():
            if not isinstance(words, dict):
                raise PlainWordsError(
                    f'{file}: \'{locale}\' must be a [{locale}] table of "hard" = "plain" lines'
                )
            for hard, plain in words.items():
                if not isinstance(plain, str) or not plain.strip() or not hard.strip():
                    raise PlainWordsError(
                        f"{file}: [{locale}] '{hard}' must be given a plain word in quotes"
                    )
                merged.setdefault(locale, {})[hard.strip().lower()] = plain.strip()
    return PlainWords(merged)


# Words: a shorter "sentence" (a list item, a label) is not given a reading grade.
# The Flesch-Kincaid formula scores a one-word "Exercise" at grade 12.
MIN_SENTENCE_WORDS = 5


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """The (start, end) of each sentence with a word in it, spaces trimmed."""
    start = 0
    for end_mark in _SENTENCE_END.finditer(text):
        yield from _trimmed(text, start, end_mark.end())
        start = end_mark.end()
    yield from _trimmed(text, start, len(text))


def hints(text: str, locale: str, plain_words: PlainWords, limit: float) -> list[Hint]:
    """Every hint for ``text`` (a card's plain text) in ``locale``, in text order."""
    found = _plain_word_hints(text, locale, plain_words)
    plain_spans = [(h.start, h.end) for h in found]
    long_word = LONG_WORD_SYLLABLES.get(locale[:2])
    for start, end in sentences(text):
        sentence = text[start:end]
        words = list(_WORD.finditer(sentence))
        # A list item of a few words ("Exercise") has a grade, but no reader trips on it.
        level = grade(sentence, locale) if len(words) >= MIN_SENTENCE_WORDS else None
        if level is not None and level > limit:
            found.append(
                Hint(start, end, HintKind.HARD_SENTENCE, _why(words, locale, level, limit))
            )
        for word in words:
            at, to = start + word.start(), start + word.end()
            if any(a <= at and to <= b for a, b in plain_spans):
                continue  # the plain word says more
            if long_word is not None and _syllables(word.group(), locale) >= long_word:
                found.append(
                    Hint(
                        at,
                        to,
                        HintKind.LONG_WORD,
                        f"'{word.group()}' is a long word; is there a shorter one?",
                    )
                )
    return sorted(found, key=lambda h: (h.start, h.end))


def _plain_word_hints(text: str, locale: str, plain_words: PlainWords) -> list[Hint]:
    pattern = plain_words.pattern(locale)
    if pattern is None:
        return []
    table = plain_words.by_locale[locale[:2]]
    found = []
    for match in pattern.finditer(text):
        plain = _same_case(match.group(), table[match.group().lower()])
        found.append(
            Hint(
                match.start(),
                match.end(),
                HintKind.PLAIN_WORD,
                f"'{match.group()}': try '{plain}'",
                plain,
            )
        )
    return found


def _why(words: list[re.Match[str]], locale: str, level: float, limit: float) -> str:
    said = f"This sentence reads at grade {level:.0f}, above {limit:g}"
    if len(words) > LONG_SENTENCE_WORDS:
        return (
            f"{said}: it has {len(words)} words. Try two sentences of "
            f"{LONG_SENTENCE_WORDS} words or fewer."
        )
    longest = sorted({w.group() for w in words}, key=lambda w: -_syllables(w, locale))[:3]
    return f"{said}: it has long words ({', '.join(longest)}). Try shorter, everyday words."


def _syllables(word: str, locale: str) -> int:
    return count_syllables_es(word) if locale.startswith("es") else count_syllables(word)


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if _WORD.search(text, start, end):
        yield start, end


def _same_case(written: str, plain: str) -> str:
    """The plain word capitalised as the hard one was ("Utilize" -> "Use")."""
    if written[:1].isupper() and plain[:1].islower():
        return plain[:1].upper() + plain[1:]
    return plain
