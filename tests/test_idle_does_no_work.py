"""An idle kiosk does no work: nothing is restyled or laid out again while nobody
touches it.

A kiosk runs for months. A label that restyled itself, and so asked to be fitted again,
every turn of the event loop kept one CPU core busy on every screen, for good (found by
an attacker review; it had passed every test). Counted as Qt events, not as time: in a
second of quiet after a screen settles, no widget may get a font, style or layout change.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, QEventLoop, QObject, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.core.patient import DisplaySettings
from kiosk.ui.assembly import KioskParts
from kiosk.ui.window import MainWindow

RESTYLING = {
    QEvent.Type.FontChange,
    QEvent.Type.StyleChange,
    QEvent.Type.LayoutRequest,
    QEvent.Type.Polish,
}


class _Counter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.seen: dict[str, int] = {}

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in RESTYLING:
            key = f"{type(watched).__name__} {event.type().name}"
            self.seen[key] = self.seen.get(key, 0) + 1
        return False


def _quiet(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _reader(k: KioskParts) -> None:
    k.session.open_home()
    k.navigator.open_article("harm-reduction-therapy")


def _terms_typing(k: KioskParts) -> None:
    k.session.open_home()
    k.navigator.open_terms()
    k.window.terms.open_keyboard()
    k.window.terms.field.setText("h")


def _settings(k: KioskParts) -> None:
    k.session.open_home()
    k.navigator.open_settings()


SCREENS: dict[str, Callable[[KioskParts], None]] = {
    "welcome": lambda k: None,
    "home": lambda k: k.session.open_home(),
    "reader": _reader,
    "A-Z typing": _terms_typing,
    "Aa panel": _settings,
}


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize(
    "look",
    [DisplaySettings(), DisplaySettings(text_scale=2.0, dyslexia_font=True)],
    ids=["100%", "200% easier font"],
)
def test_an_idle_screen_restyles_nothing(
    window: MainWindow, parts: KioskParts, screen: str, look: DisplaySettings
) -> None:
    window.resize(1024, 768)
    window.session.set_settings(look)
    SCREENS[screen](parts)
    _quiet(300)  # it settles: pages arrange themselves a loop turn or two after a change
    counter = _Counter()
    app = QApplication.instance()
    assert app is not None
    app.installEventFilter(counter)
    try:
        _quiet(1000)
    finally:
        app.removeEventFilter(counter)
    window.settings_panel.hide()
    assert counter.seen == {}
