"""The staff exit: corner gesture, PIN pad with lockout, administrator panel."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QWindow
from PySide6.QtTest import QSignalSpy, QTest
from PySide6.QtWidgets import QApplication, QGridLayout, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.pin import PinGuard, hash_pin
from kiosk.ui.screens.admin import AdminPanel, PinPad
from kiosk.ui.screens.staff_corner import CornerTapDetector
from kiosk.ui.theme import apply_theme, load_theme
from kiosk.ui.widgets.buttons import TouchButton

from helpers import button

pytestmark = pytest.mark.gui

PIN = "2468"
LEFT = Qt.MouseButton.LeftButton


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def pin_hash() -> str:
    return hash_pin(PIN)  # the real scrypt hash, about 50 ms


@pytest.fixture(autouse=True)
def themed(qapp: QApplication) -> Iterator[None]:
    font, sheet = qapp.font(), qapp.styleSheet()
    apply_theme(qapp, load_theme("standard"))
    yield
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def show(qtbot: QtBot, widget: QWidget) -> None:
    """Show a widget as a 1920x1080 window, as on the kiosk's screen.

    Polishing and laying out first matters under the offscreen platform: if the style
    sheet and layout change a window's minimum size after the window exists, Qt warns
    "This plugin does not support propagateSizeHints()", and Qt warnings fail tests.
    """
    qtbot.addWidget(widget)
    widget.resize(1920, 1080)
    widget.ensurePolished()
    layout = widget.layout()
    if layout is not None:
        layout.activate()
    widget.show()
    qtbot.waitExposed(widget)


@pytest.fixture
def pad(qtbot: QtBot, pin_hash: str, clock: FakeClock) -> PinPad:
    pad = PinPad(PinGuard(pin_hash, clock=clock))
    show(qtbot, pad)
    return pad


def tap_keys(qtbot: QtBot, pad: PinPad, digits: str) -> None:
    for digit in digits:
        qtbot.mouseClick(button(pad, digit), LEFT)


def digit_keys(pad: PinPad) -> list[QPushButton]:
    return [button(pad, d) for d in "0123456789"]


# --- the corner gesture -------------------------------------------------------------


class Corner:
    def __init__(self, qtbot: QtBot, clock: FakeClock) -> None:
        self.window = QWidget()
        qtbot.addWidget(self.window)
        self.window.resize(800, 600)
        # As in the kiosk's top bar: Home inside the corner, the corner's edge free.
        self.button = TouchButton("Home", self.window, debounce_ms=0)
        self.button.setGeometry(24, 12, 64, 64)
        self.label = QLabel("Clinic", self.window)
        self.label.setGeometry(0, 80, 100, 20)
        self.far = TouchButton("Next", self.window, debounce_ms=0)
        self.far.setGeometry(600, 400, 120, 96)
        self.clock = clock
        self.detector = CornerTapDetector(self.window, clock=clock)
        self.spy = QSignalSpy(self.detector.triggered)
        self.window.show()
        qtbot.waitExposed(self.window)

    def tap_free_corner(self, times: int, step: float = 0.4) -> None:
        self.tap(self.window, times, step, pos=QPoint(8, 40))

    def tap(
        self, widget: QWidget | QWindow, times: int, step: float = 0.4, pos: QPoint | None = None
    ) -> None:
        """Tap through the window, as real input arrives, at ``pos`` inside ``widget``."""
        handle = self.window.windowHandle()
        at = pos or QPoint(10, 10)
        if isinstance(widget, QWidget):
            at = widget.mapTo(self.window, at)
        for _ in range(times):
            QTest.mouseClick(handle, LEFT, Qt.KeyboardModifier.NoModifier, at)
            self.clock.now += step


@pytest.fixture
def corner(qtbot: QtBot, clock: FakeClock) -> Corner:
    return Corner(qtbot, clock)


def test_five_taps_in_the_free_corner_trigger(corner: Corner) -> None:
    corner.tap_free_corner(5)
    assert corner.spy.count() == 1


def test_tapping_home_in_the_corner_never_opens_the_pin_pad(corner: Corner) -> None:
    # A patient tapping Home again and again must not land on a staff screen; and a
    # tap on Home between corner taps starts the count again.
    clicks = QSignalSpy(corner.button.clicked)
    corner.tap(corner.button, 12, step=0.2)
    assert corner.spy.count() == 0
    assert clicks.count() == 12
    corner.tap_free_corner(4)
    corner.tap(corner.button, 1)
    corner.tap_free_corner(4)
    assert corner.spy.count() == 0


def test_four_taps_do_not_trigger(corner: Corner) -> None:
    corner.tap_free_corner(4)
    assert corner.spy.count() == 0


def test_taps_spread_over_more_than_three_seconds_do_not_trigger(corner: Corner) -> None:
    corner.tap_free_corner(5, step=0.9)  # first to fifth: 3.6 s
    assert corner.spy.count() == 0
    corner.tap_free_corner(4, step=0.5)  # now five within 3 s
    assert corner.spy.count() == 1


def test_taps_outside_the_corner_do_not_trigger(corner: Corner) -> None:
    corner.tap(corner.far, 6)
    corner.tap(corner.window, 5, pos=QPoint(95, 95))  # (95, 95) in the window is inside
    assert corner.spy.count() == 1
    corner.tap(corner.window, 5, pos=QPoint(101, 5))
    corner.tap(corner.window, 5, pos=QPoint(5, 101))
    assert corner.spy.count() == 1


def test_a_tap_elsewhere_restarts_the_count(corner: Corner) -> None:
    corner.tap_free_corner(3)
    corner.tap(corner.far, 1)
    corner.tap_free_corner(3)
    assert corner.spy.count() == 0


def test_a_press_seen_by_window_widget_and_parent_counts_once(corner: Corner) -> None:
    # A label ignores presses, so Qt passes each one on to the window as well; and a
    # press through the platform window reaches the QWindow before the widget.
    corner.tap(corner.label, 4, pos=QPoint(5, 5))
    assert corner.spy.count() == 0
    corner.clock.now += 10  # those four are now too old to count
    handle = corner.window.windowHandle()
    corner.tap(handle, 4, pos=QPoint(8, 40))
    assert corner.spy.count() == 0
    corner.tap(handle, 1, pos=QPoint(8, 40))
    assert corner.spy.count() == 1


def test_finger_taps_count_once_each(qtbot: QtBot, corner: Corner) -> None:
    # A touch reaches the window as TouchBegin and again as the mouse press Qt makes
    # from it (a quick second tap as a double click); each finger tap counts once.
    finger = QTest.createTouchDevice()
    for taps in range(1, 6):
        QTest.touchEvent(corner.window, finger).press(0, QPoint(8, 40)).commit()
        QTest.touchEvent(corner.window, finger).release(0, QPoint(8, 40)).commit()
        corner.clock.now += 0.3
        assert corner.spy.count() == (1 if taps == 5 else 0)
        qtbot.wait(5)  # event timestamps are real milliseconds; real taps are far apart


def test_hidden_window_never_triggers(corner: Corner) -> None:
    corner.window.hide()
    corner.tap_free_corner(5)
    assert corner.spy.count() == 0


# --- the PIN pad --------------------------------------------------------------------


def test_right_pin_emits_accepted_and_clears(qtbot: QtBot, pad: PinPad) -> None:
    tap_keys(qtbot, pad, PIN)
    assert pad.entered_digits == 4
    with qtbot.waitSignal(pad.accepted, timeout=2000):
        qtbot.mouseClick(button(pad, "OK, check the PIN"), LEFT)
    assert pad.entered_digits == 0
    assert pad.message == ""


def test_wrong_pin_says_tries_left_and_does_not_accept(qtbot: QtBot, pad: PinPad) -> None:
    with qtbot.assertNotEmitted(pad.accepted):
        tap_keys(qtbot, pad, "1357")
        qtbot.mouseClick(button(pad, "OK, check the PIN"), LEFT)
    assert pad.message == "Wrong PIN. 4 tries left."
    assert pad.entered_digits == 0


def test_ok_with_nothing_entered_is_not_a_try(qtbot: QtBot, pad: PinPad) -> None:
    qtbot.mouseClick(button(pad, "OK, check the PIN"), LEFT)
    assert pad.message == ""


def test_five_wrong_tries_lock_the_pad_until_a_minute_passes(
    qtbot: QtBot, pad: PinPad, clock: FakeClock
) -> None:
    for n in range(5):
        qtbot.keyClicks(pad, f"000{n}")
        qtbot.keyClick(pad, Qt.Key.Key_Return)
    assert pad.message == "Too many tries. Wait 60 seconds."
    assert not any(k.isEnabled() for k in digit_keys(pad))
    assert not button(pad, "OK, check the PIN").isEnabled()
    assert not button(pad, "Delete last digit").isEnabled()
    assert button(pad, "Cancel").isEnabled()
    qtbot.keyClicks(pad, PIN)  # a USB keypad is locked out too
    assert pad.entered_digits == 0

    clock.now += 45
    pad.tick()
    assert pad.message == "Too many tries. Wait 15 seconds."
    clock.now += 16
    qtbot.waitUntil(lambda: button(pad, "5").isEnabled(), timeout=3000)  # the QTimer ticks
    assert pad.message == ""
    qtbot.keyClicks(pad, PIN)
    with qtbot.waitSignal(pad.accepted, timeout=2000):
        qtbot.keyClick(pad, Qt.Key.Key_Enter)


def test_the_display_never_shows_the_digits(qtbot: QtBot, pad: PinPad) -> None:
    typed = ""
    for digit in "13579086":
        tap_keys(qtbot, pad, digit)
        typed += digit
        texts = [label.text() for label in pad.findChildren(QLabel)]
        assert "\u25cf" * len(typed) in texts
        assert not any(ch.isdigit() for text in texts if "\u25cf" in text for ch in text)
        assert not any(typed in text for text in texts)


def test_keyboard_entry_backspace_and_escape(qtbot: QtBot, pad: PinPad) -> None:
    qtbot.keyClicks(pad, PIN + "9")
    qtbot.keyClick(pad, Qt.Key.Key_Backspace)
    with qtbot.waitSignal(pad.accepted, timeout=2000):
        qtbot.keyClick(pad, Qt.Key.Key_Return)
    qtbot.keyClicks(pad, "12")
    with qtbot.waitSignal(pad.cancelled, timeout=2000):
        qtbot.keyClick(pad, Qt.Key.Key_Escape)
    assert pad.entered_digits == 0


def test_at_most_twelve_digits(qtbot: QtBot, pad: PinPad) -> None:
    qtbot.keyClicks(pad, "1234567890123")
    assert pad.entered_digits == 12


def test_delete_cancel_and_reset(qtbot: QtBot, pad: PinPad) -> None:
    tap_keys(qtbot, pad, "135")
    qtbot.mouseClick(button(pad, "Delete last digit"), LEFT)
    assert pad.entered_digits == 2
    qtbot.mouseClick(button(pad, "OK, check the PIN"), LEFT)
    assert "tries left" in pad.message
    tap_keys(qtbot, pad, "7")
    pad.reset()
    assert (pad.entered_digits, pad.message) == (0, "")
    with qtbot.waitSignal(pad.cancelled, timeout=2000):
        qtbot.mouseClick(button(pad, "Cancel"), LEFT)


def test_no_pin_configured_says_how_to_set_one(qtbot: QtBot) -> None:
    pad = PinPad(PinGuard(""))
    show(qtbot, pad)
    assert pad.message == "No admin PIN is set. On this computer, run: kiosk set-pin"
    assert not button(pad, "OK, check the PIN").isEnabled()
    assert button(pad, "Cancel").isEnabled()


def test_keys_are_big_spaced_and_named(pad: PinPad) -> None:
    for key in digit_keys(pad):
        assert key.width() >= 96 and key.height() >= 96, key.text()
    grids = pad.findChildren(QGridLayout)
    assert grids and all(g.spacing() >= 8 for g in grids)
    assert all(b.accessibleName() for b in pad.findChildren(QPushButton))
    assert pad.accessibleName()
    one, two = button(pad, "1").geometry(), button(pad, "2").geometry()
    assert two.left() - one.right() > 8  # a gap a finger can feel, not just a line


# --- the administrator panel --------------------------------------------------------


def test_admin_panel(qtbot: QtBot) -> None:
    panel = AdminPanel("Heart health", 3)
    show(qtbot, panel)
    assert "Content: Heart health, content version 3" in [
        lb.text() for lb in panel.findChildren(QLabel)
    ]
    assert "Administrator" in [lb.text() for lb in panel.findChildren(QLabel)]
    panel.set_pack("Diabetes", 4)
    assert panel.pack_text == "Content: Diabetes, content version 4"
    exit_button = button(panel, "Exit kiosk")
    assert exit_button.property("role") == "danger"
    assert all(b.accessibleName() for b in panel.findChildren(QPushButton))
    with qtbot.waitSignal(panel.closed, timeout=2000):
        qtbot.mouseClick(button(panel, "Back to patient screen"), LEFT)
    # Exit asks first; "No" keeps the panel, "Yes" exits.
    with qtbot.assertNotEmitted(panel.exit_requested):
        qtbot.mouseClick(exit_button, LEFT)
        assert panel.asking_to_exit and not exit_button.isVisible()
        qtbot.mouseClick(button(panel, "No, stay"), LEFT)
    assert not panel.asking_to_exit and exit_button.isVisible()
    qtbot.mouseClick(exit_button, LEFT)
    with qtbot.waitSignal(panel.exit_requested, timeout=2000):
        qtbot.mouseClick(button(panel, "Yes, exit the kiosk"), LEFT)


def test_admin_panel_takes_sections_above_its_buttons(qtbot: QtBot) -> None:
    panel = AdminPanel("Heart health", 3)
    section = QLabel("Logs")
    panel.add_section(section)
    show(qtbot, panel)
    assert panel.isAncestorOf(section)
    assert section.isVisible()
    assert section.geometry().bottom() < button(panel, "Exit kiosk").geometry().top()


def test_the_entry_decides_what_a_try_comes_to_without_a_screen(
    pin_hash: str, clock: FakeClock
) -> None:
    from kiosk.ui.screens.pin_entry import MAX_DIGITS, PinEntry, Try

    entry = PinEntry(PinGuard(pin_hash, clock=clock))
    assert entry.submit() is Try.NOT_COUNTED  # nothing typed is not a try
    assert not entry.add("x") and not entry.add("12") and entry.count == 0
    for _ in range(MAX_DIGITS + 1):
        entry.add("1")
    assert entry.count == MAX_DIGITS
    entry.delete()
    assert entry.count == MAX_DIGITS - 1
    assert entry.submit() is Try.WRONG and entry.count == 0 and entry.tries_left == 4
    for _ in range(3):
        entry.add("9")
        assert entry.submit() is Try.WRONG
    entry.add("9")
    assert entry.submit() is Try.LOCKED and entry.seconds_locked == 60
    assert not entry.usable and not entry.add(PIN[0])
    clock.now += 60
    for digit in PIN:
        entry.add(digit)
    assert entry.submit() is Try.ACCEPTED and entry.count == 0


def test_an_entry_without_a_pin_takes_no_digits() -> None:
    from kiosk.ui.screens.pin_entry import PinEntry, Try

    entry = PinEntry(PinGuard(""))
    assert not entry.configured and not entry.usable
    assert not entry.add("1") and entry.submit() is Try.NOT_COUNTED
