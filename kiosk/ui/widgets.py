"""Touch-safe building blocks: every target big, named, and activated once per tap.

A finger that lands on a button and then drags (to scroll) must not press it, and a
shaky double tap must not press it twice. Qt delivers a touch to a QPushButton as one
synthesised mouse press/release, so handling mouse events here covers both.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPointF, QSize, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QIcon,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QLabel,
    QPushButton,
    QScroller,
    QWidget,
)

from kiosk.resources import icon_path

MIN_TARGET = 64
DRAG_CANCEL_PX = 24  # a finger moving more than this is scrolling, not tapping
_icon_cache: dict[tuple[str, str, int], QIcon] = {}


def themed_icon(name: str, color: str, size: int = 48) -> QIcon:
    """An SVG icon drawn in a theme colour (the SVGs use currentColor)."""
    key = (name, color, size)
    if key not in _icon_cache:
        svg = icon_path(name).read_text("utf-8").replace("currentColor", color)
        renderer = QSvgRenderer(svg.encode("utf-8"))
        pixmap = QPixmap(QSize(size, size) * 2)
        pixmap.fill(QColor(0, 0, 0, 0))
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        pixmap.setDevicePixelRatio(2.0)
        _icon_cache[key] = QIcon(pixmap)
        if len(_icon_cache) > 256:  # bounded: themes x sizes x names is small
            _icon_cache.pop(next(iter(_icon_cache)))
    return _icon_cache[key]


class Label(QLabel):
    """The kiosk's only label: it shows its text exactly as typed, never as markup.

    QLabel's default, ``Qt.AutoText``, renders anything that looks like HTML: a pack
    title ``<font color=red size=7>...`` would restyle Home and an ``<img src=...>``
    in a banner would load a file from outside the verified pack. Every string from a
    pack reaches the screen through this class (or a button, which never renders
    markup), so no caller has to remember (ACCEPTANCE: pack text is plain text).
    """

    def __init__(self, text: str | QWidget = "", parent: QWidget | None = None) -> None:
        if isinstance(text, QWidget):  # Label(parent), as QLabel(parent) is called
            super().__init__(text)
            text = ""
        else:
            super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)


class FitLabel(Label):
    """A wrapped heading whose longest word always fits its width.

    A word cannot wrap, and at 200% in the easier-to-read font "Información" in the
    hero size is wider than a 768 px portrait screen: the label would force the whole
    window wider than the screen. Here the font steps down, only as far as needed,
    until the longest word fits (the rest of the text keeps its chosen size). The
    size is changed from the event loop, never from inside a layout pass: restyling a
    label while Qt measures it crashed Qt's text engine.
    """

    def __init__(self, text: str | QWidget = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit)
        self._refit.start()

    def minimumSizeHint(self) -> QSize:
        # Any width will do: the font shrinks to it. The height follows the width.
        return QSize(0, super().minimumSizeHint().height())

    def setText(self, text: str) -> None:
        super().setText(text)
        refit = getattr(self, "_refit", None)  # None while Label's constructor runs
        if refit is not None:
            refit.start()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refit.start()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._refit.start()

    def _fit(self) -> None:
        words = self.text().split()
        if not words or self.width() <= 0:
            return
        margins = self.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        if self.styleSheet():
            self.setStyleSheet("")  # measure at the size the theme gives
        font = self.font()
        widest = max(QFontMetrics(font).horizontalAdvance(word) for word in words)
        if widest > room > 0:
            fitted = max(8, font.pixelSize() * room // widest)
            self.setStyleSheet(f"font-size: {fitted}px;")


class TouchButton(QPushButton):
    """A QPushButton that ignores drags and repeated taps, and is never too small."""

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        role: str = "",
        name: str | None = None,
        description: str = "",
        debounce_ms: int = 300,
    ) -> None:
        super().__init__(text, parent)
        if role:
            self.setProperty("role", role)
        self.setAccessibleName(name or text.replace("\n", " ").strip())
        if description:
            self.setAccessibleDescription(description)
        self.setMinimumSize(MIN_TARGET, MIN_TARGET)
        # Tab focus only: a tap does not move focus, so the focus ring appears for keypad
        # and switch users (who Tab) and never lingers on whatever a finger last touched.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setAutoDefault(False)
        self.setIconSize(QSize(32, 32))
        self._press_at: QPointF | None = None
        self._dragged = False
        self._debounce = debounce_ms / 1000
        self._last_click = 0.0

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # USB keypads and switches send Enter; QPushButton alone only answers Space.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.animateClick()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press_at = event.position()
        self._dragged = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press_at is not None and not self._dragged:
            moved = (event.position() - self._press_at).manhattanLength()
            if moved > DRAG_CANCEL_PX:
                self._dragged = True
                self.setDown(False)
        if not self._dragged:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        dragged, self._press_at = self._dragged, None
        now = time.monotonic()
        if dragged or now - self._last_click < self._debounce:
            self.setDown(False)
            event.accept()
            return
        if self.isDown():
            self._last_click = now
        super().mouseReleaseEvent(event)


def enable_kinetic_scrolling(area: QAbstractScrollArea) -> None:
    """Flick to scroll, with a finger or a mouse drag; only vertically."""
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(area.viewport())
    props = scroller.scrollerProperties()
    props.setScrollMetric(
        props.ScrollMetric.HorizontalOvershootPolicy,
        props.OvershootPolicy.OvershootAlwaysOff,
    )
    props.setScrollMetric(
        props.ScrollMetric.VerticalOvershootPolicy,
        props.OvershootPolicy.OvershootWhenScrollable,
    )
    scroller.setScrollerProperties(props)


def fit_columns(
    widgets: Sequence[QWidget], width: int, most: int, spacing: int, least: int = 0
) -> int:
    """How many columns of ``widgets`` fit in ``width`` px, from ``most`` down to one.

    A column is as wide as the widest widget needs (its minimum size hint: the longest
    word of a wrapped label, the whole text of a button), so no text is cut off at
    any text size (WCAG 2.2 1.4.4, 1.4.10: reflow rather than clip); ``least`` is a
    column's width floor in px.
    """
    widest = max([least, *(w.minimumSizeHint().width() for w in widgets)])
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
