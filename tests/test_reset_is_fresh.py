"""After the idle reset or Quick exit, the kiosk equals a fresh start: from every state
a patient (or staff) can reach, and for the next patient's first steps too.

One property, many inputs. A state is reached through the real window; then the
reset runs through its real signals (the idle monitor firing, the warning counting
down, Quick exit tapped); then the window is compared with a fresh window, first as
it stands and then along a walk the next patient might take (Home, A-Z, an article,
the "Aa" panel). Compared: what is on screen (the rendered pixels) and what is not
yet on screen but would be (page, history, typed text, letter, card, scroll
positions, PIN digits, speech). A state that survives anywhere fails.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QFrame,
    QLineEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from kiosk.core.content.pack import Pack
from kiosk.core.patient import DisplaySettings
from kiosk.ui.assembly import KioskParts
from kiosk.ui.controllers.idle_policy import SPEECH_MODE_EXTRA_WARNING_S
from kiosk.ui.system.speech import Speaker
from kiosk.ui.theme import Theme
from kiosk.ui.window import MainWindow

from conftest import make_kiosk
from helpers import button, settle

# About two and three minutes: `make test` runs them; fresh-test's quick suite need not.
pytestmark = pytest.mark.slow

WARNING_S = 20
SIZE = (1920, 1080)


# --- states a patient or staff member can reach ----------------------------------------


def _home(k: KioskParts) -> None:
    w = k.window
    w.attract.started.emit()


def _home_scrolled(k: KioskParts) -> None:
    w = k.window
    _home(k)
    for area in w.home.findChildren(QAbstractScrollArea):
        area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())


def _terms_letter(k: KioskParts) -> None:
    w = k.window
    _home(k)
    k.navigator.open_terms()
    w.terms.letters.button("H").click()


def _terms_typed(k: KioskParts) -> None:
    w = k.window
    _home(k)
    k.navigator.open_terms()
    for key in w.terms.keyboard.findChildren(QPushButton):
        if key.property("char") in ("h", "e"):
            key.click()


def _terms_scrolled(k: KioskParts) -> None:
    w = k.window
    _home(k)
    k.navigator.open_terms()
    bar = w.terms.scroll_area.verticalScrollBar()
    bar.setValue(bar.maximum())


def _reader_card(k: KioskParts) -> None:
    w = k.window
    _home(k)
    k.navigator.open_article("heart-attack")
    w.reader.show_card(2)


def _reader_last_card_related(k: KioskParts) -> None:
    w = k.window
    _home(k)
    k.navigator.open_article("harm-reduction-therapy")
    assert w.reader.article is not None
    w.reader.show_card(len(w.reader.article.sections) - 1)
    button(w.reader, "Hallucination").click()  # a related article: history grows


def _settings_open_changed(k: KioskParts) -> None:
    w = k.window
    _home(k)
    k.navigator.open_settings()
    w.session.set_settings(
        DisplaySettings(text_scale=2.0, high_contrast=True, dyslexia_font=True, reduce_motion=True)
    )


def _spanish_letter(k: KioskParts) -> None:
    w = k.window
    _home(k)
    w.session.set_locale("es")
    k.navigator.open_terms()
    w.terms.letters.button("C").click()


def _idle_warning_showing(k: KioskParts) -> None:
    w = k.window
    _reader_card(k)
    k.idle.monitor.idle.emit()
    assert w.idle_overlay.isVisible()


def _pin_pad_digits(k: KioskParts) -> None:
    w = k.window
    _reader_card(k)
    w.corner.triggered.emit()
    for digit in "135":
        button(w.pin_pad, digit).click()
    assert w.pin_pad.entered_digits == 3


def _admin_asking_to_exit(k: KioskParts) -> None:
    w = k.window
    _pin_pad_digits(k)
    w.pin_pad.reset()
    w.pin_pad.accepted.emit()  # as the right PIN does
    button(w.admin, "Exit kiosk").click()


def _speech_mode_louder_on_a_card(k: KioskParts) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    _reader_card(k)
    QTest.keyClick(k.window, Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier)  # on
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Plus, Qt.Key.Key_BracketRight):
        QTest.keyClick(k.window, key)
    assert k.speech_mode.on and k.speech_mode.current is not None


STATES: dict[str, Callable[[KioskParts], None]] = {
    "home": _home,
    "home scrolled": _home_scrolled,
    "A-Z with a letter": _terms_letter,
    "A-Z with typed letters": _terms_typed,
    "A-Z scrolled": _terms_scrolled,
    "reader on card 3": _reader_card,
    "related article from a last card": _reader_last_card_related,
    "Aa panel open, every setting changed": _settings_open_changed,
    "Spanish, a letter chosen": _spanish_letter,
    "idle warning showing": _idle_warning_showing,
    "PIN pad with digits typed": _pin_pad_digits,
    "admin panel asking to exit": _admin_asking_to_exit,
    "speech mode on, louder and faster, on a card": _speech_mode_louder_on_a_card,
}

# --- resets -------------------------------------------------------------------------------


def _idle_reset(k: KioskParts) -> None:
    """The quiet spell ends (patient or staff clock), and the warning runs out."""
    w = k.window
    monitor = (
        k.idle.admin_monitor
        if w.in_staff_mode and w.stack.currentWidget() is w.admin
        else k.idle.monitor
    )
    if not w.idle_overlay.isVisible():
        monitor.idle.emit()
    # In speech mode the warning lasts longer (kiosk.ui.controllers.idle_policy).
    for _ in range(WARNING_S + SPEECH_MODE_EXTRA_WARNING_S):
        if not w.idle_overlay.isVisible():
            break
        tick(w.idle_overlay)


def _quick_exit(k: KioskParts) -> None:
    w = k.window
    w.settings_panel.hide()
    w.idle_overlay.cancel()
    k.navigator.open_article("harm-reduction-therapy")
    assert w.reader.banner.exit_button.isVisible()
    w.reader.banner.exit_button.click()


# --- what is compared -------------------------------------------------------------------


def _hidden_state(k: KioskParts) -> dict[str, object]:
    """What the next patient would meet later, even if not on screen now."""
    w = k.window
    page = w.stack.currentWidget()
    assert page is not None
    return {
        "page": page.objectName() + type(page).__name__,
        "session": w.session.state,
        "title": w.windowTitle(),
        "overlays": (w.settings_panel.isVisible(), w.idle_overlay.isVisible()),
        "pin digits": w.pin_pad.entered_digits,
        "pin message": w.pin_pad.message,
        "admin asking": w.admin.asking_to_exit,
        "typed": [e.text() for e in w.findChildren(QLineEdit)],
        "scroll": [a.verticalScrollBar().value() for a in w.findChildren(QAbstractScrollArea)],
        "terms": (w.terms.visible_results(), w.terms.heading.text(), w.terms.letter),
        "reader": (w.reader.article.slug if w.reader.article else None, w.reader.card),
        "speech mode": (k.speech_mode.on, k.speech_mode.voice, k.speech_mode.current),
        # A kiosk with no speaker made yet is as silent as one whose speaker was wiped.
        "speech": (k.read_aloud.speaker.last_text, k.read_aloud.speaker.is_speaking)
        if k.read_aloud.speaker
        else ("", False),
    }


def _differs(a: QImage, b: QImage) -> str:
    """Where two screens differ, as a rectangle, for the failure message."""
    if a.size() != b.size():
        return f"size {a.size().toTuple()} against {b.size().toTuple()}"
    xs, ys = [], []
    for y in range(0, a.height(), 4):
        for x in range(0, a.width(), 4):
            if a.pixel(x, y) != b.pixel(x, y):
                xs.append(x)
                ys.append(y)
    if not xs:
        return "pixels between the sampled ones"
    if os.environ.get("KIOSK_DIFF_DIR"):  # to look at a failure: both screens as PNG
        a.save(str(Path(os.environ["KIOSK_DIFF_DIR"]) / "got.png"))
        b.save(str(Path(os.environ["KIOSK_DIFF_DIR"]) / "want.png"))
    return f"x {min(xs)}-{max(xs)}, y {min(ys)}-{max(ys)}"


def tick(overlay: QWidget) -> None:
    """One second of the "Still there?" countdown, without waiting for it."""
    countdown = overlay.findChild(QTimer, "idle-countdown")
    assert countdown is not None
    countdown.timeout.emit()


def _pixels(w: MainWindow) -> QImage:
    """The screen once it has stopped changing (two grabs alike, at most ten tries)."""
    from PySide6.QtCore import QCoreApplication

    image = w.grab().toImage()
    for _ in range(10):
        QCoreApplication.processEvents()
        again = w.grab().toImage()
        if again == image:
            break
        image = again
    return image


# Each step of a walk: its name, what the next patient would meet later, the screen.
Walk = list[tuple[str, dict[str, object], QImage]]


def _walk(k: KioskParts, qtbot: QtBot) -> Walk:
    """The next patient's first steps, with what they meet at each."""
    seen = []
    steps: list[tuple[str, Callable[[], None]]] = [
        ("as it stands", lambda: None),
        ("Start", partial(_home, k)),
        ("A-Z", k.navigator.open_terms),
        ("an article", lambda: k.navigator.open_article("heart-attack")),
        ("Aa panel", k.navigator.open_settings),
    ]
    for name, step in steps:
        step()
        settle(qtbot)
        seen.append((name, _hidden_state(k), _pixels(k.window)))
    return seen


@pytest.fixture(autouse=True)
def _steady_caret(qapp: QApplication) -> Iterator[None]:
    """A blinking text caret would make two screens differ by when they were taken."""
    before = qapp.cursorFlashTime()
    qapp.setCursorFlashTime(0)
    yield
    qapp.setCursorFlashTime(before)


@pytest.fixture
def fresh_walk(qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str, state: str) -> Walk:
    """The walk through a kiosk just started, as the one under test is made (a voice for
    the speech mode states: a kiosk that can speak offers read aloud in the Aa panel)."""
    fresh = make_kiosk(
        qtbot, bundled_pack, theme, pin_hash, make_speaker=_speaker(state), idle_warning=WARNING_S
    )
    fresh.window.resize(*SIZE)
    settle(qtbot)
    return _walk(fresh, qtbot)


def _speaker(state: str) -> Callable[[], Speaker] | None:
    """Speech mode starts only on a kiosk that can speak: those states get a real voice."""
    return (lambda: Speaker()) if "speech" in state else None


STAFF_STATES = ("PIN pad with digits typed", "admin panel asking to exit")
CASES = [
    pytest.param(
        state,
        reset,
        id=f"{state}-{name}",
    )
    for state in STATES
    for reset, name in ((_idle_reset, "idle reset"), (_quick_exit, "Quick exit"))
    if not (reset is _quick_exit and state in STAFF_STATES)  # no Quick exit for staff
]


@pytest.mark.parametrize(("state", "reset"), CASES)
def test_after_a_reset_the_kiosk_equals_a_fresh_start(
    qtbot: QtBot,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    fresh_walk: Walk,
    state: str,
    reset: Callable[[KioskParts], None],
    shared_speech_home: Path,
) -> None:
    parts = make_kiosk(
        qtbot, bundled_pack, theme, pin_hash, make_speaker=_speaker(state), idle_warning=WARNING_S
    )
    parts.window.resize(*SIZE)
    settle(qtbot)
    STATES[state](parts)
    settle(qtbot)
    reset(parts)
    settle(qtbot)
    for (step, want, want_pixels), (_, got, got_pixels) in zip(
        fresh_walk, _walk(parts, qtbot), strict=True
    ):
        assert got == want, f"after {state}, then {step}"
        assert got_pixels == want_pixels, (
            f"after {state}, then {step}: the screen differs in {_differs(got_pixels, want_pixels)}"
        )


def test_a_staff_screen_left_alone_closes_and_clears(
    qtbot: QtBot, window: MainWindow, parts: KioskParts
) -> None:
    """The PIN pad resets at the patient timeout; the admin panel warns, then closes."""
    parts.idle.start()
    window.attract.started.emit()
    window.corner.triggered.emit()
    button(window.pin_pad, "7").click()
    parts.idle.monitor.idle.emit()
    assert window.stack.currentWidget() is window.attract
    assert window.pin_pad.entered_digits == 0
    window.corner.triggered.emit()
    window.pin_pad.accepted.emit()
    parts.idle.monitor.idle.emit()  # the patient clock does not close the admin panel
    assert window.stack.currentWidget() is window.admin
    parts.idle.admin_monitor.idle.emit()
    assert window.idle_overlay.isVisible() and window.idle_overlay.for_staff
    assert "admin panel closes" in window.idle_overlay.spoken_text()
    for _ in range(window.idle_overlay.seconds_left):
        tick(window.idle_overlay)
    assert window.stack.currentWidget() is window.attract
    assert window.session.is_fresh()


def test_a_tap_anywhere_on_the_warning_means_im_here_and_it_hides_the_page(
    qtbot: QtBot, window: MainWindow, parts: KioskParts
) -> None:
    window.attract.started.emit()
    parts.navigator.open_article("harm-reduction-therapy")
    settle(qtbot)
    parts.idle.monitor.idle.emit()
    settle(qtbot)
    # The article's title and text must not be readable behind the warning.
    idle_panel = window.idle_overlay.findChild(QFrame, "idle-panel")  # the style sheet's name
    assert idle_panel is not None
    image = _pixels(window)
    background = image.pixelColor(5, image.height() - 5)
    ink = sum(
        image.pixelColor(x, y) != background
        for y in range(0, image.height(), 8)
        for x in range(0, image.width(), 8)
        if not idle_panel.geometry().contains(x, y)
    )
    assert ink == 0, "the page shows around the warning"
    corner = window.idle_overlay.rect().bottomLeft() + type(window.rect().topLeft())(20, -20)
    qtbot.mouseClick(window.idle_overlay, Qt.MouseButton.LeftButton, pos=corner)
    assert not window.idle_overlay.isVisible()
    assert window.reader.isVisible()


def test_the_pin_pad_speaks_the_patients_language(
    qtbot: QtBot, window: MainWindow, parts: KioskParts
) -> None:
    from PySide6.QtWidgets import QLabel

    def texts() -> set[str]:
        shown = window.pin_pad.findChildren(QPushButton) + window.pin_pad.findChildren(QLabel)
        return {w.text() for w in shown if w.text() and not w.text().isdigit()}

    window.attract.started.emit()
    window.corner.triggered.emit()
    english = texts()
    parts.staff_mode.cancel_pin()
    window.session.set_locale("es")
    window.corner.triggered.emit()
    spanish = texts()
    assert english & spanish <= {"OK"}, english & spanish
    assert "Cancelar" in spanish
