"""Read aloud in the kiosk: Listen, Stop and Repeat on every card, the idle warning
spoken, the patient's language, and nothing left over after a reset.

These use Qt's mock engine (unit tests may); tests/test_speech.py drives the real
speech-dispatcher engine.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.core.content.pack import Pack
from kiosk.core.patient import DisplaySettings
from kiosk.ui.assembly import KioskParts
from kiosk.ui.system.speech import Speaker
from kiosk.ui.theme import Theme
from kiosk.ui.window import MainWindow

from conftest import make_kiosk

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def speaker(qtbot: QtBot, shared_speech_home: Path) -> Iterator[Speaker]:
    engine = Speaker()
    assert engine.available
    yield engine  # the window adopts it and deletes it with itself


@pytest.fixture
def talking(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str, speaker: Speaker
) -> KioskParts:
    parts = make_kiosk(qtbot, bundled_pack, theme, pin_hash, make_speaker=lambda: speaker)
    parts.session.open_home()
    return parts


def test_listen_buttons_appear_only_when_read_aloud_is_on(talking: KioskParts) -> None:
    w = talking.window
    talking.navigator.open_article("heartburn")
    assert not w.reader.listen_button.isVisible()
    w.session.set_settings(DisplaySettings(read_aloud=True))
    assert w.reader.listen_button.isVisible()
    # Repeat what? Nothing was read yet: it comes once the card has been read.
    assert not w.reader.repeat_button.isVisible()


def test_listen_reads_the_card_then_stop_and_repeat(
    qtbot: QtBot, talking: KioskParts, speaker: Speaker
) -> None:
    w = talking.window
    w.session.set_settings(DisplaySettings(read_aloud=True))
    talking.navigator.open_article("heartburn")
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
    qtbot: QtBot, talking: KioskParts, speaker: Speaker
) -> None:
    w = talking.window
    w.session.set_settings(DisplaySettings(read_aloud=True))
    w.session.set_locale("es")
    talking.navigator.open_article("heartburn")
    spoken: list[tuple[str, str]] = []
    w.reader.listen_requested.connect(lambda text: spoken.append((text, w.session.locale)))
    qtbot.mouseClick(w.reader.listen_button, LEFT)
    assert spoken and spoken[0][1] == "es" and "Acidez" in spoken[0][0]


def test_the_idle_warning_is_spoken(qtbot: QtBot, talking: KioskParts, speaker: Speaker) -> None:
    w = talking.window
    w.session.set_settings(DisplaySettings(read_aloud=True))
    talking.navigator.open_article("heartburn")
    w.idle_overlay.begin()
    assert "Are you still there?" in speaker.last_text
    assert "I'm still here" in speaker.last_text
    w.idle_overlay.cancel()


def test_reset_silences_and_forgets(qtbot: QtBot, talking: KioskParts, speaker: Speaker) -> None:
    w = talking.window
    w.session.set_settings(DisplaySettings(read_aloud=True))
    talking.navigator.open_article("heartburn")
    qtbot.mouseClick(w.reader.listen_button, LEFT)
    w.session.reset()
    assert speaker.last_text == "" and not speaker.is_speaking
    w.session.open_home()
    talking.navigator.open_article("heartburn")
    assert not w.reader.listen_button.isVisible()  # read aloud is back off


def test_without_an_engine_the_option_and_buttons_stay_hidden(
    window: MainWindow, parts: KioskParts
) -> None:
    window.session.open_home()
    window.session.set_settings(DisplaySettings(read_aloud=True))
    parts.navigator.open_article("heartburn")
    assert not window.reader.listen_button.isVisible()
    parts.navigator.open_settings()
    assert not window.settings_panel.read_aloud.isVisible()


def test_the_engine_is_only_made_when_a_patient_turns_read_aloud_on(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str, shared_speech_home: Path
) -> None:
    made: list[Speaker] = []

    def make() -> Speaker:
        made.append(Speaker())
        return made[-1]

    parts = make_kiosk(qtbot, bundled_pack, theme, pin_hash, make_speaker=make)
    w = parts.window
    w.session.open_home()
    parts.navigator.open_article("heartburn")
    assert made == []  # nothing is spoken, nothing is started, until asked
    w.session.set_settings(DisplaySettings(read_aloud=True))
    w.session.set_settings(DisplaySettings(read_aloud=False))
    w.session.set_settings(DisplaySettings(read_aloud=True))
    assert len(made) == 1 and parts.read_aloud.speaker is made[0]


def test_a_kiosk_without_speech_dispatcher_does_not_offer_it(
    qtbot: QtBot,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # not installed, and none running
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{tmp_path / 'none.sock'}")
    parts = make_kiosk(qtbot, bundled_pack, theme, pin_hash, make_speaker=Speaker)
    w = parts.window
    w.session.open_home()
    w.session.set_settings(DisplaySettings(read_aloud=True))
    parts.navigator.open_article("heartburn")
    assert not w.reader.listen_button.isVisible()
    parts.navigator.open_settings()
    assert not w.settings_panel.read_aloud.isVisible()


# --- the word being read, highlighted (issue 15) -------------------------------------------


def test_each_word_of_the_card_is_highlighted_as_it_is_read(
    qtbot: QtBot, talking: KioskParts, speaker: Speaker, theme: Theme
) -> None:
    """Listen on a card: each of its words lights up in the theme's pressed colour as
    speech-dispatcher reports reading it, in the card's order, on screen (pixels)."""
    from PySide6.QtGui import QColor

    w = talking.window
    w.resize(1366, 768)
    w.show()
    w.session.set_settings(DisplaySettings(read_aloud=True))
    talking.navigator.open_article("heartburn")
    text = w.reader.text
    lit: list[str] = []
    places: list[int] = []
    painted: list[bool] = []
    pressed = QColor(theme.colors["pressed"]).rgb()

    def seen(_part: int, _start: int, _length: int) -> None:
        selections = text.extraSelections()
        if not selections:
            return
        cursor = selections[0].cursor
        if cursor.selectionStart() in places:
            return  # a word not shown (the title, read first): the last one stays lit
        places.append(cursor.selectionStart())
        lit.append(cursor.selectedText())
        if len(painted) < 3:  # the first words: their pixels, as a patient sees them
            rect = text.cursorRect(cursor)
            image = text.viewport().grab().toImage()
            y = rect.center().y()
            left = max(0, rect.left() - 60)
            row = [image.pixelColor(x, y).rgb() for x in range(left, rect.left())]
            painted.append(pressed in row)

    speaker.saying_word.connect(seen)  # after the reader's own slot: it has painted
    qtbot.mouseClick(w.reader.listen_button, LEFT)
    qtbot.waitUntil(lambda: not speaker.is_speaking and len(lit) > 0, timeout=30_000)
    shown_words = iter(text.toPlainText().split())
    assert all(word in shown_words for word in lit), lit  # in the card's order
    assert places == sorted(places), places
    assert len(lit) >= len(text.toPlainText().split()) * 0.9, lit
    assert painted and all(painted), painted
    assert text.extraSelections() == []  # done: nothing left lit


def test_every_card_s_words_are_found_on_screen_in_both_languages(
    talking: KioskParts, bundled_pack: Pack
) -> None:
    """The words read aloud are followed in the card as shown: for every card of the
    bundled pack, English and Spanish, nearly every word after the card's title (shown
    apart) is found, in order, in the card's text."""
    from kiosk.core.speech.follow import align_words

    w, worst = talking.window, (1.0, "")
    for locale in ("en", "es"):
        talking.session.set_locale(locale)
        for slug in bundled_pack.articles[locale]:
            talking.navigator.open_article(slug)
            article = w.reader.article
            assert article is not None
            for card, section in enumerate(article.sections):
                w.reader.show_card(card)
                words = section.text
                if section.title and words.startswith(section.title):
                    words = words[len(section.title) :]
                found = len(align_words(words, w.reader.text.toPlainText()))
                share = found / max(1, len(words.split()))
                worst = min(worst, (share, f"{locale}/{slug} card {card + 1}"))
    assert worst[0] >= 0.95, worst
