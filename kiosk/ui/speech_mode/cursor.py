"""Where a patient in speech mode is: one of the screen's things, kept across the
screen changing under it, with the highlight on it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QWidget

from kiosk.ui.speech_mode.highlight import Highlight
from kiosk.ui.speech_mode.phrases import BOTTOM, TOP

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

    def step(self, by: int) -> tuple[ReadingItem | None, str]:
        """``by`` things on (-1: back), read afresh, past either end to the other: the
        thing (None: the screen has none), and TOP or BOTTOM (kiosk.ui.speech_mode.
        phrases) if it wrapped, else ""."""
        self.read_screen()
        if not self.items:
            return None, ""
        target, wrapped = self.index + by, ""
        if target >= len(self.items):
            target, wrapped = 0, TOP
        elif target < 0:
            target, wrapped = len(self.items) - 1, BOTTOM
        return self.go(target), wrapped

    def read_after_choice(self) -> bool:
        """The screen's things again after a choice that kept the page: True if the
        thing chosen is still there (the cursor stays on it); else the cursor goes to
        the first thing that was not there before ("Type a word" opened the keys and
        hid itself: the first key), or to the one now in its place."""
        before, was = {item.key for item in self.items}, self.index
        self.read_screen()
        if self.index >= 0:
            return True
        new = (n for n, item in enumerate(self.items) if item.key not in before)
        self.index = next(new, min(max(was, 0), len(self.items) - 1))
        return False

    def find(self, key: str) -> int:
        """The index of the thing ``key`` on the screen now; -1 if it is gone."""
        self.read_screen()
        return next((n for n, item in enumerate(self.items) if item.key == key), -1)

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

    def go(self, index: int, reveal: bool = True) -> ReadingItem | None:
        """Onto thing ``index``, highlighted, scrolled into view (``reveal``: not under a
        finger, which the page would move under); None, and no highlight, if none."""
        if not 0 <= index < len(self.items):
            self._highlight.hide()
            return None
        self.index = index
        item = self.items[index]
        if reveal and item.reveal is not None:  # a scroll area hides some: scrolled to
            item.reveal()
            self.read_screen()  # the same thing, where the scrolling put it
            item = self.current or item
        self._highlight.ring(item.rect)
        return item

    def clear(self) -> None:
        self.items, self.index = [], -1
        self._highlight.hide()
