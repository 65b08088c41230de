"""Touch-safe building blocks: every target big, named, and activated once per tap.

A finger that lands on a button and then drags (to scroll) must not press it, and a
shaky double tap must not press it twice. Qt delivers a touch to a QPushButton as one
synthesised mouse press/release, so handling mouse events here covers both.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QPointF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QMouseEvent, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QPushButton, QScroller, QWidget

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
