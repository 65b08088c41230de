"""Keeps the running kiosk on the newest good pack, switching only between patients.

It watches the store; when a new pack lands it is checked and loaded at once, but
shown only when nobody is reading (at the next idle reset, or now if the kiosk is
idle on its welcome screen). A pack that fails its checks is logged and skipped.
It also answers the admin panel: status, reload, roll back, test speech.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer

from kiosk.core.review import overdue
from kiosk.core.source import ContentChoice, from_store
from kiosk.core.stats import UsageCounts
from kiosk.core.store import Store, StoreError
from kiosk.ui.staff import StaffInfo
from kiosk.ui.window import MainWindow

log = logging.getLogger("kiosk.store")
SETTLE_MS = 500  # an install swaps links in a few steps; look once it has finished


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
    ) -> None:
        super().__init__(window)
        self._window = window
        self._store = store
        self._keys = trusted_keys
        self._usage = usage
        self.shown = shown
        self.pending: ContentChoice | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.check_store)
        self._watcher = QFileSystemWatcher(self)
        if watch:
            store.root.mkdir(parents=True, exist_ok=True)
            self._watcher.addPath(str(store.root))
            self._watcher.directoryChanged.connect(self._store_changed)
        window.session.reset_done.connect(self.apply_pending)
        window.admin_opened.connect(self.refresh_staff)
        window.staff.reload_requested.connect(self.reload_now)
        window.staff.rollback_requested.connect(self.roll_back)
        window.staff.test_speech_requested.connect(window.test_speech)

    def _store_changed(self, _path: str) -> None:
        self._settle.start()

    def check_store(self) -> None:
        # Keys are read afresh each time: a key trusted since start-up counts now.
        choice = from_store(self._store, self._keys())
        if choice is None or choice.build == self.shown.build:
            return
        log.info("new pack build %s is ready; it shows at the next idle reset", choice.build)
        self.pending = choice
        if self._window.session.is_fresh():
            self.apply_pending()  # nobody is reading: no need to wait

    def apply_pending(self) -> None:
        if self.pending is None:
            return
        choice, self.pending = self.pending, None
        self._window.replace_content(choice.pack, choice.index)
        self.shown = choice
        log.info("now showing %s", choice.origin)

    def reload_now(self) -> None:
        self.check_store()
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
            )
        )

    def _usage_lines(self, today: date) -> tuple[str, ...]:
        if self._usage is None:
            return ()
        totals: dict[tuple[str, str], int] = {}
        for _day, locale, slug, count in self._usage.rows(since=today - timedelta(days=6)):
            totals[(slug, locale)] = totals.get((slug, locale), 0) + count
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
        return tuple(f"{slug} ({locale}): {n}" for (slug, locale), n in ranked)
