"""Read aloud in the kiosk: Listen, Stop and Repeat on every card, the idle warning
spoken, the patient's language, and nothing left over after a reset.

These use Qt's mock engine (unit tests may); tests/test_speech.py drives the real
speech-dispatcher engine.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kiosk.core.patient import DisplaySettings
from kiosk.ui.system.speech import Speaker
from kiosk.ui.window import MainWindow

from conftest import make_window

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def speaker(qtbot):  # type: ignore[no-untyped-def]
    engine = Speaker("mock")
    assert engine.available
    yield engine  # the window adopts it and deletes it with itself


@pytest.fixture
def talking_window(qtbot, bundled_pack, theme, pin_hash, speaker) -> MainWindow:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, bundled_pack, theme, pin_hash, make_speaker=lambda: speaker)
    window.session.open_home()
    return window


def test_listen_buttons_appear_only_when_read_aloud_is_on(talking_window: MainWindow) -> None:
    w = talking_window
    w.open_article("heartburn")
    assert not w.reader.listen_button.isVisible()
    w.session.set_settings(DisplaySettings(read_aloud=True))
    assert w.reader.listen_button.isVisible()
    # Repeat what? Nothing was read yet: it comes once the card has been read.
    assert not w.reader.repeat_button.isVisible()


def test_listen_reads_the_card_then_stop_and_repeat(
    qtbot, talking_window: MainWindow, speaker: Speaker
) -> None:  # type: ignore[no-untyped-def]
    w = talking_window
    w.session.set_settings(DisplaySettings(read_aloud=True))
    w.open_article("heartburn")
    with qtbot.waitSignal(speaker.speaking_changed, timeout=5000):
        qtbot.mouseClick(w.reader.listen_button, LEFT)
    assert speaker.last_text.startswith("Heartburn.")
    qtbot.waitUntil(w.reader.stop_button.isVisible)
    qtbot.mouseClick(w.reader.stop_button, LEFT)
    qtbot.waitUntil(lambda: not speaker.is_speaking)
    qtbot.waitUntil(w.reader.listen_button.isVisible)
    assert w.reader.repeat_button.isVisible()  # something was read: it can be repeated
    with qtbot.waitSignal(speaker.speaking_changed, timeout=5000):
        qtbot.mouseClick(w.reader.repeat_button, LEFT)
    assert speaker.last_text.startswith("Heartburn.")
    qtbot.waitUntil(lambda: not speaker.is_speaking, timeout=20000)
    w.reader.show_next()  # a new card has not been read: no Repeat on it
    assert w.reader.listen_button.isVisible() and not w.reader.repeat_button.isVisible()


def test_speech_follows_the_interface_language(
    qtbot, talking_window: MainWindow, speaker: Speaker
) -> None:  # type: ignore[no-untyped-def]
    w = talking_window
    w.session.set_settings(DisplaySettings(read_aloud=True))
    w.session.set_locale("es")
    w.open_article("heartburn")
    spoken: list[tuple[str, str]] = []
    w.reader.listen_requested.connect(lambda text: spoken.append((text, w.session.locale)))
    qtbot.mouseClick(w.reader.listen_button, LEFT)
    assert spoken and spoken[0][1] == "es" and "Acidez" in spoken[0][0]


def test_the_idle_warning_is_spoken(qtbot, talking_window: MainWindow, speaker: Speaker) -> None:  # type: ignore[no-untyped-def]
    w = talking_window
    w.session.set_settings(DisplaySettings(read_aloud=True))
    w.open_article("heartburn")
    w.idle_overlay.begin()
    assert "Are you still there?" in speaker.last_text
    assert "I'm still here" in speaker.last_text
    w.idle_overlay.cancel()


def test_reset_silences_and_forgets(qtbot, talking_window: MainWindow, speaker: Speaker) -> None:  # type: ignore[no-untyped-def]
    w = talking_window
    w.session.set_settings(DisplaySettings(read_aloud=True))
    w.open_article("heartburn")
    qtbot.mouseClick(w.reader.listen_button, LEFT)
    w.session.reset()
    assert speaker.last_text == "" and not speaker.is_speaking
    w.session.open_home()
    w.open_article("heartburn")
    assert not w.reader.listen_button.isVisible()  # read aloud is back off


def test_without_an_engine_the_option_and_buttons_stay_hidden(window: MainWindow) -> None:
    window.session.open_home()
    window.session.set_settings(DisplaySettings(read_aloud=True))
    window.open_article("heartburn")
    assert not window.reader.listen_button.isVisible()
    window.open_settings()
    assert not window.settings_panel.read_aloud.isVisible()


def test_the_engine_is_only_made_when_a_patient_turns_read_aloud_on(
    qtbot, bundled_pack, theme, pin_hash
) -> None:  # type: ignore[no-untyped-def]
    made: list[Speaker] = []

    def make() -> Speaker:
        made.append(Speaker("mock"))
        return made[-1]

    w = make_window(qtbot, bundled_pack, theme, pin_hash, make_speaker=make)
    w.session.open_home()
    w.open_article("heartburn")
    assert made == []  # nothing is spoken, nothing is started, until asked
    w.session.set_settings(DisplaySettings(read_aloud=True))
    w.session.set_settings(DisplaySettings(read_aloud=False))
    w.session.set_settings(DisplaySettings(read_aloud=True))
    assert len(made) == 1 and w.speaker is made[0]


def test_an_engine_that_fails_hides_the_option(qtbot, bundled_pack, theme, pin_hash) -> None:  # type: ignore[no-untyped-def]
    w = make_window(
        qtbot, bundled_pack, theme, pin_hash, make_speaker=lambda: Speaker("no-such-engine")
    )
    w.session.open_home()
    w.session.set_settings(DisplaySettings(read_aloud=True))
    w.open_article("heartburn")
    assert not w.reader.listen_button.isVisible()
    w.open_settings()
    assert not w.settings_panel.read_aloud.isVisible()
