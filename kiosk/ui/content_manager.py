"""Keeps the running kiosk on the newest good pack, switching only between patients.

It watches the store; when a new pack lands it is checked and loaded at once, but
shown only when nobody is reading (at the next idle reset, or now if the kiosk is
idle on its welcome screen). A pack that fails its checks is logged and skipped.
It also answers the admin panel: status, reload, roll back, test speech.

Installed packs open on their signed manifest alone (kiosk.core.packs.installed), so every
file of a pack is read and checked here, in a worker thread: the pack shown since
start-up a moment after the first screen is up, a new pack before it may be shown.
A pack that fails is never shown again; the previous one (or the bundled content)
takes its place between patients.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer

from kiosk.core.content.review import overdue
from kiosk.core.packs.source import (
    ContentChoice,
    FolderIdentity,
    folder_identity,
    from_store,
    load_folder,
)
from kiosk.core.packs.integrity import verify_installed
from kiosk.core.packs.locks import PackLeases
from kiosk.core.packs.status import StoreError
from kiosk.core.packs.store import Store
from kiosk.core.stats import SMALLEST_EXPORTED_COUNT, UsageCounts
from kiosk.ui.screens.staff import Fault, Part, StaffInfo
from kiosk.ui.system.pack_verifier import PackVerifier
from kiosk.ui.window import MainWindow

log = logging.getLogger("kiosk.store")
SETTLE_MS = 500  # an install swaps links in a few steps; look once it has finished
VERIFY_DELAY_MS = 1000  # let the first screen come up before reading the whole pack


class ContentManager(QObject):
    def __init__(
        self,
        window: MainWindow,
        shown: ContentChoice,
        store: Store,
        trusted_keys: Callable[[], tuple[str, ...]],
        usage: UsageCounts | None,
        *,
        watch: bool,
        bundled: Path | None = None,
        store_problem: str | None = None,
        faults: Callable[[], Iterable[Fault]] = tuple,
    ) -> None:
        """``store_problem``: why the store could not be read at start (see
        Store.check_root), so the kiosk shows the bundled content; ``faults``: what else
        around the kiosk failed, for staff."""
        super().__init__(window)
        self._window = window
        self._store = store
        self._keys = trusted_keys
        self._usage = usage
        self.shown = shown
        self.pending: ContentChoice | None = None
        self._leases = PackLeases()  # so no install deletes what shows, or shows next
        self._bundled = bundled
        self._candidate: ContentChoice | None = None  # a new pack being checked
        self._rejected: set[FolderIdentity] = set()  # installed folders whose files failed
        self._bundled_failed = False
        self._verifier = PackVerifier(self)
        self._verifier.finished.connect(self._verified)
        self._keep_leases()
        if shown.unverified_folder is not None:
            QTimer.singleShot(VERIFY_DELAY_MS, self, self._verify_shown)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.check_store)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._store_changed)
        self._watch = watch
        self._store_problem: str | None = None
        self._faults = faults
        if watch:
            self._store_problem = store_problem or store.check_root()  # makes the folder
            if self._store_problem is None:
                self._watcher.addPath(str(store.root))
            elif store_problem is None:
                log.error("store %s", self._store_problem)
        window.session.reset_done.connect(self.apply_pending)
        window.admin_opened.connect(self.refresh_staff)
        window.staff.reload_requested.connect(self.reload_now)
        window.staff.rollback_requested.connect(self.roll_back)
        window.staff.test_speech_requested.connect(window.test_speech)

    def _store_changed(self, _path: str) -> None:
        self._settle.start()

    @property
    def verifying(self) -> bool:
        return self._verifier.busy

    def _verify_shown(self) -> None:
        if self.shown.unverified_folder is not None:
            self._verifier.start(self.shown.unverified_folder, self._keys())

    def check_store(self, *, wait: bool = False) -> None:
        """Look for a pack to show next; check all its files (in the background unless
        ``wait``) before it may be shown. If the pack on screen failed its check and
        the store has nothing better, the bundled content is next."""
        if not self._store_usable():
            return
        # Keys are read afresh each time: a key trusted since start-up counts now.
        choice = from_store(self._store, self._keys(), frozenset(self._rejected))
        if choice is None:
            if self._is_rejected(self.shown):
                self._fall_back_to_bundled()
            self._keep_leases()
            return
        if choice.folder == self.shown.folder:
            self._candidate = self.pending = None  # the store points back at what shows
        elif self.pending is not None and choice.folder == self.pending.folder:
            pass  # checked already; waiting for the reset
        elif self._candidate is not None and choice.folder == self._candidate.folder:
            pass  # being checked
        elif choice.unverified_folder is None:
            self._make_pending(choice)
        elif wait:
            self._candidate = None
            try:
                verify_installed(choice.unverified_folder, self._keys())
            except StoreError as err:
                self._reject(choice.unverified_folder, str(err), wait=True)
                return
            self._make_pending(choice)
        else:
            self._candidate = choice
            self._verifier.start(choice.unverified_folder, self._keys())
        self._keep_leases()

    def _store_usable(self) -> bool:
        """Whether the store can be read now. One that could not be at start (a disk not
        mounted) is looked at again each time (staff tap Reload content), and watched
        once it can be."""
        if self._store_problem is None:
            return True
        problem = self._store.check_root()
        if problem is not None:
            if problem != self._store_problem:
                log.error("store %s", problem)
            self._store_problem = problem
            return False
        log.info("store %s can be read again; looking for installed packs", self._store.root)
        self._store_problem = None
        self._watcher.addPath(str(self._store.root))
        return True

    def _verified(self, folder_name: str, error: str) -> None:
        folder = Path(folder_name)
        if error:
            self._reject(folder, error)
            return
        candidate = self._candidate
        if candidate is None or candidate.folder != folder:
            return  # the pack on screen passed, or a candidate since given up
        self._candidate = None
        # Still what the store points at? Staff may have rolled back meanwhile.
        latest = from_store(self._store, self._keys(), frozenset(self._rejected))
        if latest is not None and latest.folder == folder:
            self._make_pending(candidate)
        else:
            self.check_store()

    def _fall_back_to_bundled(self) -> None:
        bundled_next = self.pending is not None and self.pending.folder is None
        if self._bundled is None or bundled_next or self._bundled_failed:
            return
        fallback = load_folder(self._bundled, "bundled content")
        if fallback is None:  # logged; staff see the damaged pack named in the log
            self._bundled_failed = True
            return
        self._make_pending(fallback)

    def _reject(self, folder: Path, error: str, *, wait: bool = False) -> None:
        """A pack failed its check: never show it; if it is on screen, move off it
        between patients (damaged articles were never shown: each file is checked as it
        is opened)."""
        log.error("not showing %s: %s", folder, error)
        self._rejected.add(folder_identity(folder))
        if self._candidate is not None and self._candidate.folder == folder:
            self._candidate = None
        if self.pending is not None and self.pending.folder == folder:
            self.pending = None
        self.check_store(wait=wait)

    def _is_rejected(self, choice: ContentChoice) -> bool:
        return choice.folder is not None and folder_identity(choice.folder) in self._rejected

    def _make_pending(self, choice: ContentChoice) -> None:
        log.info("new pack build %s is ready; it shows at the next idle reset", choice.build)
        self.pending = choice
        self._keep_leases()
        if self._window.session.is_fresh() and not self._window.in_staff_mode:
            self.apply_pending()  # nobody is reading: no need to wait

    def _keep_leases(self) -> None:
        # What shows, what shows next and what is being checked must stay on disk.
        self._leases.keep(
            c.folder for c in (self.shown, self.pending, self._candidate) if c is not None
        )

    def apply_pending(self) -> None:
        if self.pending is None:
            return
        choice, self.pending = self.pending, None
        self._window.replace_content(choice.pack, choice.index)
        self.shown = choice
        self._keep_leases()  # the next install may now remove the old folder
        choice.index.warm()  # between patients, so the next first search is quick
        log.info("now showing %s", choice.origin)

    def reload_now(self) -> None:
        self._candidate = None  # staff asked: a check still running must not win later
        self.check_store(wait=True)
        self.apply_pending()
        self.refresh_staff()

    def roll_back(self) -> None:
        try:
            self._store.rollback()
        except StoreError as err:
            log.error("rollback failed: %s", err)
        self.reload_now()

    def refresh_staff(self) -> None:
        pack = self.shown.pack
        today = date.today()
        can_roll_back = False
        try:
            if self._watch and self._store_usable():
                can_roll_back = self._store.previous_pack_dir() is not None
        except StoreError as err:
            log.error("store: %s", err)
        notes: tuple[str, ...] = ()
        if self.pending is not None:
            notes = (f"Waiting for the next idle reset: {self.pending.origin}",)
        self._window.staff.show_info(
            StaffInfo(
                content=(
                    f"{pack.info.title}, content version {pack.info.version} ({self.shown.origin})"
                ),
                signer=self.shown.signer or "not signed (a content folder)",
                overdue=tuple(
                    f"{a.locale}/{a.slug}: review was due {a.review_due}"
                    for a in overdue(pack, today)
                ),
                usage=self._usage_lines(today),
                can_roll_back=can_roll_back,
                can_speak=self._window.can_speak,
                notes=notes,
                problems=self._problems(),
            )
        )

    def _problems(self) -> tuple[Fault, ...]:
        store: list[Fault] = []
        if self._store_problem is not None:
            store.append(Fault(Part.STORE, self._store_problem))
        elif self._watch and (why := self._store.read_only()) is not None:
            store.append(Fault(Part.STORE_READ_ONLY, f"{self._store.root}: {why}"))
        return (*store, *self._faults())

    def _usage_lines(self, today: date) -> tuple[str, ...]:
        if self._usage is None:
            return ()
        totals: dict[tuple[str, str], int] = {}
        try:
            rows = self._usage.rows(since=today - timedelta(days=6))
        except (sqlite3.Error, OSError):  # logged by the counts; staff see it in problems
            return ()
        for _day, locale, slug, count in rows:
            totals[(slug, locale)] = totals.get((slug, locale), 0) + count
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
        # As in every export: a small total could point at one patient (kiosk.core.stats).
        return tuple(
            f"{slug} ({locale}): {n}"
            for (slug, locale), n in ranked
            if n >= SMALLEST_EXPORTED_COUNT
        )
