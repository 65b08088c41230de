"""The studio on the kiosk itself, started from the admin panel with a USB keyboard
(``kiosk studio --kiosk``; kiosk.ui.controllers.studio_launch starts it).

It is the same window as on a staff laptop, dressed for a kiosk in a waiting room:

- it fills the screen (cage shows it over the kiosk), and a "Back to the kiosk" button
  and Ctrl+Q close it, since a kiosk's screen has no title bar to close it with;
- left alone for the admin panel's own time (``admin_idle_timeout``), it keeps every
  open article as a draft (offered back next time) and ends with EXIT_IDLE, and the
  kiosk goes back to patients: a staff screen is never left open in a waiting room;
- Publish writes the pack into the studio's own folder unless staff choose one (a USB
  stick), then installs it on this kiosk as `kiosk content install` does, verified
  with the keys the kiosk trusts; the kiosk shows it from the next patient on.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton

from kiosk.core.errors import KioskError
from kiosk.ui.controllers.studio_launch import ALIVE, HEARTBEAT_MS
from kiosk.ui.idle import ACTIVITY
from kiosk.ui.studio.publish import PublishDialog
from kiosk.ui.studio.questions import FileDialogs
from kiosk.ui.studio.window import StudioWindow

log = logging.getLogger("kiosk.studio")

EXIT_IDLE = 3  # the studio closed itself, left alone: the kiosk goes back to patients


@dataclass(frozen=True)
class KioskSide:
    """What the studio needs of the kiosk it runs on: its pack store and the keys it
    trusts (kiosk.toml), the admin panel's quiet time (seconds), the folder packs are
    written to when staff choose none, and its kiosk.toml (Publish's summary reads it)."""

    store: Path
    trusted_keys: tuple[str, ...]
    idle_timeout_s: int
    packs: Path
    config: Path


class _Installer(QObject):
    finished = Signal(str)  # what staff read

    def run(self, pack: Path, kiosk: KioskSide) -> None:
        def install() -> None:
            from kiosk.core.packs.store import Store
            from kiosk.core.packs.verify import UntrustedSignerError

            try:
                result = Store(kiosk.store).install(pack, kiosk.trusted_keys)
                version = result.installed.manifest.content_version
                said = (
                    f"Installed on this kiosk: content version {version}. "
                    "Patients see it once you go back to the patient screen."
                )
            except UntrustedSignerError as err:
                said = (
                    "Published, but not installed on this kiosk: it does not trust the key "
                    f"that signed it (key id {err.key_id or 'unknown'}). IT can trust it "
                    "('kiosk content trust', ADMIN.md section 4); the pack waits for them "
                    f"in {pack.parent}."
                )
            except (KioskError, OSError) as err:
                said = (
                    f"Published, but not installed on this kiosk: {err}. The pack waits "
                    f"for IT in {pack.parent}."
                )
            with contextlib.suppress(RuntimeError):  # the dialog was closed meanwhile
                self.finished.emit(said)

        threading.Thread(target=install, daemon=True).start()


def _say_alive() -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):  # no stdout: no kiosk
        print(ALIVE, file=sys.stdout, flush=True)


class KioskStudio(QObject):
    """Dresses ``window`` for the kiosk ``kiosk`` (see the module's words)."""

    def __init__(self, window: StudioWindow, kiosk: KioskSide) -> None:
        super().__init__(window)
        self._window, self._kiosk = window, kiosk
        self.back_button = QPushButton("Back to the kiosk", window)
        self.back_button.setToolTip("Close the studio (Ctrl+Q). Your changes are kept.")
        self.back_button.clicked.connect(window.close)
        window.buttons.addWidget(self.back_button)
        QShortcut(QKeySequence("Ctrl+Q"), window).activated.connect(window.close)
        self._quiet = QTimer(self)
        self._quiet.setSingleShot(True)
        self._quiet.setInterval(kiosk.idle_timeout_s * 1000)
        self._quiet.timeout.connect(self.left_alone)
        # Every window of the studio counts (a dialog too), so the filter is the
        # application's, not the main window's.
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._quiet.start()
        window.publish_button.clicked.disconnect(window.publish)
        window.publish_button.clicked.connect(self.publish)
        self._dialog: PublishDialog | None = None
        self._installer = _Installer(self)
        self._installer.finished.connect(self._installed)
        # The kiosk kills a studio that falls silent (frozen): its GUI thread says it is
        # alive (kiosk.ui.controllers.studio_launch).
        FileDialogs.options = QFileDialog.Option.ReadOnly | QFileDialog.Option.DontUseNativeDialog
        FileDialogs.start = "/media" if Path("/media").is_dir() else ""
        self._alive = QTimer(self)
        self._alive.timeout.connect(_say_alive)
        self._alive.start(HEARTBEAT_MS)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY:
            self._quiet.start()
        return False

    def publish(self) -> PublishDialog | None:
        """The window's Publish, then this kiosk's install of what it wrote."""
        dialog = self._window.publish(self._kiosk.config)
        if dialog is None:
            return None
        if not dialog.destination.text().strip():
            dialog.destination.setText(str(self._kiosk.packs))
        # The key is brought on a stick each time: never remembered on a waiting-room
        # machine, where a path to it would invite leaving it there.
        dialog.key.clear()
        dialog.published.connect(self._install)
        self._dialog = dialog
        return dialog

    def _install(self, pack: Path) -> None:
        if self._dialog is not None:
            self._dialog.verdict.setText(f"Published: {pack}\nInstalling on this kiosk...")
        self._installer.run(pack, self._kiosk)

    def _installed(self, said: str) -> None:
        log.info("%s", said)
        self._window.status.setText(said)
        if self._dialog is not None:
            self._dialog.verdict.setText(said)

    def left_alone(self) -> None:
        """Quiet for the admin panel's time: drafts kept, and the studio ends with
        EXIT_IDLE whatever is open (a question left on screen would keep a staff
        screen in the waiting room)."""
        kept = self._window.keep_drafts()
        log.warning(
            "studio left alone for %d s: closed; %s",
            self._kiosk.idle_timeout_s,
            "open changes kept as drafts" if kept else "open changes could NOT be kept",
        )
        QApplication.exit(EXIT_IDLE)
