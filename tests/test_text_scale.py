"""Text size 100% to 200%: on every screen nothing is clipped or elided, and the
window never needs more room than the screen has (ACCEPTANCE.md, WCAG 1.4.4, 1.4.10)."""

from __future__ import annotations

import contextlib

import pytest
from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QLineEdit,
    QWidget,
)
from pytestqt.exceptions import TimeoutError as WaitTimeout
from pytestqt.qtbot import QtBot

from kiosk.core.patient import TEXT_SCALES, DisplaySettings
from kiosk.ui.assembly import KioskParts
from kiosk.ui.window import MainWindow

from helpers import SCREENS, clipped

pytestmark = pytest.mark.gui

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


@pytest.mark.parametrize("orientation", list(SIZES))
@pytest.mark.parametrize("scale", TEXT_SCALES, ids=[f"{round(s * 100)}%" for s in TEXT_SCALES])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_no_text_is_cut_off(
    qtbot: QtBot, window: MainWindow, parts: KioskParts, screen: str, scale: float, orientation: str
) -> None:
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


def test_the_reader_scrolls_vertically_only(
    qtbot: QtBot, window: MainWindow, parts: KioskParts
) -> None:
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
