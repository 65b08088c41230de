"""Start the kiosk: logging, the Qt application, the content, the window."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.core.config import ConfigError, KioskConfig, load_config
from kiosk.core.fleet.state import FOLDER as FLEET_FOLDER
from kiosk.core.fleet.state import freshness
from kiosk.core.freshness import Freshness
from kiosk.core.packs.source import StoreWatch, choose_content, load_folder
from kiosk.core.packs.store import Store
from kiosk.core.stats import DB_FILE as USAGE_FILE
from kiosk.core.stats import UsageCounts
from kiosk.resources import bundled_content
from kiosk.ui.controllers.read_aloud import MakeSpeaker, SpeechMissingError
from kiosk.ui.first_frame import FirstFrame
from kiosk.ui.screens.calm import OutOfOrderPage
from kiosk.ui.system.benchhook import exit_after_first_paint_if_asked
from kiosk.ui.system.crash import (
    LOG_FILE,
    install_excepthook,
    log_file_problem,
    open_log_file,
    setup_logging,
    stop_logging,
)
from kiosk.ui.system.lockdown import Lockdown
from kiosk.ui.system.memory import keep_big_buffers_out_of_the_heap
from kiosk.ui.system.termination import QuitOnTermination
from kiosk.ui.system.watchdog import Watchdog
from kiosk.ui.theme import FIRST_FRAME_FONTS, apply_theme, load_fonts, load_theme
from kiosk.ui.window import MainWindow, show_kiosk

if TYPE_CHECKING:
    from kiosk.ui.assembly import KioskParts

log = logging.getLogger("kiosk.ui")


@dataclass(frozen=True)
class RunOptions:
    content: Path | None
    locked: bool
    verbose: bool = False


EXIT_START_FAILED = 1  # a bug while starting: logged with its stack; systemd starts again


@dataclass
class Kiosk:
    """What ``build_kiosk`` made: the screen to show (the welcome screen, whose parts
    come once it has painted, or the out-of-order page when no content can be shown)
    and what ``close`` tears down."""

    screen: QWidget
    first: FirstFrame | None = None
    usage: UsageCounts | None = None

    @property
    def window(self) -> MainWindow | None:
        return self.first.window if self.first is not None else None

    @property
    def parts(self) -> KioskParts | None:
        """The kiosk's parts, once made (kiosk.ui.first_frame)."""
        return self.first.parts if self.first is not None else None

    def close(self) -> None:
        """Counts still queued, then the widgets, deleted through Qt while Python still
        holds them: their event filters are Python objects that must stay whole while the
        widgets are torn down. Called however the kiosk ends: left to Python's exit after
        an error during start-up, PySide deleted a window never shown while Python was
        finalizing, its event filter (kiosk.ui.windowinput) raised inside Qt's destructor,
        and the kiosk ended in a segmentation fault."""
        if self.usage is not None:
            self.usage.close()  # the counts still queued for the writer thread, then the file
        self.screen.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def run_kiosk(config: KioskConfig, options: RunOptions) -> int:
    config = replace(config, locked=options.locked)  # --kiosk/--windowed win over the file
    # Never raises; the file opens after the first frame (its module is 2 MB), its
    # lines kept until then.
    log_file = setup_logging(config.state_dir, options.verbose, file_later=True)
    log.info("starting; log at %s", "none (see above)" if log_file_problem() else log_file)
    keep_big_buffers_out_of_the_heap()  # before Qt allocates its first frame
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_SynthesizeMouseForUnhandledTouchEvents)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Clinic kiosk")
    app.setDesktopFileName("clinic-kiosk")
    stops = QuitOnTermination(app)  # systemctl stop: a clean quit; never cuts a crash dump short
    app.lastWindowClosed.connect(stops.window_closed)
    kiosk: Kiosk | None = None
    code = EXIT_START_FAILED
    try:
        load_fonts(FIRST_FRAME_FONTS)  # the others after the first frame (the assembly)
        theme = load_theme("standard")
        apply_theme(app, theme)
        lockdown = Lockdown(app)
        if options.locked:
            app.installEventFilter(lockdown)
        kiosk = build_kiosk(config, options.content, stops=stops)
        if kiosk.first is None:
            open_log_file()
            show_fullscreen_or_window(kiosk.screen, options.locked)
        else:
            kiosk.first.when_made(_running)
            # A bug from the first paint on is logged in the file too; once the parts
            # exist, the patient is also brought home calmly.
            install_excepthook(partial(_calm_after_error, kiosk.first))
            show_kiosk(kiosk.first.window, locked=options.locked, hide_cursor=config.hide_cursor)
            exit_after_first_paint_if_asked(kiosk.first)  # bench/cold_start.py; see benchhook
        Watchdog(app)  # systemd: READY=1, then WATCHDOG=1 from this (the GUI) thread
        code = app.exec()
    except Exception:
        # A bug, not the surroundings (those are handled where they happen): logged with
        # its stack, and the kiosk still ends cleanly, so systemd can start it again.
        log.critical("the kiosk could not start", exc_info=True)
        stops.cause = stops.cause or "an error while starting (see above)"
    finally:
        stops.restore()
        cause = stops.cause or "the event loop ended"
        if kiosk is not None:
            kiosk.close()
        log.info("stopped (%s), exit code %d", cause, code)
        stop_logging()
    return code


def _could_not_start(stops: QuitOnTermination | None) -> None:
    """The kiosk's parts could not be made (logged): it ends, and systemd starts it
    again, as after any error while starting."""
    if stops is not None:
        stops.cause = stops.cause or "an error while starting (see above)"
    QApplication.exit(EXIT_START_FAILED)


def _running(parts: KioskParts) -> None:
    """What a kiosk's parts start once made: the idle clock, and (a later step) the
    log file."""
    parts.warm_up.add([("log file", open_log_file)])
    parts.idle.start()


def _calm_after_error(first: FirstFrame) -> None:
    """After an unexpected error (logged): the calm page, which brings the patient home
    (kiosk.ui.screens.calm), once the parts exist; before, the welcome screen is home."""
    if first.parts is not None and first.parts.calm is not None:
        first.parts.calm.begin()


def build_kiosk(
    config: KioskConfig,
    content: Path | None,
    *,
    stops: QuitOnTermination | None = None,
) -> Kiosk:
    """Assemble the kiosk on the content it can show, whatever its surroundings do: a
    store that cannot be read leaves the bundled content; counts that cannot be kept
    leave a kiosk that counts nothing; each is logged and listed for staff."""
    folder = content or config.content
    store = Store(config.store_dir)
    store_problem = None if folder is not None else store.check_root()
    if store_problem is not None:
        log.error(
            "store %s; showing the bundled content; fix: mount the disk, or move what is "
            "there away, or set 'store' in kiosk.toml to a folder the kiosk can use",
            store_problem,
        )
        choice = load_folder(bundled_content(), "bundled content")
    else:
        choice = choose_content(folder, store, config.trusted_keys, bundled_content())
        if folder is None and (why := store.read_only()) is not None:
            log.warning(
                "store %s: %s; the kiosk shows its packs, but 'kiosk content install' and "
                "roll back cannot change it; fix: make it writable (remount it read-write)",
                store.root,
                why,
            )
    if choice is None:
        from kiosk.core.content.loader import load_pack

        result = load_pack(folder or bundled_content())
        problems = [str(p) for p in result.problems if p.severity.value == "error"]
        where = log_file_problem() and "the journal (journalctl -u kiosk)"
        broken = OutOfOrderPage(problems or [f"see the log: {where or _log_path(config)}"])
        return Kiosk(broken)  # the out-of-order page is up and running: no restart loop
    pack = choice.pack
    locale = config.default_locale
    if locale not in pack.info.locales:
        log.warning(
            "default_locale '%s' is not a language of %s (%s); starting in '%s'",
            locale,
            choice.origin,
            ", ".join(pack.info.locales),
            pack.info.default_locale,
        )
        locale = pack.info.default_locale
    usage = UsageCounts(config.state_dir / USAGE_FILE, enabled=config.usage_counts)
    # A folder named on the command line or in the config is shown as it is; otherwise
    # the kiosk follows the store and switches to new packs between patients.
    first = FirstFrame(
        pack,
        choice.index,
        config,
        locale,
        find_speaker=speech_engine,  # after the first frame
        usage=usage,
        store=StoreWatch(
            choice,
            store,
            partial(trusted_keys, config),
            watch=folder is None,
            bundled=bundled_content(),
            store_problem=store_problem,
            fleet=_fleet_freshness(config),
        ),
        failed=partial(_could_not_start, stops),
        stops=stops,
        standalone=True,
    )
    log.info("showing %s: pack %s v%d", choice.origin, pack.info.id, pack.info.version)
    return Kiosk(first.window, first, usage)


def _fleet_freshness(config: KioskConfig) -> Callable[[], Freshness | None]:
    """What the fleet last said of the content's freshness, for the admin panel."""
    if not config.fleet:
        return lambda: None  # no fleet: installed by hand, nothing to be fresh against
    return partial(freshness, config.state_dir / FLEET_FOLDER, config.fleet_stale_hours)


def _log_path(config: KioskConfig) -> Path:
    return config.state_dir / LOG_FILE


def trusted_keys(config: KioskConfig) -> tuple[str, ...]:
    """The keys in the config file now (staff may trust a new key while the kiosk runs)."""
    try:
        return load_config(config.source).trusted_keys  # None: the default config file
    except ConfigError as err:
        log.error("%s; using the keys trusted at start-up", err)
        return config.trusted_keys


def speech_engine() -> MakeSpeaker:
    """How to make the read-aloud speaker (kiosk.ui.system.speech).

    Raises SpeechMissingError when speech-dispatcher is not installed and none runs for
    this user: nothing could start one."""
    from kiosk.core.speech.ssip import installed, server_address
    from kiosk.ui.system.speech import Speaker

    address = server_address()
    if address is None:
        raise SpeechMissingError(
            "SPEECHD_ADDRESS names a speech-dispatcher the kiosk cannot reach (only "
            "unix_socket:PATH); unset it"
        )
    if not installed() and not address.exists():
        raise SpeechMissingError(
            "speech-dispatcher is not installed: install speech-dispatcher, "
            "speech-dispatcher-espeak-ng and espeak-ng (deploy/packages-bundle.txt)"
        )
    return Speaker


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
    window = PreviewWindow(content, replace(config, locked=False))
    window.resize(1900, 1000)
    window.show()
    code = app.exec()
    window.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    stop_logging()
    return code
