"""Idle privacy: after a quiet spell ask "Still there?", then wipe the session.

Any press, touch or key anywhere restarts the quiet spell. The warning gives at least
20 seconds (WCAG 2.2.1) and one big button to stay; a touch anywhere on it counts as
"I'm here" too. It covers the page completely, so what was being read is not left on
show to the waiting room while it counts down. Staff get the same warning, in their
words, before an unattended admin panel closes.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from kiosk.ui.i18n import QT_TRANSLATE_NOOP
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.widgets.labels import Label
from kiosk.ui.widgets.scrolling import kinetic_scroll_area
from kiosk.ui.windowinput import unwatch_window_input, watch_window_input

ACTIVITY = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }
)
# The countdowns, in Qt's numerus forms ("1 second", "2 seconds"); the literal 1 is only
# lupdate's cue (kiosk.ui.i18n.QT_TRANSLATE_NOOP).
STARTS_OVER_IN = QT_TRANSLATE_NOOP(
    "IdleOverlay", "To protect your privacy, this screen will start over in %n seconds.", None, 1
)
ADMIN_CLOSES_IN = QT_TRANSLATE_NOOP(
    "IdleOverlay", "For safety, the admin panel closes in %n seconds.", None, 1
)


class IdleMonitor(QObject):
    """Watches a window for activity; says when it has been quiet too long."""

    idle = Signal()

    def __init__(self, timeout_s: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(timeout_s * 1000)
        self._timer.timeout.connect(self.idle)
        self._window: QWidget | None = None
        self._active = False

    def start(self, window: QWidget) -> None:
        watch_window_input(window, self)
        self._window = window
        self._active = True
        self._timer.start()

    def stop(self) -> None:
        if self._window is not None:
            unwatch_window_input(self._window, self)
        self._active = False
        self._timer.stop()

    @property
    def active(self) -> bool:
        """Whether the quiet spell is being timed (watching, and not yet idle)."""
        return self._timer.isActive()

    def poke(self) -> None:
        """Start the quiet spell over, if watching at all (a stopped monitor stays off)."""
        if self._active:
            self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY:
            self._timer.start()
        return False


class IdleOverlay(QWidget):
    """Covers the window with a countdown and one button; counts down once a second."""

    stay = Signal()
    expired = Signal()
    tick = Signal(int)  # seconds left, e.g. for read-aloud

    def __init__(self, warning_s: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("idle-cover")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._warning_s = warning_s
        self._left = warning_s
        self._staff = False
        self._timer = QTimer(self)
        self._timer.setObjectName("idle-countdown")  # its one-second tick
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._count_down)
        panel = QFrame(self)
        panel.setObjectName("idle-panel")
        self._panel = panel
        self._title = Label(panel)
        self._title.setProperty("role", "hero-title")
        self._title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._title.setWordWrap(True)
        self._message = Label(panel)
        self._message.setWordWrap(True)
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stay_button = TouchButton(role="big-primary")
        self.stay_button.clicked.connect(self._stay)
        words = QWidget()
        column = QVBoxLayout(words)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(28)
        column.addWidget(self._title)
        column.addWidget(self._message)
        self._words = kinetic_scroll_area(words, panel)
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(56, 48, 56, 48)
        inner.setSpacing(28)
        inner.addWidget(self._words, 1)
        inner.addWidget(self.stay_button)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)
        self.hide()

    def resizeEvent(self, event: QResizeEvent) -> None:
        # A fixed width lets the wrapped lines decide the height, at any text size.
        self._panel.setFixedWidth(min(1100, max(0, self.width() - 80)))
        self._fit_height()
        super().resizeEvent(event)

    def _fit_height(self) -> None:
        # As tall as the wrapped words need, but never taller than the screen: at 200%
        # in the easier font the words can need more, and the button must stay on
        # screen (the text then scrolls).
        host = self._words.widget()
        words = host.layout() if host is not None else None
        if words is None:
            return
        inner = self._panel.width() - 2 * 56
        wanted = (
            words.totalHeightForWidth(inner)
            + 28
            + self.stay_button.sizeHint().height()
            + 2 * 48
            + 8  # the panel's border
        )
        self._panel.setFixedHeight(max(0, min(wanted, self.height() - 40)))

    @property
    def seconds_left(self) -> int:
        return self._left

    @property
    def for_staff(self) -> bool:
        """The warning is the admin panel's, worded for staff."""
        return self._staff

    def begin(self, *, staff: bool = False, extra_s: int = 0) -> None:
        """Show the warning and count down from the configured seconds, and ``extra_s``
        more (a patient in speech mode hears it before answering)."""
        self._staff = staff
        self._left = self._warning_s + extra_s
        self._render()
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.stay_button.setFocus()
        self._timer.start()
        self.tick.emit(self._left)

    def cancel(self) -> None:
        self._timer.stop()
        self.hide()

    def spoken_text(self) -> str:
        """The warning as read aloud: the question, the countdown, and what to tap."""
        return f"{self._title.text()} {self._message.text()} {self.stay_button.text()}."

    def _stay(self) -> None:
        self.cancel()
        self.stay.emit()

    def _count_down(self) -> None:
        self._left -= 1
        if self._left <= 0:
            self.cancel()
            self.expired.emit()
            return
        self._render()
        self.tick.emit(self._left)

    def _render(self) -> None:
        if self._staff:
            self._render_for_staff()
            return
        self._title.setText(QCoreApplication.translate("IdleOverlay", "Are you still there?"))
        self._message.setText(
            QCoreApplication.translate("IdleOverlay", STARTS_OVER_IN, None, self._left)
        )
        self._show_texts(QCoreApplication.translate("IdleOverlay", "I'm still here"))

    def _render_for_staff(self) -> None:
        self._title.setText(
            QCoreApplication.translate("IdleOverlay", "Still using the admin panel?")
        )
        self._message.setText(
            QCoreApplication.translate("IdleOverlay", ADMIN_CLOSES_IN, None, self._left)
        )
        self._show_texts(QCoreApplication.translate("IdleOverlay", "Keep it open"))

    def _show_texts(self, label: str) -> None:
        self.stay_button.setText(label)
        self.stay_button.setAccessibleName(label)
        self.setAccessibleName(self._message.text())
        self._fit_height()

    # --- any touch or key answers the question ---------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # A tap on the text or the dark edge means "I'm here" as much as the button
        # does; a patient in a hurry should not have to aim (touches arrive as mice).
        event.accept()
        self._stay()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        event.accept()
        self._stay()
