"""A count reads right in each language: "1 try left" but "4 tries left", "1 second" but
"2 seconds" (Qt's numerus forms, English's from kiosk_en.ts; issue 14)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk.core.content.pack import Pack
from kiosk.core.pin import PinGuard
from kiosk.ui.i18n import Translations
from kiosk.ui.screens.pinpad import PinPad
from kiosk.ui.theme import Theme

from conftest import TEST_PIN, make_kiosk

pytestmark = pytest.mark.gui

ES_STARTS_OVER = "Para proteger su privacidad, esta pantalla volverá al inicio en"
SAYS = {
    "en": {
        "4 left": "Wrong PIN. 4 tries left.",
        "1 left": "Wrong PIN. 1 try left.",
        "wait 2": "Too many tries. Wait 2 seconds.",
        "wait 1": "Too many tries. Wait 1 second.",
        "dots": "PIN entered",
        "1 digit": "1 digit entered",
        "3 digits": "3 digits entered",
        "starts over in 2": "To protect your privacy, this screen will start over in 2 seconds.",
        "starts over in 1": "To protect your privacy, this screen will start over in 1 second.",
        "closes in 2": "For safety, the admin panel closes in 2 seconds.",
        "closes in 1": "For safety, the admin panel closes in 1 second.",
    },
    "es": {
        "4 left": "PIN incorrecto. Quedan 4 intentos.",
        "1 left": "PIN incorrecto. Queda 1 intento.",
        "wait 2": "Demasiados intentos. Espere 2 segundos.",
        "wait 1": "Demasiados intentos. Espere 1 segundo.",
        "dots": "PIN escrito",
        "1 digit": "1 número escrito",
        "3 digits": "3 números escritos",
        "starts over in 2": f"{ES_STARTS_OVER} 2 segundos.",
        "starts over in 1": f"{ES_STARTS_OVER} 1 segundo.",
        "closes in 2": "Por seguridad, el panel de administración se cierra en 2 segundos.",
        "closes in 1": "Por seguridad, el panel de administración se cierra en 1 segundo.",
    },
}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["en", "es"])
def interface(request: pytest.FixtureRequest) -> Iterator[str]:
    """The interface language, installed as the kiosk installs it (Qt's translator)."""
    translations = Translations()
    chosen: str = request.param
    translations.use(chosen)
    yield chosen
    translations.use("en")


def try_pin(qtbot: QtBot, pad: PinPad, digits: str) -> None:
    qtbot.keyClicks(pad, digits)
    qtbot.keyClick(pad, Qt.Key.Key_Return)


def test_the_pin_pad_counts_tries_seconds_and_digits(
    qtbot: QtBot, pin_hash: str, interface: str
) -> None:
    clock = FakeClock()
    pad = PinPad(PinGuard(pin_hash, clock=clock))
    qtbot.addWidget(pad)
    says = SAYS[interface]
    try_pin(qtbot, pad, "1357")
    assert pad.message == says["4 left"]
    for wrong in ("1111", "2222", "3333"):
        try_pin(qtbot, pad, wrong)
    assert pad.message == says["1 left"]
    try_pin(qtbot, pad, "4444")
    clock.now += 58
    pad.tick()
    assert pad.message == says["wait 2"]
    clock.now += 1
    pad.tick()
    assert pad.message == says["wait 1"]
    clock.now += 1
    pad.tick()
    assert pad.message == ""
    (dots,) = [
        label for label in pad.findChildren(QLabel) if label.accessibleName() == says["dots"]
    ]
    qtbot.keyClicks(pad, TEST_PIN[0])
    assert dots.accessibleDescription() == says["1 digit"]  # what a screen reader says
    qtbot.keyClicks(pad, TEST_PIN[1:3])
    assert dots.accessibleDescription() == says["3 digits"]


@pytest.mark.parametrize("locale", ["en", "es"])
@pytest.mark.parametrize("staff", [False, True], ids=["patient", "staff"])
def test_the_idle_warning_counts_down_to_one_second(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str, locale: str, staff: bool
) -> None:
    parts = make_kiosk(qtbot, bundled_pack, theme, pin_hash, idle_warning=2)
    w, says = parts.window, SAYS[locale]
    w.attract.started.emit()
    w.session.set_locale(locale)
    if staff:
        w.corner.triggered.emit()
        w.pin_pad.accepted.emit()
        parts.idle.admin_monitor.idle.emit()
    else:
        parts.idle.monitor.idle.emit()
    overlay = w.idle_overlay
    key = "closes in" if staff else "starts over in"
    assert overlay.isVisible() and overlay.accessibleName() == says[f"{key} 2"]
    with qtbot.waitSignal(overlay.tick, timeout=3000):
        pass  # the warning's own one-second timer
    assert overlay.accessibleName() == says[f"{key} 1"]
    overlay.cancel()
