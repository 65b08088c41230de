"""A row of buttons that wraps onto more rows instead of cutting words off."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QSize
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ui.widgets.buttons import TouchButton


class ButtonFlow(QWidget):
    """A row of buttons around a middle widget (Previous, "2 of 6", Next) that wraps
    instead of cutting words off (WCAG 2.2 1.4.10, reflow).

    Its parts in order, as many on a row as fit, a button wrapping its words (down to its
    longest word) before a part takes a new row: on each row the leading buttons sit at
    the left, the trailing ones at the right, and the middle widget fills what is
    between (or the row, when alone). Its height follows its width (heightForWidth), so
    the page around it makes room for the extra rows.
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 16) -> None:
        super().__init__(parent)
        self._spacing = spacing
        self._leading: list[QWidget] = []
        self._middle: QWidget | None = None
        self._trailing: list[QWidget] = []
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_parts(
        self, leading: Sequence[QWidget], middle: QWidget | None, trailing: Sequence[QWidget]
    ) -> None:
        self._leading, self._middle, self._trailing = list(leading), middle, list(trailing)
        for widget in self._all():
            widget.setParent(self)
        self.updateGeometry()

    def _all(self) -> list[QWidget]:
        middle = [self._middle] if self._middle is not None else []
        return [*self._leading, *middle, *self._trailing]

    def _shown(self, widgets: Sequence[QWidget]) -> list[QWidget]:
        return [w for w in widgets if not w.isHidden()]

    def _least(self, widget: QWidget) -> int:
        """The narrowest a part can be: a button its longest word (it wraps the rest);
        the middle widget its minimum, as it fills what the buttons leave (and may show
        less, such as dots, when narrow)."""
        if widget is self._middle or isinstance(widget, TouchButton):
            return widget.minimumSizeHint().width()
        return widget.sizeHint().width()

    def _natural(self, widget: QWidget) -> int:
        return self._least(widget) if widget is self._middle else widget.sizeHint().width()

    def _gaps(self, widgets: Sequence[QWidget]) -> int:
        return self._spacing * max(0, len(widgets) - 1)

    def rows(self, width: int, parts: Sequence[QWidget] | None = None) -> list[list[QWidget]]:
        """The widgets on each row at ``width`` px (of ``parts``, by default all shown):
        in order, as many on a row as fit, a button wrapping its words onto more lines
        before a part takes a new row."""
        rows: list[list[QWidget]] = []
        current: list[QWidget] = []
        used = 0  # the least widths of the current row, and the gaps between them
        for widget in self._shown(self._all()) if parts is None else parts:
            least = self._least(widget)
            if current and used + self._spacing + least > width:
                rows.append(current)
                current, used = [], 0
            used += least + (self._spacing if current else 0)
            current.append(widget)
        if current:
            rows.append(current)
        return rows

    def widths(self, row: Sequence[QWidget], width: int) -> dict[QWidget, int]:
        """Each part's width on a row ``width`` px wide: natural widths while they fit;
        else the buttons that can wrap give up their slack, in proportion to it."""
        widths = {w: self._natural(w) for w in row}
        over = sum(widths.values()) + self._gaps(row) - width
        if over > 0:
            slack = {w: widths[w] - self._least(w) for w in row if w is not self._middle}
            total = sum(slack.values())
            for w, spare in slack.items():
                if total:
                    widths[w] -= min(spare, -(-over * spare // total))  # rounded up
        return {w: min(given, width) for w, given in widths.items()}

    def _row_height(self, row: list[QWidget], width: int) -> int:
        widths = self.widths(row, width)
        return max(
            w.height_for(widths[w]) if isinstance(w, TouchButton) else w.sizeHint().height()
            for w in row
        )

    def _height(self, rows: list[list[QWidget]], width: int) -> int:
        heights = [self._row_height(row, width) for row in rows if row]
        return sum(heights) + self._spacing * max(0, len(heights) - 1)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._height(self.rows(width), width)

    def sizeHint(self) -> QSize:
        shown = self._shown(self._all())
        width = sum(map(self._natural, shown)) + self._gaps(shown)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        """As narrow as the widest part; as tall as the rows need at the width it has
        now (a window's minimum size ignores heightForWidth: the narrowest arrangement's
        height would hold every screen to it)."""
        least = max(map(self._least, self._shown(self._all())), default=0)
        return QSize(least, self.heightForWidth(max(self.width(), least, 1)))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # a part's size or visibility changed
            self.updateGeometry()
            self._place()
        return super().event(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the rows, and so the height, may change
        self._place()

    def _place(self) -> None:
        width, y = self.width(), 0
        for row in self.rows(width):
            height = self._row_height(row, width)
            if row == [self._middle]:
                row[0].setGeometry(0, y, width, height)
            else:  # a part wider than the row gets the row, and wraps its words
                widths = self.widths(row, width)
                left = [w for w in row if w in self._leading]
                right = [w for w in row if w in self._trailing]
                x = 0
                for widget in left:
                    w = widths[widget]
                    widget.setGeometry(x, y, w, height)
                    x += w + self._spacing
                end = width
                for widget in reversed(right):
                    w = widths[widget]
                    end -= w
                    widget.setGeometry(end, y, w, height)
                    end -= self._spacing
                if self._middle in row:  # one row: the middle fills what is between
                    self._middle.setGeometry(x, y, max(0, end - x), height)
            y += height + self._spacing
