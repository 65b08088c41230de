"""Touch in speech mode: a finger held on the screen for two seconds starts it; while it
is on, a finger on the screen hears what is under it and chooses nothing, and a double
tap anywhere chooses the last thing heard (issue 15; the model of the screen readers of
phones). Cards still turn with the keys and the Next and Previous buttons."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.core.speech.keymap import SpeechAction
from kiosk.ui.speech_mode.controller import SpeechMode
from kiosk.ui.window import MainWindow

if TYPE_CHECKING:
    from kiosk.ui.speech_mode.items import ReadingItem

HOLD_MS = 2_000  # a finger held this long starts speech mode
# A hold timer that fires this late found the GUI thread busy (a pack being shown, the
# parts made after the first frame): a tap's release may be waiting behind it in the
# queue. It looks again this long after, once that input has come in.
LATE_S = 0.15
LOOK_AGAIN_MS = 250
DOUBLE_TAP_S = 0.5  # a second tap within this long chooses (a hand that shakes is slow)
STILL_PX = 24  # a finger that moves further is not holding still (as TouchButton's taps)
_MOUSE = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
}


class TouchExplorer(QObject):
    """Touch for ``mode``, in ``window`` (Qt turns a touchscreen's touches into these
    mouse events: AA_SynthesizeMouseForUnhandledTouchEvents)."""

    def __init__(self, window: MainWindow, mode: SpeechMode) -> None:
        super().__init__(window)
        self._window = window
        self._mode = mode
        self._hold = QTimer(self)
        self._hold.setSingleShot(True)
        self._hold.setInterval(HOLD_MS)
        self._hold.timeout.connect(self._held)
        self._pressed_at: QPoint | None = None  # a finger that may be holding to start
        self._due = 0.0  # when the hold timer should fire (time.monotonic)
        self._last_tap = 0.0
        self._tap_at: QPoint | None = None  # where a touch began, while it may be a tap
        self._second_tap = False  # the touch down now came soon after a tap
        self._before: ReadingItem | None = None  # what was said before the last touch
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in _MOUSE or not self._ours(watched):
            return False
        assert isinstance(event, QMouseEvent) and isinstance(watched, QWidget)
        point = watched.mapTo(self._window, event.position().toPoint())
        if not self._mode.on:
            self._watch_for_a_hold(event.type(), point)
            return False  # the tap does what it always does
        kind = event.type()
        if kind == QEvent.Type.MouseButtonRelease and self._mode.answers_a_question():
            return True  # "Are you still there?": a tap anywhere is "I'm still here"
        if kind != QEvent.Type.MouseMove or event.buttons():  # a mouse hovering: nothing
            self._touch(kind, point)
        return True  # nothing under the finger is pressed: it is only heard

    def _touch(self, kind: QEvent.Type, point: QPoint) -> None:
        """In speech mode: a touch or a drag says what is under the finger; a double
        tap anywhere chooses the thing said before it. Its first tap says what is under
        it too (a single tap is how a patient asks "what is here?"), so the thing
        said before the pair is put back first: the double tap's place does not count."""
        # X delivers a double tap's second touch as a double click, not a press.
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self._second_tap = time.monotonic() - self._last_tap < DOUBLE_TAP_S
            self._tap_at = point
            if not self._second_tap:
                self._before = self._mode.current
                self._mode.explore(point, look_again=True)
        elif kind == QEvent.Type.MouseMove:
            if self._tap_at is not None and (point - self._tap_at).manhattanLength() > STILL_PX:
                self._tap_at = None  # a drag, not a tap
            if not self._second_tap:
                self._mode.explore(point, look_again=False)
        elif kind == QEvent.Type.MouseButtonRelease:
            tapped, self._tap_at = self._tap_at is not None, None
            if self._pressed_at is not None:  # the finger that held: not a tap
                self._pressed_at, tapped = None, False
            if tapped and self._second_tap:
                self._last_tap, self._second_tap = 0.0, False
                self._mode.return_to(self._before)
                self._mode.do(SpeechAction.ACTIVATE)
            else:
                self._last_tap = time.monotonic() if tapped else 0.0

    def _held(self) -> None:
        if time.monotonic() - self._due > LATE_S:
            # Late: the loop was busy, and a 100 ms tap on a busy kiosk (in a VM under
            # load, seen in CI) started speech mode. Look again once input has come in.
            self._due = time.monotonic() + LOOK_AGAIN_MS / 1000
            self._hold.start(LOOK_AGAIN_MS)
            return
        self._mode.start()  # the finger still down: its lifting is no tap (see above)

    def _watch_for_a_hold(self, kind: QEvent.Type, point: QPoint) -> None:
        if kind == QEvent.Type.MouseButtonPress:
            self._pressed_at = point
            self._due = time.monotonic() + HOLD_MS / 1000
            self._hold.start(HOLD_MS)
        elif kind == QEvent.Type.MouseMove and self._pressed_at is not None:
            if (point - self._pressed_at).manhattanLength() > STILL_PX:
                self._hold.stop()
        elif kind == QEvent.Type.MouseButtonRelease:
            self._hold.stop()
            self._pressed_at = None

    def _ours(self, watched: QObject) -> bool:
        ours = isinstance(watched, QWidget) and watched.window() is self._window
        return ours and not self._window.in_staff_mode  # staff's screens: as ever

    def reset(self) -> None:
        self._hold.stop()
        self._pressed_at, self._last_tap, self._tap_at = None, 0.0, None
        self._second_tap, self._before = False, None
