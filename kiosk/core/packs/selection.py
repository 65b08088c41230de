"""Which content the running kiosk shows next, decided apart from doing it.

A pure state machine, as python-tuf keeps its trust decisions in its trusted metadata
set: ``step`` takes a ``Selection`` (an immutable value) and an event, and returns the
next ``Selection`` and the actions to carry out. Nothing here reads a file, starts a
thread or touches a widget: kiosk/ui/content_manager.py does, and feeds back what came
of it as further events. The rules: an installed pack opened on its signed manifest
alone shows only once every file passed a check, and a pack that fails never shows
(the previous pack, else the bundled content, takes its place); new content shows
between patients, or at once when nobody is reading or staff ask; a check whose pack
is no longer the store's choice never wins later.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any, Generic

from kiosk.core.packs.selection_events import (
    Action,
    BundledLoaded,
    C,
    CheckFailed,
    CheckPassed,
    Event,
    FirstScreenUp,
    FolderIdentity,
    LoadBundled,
    LookAtStore,
    NeverShow,
    Offer,
    PatientLeft,
    Ready,
    ReportToStaff,
    RollbackFailed,
    RollbackFinished,
    RollBackStore,
    RootChecked,
    ShowNow,
    StaffReload,
    StaffRollback,
    StoreChanged,
    StoreLooked,
    StoreReadable,
    StoreTouched,
    StoreUnreadable,
    Verify,
    WaitForStoreToSettle,
)


class Awaiting(Enum):
    """Work under way whose answer comes back as an event."""

    LOOK = "a look at the store"
    BUNDLED = "the bundled content loading"
    ROLLBACK = "a roll back of the store"


@dataclass(frozen=True)
class Selection(Generic[C]):
    """What shows, what shows next and what is being checked, and what is known."""

    shown: C
    next: C | None = None  # passed its checks; shows at the next reset
    checking: C | None = None  # every file being read against the signed manifest
    rejected: frozenset[FolderIdentity] = frozenset()  # folders whose check failed
    shown_failed: bool = False  # the pack on screen failed its check
    can_fall_back: bool = True  # bundled content exists and has not failed to load
    store_problem: str | None = None  # why the store cannot be read now
    awaiting: frozenset[Awaiting] = frozenset()
    staff_waiting: bool = False  # staff tapped Reload or Roll back: show and tell them

    @property
    def held_folders(self) -> frozenset[Path]:
        """Folders that must stay on disk: what shows, what shows next, what is checked."""
        offers = (self.shown, self.next, self.checking)
        return frozenset(c.folder for c in offers if c is not None and c.folder is not None)

    @property
    def settled(self) -> bool:
        """Nothing is being checked, looked at, loaded or rolled back."""
        return self.checking is None and not self.awaiting


Step = tuple[Selection[C], tuple[Action, ...]]


def step(state: Selection[C], event: Event) -> Step[C]:
    """The next selection after ``event``, and what to do about it."""
    handle: Callable[[Selection[C], Any], Step[C]] = _HANDLERS[type(event)]
    after, actions = handle(state, event)
    return _answer_staff(after, actions)


def _first_screen_up(s: Selection[C], _e: FirstScreenUp) -> Step[C]:
    folder = s.shown.folder
    if s.shown.verified or folder is None:
        return s, ()
    return s, (Verify(folder),)


def _store_touched(s: Selection[C], _e: StoreTouched) -> Step[C]:
    return _awaiting(s, Awaiting.LOOK), (WaitForStoreToSettle(),)


def _look(s: Selection[C], _e: StoreChanged | None = None) -> Step[C]:
    look = LookAtStore(recheck_root=s.store_problem is not None, rejected=s.rejected)
    return _awaiting(s, Awaiting.LOOK), (look,)


def _root_checked(s: Selection[C], e: RootChecked) -> Step[C]:
    return _store_readable(s, e.problem)


def _store_readable(s: Selection[C], problem: str | None) -> Step[C]:
    if problem is not None:
        said = (StoreUnreadable(problem),) if problem != s.store_problem else ()
        return replace(s, store_problem=problem), said
    if s.store_problem is not None:
        return replace(s, store_problem=None), (StoreReadable(),)
    return s, ()


def _store_looked(s: Selection[C], e: StoreLooked[C]) -> Step[C]:
    s, said = _store_readable(_done(s, Awaiting.LOOK), e.problem)
    if s.store_problem is not None:
        return s, said
    s, actions = _consider(s, e.choice, e.nobody_reading)
    return s, said + actions


def _consider(s: Selection[C], choice: C | None, nobody_reading: bool) -> Step[C]:
    """The store's choice, against what shows, what waits and what is being checked."""
    if choice is None:
        return _fall_back(s) if s.shown_failed else (s, ())
    if choice.folder == s.shown.folder:
        return replace(s, next=None, checking=None), ()  # the store points back at it
    if _at(s.next, choice.folder) or _at(s.checking, choice.folder):
        return s, ()  # waiting for the reset, or being checked
    if choice.verified or choice.folder is None:
        return _ready(s, choice, nobody_reading)  # read in full as it was opened
    return replace(s, checking=choice), (Verify(choice.folder),)


def _fall_back(s: Selection[C]) -> Step[C]:
    bundled_next = s.next is not None and s.next.folder is None
    if not s.can_fall_back or bundled_next or Awaiting.BUNDLED in s.awaiting:
        return s, ()
    return _awaiting(s, Awaiting.BUNDLED), (LoadBundled(),)


def _bundled_loaded(s: Selection[C], e: BundledLoaded[C]) -> Step[C]:
    s = _done(s, Awaiting.BUNDLED)
    if e.choice is None:
        return replace(s, can_fall_back=False), ()  # logged by the loader; tried once
    return _ready(s, e.choice, e.nobody_reading)


def _check_passed(s: Selection[C], e: CheckPassed) -> Step[C]:
    checked = s.checking
    if checked is None or checked.folder != e.folder:
        return s, ()  # the pack on screen passed, or a pack since given up
    s = replace(s, checking=None)
    if Awaiting.LOOK in s.awaiting:
        return s, ()  # the store changed meanwhile: the coming look decides
    return _ready(s, checked, e.nobody_reading)


def _check_failed(s: Selection[C], e: CheckFailed) -> Step[C]:
    s = replace(
        s,
        rejected=s.rejected | {e.identity},
        checking=None if _at(s.checking, e.folder) else s.checking,
        next=None if _at(s.next, e.folder) else s.next,
        shown_failed=s.shown_failed or s.shown.folder == e.folder,
    )
    s, look = _look(s)  # the previous pack, or the bundled content, is next
    return s, (NeverShow(e.folder, e.error), *look)


def _ready(s: Selection[C], content: C, nobody_reading: bool) -> Step[C]:
    s = replace(s, next=content)
    if not nobody_reading:
        return s, (Ready(content),)
    s, shown = _show_next(s)
    return s, (Ready(content), *shown)


def _show_next(s: Selection[C]) -> Step[C]:
    if s.next is None:
        return s, ()
    return replace(s, shown=s.next, next=None, shown_failed=False), (ShowNow(s.next),)


def _patient_left(s: Selection[C], _e: PatientLeft) -> Step[C]:
    # Leaving the admin panel resets the kiosk too: staff are gone, so a Reload or Roll
    # back still under way ends as any new pack does, at a reset or on an idle screen,
    # never under the eyes of the patient who comes next.
    return _show_next(replace(s, staff_waiting=False))


def _staff_reload(s: Selection[C], _e: StaffReload | None = None) -> Step[C]:
    # A check still running must not win later: the look starts what is needed again.
    return _look(replace(s, checking=None, staff_waiting=True))


def _staff_rollback(s: Selection[C], _e: StaffRollback) -> Step[C]:
    if Awaiting.ROLLBACK in s.awaiting:
        return s, ()  # one at a time: a second tap would swap back
    s = replace(_awaiting(s, Awaiting.ROLLBACK), staff_waiting=True)
    return s, (RollBackStore(),)


def _rollback_finished(s: Selection[C], e: RollbackFinished) -> Step[C]:
    said = (RollbackFailed(e.error),) if e.error else ()
    # staff_waiting stays as it is: True if staff are still in the panel, False if they
    # left while the roll back ran (then the rolled-back pack waits for a reset).
    s, actions = _look(replace(_done(s, Awaiting.ROLLBACK), checking=None))
    return s, said + actions


def _answer_staff(s: Selection[C], actions: tuple[Action, ...]) -> Step[C]:
    """Once staff's request has run its course: what is next shows now, and they see it."""
    if not s.staff_waiting or not s.settled:
        return s, actions
    s, shown = _show_next(replace(s, staff_waiting=False))
    return s, (*actions, *shown, ReportToStaff())


def _at(content: Offer | None, folder: Path | None) -> bool:
    return content is not None and content.folder == folder


def _awaiting(s: Selection[C], work: Awaiting) -> Selection[C]:
    return replace(s, awaiting=s.awaiting | {work})


def _done(s: Selection[C], work: Awaiting) -> Selection[C]:
    return replace(s, awaiting=s.awaiting - {work})


_HANDLERS: dict[type[Event], Callable[[Selection[Any], Any], Step[Any]]] = {
    FirstScreenUp: _first_screen_up,
    StoreTouched: _store_touched,
    StoreChanged: _look,
    StoreLooked: _store_looked,
    RootChecked: _root_checked,
    CheckPassed: _check_passed,
    CheckFailed: _check_failed,
    BundledLoaded: _bundled_loaded,
    PatientLeft: _patient_left,
    StaffReload: _staff_reload,
    StaffRollback: _staff_rollback,
    RollbackFinished: _rollback_finished,
}
