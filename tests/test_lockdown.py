"""Locked mode: no key, close request or menu lets a patient out; staff get out by PIN."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fake_clock import given_clock
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from kiosk.ui.system.lockdown import Lockdown
from kiosk.ui.window import MainWindow

from conftest import TEST_PIN
from helpers import button

pytestmark = pytest.mark.gui

M = Qt.KeyboardModifier
ESCAPES = [
    (Qt.Key.Key_F4, M.AltModifier),
    (Qt.Key.Key_Q, M.ControlModifier),
    (Qt.Key.Key_W, M.ControlModifier),
    (Qt.Key.Key_Escape, M.NoModifier),
    (Qt.Key.Key_F11, M.NoModifier),
]


@pytest.fixture
def locked(qtbot: QtBot, window: MainWindow) -> Iterator[MainWindow]:
    lockdown = Lockdown()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(lockdown)
    window.locked = True
    yield window
    app.removeEventFilter(lockdown)


class _KeyProbe(QLineEdit):
    def __init__(self) -> None:
        super().__init__()
        self.keys: list[int] = []

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() not in (Qt.Key.Key_Alt, Qt.Key.Key_Control):
            self.keys.append(event.key())
        super().keyPressEvent(event)


@pytest.mark.parametrize(("key", "mods"), ESCAPES, ids=["alt+f4", "ctrl+q", "ctrl+w", "esc", "f11"])
def test_escape_keys_never_reach_any_widget(
    qtbot: QtBot, locked: MainWindow, key: Qt.Key, mods: M
) -> None:
    probe = _KeyProbe()
    qtbot.addWidget(probe)
    probe.show()
    QTest.keyClick(probe, key, mods)
    assert key not in probe.keys
    QTest.keyClick(probe, Qt.Key.Key_A)
    assert probe.keys == [Qt.Key.Key_A]  # ordinary typing still works
    assert locked.isVisible()


def test_close_requests_are_refused_when_locked(locked: MainWindow) -> None:
    assert locked.close() is False
    assert locked.isVisible()


def test_windowed_mode_closes_normally(window: MainWindow) -> None:
    assert window.close() is True


def test_no_context_menus_or_tooltips(qtbot: QtBot, locked: MainWindow) -> None:
    target = locked.home
    menu = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, QPoint(5, 5), QPoint(5, 5))
    lockdown = Lockdown()
    assert lockdown.eventFilter(target, menu) is True
    assert lockdown.eventFilter(target, QEvent(QEvent.Type.ToolTip)) is True
    assert (
        lockdown.eventFilter(
            target, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, M.NoModifier, "a")
        )
        is False
    )


def _tap_corner(window: MainWindow, at: QPoint | None = None) -> None:
    """A tap through the window, as real input arrives (the welcome screen's free corner)."""
    where = at if at is not None else QPoint(30, 30)
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, M.NoModifier, where)


def _corner_taps(qtbot: QtBot, window: MainWindow, times: int = 5) -> None:
    for _ in range(times):
        _tap_corner(window)
        qtbot.wait(40)


def test_five_corner_taps_open_the_pin_pad_and_the_pin_opens_admin(
    qtbot: QtBot, locked: MainWindow
) -> None:
    _corner_taps(qtbot, locked)
    assert locked.stack.currentWidget() is locked.pin_pad
    QTest.keyClicks(locked.pin_pad, TEST_PIN)
    QTest.keyClick(locked.pin_pad, Qt.Key.Key_Return)
    assert locked.stack.currentWidget() is locked.admin
    qtbot.mouseClick(button(locked.admin, "Exit kiosk"), Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(locked.exit_requested):
        qtbot.mouseClick(button(locked.admin, "Yes, exit the kiosk"), Qt.MouseButton.LeftButton)


def test_four_taps_do_nothing_and_a_wrong_pin_stays_locked(
    qtbot: QtBot, locked: MainWindow
) -> None:
    _corner_taps(qtbot, locked, 4)
    # The welcome screen ignores its staff corner: the kiosk did not start either.
    assert locked.stack.currentWidget() is locked.attract
    _corner_taps(qtbot, locked, 1)
    QTest.keyClicks(locked.pin_pad, "1111")
    QTest.keyClick(locked.pin_pad, Qt.Key.Key_Return)
    assert locked.stack.currentWidget() is locked.pin_pad
    assert "tries left" in locked.pin_pad.message
    QTest.keyClick(locked.pin_pad, Qt.Key.Key_Escape, M.NoModifier)  # swallowed when locked
    assert locked.stack.currentWidget() is locked.pin_pad


def test_cancel_on_the_pin_pad_returns_to_where_it_was_opened(
    qtbot: QtBot, locked: MainWindow
) -> None:
    _corner_taps(qtbot, locked)
    QTest.keyClicks(locked.pin_pad, "13")
    qtbot.mouseClick(button(locked.pin_pad, "Cancel"), Qt.MouseButton.LeftButton)
    assert locked.stack.currentWidget() is locked.attract
    assert locked.session.is_fresh()
    assert locked.pin_pad.entered_digits == 0


def test_tapping_home_again_and_again_never_opens_the_pin_pad(
    qtbot: QtBot, locked: MainWindow
) -> None:
    qtbot.mouseClick(locked.attract.start_button, Qt.MouseButton.LeftButton)
    home = locked.top_bar.home_button
    on_home = home.mapTo(locked, home.rect().center())
    assert on_home.x() < 100 and on_home.y() < 100  # Home sits in the staff corner
    clock = given_clock(home)
    for _ in range(8):
        clock.past_the_guard_of(home)  # so each tap is a real click, not a tremor's
        _tap_corner(locked, on_home)
    assert locked.stack.currentWidget() is locked.home
