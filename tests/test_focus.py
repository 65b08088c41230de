"""USB keypad and switch users: Tab reaches every control, Enter presses it, and the
focus ring is plainly visible in every theme."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.patient import DisplaySettings
from kiosk.ui.assembly import KioskParts
from kiosk.ui.widgets.keyboard import OnScreenKeyboard
from kiosk.ui.window import MainWindow

from helpers import SCREENS

pytestmark = pytest.mark.gui


def reachable_by_tab(window: MainWindow, limit: int = 200) -> list[QWidget]:
    window.activateWindow()
    seen: list[QWidget] = []
    for _ in range(limit):
        QTest.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
        current = QApplication.focusWidget()
        if current is None:
            break
        if current in seen:
            break
        seen.append(current)
    return seen


def controls(page: QWidget) -> list[QWidget]:
    """Visible, enabled controls, less on-screen keyboard keys: keypad users type
    into the search field directly, and the keys keep focus in that field."""
    return [
        w
        for w in page.findChildren(QWidget)
        if isinstance(w, QAbstractButton | QLineEdit)
        and w.isVisible()
        and w.isEnabled()
        and not isinstance(w.parentWidget(), OnScreenKeyboard)
        and not any(isinstance(a, OnScreenKeyboard) for a in _ancestors(w))
    ]


def _ancestors(widget: QWidget) -> list[QWidget]:
    found = []
    parent = widget.parentWidget()
    while parent is not None:
        found.append(parent)
        parent = parent.parentWidget()
    return found


@pytest.mark.parametrize("screen", [s for s in SCREENS if s != "attract"])
def test_tab_reaches_every_control(
    qtbot: QtBot, window: MainWindow, parts: KioskParts, screen: str
) -> None:
    page = SCREENS[screen](parts)
    qtbot.wait(20)
    chain = reachable_by_tab(window)
    missing = [
        w.accessibleName() or type(w).__name__
        for w in controls(page)
        if w not in chain and not reachable_by_arrows(w, chain)
    ]
    assert missing == []


def reachable_by_arrows(button: QWidget, chain: list[QWidget]) -> bool:
    """Exclusive choices (the settings rows) take one Tab stop; arrows move inside it."""
    group = button.group() if isinstance(button, QAbstractButton) else None
    if group is None or not group.exclusive():
        return False
    entry = next((b for b in group.buttons() if b in chain), None)
    if entry is None:
        return False
    entry.setFocus(Qt.FocusReason.TabFocusReason)
    for _ in group.buttons():
        if QApplication.focusWidget() is button:
            return True
        focused = QApplication.focusWidget()
        assert focused is not None
        QTest.keyClick(focused, Qt.Key.Key_Right)
    return QApplication.focusWidget() is button


def test_enter_on_a_focused_card_opens_it(qtbot: QtBot, window: MainWindow) -> None:
    window.session.open_home()
    for widget in reachable_by_tab(window):
        if widget.accessibleName() == "Harm Reduction Therapy":
            break
    else:
        pytest.fail("the topic card is not in the Tab chain")
    QTest.keyClick(widget, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.reader)
    QTest.keyClick(window.reader, Qt.Key.Key_Right)  # arrows turn the cards
    assert window.reader.progress.text == "2 of 6"


@pytest.mark.parametrize("high_contrast", [False, True], ids=["standard", "high-contrast"])
def test_the_focus_ring_shows_in_every_theme(
    qtbot: QtBot, window: MainWindow, parts: KioskParts, high_contrast: bool
) -> None:
    window.session.set_settings(DisplaySettings(high_contrast=high_contrast))
    window.session.open_home()
    button = window.top_bar.home_button
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus)
    ring = QColor(parts.look.current.theme.colors["focus"])
    image = button.grab().toImage()
    edge = image.pixelColor(1, image.height() // 2)
    assert (
        abs(edge.red() - ring.red())
        + abs(edge.green() - ring.green())
        + abs(edge.blue() - ring.blue())
        < 40
    )


def _ring_pixels(parts: KioskParts) -> int:
    """Pixels of the theme's focus-ring colour on screen."""
    ring = QColor(parts.look.current.theme.colors["focus"]).rgb()
    image = parts.window.grab().toImage()
    return sum(
        1
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
        if image.pixel(x, y) == ring
    )


def test_no_focus_ring_after_touch_only_after_keys(
    qtbot: QtBot, window: MainWindow, parts: KioskParts
) -> None:
    """A patient who only touches never sees a focus ring: not on Start when the kiosk
    wakes, not on the card text after a tap or a swipe, not on a button a keypad user
    left focused. A keypad user's Tab shows one at once."""
    window.session.reset()
    qtbot.wait(30)
    assert _ring_pixels(parts) == 0, "a ring on the welcome screen"
    QTest.mouseClick(window.attract, Qt.MouseButton.LeftButton)
    parts.navigator.open_article("heart-attack")
    qtbot.wait(30)
    viewport = window.reader.text.viewport()
    centre = viewport.rect().center()
    QTest.mouseClick(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    QTest.mouseRelease(
        viewport,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        centre - QPoint(300, 0),
        20,
    )
    assert window.reader.progress.text == "2 of 5"  # the swipe turned the card
    qtbot.waitUntil(lambda: not window.reader.slide_cover.isVisible())  # the slide ends
    assert _ring_pixels(parts) == 0, "a ring after a tap or a swipe on the card"
    QTest.keyClick(window.reader, Qt.Key.Key_Tab)
    qtbot.wait(30)
    assert _ring_pixels(parts) > 50, "Tab shows where the focus is"
    # As a finger arrives: through the window's QWindow, where the kiosk watches input.
    at = viewport.mapTo(window, centre)
    QTest.mouseClick(
        window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, at
    )
    qtbot.wait(30)
    assert _ring_pixels(parts) == 0, "a touch after Tab takes the ring away"
    # ...but not the keypad: the page has the focus, and its arrow keys still turn cards.
    assert window.reader.hasFocus()
    QTest.keyClick(window.reader, Qt.Key.Key_Right)
    assert window.reader.progress.text == "3 of 5"
