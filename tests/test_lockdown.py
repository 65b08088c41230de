"""Locked mode: no key, close request or menu lets a patient out; staff get out by PIN."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from kiosk.ui.lockdown import Lockdown
from kiosk.ui.window import MainWindow

from conftest import TEST_PIN

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
def locked(qtbot, window: MainWindow):  # type: ignore[no-untyped-def]
    lockdown = Lockdown()
    QApplication.instance().installEventFilter(lockdown)  # type: ignore[union-attr]
    window.locked = True
    yield window
    QApplication.instance().removeEventFilter(lockdown)  # type: ignore[union-attr]


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
    qtbot, locked: MainWindow, key: Qt.Key, mods: M
) -> None:  # type: ignore[no-untyped-def]
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


def test_no_context_menus_or_tooltips(qtbot, locked: MainWindow) -> None:  # type: ignore[no-untyped-def]
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


def _tap_corner(window: MainWindow) -> None:
    """A tap at (40, 40) through the window, as real input arrives: on the Home button."""
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton, M.NoModifier, QPoint(40, 40))


def _corner_taps(qtbot, window: MainWindow, times: int = 5) -> None:  # type: ignore[no-untyped-def]
    for _ in range(times):
        _tap_corner(window)
        qtbot.wait(40)


def test_five_corner_taps_open_the_pin_pad_and_the_pin_opens_admin(
    qtbot, locked: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(locked.attract.start_button, Qt.MouseButton.LeftButton)
    _corner_taps(qtbot, locked)
    assert locked.stack.currentWidget() is locked.pin_pad
    QTest.keyClicks(locked.pin_pad, TEST_PIN)
    QTest.keyClick(locked.pin_pad, Qt.Key.Key_Return)
    assert locked.stack.currentWidget() is locked.admin
    with qtbot.waitSignal(locked.exit_requested):
        exit_button = next(
            b
            for b in locked.admin.findChildren(type(locked.top_bar.home_button))
            if b.accessibleName() == "Exit kiosk"
        )
        qtbot.mouseClick(exit_button, Qt.MouseButton.LeftButton)


def test_four_taps_do_nothing_and_a_wrong_pin_stays_locked(qtbot, locked: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(locked.attract.start_button, Qt.MouseButton.LeftButton)
    _corner_taps(qtbot, locked, 4)
    assert locked.stack.currentWidget() is locked.home
    # A tap elsewhere starts the count over.
    QTest.mouseClick(
        locked.windowHandle(), Qt.MouseButton.LeftButton, M.NoModifier, QPoint(960, 700)
    )
    _corner_taps(qtbot, locked, 4)
    assert locked.stack.currentWidget() is locked.home
    _corner_taps(qtbot, locked, 1)
    QTest.keyClicks(locked.pin_pad, "1111")
    QTest.keyClick(locked.pin_pad, Qt.Key.Key_Return)
    assert locked.stack.currentWidget() is locked.pin_pad
    assert "tries left" in locked.pin_pad.message
    QTest.keyClick(locked.pin_pad, Qt.Key.Key_Escape, M.NoModifier)  # swallowed when locked
    assert locked.stack.currentWidget() is locked.pin_pad


def test_leaving_the_pin_pad_returns_to_a_fresh_kiosk(qtbot, locked: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(locked.attract.start_button, Qt.MouseButton.LeftButton)
    _corner_taps(qtbot, locked)
    cancel = next(
        b
        for b in locked.pin_pad.findChildren(type(locked.top_bar.home_button))
        if b.accessibleName() == "Cancel"
    )
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert locked.stack.currentWidget() is locked.attract
    assert locked.session.is_fresh()


def test_the_fifth_tap_on_home_does_not_also_go_home(qtbot, locked: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(locked.attract.start_button, Qt.MouseButton.LeftButton)
    for _ in range(5):
        qtbot.wait(350)  # slower than the button's tremor guard, so each tap is a real click
        _tap_corner(locked)
    assert locked.stack.currentWidget() is locked.pin_pad
