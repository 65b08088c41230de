"""Start the kiosk: logging, the Qt application, the content, the window."""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtTextToSpeech import QTextToSpeech
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.core.config import ConfigError, KioskConfig, load_config
from kiosk.core.search import SearchIndex
from kiosk.core.source import choose_content
from kiosk.core.stats import DB_FILE as USAGE_FILE
from kiosk.core.stats import UsageCounts
from kiosk.core.store import Store
from kiosk.resources import bundled_content
from kiosk.ui.benchhook import exit_after_first_paint_if_asked
from kiosk.ui.calm import OneMomentOverlay, OutOfOrderPage
from kiosk.ui.content_manager import ContentManager
from kiosk.ui.crash import install_excepthook, setup_logging, stop_logging
from kiosk.ui.lockdown import Lockdown
from kiosk.ui.memory import keep_big_buffers_out_of_the_heap
from kiosk.ui.session import Session
from kiosk.ui.speech import Speaker
from kiosk.ui.termination import QuitOnTermination
from kiosk.ui.theme import apply_theme, load_fonts, load_theme
from kiosk.ui.watchdog import Watchdog
from kiosk.ui.window import MainWindow, show_kiosk

log = logging.getLogger("kiosk.ui")
WARM_UP_MS = 300  # the patient is still looking at the welcome screen
SPEECH_ENGINE = "speechd"  # named explicitly: the order of Qt's engines is not stable


@dataclass(frozen=True)
class RunOptions:
    content: Path | None
    locked: bool
    verbose: bool = False


def run_kiosk(config: KioskConfig, options: RunOptions) -> int:
    config = replace(config, locked=options.locked)  # --kiosk/--windowed win over the file
    log_file = setup_logging(config.state_dir, options.verbose)
    log.info("starting; log at %s", log_file)
    keep_big_buffers_out_of_the_heap()  # before Qt allocates its first frame
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_SynthesizeMouseForUnhandledTouchEvents)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Clinic kiosk")
    app.setDesktopFileName("clinic-kiosk")
    load_fonts()
    theme = load_theme("standard")
    apply_theme(app, theme)
    QuitOnTermination(app)  # systemctl stop: a clean quit; never cuts a crash dump short
    lockdown = Lockdown(app)
    if options.locked:
        app.installEventFilter(lockdown)
    folder = options.content or config.content
    store = Store(config.store_dir)
    choice = choose_content(folder, store, config.trusted_keys, bundled_content())
    if choice is None:
        from kiosk.core.loader import load_pack

        result = load_pack(folder or bundled_content())
        problems = [str(p) for p in result.problems if p.severity.value == "error"]
        broken = OutOfOrderPage(problems or [f"see the log: {log_file}"])
        show_fullscreen_or_window(broken, options.locked)
        Watchdog(app)  # the out-of-order page is up and running: no restart loop
        return app.exec()
    pack = choice.pack
    locale = config.default_locale
    if locale not in pack.info.locales:
        locale = pack.info.default_locale
    session = Session(locale)
    usage = UsageCounts(config.state_dir / USAGE_FILE, enabled=config.usage_counts)
    window = MainWindow(
        pack, choice.index, session, config, theme, make_speaker=speech_engine(), usage=usage
    )
    # A folder named on the command line or in the config is shown as it is; otherwise
    # the kiosk follows the store and switches to new packs between patients.
    ContentManager(
        window,
        choice,
        store,
        partial(trusted_keys, config),
        usage,
        watch=folder is None,
        bundled=bundled_content(),
    )
    calm = OneMomentOverlay(window)
    calm.finished.connect(session.reset)
    install_excepthook(calm.begin)
    window.exit_requested.connect(window.unlock_and_close)
    window.exit_requested.connect(app.quit)
    show_kiosk(window, locked=options.locked, hide_cursor=config.hide_cursor)
    window.start_idle_watch()
    QTimer.singleShot(WARM_UP_MS, partial(warm_up, choice.index))
    exit_after_first_paint_if_asked(window)  # bench/cold_start.py only; see benchhook
    log.info("showing %s: pack %s v%d", choice.origin, pack.info.id, pack.info.version)
    Watchdog(app)  # systemd: READY=1, then WATCHDOG=1 from this (the GUI) thread
    code = app.exec()
    log.info("stopped")
    usage.close()  # the counts still queued for the writer thread, then the file
    # Let Qt delete the window while Python still holds it: its event filters are
    # Python objects that must stay whole while the widgets are torn down.
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    stop_logging()
    return code


def warm_up(index: SearchIndex) -> None:
    """What the first search and the first article would wait for, done while the
    welcome screen shows (start-up paints first and leaves these out)."""
    index.warm()
    for module in ("kiosk.core.markdown", "segno"):
        importlib.import_module(module)


def trusted_keys(config: KioskConfig) -> tuple[str, ...]:
    """The keys in the config file now (staff may trust a new key while the kiosk runs)."""
    try:
        return load_config(config.source).trusted_keys  # None: the default config file
    except ConfigError as err:
        log.error("%s; using the keys trusted at start-up", err)
        return config.trusted_keys


def speech_engine() -> Callable[[], Speaker] | None:
    """How to make the read-aloud engine, or None (logged) if this machine has none."""
    if SPEECH_ENGINE not in QTextToSpeech.availableEngines():
        log.warning("no '%s' speech engine: read aloud is not offered", SPEECH_ENGINE)
        return None
    return partial(Speaker, SPEECH_ENGINE)


def show_fullscreen_or_window(widget: QWidget, locked: bool) -> None:
    if locked:
        widget.setGeometry(widget.screen().geometry())
        widget.showFullScreen()
    else:
        widget.resize(1600, 900)
        widget.show()


def run_preview(config: KioskConfig, content: Path) -> int:
    """The kiosk in a window on a content folder, reloaded whenever a file changes."""
    from kiosk.ui.preview import PreviewWindow

    setup_logging(config.state_dir)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Clinic kiosk preview")
    load_fonts()
    theme = load_theme("standard")
    apply_theme(app, theme)
    window = PreviewWindow(content, replace(config, locked=False), theme)
    window.resize(1900, 1000)
    window.show()
    code = app.exec()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    stop_logging()
    return code
