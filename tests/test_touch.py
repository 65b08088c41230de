"""Touch rules: one tap is one activation, a drag is never a tap, and shaky double
taps count once."""

from __future__ import annotations

import pytest
from fake_clock import given_clock
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from kiosk.ui.widgets.buttons import TapGuard, TouchButton

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def button(qtbot, theme):  # type: ignore[no-untyped-def]
    host = QWidget()
    qtbot.addWidget(host)
    host.resize(600, 400)
    target = TouchButton("Heart Attack", host)
    target.setGeometry(100, 100, 300, 96)
    host.show()
    qtbot.waitExposed(host)
    clicks: list[bool] = []

    def count(checked: bool = False) -> None:
        clicks.append(checked)

    target.clicked.connect(count)
    target.clicks = clicks  # type: ignore[attr-defined]
    yield target  # keeps ``host`` (the button's parent) alive for the test


def test_a_finger_tap_fires_exactly_once(qtbot, button: TouchButton) -> None:  # type: ignore[no-untyped-def]
    device = QTest.createTouchDevice()
    window = button.window().windowHandle()
    centre = button.mapTo(button.window(), button.rect().center())
    QTest.touchEvent(window, device).press(0, centre, window)
    QTest.touchEvent(window, device).release(0, centre, window)
    qtbot.wait(50)
    assert button.clicks == [False]  # type: ignore[attr-defined]


def test_a_drag_that_starts_on_a_button_does_not_press_it(qtbot, button: TouchButton) -> None:  # type: ignore[no-untyped-def]
    start = QPoint(20, 48)
    QTest.mousePress(button, LEFT, NONE, start)
    QTest.mouseMove(button, start + QPoint(60, 0), 10)
    QTest.mouseMove(button, start + QPoint(120, 0), 10)
    QTest.mouseRelease(button, LEFT, NONE, start + QPoint(120, 0), 10)
    assert button.clicks == []  # type: ignore[attr-defined]
    assert not button.isDown()


def test_a_finger_drag_does_not_press_it_either(qtbot, button: TouchButton) -> None:  # type: ignore[no-untyped-def]
    device = QTest.createTouchDevice()
    window = button.window().windowHandle()
    start = button.mapTo(button.window(), QPoint(20, 48))
    QTest.touchEvent(window, device).press(0, start, window)
    QTest.touchEvent(window, device).move(0, start + QPoint(80, 0), window)
    QTest.touchEvent(window, device).move(0, start + QPoint(160, 0), window)
    QTest.touchEvent(window, device).release(0, start + QPoint(160, 0), window)
    qtbot.wait(50)
    assert button.clicks == []  # type: ignore[attr-defined]


def test_a_trembling_double_tap_counts_once_and_a_later_tap_counts(
    qtbot, button: TouchButton
) -> None:  # type: ignore[no-untyped-def]
    clock = given_clock(button)
    qtbot.mouseClick(button, LEFT)
    clock.advance(0.06)
    qtbot.mouseClick(button, LEFT)
    assert len(button.clicks) == 1  # type: ignore[attr-defined]
    clock.advance(0.25)  # 310 ms after the first tap
    qtbot.mouseClick(button, LEFT)
    assert len(button.clicks) == 2  # type: ignore[attr-defined]


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


def test_enter_activates_a_focused_button_for_keypad_users(qtbot, button: TouchButton) -> None:  # type: ignore[no-untyped-def]
    button.setFocus()
    QTest.keyClick(button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(button.clicks) == 1)  # type: ignore[attr-defined]


def test_a_tap_does_not_leave_a_focus_ring_behind(qtbot, button: TouchButton) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLineEdit

    field = QLineEdit(button.parentWidget())
    field.show()
    field.setFocus()
    qtbot.mouseClick(button, LEFT)
    assert len(button.clicks) == 1  # type: ignore[attr-defined]
    assert field.hasFocus() and not button.hasFocus()
