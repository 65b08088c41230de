"""Text size 100% to 200%: on every screen nothing is clipped or elided, and the
window never needs more room than the screen has (ACCEPTANCE.md, WCAG 1.4.4, 1.4.10)."""

from __future__ import annotations

import contextlib

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QLineEdit,
    QStyle,
    QStyleOptionFrame,
    QWidget,
)
from pytestqt.exceptions import TimeoutError as WaitTimeout
from test_touch_targets import SCREENS

from kiosk.core.patient import TEXT_SCALES, DisplaySettings
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.window import MainWindow

pytestmark = pytest.mark.gui

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


def clipped(widget: QWidget) -> str:
    """Why the widget's text does not fit, or "" if it does."""
    fm = QFontMetrics(widget.font())
    rect = widget.contentsRect()
    if isinstance(widget, QLabel):
        text = widget.text()
        if not text or (widget.pixmap() is not None and not widget.pixmap().isNull()):
            return ""
        if widget.wordWrap():
            needed = widget.heightForWidth(rect.width())
            return (
                f"needs {needed} px high, has {rect.height()}" if needed > rect.height() + 1 else ""
            )
        width = max(fm.horizontalAdvance(line) for line in text.split("\n"))
        if width > rect.width() + 1:
            return f"needs {width} px wide, has {rect.width()}"
        return ""
    if isinstance(widget, QLineEdit) and not widget.text() and widget.placeholderText():
        # Qt cuts a hint too long for the box short ("Type a hea..."), silently.
        option = QStyleOptionFrame()
        widget.initStyleOption(option)
        box = widget.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, widget)
        width = fm.horizontalAdvance(widget.placeholderText())
        if width > box.width() - 4:
            return f"hint needs {width} px, box shows {box.width() - 4}"
        return ""
    if isinstance(widget, QAbstractButton) and widget.text():
        # As drawn: a TouchButton narrower than its words shows them on more lines.
        shown = widget.shown_text() if isinstance(widget, TouchButton) else widget.text()
        lines = shown.split("\n")
        icon = widget.iconSize().width() + 8 if not widget.icon().isNull() else 0
        needed = max(fm.horizontalAdvance(line) for line in lines) + icon
        # The style's padding is inside the button; the text needs at least its own width.
        if needed > widget.width() - 8:
            return f"text needs {needed} px, button is {widget.width()}"
        high = fm.height() + (len(lines) - 1) * fm.lineSpacing()
        if high > widget.height():
            return f"text is {high} px high, button is {widget.height()}"
    return ""


@pytest.mark.parametrize("orientation", list(SIZES))
@pytest.mark.parametrize("scale", TEXT_SCALES, ids=[f"{round(s * 100)}%" for s in TEXT_SCALES])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_no_text_is_cut_off(
    qtbot, window: MainWindow, parts, screen: str, scale: float, orientation: str
) -> None:  # type: ignore[no-untyped-def]
    size = QSize(*SIZES[orientation])
    window.session.set_settings(DisplaySettings(text_scale=scale))
    window.resize(size)
    page = SCREENS[screen](parts)

    def problems() -> list[str]:
        return [
            f"'{(w.placeholderText() if isinstance(w, QLineEdit) else '') or w.text()}': {why}"
            for w in page.findChildren(QWidget)
            if isinstance(w, QLabel | QAbstractButton | QLineEdit)
            and w.isVisible()
            and (why := clipped(w))
        ]

    # Wrapped text can take a few layout passes to settle; what counts is where it ends.
    with contextlib.suppress(WaitTimeout):  # the assertion below reports what is left
        qtbot.waitUntil(lambda: not problems(), timeout=1500)
    assert window.size() == size, f"the window grew to {window.size()} to fit its contents"
    assert problems() == [], f"{screen} at {scale:.0%} {orientation}: " + "; ".join(problems()[:8])


def test_the_reader_scrolls_vertically_only(qtbot, window: MainWindow, parts) -> None:  # type: ignore[no-untyped-def]
    window.session.set_settings(DisplaySettings(text_scale=2.0))
    window.session.open_home()
    parts.navigator.open_article("heart-attack")
    window.reader.show_card(1)
    qtbot.wait(30)
    body = window.reader.body  # the card's title, text and what follows scroll as one
    # The text's height follows its document a loop turn later, then the body's layout.
    qtbot.waitUntil(lambda: body.verticalScrollBar().maximum() > 0, timeout=3000)
    assert body.horizontalScrollBar().maximum() == 0  # long card at 200%: down only
    assert window.reader.text.horizontalScrollBar().maximum() == 0
