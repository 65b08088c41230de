"""Locked mode: the keys and events that would let a patient leave the kiosk do nothing.

Alt+F4 and close requests reach the window as Close events, which the window refuses
while locked; the shortcuts below are swallowed before any widget sees them. Tooltips,
context menus and What's This never appear, so nothing depends on hover.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QWidget

_CTRL_KEYS = frozenset({Qt.Key.Key_Q, Qt.Key.Key_W})
_BLOCKED_KEYS = frozenset({Qt.Key.Key_Escape, Qt.Key.Key_F11})
_NO_SHOW = frozenset(
    {QEvent.Type.ToolTip, QEvent.Type.WhatsThis, QEvent.Type.ContextMenu, QEvent.Type.StatusTip}
)


def is_escape_key(event: QKeyEvent) -> bool:
    mods = event.modifiers()
    key = Qt.Key(event.key())
    if key in _BLOCKED_KEYS:
        return True
    if mods & Qt.KeyboardModifier.ControlModifier and key in _CTRL_KEYS:
        return True
    return bool(mods & Qt.KeyboardModifier.AltModifier and key == Qt.Key.Key_F4)


class Lockdown(QObject):
    """An application-wide event filter; install it only in locked mode."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _NO_SHOW:
            return True
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and isinstance(
            event, QKeyEvent
        ):
            # A key reaches the window (QWindow) first, then its focus widget: swallowed
            # there, after speech mode (a filter installed later, so asked first) took
            # Esc as Back. Swallowed at the QWindow, a blind patient's Back was silent.
            return isinstance(watched, QWidget) and is_escape_key(event)
        return False
