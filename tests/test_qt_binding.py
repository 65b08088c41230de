"""The Qt binding itself must be safe to run for months.

PySide6 6.12.0 on Python 3.11 loses a reference to None on every Qt call that returns
nothing, and the process aborts after a few thousand calls. This guards the pin in
requirements.lock against an upgrade that brings it back.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

pytestmark = pytest.mark.gui


def test_qt_calls_do_not_leak_or_free_none(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(20_000):
        widget.update()
        widget.setEnabled(True)
    assert abs(sys.getrefcount(None) - before) < 50
