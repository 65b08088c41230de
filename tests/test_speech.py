"""Read aloud: the real speech-dispatcher with espeak-ng, one that misbehaves, and none."""

from __future__ import annotations

import itertools
import logging
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from kiosk.core.content.pack import Pack
from kiosk.ui.assembly import KioskParts
from kiosk.ui.system.speech import Speaker
from kiosk.ui.theme import Theme

from speech_server import heard

pytestmark = pytest.mark.gui

# espeak-ng into a null sink is many times faster than real time: a sentence is done in
# some 50 ms. This takes about two seconds, long enough to stop it halfway.
LONG_TEXT = " ".join(["This sentence is repeated so that reading it takes a while."] * 60)
SPEAK_TIMEOUT_MS = 20_000


def _delete(speaker: Speaker) -> None:
    # Through Qt and now: speechd's engines all hear every engine's events until deleted.
    speaker.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


@pytest.fixture
def speechd(qapp: object, shared_speech_home: Path) -> Iterator[Speaker]:
    speaker = Speaker()
    yield speaker
    speaker.reset()
    _delete(speaker)


class Recorder:
    """What speaking_changed said, with the voice's locale at that moment."""

    def __init__(self, speaker: Speaker) -> None:
        self.speaker = speaker
        self.seen: list[tuple[bool, str]] = []
        speaker.speaking_changed.connect(self.record)

    def record(self, speaking: bool) -> None:
        self.seen.append((speaking, self.speaker.voice_locale))

    @property
    def changes(self) -> list[bool]:
        return [speaking for speaking, _ in self.seen]

    def waiter(self, *expected: bool) -> Callable[[], bool]:
        def done() -> bool:
            return self.changes == list(expected)

        return done


# --- the real engine: speech-dispatcher driving espeak-ng ---------------------------------


def test_real_engine_says_english_then_returns_to_ready(speechd: Speaker, qtbot: QtBot) -> None:
    assert speechd.available
    record = Recorder(speechd)
    speechd.say("Hello, this is a test.", "en")
    qtbot.waitUntil(record.waiter(True, False), timeout=SPEAK_TIMEOUT_MS)
    assert speechd.voice_locale == "en_US"  # "en": American English (not Caribbean)
    assert not speechd.is_speaking
    assert speechd.available  # back to Ready, not to Error
    assert speechd.last_text == "Hello, this is a test."


def test_real_engine_says_spanish_in_a_spanish_voice(speechd: Speaker, qtbot: QtBot) -> None:
    record = Recorder(speechd)
    speechd.say("Hola, esto es una prueba.", "es")
    qtbot.waitUntil(record.waiter(True, False), timeout=SPEAK_TIMEOUT_MS)
    assert speechd.voice_locale == "es"  # espeak-ng's Spanish of Spain
    assert speechd.available


def test_real_engine_stops_quickly(speechd: Speaker, qtbot: QtBot) -> None:
    record = Recorder(speechd)
    speechd.say(LONG_TEXT, "en")
    qtbot.waitUntil(record.waiter(True), timeout=SPEAK_TIMEOUT_MS)
    started = time.monotonic()
    speechd.stop()
    qtbot.waitUntil(record.waiter(True, False), timeout=SPEAK_TIMEOUT_MS)
    assert time.monotonic() - started < 1.0
    assert speechd.available
    assert speechd.last_text == LONG_TEXT  # stopping is not forgetting: Repeat still works


def test_real_engine_repeats_the_last_text_and_reset_forgets_it(
    speechd: Speaker, qtbot: QtBot
) -> None:
    record = Recorder(speechd)
    speechd.say("Hola, esto es una prueba.", "es")
    qtbot.waitUntil(record.waiter(True, False), timeout=SPEAK_TIMEOUT_MS)
    speechd.say("Hello, this is a test.", "en")
    qtbot.waitUntil(record.waiter(True, False, True, False), timeout=SPEAK_TIMEOUT_MS)

    speechd.repeat()
    qtbot.waitUntil(record.waiter(True, False, True, False, True, False), timeout=SPEAK_TIMEOUT_MS)
    assert speechd.voice_locale == "en_US"  # the last text, in its own language

    speechd.reset()
    assert speechd.last_text == ""
    with qtbot.assertNotEmitted(speechd.speaking_changed, wait=300):
        speechd.repeat()


def test_real_engine_reset_while_speaking_silences_it(speechd: Speaker, qtbot: QtBot) -> None:
    record = Recorder(speechd)
    speechd.say(LONG_TEXT, "en")
    qtbot.waitUntil(record.waiter(True), timeout=SPEAK_TIMEOUT_MS)
    speechd.reset()
    qtbot.waitUntil(record.waiter(True, False), timeout=2000)
    assert speechd.last_text == ""


# --- what reached the server -------------------------------------------------------------


def test_a_language_with_no_voice_is_said_so_once_then_read_anyway(
    qtbot: QtBot, transcript: Path, caplog: pytest.LogCaptureFixture
) -> None:
    speaker = Speaker()
    record = Recorder(speaker)
    with caplog.at_level(logging.WARNING, logger="kiosk.speech"):
        speaker.say("Nabad.", "so")  # Somali: espeak-ng has no voice for it
        qtbot.waitUntil(record.waiter(True, False), timeout=SPEAK_TIMEOUT_MS)
        speaker.say("Nabad mar kale.", "so")
        qtbot.waitUntil(record.waiter(True, False, True, False), timeout=SPEAK_TIMEOUT_MS)
    notice = "There is no Somali voice on this kiosk. It reads in another voice."
    assert heard(transcript) == [notice, "Nabad.", "Nabad mar kale."]
    warnings = [r.getMessage() for r in caplog.records if r.name == "kiosk.speech"]
    assert len(warnings) == 1 and "no so voice" in warnings[0], warnings
    speaker.reset()  # the next patient is told again
    speaker.say("Nabad.", "so")
    qtbot.waitUntil(lambda: heard(transcript)[-2:] == [notice, "Nabad."], timeout=SPEAK_TIMEOUT_MS)
    _delete(speaker)


def test_say_while_speaking_replaces_the_text(qtbot: QtBot, transcript: Path) -> None:
    speaker = Speaker()
    record = Recorder(speaker)
    speaker.say(LONG_TEXT, "en")
    qtbot.waitUntil(lambda: heard(transcript) == [LONG_TEXT], timeout=SPEAK_TIMEOUT_MS)
    speaker.say("Short.", "en")
    assert speaker.last_text == "Short."
    qtbot.waitUntil(record.waiter(True, False), timeout=SPEAK_TIMEOUT_MS)
    assert heard(transcript) == [LONG_TEXT, "Short."]
    _delete(speaker)


def test_each_word_is_reported_as_it_is_read(speechd: Speaker, qtbot: QtBot) -> None:
    words: list[tuple[int, int, int]] = []
    speechd.saying_word.connect(lambda *word: words.append(word))
    text = "Call 911 & say <where> you are."
    speechd.say_parts((("Hola.", "es"), (text, "en")))
    qtbot.waitUntil(lambda: not speechd.is_speaking, timeout=SPEAK_TIMEOUT_MS)
    texts = ("Hola.", text)
    said = [(part, texts[part][start : start + length]) for part, start, length in words]
    assert said == [
        (0, "Hola."),
        *((1, word) for word in text.split()),
    ], words


def test_empty_text_says_nothing_and_keeps_the_last(speechd: Speaker, qtbot: QtBot) -> None:
    record = Recorder(speechd)
    speechd.say("Hello.", "en")
    qtbot.waitUntil(record.waiter(True, False), timeout=SPEAK_TIMEOUT_MS)
    with qtbot.assertNotEmitted(speechd.speaking_changed, wait=200):
        speechd.say("   ", "en")
    assert speechd.last_text == "Hello."


# --- no server, or one that misbehaves ---------------------------------------------------


def test_no_speech_dispatcher_is_unavailable_says_why_and_never_raises(
    qapp: object,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # not installed
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{tmp_path / 'none.sock'}")
    with caplog.at_level(logging.WARNING, logger="kiosk.speech"):
        speaker = Speaker()
    assert not speaker.available
    [warning] = [r for r in caplog.records if r.name == "kiosk.speech"]
    assert warning.levelno == logging.WARNING
    assert "not installed" in warning.getMessage()
    assert "Listen buttons are hidden" in warning.getMessage()

    with qtbot.assertNotEmitted(speaker.speaking_changed, wait=100):
        assert not speaker.say("Hello, this is a test.", "en")
        speaker.repeat()
        speaker.stop()
        speaker.reset()
    assert not speaker.is_speaking
    assert speaker.last_text == ""
    assert speaker.voice_locale == ""
    _delete(speaker)


def test_a_server_that_cannot_start_fails_the_text_not_the_screen(
    qapp: object,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    blocked = tmp_path / "a file"  # its socket's folder cannot be made
    blocked.write_text("", "utf-8")
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{blocked / 'speechd.sock'}")
    speaker = Speaker()
    assert speaker.available  # installed: it may start
    record = Recorder(speaker)
    with caplog.at_level(logging.ERROR, logger="kiosk.speech"):
        with qtbot.waitSignal(speaker.failed, timeout=10_000) as failed:
            assert speaker.say("Hello.", "en")
        qtbot.waitUntil(record.waiter(True, False), timeout=1000)
    assert "did not start" in failed.args[0], failed.args
    [error] = [r.getMessage() for r in caplog.records if r.name == "kiosk.speech"]
    assert "read aloud is silent until the next try" in error and "espeak-ng" in error
    assert speaker.failure and not speaker.recovered  # for the admin panel
    _delete(speaker)


def test_a_server_that_never_answers_never_holds_the_screen(
    qapp: object, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What froze a Debian kiosk until its watchdog killed it (tests/vm, 2026-12-03): the
    speech server's socket accepts, and nothing answers. The screen goes on; the text
    fails after the channel's timeout."""
    import kiosk.core.speech.ssip as ssip

    monkeypatch.setattr(ssip, "REPLY_TIMEOUT_S", 1.0)
    path = tmp_path / "mute.sock"
    mute = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    mute.bind(str(path))
    mute.listen()
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{path}")
    speaker = Speaker()
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    with qtbot.waitSignal(speaker.failed, timeout=10_000) as failed:
        started = time.monotonic()
        speaker.say("Hello.", "en")
        speaker.stop()
        speaker.say("Hello again.", "en")
        asked = time.monotonic() - started
    timer.stop()
    assert asked < 0.05, asked  # the GUI thread never waited for the server
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert max(gaps) < 0.5, max(gaps)  # and went on painting meanwhile
    assert "did not answer" in failed.args[0], failed.args
    assert not speaker.is_speaking
    _delete(speaker)
    mute.close()


# --- no audio device answering: the kiosk must not show Stop forever ----------------------


@pytest.fixture
def speechd_without_audio(
    qapp: object, speech_home: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Speaker]:
    """speech-dispatcher whose audio output never answers (a PulseAudio server that is
    not there), as on a kiosk whose headset or sound card is gone."""
    conf = speech_home / "config" / "speech-dispatcher" / "speechd.conf"
    text = conf.read_text("utf-8").replace('AudioOutputMethod "alsa"', 'AudioOutputMethod "pulse"')
    conf.write_text(text.replace('AudioALSADevice "null"\n', ""), "utf-8")
    monkeypatch.setenv("PULSE_SERVER", f"unix:{speech_home}/no-such-pulse-server")
    speaker = Speaker()
    yield speaker
    speaker.reset()
    _delete(speaker)


def test_speech_that_never_finishes_gives_listen_back(
    speechd_without_audio: Speaker, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kiosk.ui.system.speech as speech

    monkeypatch.setattr(speech, "START_MARGIN_S", 2)
    record = Recorder(speechd_without_audio)
    started = time.monotonic()
    speechd_without_audio.say("Hello there.", "en")
    limit = speech.longest_speech_s("Hello there.")
    qtbot.waitUntil(lambda: record.changes[-1:] == [False], timeout=int(limit * 1000) + 10_000)
    assert record.changes[0] is True  # it did start, and stayed speaking with no sound
    assert time.monotonic() - started >= limit - 0.5  # given up on, not finished


def _ways_out(k: KioskParts) -> dict[str, Callable[[], None]]:
    """Every way a patient leaves an article being read."""
    w, speaker = k.window, k.read_aloud.speaker
    assert speaker is not None

    def related() -> None:
        assert w.reader.article is not None
        w.reader.show_card(len(w.reader.article.sections) - 1)
        speaker.say(LONG_TEXT, "en")  # turning cards stops it too: read the last one
        slug = next(b for b in w.reader.findChildren(QPushButton) if b.property("slug"))
        slug.click()

    return {
        "Home": w.top_bar.home_button.click,
        "Back": w.top_bar.back_button.click,
        "a related article": related,
        "the language button": w.top_bar.language_button.click,
        "Quick exit": w.reader.banner.exit_button.click,
        "the idle reset": w.session.reset,
    }


@pytest.mark.parametrize(
    "way_out",
    ["Home", "Back", "a related article", "the language button", "Quick exit", "the idle reset"],
)
def test_speech_stops_when_the_patient_leaves_the_article(
    qtbot: QtBot,
    shared_speech_home: Path,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    way_out: str,
) -> None:
    from kiosk.core.patient import DisplaySettings

    from conftest import make_kiosk

    parts = make_kiosk(qtbot, bundled_pack, theme, pin_hash, make_speaker=lambda: Speaker())
    w = parts.window
    w.session.open_home()
    parts.navigator.open_terms()
    w.session.set_settings(DisplaySettings(read_aloud=True))
    parts.navigator.open_article("harm-reduction-therapy")  # sensitive: it has Quick exit
    speaker = parts.read_aloud.speaker
    assert speaker is not None
    record = Recorder(speaker)
    qtbot.mouseClick(w.reader.listen_button, Qt.MouseButton.LeftButton)
    speaker.say(LONG_TEXT, "en")  # a card long enough to leave in the middle of
    qtbot.waitUntil(lambda: speaker.is_speaking, timeout=SPEAK_TIMEOUT_MS)
    _ways_out(parts)[way_out]()
    qtbot.waitUntil(lambda: not speaker.is_speaking, timeout=1000)  # LONG_TEXT takes 2 s
    assert record.changes[-1] is False
    assert not w.reader.stop_button.isVisible()
