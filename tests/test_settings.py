"""The "Aa" panel: every setting applies at once, everywhere, and resets between patients."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.patient import DisplaySettings
from kiosk.ui.assembly import KioskParts
from kiosk.ui.screens.settings import SettingsPanel
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.window import MainWindow

from helpers import hero_title

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton


def choose(qtbot: QtBot, panel: SettingsPanel, name: str) -> None:
    button = next(b for c in panel.choices for b in c.buttons if b.accessibleName() == name)
    qtbot.mouseClick(button, LEFT)


def pixel(window: MainWindow, x: int, y: int) -> QColor:
    return window.grab().toImage().pixelColor(x, y)


@pytest.fixture
def panel(qtbot: QtBot, window: MainWindow) -> SettingsPanel:
    window.session.open_home()
    qtbot.mouseClick(window.top_bar.settings_button, LEFT)
    assert window.settings_panel.isVisible()
    return window.settings_panel


def _unspaced(control: QWidget) -> Callable[[], bool]:
    return lambda: control.font().letterSpacing() == 0


def test_aa_is_on_every_screen(window: MainWindow, parts: KioskParts) -> None:
    for open_page in (
        window.session.open_home,
        parts.navigator.open_terms,
        lambda: parts.navigator.open_article("heparin"),
    ):
        open_page()
        assert window.top_bar.settings_button.isVisible()
        assert window.top_bar.language_button.isVisible()


def test_text_size_applies_at_once_everywhere(
    qtbot: QtBot, window: MainWindow, panel: SettingsPanel
) -> None:
    heading = hero_title(window.home)  # the page's big title
    before = heading.fontMetrics().height()
    choose(qtbot, panel, "Text size: 200%")
    assert window.session.settings.text_scale == 2.0
    assert QApplication.font().pixelSize() == 52
    # Titles grow half as fast as the text (kiosk.ui.theme.stylesheet), and stay above it.
    assert heading.fontMetrics().height() > 1.45 * before
    assert heading.font().pixelSize() > QApplication.font().pixelSize()
    assert panel.isVisible()  # the panel stays open to try another size


def test_high_contrast_turns_the_page_black(
    qtbot: QtBot, window: MainWindow, parts: KioskParts, panel: SettingsPanel
) -> None:
    choose(qtbot, panel, "Contrast: High")
    qtbot.mouseClick(panel.done_button, LEFT)
    assert not panel.isVisible()
    assert pixel(window, 960, 1060).name() == "#000000"
    assert parts.look.current.theme.name == "High contrast"


def test_dyslexia_mode_changes_font_spacing_and_line_height(
    qtbot: QtBot, window: MainWindow, parts: KioskParts, panel: SettingsPanel
) -> None:
    choose(qtbot, panel, "Easier-to-read font: On")
    font = QApplication.font()
    assert font.family() == "OpenDyslexic"  # its spacing: see the WCAG 1.4.12 test below
    parts.navigator.open_article("heart-attack")
    document = window.reader.text.document()
    assert document.defaultFont().family() == "OpenDyslexic"
    assert "line-height: 150%" in document.defaultStyleSheet()
    assert "font-style: normal" in document.defaultStyleSheet()  # no italics


def test_dyslexia_mode_reaches_buttons_sized_by_the_style_sheet(
    qtbot: QtBot, window: MainWindow, panel: SettingsPanel
) -> None:
    """Only the font changes, not the style sheet: buttons sized by it still switch.
    The on-screen keys and the top bar keep the kiosk's own font, without the added
    spacing (kiosk.ui.theme.keep_kiosk_font says why)."""
    key = window.terms.keyboard.findChildren(TouchButton)[0]
    tile = window.home.findChildren(TouchButton)[0]
    choose(qtbot, panel, "Easier-to-read font: On")
    tile.ensurePolished()
    assert tile.font().family() == "OpenDyslexic", tile.text()
    for control in (key, window.top_bar.home_button):
        control.ensurePolished()
        assert control.font().family() == "Atkinson Hyperlegible"
        qtbot.waitUntil(_unspaced(control), timeout=2000)
    choose(qtbot, panel, "Easier-to-read font: Off")
    tile.ensurePolished()
    assert tile.font().family() != "OpenDyslexic"


def test_reduce_motion_turns_the_card_slide_off(
    qtbot: QtBot, window: MainWindow, parts: KioskParts
) -> None:
    from PySide6.QtCore import QAbstractAnimation

    window.session.open_home()
    parts.navigator.open_article("harm-reduction-therapy")
    window.reader.show_next()
    assert window.reader.slide.state() == QAbstractAnimation.State.Running
    window.session.set_settings(DisplaySettings(reduce_motion=True))
    window.reader.show_next()
    assert window.reader.slide.state() == QAbstractAnimation.State.Stopped
    assert window.reader.progress.text == "3 of 6"


def test_every_setting_returns_to_default_at_reset(
    qtbot: QtBot, window: MainWindow, parts: KioskParts, panel: SettingsPanel
) -> None:
    for name in (
        "Text size: 150%",
        "Contrast: High",
        "Easier-to-read font: On",
        "Reduce motion: On",
        "Read aloud: On",
    ):
        choose(qtbot, panel, name)
    assert window.session.settings == DisplaySettings(1.5, True, True, True, True)
    window.session.reset()
    assert window.session.settings == DisplaySettings()
    assert QApplication.font().family() == "Atkinson Hyperlegible"
    assert QApplication.font().pixelSize() == 26
    assert parts.look.current.theme.name == "Standard"
    assert not panel.isVisible()


def test_the_easier_font_spacing_meets_wcag_1_4_12_without_pulling_words_apart(
    qapp: QApplication,
) -> None:
    """Measured in the font's own units as laid out: letters at least 0.12 em apart and
    spaces at least 0.16 em (WCAG 2.2 1.4.12), but no wider than a reader expects
    (the values were once added on top of OpenDyslexic's own wide spacing)."""
    from PySide6.QtGui import QFontMetricsF

    from kiosk.ui.theme import Look, load_fonts, load_theme

    load_fonts()
    for scale in (1.0, 2.0):
        font = Look(load_theme("standard"), scale, dyslexia=True).font()
        assert font.family() == "OpenDyslexic"
        metrics = QFontMetricsF(font)
        em = font.pixelSize()
        gaps = []
        for c in "abcdefghijklmnopqrstuvwxyz":
            advance = (metrics.horizontalAdvance(c * 11) - metrics.horizontalAdvance(c)) / 10
            gaps.append((advance - metrics.tightBoundingRect(c).width()) / em)
        gap = sum(gaps) / len(gaps)
        space = (metrics.horizontalAdvance("n n") - metrics.horizontalAdvance("nn")) / em
        assert 0.12 <= gap <= 0.25, f"letters {gap:.2f} em apart at {scale:.0%}"
        assert 0.16 <= space <= 0.55 and space > 1.5 * gap, f"space {space:.2f} em"
