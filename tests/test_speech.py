"""Read aloud: the real speech-dispatcher + espeak-ng engine, Qt's mock engine, and none."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtTextToSpeech import QTextToSpeech
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from kiosk.core.content.pack import Pack
from kiosk.ui.assembly import KioskParts
from kiosk.ui.system.speech import Speaker
from kiosk.ui.theme import Theme

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
    speaker = Speaker("speechd")
    yield speaker
    speaker.reset()
    _delete(speaker)


@pytest.fixture
def mock(qapp: object) -> Iterator[Speaker]:
    speaker = Speaker("mock")
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


def test_the_engine_names_qt_offers_here(qapp: object) -> None:
    assert {"speechd", "mock"} <= set(QTextToSpeech.availableEngines())


# --- the real engine: speech-dispatcher driving espeak-ng ---------------------------------


def test_real_engine_says_english_then_returns_to_ready(speechd: Speaker, qtbot: QtBot) -> None:
    assert speechd.available
    record = Recorder(speechd)
    speechd.say("Hello, this is a test.", "en")
    qtbot.waitUntil(record.waiter(True, False), timeout=SPEAK_TIMEOUT_MS)
    assert record.seen[0][1] == "en_US"
    assert not speechd.is_speaking
    assert speechd.available  # back to Ready, not to Error
    assert speechd.last_text == "Hello, this is a test."


def test_real_engine_says_spanish_in_a_spanish_voice(speechd: Speaker, qtbot: QtBot) -> None:
    record = Recorder(speechd)
    speechd.say("Hola, esto es una prueba.", "es")
    qtbot.waitUntil(record.waiter(True, False), timeout=SPEAK_TIMEOUT_MS)
    speaking_locale = record.seen[0][1]
    assert speaking_locale == "es_ES"
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
    assert record.seen[-2][1] == "en_US"  # the last text, in its own language

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


# --- Qt's mock engine: the state logic, fast ----------------------------------------------


def test_mock_picks_a_voice_of_the_language(mock: Speaker, qtbot: QtBot) -> None:
    record = Recorder(mock)
    mock.say("Two words.", "en")
    qtbot.waitUntil(record.waiter(True, False), timeout=5000)
    # The mock engine has en_GB first; "en" means the language's own territory, en_US.
    assert record.seen[0][1] == "en_US"


def test_mock_without_the_language_logs_once_and_still_speaks(
    mock: Speaker,
    qtbot: QtBot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    record = Recorder(mock)
    with caplog.at_level(logging.WARNING, logger="kiosk.speech"):
        mock.say("Hola.", "es")
        qtbot.waitUntil(record.waiter(True, False), timeout=5000)
        mock.say("Hola otra vez.", "es")
        qtbot.waitUntil(record.waiter(True, False, True, False), timeout=5000)
    warnings = [r.getMessage() for r in caplog.records if r.name == "kiosk.speech"]
    assert len(warnings) == 1
    assert "no es voice" in warnings[0]


def test_mock_say_while_speaking_replaces_the_text(mock: Speaker, qtbot: QtBot) -> None:
    record = Recorder(mock)
    mock.say("one two three four five six seven eight nine ten", "en")
    qtbot.waitUntil(record.waiter(True), timeout=5000)
    mock.say("Short.", "en")
    assert mock.last_text == "Short."
    # Stopped, then the new text from its start, to its end.
    qtbot.waitUntil(record.waiter(True, False, True, False), timeout=5000)


def test_mock_empty_text_says_nothing_and_keeps_the_last(mock: Speaker, qtbot: QtBot) -> None:
    record = Recorder(mock)
    mock.say("Hello.", "en")
    qtbot.waitUntil(record.waiter(True, False), timeout=5000)
    with qtbot.assertNotEmitted(mock.speaking_changed, wait=200):
        mock.say("   ", "en")
    assert mock.last_text == "Hello."


# --- no engine ---------------------------------------------------------------------------


def test_unknown_engine_is_unavailable_says_why_and_never_raises(
    qapp: object,
    qtbot: QtBot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="kiosk.speech"):
        speaker = Speaker("no-such-engine")
    assert not speaker.available
    [warning] = [r for r in caplog.records if r.name == "kiosk.speech"]
    assert warning.levelno == logging.WARNING
    assert "'no-such-engine' is not available" in warning.getMessage()
    assert "Listen buttons are hidden" in warning.getMessage()

    with qtbot.assertNotEmitted(speaker.speaking_changed, wait=100):
        speaker.say("Hello, this is a test.", "en")
        speaker.repeat()
        speaker.stop()
        speaker.reset()
    assert not speaker.is_speaking
    assert speaker.last_text == ""
    assert speaker.voice_locale == ""
    _delete(speaker)


def test_speech_dispatcher_out_of_reach_is_unavailable(
    qapp: object,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Where no server can start (here: no such folder), Qt's engine reports an error.
    monkeypatch.setenv("SPEECHD_ADDRESS", "unix_socket:/nonexistent/speechd.sock")
    with caplog.at_level(logging.WARNING, logger="kiosk.speech"):
        speaker = Speaker("speechd")
    assert not speaker.available
    [warning] = [r.getMessage() for r in caplog.records if r.name == "kiosk.speech"]
    assert "Connection to speech-dispatcher failed" in warning
    speaker.say("Hello.", "en")
    _delete(speaker)


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
    speaker = Speaker("speechd")
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

    parts = make_kiosk(
        qtbot, bundled_pack, theme, pin_hash, make_speaker=lambda: Speaker("speechd")
    )
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
