"""Touch rules: one tap is one activation, a drag is never a tap, and shaky double
taps count once."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_clock import given_clock
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui.theme import Theme
from kiosk.ui.widgets.buttons import TapGuard, TouchButton

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def button(qtbot: QtBot, theme: Theme) -> Iterator[TouchButton]:
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(600, 400)
    target = TouchButton("Heart Attack", host)
    target.setGeometry(100, 100, 300, 96)
    host.show()
    qtbot.waitExposed(host)
    yield target  # keeps ``host`` (the button's parent) alive for the test


@pytest.fixture
def clicks(button: TouchButton) -> list[bool]:
    """What the button's clicked signal said, one entry a click."""
    said: list[bool] = []

    def count(checked: bool = False) -> None:
        said.append(checked)

    button.clicked.connect(count)
    return said


def test_a_finger_tap_fires_exactly_once(
    qtbot: QtBot, button: TouchButton, clicks: list[bool]
) -> None:
    device = QTest.createTouchDevice()
    window = button.window().windowHandle()
    centre = button.mapTo(button.window(), button.rect().center())
    QTest.touchEvent(window, device).press(0, centre, window)
    QTest.touchEvent(window, device).release(0, centre, window)
    qtbot.wait(50)
    assert clicks == [False]


def test_a_drag_that_starts_on_a_button_does_not_press_it(
    qtbot: QtBot, button: TouchButton, clicks: list[bool]
) -> None:
    start = QPoint(20, 48)
    QTest.mousePress(button, LEFT, NONE, start)
    QTest.mouseMove(button, start + QPoint(60, 0), 10)
    QTest.mouseMove(button, start + QPoint(120, 0), 10)
    QTest.mouseRelease(button, LEFT, NONE, start + QPoint(120, 0), 10)
    assert clicks == []
    assert not button.isDown()


def test_a_finger_drag_does_not_press_it_either(
    qtbot: QtBot, button: TouchButton, clicks: list[bool]
) -> None:
    device = QTest.createTouchDevice()
    window = button.window().windowHandle()
    start = button.mapTo(button.window(), QPoint(20, 48))
    QTest.touchEvent(window, device).press(0, start, window)
    QTest.touchEvent(window, device).move(0, start + QPoint(80, 0), window)
    QTest.touchEvent(window, device).move(0, start + QPoint(160, 0), window)
    QTest.touchEvent(window, device).release(0, start + QPoint(160, 0), window)
    qtbot.wait(50)
    assert clicks == []


def test_a_trembling_double_tap_counts_once_and_a_later_tap_counts(
    qtbot: QtBot, button: TouchButton, clicks: list[bool]
) -> None:
    clock = given_clock(button)
    qtbot.mouseClick(button, LEFT)
    clock.advance(0.06)
    qtbot.mouseClick(button, LEFT)
    assert len(clicks) == 1
    clock.advance(0.25)  # 310 ms after the first tap
    qtbot.mouseClick(button, LEFT)
    assert len(clicks) == 2


def test_the_guard_runs_on_the_real_monotonic_clock_unless_given_another() -> None:
    import time

    assert TapGuard(0.3).clock is time.monotonic
    now = [5.0]
    guard = TapGuard(0.3, clock=lambda: now[0])
    assert not guard.is_repeat()  # the first tap always counts
    guard.count()
    now[0] += 0.299
    assert guard.is_repeat()
    now[0] += 0.002
    assert not guard.is_repeat()
    guard.count()
    guard.forget()
    assert not guard.is_repeat()


def test_enter_activates_a_focused_button_for_keypad_users(
    qtbot: QtBot, button: TouchButton, clicks: list[bool]
) -> None:
    button.setFocus()
    QTest.keyClick(button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(clicks) == 1)


def test_a_tap_does_not_leave_a_focus_ring_behind(
    qtbot: QtBot, button: TouchButton, clicks: list[bool]
) -> None:
    from PySide6.QtWidgets import QLineEdit

    field = QLineEdit(button.parentWidget())
    field.show()
    field.setFocus()
    qtbot.mouseClick(button, LEFT)
    assert len(clicks) == 1
    assert field.hasFocus() and not button.hasFocus()
