"""A real kiosk in this process, offscreen, assembled as tests/conftest.py assembles it."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from kiosk.core.config import KioskConfig
from kiosk.core.content.loader import load_pack
from kiosk.core.content.pack import Pack
from kiosk.core.search.index import SearchIndex
from kiosk.core.stats import UsageCounts
from kiosk.ui.assembly import KioskParts, assemble_kiosk
from kiosk.ui.controllers.read_aloud import MakeSpeaker
from kiosk.ui.system.memory import keep_big_buffers_out_of_the_heap
from kiosk.ui.theme import apply_theme, load_fonts, load_theme
from kiosk.ui.window import MainWindow

REPO = Path(__file__).resolve().parent.parent


def application() -> QApplication:
    keep_big_buffers_out_of_the_heap()  # as kiosk/ui/app.py does before its first frame
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    return app


def bundled_pack() -> Pack:
    pack = load_pack(REPO / "content").pack
    assert pack is not None
    return pack


def make_kiosk(
    pack: Pack | None = None,
    usage: UsageCounts | None = None,
    make_speaker: MakeSpeaker | None = None,
    **config: Any,
) -> KioskParts:
    """The kiosk on ``pack`` (the bundled content), its window shown at 1920x1080;
    ``make_speaker``: its read-aloud engine (none by default)."""
    app = application()
    load_fonts()
    apply_theme(app, load_theme("standard"))
    pack = pack or bundled_pack()
    kiosk = assemble_kiosk(
        pack,
        SearchIndex.build(pack),
        KioskConfig(**config),
        locale="en",
        usage=usage,
        make_speaker=make_speaker,
    )
    kiosk.window.resize(1920, 1080)
    kiosk.window.show()
    QCoreApplication.processEvents()
    return kiosk


def delete_window(window: MainWindow) -> None:
    """Through Qt, while Python still holds it (see tests/conftest.py)."""
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
