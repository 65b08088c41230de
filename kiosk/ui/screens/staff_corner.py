"""The staff corner: five taps in the window's top-left corner within three seconds.

Taps on a button never count (they restart the count): Home sits in that corner, and a
patient tapping Home five times must not land on a staff screen. Staff tap the empty
corner of the welcome screen, which ignores taps there. Apart from the PIN pad and the
panel (``kiosk.ui.screens.admin``) because the welcome screen needs it before its first
frame and they do not.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Signal
from PySide6.QtGui import QMouseEvent, QTouchEvent, QWindow
from PySide6.QtWidgets import QAbstractButton, QWidget

from kiosk.ui.windowinput import unwatch_window_input, watch_window_input

CORNER_PX = 100
TAPS = 5
WITHIN_SECONDS = 3.0
# A quick second tap reaches the widget as a double click (the window saw a press).
_PRESSES = (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick)
_RELEASES = (QEvent.Type.MouseButtonRelease, QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd)


def in_corner(x: int, y: int) -> bool:
    """Whether a point of the window (logical px) is in the staff corner."""
    return 0 <= x < CORNER_PX and 0 <= y < CORNER_PX


class CornerTapDetector(QObject):
    """Emits ``triggered`` after 5 presses in a window's top-left corner within 3 s.

    It filters the whole application (a filter on the window alone would miss presses
    that go straight to child widgets) and maps each press into ``window``. It never
    consumes an event. One physical press reaches the filter several times (window,
    widget, parents the press propagates to; for a finger also the press Qt makes
    from the touch), all with the same timestamp and position: they count once.
    A press elsewhere in the window restarts the count: the gesture is deliberate.
    """

    triggered = Signal()

    def __init__(
        self,
        window: QWidget,
        clock: Callable[[], float] = time.monotonic,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent if parent is not None else window)
        self._window = window
        self._clock = clock
        self._taps: deque[float] = deque()
        self._last_press: tuple[int, int, int] | None = None
        self._triggering_press: tuple[int, int, int] | None = None
        self._swallow_release = False
        watch_window_input(window, self)

    def uninstall(self) -> None:
        unwatch_window_input(self._window, self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _PRESSES and isinstance(event, QMouseEvent):
            return self._press(watched, event.timestamp(), event.globalPosition())
        if kind == QEvent.Type.TouchBegin and isinstance(event, QTouchEvent) and event.points():
            return self._press(watched, event.timestamp(), event.points()[0].globalPosition())
        if self._swallow_release and kind in _RELEASES:
            # The fifth press opened the PIN pad. Its release must not also press the
            # button under the finger: Home sits in that corner.
            if kind in (QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd):
                self._swallow_release = False
            return True
        return False

    def _on_a_button(self, local: QPoint) -> bool:
        widget = self._window.childAt(local)
        while widget is not None and widget is not self._window:
            if isinstance(widget, QAbstractButton):
                return True
            widget = widget.parentWidget()
        return False

    def _in_window(self, watched: QObject) -> bool:
        window = self._window
        if isinstance(watched, QWindow):
            return watched is window.windowHandle()
        if isinstance(watched, QWidget):
            return watched is window or window.isAncestorOf(watched)
        return False

    def _press(self, watched: QObject, timestamp: int, global_pos: QPointF) -> bool:
        """Count a press; True (consume it) only for the press that opens the pad."""
        if not self._window.isVisible() or not self._in_window(watched):
            return False
        point = global_pos.toPoint()
        key = (timestamp, point.x(), point.y())
        if key == self._last_press:
            return key == self._triggering_press  # the same press seen again elsewhere
        self._last_press = key
        local = self._window.mapFromGlobal(point)
        if not in_corner(local.x(), local.y()) or self._on_a_button(local):
            self._taps.clear()
            return False
        now = self._clock()
        self._taps.append(now)
        while self._taps and now - self._taps[0] > WITHIN_SECONDS:
            self._taps.popleft()
        if len(self._taps) >= TAPS:
            self._taps.clear()
            self._triggering_press = key
            self._swallow_release = True
            self.triggered.emit()
            return True
        return False
