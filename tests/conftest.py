"""Root test configuration: every test runs headless and with its own empty folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Qt must never look for a display in the unit and GUI tests (it aborts without one);
# end-to-end tests start their own X server and set DISPLAY for the child process.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parent.parent
CONTENT = REPO / "content"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(autouse=True)
def _private_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Config, state and cache go to fresh folders, never the developer's own."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        (home / sub).mkdir()
        monkeypatch.setenv(var, str(home / sub))
    yield


@pytest.fixture(scope="session")
def bundled_pack():  # type: ignore[no-untyped-def]
    from kiosk.core.loader import load_pack

    result = load_pack(CONTENT)
    assert result.pack is not None, [str(p) for p in result.problems]
    return result.pack


@pytest.fixture
def theme(qapp):  # type: ignore[no-untyped-def]
    from kiosk.ui.theme import apply_theme, load_fonts, load_theme

    load_fonts()
    loaded = load_theme("standard")
    apply_theme(qapp, loaded)
    return loaded


TEST_PIN = "2468"


@pytest.fixture(scope="session")
def pin_hash() -> str:
    from kiosk.core.pin import hash_pin

    return hash_pin(TEST_PIN)


_OPEN_WINDOWS: list[object] = []


@pytest.fixture(autouse=True)
def _delete_windows_while_referenced() -> Iterator[None]:
    """Delete test windows through Qt while Python still holds them.

    Left to Python's garbage collector, a window's child wrappers are invalidated
    before Qt tears the widgets down, and the event filters among them get called
    half-dead. The kiosk deletes its window the same way (see kiosk.ui.app).
    """
    yield
    if not _OPEN_WINDOWS:
        return
    from PySide6.QtCore import QCoreApplication, QEvent

    for window in _OPEN_WINDOWS:
        window.close()  # type: ignore[attr-defined]
        window.deleteLater()  # type: ignore[attr-defined]
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    _OPEN_WINDOWS.clear()


def make_window(qtbot, pack, theme, pin_hash: str, **config):  # type: ignore[no-untyped-def]
    """A real main window on the bundled pack, shown at 1920x1080 offscreen."""
    from kiosk.core.config import KioskConfig
    from kiosk.core.search import SearchIndex
    from kiosk.ui.session import Session
    from kiosk.ui.window import MainWindow

    settings = KioskConfig(admin_pin_hash=pin_hash, **config)
    window = MainWindow(pack, SearchIndex.build(pack), Session("en"), settings, theme)
    _OPEN_WINDOWS.append(window)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def window(qtbot, bundled_pack, theme, pin_hash):  # type: ignore[no-untyped-def]
    return make_window(qtbot, bundled_pack, theme, pin_hash)
