"""Every file of an installed pack, read and checked against its signed manifest in a
worker thread, so patients' taps are not held up (hashing releases the GIL)."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from kiosk.core.packs.integrity import verify_installed
from kiosk.core.packs.status import StoreError


class PackVerifier(QObject):
    """Reads every file of an installed pack against its signed manifest, off the GUI
    thread; hashing releases the GIL, so taps stay quick while it runs."""

    finished = Signal(str, str)  # folder, error ("" when every file matched)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threads: list[threading.Thread] = []

    def start(self, folder: Path, trusted_keys: tuple[str, ...]) -> None:
        thread = threading.Thread(
            target=self._run, args=(folder, trusted_keys), name="verify-pack", daemon=True
        )
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    @property
    def busy(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    def _run(self, folder: Path, trusted_keys: tuple[str, ...]) -> None:
        try:
            verify_installed(folder, trusted_keys)
            error = ""
        except StoreError as err:
            error = str(err)
        with contextlib.suppress(RuntimeError):  # the kiosk closed while this ran
            self.finished.emit(str(folder), error)  # queued to the GUI thread
