"""Which of a speech engine's voices reads a language, chosen once per language."""

from __future__ import annotations

import logging

from PySide6.QtCore import QLocale
from PySide6.QtTextToSpeech import QTextToSpeech, QVoice

log = logging.getLogger("kiosk.speech")

# The voice to read a territory's language in, where the engine's first is another:
# espeak-ng lists its Caribbean English (en-029) under en_US before "English (America)",
# and a patient in a US clinic heard that accent.
PREFERRED = {"en_US": "English (America)"}


def best_voice(tts: QTextToSpeech, locale: str) -> QVoice | None:
    """The voice for ``locale`` among ``tts``'s: the language's own territory first
    ("es" is es_ES before es_419, "en" en_US), a plain voice before its variants;
    None if the engine has none in that language."""
    wanted = QLocale(locale)
    if wanted.language() == QLocale.Language.C:
        return None
    matches = [loc for loc in tts.availableLocales() if loc.language() == wanted.language()]
    matches.sort(key=lambda loc: loc.territory() != wanted.territory())
    for loc in matches:
        voices = tts.allVoices(loc)
        # espeak-ng lists each language once more per variant ("Spanish (Spain)+Adam");
        # the plain voice is the one its authors tuned.
        plain = [voice for voice in voices if "+" not in voice.name()]
        plain.sort(key=lambda voice: voice.name() != PREFERRED.get(loc.name()))
        if plain or voices:
            return (plain or voices)[0]
    return None


class Voices:
    """The voice of each language asked for so far, for one engine (asking is a round
    trip to speech-dispatcher); a missing one is logged once."""

    def __init__(self, engine: str) -> None:
        self._engine = engine
        self._chosen: dict[str, QVoice | None] = {}

    def for_locale(self, tts: QTextToSpeech, locale: str) -> QVoice | None:
        if locale not in self._chosen:
            self._chosen[locale] = best_voice(tts, locale)
            if self._chosen[locale] is None:
                log.warning(
                    "no %s voice in speech engine %r; reading aloud in the current voice",
                    locale,
                    self._engine,
                )
        return self._chosen[locale]

    def clear(self) -> None:
        """A new engine: its voices are asked for anew."""
        self._chosen.clear()
