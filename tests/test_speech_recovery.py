"""Read aloud comes back after speech-dispatcher dies (issue 13, item 6).

speech-dispatcher killed while speaking left Qt's engine in its Error state: every later
patient pressed Listen to silence. The kiosk now connects afresh on the next use (and
starts a new server), logs what happened, and tells staff.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.core.content.pack import Pack
from kiosk.core.patient import DisplaySettings
from kiosk.ui.system.speech import Speaker
from kiosk.ui.theme import Theme

from conftest import built_kiosk, make_kiosk
from speech_server import children_of, queued_in

pytestmark = pytest.mark.gui
LONG_TEXT = " ".join(["This sentence is repeated so that reading it takes a while."] * 60)
SPEAK_TIMEOUT_MS = 20_000


@pytest.fixture
def chatty_speechd(transcript: Path) -> Path:
    """speech-dispatcher logging every text it receives, so a test can see what reached
    it (conftest's transcript). Returns its log file."""
    return transcript


def _kill_quietly(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def _server_pid(speech_home: Path) -> int:
    pid_file = speech_home / "run" / "speech-dispatcher" / "pid" / "speech-dispatcher.pid"
    return int(pid_file.read_text("utf-8"))


def _kill_server(speech_home: Path) -> None:
    """SIGKILL the server, as the OOM killer or a crash would end it; its voice module
    loses its server and ends too (killed here, in case it lingers)."""
    pid = _server_pid(speech_home)
    modules = children_of(pid)
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    for module in modules:
        _kill_quietly(module)


def _received(log: Path, after: int, text: str) -> bool:
    """Whether speech-dispatcher logged ``text`` arriving after the ``after``-th start."""
    if not log.exists():
        return False
    starts = log.read_text("utf-8", errors="replace").split("Speech Dispatcher started")
    return len(starts) > after + 1 and text in queued_in("".join(starts[after + 1 :]))


def test_listen_after_speech_dispatcher_was_killed_speaks_through_a_new_server(
    qtbot: QtBot,
    chatty_speechd: Path,
    speech_home: Path,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    parts = make_kiosk(qtbot, bundled_pack, theme, pin_hash, make_speaker=lambda: Speaker())
    w = parts.window
    w.session.open_home()
    w.session.set_settings(DisplaySettings(read_aloud=True))
    parts.navigator.open_article("heartburn")
    speaker = parts.read_aloud.speaker
    assert speaker is not None
    speaker.say(LONG_TEXT, "en")
    qtbot.waitUntil(lambda: speaker.is_speaking, timeout=SPEAK_TIMEOUT_MS)
    qtbot.waitUntil(lambda: _received(chatty_speechd, 0, LONG_TEXT), timeout=SPEAK_TIMEOUT_MS)
    _kill_server(speech_home)

    with caplog.at_level(logging.WARNING, logger="kiosk.speech"):
        qtbot.mouseClick(w.reader.listen_button, Qt.MouseButton.LeftButton)  # the next patient
        card_text = speaker.last_text
        assert card_text and card_text != LONG_TEXT
        qtbot.waitUntil(lambda: _received(chatty_speechd, 1, card_text), timeout=SPEAK_TIMEOUT_MS)
        qtbot.waitUntil(lambda: not speaker.is_speaking, timeout=SPEAK_TIMEOUT_MS)
    warnings = [r.getMessage() for r in caplog.records if r.name == "kiosk.speech"]
    assert any("speech-dispatcher failed" in m for m in warnings), warnings
    assert any("speech-dispatcher works again" in m for m in warnings), warnings

    # And again: the new engine stays in use, with no more warnings.
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="kiosk.speech"):
        speaker.say("A third text after the recovery.", "en")
        qtbot.waitUntil(
            lambda: _received(chatty_speechd, 1, "A third text after the recovery."),
            timeout=SPEAK_TIMEOUT_MS,
        )
    assert [r for r in caplog.records if r.name == "kiosk.speech"] == []


def test_staff_see_that_read_aloud_was_restarted(
    qtbot: QtBot,
    chatty_speechd: Path,
    speech_home: Path,
    theme: Theme,
    pin_hash: str,
    tmp_path: Path,
) -> None:
    from kiosk.core.config import KioskConfig

    config = KioskConfig(
        store=tmp_path / "store", state=tmp_path / "state", admin_pin_hash=pin_hash
    )
    with built_kiosk(qtbot, config, theme) as kiosk:
        assert kiosk.parts is not None
        w, speech = kiosk.parts.window, kiosk.parts.read_aloud
        w.session.open_home()
        w.session.set_settings(DisplaySettings(read_aloud=True))
        assert speech.speaker is not None
        speech.speaker.say(LONG_TEXT, "en")
        qtbot.waitUntil(lambda: _received(chatty_speechd, 0, LONG_TEXT), timeout=SPEAK_TIMEOUT_MS)
        _kill_server(speech_home)
        speech.speaker.say("Hello after the crash.", "en")
        qtbot.waitUntil(
            lambda: _received(chatty_speechd, 1, "Hello after the crash."),
            timeout=SPEAK_TIMEOUT_MS,
        )
        speaker = speech.speaker
        qtbot.waitUntil(lambda: speaker.recovered, timeout=SPEAK_TIMEOUT_MS)  # it began
        kiosk.parts.staff_mode.unlock()
        text = w.staff.details.text()
        assert "Read aloud stopped working" in text and "restarted" in text, text
