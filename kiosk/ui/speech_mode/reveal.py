"""Things a scroll area hides in part or whole: the part of each that shows, and how to
scroll it into view, so that speech mode reaches every thing of a screen, not only
those on it now (at 200% text, the A to Z list hid 8 of its 42 words below the fold)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QScrollArea, QWidget

MARGIN_PX = 16  # room left around a thing scrolled into view


def shown_part(widget: QWidget, whole: QRect, window: QWidget) -> QRect:
    """``whole`` (``window``'s coordinates: where ``widget``'s thing is) cut to the window
    and to the view of every scroll area around ``widget``; empty if none of it shows."""
    shown = whole.intersected(window.rect())
    for area in _areas_around(widget):
        view = area.viewport()
        shown = shown.intersected(QRect(view.mapTo(window, QPoint(0, 0)), view.size()))
    return shown


def revealer(widget: QWidget, whole: QRect, window: QWidget) -> Callable[[], None] | None:
    """What scrolls ``whole`` (as in ``shown_part``) into the view of the scroll area
    nearest around ``widget``; None if no scroll area holds it."""
    area = next(_areas_around(widget), None)
    return None if area is None else partial(_reveal, area, whole, window)


def _reveal(area: QScrollArea, whole: QRect, window: QWidget) -> None:
    content = area.widget()
    if content is None:
        return
    view = area.viewport()
    # A thing taller than the view shows from its top: where reading begins.
    half_w = min(whole.width(), view.width()) // 2
    half_h = min(whole.height(), view.height()) // 2
    top_left = content.mapFrom(window, whole.topLeft())
    area.ensureVisible(top_left.x() + half_w, top_left.y() + half_h, 0, half_h + MARGIN_PX)


def _areas_around(widget: QWidget) -> Iterator[QScrollArea]:
    """The scroll areas ``widget`` is inside, the nearest first."""
    current: QWidget | None = widget
    while current is not None and not current.isWindow():
        parent = current.parentWidget()
        if isinstance(parent, QScrollArea) and current is parent.viewport():
            yield parent
        current = parent
