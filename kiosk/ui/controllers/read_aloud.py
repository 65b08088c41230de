"""Read aloud: one speaker for the whole kiosk, made when a patient first turns it on.

No speaker is made until a patient (or staff, testing it) asks: the first text starts
speech-dispatcher (in the speaker's own thread). A machine with no voice offers none.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal

from kiosk.core.patient import DisplaySettings
from kiosk.ui.session import Session

if TYPE_CHECKING:
    from kiosk.core.speech.earcons import Earcon
    from kiosk.core.speech.sound_icons import EarconSounds
    from kiosk.ui.system.speech import Speaker

log = logging.getLogger("kiosk.speech")

MakeSpeaker = Callable[[], "Speaker"]


class SpeechMissingError(Exception):
    """This machine cannot read aloud: speech-dispatcher is not installed, and none runs.

    The message is one line for the log and the admin panel: what is missing and what
    to install."""


class ReadAloud(QObject):
    speaking_changed = Signal(bool)
    enabled_changed = Signal(bool)  # the reader offers Listen
    unavailable = Signal()  # the Aa panel stops offering read aloud
    failed = Signal(str)  # a text could not be said (Speaker.failed): why
    saying_word = Signal(int, int, int)  # of the reader's Listen only (Speaker.saying_word)
    following_ended = Signal()  # what is said now is not the card the reader follows

    def __init__(
        self,
        session: Session,
        make_speaker: MakeSpeaker | None,
        parent: QObject | None = None,
        *,
        find_speaker: Callable[[], MakeSpeaker | None] | None = None,
    ) -> None:
        """``find_speaker``: looks for speech-dispatcher (when first needed, after the
        first frame) instead of ``make_speaker``."""
        super().__init__(parent)
        self._session = session
        self._make_speaker = make_speaker
        self._find_speaker = find_speaker
        self.speaker: Speaker | None = None
        self.missing = ""  # why this machine cannot read aloud (SpeechMissingError), for staff
        self._voice: tuple[float, float] | None = None  # speech mode's volume and rate
        self._earcons: EarconSounds | None = None  # made with the first earcon
        self._following = False  # what is said is a card the reader shows (speak)

    @property
    def can_speak(self) -> bool:
        self.find_engine()
        return self._make_speaker is not None or self.speaker is not None

    @property
    def enabled(self) -> bool:
        """The reader offers Listen (what enabled_changed last said)."""
        return self._session.settings.read_aloud and self.speaker is not None

    def find_engine(self) -> None:
        """Look for the engine now, if that was left for later (``find_speaker``)."""
        if self._find_speaker is not None:
            find, self._find_speaker = self._find_speaker, None
            try:
                self._make_speaker = find()
            except SpeechMissingError as missing:
                # Read aloud is not offered; the rest of the kiosk goes on, and staff see why.
                log.error("read aloud is not offered: %s", missing)
                self.missing = str(missing)

    def apply(self, settings: DisplaySettings) -> None:
        if settings.read_aloud:
            self._ensure_speaker()
        self.enabled_changed.emit(settings.read_aloud and self.speaker is not None)

    def _ensure_speaker(self) -> None:
        self.find_engine()
        if self.speaker is not None or self._make_speaker is None:
            return
        speaker = self._make_speaker()
        if not speaker.available:  # the speaker has logged why
            self._make_speaker = None
            self.unavailable.emit()
            return
        speaker.setParent(self)
        speaker.speaking_changed.connect(self.speaking_changed)
        speaker.failed.connect(self.failed)
        speaker.saying_word.connect(self._word)
        speaker.set_voice(self._voice)
        self.speaker = speaker

    def set_voice(self, voice: tuple[float, float] | None) -> None:
        """Speech mode's (volume 0..1, rate -1..1), now and for a speaker made later;
        None: the engine's own (speech mode ended)."""
        self._voice = voice
        if self.speaker is not None:
            self.speaker.set_voice(voice)

    def test_speech(self) -> None:
        """For staff: say one sentence in the kiosk's default language."""
        self._ensure_speaker()
        if self.speaker is not None:
            self.speaker.say(
                QCoreApplication.translate("MainWindow", "This is a test of read aloud."),
                self._session.locale,
            )

    def announce(self, parts: Sequence[tuple[str, str]], earcon: Earcon | None = None) -> bool:
        """Say (text, language) ``parts`` now, one after another, whether or not read
        aloud is on (speech mode speaks everything); language "" is the patient's;
        ``earcon`` first, as speech-dispatcher's sound icon
        (kiosk.core.speech.sound_icons). False when this machine cannot speak; a text
        that fails later is ``failed``."""
        self._ensure_speaker()
        if self.speaker is None:
            return False
        if self._following:
            self._following = False
            self.following_ended.emit()
        locale = self._session.locale
        spoken = tuple((text, language or locale) for text, language in parts)
        return self.speaker.say_parts(spoken, sound=self._sound_of(earcon))

    def _sound_of(self, earcon: Earcon | None) -> str | None:
        if earcon is None:
            return None
        if self._earcons is None:
            from kiosk.core.speech.sound_icons import EarconSounds

            self._earcons = EarconSounds()
        return self._earcons.sound_icon(earcon)

    def speak(self, text: str) -> None:
        """Read ``text`` (a card: its words are followed on screen)."""
        if self.speaker is not None:
            self._following = True
            self.speaker.say(text, self._session.locale)

    def _word(self, part: int, start: int, length: int) -> None:
        if self._following:  # not speech mode's words: they are not the card's text
            self.saying_word.emit(part, start, length)

    def stop(self) -> None:
        if self.speaker is not None:
            self.speaker.stop()

    def repeat(self) -> None:
        if self.speaker is not None:
            self.speaker.repeat()

    def reset(self) -> None:
        """Between patients: silent, and the voice's settings back to the defaults."""
        if self.speaker is not None:
            self.speaker.reset()
