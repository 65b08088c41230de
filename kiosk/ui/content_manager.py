"""Keeps the running kiosk on the newest good pack, switching only between patients.

What to show, and when, is decided by kiosk.core.packs.selection, a pure state
machine. This module only carries out its actions and feeds back what came of them:
it watches the store and opens the store's choice, has every file of an installed
pack read in a worker thread (PackVerifier; staff's Reload and Roll back too, so the
GUI thread never hashes a pack), swaps the content when told, holds leases on the
folders in use, and reports to staff. It also answers the admin panel: status,
reload, roll back.

Installed packs open on their signed manifest alone (kiosk.core.packs.installed): the
pack shown since start-up is read in full a moment after the first screen is up, a
new pack before it may be shown. A pack that fails is never shown; the previous one
(or the bundled content) takes its place between patients.
"""

from __future__ import annotations

import logging
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal, SignalInstance

from kiosk.core.content.pack import Pack
from kiosk.core.content.review import overdue
from kiosk.core.packs import selection as sel
from kiosk.core.packs import selection_events as sev
from kiosk.core.packs.locks import PackLeases
from kiosk.core.packs.source import ContentChoice, folder_identity
from kiosk.core.packs.status import StoreError
from kiosk.core.packs.store import Store
from kiosk.core.search.index import SearchIndex
from kiosk.core.stats import SMALLEST_EXPORTED_COUNT, UsageCounts
from kiosk.ui.screens.staff import Fault, Part, StaffInfo, StaffSection
from kiosk.ui.session import Session
from kiosk.ui.system.pack_verifier import PackVerifier

log = logging.getLogger("kiosk.store")
SETTLE_MS = 500  # an install swaps links in a few steps; look once it has finished
VERIFY_DELAY_MS = 1000  # let the first screen come up before reading the whole pack


class PackDisplay(Protocol):
    """Something that can show a pack, and says whether anyone is using it."""

    def replace_content(self, pack: Pack, index: SearchIndex) -> None: ...

    def nobody_reading(self) -> bool:
        """True on a fresh kiosk with no staff in the admin panel: content may change."""
        ...


class StaffDesk(Protocol):
    """Something that reports to staff: the admin panel's content section."""

    def show_info(self, info: StaffInfo) -> None: ...


class ContentManager(QObject):
    """Carries out kiosk.core.packs.selection's decisions, one event at a time."""

    shown_changed = Signal()  # other content is on screen
    next_ready = Signal()  # a pack passed its checks; it shows at the next reset
    refused = Signal(str)  # the folder of a pack that failed its check

    def __init__(
        self,
        display: PackDisplay,
        staff: StaffDesk,
        shown: ContentChoice,
        store: Store,
        trusted_keys: Callable[[], tuple[str, ...]],
        usage: UsageCounts | None,
        *,
        watch: bool,
        bundled: Path | None = None,
        store_problem: str | None = None,
        faults: Callable[[], Iterable[Fault]] = tuple,
        parent: QObject | None = None,
    ) -> None:
        """``store_problem``: why the store could not be read at start (see
        Store.check_root), so the kiosk shows the bundled content; ``faults``: what else
        around the kiosk failed, for staff."""
        super().__init__(parent)
        self._display, self._staff = display, staff
        self._store, self._keys, self._usage = store, trusted_keys, usage
        self._watch, self._bundled, self._faults = watch, bundled, faults
        self._leases = PackLeases()  # so no install deletes what shows, or shows next
        self._events: deque[sev.Event] = deque()
        self._stepping = False
        self._verifier = PackVerifier(self)
        self._verifier.finished.connect(self._check_finished)
        self._verifier.rolled_back.connect(self._rollback_finished)
        self._verifier.looked.connect(self._store_looked)
        self._verifier.bundled_loaded.connect(self._bundled_loaded)
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.check_store)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(self._store_touched)
        problem = None
        if watch:
            problem = store_problem or store.check_root()  # makes the folder
            if problem is None:
                self._watcher.addPath(str(store.root))
            elif store_problem is None:
                log.error("store %s", problem)
        self._state = sel.Selection(shown, store_problem=problem, can_fall_back=bool(bundled))
        self._leases.keep(self._state.held_folders)
        QTimer.singleShot(VERIFY_DELAY_MS, self, self._first_screen_up)

    # --- what others see and ask ----------------------------------------------------

    @property
    def state(self) -> sel.Selection[ContentChoice]:
        return self._state

    @property
    def shown(self) -> ContentChoice:
        return self._state.shown

    @property
    def pending(self) -> ContentChoice | None:
        return self._state.next

    @property
    def verifying(self) -> bool:
        return self._verifier.busy

    def check_store(self) -> None:
        """Look at the store now (the store settled after a change)."""
        self._feed(sev.StoreChanged())

    def apply_pending(self) -> None:
        """Between patients: what passed its checks shows now."""
        self._feed(sev.PatientLeft())

    def reload_now(self) -> None:
        self._feed(sev.StaffReload())

    def roll_back(self) -> None:
        self._feed(sev.StaffRollback())

    def refresh_staff(self) -> None:
        """Staff opened the panel: a store that could not be read is looked at again."""
        if self._watch and self._state.store_problem is not None:
            self._feed(sev.RootChecked(self._store.check_root()))
        self._report_to_staff()

    # --- events in ------------------------------------------------------------------

    def _feed(self, event: sev.Event) -> None:
        """Each event runs to completion: actions' answers wait their turn."""
        self._events.append(event)
        if self._stepping:
            return
        self._stepping = True
        try:
            while self._events:
                before = self._state
                self._state, actions = sel.step(before, self._events.popleft())
                self._leases.keep(before.held_folders | self._state.held_folders)
                for action in actions:
                    _CARRY_OUT[type(action)](self, action)
                self._leases.keep(self._state.held_folders)  # an install may tidy the rest
        finally:
            self._stepping = False

    def _first_screen_up(self) -> None:
        self._feed(sev.FirstScreenUp())
        if self._watch and self._state.store_problem is None:
            # Chosen from the store before the watcher was on it: a pack installed in
            # between (a fleet check as the kiosk starts) changed nothing it could see.
            self.check_store()

    def _store_touched(self, _path: str) -> None:
        self._feed(sev.StoreTouched())

    def _check_finished(self, folder_name: str, error: str) -> None:
        folder = Path(folder_name)
        if error:
            self._feed(sev.CheckFailed(folder, folder_identity(folder), error))
        else:
            self._feed(sev.CheckPassed(folder, self._display.nobody_reading()))

    def _rollback_finished(self, error: str) -> None:
        self._feed(sev.RollbackFinished(error))

    # --- actions out ----------------------------------------------------------------

    def _verify(self, action: sev.Verify) -> None:
        # Keys are read afresh each time: a key trusted since start-up counts now.
        self._verifier.start(action.folder, self._keys())

    def _wait_for_store(self, _action: sev.WaitForStoreToSettle) -> None:
        self._settle.start()

    def _look_at_store(self, action: sev.LookAtStore) -> None:
        # In a worker: opening a pack hashes its pack.toml and catalogue, and a pack of
        # another kiosk version's index is read and indexed in full.
        self._verifier.look(self._store, self._keys(), action.rejected, action.recheck_root)

    def _store_looked(self, choice: ContentChoice | None, problem: str | None) -> None:
        self._feed(sev.StoreLooked(choice, problem, self._display.nobody_reading()))

    def _load_bundled(self, _action: sev.LoadBundled) -> None:
        if self._bundled is None:
            self._bundled_loaded(None)
        else:
            self._verifier.load_bundled(self._bundled)

    def _bundled_loaded(self, choice: ContentChoice | None) -> None:
        self._feed(sev.BundledLoaded(choice, self._display.nobody_reading()))

    def _roll_back_store(self, _action: sev.RollBackStore) -> None:
        self._verifier.roll_back(self._store)

    def _ready(self, action: sev.Ready[ContentChoice]) -> None:
        log.info(
            "new pack build %s is ready; it shows at the next idle reset", action.content.build
        )
        self._report_to_staff()  # a panel open meanwhile says which version waits
        self.next_ready.emit()

    def _show_now(self, action: sev.ShowNow[ContentChoice]) -> None:
        choice = action.content
        self._display.replace_content(choice.pack, choice.index)
        choice.index.warm()  # warmed in the worker that opened it: here, at once
        log.info("now showing %s", choice.origin)
        self.shown_changed.emit()

    def _never_show(self, action: sev.NeverShow) -> None:
        log.error("not showing %s: %s", action.folder, action.reason)
        self.refused.emit(str(action.folder))

    def _store_unreadable(self, action: sev.StoreUnreadable) -> None:
        log.error("store %s", action.problem)

    def _store_readable(self, _action: sev.StoreReadable) -> None:
        log.info("store %s can be read again; looking for installed packs", self._store.root)
        self._watcher.addPath(str(self._store.root))

    def _rollback_failed(self, action: sev.RollbackFailed) -> None:
        log.error("rollback failed: %s", action.reason)

    def _report_to_staff(self, _action: sev.ReportToStaff | None = None) -> None:
        today = date.today()
        can_roll_back, store_faults = store_report(self._store, self._state, watch=self._watch)
        self._staff.show_info(
            staff_info(
                self._state,
                usage=usage_lines(self._usage, today),
                can_roll_back=can_roll_back,
                problems=(*store_faults, *self._faults()),
                today=today,
            )
        )


_CARRY_OUT: dict[type[sev.Action], Callable[[ContentManager, Any], None]] = {
    sev.Verify: ContentManager._verify,
    sev.WaitForStoreToSettle: ContentManager._wait_for_store,
    sev.LookAtStore: ContentManager._look_at_store,
    sev.LoadBundled: ContentManager._load_bundled,
    sev.RollBackStore: ContentManager._roll_back_store,
    sev.Ready: ContentManager._ready,
    sev.ShowNow: ContentManager._show_now,
    sev.NeverShow: ContentManager._never_show,
    sev.StoreUnreadable: ContentManager._store_unreadable,
    sev.StoreReadable: ContentManager._store_readable,
    sev.RollbackFailed: ContentManager._rollback_failed,
    sev.ReportToStaff: ContentManager._report_to_staff,
}


def store_report(
    store: Store, state: sel.Selection[ContentChoice], *, watch: bool
) -> tuple[bool, tuple[Fault, ...]]:
    """For staff: whether the store can roll back, and what is wrong with it."""
    if not watch:
        return False, ()
    if state.store_problem is not None:
        return False, (Fault(Part.STORE, state.store_problem),)
    can_roll_back = False
    try:
        can_roll_back = store.previous_pack_dir() is not None
    except StoreError as err:
        log.error("store: %s", err)
    if (why := store.read_only()) is not None:
        return can_roll_back, (Fault(Part.STORE_READ_ONLY, f"{store.root}: {why}"),)
    return can_roll_back, ()


def staff_info(
    state: sel.Selection[ContentChoice],
    *,
    usage: tuple[str, ...],
    can_roll_back: bool,
    problems: tuple[Fault, ...],
    today: date,
) -> StaffInfo:
    """What staff see of the content: what shows, what waits, what is overdue."""
    shown, pack = state.shown, state.shown.pack
    notes: tuple[str, ...] = ()
    if state.next is not None:
        waiting = state.next.pack.info.version
        notes = (
            f"Content version {waiting} is ready: patients see it once you go back to the "
            f"patient screen, or at the next idle reset ({state.next.origin})",
        )
    return StaffInfo(
        content=f"{pack.info.title}, content version {pack.info.version} ({shown.origin})",
        signer=shown.signer or "not signed (a content folder)",
        overdue=tuple(
            f"{a.locale}/{a.slug}: review was due {a.review_due}" for a in overdue(pack, today)
        ),
        usage=usage,
        can_roll_back=can_roll_back,
        notes=notes,
        problems=problems,
    )


def usage_lines(usage: UsageCounts | None, today: date) -> tuple[str, ...]:
    """The most read articles of the last seven days, as in every export."""
    if usage is None:
        return ()
    totals: dict[tuple[str, str], int] = {}
    try:
        rows = usage.rows(since=today - timedelta(days=6))
    except (sqlite3.Error, OSError):  # logged by the counts; staff see it in problems
        return ()
    for _day, locale, slug, count in rows:
        totals[(slug, locale)] = totals.get((slug, locale), 0) + count
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    # As in every export: a small total could point at one patient (kiosk.core.stats).
    return tuple(
        f"{slug} ({locale}): {n}" for (slug, locale), n in ranked if n >= SMALLEST_EXPORTED_COUNT
    )


# --- the window's side ------------------------------------------------------------------


class KioskWindow(Protocol):
    """What the content manager's wiring uses of the kiosk's window (and its parts)."""

    @property
    def session(self) -> Session: ...
    @property
    def staff(self) -> StaffSection: ...
    @property
    def admin_opened(self) -> SignalInstance: ...
    @property
    def in_staff_mode(self) -> bool: ...
    @property
    def can_speak(self) -> bool: ...
    def replace_content(self, pack: Pack, index: SearchIndex) -> None: ...
    def test_speech(self) -> None: ...


class WindowDisplay:
    """The kiosk's window as a PackDisplay and a StaffDesk."""

    def __init__(self, window: KioskWindow) -> None:
        self._window = window

    def replace_content(self, pack: Pack, index: SearchIndex) -> None:
        self._window.replace_content(pack, index)

    def nobody_reading(self) -> bool:
        return self._window.session.is_fresh() and not self._window.in_staff_mode

    def show_info(self, info: StaffInfo) -> None:
        self._window.staff.show_info(replace(info, can_speak=self._window.can_speak))


def connect_to_window(manager: ContentManager, window: KioskWindow) -> None:
    """The content manager's connections to the window: between patients, and the
    admin panel's content section."""
    window.session.reset_done.connect(manager.apply_pending)
    window.admin_opened.connect(manager.refresh_staff)
    window.staff.reload_requested.connect(manager.reload_now)
    window.staff.rollback_requested.connect(manager.roll_back)
    window.staff.test_speech_requested.connect(window.test_speech)
