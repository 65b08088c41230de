"""See every press, touch and key a window gets, before its widgets do.

Watchers are installed on the window's QWindow rather than on the whole application:
only input reaches a QWindow, and the QWindow goes away with its widget, so a watcher
is never called while the widgets it belongs to are being torn down.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QTextBrowser, QWidget


class _InstallOnShow(QObject):
    """Waits for the window's first show, when Qt has created its QWindow."""

    def __init__(self, window: QWidget, watcher: QObject) -> None:
        super().__init__(watcher)
        self._window = window
        self._watcher = watcher

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The type first: a window never shown (start-up failed) is torn down with this
        # filter still on it, and its wrapper may already be gone; reaching for it then
        # raised inside Qt's destructor, and at Python's exit that was a segfault.
        if event.type() != QEvent.Type.Show:
            return False
        handle = self._window.window().windowHandle()
        if handle is not None:
            handle.installEventFilter(self._watcher)
            self._window.removeEventFilter(self)
        return False


def watch_window_input(window: QWidget, watcher: QObject) -> None:
    """Install ``watcher`` on the QWindow showing ``window`` (its top-level window's:
    the kiosk may be embedded, as in the preview), now or at first show."""
    handle = window.window().windowHandle()
    if handle is not None:
        handle.installEventFilter(watcher)
    else:
        window.installEventFilter(_InstallOnShow(window, watcher))


def unwatch_window_input(window: QWidget, watcher: QObject) -> None:
    handle = window.window().windowHandle()
    if handle is not None:
        handle.removeEventFilter(watcher)


class FocusRingForKeysOnly(QObject):
    """A focus ring is for keypad and switch users: a touch or a click takes it away.

    Buttons take focus only from Tab, but focus a keypad user left on a control (or one
    given to it programmatically) would keep its ring under the next patient's finger.
    The search field keeps its focus (it wears a ring to show where typing goes).
    """

    def __init__(self, window: QWidget, page: Callable[[], QWidget | None]) -> None:
        """``page`` gives the page on screen, which takes the focus back."""
        super().__init__(window)
        self._page = page
        watch_window_input(window, self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin):
            focused = QApplication.focusWidget()
            if isinstance(focused, QAbstractButton | QTextBrowser):  # the ring's wearers
                # The page draws no ring and still takes a keypad's keys (the reader's
                # arrows, the PIN pad's digits).
                page = self._page()
                if page is not None and page.focusPolicy() != Qt.FocusPolicy.NoFocus:
                    page.setFocus(Qt.FocusReason.OtherFocusReason)
                else:
                    focused.clearFocus()
        return False
