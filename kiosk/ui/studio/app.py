"""Start the content studio: the Qt application and its one window."""

from __future__ import annotations

import logging
import sys
from functools import partial
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kiosk.core.files import FolderError
from kiosk.core.studio.drafts import Drafts
from kiosk.core.studio.folder import pack_info
from kiosk.ui.controllers.studio_launch import WINDOW_SHOWN
from kiosk.ui.studio.editing import offer_drafts
from kiosk.ui.studio.on_kiosk import KioskSide, KioskStudio, fit_to_screen
from kiosk.ui.studio.window import StudioWindow
from kiosk.ui.system.termination import QuitOnTermination

log = logging.getLogger("kiosk.studio")


def run_studio(
    folder: Path, drafts_folder: Path, kiosk: KioskSide | None = None, said: str = ""
) -> int:
    """The studio on ``folder``; 0 when staff close it, 1 if its drafts folder cannot
    be used (said in one line: the studio must not run where it cannot keep work).
    ``kiosk``: it runs on a kiosk, from the admin panel (kiosk.ui.studio.on_kiosk: full
    screen, EXIT_IDLE when left alone); ``said``: a first line for its status bar."""
    try:
        drafts = Drafts(drafts_folder)
    except (FolderError, OSError) as err:
        print(f"kiosk: drafts folder {drafts_folder}: {err}; fix its permissions", file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Content studio")
    # SIGTERM (the kiosk closing, a logout) ends the event loop cleanly, and what is
    # open is kept as drafts on the way out (aboutToQuit): offered back at the next start.
    QuitOnTermination(app)
    window = StudioWindow(folder.resolve(), drafts)
    info = pack_info(folder)
    log.info("studio on %s; %s", folder, window.spelling.state(info.locales if info else ("en",)))
    if said:
        window.status.setText(said)
    app.aboutToQuit.connect(window.keep_drafts)
    if kiosk is not None:
        KioskStudio(window, kiosk)
        # The whole screen, set from the screen: no window manager is required (as the
        # kiosk's own window, kiosk.ui.window.show_kiosk).
        fit_to_screen(window, window.screen().geometry())
        window.showFullScreen()
        log.info("%s", WINDOW_SHOWN)  # the kiosk hides its window now
    else:
        window.resize(1400, 900)
        window.show()
    # Once the window is up (and on a kiosk, over it): a question asked before would open
    # under the kiosk's window, where nobody could see or answer it.
    QTimer.singleShot(0, partial(offer_drafts, window))
    return app.exec()
