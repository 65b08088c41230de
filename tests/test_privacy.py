"""Between patients the kiosk forgets everything: idle warning, reset, Quick exit."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QSignalSpy, QTest
from pytestqt.qtbot import QtBot

from kiosk.core.content.pack import Pack
from kiosk.ui.assembly import KioskParts
from kiosk.ui.theme import Theme
from kiosk.ui.window import MainWindow

from conftest import make_kiosk, make_window
from helpers import shown_words

pytestmark = pytest.mark.gui


def visible_state(w: MainWindow) -> dict[str, Any]:
    """What a patient could see or a later patient could find, page by page."""
    return {
        "session": w.session.state,
        "page": w.stack.currentIndex(),
        "top bar": w.top_bar.isVisible(),
        "title": w.windowTitle(),
        "search text": w.terms.field.text(),
        "results": w.terms.visible_results(),
        "terms heading": w.terms.heading.text(),
        "reader article": w.reader.article,
        "reader text": w.reader.text.toPlainText(),
        "home scroll": w.home.scroll_area.verticalScrollBar().value(),
        "terms scroll": w.terms.scroll_area.verticalScrollBar().value(),
        "idle overlay": w.idle_overlay.isVisible(),
    }


def use_the_kiosk(qtbot: QtBot, k: KioskParts) -> None:
    """Read, type and browse the way a patient would, leaving traces everywhere."""
    w = k.window
    qtbot.mouseClick(w.attract.start_button, Qt.MouseButton.LeftButton)
    w.home.scroll_area.verticalScrollBar().setValue(50)
    k.navigator.open_article("harm-reduction-therapy")
    qtbot.mouseClick(w.reader.next_button, Qt.MouseButton.LeftButton)
    k.navigator.open_terms()
    QTest.keyClicks(w.terms.field, "narcan")
    assert w.terms.visible_results() == ["Harm Reduction Therapy"]
    assert not w.session.is_fresh()


def test_reset_restores_exactly_a_fresh_start(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    fresh = visible_state(make_window(qtbot, bundled_pack, theme, pin_hash))
    parts = make_kiosk(qtbot, bundled_pack, theme, pin_hash)
    used = parts.window
    use_the_kiosk(qtbot, parts)
    assert visible_state(used) != fresh
    used.session.reset()
    assert visible_state(used) == fresh


def test_idle_warning_then_stay_then_full_reset(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    parts = make_kiosk(qtbot, bundled_pack, theme, pin_hash, idle_timeout=1, idle_warning=3)
    w = parts.window
    fresh = visible_state(make_window(qtbot, bundled_pack, theme, pin_hash))
    parts.idle.start()
    use_the_kiosk(qtbot, parts)
    overlay = w.idle_overlay
    qtbot.waitUntil(overlay.isVisible, timeout=3000)
    assert "Are you still there?" in shown_words(overlay)
    assert overlay.seconds_left == 3
    qtbot.mouseClick(overlay.stay_button, Qt.MouseButton.LeftButton)
    assert not overlay.isVisible()
    assert w.terms.field.text() == "narcan"  # staying keeps everything
    qtbot.waitUntil(overlay.isVisible, timeout=3000)
    with qtbot.waitSignal(w.session.reset_done, timeout=6000):
        pass
    assert visible_state(w) == {**fresh, "idle overlay": False}
    parts.idle.monitor.stop()


def test_no_warning_when_nobody_has_used_the_kiosk(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    parts = make_kiosk(qtbot, bundled_pack, theme, pin_hash, idle_timeout=1)
    w = parts.window
    parts.idle.start()
    with qtbot.waitSignal(parts.idle.monitor.idle, timeout=3000):
        pass
    assert not w.idle_overlay.isVisible()
    parts.idle.monitor.stop()


def test_quick_exit_restores_a_fresh_start(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    fresh = visible_state(make_window(qtbot, bundled_pack, theme, pin_hash))
    parts = make_kiosk(qtbot, bundled_pack, theme, pin_hash)
    w = parts.window
    use_the_kiosk(qtbot, parts)
    parts.navigator.open_article("harm-reduction-therapy")
    qtbot.mouseClick(w.reader.banner.exit_button, Qt.MouseButton.LeftButton)
    assert visible_state(w) == fresh


def test_a_reset_does_not_start_an_idle_timer_nobody_started(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    parts = make_kiosk(qtbot, bundled_pack, theme, pin_hash, idle_timeout=1, idle_warning=1)
    w = parts.window
    w.session.open_home()
    w.session.reset()  # resets poke the idle timer; with no watch started it must stay off
    w.session.open_home()
    parts.navigator.open_article("heartburn")
    spy = QSignalSpy(parts.idle.monitor.idle)
    qtbot.wait(1500)
    assert spy.count() == 0
    assert w.reader.article is not None
