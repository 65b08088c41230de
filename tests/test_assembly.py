"""The composition root: what it connects across the parts, seen from the outside."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.core.packs.source import StoreWatch, load_folder
from kiosk.core.packs.store import Store
from kiosk.ui.system.speech import Speaker
from kiosk.ui.theme import Theme

from conftest import CONTENT, make_kiosk

pytestmark = pytest.mark.gui


def test_staff_test_read_aloud_and_see_the_content_when_the_panel_opens(
    qtbot: QtBot, theme: Theme, pin_hash: str, tmp_path: Path, shared_speech_home: Path
) -> None:
    shown = load_folder(CONTENT, "bundled content")
    assert shown is not None
    watch = StoreWatch(shown, Store(tmp_path / "store"), tuple, watch=False)
    parts = make_kiosk(qtbot, shown.pack, theme, pin_hash, make_speaker=Speaker, store=watch)
    gc.collect()  # the connections must not hang on objects only Python held
    window = parts.window
    window.corner.triggered.emit()
    window.pin_pad.accepted.emit()  # as the right PIN does
    assert window.stack.currentWidget() is window.admin
    assert "content version" in window.staff.details.text()
    window.staff.test_speech_requested.emit()
    speaker = parts.read_aloud.speaker
    assert speaker is not None and speaker.last_text == "This is a test of read aloud."
