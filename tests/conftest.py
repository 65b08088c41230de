"""Root test configuration: every test runs headless and with its own empty folders."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import settings as hypothesis_settings

if TYPE_CHECKING:  # the kiosk and Qt load when a test first uses them
    from PySide6.QtWidgets import QApplication
    from pytestqt.qtbot import QtBot
    from studio_helpers import MakeStudio

    from kiosk.core.config import KioskConfig
    from kiosk.core.content.pack import Pack
    from kiosk.core.packs.source import StoreWatch
    from kiosk.core.packs.store import Store
    from kiosk.core.search.index import SearchIndex
    from kiosk.core.stats import UsageCounts
    from kiosk.ui.app import Kiosk
    from kiosk.ui.assembly import KioskParts
    from kiosk.ui.controllers.read_aloud import MakeSpeaker
    from kiosk.ui.theme import Theme
    from kiosk.ui.window import MainWindow

# Qt must never look for a display in the unit and GUI tests (it aborts without one);
# end-to-end tests start their own X server and set DISPLAY for the child process.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# No time limit on a Hypothesis example: speed lives in benchmarks (make bench), and in
# CI, with the Debian VM beside the suite, an example that takes 2 ms once took 258 ms
# and failed on Hypothesis's default 200 ms deadline.
hypothesis_settings.register_profile("kiosk", deadline=None)
hypothesis_settings.load_profile("kiosk")

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
def bundled_pack() -> Pack:
    from kiosk.core.content.loader import load_pack

    result = load_pack(CONTENT)
    assert result.pack is not None, [str(p) for p in result.problems]
    return result.pack


@pytest.fixture
def theme(qapp: QApplication) -> Theme:
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


_OPEN_WINDOWS: list[MainWindow] = []


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
    from shiboken6 import isValid

    for window in _OPEN_WINDOWS:
        if not isValid(window):  # deleted already: another fixture sent the deletes
            continue
        window.close()
        window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    _OPEN_WINDOWS.clear()


def make_kiosk(
    qtbot: QtBot,
    pack: Pack,
    theme: Theme,
    pin_hash: str,
    make_speaker: MakeSpeaker | None = None,
    index: SearchIndex | None = None,
    usage: UsageCounts | None = None,
    store: StoreWatch | None = None,
    **config: Any,
) -> KioskParts:
    """A real kiosk on a pack (and its index, else one built for it), assembled as
    ``kiosk run`` assembles it (kiosk.ui.assembly), its window shown at 1920x1080
    offscreen. ``theme``: the theme fixture, which styles the application as the kiosk
    does; ``store``: a kiosk.core.packs.source.StoreWatch, to follow a store. Returns the
    window and its parts (navigator, read aloud, staff mode, ...)."""
    from kiosk.core.config import KioskConfig
    from kiosk.core.search.index import SearchIndex
    from kiosk.ui.assembly import assemble_kiosk

    settings = KioskConfig(admin_pin_hash=pin_hash, **config)
    index = index or SearchIndex.build(pack)
    parts = assemble_kiosk(
        pack, index, settings, locale="en", make_speaker=make_speaker, usage=usage, store=store
    )
    window = parts.window
    _OPEN_WINDOWS.append(window)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    return parts


def make_window(
    qtbot: QtBot,
    pack: Pack,
    theme: Theme,
    pin_hash: str,
    make_speaker: MakeSpeaker | None = None,
    index: SearchIndex | None = None,
    **config: Any,
) -> MainWindow:
    """The window of ``make_kiosk``, for tests that only look and tap."""
    return make_kiosk(qtbot, pack, theme, pin_hash, make_speaker, index, **config).window


def validate_folder(folder: Path) -> subprocess.CompletedProcess[str]:
    """``kiosk content validate FOLDER`` as staff run it: its exit status and words."""
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "content", "validate", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def parts(qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str) -> KioskParts:
    """The kiosk on the bundled content: ``parts.window`` and the parts that drive it
    (``parts.navigator``, ``parts.read_aloud``, ``parts.staff_mode``, ...)."""
    return make_kiosk(qtbot, bundled_pack, theme, pin_hash)


@pytest.fixture
def window(parts: KioskParts) -> MainWindow:
    return parts.window


# --- Read aloud: a private speech-dispatcher for tests that speak (tests/speech_server.py) ---

import speech_server as _speechd  # noqa: E402


@pytest.fixture
def speech_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """The kiosk's speaker starts its own speech-dispatcher here; it ends with the test.

    speech-dispatcher reads $XDG_CONFIG_HOME/speech-dispatcher/speechd.conf and listens on
    $XDG_RUNTIME_DIR/speech-dispatcher/speechd.sock (tests/speech_server.py): every test
    gets a fresh server, and nobody else's is ever touched. For tests that change the server's
    configuration or stop it; the others share one (shared_speech_home).
    Create speakers after this fixture, so that they are deleted before their server ends.
    """
    root = tmp_path_factory.mktemp("speechd")
    _speechd.prepare(root)
    _use_speechd(root, monkeypatch)
    yield root
    _speechd.end(root)


@pytest.fixture(scope="module")
def _module_speechd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("speechd")
    _speechd.prepare(root)
    yield root
    _speechd.end(root)


@pytest.fixture
def shared_speech_home(_module_speechd: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """As ``speech_home``, but one speech-dispatcher for all the tests of a module (each
    server takes a second or two to start): for tests that neither change its
    configuration nor stop it. It ends after the module's last test; if it quits by itself
    between tests (it does once no client is left for a while), the next speaker spawns
    it again. Speakers are still deleted by the end of each test."""
    _use_speechd(_module_speechd, monkeypatch)
    return _module_speechd


@pytest.fixture
def transcript(speech_home: Path) -> Path:
    """``speech_home``'s speech-dispatcher logging each message it queues (LogLevel 5,
    tests/speech_server.py reads it); returns its log."""
    conf = speech_home / "config" / "speech-dispatcher" / "speechd.conf"
    conf.write_text(conf.read_text("utf-8").replace("LogLevel 2", "LogLevel 5"), "utf-8")
    return speech_home / "log" / "speech-dispatcher.log"


def _use_speechd(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point this test's speakers at the server of ``root`` (spawned on first use)."""
    for name, value in _speechd.environment(root).items():
        monkeypatch.setenv(name, value)


# --- The kiosk as `kiosk run` assembles it (kiosk.ui.app.build_kiosk) ----------------------

from contextlib import contextmanager as _contextmanager  # noqa: E402


@_contextmanager
def built_kiosk(qtbot: QtBot, config: KioskConfig, theme: Theme, **options: Any) -> Iterator[Kiosk]:
    """The kiosk ``build_kiosk`` assembles for ``config``, shown as `kiosk run --windowed`
    shows it, and torn down as it is at exit."""
    from PySide6.QtCore import QCoreApplication

    from kiosk.ui.app import build_kiosk

    kiosk = build_kiosk(config, None, **options)
    try:
        kiosk.screen.resize(1920, 1080)
        kiosk.screen.show()
        qtbot.waitExposed(kiosk.screen)
        if kiosk.first is not None:  # its parts come once it has painted
            qtbot.waitUntil(lambda: kiosk.parts is not None)
        yield kiosk
        QCoreApplication.processEvents()  # what the event loop would still have done
    finally:
        kiosk.screen.close()
        kiosk.close()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the bundled content, to edit."""
    import shutil

    return Path(shutil.copytree(CONTENT, tmp_path / "content"))


@pytest.fixture
def studios(qtbot: QtBot, tmp_path: Path) -> Iterator[MakeStudio]:
    """Content studio windows on one drafts folder, as one staff account's; closed after."""
    from studio_helpers import studios_on

    yield from studios_on(qtbot, tmp_path)


@pytest.fixture
def installed(tmp_path: Path) -> tuple[Store, Path, str]:
    """For the studio on a kiosk: a store with the bundled content installed as a signed
    pack (built a day ago), the staff's signing key, and the key's public text trusted."""
    from datetime import UTC, datetime, timedelta

    from kiosk.core.packs.build import build_pack
    from kiosk.core.packs.signing import generate_keypair, load_private_key, public_key_text
    from kiosk.core.packs.store import Store
    from kiosk.resources import bundled_content

    private, _ = generate_keypair(tmp_path / "keys")
    public = public_key_text(load_private_key(private))
    pack = tmp_path / "first.kpack"
    build_pack(bundled_content(), pack, private, datetime.now(UTC) - timedelta(days=1))
    store = Store(tmp_path / "store")
    store.install(pack, (public,))
    return store, private, public
