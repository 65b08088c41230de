"""Layout helpers: adding a layout safely, columns that fit, pages that reflow.

``add_layout`` stands in for ``QBoxLayout.addLayout`` everywhere in the kiosk (a
PySide6 wrapper bug, see its docstring).
"""

from __future__ import annotations

from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QLayout, QPushButton, QWidget


def add_layout(parent: QBoxLayout, child: QLayout, stretch: int = 0) -> None:
    """``parent.addLayout(child, stretch)``, without keeping wrappers of child's items.

    PySide6's ``addLayout`` wraps every item already in ``child`` (a QWidgetItem per
    widget, a QSpacerItem per stretch) and keeps the wrappers. Qt deletes a QWidgetItem
    when its widget leaves the layout, but nothing tells Python: the wrapper stays
    registered at the freed address, and the next QObject Qt allocates there comes
    back to Python as a QWidgetItem ("grabGesture called with wrong argument types:
    QWidgetItem"). Layouts are QObjects and report their own deletion, so only the
    plain items are let go (tests/test_layout_item_wrappers.py).
    """
    parent.addLayout(child, stretch)
    _release_item_wrappers(child)


def _release_item_wrappers(layout: QLayout) -> None:
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item is None:
            continue
        inner = item.layout()
        if inner is not None:
            _release_item_wrappers(inner)
        else:
            shiboken6.invalidate(item)


def discard(widget: QWidget) -> None:
    """Take ``widget`` off the screen now and delete it later: a widget only marked for
    deletion stays visible, under its replacement, until the event loop runs again."""
    widget.hide()
    widget.deleteLater()


def fit_columns(
    widgets: Sequence[QWidget], width: int, most: int, spacing: int, least: int = 0
) -> int:
    """How many columns of ``widgets`` fit in ``width`` px, from ``most`` down to one.

    A column is as wide as the widest widget needs (the longest word of a wrapped
    label, the whole text of a button), so no text is cut off at any text size (WCAG
    2.2 1.4.4, 1.4.10: reflow rather than clip); only in one column does a button
    wrap its words. ``least`` is a column's width floor in px.
    """

    def need(widget: QWidget) -> int:
        hint = widget.sizeHint() if isinstance(widget, QPushButton) else widget.minimumSizeHint()
        return hint.width()

    widest = max([least, *(need(w) for w in widgets)])
    columns = max(1, most)
    while columns > 1 and columns * widest + (columns - 1) * spacing > width:
        columns -= 1
    return columns


class ReflowPage(QWidget):
    """A page that lays itself out again when its size or text size changes.

    Subclasses implement ``arrange()``. A new text size or font reaches a page as
    style and font changes before its children are restyled, so the page arranges
    itself one event-loop turn later, once every child has its new size.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rearrange = QTimer(self)
        self._rearrange.setSingleShot(True)
        self._rearrange.setInterval(0)
        self._rearrange.timeout.connect(self.arrange)

    def arrange(self) -> None:
        raise NotImplementedError

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.arrange()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._rearrange.start()
        super().changeEvent(event)
