"""What the content-selection machine hears and what it asks for (selection.py).

Events are what happened around the kiosk (the store changed, a check ended, a patient
left, staff tapped a button); actions are what the machine asks kiosk/ui/content_manager.py
to do. All are immutable values, so a test can write a whole history down as a list.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, Protocol, TypeVar

FolderIdentity = tuple[str, int]  # a pack folder as a check saw it: path and inode


class Offer(Protocol):
    """What the machine needs to know of content it may show (a ContentChoice)."""

    @property
    def folder(self) -> Path | None: ...  # an installed pack's; None for a content folder

    @property
    def verified(self) -> bool: ...  # False: opened on its manifest, every file to check


C = TypeVar("C", bound=Offer)


@dataclass(frozen=True)
class Event:
    """Something that happened, fed to ``step``."""


@dataclass(frozen=True)
class FirstScreenUp(Event):
    """The first screen is up: time to read the whole of the pack it shows."""


@dataclass(frozen=True)
class StoreTouched(Event):
    """A file of the store changed; an install swaps links in a few steps."""


@dataclass(frozen=True)
class StoreChanged(Event):
    """The store has settled (or someone asks): look at what it offers now."""


@dataclass(frozen=True)
class StoreLooked(Event, Generic[C]):
    """The store's choice (None: nothing it offers opens), or why it cannot be read."""

    choice: C | None
    problem: str | None = None
    nobody_reading: bool = False


@dataclass(frozen=True)
class RootChecked(Event):
    """The store's folder was looked at again (staff opened the panel)."""

    problem: str | None


@dataclass(frozen=True)
class CheckPassed(Event):
    """Every file of ``folder`` matched its signed manifest."""

    folder: Path
    nobody_reading: bool = False


@dataclass(frozen=True)
class CheckFailed(Event):
    """A file of ``folder`` did not match, or could not be read."""

    folder: Path
    identity: FolderIdentity
    error: str


@dataclass(frozen=True)
class BundledLoaded(Event, Generic[C]):
    """The bundled content, loaded (None: it could not be)."""

    choice: C | None
    nobody_reading: bool = False


@dataclass(frozen=True)
class PatientLeft(Event):
    """The idle reset, or Quick exit: nobody is reading now."""


@dataclass(frozen=True)
class StaffReload(Event):
    """Staff tapped Reload content."""


@dataclass(frozen=True)
class StaffRollback(Event):
    """Staff tapped Roll back to the previous pack."""


@dataclass(frozen=True)
class RollbackFinished(Event):
    """The store's roll back ended; ``error`` says why it did not happen."""

    error: str = ""


@dataclass(frozen=True)
class Action:
    """Something to do, returned by ``step``."""


@dataclass(frozen=True)
class Verify(Action):
    """Read every file of ``folder`` against its manifest, off the GUI thread."""

    folder: Path


@dataclass(frozen=True)
class WaitForStoreToSettle(Action):
    """Answer with StoreChanged once the store has been still for a moment."""


@dataclass(frozen=True)
class LookAtStore(Action):
    """Open the store's choice, passing over ``rejected`` folders (``recheck_root``: first
    its folder, which could not be read last time)."""

    recheck_root: bool
    rejected: frozenset[FolderIdentity]


@dataclass(frozen=True)
class LoadBundled(Action):
    """Load the bundled content; answer with BundledLoaded."""


@dataclass(frozen=True)
class RollBackStore(Action):
    """Point the store back at its previous pack, off the GUI thread."""


@dataclass(frozen=True)
class Ready(Action, Generic[C]):
    """``content`` passed its checks: it shows at the next reset (or now: ShowNow)."""

    content: C


@dataclass(frozen=True)
class ShowNow(Action, Generic[C]):
    """Put ``content`` on screen."""

    content: C


@dataclass(frozen=True)
class NeverShow(Action):
    """The pack in ``folder`` failed its check: say why (staff read it in the log)."""

    folder: Path
    reason: str


@dataclass(frozen=True)
class StoreUnreadable(Action):
    """The store cannot be read (a disk not mounted): say why, once."""

    problem: str


@dataclass(frozen=True)
class StoreReadable(Action):
    """The store can be read again: say so, and watch it."""


@dataclass(frozen=True)
class RollbackFailed(Action):
    """Staff's roll back did not happen: say why."""

    reason: str


@dataclass(frozen=True)
class ReportToStaff(Action):
    """Staff's request is done: show them what shows now."""
