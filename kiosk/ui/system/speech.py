# Kiosk setup: the kiosk speaks SSIP to speech-dispatcher itself (kiosk.core.speech.channel
# says why not through QtTextToSpeech), which runs espeak-ng through the
# speech-dispatcher-espeak-ng module (all in deploy/packages-bundle.txt). The server is
# started per user if none runs and reads $XDG_CONFIG_HOME/speech-dispatcher/speechd.conf
# (else /etc/speech-dispatcher/speechd.conf); it needs a working audio sink, or it never
# reports the end of a text. Without it the Speaker says why, once, and Listen stays hidden.
"""Read aloud: one Speaker per kiosk window, wiped with the patient's session."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QLocale, QObject, QTimer, Signal

from kiosk.core.speech.channel import Part, Speech, SpeechChannel, SpeechEvent
from kiosk.core.speech.ssip import installed, server_address

log = logging.getLogger("kiosk.speech")

_INSTALL_HINT = "Install speech-dispatcher, speech-dispatcher-espeak-ng and espeak-ng"
# How long a text may take before the kiosk stops waiting for the server to finish:
# 100 words a minute (slow, clear speech) plus a start-up margin. With no audio device
# answering, speech-dispatcher never reports the end, and Stop would show forever.
SLOWEST_WORDS_PER_S = 100 / 60
START_MARGIN_S = 8
Utterance = tuple[tuple[str, str], ...]  # (text, locale) parts, said one after another


class Speaker(QObject):
    """Speaks one utterance at a time in the patient's language; never blocks the screen
    (speech-dispatcher is spoken to from threads of its own) and never raises.

    ``speaking_changed``: True at once when asked to speak, False once the server said
    the last part ended, the kiosk stopped it, or it failed. ``saying_word``: (part,
    start, length) of the word being read, in that part's text (SSML index marks).
    ``failed``: why a text could not be said (nothing was)."""

    speaking_changed = Signal(bool)
    saying_word = Signal(int, int, int)
    failed = Signal(str)
    _event = Signal(object)  # from the channel's threads, delivered on this one's

    def __init__(self, address: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._address = address if address is not None else server_address()
        self._speaking = False
        self._number = 0  # the utterance now asked for; events of older ones are stale
        self._last: Utterance = ()
        self._voice: tuple[float, float] | None = None  # speech mode's; None: the server's
        self.voice_locale = ""  # the locale of the voice reading now, or that read last
        # The last failure, for staff ("" while none), and whether speech worked since.
        self.failure = ""
        self.recovered = False
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._give_up)
        self._event.connect(self._on_event)
        self.available = self._address is not None and (installed() or self._address.exists())
        self._channel: SpeechChannel | None = None
        if not self.available:
            where = "no Unix socket" if self._address is None else "not installed"
            log.warning(
                "speech-dispatcher: %s; Listen buttons are hidden. %s", where, _INSTALL_HINT
            )
            return
        self._channel = SpeechChannel(self._event.emit, self._address, _language_name)
        self.destroyed.connect(self._channel.close)

    @property
    def is_speaking(self) -> bool:
        return self._speaking

    @property
    def last_text(self) -> str:
        return " ".join(text for text, _locale in self._last)

    def set_voice(self, voice: tuple[float, float] | None) -> None:
        """(volume 0..1, a linear amplitude; rate -1..1, 0 the normal) for what is said
        next (kiosk.core.speech.volume); None: the server's own again."""
        self._voice = voice

    def say(self, text: str, locale: str) -> bool:
        return self.say_parts(((text, locale),))

    def say_parts(self, parts: Utterance, sound: str | None = None) -> bool:
        """Say (text, locale) ``parts`` in turn, each in its language's voice (EN 301 549
        5.1.3.3): the welcome screen's English lines not read by a Spanish voice; the
        sound icon ``sound`` first (an earcon, kiosk.core.speech.earcons). Returns at
        once: False only if this kiosk cannot speak at all; a text that fails later is
        ``failed``."""
        parts = tuple((text, locale) for text, locale in parts if text.strip())
        if self._channel is None or not parts:
            return self._channel is not None
        self._last = parts
        self._number += 1
        volume, rate = self._voice or (None, None)
        speech = Speech(self._number, tuple(Part(*p) for p in parts), sound, volume, rate)
        self._channel.speak(speech)
        # The deadline runs from when the server has the text ("queued"): starting it
        # and listing its voices may take long on a slow machine, and fail on their own.
        self._deadline.stop()
        self._set_speaking(True)
        return True

    def stop(self) -> None:
        """Silence now, even if the server never confirms (no audio device answers)."""
        self._deadline.stop()
        if self._channel is not None:
            # Even when not speaking, as far as this side knows: a text that failed here
            # may still be read by a server that got it (a patient's words, after them).
            self._number += 1  # what the stopped text still reports is stale
            self._channel.stop()
        self._set_speaking(False)

    def repeat(self) -> None:
        self.say_parts(self._last)

    def reset(self) -> None:
        """Between patients: silence, and nothing of this one left to repeat."""
        self.stop()
        self._last = ()
        if self._channel is not None:
            self._channel.forget()

    def _set_speaking(self, speaking: bool) -> None:
        if speaking != self._speaking:
            self._speaking = speaking
            self.speaking_changed.emit(speaking)

    def _give_up(self) -> None:  # the server never said it finished: Listen again
        if self._speaking:
            log.warning("speech-dispatcher did not finish in time (no audio device?)")
        self.stop()

    def _on_event(self, event: SpeechEvent) -> None:
        if event.kind == "lost" and event.number != self._number:
            self._note_failure(event.detail)  # the server died under an older text
            return
        if event.number != self._number:
            return  # a text since stopped or replaced
        if event.kind in ("queued", "begin", "word"):  # it is moving: the clock restarts
            words = " ".join(text for text, _locale in self._last)
            self._deadline.start(round(longest_speech_s(words) * 1000))
        if event.kind == "begin":
            self.voice_locale = event.detail
            if self.failure and not self.recovered:
                log.warning("speech-dispatcher works again (%s before)", self.failure)
                self.recovered = True
        elif event.kind == "word":
            self.saying_word.emit(event.part, event.start, event.length)
        elif event.kind in ("end", "cancel"):
            self._deadline.stop()
            self._set_speaking(False)
        elif event.kind in ("failed", "lost"):
            self._fail(event.detail)

    def _fail(self, why: str) -> None:
        self._note_failure(why)
        self._deadline.stop()
        self._set_speaking(False)
        self.failed.emit(why)

    def _note_failure(self, why: str) -> None:
        """Log a failure (once per run of them: every Listen tries again) and keep it for
        staff until speech works again."""
        again = bool(self.failure) and not self.recovered
        log.log(
            logging.DEBUG if again else logging.ERROR,
            "speech-dispatcher failed (%s); read aloud is silent until the next try. %s",
            why,
            _INSTALL_HINT,
        )
        self.failure, self.recovered = f"speech-dispatcher: {why}", False


def _language_name(locale: str) -> str:
    """``locale``'s language in English ("so" -> "Somali"); its code in quotes if Qt does
    not know it."""
    language = QLocale(locale).language()
    if language == QLocale.Language.C:
        return f'"{locale}"'
    return QLocale.languageToString(language)


def longest_speech_s(text: str) -> float:
    """Seconds after which a text still "speaking" means the server is stuck."""
    return len(text.split()) / SLOWEST_WORDS_PER_S + START_MARGIN_S
