"""flock(2) claims in the store: one install or rollback at a time, and a running kiosk's
leases on the pack folders it reads.

The kernel drops every one of them when its process dies, so a crash or a kill never
leaves the store locked, nor a pack kept for ever.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from kiosk.core.files import dangling_link
from kiosk.core.packs.status import StoreError, write_error

log = logging.getLogger("kiosk.store")

LOCK = ".lock"
_LOCK_WAIT_S = 30.0


def _flock(fd: int, *, shared: bool) -> None:
    """flock(2): a shared lock (waits), or an exclusive one that fails at once (raises
    BlockingIOError) if another holds it. fcntl is imported here, not at the top: the
    store runs on a kiosk (Linux), while the commands staff run on their editing
    computer (Windows too, which has no fcntl) import this module."""
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX | fcntl.LOCK_NB)


@contextlib.contextmanager
def store_lock(root: Path) -> Iterator[None]:
    """Hold the store at ``root`` for one install or rollback, waiting up to 30 s for
    another to finish. StoreError if it stays busy, or if the lock cannot be made."""
    link = dangling_link(root)
    if link is not None:  # its disk is not mounted: never write below the mount point
        raise StoreError(
            f"cannot use the store at {root}: {link} is a link to "
            f"{link.readlink()}, which does not exist (is its disk mounted?)"
        )
    try:
        root.mkdir(parents=True, exist_ok=True)
        fd = os.open(root / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise write_error(root, err) from None
    try:
        deadline = time.monotonic() + _LOCK_WAIT_S
        while True:
            try:
                _flock(fd, shared=False)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(
                        f"the store at {root} is busy with another install or "
                        "rollback; try again when it has finished"
                    ) from None
                time.sleep(0.1)
        yield
    finally:
        os.close(fd)


class PackLease:
    """A running kiosk's claim on the pack folder it shows.

    Articles and images are read from that folder while patients use the kiosk, and a
    new pack only replaces it at the next idle reset; two installs in between would
    otherwise delete it. The claim is a shared flock on the folder itself (the folder
    must hold exactly the signed files, so no lock file goes inside). The kernel drops
    it if the kiosk dies, so a crash never keeps a pack forever.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fd: int | None = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        _flock(self._fd, shared=True)

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None


class PackLeases:
    """The leases a running kiosk holds: on the pack it shows, the one waiting for the
    next reset, and the one being checked. ``keep`` takes and drops them to match."""

    def __init__(self) -> None:
        self._held: dict[Path, PackLease] = {}

    def keep(self, folders: Iterable[Path | None]) -> None:
        wanted = {f for f in folders if f is not None}
        for folder in list(self._held):
            if folder not in wanted:
                self._held.pop(folder).release()
        for folder in wanted - set(self._held):
            try:
                self._held[folder] = PackLease(folder)
            except OSError as err:  # gone already: a check of it fails and says so
                log.warning("cannot hold %s: %s", folder, err.strerror)

    @property
    def folders(self) -> set[Path]:
        return set(self._held)


def held_by_a_kiosk(folder: Path) -> bool:
    """True while a running kiosk holds a PackLease on ``folder``."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return False
    try:
        _flock(fd, shared=False)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False
