"""Speech mode (issue 15): keys move through the screen, each thing is spoken with what
it is, and what reached speech-dispatcher is what a blind patient heard.

The transcript tests read speech-dispatcher's own log (LogLevel 5 logs each message it
queues), so they prove what reached the engine, not what the kiosk meant to say.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QAbstractButton, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.content.pack import Pack
from kiosk.core.speech.keymap import (
    DEFAULT_KEYMAP,
    MODIFIERS,
    NAMED_KEYS,
    KeymapError,
    SpeechAction,
    actions_without_a_key,
    key_name_problem,
    keymap_with,
)
from kiosk.core.speech.volume import DEFAULT_VOLUME_STEP, VOLUME_STEPS_DB, Voice
from kiosk.ui.assembly import KioskParts
from kiosk.ui.speech_mode.items import reading_items
from kiosk.ui.system.speech import Speaker
from kiosk.ui.theme import Theme

from speech_server import EARCONS, heard, plain

# Speech mode starts only on a kiosk that can speak: a voice through the module's own
# speech-dispatcher (tests that read its log use their own, speech_home).
pytestmark = pytest.mark.usefixtures("shared_speech_home")


def kiosk(qtbot: QtBot, pack: Pack, theme: Theme, pin_hash: str, **config: Any) -> KioskParts:
    """A kiosk that speaks (conftest.make_kiosk with a real speechd speaker)."""
    from conftest import make_kiosk

    return make_kiosk(qtbot, pack, theme, pin_hash, make_speaker=lambda: Speaker(), **config)


# --- the key map --------------------------------------------------------------------------


def test_every_key_of_the_map_is_one_qt_reads_back_by_that_name(qapp: object) -> None:
    for name in DEFAULT_KEYMAP:
        sequence = QKeySequence.fromString(name, QKeySequence.SequenceFormat.PortableText)
        assert sequence.count() == 1, name
        assert sequence.toString(QKeySequence.SequenceFormat.PortableText) == name


def test_every_key_name_staff_may_write_is_one_qt_reads_back(qapp: object) -> None:
    """The names kiosk.core.speech.keymap accepts in [speech_keys] (checked without Qt,
    when the settings are read) are the names Qt gives those keys."""
    portable = QKeySequence.SequenceFormat.PortableText
    for name in [*NAMED_KEYS, *(f"{m}F9" for m in MODIFIERS), "Num++", "A", "?"]:
        assert key_name_problem(name) is None, name
        sequence = QKeySequence.fromString(name, portable)
        assert sequence.count() == 1 and sequence.toString(portable) == name, name


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ("Dwon", '"Dwon" is not a key name; did you mean "Down"'),
        ("Num+Dwn", 'did you mean "Num+Down"'),
        ("Volume up", 'did you mean "Volume Up"'),
        ("a", 'is written with a capital: "A"'),
        ("Ctrl+", '"Ctrl+" is not a key name'),
        ("F99", '"F99" is not a key name'),
    ],
)
def test_a_key_name_qt_does_not_know_is_an_error_that_says_the_closest(
    written: str, says: str
) -> None:
    """A mistyped key would never fire: the patient's key would do nothing, silently."""
    with pytest.raises(KeymapError, match=re.escape(says)):
        keymap_with({written: "help"})


def test_every_action_has_a_key_on_the_keypad_alone_and_on_the_keyboard() -> None:
    assert actions_without_a_key(DEFAULT_KEYMAP) == []
    keypad = {a for k, a in DEFAULT_KEYMAP.items() if k.startswith("Num+")}
    board = {a for k, a in DEFAULT_KEYMAP.items() if not k.startswith("Num+")}
    assert "Tab" not in DEFAULT_KEYMAP and "Backtab" not in DEFAULT_KEYMAP  # focus's
    moving = {
        SpeechAction.NEXT,
        SpeechAction.PREVIOUS,
        SpeechAction.ACTIVATE,
        SpeechAction.BACK,
        SpeechAction.HELP,
        SpeechAction.NEXT_CARD,
        SpeechAction.PREVIOUS_CARD,
        SpeechAction.LOUDER,
        SpeechAction.QUIETER,
        SpeechAction.REPEAT,
        SpeechAction.STOP,
    }
    assert moving <= keypad, moving - keypad
    assert set(SpeechAction) <= board | keypad


def test_a_row_staff_change_replaces_or_removes_a_key_and_a_wrong_one_says_which() -> None:
    keys = keymap_with({"F12": "help", "Tab": "none"})
    assert keys["F12"] is SpeechAction.HELP and "Tab" not in keys
    with pytest.raises(KeymapError, match='"F12" = "shout" is not an action; use one of'):
        keymap_with({"F12": "shout"})


# --- volume and rate ---------------------------------------------------------------------


def test_volume_has_18_db_of_range_and_12_db_above_the_default() -> None:
    """EN 301 549 8.2.1: at least 18 dB of range, with a step of 12 dB."""
    assert VOLUME_STEPS_DB[-1] - VOLUME_STEPS_DB[0] >= 18
    assert VOLUME_STEPS_DB[-1] - VOLUME_STEPS_DB[DEFAULT_VOLUME_STEP] >= 12
    voice = Voice()
    loudest = voice.louder(1).louder(1).louder(1).louder(1)
    assert loudest.at_loudest and loudest.volume == 1.0
    assert voice.louder(-1).louder(-1).at_quietest
    assert 20 * __import__("math").log10(loudest.volume / voice.volume) == pytest.approx(12)


# --- what is on each screen -----------------------------------------------------------


ROLE_WORDS = {
    "en": (", button", ", link", ", heading", ", edit text", "selected"),
    "es": (", botón", ", enlace", ", encabezado", ", campo de texto", "seleccionado"),
}
UNAVAILABLE = {"en": "unavailable", "es": "no disponible"}


def _screens(k: KioskParts) -> dict[str, Callable[[], None]]:
    w = k.window

    def last_card() -> None:
        k.navigator.open_article("heart-attack")
        assert w.reader.article is not None
        w.reader.show_card(len(w.reader.article.sections) - 1)

    def aa_panel() -> None:
        w.session.open_home()
        k.navigator.open_settings()

    def idle_warning() -> None:
        w.session.open_home()
        k.idle.monitor.idle.emit()  # the quiet spell ends: "Are you still there?"

    return {
        "welcome": lambda: None,
        "home": w.session.open_home,
        "reader": lambda: k.navigator.open_article("heart-attack"),
        "reader, last card": last_card,
        "A to Z": k.navigator.open_terms,
        "Aa panel": aa_panel,
        "idle warning": idle_warning,
    }


@pytest.mark.parametrize("locale", ["en", "es"])
@pytest.mark.parametrize(
    "screen",
    ["welcome", "home", "reader", "reader, last card", "A to Z", "Aa panel", "idle warning"],
)
def test_every_screen_reads_in_order_every_control_with_its_role(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str, screen: str, locale: str
) -> None:
    """Down through a screen until it wraps: each thing has words, each control says
    what it is, and each can be chosen; no control of the screen is left out."""
    from PySide6.QtWidgets import QAbstractButton

    k = kiosk(qtbot, bundled_pack, theme, pin_hash)
    k.session.set_locale(locale)
    _screens(k)[screen]()
    qtbot.wait(20)
    w = k.window
    mode = k.speech_mode
    mode.start()
    assert mode.on
    spoken = []
    for _ in range(400):
        item = mode.current
        assert item is not None
        spoken.append(item)
        mode.do(SpeechAction.NEXT)
        if mode.current == spoken[0]:
            break
    else:
        pytest.fail("Down never came back to the first thing")
    assert all(item.spoken.strip() for item in spoken)
    controls = [i for i in spoken if i.key.startswith(("control:", "link:"))]
    assert controls, "nothing to choose"
    for item in controls:
        assert any(role in item.spoken for role in ROLE_WORDS[locale]), item.spoken
        assert (item.activate is None) == (UNAVAILABLE[locale] in item.spoken), item.spoken
    # Every button a patient could tap here is among them.
    visible = [
        b
        for root in (
            [w.settings_panel]
            if screen == "Aa panel"
            else [w.idle_overlay]
            if screen == "idle warning"
            else [w.stack.currentWidget(), w.top_bar]
        )
        for b in root.findChildren(QAbstractButton)  # type: ignore[union-attr]
        if b.isVisible() and b.isEnabled() and b.accessibleName()
    ]
    names = " ".join(i.spoken for i in controls)
    assert [b.accessibleName() for b in visible if b.accessibleName() not in names] == []


# --- what reached speech-dispatcher -----------------------------------------------------


class Keys:
    """Key presses on ``window``, each waited for until speech-dispatcher has queued
    what it made the kiosk say."""

    def __init__(self, qtbot: QtBot, window: QWidget, log: Path) -> None:
        self._qtbot, self._window, self._log = qtbot, window, log

    def press(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> str:
        """What speech-dispatcher queued last, after the press."""
        before = len(heard(self._log))
        self._qtbot.keyClick(self._window, key, modifier)
        self._qtbot.waitUntil(lambda: len(heard(self._log)) > before, timeout=20_000)
        return heard(self._log)[-1]


def test_keys_alone_take_a_patient_from_the_welcome_screen_to_a_card_and_home(
    qtbot: QtBot, transcript: Path, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    from conftest import make_kiosk

    k = make_kiosk(qtbot, bundled_pack, theme, pin_hash, make_speaker=lambda: Speaker())
    w = k.window

    press = Keys(qtbot, w, transcript).press

    qtbot.keyClick(w, Qt.Key.Key_Down)  # an arrow key alone is a sighted user's
    assert not k.speech_mode.on
    before = len(heard(transcript))
    qtbot.keyClick(w, Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier)  # the keypad: on
    qtbot.waitUntil(lambda: len(heard(transcript)) > before, timeout=20_000)
    assert heard(transcript)[0].startswith("Speech mode is on. Press Down and Up to move")
    assert heard(transcript)[0].endswith("Health information, heading")
    while not heard(transcript)[-1].endswith("button"):
        press(Qt.Key.Key_Down)
    assert heard(transcript)[-1] == "Start / Empezar, button"
    press(Qt.Key.Key_Return)  # Home: read from its title
    assert w.stack.currentWidget() is w.home
    assert heard(transcript)[-1] == "Health information, heading"
    while not heard(transcript)[-1].startswith("Heart Attack, button"):
        press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Return)
    assert w.reader.article is not None and w.reader.article.slug == "heart-attack"
    assert heard(transcript)[-1] == "Heart Attack, heading"
    press(Qt.Key.Key_Right)  # the second card, read from its start
    assert w.reader.card == 1
    second = w.reader.article.sections[1]
    assert heard(transcript)[-1].startswith(second.title), heard(transcript)[-3:]
    press(Qt.Key.Key_Backspace)  # back: Home again
    assert w.stack.currentWidget() is w.home
    assert heard(transcript)[-1] == "Health information, heading"
    print("\n".join(heard(transcript)))


def test_the_idle_reset_ends_speech_mode_and_its_voice(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:

    k = kiosk(qtbot, bundled_pack, theme, pin_hash)
    k.speech_mode.start()
    k.speech_mode.do(SpeechAction.LOUDER)
    k.speech_mode.do(SpeechAction.FASTER)
    assert k.speech_mode.voice != Voice()
    k.session.reset()
    assert not k.speech_mode.on and k.speech_mode.voice == Voice()
    assert k.speech_mode.current is None
    page = k.window.stack.currentWidget()
    assert page is not None and reading_items(k.window, [page])  # the page reads still


def test_typing_in_the_search_box_stays_typing(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    """A space, a "?" or a Backspace typed on a keyboard into the search box: typed,
    not speech mode starting or choosing ("hert burm" became "hertburm")."""
    from PySide6.QtTest import QTest

    k = kiosk(qtbot, bundled_pack, theme, pin_hash)
    k.navigator.open_terms()
    field = k.window.terms.field
    field.setFocus()
    QTest.keyClicks(field, "hert burm?")
    QTest.keyClick(field, Qt.Key.Key_Backspace)
    assert field.text() == "hert burm" and not k.speech_mode.on
    QTest.keyClick(field, Qt.Key.Key_8, Qt.KeyboardModifier.KeypadModifier)
    assert field.text() == "hert burm8" and not k.speech_mode.on  # a digit typed
    QTest.keyClick(field, Qt.Key.Key_Backspace)
    # The keypad's 8 with Num Lock off: an arrow of the keypad, which types nothing.
    QTest.keyClick(field, Qt.Key.Key_Up, Qt.KeyboardModifier.KeypadModifier)
    assert k.speech_mode.on
    QTest.keyClicks(field, " x")
    assert field.text() == "hert burm x"


def test_a_pin_typed_on_the_numeric_keypad_stays_a_pin(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:

    k = kiosk(qtbot, bundled_pack, theme, pin_hash)
    k.staff_mode.open_pin_pad()
    assert k.window.in_staff_mode
    qtbot.keyClick(k.window, Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier)
    qtbot.keyClick(k.window, Qt.Key.Key_Down)
    assert not k.speech_mode.on


def test_speech_mode_on_the_welcome_screen_still_ends_at_the_idle_reset(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    """A fresh session waits forever (nothing to wipe), but a patient in speech mode
    on the welcome screen is a patient: the warning comes, 20 s longer, spoken, and
    any key answers it; unanswered, the reset ends speech mode."""
    from kiosk.ui.controllers.idle_policy import SPEECH_MODE_EXTRA_WARNING_S

    k = kiosk(qtbot, bundled_pack, theme, pin_hash, idle_warning=20)
    w = k.window
    said: list[str] = []
    k.idle.announce.connect(said.append)
    qtbot.keyClick(w, Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier)
    assert k.speech_mode.on and k.session.is_fresh()
    k.idle.monitor.idle.emit()  # the quiet spell ends
    assert w.idle_overlay.isVisible()
    assert w.idle_overlay.seconds_left == 20 + SPEECH_MODE_EXTRA_WARNING_S
    assert said and said[0].startswith("Are you still there?")
    qtbot.keyClick(w, Qt.Key.Key_Down)  # any key: "I'm still here"
    assert not w.idle_overlay.isVisible() and k.speech_mode.on
    k.idle.monitor.idle.emit()
    countdown = w.idle_overlay.findChild(QTimer, "idle-countdown")
    assert countdown is not None
    for _ in range(20 + SPEECH_MODE_EXTRA_WARNING_S):
        countdown.timeout.emit()  # a second of the countdown, without waiting
    assert not k.speech_mode.on


@pytest.mark.parametrize("curtain", [True, False])
def test_the_screen_curtain_hides_the_page_while_speech_mode_is_on(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str, curtain: bool
) -> None:
    """Nobody reads a blind patient's page over their shoulder: the pixels of the
    window show the notice, not the article; staff may turn it off."""
    from PySide6.QtCore import QPoint

    k = kiosk(qtbot, bundled_pack, theme, pin_hash, speech_curtain=curtain)
    w = k.window
    k.navigator.open_article("harm-reduction-therapy")
    qtbot.wait(20)
    page = w.grab().toImage()
    qtbot.keyClick(w, Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier)
    qtbot.wait(20)
    hidden = w.grab().toImage()
    on_top = w.childAt(QPoint(w.width() // 2, w.height() // 3))
    if curtain:
        assert on_top is not None and on_top.window() is w
        parent = on_top.parentWidget()
        names = [on_top.objectName(), parent.objectName() if parent is not None else ""]
        assert "curtain" in names, names
        assert hidden != page
        # One colour fills the notice's corners: nothing of the page around it.
        corners = {
            hidden.pixelColor(x, y).name() for x in (5, w.width() - 5) for y in (5, w.height() - 5)
        }
        assert len(corners) == 1, corners
    else:
        assert w.findChild(QWidget, "curtain") is None
    k.session.reset()
    qtbot.wait(20)
    curtain_widget = w.findChild(QWidget, "curtain")
    assert curtain_widget is None or not curtain_widget.isVisible()


def test_a_patient_switches_to_spanish_by_keys_and_hears_spanish(
    qtbot: QtBot, transcript: Path, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    """From Home: Down to the language button, Enter; what follows is said in Spanish,
    roles too, and reaches speech-dispatcher so."""
    from conftest import make_kiosk

    k = make_kiosk(qtbot, bundled_pack, theme, pin_hash, make_speaker=lambda: Speaker())
    w = k.window
    k.session.open_home()
    qtbot.wait(20)

    press = Keys(qtbot, w, transcript).press

    press(Qt.Key.Key_Up, Qt.KeyboardModifier.KeypadModifier)  # on, from the keypad
    while "Español, button" not in heard(transcript)[-1]:
        press(Qt.Key.Key_Up)  # up from the top: the bar, last in reading order
    press(Qt.Key.Key_Return)
    assert k.session.locale == "es"
    assert heard(transcript)[-1] == "Información de salud, encabezado"
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Down)
    assert any(", botón" in said for said in heard(transcript)[-2:]), heard(transcript)[-3:]
    print("\n".join(heard(transcript)))


def test_a_tap_on_a_busy_kiosk_is_no_hold(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    """A 100 ms tap whose release waited behind 2.5 s of work on the GUI thread (a VM
    under load after boot, in CI): the hold timer came due first and speech mode began
    instead of Start. The release that comes just after a late timer cancels the hold;
    a finger really held still starts it."""
    import time as clock

    from PySide6.QtCore import QPoint, QTimer
    from PySide6.QtTest import QTest

    from kiosk.ui.speech_mode.touch import HOLD_MS

    k = kiosk(qtbot, bundled_pack, theme, pin_hash, speech_curtain=False)
    w = k.window
    corner = QPoint(5, w.height() - 5)
    QTest.mousePress(w, Qt.MouseButton.LeftButton, pos=corner)
    QTimer.singleShot(0, lambda: clock.sleep(HOLD_MS / 1000 + 0.5))  # the thread busy
    qtbot.wait(50)  # the work runs, then the overdue hold timer fires
    QTest.mouseRelease(w, Qt.MouseButton.LeftButton, pos=corner)  # the queued release
    qtbot.wait(600)
    assert not k.speech_mode.on
    QTest.mousePress(w, Qt.MouseButton.LeftButton, pos=corner)
    qtbot.waitUntil(lambda: k.speech_mode.on, timeout=HOLD_MS + 2_000)  # held: it starts
    QTest.mouseRelease(w, Qt.MouseButton.LeftButton, pos=corner)


def test_a_finger_held_two_seconds_starts_it_then_touch_hears_and_a_double_tap_chooses(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    """Touch in speech mode (issue 15): a finger held still for 2 s starts it; a touch
    says what is under it and presses nothing; a double tap anywhere chooses the thing
    said before it. A short tap before it is on does what it always did."""
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    from kiosk.ui.speech_mode.touch import HOLD_MS

    k = kiosk(qtbot, bundled_pack, theme, pin_hash, speech_curtain=False)
    w = k.window
    k.session.open_home()
    qtbot.wait(20)
    button = next(b for b in w.home.findChildren(QAbstractButton) if b.text() == "Heart Attack")
    centre = button.mapTo(w, button.rect().center())

    QTest.mousePress(w, Qt.MouseButton.LeftButton, pos=QPoint(5, w.height() - 5))
    qtbot.wait(HOLD_MS + 300)  # held still
    assert k.speech_mode.on
    QTest.mouseRelease(w, Qt.MouseButton.LeftButton, pos=QPoint(5, w.height() - 5))

    QTest.mousePress(w, Qt.MouseButton.LeftButton, pos=centre)  # a touch: heard
    QTest.mouseRelease(w, Qt.MouseButton.LeftButton, pos=centre)
    assert k.speech_mode.current is not None
    assert k.speech_mode.current.spoken.startswith("Heart Attack, button")
    assert w.stack.currentWidget() is w.home  # nothing was pressed
    qtbot.wait(int(1000 * 0.6))  # not a double tap
    # A drag that ends, then one tap soon after: no double tap (the drag was no tap).
    other = next(b for b in w.home.findChildren(QAbstractButton) if b.text() == "Heart Block")
    elsewhere = other.mapTo(w, other.rect().center())
    QTest.mousePress(w, Qt.MouseButton.LeftButton, pos=centre + QPoint(0, 60))
    QTest.mouseMove(w, centre)
    QTest.mouseRelease(w, Qt.MouseButton.LeftButton, pos=centre)
    QTest.mouseClick(w, Qt.MouseButton.LeftButton, pos=centre)
    assert w.stack.currentWidget() is w.home
    qtbot.wait(int(1000 * 0.6))
    # A double tap anywhere, on another button even: the thing said before it is chosen.
    assert k.speech_mode.current is not None
    assert k.speech_mode.current.spoken.startswith("Heart Attack, button")
    QTest.mouseClick(w, Qt.MouseButton.LeftButton, pos=elsewhere)
    # The second touch as X delivers it: a double click, then its release.
    QTest.mouseDClick(w, Qt.MouseButton.LeftButton, pos=elsewhere)
    QTest.mouseRelease(w, Qt.MouseButton.LeftButton, pos=elsewhere)
    assert w.reader.article is not None and w.reader.article.slug == "heart-attack"
    k.session.reset()
    assert not k.speech_mode.on
    QTest.mouseClick(w.attract, Qt.MouseButton.LeftButton, pos=w.attract.rect().center())
    assert w.stack.currentWidget() is w.home  # the welcome screen's tap, as ever


def test_typing_by_ear_says_the_letter_the_results_and_the_first_one(
    qtbot: QtBot, transcript: Path, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    """On the on-screen keyboard, each key chosen is echoed with what the search shows
    now: how many results and the first, or what to do when nothing is found; the A to
    Z title is read first."""
    from conftest import make_kiosk

    k = make_kiosk(qtbot, bundled_pack, theme, pin_hash, make_speaker=lambda: Speaker())
    w = k.window
    k.session.open_home()
    k.navigator.open_terms()
    qtbot.wait(20)

    press = Keys(qtbot, w, transcript).press

    assert press(Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier).endswith(
        "Health words A to Z, heading"
    )
    while not press(Qt.Key.Key_Down).startswith("Type a word, button"):
        pass
    # "Type a word" opens the keys and hides itself: the first key is said, not nothing.
    assert press(Qt.Key.Key_Return) == "q, button"
    assert w.terms.keyboard.isVisible()
    for letter in "hert":
        while not press(Qt.Key.Key_Down).startswith(f"{letter}, button"):
            pass
        said = press(Qt.Key.Key_Return)
        assert said.startswith(f"{letter}. "), said
    assert w.terms.field.text() == "hert"
    assert said == "t. 4 results. First: Heart Attack.", said
    w.terms.field.clear()
    for letter in "zz":  # nothing found, and nothing close: what to do instead
        while not press(Qt.Key.Key_Up).startswith(f"{letter}, button"):
            pass
        said = press(Qt.Key.Key_Return)
    assert said == "z. No results for “zz”. Try fewer letters, or tap a letter.", said
    print("\n".join(heard(transcript)[-6:]))


def test_typing_on_a_keyboard_in_speech_mode_says_the_box_and_the_results(
    qtbot: QtBot, transcript: Path, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    """A patient in speech mode typing on a real keyboard into the search box hears
    what the box holds and what the search found after each key, a Backspace too."""
    from conftest import make_kiosk

    k = make_kiosk(qtbot, bundled_pack, theme, pin_hash, make_speaker=lambda: Speaker())
    w = k.window
    k.session.open_home()
    k.navigator.open_terms()
    qtbot.wait(20)
    keys = Keys(qtbot, w.terms.field, transcript)
    w.terms.field.setFocus()
    keys.press(Qt.Key.Key_Up, Qt.KeyboardModifier.KeypadModifier)  # the keypad's 8: on
    for key in (Qt.Key.Key_H, Qt.Key.Key_A, Qt.Key.Key_R):
        said = keys.press(key)
    assert w.terms.field.text() == "har"
    assert said == "har. 6 results. First: Harm Reduction Therapy.", said
    assert keys.press(Qt.Key.Key_Backspace).startswith("ha. ")
    assert keys.press(Qt.Key.Key_Backspace).startswith("h. ")
    assert keys.press(Qt.Key.Key_Backspace) == "The search box is empty."


def test_staff_give_a_keypad_its_own_keys_in_the_settings_file(
    tmp_path: Path, qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    """[speech_keys] in kiosk.toml (docs/SPEECH.md): a row adds or takes away a key; a
    wrong action is one line naming the file, the line and the actions there are."""
    from kiosk.core.config import ConfigError, load_config

    path = tmp_path / "kiosk.toml"
    path.write_text('idle_timeout = 90\n[speech_keys]\n"F9" = "help"\n"Space" = "none"\n')
    config = load_config(path, must_exist=True)
    assert config.speech_keys == (("F9", "help"), ("Space", "none"))
    k = kiosk(qtbot, bundled_pack, theme, pin_hash, speech_keys=config.speech_keys)
    qtbot.keyClick(k.window, Qt.Key.Key_F9)  # F9: help, and it starts speech mode? no:
    assert not k.speech_mode.on  # only the keypad, F1 and volume keys start it
    qtbot.keyClick(k.window, Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier)
    assert k.speech_mode.on
    path.write_text('[speech_keys]\n"F9" = "shout"\n')
    with pytest.raises(ConfigError, match=r'kiosk\.toml:1: speech_keys: "F9" = "shout" is not'):
        load_config(path, must_exist=True)


def test_the_welcome_screen_is_read_in_each_language_s_own_voice(
    qtbot: QtBot, transcript: Path, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    """A Spanish-speaking patient starts speech mode on the welcome screen, which shows
    both languages: the English lines reach speech-dispatcher as messages of their own,
    in an English voice, with their role in English; the Spanish ones in a Spanish
    voice (EN 301 549 5.1.3.3: speech in the language of what is shown)."""
    from conftest import make_kiosk

    k = make_kiosk(qtbot, bundled_pack, theme, pin_hash, make_speaker=lambda: Speaker())
    w = k.window
    k.session.set_locale("es")  # as a kiosk whose default_locale is "es" starts
    qtbot.wait(20)
    press = Keys(qtbot, w, transcript).press
    press(Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier)
    qtbot.waitUntil(lambda: len(heard(transcript)) >= 2, timeout=20_000)
    while not press(Qt.Key.Key_Down).startswith("Información de salud"):
        pass
    said = heard_in_voices(transcript)
    assert said[0][0].startswith("El modo de voz está activado.")
    assert said[1:5] == [
        ("Health information, heading", "English"),
        ("Touch the screen to start.", "English"),
        ("Or press any key on the keypad to hear the screen.", "English"),
        ("Información de salud, encabezado", "Spanish"),
    ]
    assert said[0][1] == "Spanish"


def heard_in_voices(log: Path) -> list[tuple[str, str]]:
    """Each message speech-dispatcher queued, with the language of the voice set for it
    last (its log's "SET SELF SYNTHESIS_VOICE English (America)": "English")."""
    voice, found = "", []
    text = log.read_text("utf-8", errors="replace")
    for match in re.finditer(
        r"SET SELF SYNTHESIS_VOICE ([^\n|]*)|Queueing message \|(.*?)\| with priority", text, re.S
    ):
        if match.group(1) is not None:
            voice = match.group(1).split(" (")[0].strip()
        elif match.group(2) not in EARCONS:
            found.append((plain(match.group(2)), voice))
    return found


def test_a_language_without_a_voice_is_said_in_one_the_kiosk_has_and_logged(
    qtbot: QtBot, transcript: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """espeak-ng has no Somali voice: before a Somali text the kiosk says so, in
    English, in an English voice, once per patient; the log names the language."""
    speaker = Speaker()
    try:
        speaker.say("Maalin wanaagsan.", "so")
        qtbot.waitUntil(lambda: len(heard(transcript)) >= 2, timeout=20_000)
        speaker.say("Mahadsanid.", "so")  # told once is enough
        qtbot.waitUntil(lambda: len(heard(transcript)) >= 3, timeout=20_000)
        speaker.reset()  # the next patient is told again
        speaker.say("Maalin wanaagsan.", "so")
        qtbot.waitUntil(lambda: len(heard(transcript)) >= 5, timeout=20_000)
    finally:
        speaker.reset()
        speaker.deleteLater()
    notice = "There is no Somali voice on this kiosk. It reads in another voice."
    said = heard_in_voices(transcript)
    assert [text for text, _voice in said] == [
        notice,
        "Maalin wanaagsan.",
        "Mahadsanid.",
        notice,
        "Maalin wanaagsan.",
    ]
    assert said[0][1] == said[3][1] == "English"
    assert any("no so voice" in r.getMessage() for r in caplog.records)


def test_in_speech_mode_the_keypad_moves_in_the_search_box_num_lock_on_or_off(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    """Num Lock on, the keypad's digits typed into the A to Z box and a blind patient
    could neither move nor go back (found by an attacker's review): in speech mode the
    keypad is speech mode's; a keyboard's letters still type."""
    from PySide6.QtTest import QTest

    k = kiosk(qtbot, bundled_pack, theme, pin_hash)
    k.session.open_home()
    k.navigator.open_terms()
    field = k.window.terms.field
    field.setFocus()
    QTest.keyClick(field, Qt.Key.Key_Up, Qt.KeyboardModifier.KeypadModifier)  # on
    assert k.speech_mode.on
    for digit in (Qt.Key.Key_2, Qt.Key.Key_8, Qt.Key.Key_2):  # Num Lock on: Down, Up, Down
        QTest.keyClick(field, digit, Qt.KeyboardModifier.KeypadModifier)
    assert field.text() == ""
    assert k.speech_mode.current is not None
    QTest.keyClicks(field, "ha")  # the keyboard's letters: typed
    assert field.text() == "ha"
    QTest.keyClick(field, Qt.Key.Key_0, Qt.KeyboardModifier.KeypadModifier)  # Back
    assert k.window.stack.currentWidget() is k.window.home and field.text() == "ha"


def test_the_curtain_lifts_for_staff_and_a_keypad_key_answers_the_warning(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    """Staff type their PIN with speech mode on (the curtain took their taps); the
    curtain comes back if they cancel. A keypad key while "Are you still there?" shows
    answers it, speech mode on or not."""

    k = kiosk(qtbot, bundled_pack, theme, pin_hash)
    w = k.window
    k.session.open_home()
    qtbot.keyClick(w, Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier)
    curtain = w.findChild(QWidget, "curtain")
    assert curtain is not None and curtain.isVisible()
    k.staff_mode.open_pin_pad()
    assert not curtain.isVisible()
    k.staff_mode.cancel_pin()
    assert curtain.isVisible()
    k.session.reset()
    assert not curtain.isVisible() and not k.speech_mode.on
    k.session.open_home()
    k.idle.monitor.idle.emit()  # "Are you still there?", speech mode off
    assert w.idle_overlay.isVisible()
    qtbot.keyClick(w, Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier)
    assert not w.idle_overlay.isVisible()
    assert w.stack.currentWidget() is w.home


def test_a_key_table_that_leaves_no_way_back_is_an_error() -> None:
    with pytest.raises(KeymapError, match='no key is left for "back"'):
        keymap_with({key: "none" for key in ("Backspace", "Esc", "Num+0", "Num+Ins")})


@pytest.mark.parametrize("screen", ["A to Z", "home", "reader"])
def test_at_200_percent_down_reaches_every_thing_a_scroll_area_hides(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str, screen: str
) -> None:
    """At 200% text the A to Z list hid 8 of its 42 words below the fold, and Down
    wrapped to "Top of the page." without them (found by an attacker's review): each
    thing is scrolled into view as it is reached, its highlight inside the window."""
    from kiosk.core.patient import DisplaySettings

    k = kiosk(qtbot, bundled_pack, theme, pin_hash)
    k.session.set_settings(DisplaySettings(text_scale=2.0))
    _screens(k)[screen]()
    qtbot.wait(20)
    w = k.window
    page = w.stack.currentWidget()
    assert page is not None
    tiles = [b.accessibleName() for b in page.findChildren(QAbstractButton) if b.isVisibleTo(page)]
    mode = k.speech_mode
    mode.start()
    reached: list[str] = []
    for _ in range(600):
        item = mode.current
        assert item is not None
        assert not item.rect.isEmpty() and w.rect().contains(item.rect.center()), item.spoken
        if item.activate is None:  # words, not a button: not under the card's buttons
            hit = w.childAt(item.rect.center())
            assert not isinstance(hit, QAbstractButton), (item.spoken, hit)
        reached.append(item.spoken)
        mode.do(SpeechAction.NEXT)
        qtbot.wait(1)
        if mode.current is not None and mode.current.spoken == reached[0]:
            break
    said = " ".join(reached)
    assert [name for name in tiles if name and name not in said] == []


def test_things_a_pixel_apart_are_one_row_read_left_to_right() -> None:
    """The chosen text size is drawn a pixel higher than the others; cut into fixed
    bands of 12 px (top // 12), "200%, selected" (top 11) was read before "100%" (top
    13), seen under X in a newcomer's walk. A row is the things within 12 px of its
    first one's top, read left to right."""
    from typing import cast

    from PySide6.QtCore import QRect
    from PySide6.QtGui import QAccessibleInterface

    from kiosk.ui.speech_mode.items import in_reading_order

    class Node:  # what in_reading_order asks of a QAccessibleInterface: its rect
        def __init__(self, name: str, left: int, top: int) -> None:
            self.name, self._rect = name, QRect(left, top, 80, 40)

        def rect(self) -> QRect:
            return self._rect

    nodes = [
        Node("200%", 400, 11),
        Node("100%", 100, 13),
        Node("150%", 300, 12),
        Node("125%", 200, 13),
        Node("Done", 100, 80),
    ]
    ordered = in_reading_order(cast(list[QAccessibleInterface], nodes))
    assert [cast(Node, n).name for n in ordered] == ["100%", "125%", "150%", "200%", "Done"]


def test_english_is_read_in_the_american_voice(qtbot: QtBot, transcript: Path) -> None:
    """espeak-ng lists its Caribbean English first under en_US: the kiosk asks
    speech-dispatcher for "English (America)" (kiosk.core.speech.voices.best_voice)."""
    speaker = Speaker()
    try:
        speaker.say("Hello.", "en")
        qtbot.waitUntil(lambda: "Hello." in heard(transcript), timeout=20_000)
        said = heard_in_voices(transcript)
        voices = re.findall(r"SET SELF SYNTHESIS_VOICE ([^\n|]*)", transcript.read_text("utf-8"))
        assert voices[-1].strip() == "English (America)", voices
        assert said[-1] == ("Hello.", "English")
    finally:
        speaker.reset()
        speaker.deleteLater()


def test_a_sensitive_article_is_read_from_its_title_then_its_crisis_message(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    """The page title first, then the crisis banner (issue 15's reading order): a
    patient hears what they opened before the help lines it comes with."""

    k = kiosk(qtbot, bundled_pack, theme, pin_hash)
    k.speech_mode.start()
    k.navigator.open_article("harm-reduction-therapy")
    qtbot.waitUntil(lambda: k.speech_mode.current is not None, timeout=5_000)
    qtbot.wait(50)  # the new screen is read a turn after it shows
    first = k.speech_mode.current
    assert first is not None
    assert first.spoken.startswith("Harm Reduction Therapy"), first.spoken
    k.speech_mode.do(SpeechAction.NEXT)
    second = k.speech_mode.current
    assert k.window.reader.banner.isVisible()
    assert second is not None
    assert second.spoken.startswith("Call 911"), second.spoken


def test_a_kiosk_that_cannot_speak_does_not_start_speech_mode(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str, caplog: pytest.LogCaptureFixture
) -> None:
    """No speech engine (its packages missing): a keypad key leaves the page as it was,
    with no curtain over it and no highlight, and the log says why (the admin panel
    shows the missing engine)."""
    from conftest import make_kiosk

    k = make_kiosk(qtbot, bundled_pack, theme, pin_hash)  # no speaker: nothing can speak
    before = k.window.grab().toImage()
    with caplog.at_level(logging.WARNING, logger="kiosk.speech"):
        qtbot.keyClick(k.window, Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier)
        qtbot.wait(50)
    assert not k.speech_mode.on and k.speech_mode.current is None
    assert k.window.grab().toImage() == before  # no curtain, no ring
    assert "speech mode did not start: this kiosk cannot speak" in caplog.text


def test_speech_mode_ends_when_speech_dispatcher_cannot_start(
    qtbot: QtBot,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Installed, but the server cannot start (found on a Debian kiosk, where the start
    froze the screen until the watchdog): the screen never waits for it; once the
    welcome has failed, the curtain goes and the page shows again, and the log says why."""
    from conftest import make_kiosk

    blocked = tmp_path / "a file"  # the socket's folder cannot be made
    blocked.write_text("", "utf-8")
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{blocked / 'speechd.sock'}")
    k = make_kiosk(qtbot, bundled_pack, theme, pin_hash, make_speaker=lambda: Speaker())
    before = k.window.grab().toImage()
    with caplog.at_level(logging.WARNING, logger="kiosk.speech"):
        qtbot.keyClick(k.window, Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier)
        assert k.speech_mode.on  # at once: the server is asked from another thread
        qtbot.waitUntil(lambda: not k.speech_mode.on, timeout=10_000)
    qtbot.wait(50)
    assert k.window.grab().toImage() == before  # no curtain, no ring
    assert "speech mode ended: this kiosk cannot speak" in caplog.text


def test_answering_are_you_still_there_by_ear_says_it_worked_and_where_you_are(
    qtbot: QtBot, transcript: Path, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    """The warning is read out; any key answers it, and the patient hears that they
    have more time and the thing they were on (not silence, which leaves them unsure)."""
    k = kiosk(qtbot, bundled_pack, theme, pin_hash)
    press = Keys(qtbot, k.window, transcript).press
    k.session.open_home()
    press(Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier)  # speech mode on
    on = press(Qt.Key.Key_Down)
    before = len(heard(transcript))
    k.idle.monitor.idle.emit()  # "Are you still there?"
    qtbot.waitUntil(lambda: len(heard(transcript)) > before, timeout=20_000)
    assert "still there" in heard(transcript)[-1]
    answer = press(Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier)
    assert not k.window.idle_overlay.isVisible()
    assert answer == f"You have more time. You are on: {on}", answer
