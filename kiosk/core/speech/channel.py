"""speech-dispatcher, spoken to over SSIP from threads of the kiosk's own.

Qt's speechd engine calls libspeechd on the GUI thread: connecting (and starting the
server), listing some 13,000 voices and every stop block the screen, and on a Debian
kiosk a server that would not start froze it until systemd's watchdog killed it
(tests/vm, 2026-12-03). It also cannot say which word is being read. So the kiosk
speaks SSIP itself (speech-dispatcher's manual, "SSIP"): a ``SpeechChannel`` takes
jobs from the GUI without ever waiting, and a worker thread sends them; a reader
thread turns the server's replies and events (7xx: begin, end, cancel, index marks)
into ``SpeechEvent``\\ s for a callback, called on that thread.

Each text goes as SSML (SSIP's SSML_MODE) with a ``<mark/>`` before each word, so
the server reports each word as it is read: the reader highlights it.

A server that is not there is started as libspeechd starts one (``speech-dispatcher
--spawn`` on the same socket), in the worker, never on the GUI thread. A connection
that fails (the server quit or was killed) is made afresh for the next text.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import re
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html import escape
from pathlib import Path

from kiosk.core.speech.ssip import (
    SsipConnection,
    SsipConnectionLostError,
    SsipError,
    server_address,
)
from kiosk.core.speech.tracking import Message, SpeechEvent, Tracker
from kiosk.core.speech.voices import SynthesisVoice, best_voice, parse_voices

__all__ = ["Part", "Speech", "SpeechChannel", "SpeechEvent", "ssml"]

log = logging.getLogger("kiosk.speech")

CLIENT_NAME = "kiosk:kiosk:speech"  # SSIP's user:application:component
# The first voice list starts the espeak-ng module and lists 13,000 voices: seconds on
# a slow machine (under QEMU without KVM, tens of them).
LIST_TIMEOUT_S = 60.0
CLOSE_WAIT_S = 1.0
CANCEL_ON_CLOSE_S = 0.5
# Said in English (espeak-ng always has it) before a text in a language with no voice:
# staff can act on it, and a patient hears why the reading is not in their language.
NO_VOICE = "There is no {language} voice on this kiosk. It reads in another voice."
_WORD = re.compile(r"\S+")
# What XML 1.0 does not allow in a document (its "Char" production), one for one.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Part:
    """A text and its language ("en", "es_ES")."""

    text: str
    locale: str


@dataclass(frozen=True)
class Speech:
    """Say ``parts`` in turn, each in a voice of its language, after the sound icon
    ``sound`` (a file name in the module's sound folder); ``volume`` 0..1 (a linear
    amplitude) and ``rate`` -1..1 (0 normal), None for the server's defaults."""

    number: int
    parts: tuple[Part, ...]
    sound: str | None = None
    volume: float | None = None
    rate: float | None = None


@dataclass
class _Session:
    """One open connection and what was set on it."""

    ssip: SsipConnection
    tracker: Tracker
    voices: list[SynthesisVoice] | None = None
    settings: dict[str, str] = field(default_factory=dict)
    defaults: tuple[int, int] = (0, 0)  # the server's volume and rate, -100..100
    voice_locale: str = ""  # the locale of the voice set last


class _Stop:
    """A job: stop what is being said."""


class _Forget:
    """A job: forget which languages the patient was told have no voice."""


_Job = Speech | _Stop | _Forget | None  # None: close


class SpeechChannel:
    """Speech through the speech-dispatcher at ``address`` (None: the user's own, as
    libspeechd finds it), reporting to ``on_event`` from its threads; ``language_name``
    names a locale's language in English (Qt's QLocale has the table)."""

    def __init__(
        self,
        on_event: Callable[[SpeechEvent], None],
        address: Path | None = None,
        language_name: Callable[[str], str] = lambda locale: f'"{locale}"',
    ) -> None:
        self._on_event = on_event
        self._language_name = language_name  # "so" -> "Somali", for NO_VOICE
        self._address = address if address is not None else server_address()
        self._jobs: queue.Queue[_Job] = queue.Queue()
        self._conn: _Session | None = None
        self._told: set[str] = set()  # languages said to have no voice, this patient
        self._closed = False
        self._queued_any = False  # a part of the text being sent reached the server
        self._worker = threading.Thread(target=self._work, name="speech", daemon=True)
        self._worker.start()

    def speak(self, speech: Speech) -> None:
        self._jobs.put(speech)

    def stop(self) -> None:
        self._jobs.put(_Stop())

    def forget(self) -> None:
        """Between patients: the next one is told again of a language with no voice."""
        self._jobs.put(_Forget())

    def close(self, *_: object) -> None:
        """Stop speaking and end the threads; waits at most CLOSE_WAIT_S (a server that
        does not answer never holds the kiosk's exit). Arguments are ignored (Qt's
        ``destroyed`` passes the object)."""
        self._closed = True
        self._jobs.put(_Stop())
        self._jobs.put(None)
        self._worker.join(CLOSE_WAIT_S)

    def _emit(self, event: SpeechEvent) -> None:
        if self._closed:
            return  # its receiver may be gone
        with contextlib.suppress(RuntimeError):  # deleted meanwhile (a Qt signal's object)
            self._on_event(event)

    # --- the worker ----------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            jobs = self._next_jobs()
            for job in jobs:
                if job is None:
                    self._disconnect()
                    return
                self._do(job)

    def _next_jobs(self) -> list[_Job]:
        """The jobs waiting, without the texts a later text or stop made moot (a patient
        pressing Down five times hears the fifth thing, at once)."""
        jobs = [self._jobs.get()]
        while True:
            try:
                jobs.append(self._jobs.get_nowait())
            except queue.Empty:
                break
        last = max((i for i, job in enumerate(jobs) if isinstance(job, Speech | _Stop)), default=0)
        return [job for i, job in enumerate(jobs) if i >= last or not isinstance(job, Speech)]

    def _do(self, job: Speech | _Stop | _Forget) -> None:
        if isinstance(job, _Forget):
            self._told.clear()
            return
        if isinstance(job, _Stop):
            if self._conn is not None and self._conn.ssip.alive:
                try:
                    self._command("CANCEL self")
                except SsipError:
                    self._disconnect()
            return
        # The server may end a connection as it is made or used (it was quitting when
        # idle, or was killed): one more try, on a new one, unless a part was queued (it
        # would be said twice). A refusal or a server that does not answer fails at once.
        self._queued_any = False
        for last_try in (False, True):
            try:
                self._say(job)
                return
            except SsipError as err:
                self._disconnect()
                lost = isinstance(err, SsipConnectionLostError)
                if last_try or self._queued_any or not lost:
                    self._emit(SpeechEvent("failed", job.number, detail=str(err)))
                    return
            except Exception as err:  # a server's nonsense must not end the worker
                log.exception("speech: unexpected error")
                self._disconnect()
                self._emit(SpeechEvent("failed", job.number, detail=f"unexpected: {err!r}"))
                return

    def _say(self, speech: Speech) -> None:
        conn = self._connect()
        self._command("CANCEL self")
        conn.tracker.clear()
        volume, rate = conn.defaults
        if speech.volume is not None:
            volume = max(-100, min(100, round(speech.volume * 200 - 100)))
        if speech.rate is not None:
            rate = max(-100, min(100, round(speech.rate * 100)))
        self._set("VOLUME", str(volume))
        self._set("RATE", str(rate))
        if speech.sound:
            self._command(f"SOUND_ICON {speech.sound}")
        notices = list(self._notices(speech.parts))
        parts = [*notices, *speech.parts]
        for index, part in enumerate(parts):
            # A language with no voice: read in the current one (after the notice).
            voice = best_voice(self._voices(), part.locale)
            if voice is not None:
                self._set("SYNTHESIS_VOICE", voice.name)
            locale = self._conn_voice_locale(voice)
            # Notices are part -1: the caller's parts keep their own numbers.
            last = index == len(parts) - 1
            conn.tracker.expect(Message(speech.number, index - len(notices), last, locale))
            if conn.ssip.speak(ssml(part.text)) is not None:
                self._queued_any = True
        self._emit(SpeechEvent("queued", speech.number))

    def _conn_voice_locale(self, voice: SynthesisVoice | None) -> str:
        """The locale of the voice now set: ``voice``'s, or the one set before."""
        assert self._conn is not None
        if voice is not None:
            self._conn.voice_locale = voice.locale
        return self._conn.voice_locale

    def _notices(self, parts: tuple[Part, ...]) -> Iterator[Part]:
        for part in parts:
            if part.locale in self._told or best_voice(self._voices(), part.locale):
                continue
            self._told.add(part.locale)
            log.warning("no %s voice in speech-dispatcher; reading in another voice", part.locale)
            yield Part(NO_VOICE.format(language=self._language_name(part.locale)), "en")

    def _voices(self) -> list[SynthesisVoice]:
        assert self._conn is not None
        if self._conn.voices is None:
            _code, lines = self._command("LIST SYNTHESIS_VOICES", LIST_TIMEOUT_S)
            self._conn.voices = parse_voices(lines)
        return self._conn.voices

    def _set(self, setting: str, value: str) -> None:
        assert self._conn is not None
        if self._conn.settings.get(setting) != value:
            self._command(f"SET SELF {setting} {value}")
            self._conn.settings[setting] = value

    # --- the connection --------------------------------------------------------------------

    def _connect(self) -> _Session:
        if self._conn is not None and self._conn.ssip.alive:
            return self._conn
        self._disconnect()  # the server went away since: a new one
        if self._address is None:
            raise SsipError("speech-dispatcher is not on a Unix socket here (SPEECHD_ADDRESS)")
        tracker = Tracker(self._emit)
        ssip = SsipConnection(self._address, tracker.event, tracker.queued, tracker.ended)
        session = self._conn = _Session(ssip, tracker)
        self._command(f"SET SELF CLIENT_NAME {CLIENT_NAME}")
        self._command("SET SELF NOTIFICATION ALL on")
        self._command("SET SELF SSML_MODE on")
        self._command("SET SELF PRIORITY message")  # each text in turn, as sent
        volume = int(self._command("GET VOLUME")[1][0])
        session.defaults = (volume, int(self._command("GET RATE")[1][0]))
        return session

    def _disconnect(self) -> None:
        """Close the connection; what it queued is cancelled first if the server answers
        (it goes on reading a closed connection's messages, to anyone listening)."""
        if self._conn is not None:
            with contextlib.suppress(SsipError):
                if self._conn.ssip.alive:
                    self._conn.ssip.command("CANCEL self", CANCEL_ON_CLOSE_S)
            self._conn.ssip.close()
            self._conn = None

    def _command(self, line: str, timeout: float | None = None) -> tuple[int, list[str]]:
        assert self._conn is not None
        return self._conn.ssip.command(line, timeout)


def ssml(text: str) -> str:
    """``text`` as SSML with a mark before each word, named "w<start>_<length>" (its
    place in ``text``): the server's index-mark events say which word is being read."""
    text = _NOT_XML.sub(" ", text)  # SSML is XML: a control character would void it all
    out, at = ["<speak>"], 0
    for word in _WORD.finditer(text):
        out.append(escape(text[at : word.start()], quote=False))
        out.append(f'<mark name="w{word.start()}_{len(word.group())}"/>')
        out.append(escape(word.group(), quote=False))
        at = word.end()
    out.append(escape(text[at:], quote=False) + "</speak>")
    return "".join(out)
