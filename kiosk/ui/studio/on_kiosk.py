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

from PySide6.QtCore import QEvent, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QFileDialog,
    QLabel,
    QPushButton,
    QSplitter,
)

from kiosk.core.errors import KioskError
from kiosk.core.packs.format import Manifest
from kiosk.core.packs.store import Store
from kiosk.core.studio.publish import kiosk_places_problem
from kiosk.core.studio.working_copy import newer_than_copy, record_base
from kiosk.ui.controllers.studio_launch import ALIVE, HEARTBEAT_MS
from kiosk.ui.idle import ACTIVITY
from kiosk.ui.studio.publish import PublishDialog
from kiosk.ui.studio.questions import FileDialogs
from kiosk.ui.studio.window import StudioWindow

log = logging.getLogger("kiosk.studio")

EXIT_IDLE = 3  # the studio closed itself, left alone: the kiosk goes back to patients
WARN_BEFORE_S = 30  # "Still there?" this long before it closes (or at half its time)


@dataclass(frozen=True)
class KioskSide:
    """What the studio needs of the kiosk it runs on: its pack store and the keys it
    trusts (kiosk.toml), the admin panel's quiet time (seconds), the folder packs are
    written to when staff choose none, and its kiosk.toml (Publish's summary reads it);
    ``studio``: the folder of the working copy (kiosk.core.studio.working_copy), whose
    base is the pack each Publish installs."""

    store: Path
    trusted_keys: tuple[str, ...]
    idle_timeout_s: int
    packs: Path
    config: Path
    studio: Path | None = None


class _Installer(QObject):
    finished = Signal(str)  # what staff read

    def run(self, pack: Path, kiosk: KioskSide) -> None:
        def install() -> None:
            from kiosk.core.packs.verify import UntrustedSignerError

            try:
                result = Store(kiosk.store).install(pack, kiosk.trusted_keys)
                version = result.installed.manifest.content_version
                if kiosk.studio is not None:  # the copy now stands on what it published
                    record_base(kiosk.studio, result.installed.manifest)
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


def fit_to_screen(window: StudioWindow, screen: QRect) -> None:
    """The window set to cover ``screen`` (a kiosk's, in pixels). On a portrait screen
    (a kiosk on its side: 768x1366, 1080x1920) the list, the editor and the preview are
    stacked rather than side by side: side by side they need about 1000 pixels, wider
    than the screen, and Publish and Back would be off it."""
    split = window.findChild(QSplitter)
    if split is not None and screen.height() > screen.width():
        split.setOrientation(Qt.Orientation.Vertical)
        tall = screen.height()
        split.setSizes([tall * 22 // 100, tall * 48 // 100, tall * 30 // 100])
        central = window.centralWidget()
        for layout in (central.layout() if central else None, window.layout()):
            if layout is not None:
                # Now, not at the next event: the window's minimum (the side-by-side
                # one, wider than the screen) would otherwise clamp the geometry below.
                layout.activate()
    window.setGeometry(screen)


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
        # "Still there?" before it closes, time enough to answer (WCAG 2.2 2.2.1: at
        # least 20 seconds), shown in the window: a dialog would take the keyboard.
        self.still_there = QLabel(window)
        self.still_there.setWordWrap(True)
        self.still_there.setStyleSheet(
            "background: #fff1a8; color: #000; padding: 10px; font-weight: bold;"
        )
        self.still_there.hide()
        central = window.centralWidget()
        layout = central.layout() if central is not None else None
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(0, self.still_there)
        warn_s = max(kiosk.idle_timeout_s - WARN_BEFORE_S, kiosk.idle_timeout_s // 2)
        self._warn = QTimer(self)
        self._warn.setSingleShot(True)
        self._warn.setInterval(warn_s * 1000)
        self._warn.timeout.connect(self._say_still_there)
        # Every window of the studio counts (a dialog too), so the filter is the
        # application's, not the main window's.
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._quiet.start()
        self._warn.start()
        window.kiosk_config = kiosk.config
        window.publish_button.clicked.disconnect()  # the staff computer's Publish
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
            self._warn.start()
            self.still_there.hide()
        return False

    def _say_still_there(self) -> None:
        left = round(self._quiet.remainingTime() / 1000)
        self.still_there.setText(
            f"Still there? In {left} second{'s' if left != 1 else ''} the studio closes "
            "and the kiosk goes back to patients. Your changes are kept. "
            "Press a key or click to keep working."
        )
        self.still_there.show()

    def publish(self) -> PublishDialog | None:
        """The window's Publish, then this kiosk's install of what it wrote."""
        dialog = self._window.publish()
        if dialog is None:
            return None
        if not dialog.destination.text().strip():
            dialog.destination.setText(str(self._kiosk.packs))
        # The key is brought on a stick each time: never remembered on a waiting-room
        # machine, where a path to it would invite leaving it there.
        dialog.key.clear()
        dialog.keep_key = False
        dialog.refuse = self._refuse  # again at the click: content may come meanwhile
        if (said := self._not_now()) is not None:
            dialog.publish_button.setEnabled(False)
            dialog.verdict.setText(said)
        dialog.published.connect(self._install)
        self._dialog = dialog
        return dialog

    def _not_now(self) -> str | None:
        """Why not to publish now: newer content reached the kiosk while staff worked
        (publishing the copy would put older articles back in its place), or None."""
        if (newer := self._newer_content()) is None:
            return None
        return (
            f"Not now: newer content reached this kiosk while you worked (content "
            f"version {newer.content_version}, built {newer.built[:10]}). Publishing "
            "your copy would undo it. Go back to the kiosk and open the studio again: "
            "it starts from the newer content and offers your changes back."
        )

    def _refuse(self, key: Path, destination: Path) -> str:
        if (said := self._not_now()) is not None:
            return said.removeprefix("Not now: ")
        kiosk = self._kiosk
        own = (Path.home(), kiosk.store, kiosk.config.parent, kiosk.packs.parent)
        return kiosk_places_problem(key, destination, kiosk.packs, own)

    def _newer_content(self) -> Manifest | None:
        if self._kiosk.studio is None:
            return None
        current = Store(self._kiosk.store).current_pack_dir()
        return newer_than_copy(self._kiosk.studio, current)

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
