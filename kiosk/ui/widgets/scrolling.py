"""Kinetic scrolling: flick to scroll, with a tap still reaching the button under it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QFrame, QScrollArea, QScroller, QWidget


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
    # A press reaches the control under the finger at once: with Qt's default (it holds
    # the press back 0.25 s to see if a flick begins) a quick tap on a button inside a
    # scrollable area was lost, press and all. A flick that starts after the press sends
    # the control a release outside itself, so it is not clicked.
    props.setScrollMetric(props.ScrollMetric.MousePressEventDelay, 0.0)
    scroller.setScrollerProperties(props)


def kinetic_scroll_area(content: QWidget, parent: QWidget) -> QScrollArea:
    """A frameless scroll area around ``content`` that resizes it to its width and
    scrolls by flicking (enable_kinetic_scrolling)."""
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    enable_kinetic_scrolling(area)
    return area


class FittingScrollArea(QScrollArea):
    """A kinetic scroll area that asks for all of its content's height, and scrolls only
    when the screen cannot give it that: a panel shows whole on a big screen and stays
    usable on a 1366x768 one (at the smallest, ``least_height`` pixels of it)."""

    def __init__(self, content: QWidget, parent: QWidget, least_height: int = 160) -> None:
        super().__init__(parent)
        self._least = least_height
        self._content = content
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidget(content)
        enable_kinetic_scrolling(self)
        # A scroll area does not hear that its content's layout changed (new words in a
        # label): without this its size hint stays that of the content as it was made.
        content.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._content and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def sizeHint(self) -> QSize:
        content = self._content
        width = max(self.viewport().width(), content.minimumSizeHint().width())
        height = content.heightForWidth(width)
        return QSize(width, height if height > 0 else content.sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self._content.minimumSizeHint().width(), self._least)
