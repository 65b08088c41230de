"""The staff PIN pad: big phone-layout keys, dots instead of digits, and a lockout.

The pad never shows or keeps the digits anywhere but in its ``PinEntry`` (pin_entry),
which also decides what a try comes to; it is cleared on every try, on Cancel and on
``reset()``. The lockout itself lives in ``PinGuard``; the pad only mirrors it (keys
disabled, a countdown refreshed every second).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.pin import PinGuard
from kiosk.ui.i18n import QT_TRANSLATE_NOOP
from kiosk.ui.screens.pin_entry import PinEntry, Try
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.widgets.labels import Label
from kiosk.ui.widgets.layout import add_layout

KEY_PX = 72  # digit keys are at least this big, above the 64 px touch minimum ...
KEY_MAX_PX = 120  # ... and grow with the screen up to this
KEY_SPACING = 12
DOT = "\u25cf"  # ●
# The app style sheet gives buttons a 64 px minimum, which would override
# setMinimumSize; this local rule (cascaded on top of the theme) keeps keys big. The
# pad is for staff, so its text does not follow a patient's text size: at any size it
# fits a 768 px tall screen (ACCEPTANCE: every page fits 1024x768).
_LOCAL_STYLE = f"""
QPushButton#pin-key {{
    min-width: {KEY_PX}px; min-height: {KEY_PX}px; padding: 0; font-size: 40px;
}}
QPushButton#pin-action {{ min-height: {KEY_PX}px; padding: 0 8px; font-size: 26px; }}
QLabel#pin-dots {{ font-size: 48px; letter-spacing: 8px; }}
QLabel#pin-title {{ font-size: 30px; }}
QLabel#pin-message {{ font-size: 24px; }}
"""


def card_layout(host: QWidget, name: str, max_width: int, max_height: int = 0) -> QVBoxLayout:
    """Centre a card-like QFrame in ``host`` and return the card's own layout. With
    ``max_height`` the card grows with the screen up to that height (its contents
    decide how), instead of keeping its smallest size."""
    host.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # the theme's page colour
    card = QFrame(host)
    card.setObjectName(name)
    card.setProperty("role", "card")
    card.setMaximumWidth(max_width)
    inner = QVBoxLayout(card)
    inner.setContentsMargins(40, 24, 40, 24)
    inner.setSpacing(16)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(card, 10)
    row.addStretch(1)
    outer = QVBoxLayout(host)
    outer.addStretch(1)
    if max_height:
        card.setMaximumHeight(max_height)
        add_layout(outer, row, 20)
    else:
        add_layout(outer, row)
    outer.addStretch(1)
    return inner


# Every user-visible string, marked for lupdate and translated when shown.
TEXT: dict[str, str] = {
    "title": QT_TRANSLATE_NOOP("PinPad", "Staff only: enter the admin PIN"),
    "delete": QT_TRANSLATE_NOOP("PinPad", "Delete"),
    "delete_name": QT_TRANSLATE_NOOP("PinPad", "Delete last digit"),
    "cancel": QT_TRANSLATE_NOOP("PinPad", "Cancel"),
    "ok": QT_TRANSLATE_NOOP("PinPad", "OK"),
    "ok_name": QT_TRANSLATE_NOOP("PinPad", "OK, check the PIN"),
    "pad_name": QT_TRANSLATE_NOOP("PinPad", "Admin PIN pad"),
    "dots_name": QT_TRANSLATE_NOOP("PinPad", "PIN entered"),
    # Counts, in Qt's numerus forms: shown with _n (the literal 1 is lupdate's cue).
    "dots_count": QT_TRANSLATE_NOOP("PinPad", "%n digits entered", None, 1),
    "message_name": QT_TRANSLATE_NOOP("PinPad", "PIN pad message"),
    "wrong": QT_TRANSLATE_NOOP("PinPad", "Wrong PIN. %n tries left.", None, 1),
    "locked": QT_TRANSLATE_NOOP("PinPad", "Too many tries. Wait %n seconds.", None, 1),
    "no_pin": QT_TRANSLATE_NOOP(
        "PinPad", "No admin PIN is set. On this computer, run: kiosk set-pin"
    ),
}


class PinPad(QWidget):
    accepted = Signal()
    cancelled = Signal()

    def __init__(self, guard: PinGuard, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pin = PinEntry(guard)
        self.setObjectName("page")  # pages paint the theme background
        self.setStyleSheet(_LOCAL_STYLE)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self._t("pad_name"))

        layout = card_layout(self, "pin-panel", 640, max_height=960)
        title = self._label(self._t("title"), "card-title", "pin-title")
        self._title = title
        self._dots = self._label("", "hero-title", "pin-dots")
        self._dots.setAccessibleName(self._t("dots_name"))
        self._dots.setMinimumHeight(60)
        self._message = self._label("", "banner-text", "pin-message")
        self._message.setAccessibleName(self._t("message_name"))
        self._message.setMinimumHeight(64)  # room for two lines: no jumping keys
        for label in (title, self._dots, self._message):
            layout.addWidget(label)

        grid = QGridLayout()
        grid.setSpacing(KEY_SPACING)
        self._digits: list[TouchButton] = []
        for index, digit in enumerate("1234567890"):
            key = TouchButton(digit, self, name=digit, debounce_ms=120)
            key.setObjectName("pin-key")
            # Keys share the height the screen leaves them, from 72 to 120 px.
            key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            key.setMaximumHeight(KEY_MAX_PX)
            key.clicked.connect(self._digit_clicked)
            self._digits.append(key)
            row, col = (3, 1) if digit == "0" else divmod(index, 3)
            grid.addWidget(key, row, col)
        self._delete = self._action("delete", "delete_name", self._delete_clicked)
        self._ok = self._action("ok", "ok_name", self.submit, role="primary")
        grid.addWidget(self._delete, 3, 0)
        grid.addWidget(self._ok, 3, 2)
        add_layout(layout, grid)
        layout.addSpacing(8)
        self._cancel = self._action("cancel", "cancel", self.cancel)
        layout.addWidget(self._cancel)

        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self.tick)
        self._sync()

    # --- building ---------------------------------------------------------------

    def _t(self, key: str) -> str:
        return QCoreApplication.translate("PinPad", TEXT[key])

    def _n(self, key: str, count: int) -> str:
        return QCoreApplication.translate("PinPad", TEXT[key], None, count)

    def _label(self, text: str, role: str, name: str) -> Label:
        label = Label(text, self)
        label.setObjectName(name)
        label.setProperty("role", role)
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    def _action(
        self, text: str, name: str, slot: Callable[[], None], role: str = ""
    ) -> TouchButton:
        button = TouchButton(self._t(text), self, role=role, name=self._t(name))
        button.setObjectName("pin-action")
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        button.setMaximumHeight(KEY_MAX_PX)
        button.clicked.connect(slot)
        return button

    def retranslate(self) -> None:
        """Relabel everything in the interface language (the patient's, when opened)."""
        self.setAccessibleName(self._t("pad_name"))
        self._title.setText(self._t("title"))
        self._dots.setAccessibleName(self._t("dots_name"))
        self._message.setAccessibleName(self._t("message_name"))
        for button, text, name in (
            (self._delete, "delete", "delete_name"),
            (self._ok, "ok", "ok_name"),
            (self._cancel, "cancel", "cancel"),
        ):
            button.setText(self._t(text))
            button.setAccessibleName(self._t(name))
        self._show_entry()
        self._sync()

    # --- state ------------------------------------------------------------------

    @property
    def entered_digits(self) -> int:
        return self._pin.count

    @property
    def message(self) -> str:
        return self._message.text()

    def reset(self) -> None:
        """Forget the entry and any message (the pad is being left)."""
        self._pin.clear()
        self._show_entry()
        self._message.clear()
        self._sync()

    def tick(self) -> None:
        """Refresh the lockout countdown; the QTimer calls this every second."""
        self._sync()

    def _sync(self) -> None:
        locked = self._pin.seconds_locked
        usable = self._pin.configured and not locked
        for key in (*self._digits, self._delete, self._ok):
            key.setEnabled(usable)
        if not self._pin.configured:
            self._message.setText(self._t("no_pin"))
        elif locked:
            self._message.setText(self._n("locked", locked))
            if not self._timer.isActive():
                self._timer.start()
        elif self._timer.isActive():
            self._timer.stop()
            self._message.clear()

    def _show_entry(self) -> None:
        n = self._pin.count
        self._dots.setText(DOT * n)
        self._dots.setAccessibleDescription(self._n("dots_count", n))

    # --- actions ----------------------------------------------------------------

    def _digit_clicked(self) -> None:
        sender = self.sender()
        if isinstance(sender, TouchButton):
            self.add_digit(sender.text())

    def add_digit(self, digit: str) -> None:
        if self._pin.add(digit):
            self._show_entry()

    def _delete_clicked(self) -> None:
        self._pin.delete()
        self._show_entry()

    def submit(self) -> None:
        """OK: check the entry; an empty entry is not counted as a try."""
        result = self._pin.submit()
        if result is Try.NOT_COUNTED:
            return
        self._show_entry()
        if result is Try.ACCEPTED:
            self._message.clear()
            self.accepted.emit()
        elif result is Try.WRONG:
            left = self._pin.tries_left
            self._message.setText(self._n("wrong", left))
        self._sync()

    def cancel(self) -> None:
        self.reset()
        self.cancelled.emit()

    # --- Qt events --------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """USB keypads: digits, Enter, Backspace and Escape work like the keys."""
        key = event.key()
        if event.text() and event.text() in "0123456789":
            self.add_digit(event.text())
        elif key in (Qt.Key.Key_Enter, Qt.Key.Key_Return):
            self.submit()
        elif key in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete):
            self._delete_clicked()
        elif key == Qt.Key.Key_Escape:
            self.cancel()
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def showEvent(self, event: QShowEvent) -> None:
        self._sync()  # the guard may have locked or unlocked while hidden
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        super().showEvent(event)
