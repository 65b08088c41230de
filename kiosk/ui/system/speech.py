# Kiosk setup: QtTextToSpeech's "speechd" engine talks to speech-dispatcher, which runs
# espeak-ng through the speech-dispatcher-espeak-ng module (all in deploy/packages-bundle.txt).
# The server is autospawned per user and reads $XDG_CONFIG_HOME/speech-dispatcher/speechd.conf
# (else /etc/speech-dispatcher/speechd.conf); it needs a working audio sink, or it stays
# "Speaking" forever. Without the engine the Speaker says why, once, and Listen stays hidden.
"""Read aloud: one Speaker per kiosk window, wiped with the patient's session."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QLocale, QObject, QTimer, Signal
from PySide6.QtTextToSpeech import QTextToSpeech

from kiosk.resources import SOURCE_LOCALE
from kiosk.ui.system.voices import Voices

log = logging.getLogger("kiosk.speech")

_INSTALL_HINT = "Install speech-dispatcher, speech-dispatcher-espeak-ng and espeak-ng"
# How long a text may take before the kiosk stops waiting for the engine to finish:
# 100 words a minute (slow, clear speech) plus a start-up margin. With no audio device
# answering, speech-dispatcher never reports the end, and Stop would show forever.
SLOWEST_WORDS_PER_S = 100 / 60
# Said in English, in a voice the kiosk has, when a language has none (staff can act on
# it; a patient hears that the reading that follows is not in their language).
NO_VOICE = "There is no {language} voice on this kiosk. It reads in another voice."
_READY = QTextToSpeech.State.Ready
Utterance = tuple[tuple[str, str], ...]  # (text, locale) parts, said one after another
START_MARGIN_S = 8
# The longest wait for speech-dispatcher to confirm a stop before an earcon and its words
# are sent anyway (the earcon may then be cut; the words are not).
SETTLE_MS = 120


class Speaker(QObject):
    """Speaks one text at a time in the patient's language; never raises."""

    speaking_changed = Signal(bool)

    def __init__(self, engine: str = "speechd", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._tts: QTextToSpeech | None = None
        self._speaking = False
        self._last: Utterance = ()
        self._told: set[str] = set()  # languages this patient was told have no voice
        self._pending: list[tuple[str, str]] = []  # the rest of an utterance, in order
        self._voice: tuple[float, float] | None = None  # speech mode's; None: the engine's
        self._normal = (0.5, 0.0)  # the engine's own volume and rate, read when it is made
        self._voices = Voices(engine)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.timeout.connect(self._give_up)
        self._before: Callable[[], object] | None = None  # say_parts' earcon, not yet played
        # The stop before an earcon, until the server's answer (see say_parts).
        self._settling = _single_shot(self, SETTLE_MS, self._begin)
        # The last failure of a running engine, for staff ("" while none), and whether
        # the new engine made after it works (see _renew).
        self.failure = ""
        self.recovered = False
        tts = first_engine(engine, self)
        if tts is not None:
            self._adopt(tts)

    def _adopt(self, tts: QTextToSpeech) -> None:
        if self._tts is None:
            self._normal = (tts.volume(), tts.rate())
        self._tts = tts
        self._apply_voice()
        tts.stateChanged.connect(self._on_state)
        tts.errorOccurred.connect(self._on_error)

    @property
    def available(self) -> bool:
        return self._tts is not None and self._tts.state() != QTextToSpeech.State.Error

    @property
    def is_speaking(self) -> bool:
        return self._speaking

    @property
    def voice_locale(self) -> str:
        """The engine's current voice, as a locale name like "es_ES"; "" without one."""
        return self._tts.voice().locale().name() if self._tts is not None else ""

    @property
    def last_text(self) -> str:
        return " ".join(text for text, _locale in self._last)

    def set_voice(self, voice: tuple[float, float] | None) -> None:
        """(volume 0..1, a linear amplitude; rate -1..1, 0 the engine's normal) for what
        is said next (kiosk.core.speech.volume); None: the engine's own again."""
        self._voice = voice
        self._apply_voice()

    def _apply_voice(self) -> None:
        if self._tts is None:
            return
        volume, rate = self._voice or self._normal
        self._tts.setVolume(volume)
        self._tts.setRate(rate)

    def say(self, text: str, locale: str) -> bool:
        return self.say_parts(((text, locale),))

    def say_parts(self, parts: Utterance, before: Callable[[], object] | None = None) -> bool:
        """Say (text, locale) ``parts`` in turn, each in its language's voice (EN 301 549
        5.1.3.3): the welcome screen's English lines not read by a Spanish voice.
        ``before``: called once what was being said has stopped, just before the first
        part is sent (an earcon, kiosk.core.speech.sound_icons). False if the engine
        failed, and a new one too: nothing is said."""
        parts = tuple((text, locale) for text, locale in parts if text.strip())
        if self._tts is None or not parts:
            return self._tts is not None
        self._last = parts
        parts = (*missing_voice_notices(parts, self._tts, self._voices, self._told), *parts)
        was_speaking = self._speaking
        self.stop()
        if self._tts.state() == QTextToSpeech.State.Error and not self._renew():
            return False
        self._pending, self._before = list(parts), before
        # Qt's speechd engine stops with SSIP's CANCEL ALL, again in say() until the
        # server's answer to a stop reached it (state Ready): a sound sent in between
        # would go too. So the sound and the words wait for that answer (_on_state).
        if before is not None and (was_speaking or self._tts.state() != _READY):
            self._settling.start()
        elif not self._begin():
            return False
        words = " ".join(text for text, _locale in parts)
        self._deadline.start(round(longest_speech_s(words) * 1000))
        # Speaking from now: an engine that was stopped while its audio hung still
        # reports Speaking, and would never say so again.
        if not self._speaking:
            self._speaking = True
            self.speaking_changed.emit(True)
        return True

    def _begin(self) -> bool:
        """Send the first part of what say_parts was given (after ``before``); False if
        the engine failed and a new one failed too (then silent)."""
        self._settling.stop()
        if self._tts is None or not self._pending:
            return False
        first = self._pending.pop(0)
        before, self._before = self._before, None
        if before is not None:
            before()
        self._send(*first)
        if self._tts.state() == QTextToSpeech.State.Error:
            # The engine still looked fine, but its server was gone: the text failed at
            # once (speech-dispatcher killed while speaking leaves no other trace).
            if not self._renew():
                self.stop()
                return False
            self._send(*first)
        return True

    def _send(self, text: str, locale: str) -> None:
        assert self._tts is not None
        voice = self._voices.for_locale(self._tts, locale)
        # Compare names: switching voice is a round trip to the server on speechd.
        if voice is not None and voice.name() != self._tts.voice().name():
            self._tts.setVoice(voice)
        self._tts.say(text)

    def _renew(self) -> bool:
        """Replace a failed engine with a new one (speechd's starts a new
        speech-dispatcher); False, and read aloud silent until the next try, if that
        fails too. Logged either way, and kept for staff in ``failure``."""
        assert self._tts is not None
        old, why = self._tts, self._tts.errorString() or "it reported an error"
        old.stateChanged.disconnect(self._on_state)
        old.errorOccurred.disconnect(self._on_error)
        old.deleteLater()  # speechd's engines all hear each other's events until deleted
        self._voices.clear()
        tts = QTextToSpeech(self._engine, self)
        works = tts.state() != QTextToSpeech.State.Error
        # Once per run of failures: every Listen tries again, and would log again.
        _log_renewal(self._engine, why, tts, again=bool(self.failure) and not self.recovered)
        self.failure, self.recovered = f"speech engine '{self._engine}': {why}", works
        self._adopt(tts)  # in its Error state if it failed: the next say() tries again
        return works

    def stop(self) -> None:
        """Silence now, even if the engine never confirms (no audio device answers)."""
        self._deadline.stop()
        self._settling.stop()
        self._pending.clear()
        self._before = None
        # Speaking: stopped whatever the engine says (between two parts it says Ready,
        # and the next part, sent, played on after a reset).
        if self._tts is not None and (self._speaking or self._tts.state() != _READY):
            self._tts.stop()
        if self._speaking:
            self._speaking = False
            self.speaking_changed.emit(False)

    def _give_up(self) -> None:  # the engine never said it finished: Listen again
        if self._speaking:
            log.warning("speech engine %r did not finish in time (no audio device?)", self._engine)
        self.stop()

    def repeat(self) -> None:
        self.say_parts(self._last)

    def reset(self) -> None:
        """Between patients: silence, and nothing of this one left to repeat."""
        self.stop()
        self._last, self._told = (), set()

    # --- engine ----------------------------------------------------------------------

    def _on_state(self, state: QTextToSpeech.State) -> None:
        if self._settling.isActive():
            if state == _READY:  # the stop is confirmed: the earcon, then the words
                self._begin()
            return
        if state == QTextToSpeech.State.Speaking:
            speaking = True
        elif state == QTextToSpeech.State.Ready and self._pending:
            self._send(*self._pending.pop(0))  # the next part: still speaking
            return
        elif state in (QTextToSpeech.State.Ready, QTextToSpeech.State.Error):
            speaking = False
            self._pending.clear()
            self._deadline.stop()
        else:  # Paused or Synthesizing: the kiosk does neither, keep what was said
            return
        if speaking != self._speaking:
            self._speaking = speaking
            self.speaking_changed.emit(speaking)

    def _on_error(self, _reason: QTextToSpeech.ErrorReason, message: str) -> None:
        log.debug("speech engine %r: %s", self._engine, message)  # _renew logs the rest


def _single_shot(parent: QObject, ms: int, then: Callable[[], object]) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(ms)
    timer.timeout.connect(then)
    return timer


def first_engine(engine: str, parent: QObject) -> QTextToSpeech | None:
    """Qt's engine ``engine`` if it works here; else None, and the log says why, once.
    Slow on speechd (about a second: it lists every espeak-ng voice), so made once per
    Speaker, and again only after the engine failed (Speaker._renew)."""
    engines = QTextToSpeech.availableEngines()
    if engine not in engines:
        # Constructing QTextToSpeech with an unknown name only prints a Qt warning.
        why = f"it is not among Qt's engines here ({', '.join(engines) or 'none'})"
        _warn_unavailable(engine, why)
        return None
    tts = QTextToSpeech(engine, parent)
    if tts.state() == QTextToSpeech.State.Error:
        _warn_unavailable(engine, tts.errorString() or "it reported an error")
        tts.deleteLater()
        return None
    return tts


def _log_renewal(engine: str, why: str, new: QTextToSpeech, *, again: bool) -> None:
    """Log that ``engine`` failed (``why``) and whether the ``new`` one made in its place
    works; ``again``: it failed before and no new one has worked since (logged quietly)."""
    if new.state() != QTextToSpeech.State.Error:
        log.warning(
            "speech engine %r failed (%s; speech-dispatcher may have stopped); made a new "
            "engine for this text and the next ones",
            engine,
            why,
        )
        return
    log.log(
        logging.DEBUG if again else logging.ERROR,
        "speech engine %r failed (%s; speech-dispatcher may have stopped) and a new "
        "engine failed too (%s); read aloud is silent until the next try. %s",
        engine,
        why,
        new.errorString() or "it reported an error",
        _INSTALL_HINT,
    )


def _warn_unavailable(engine: str, why: str) -> None:
    # Called at most once per Speaker, from its constructor: one line in the log.
    log.warning(
        "speech engine %r is not available: %s; Listen buttons are hidden. %s",
        engine,
        why,
        _INSTALL_HINT,
    )


def missing_voice_notices(
    parts: Utterance, tts: QTextToSpeech, voices: Voices, told: set[str]
) -> Utterance:
    """For each language of ``parts`` the engine has no voice for, and that ``told``
    (updated) does not hold yet: a notice, said in English (the kiosk's own language,
    which espeak-ng always has) before the text, which the current voice then reads.
    Logged once by ``voices``. "There is no Somali voice on this kiosk." (issue 15)."""
    notices = []
    for _text, locale in parts:
        if locale in told or voices.for_locale(tts, locale) is not None:
            continue
        told.add(locale)
        language = QLocale.languageToString(QLocale(locale).language())
        if QLocale(locale).language() == QLocale.Language.C:
            language = f'"{locale}"'
        notices.append((NO_VOICE.format(language=language), SOURCE_LOCALE))
    return tuple(notices)


def longest_speech_s(text: str) -> float:
    """Seconds after which a text still "speaking" means the engine is stuck."""
    return len(text.split()) / SLOWEST_WORDS_PER_S + START_MARGIN_S
