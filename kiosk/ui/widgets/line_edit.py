"""A touch-sized text box whose hint is never cut short."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLineEdit, QStyle, QStyleOptionFrame

from kiosk.ui.widgets.buttons import MIN_TARGET


class TouchLineEdit(QLineEdit):
    """A text box never smaller than a fingertip, nor than its own text (its size
    hints say so, so a layout short of room cannot squeeze its words).

    Its hint, the placeholder, is not cut short ("Type a hea..."): the box shows the
    longest of :meth:`set_placeholders` that fits, at every width and text size (the
    shortest, if none fits; its minimum size leaves room for that one).
    """

    _placeholders: tuple[str, ...] = ()

    def set_placeholders(self, *hints: str) -> None:
        """Hints from the most to the least said ("Type a health word", "Type here")."""
        self._placeholders = hints
        self.updateGeometry()  # the shortest hint sets the least width
        self._fit_placeholder()

    def _room(self) -> int:
        """The px a hint can take at the box's present width, focused or not: the style
        sheet draws a thicker border around the box with the focus, and a hint that
        fitted before the tap must not be cut short by it."""
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        option.state |= QStyle.StateFlag.State_HasFocus
        focused = self._contents_width(option)
        option.state &= ~QStyle.StateFlag.State_HasFocus
        unfocused = self._contents_width(option)
        margins = self.textMargins()
        return min(focused, unfocused) - margins.left() - margins.right() - 4  # 2 px a side

    def _contents_width(self, option: QStyleOptionFrame) -> int:
        return (
            self.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, self).width()
        )

    def _fit_placeholder(self) -> None:
        if not self._placeholders:
            return
        room, metrics = self._room(), self.fontMetrics()
        fits = [h for h in self._placeholders if metrics.horizontalAdvance(h) <= room]
        self.setPlaceholderText(fits[0] if fits else self._placeholders[-1])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_placeholder()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_placeholder()

    def minimumSizeHint(self) -> QSize:
        """At least a fingertip, and wide enough for the shortest hint."""
        least = MIN_TARGET
        if self._placeholders:
            shortest = min(self.fontMetrics().horizontalAdvance(h) for h in self._placeholders)
            least = max(least, shortest + self.width() - self._room())
        return super().minimumSizeHint().expandedTo(QSize(least, MIN_TARGET))

    def sizeHint(self) -> QSize:
        return super().sizeHint().expandedTo(self.minimumSizeHint())
