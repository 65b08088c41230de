"""Kinetic scrolling: flick to scroll, with a tap still reaching the button under it."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
