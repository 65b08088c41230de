"""Every file of an installed pack, read and checked against its signed manifest in a
worker thread, so patients' taps are not held up (hashing releases the GIL). Staff's
roll back runs there too: the store reads the whole previous pack before it points
back at it; and so does opening the store's pack or the bundled content for the content
manager, which hashes pack.toml and the catalogue (or, for a pack of another kiosk
version's index, every file) and builds search tables."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from kiosk.core.packs.integrity import verify_installed
from kiosk.core.packs.selection_events import FolderIdentity
from kiosk.core.packs.source import from_store, load_folder
from kiosk.core.packs.status import StoreError
from kiosk.core.packs.store import Store

log = logging.getLogger("kiosk.content")


class PackVerifier(QObject):
    """Reads every file of an installed pack against its signed manifest, off the GUI
    thread; hashing releases the GIL, so taps stay quick while it runs."""

    finished = Signal(str, str)  # folder, error ("" when every file matched)
    rolled_back = Signal(str)  # error ("" when the store points at its previous pack)
    looked = Signal(object, object)  # ContentChoice | None, the store's problem | None
    bundled_loaded = Signal(object)  # ContentChoice | None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._threads: list[threading.Thread] = []

    def start(self, folder: Path, trusted_keys: tuple[str, ...]) -> None:
        """Check ``folder``; ``finished`` says how it went, on the GUI thread."""
        self._run_in_thread(self._verify, folder, trusted_keys)

    def roll_back(self, store: Store) -> None:
        """Point ``store`` back at its previous pack; ``rolled_back`` says how it went."""
        self._run_in_thread(self._roll_back, store)

    def look(
        self,
        store: Store,
        trusted_keys: tuple[str, ...],
        rejected: frozenset[FolderIdentity],
        recheck_root: bool,
    ) -> None:
        """Open the store's pack to show (kiosk.core.packs.source.from_store); ``looked``
        brings it, or why the store cannot be read, to the GUI thread."""
        self._run_in_thread(self._look, store, trusted_keys, rejected, recheck_root)

    def load_bundled(self, folder: Path) -> None:
        """Load the bundled content; ``bundled_loaded`` brings it to the GUI thread."""
        self._run_in_thread(self._load_bundled, folder)

    @property
    def busy(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    def _run_in_thread(self, work: Callable[..., None], *args: object) -> None:
        thread = threading.Thread(target=work, args=args, name="verify-pack", daemon=True)
        self._threads = [t for t in self._threads if t.is_alive()] + [thread]
        thread.start()

    def _verify(self, folder: Path, trusted_keys: tuple[str, ...]) -> None:
        try:
            verify_installed(folder, trusted_keys)
            error = ""
        except StoreError as err:
            error = str(err)
        with contextlib.suppress(RuntimeError):  # the kiosk closed while this ran
            self.finished.emit(str(folder), error)  # queued to the GUI thread

    def _look(
        self,
        store: Store,
        trusted_keys: tuple[str, ...],
        rejected: frozenset[FolderIdentity],
        recheck_root: bool,
    ) -> None:
        problem, choice = None, None
        try:
            problem = store.check_root() if recheck_root else None
            choice = from_store(store, trusted_keys, rejected) if problem is None else None
            if choice is not None:
                choice.index.warm()  # here, not on the GUI thread between patients
        except Exception:  # a bug: logged; the answer still comes, or the kiosk would wait
            log.exception("looking at the store %s failed", store.root)
            choice = None
        with contextlib.suppress(RuntimeError):
            self.looked.emit(choice, problem)

    def _load_bundled(self, folder: Path) -> None:
        choice = None
        try:
            choice = load_folder(folder, "bundled content")
            if choice is not None:
                choice.index.warm()
        except Exception:  # a bug: logged; the answer still comes
            log.exception("loading the bundled content %s failed", folder)
            choice = None
        with contextlib.suppress(RuntimeError):
            self.bundled_loaded.emit(choice)

    def _roll_back(self, store: Store) -> None:
        try:
            store.rollback()
            error = ""
        except StoreError as err:
            error = str(err)
        with contextlib.suppress(RuntimeError):
            self.rolled_back.emit(error)
