"""Python never keeps a wrapper of a layout item that Qt deletes behind its back.

PySide6's ``addLayout`` wraps every item already in the added layout (a QWidgetItem
per widget, a QSpacerItem per stretch) and keeps those wrappers. Qt deletes a
QWidgetItem when its widget leaves the layout (removed, reparented, deleted), but the
wrapper stays registered at the freed address, and the next QObject Qt allocates
there comes back to Python as that QWidgetItem. CI met it once:
``QScroller.grabGesture called with wrong argument types: QWidgetItem`` while a new
window was built. It depends on the allocator, so the test checks the cause: after
every state a patient or staff member can reach, no such wrapper is alive.
"""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QLayout, QLayoutItem
from pytestqt.qtbot import QtBot
from test_reset_is_fresh import SIZE, STATES

from kiosk.core.content.pack import Pack
from kiosk.core.patient import DisplaySettings
from kiosk.ui.system.speech import Speaker
from kiosk.ui.theme import Theme
from kiosk.ui.window import MainWindow

from conftest import make_kiosk
from helpers import settle

pytestmark = pytest.mark.slow


def layout_item_wrappers() -> list[str]:
    """Live wrappers of layout items that are not layouts (QObjects tell Python when
    they are deleted; QWidgetItem and QSpacerItem do not)."""
    gc.collect()
    return sorted(
        type(w).__name__
        for w in shiboken6.getAllValidWrappers()
        if isinstance(w, QLayoutItem) and not isinstance(w, QLayout)
    )


def test_no_layout_item_wrappers_after_every_state(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str, shared_speech_home: Path
) -> None:
    # A voice: speech mode, one of the states, starts only on a kiosk that can speak.
    parts = make_kiosk(qtbot, bundled_pack, theme, pin_hash, make_speaker=lambda: Speaker())
    window: MainWindow = parts.window
    window.resize(*SIZE)
    settle(qtbot)
    assert layout_item_wrappers() == [], "after building the window"
    for state, reach in STATES.items():
        reach(parts)
        settle(qtbot)
        assert layout_item_wrappers() == [], f"after {state}"
        window.session.reset()
        settle(qtbot)
    for scale in (2.0, 1.0):
        window.session.set_settings(DisplaySettings(text_scale=scale))
        settle(qtbot)
        assert layout_item_wrappers() == [], f"after text size {scale:.0%}"
