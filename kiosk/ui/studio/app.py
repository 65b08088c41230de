"""Start the content studio: the Qt application and its one window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from kiosk.core.files import FolderError
from kiosk.core.studio.drafts import Drafts
from kiosk.ui.studio.window import StudioWindow


def run_studio(folder: Path, drafts_folder: Path) -> int:
    """The studio on ``folder``; 0 when staff close it, 1 if its drafts folder cannot
    be used (said in one line: the studio must not run where it cannot keep work)."""
    try:
        drafts = Drafts(drafts_folder)
    except (FolderError, OSError) as err:
        print(f"kiosk: drafts folder {drafts_folder}: {err}; fix its permissions", file=sys.stderr)
        return 1
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Content studio")
    window = StudioWindow(folder.resolve(), drafts)
    window.resize(1400, 900)
    window.show()
    return app.exec()
