"""The on-screen keyboard: what each key sends, how big and far apart keys are, and
that drags and tremor double-taps send nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from itertools import pairwise

import pytest
from fake_clock import given_clock
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui.i18n import Translations
from kiosk.ui.theme import apply_theme, load_fonts, load_theme
from kiosk.ui.widgets.buttons import DRAG_CANCEL_PX, MIN_TARGET, TouchButton
from kiosk.ui.widgets.keyboard import OnScreenKeyboard

from helpers import shown

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform warns whenever a shown window's minimum size changes (the
    # layout does that as keys are sized); a real screen does not. Only that is ignored.
    pytest.mark.qt_log_ignore("does not support propagateSizeHints"),
]

LEFT = Qt.MouseButton.LeftButton
DRAG_PX = 100  # a scrolling finger, far past the buttons' drag threshold


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[None]:
    """The real style sheet and font, so key sizes are the ones patients see."""
    old_font = QFont(qapp.font())
    load_fonts()
    apply_theme(qapp, load_theme("standard"))
    yield
    qapp.setStyleSheet("")
    qapp.setFont(old_font)


@pytest.fixture
def keyboard(qtbot: QtBot, themed: None) -> OnScreenKeyboard:
    return shown(qtbot, OnScreenKeyboard(), 1600, 400)


def key(kb: OnScreenKeyboard, name: str) -> TouchButton:
    """The key named ``name`` in the language shown (a..l are in two rows, one hidden)."""
    named = [k for k in kb.findChildren(TouchButton) if k.accessibleName() == name]
    shown = [k for k in named if k.isVisibleTo(kb)]
    (found,) = shown or named
    return found


def visible_keys(kb: OnScreenKeyboard) -> list[TouchButton]:
    return [k for k in kb.findChildren(TouchButton) if k.isVisible()]


def tap(qtbot: QtBot, kb: OnScreenKeyboard, name: str) -> None:
    qtbot.mouseClick(key(kb, name), LEFT)


def _wide_enough(key: QWidget) -> Callable[[], bool]:
    return lambda: key.width() >= key.sizeHint().width()


def test_typing_a_word_sends_each_letter_in_order(qtbot: QtBot, keyboard: OnScreenKeyboard) -> None:
    typed: list[str] = []
    keyboard.typed.connect(typed.append)
    for letter in "heart":  # no letter repeats, so the debounce never applies
        tap(qtbot, keyboard, letter)
    assert typed == list("heart")


def test_a_second_tap_within_the_debounce_is_ignored_and_one_after_it_counts(
    qtbot: QtBot, keyboard: OnScreenKeyboard
) -> None:
    typed: list[str] = []
    keyboard.typed.connect(typed.append)
    clock = given_clock(key(keyboard, "t"))
    tap(qtbot, keyboard, "t")
    tap(qtbot, keyboard, "t")  # a tremor bounce, microseconds later
    assert typed == ["t"]
    clock.past_the_guard_of(key(keyboard, "t"))
    tap(qtbot, keyboard, "t")  # a real double letter, as in "tt"
    assert typed == ["t", "t"]


def test_space_types_a_space(qtbot: QtBot, keyboard: OnScreenKeyboard) -> None:
    with qtbot.waitSignal(keyboard.typed, timeout=1000) as blocker:
        tap(qtbot, keyboard, "Space")
    assert blocker.args == [" "]


def test_delete_and_hide_send_their_own_signals_and_type_nothing(
    qtbot: QtBot, keyboard: OnScreenKeyboard
) -> None:
    typed: list[str] = []
    keyboard.typed.connect(typed.append)
    with qtbot.waitSignal(keyboard.backspace_pressed, timeout=1000):
        tap(qtbot, keyboard, "Delete")
    with qtbot.waitSignal(keyboard.hide_pressed, timeout=1000):
        tap(qtbot, keyboard, "Hide keys")
    assert typed == []


@pytest.fixture
def spanish_interface() -> Iterator[Translations]:
    """The interface language is Qt's installed translator, as in the kiosk."""
    translations = Translations()
    yield translations
    translations.use("en")


def test_spanish_adds_its_letters_and_labels_and_english_takes_them_away(
    qtbot: QtBot, keyboard: OnScreenKeyboard, spanish_interface: Translations
) -> None:
    assert not key(keyboard, "ñ").isVisible()
    spanish_interface.use("es")
    keyboard.set_locale("es")
    assert key(keyboard, "ñ").isVisible()
    for label in ("Espacio", "Borrar", "Ocultar"):
        assert key(keyboard, label).isVisible()
    with qtbot.waitSignal(keyboard.typed, timeout=1000) as blocker:
        tap(qtbot, keyboard, "ñ")
    assert blocker.args == ["ñ"]

    spanish_interface.use("en")
    keyboard.set_locale("en")
    assert not key(keyboard, "ñ").isVisible()
    assert {"Space", "Delete", "Hide keys"} <= {k.accessibleName() for k in visible_keys(keyboard)}


@pytest.mark.parametrize("locale", ["en", "es"])
def test_every_key_is_big_named_and_keeps_focus_off(
    keyboard: OnScreenKeyboard, locale: str, spanish_interface: Translations
) -> None:
    spanish_interface.use(locale)
    keyboard.set_locale(locale)
    keys = visible_keys(keyboard)
    assert len(keys) == 26 + 3 + (1 if locale == "es" else 0)
    for k in keys:
        assert k.width() >= MIN_TARGET and k.height() >= MIN_TARGET, k.accessibleName()
        assert k.accessibleName().strip()
        assert k.focusPolicy() == Qt.FocusPolicy.NoFocus
        # Nothing is cut off: a key is at least as wide as its label needs.
        assert k.width() >= k.sizeHint().width(), k.accessibleName()
    assert sorted(k.accessibleName() for k in keys if len(k.accessibleName()) == 1) == sorted(
        "abcdefghijklmnopqrstuvwxyz" + ("ñ" if locale == "es" else "")
    )


@pytest.mark.parametrize("locale", ["en", "es"])
def test_keys_are_at_least_8_px_apart(keyboard: OnScreenKeyboard, locale: str) -> None:
    keyboard.set_locale(locale)
    rows: dict[int, list[QRect]] = {}
    for k in visible_keys(keyboard):
        rect = QRect(k.mapTo(keyboard, QPoint(0, 0)), k.size())
        rows.setdefault(rect.top(), []).append(rect)
    assert len(rows) == 4  # Spanish has ñ after l, and search ignores accents
    for rects in rows.values():
        rects.sort(key=QRect.left)
        for left, right in pairwise(rects):
            assert right.left() - (left.left() + left.width()) >= 8
    tops = sorted(rows)
    for upper, lower in pairwise(tops):
        assert lower - (upper + rows[upper][0].height()) >= 8


def test_a_drag_that_starts_on_a_key_sends_nothing(
    qtbot: QtBot, keyboard: OnScreenKeyboard
) -> None:
    typed: list[str] = []
    keyboard.typed.connect(typed.append)
    # Space is wide enough that the release still lands on it: only the drag guard,
    # not leaving the key, is what must stop the tap.
    space = key(keyboard, "Space")
    start = QPoint(space.width() // 4, space.height() // 2)
    end = start + QPoint(DRAG_PX, 0)
    assert space.rect().contains(end) and DRAG_PX > DRAG_CANCEL_PX
    QTest.mousePress(space, LEFT, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(space, end)
    QTest.mouseRelease(space, LEFT, Qt.KeyboardModifier.NoModifier, end)
    assert typed == []
    tap(qtbot, keyboard, "Space")  # the same key still works for a real tap
    assert typed == [" "]


def test_tapping_keys_leaves_focus_in_the_search_field(qtbot: QtBot, themed: None) -> None:
    page = QWidget()
    qtbot.addWidget(page)
    field = QLineEdit(page)
    kb = OnScreenKeyboard(page)
    layout = QVBoxLayout(page)
    layout.addWidget(field)
    layout.addWidget(kb)
    kb.typed.connect(field.insert)
    page.resize(1600, 500)
    page.show()
    page.activateWindow()
    qtbot.waitActive(page)
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    for letter in "flu":
        qtbot.mouseClick(key(kb, letter), LEFT)
    assert field.hasFocus()
    assert field.text() == "flu"
    QTest.keyClicks(field, "e")  # a USB keypad types straight into the field
    assert field.text() == "flue"


def test_reset_lifts_a_held_key_and_its_release_sends_nothing(
    keyboard: OnScreenKeyboard,
) -> None:
    typed: list[str] = []
    keyboard.typed.connect(typed.append)
    held = key(keyboard, "g")
    centre = held.rect().center()
    QTest.mousePress(held, LEFT, Qt.KeyboardModifier.NoModifier, centre)
    assert held.isDown()
    keyboard.set_locale("es")
    keyboard.reset()
    assert not any(k.isDown() for k in keyboard.findChildren(TouchButton))
    assert key(keyboard, "ñ").isVisible()  # the locale is the session's, not reset's
    QTest.mouseRelease(held, LEFT, Qt.KeyboardModifier.NoModifier, centre)
    assert typed == []


def test_a_bigger_text_size_grows_the_keys_and_keeps_labels_whole(
    qtbot: QtBot, keyboard: OnScreenKeyboard, qapp: QApplication, spanish_interface: Translations
) -> None:
    spanish_interface.use("es")
    keyboard.set_locale("es")
    keyboard.resize(1100, 400)
    before = key(keyboard, "a").height()
    apply_theme(qapp, load_theme("standard"), scale=2.0)
    qtbot.waitUntil(lambda: key(keyboard, "a").height() > before)
    for name in ("Ocultar", "Espacio", "Borrar"):
        k = key(keyboard, name)
        qtbot.waitUntil(_wide_enough(k))
