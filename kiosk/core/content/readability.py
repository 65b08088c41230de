"""Reading-grade estimates for plain-language checks.

English: Flesch-Kincaid grade = 0.39 * words/sentences + 11.8 * syllables/words - 15.59.
Spanish: Crawford's grade (1985), made for Spanish and giving a school grade directly:
-0.205 * sentences per 100 words + 0.049 * syllables per 100 words - 3.407.
Syllables are counted with a vowel-group heuristic: it is within about one syllable
per long word of a dictionary count, which is close enough for a warning threshold
and needs no word list (the kiosk runs offline and must not grow for this).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+(?:['\u2019][A-Za-z]+)?")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)|\n\s*\n|\n(?=\s*[-*•]\s)")
_VOWEL_GROUP = re.compile(r"[aeiouyáéíóúü]+")


@dataclass(frozen=True)
class Readability:
    words: int
    sentences: int
    syllables: int

    @property
    def grade(self) -> float:
        """Flesch-Kincaid grade level; 0.0 for text with no words."""
        if self.words == 0:
            return 0.0
        return 0.39 * self.words / self.sentences + 11.8 * self.syllables / self.words - 15.59


_STRONG_ES = frozenset("aeoáéíóú")
_VOWELS_ES = frozenset("aeiouáéíóúü")


def count_syllables_es(word: str) -> int:
    """Spanish syllables: vowel groups, split where two strong vowels meet (hiatus).

    i, u and ü join a neighbour into a diphthong ("bien", "cuidado") unless accented
    ("día"); a final y after a vowel ("muy", "hoy") belongs to that syllable.
    """
    w = word.lower()
    syllables = 0
    previous = ""
    for char in w:
        if char in _VOWELS_ES:
            if not previous or previous not in _VOWELS_ES:
                syllables += 1
            elif previous in _STRONG_ES and char in _STRONG_ES:
                syllables += 1  # hiatus: "po-e-ma", "le-er", "dí-a"
        previous = char
    return max(1, syllables)


def crawford_grade(text: str) -> float:
    """Crawford's Spanish school grade; 0.0 for text with no words."""
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len([p for p in _SENTENCE_END.split(text) if _WORD.search(p)]))
    syllables = sum(count_syllables_es(w) for w in words)
    per_100 = 100 / len(words)
    return -0.205 * sentences * per_100 + 0.049 * syllables * per_100 - 3.407


def grade(text: str, locale: str) -> float | None:
    """The reading grade for a locale's formula, or None where none is known."""
    if locale.startswith("en"):
        return measure(text).grade
    if locale.startswith("es"):
        return crawford_grade(text)
    return None


def count_syllables(word: str) -> int:
    """Estimate syllables in one English word (at least 1)."""
    w = word.lower().replace("\u2019", "'").split("'")[0]
    if not w:
        return 1
    groups = len(_VOWEL_GROUP.findall(w))
    # A final silent "e" ("care", "dose") is not a syllable, but "-le" after a
    # consonant ("little", "able") is.
    silent_e = w.endswith("e") and not w.endswith(("le", "ee", "ye"))
    vowel_le = w.endswith("le") and len(w) > 2 and w[-3] in "aeiouy"
    if (silent_e or vowel_le) and groups > 1:
        groups -= 1
    # "-ed" is silent unless it follows t or d ("used" vs "needed").
    if w.endswith("ed") and len(w) > 3 and w[-3] not in "td" and groups > 1:
        groups -= 1
    # "-es" is silent after most letters ("takes" vs "doses").
    if w.endswith("es") and len(w) > 3 and w[-3] not in "scxzgh" and groups > 1:
        groups -= 1
    return max(1, groups)


def measure(text: str) -> Readability:
    """Count words, sentences and syllables in plain text."""
    words = _WORD.findall(text)
    pieces = [p for p in _SENTENCE_END.split(text) if _WORD.search(p)]
    sentences = max(1, len(pieces)) if words else 0
    syllables = sum(count_syllables(w) for w in words)
    return Readability(words=len(words), sentences=sentences, syllables=syllables)
