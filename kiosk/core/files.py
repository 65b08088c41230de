"""Files and folders the kiosk is pointed at: opened only if they are what they should be.

Two primitives, each defined once (tests/test_closed_and_special_files.py and
tests/test_surroundings.py):

* ``open_regular`` and ``read_regular`` open a path from the command line or the settings
  only if it is a regular file. A named pipe blocks ``open()`` until someone writes to
  it (``kiosk run --config FIFO`` hung for ever), and a device can be read for ever; so
  the type is checked before the open, and again on what was opened (with O_NONBLOCK,
  so a pipe swapped in between cannot block it either).
* ``prepare_folder`` makes a folder the kiosk writes in (the store, the state folder)
  and says in a few words why it cannot: a link to a disk that is not mounted, a file
  where the folder should be, a read-only file system. It never creates anything
  through a dangling link: that would write onto the disk below an empty mount point.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO


class NotARegularFileError(OSError):
    """``path`` is a named pipe, a socket, a device (or a folder): not a file to read.

    Its ``strerror`` reads "it is a named pipe (FIFO), not a regular file"."""


def kind_of(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words: "a named pipe (FIFO)"."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    return "not a plain file"


def _refuse(path: Path, mode: int) -> OSError:
    if stat.S_ISDIR(mode):
        return IsADirectoryError(errno.EISDIR, "it is a folder, not a regular file", str(path))
    return NotARegularFileError(
        errno.EINVAL, f"it is {kind_of(mode)}, not a regular file", str(path)
    )


def check_regular(path: Path) -> None:
    """Raise (an OSError, as open() would) unless ``path`` is a regular file, without
    opening it. FileNotFoundError if there is nothing there."""
    mode = path.stat().st_mode
    if not stat.S_ISREG(mode):
        raise _refuse(path, mode)


def _flag(name: str) -> int:
    """The os.open flag ``name``, or 0 where this system has none (Windows lacks the
    POSIX ones; POSIX lacks O_BINARY)."""
    return int(getattr(os, name, 0))


def open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading in binary, if it is a regular file (links followed).

    Raises FileNotFoundError, IsADirectoryError, NotARegularFileError or another OSError:
    every one has ``strerror`` and ``filename`` for a one-line message."""
    check_regular(path)
    # Not blocking, not a terminal: a named pipe or a tty can then never hold the open.
    # Windows (staff's editing computers) has none of these, but binary mode.
    flags = os.O_RDONLY | _flag("O_NONBLOCK") | _flag("O_NOCTTY") | _flag("O_CLOEXEC")
    fd = os.open(path, flags | _flag("O_BINARY"))
    try:
        mode = os.fstat(fd).st_mode  # what was opened, not what was there a moment ago
        if not stat.S_ISREG(mode):
            raise _refuse(path, mode)
        if hasattr(os, "set_blocking"):  # Python 3.11 on Windows has none
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file (at most ``limit`` + 1, so a caller can tell that it
    is too large); see open_regular for what is refused."""
    with open_regular(path) as file:
        return file.read() if limit is None else file.read(limit + 1)


# --- folders the kiosk writes in -----------------------------------------------------------


class FolderError(OSError):
    """A folder the kiosk needs cannot be used; ``str()`` is one clause naming it and
    why: "/mnt/disk/store: a link to /media/usb/store, which does not exist (is its
    disk mounted?)"."""

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def dangling_link(path: Path) -> Path | None:
    """The link on the way to ``path`` that points at nothing (``path`` itself or a
    folder above it), or None."""
    for step in (path, *path.parents):
        if step.is_symlink() and not step.exists():
            return step
        if step.exists():
            return None
    return None


def read_only_reason(path: Path) -> str | None:
    """Why nothing can be written in the folder ``path``, or None if something can."""
    if os.access(path, os.W_OK | os.X_OK):
        return None
    try:
        if hasattr(os, "statvfs") and os.statvfs(path).f_flag & os.ST_RDONLY:
            return "it is on a read-only file system"
    except OSError:
        pass
    return "permission denied: the kiosk's user cannot write in it"


def prepare_folder(path: Path, *, writable: bool = True) -> None:
    """Make sure ``path`` is a folder the kiosk can use, creating it and the folders
    above it if they are missing. Raises FolderError naming the cause."""
    link = dangling_link(path)
    if link is not None:
        which = "it" if link == path else str(link)
        raise FolderError(
            errno.ENOENT,
            f"{which} is a link to {link.readlink()}, which does not exist (is its disk mounted?)",
            str(path),
        )
    if path.exists() and not path.is_dir():
        what = "a file" if path.is_file() else kind_of(path.stat().st_mode)
        raise FolderError(errno.ENOTDIR, f"it is {what}, not a folder", str(path))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        reason = "read-only file system" if err.errno == errno.EROFS else err.strerror
        raise FolderError(
            err.errno or errno.EIO, f"cannot create it ({reason or err})", str(path)
        ) from None
    if not os.access(path, os.R_OK | os.X_OK):
        raise FolderError(errno.EACCES, "the kiosk's user cannot read it", str(path))
    if writable:
        reason = read_only_reason(path)
        if reason is not None:
            raise FolderError(errno.EROFS, reason, str(path))
