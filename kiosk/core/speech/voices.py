"""Which of speech-dispatcher's voices reads a language.

speech-dispatcher lists its output module's voices with SSIP's LIST SYNTHESIS_VOICES,
one per line: name, language tag (BCP 47: "en-US", "es", "es-419") and variant,
separated by tabs. espeak-ng lists each language once more per variant ("Spanish
(Spain)+Adam", some 13,000 lines in all); the plain voice is the one its authors tuned.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# A language's most likely territory, where the kiosk names only the language ("en"),
# as CLDR's likely subtags say.
LIKELY_TERRITORY = {"en": "US", "es": "ES"}


@dataclass(frozen=True)
class SynthesisVoice:
    """One of speech-dispatcher's voices: ``language`` a BCP 47 tag ("en-US")."""

    name: str
    language: str

    @property
    def locale(self) -> str:
        """The voice's language as a locale name: "en_US", "es"."""
        return self.language.replace("-", "_")


def parse_voices(lines: Iterable[str]) -> list[SynthesisVoice]:
    """The plain voices (no "+variant") of LIST SYNTHESIS_VOICES' reply lines, in order;
    lines that are not name TAB language TAB variant are left out."""
    voices = []
    for line in lines:
        fields = line.split("\t")
        if len(fields) >= 2 and fields[0] and "+" not in fields[0]:
            voices.append(SynthesisVoice(fields[0], fields[1]))
    return voices


def _split(locale: str) -> tuple[str, str]:
    """("en", "US") of "en_US", "en-US" or "en"; the language in lower case."""
    language, _, territory = locale.replace("-", "_").partition("_")
    return language.lower(), territory.upper()


def best_voice(voices: Iterable[SynthesisVoice], locale: str) -> SynthesisVoice | None:
    """The voice for ``locale`` ("es", "en_US"): of its language, its territory first (the
    likely one where none is named: "en" is American English, though espeak-ng lists its
    Caribbean English first, an accent a patient in a US clinic noticed), then the
    language's own voice with no territory, then the others, in the server's order.
    None if no voice speaks the language."""
    language, territory = _split(locale)
    if not language or not language.isalpha():
        return None
    territory = territory or LIKELY_TERRITORY.get(language, "")

    def rank(voice: SynthesisVoice) -> int:
        region = _split(voice.language)[1]
        return 0 if region == territory else 1 if not region else 2

    matches = [voice for voice in voices if _split(voice.language)[0] == language]
    return min(matches, key=rank, default=None)
