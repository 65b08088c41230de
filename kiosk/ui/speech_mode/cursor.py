"""Where a patient in speech mode is: one of the screen's things, kept across the
screen changing under it, with the highlight on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget

from kiosk.ui.speech_mode.highlight import Highlight

if TYPE_CHECKING:
    from kiosk.ui.speech_mode.items import ReadingItem


class Cursor:
    """The things of ``roots()`` (kiosk.ui.speech_mode.items) and the one the patient
    is on; ``index`` -1: on none yet."""

    def __init__(
        self,
        window: QWidget,
        roots: Callable[[], list[QWidget]],
        skip: Callable[[], frozenset[QWidget]] = frozenset,
    ) -> None:
        self._window = window
        self._roots = roots
        self._skip = skip
        self._highlight = Highlight(window)
        self.items: list[ReadingItem] = []
        self.index = -1

    @property
    def current(self) -> ReadingItem | None:
        return self.items[self.index] if 0 <= self.index < len(self.items) else None

    def read_screen(self) -> None:
        """The screen's things now, staying on the same thing if it is still there."""
        # The reading order (QAccessible's roles and states) is made when speech mode is
        # first used: loaded with the kiosk, it cost the first frame 6 ms and 0.6 MB.
        from kiosk.ui.speech_mode.items import reading_items

        key = self.current.key if self.current is not None else None
        self.items = reading_items(self._window, self._roots(), self._skip())
        keys = [item.key for item in self.items]
        self.index = keys.index(key) if key in keys else -1

    def first_in(self, area: QRect | None) -> int:
        """The first thing inside ``area`` (the window's coordinates); None: the first."""
        if area is None:
            return 0
        return next((n for n, item in enumerate(self.items) if area.intersects(item.rect)), 0)

    def at(self, point: QPoint) -> int | None:
        """The thing at ``point`` (the window's coordinates), if any: the last listed
        there, the most precise (a link after its paragraph)."""
        found = [n for n, item in enumerate(self.items) if item.rect.contains(point)]
        return found[-1] if found else None

    def go(self, index: int) -> ReadingItem | None:
        """Onto thing ``index``, highlighted; None (and no highlight) if there is none."""
        if not 0 <= index < len(self.items):
            self._highlight.hide()
            return None
        self.index = index
        item = self.items[index]
        self._highlight.ring(item.rect)
        return item

    def clear(self) -> None:
        self.items, self.index = [], -1
        self._highlight.hide()
