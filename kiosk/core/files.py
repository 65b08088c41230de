"""Files and folders the kiosk reads and writes: the file-system primitives, each defined once.

Reading and preparing (tests/test_closed_and_special_files.py and tests/test_surroundings.py):

* ``open_regular`` and ``read_regular`` open a path from the command line or the settings
  only if it is a regular file. A named pipe blocks ``open()`` until someone writes to
  it (``kiosk run --config FIFO`` hung for ever), and a device can be read for ever; so
  the type is checked before the open, and again on what was opened (with O_NONBLOCK,
  so a pipe swapped in between cannot block it either).
* ``prepare_folder`` makes a folder the kiosk writes in (the store, the state folder)
  and says in a few words why it cannot: a link to a disk that is not mounted, a file
  where the folder should be, a read-only file system. It never creates anything
  through a dangling link: that would write onto the disk below an empty mount point.

Writing (tests/test_install_reliability.py kills installs at random moments):

* ``atomic_writer`` and ``write_atomically`` write a file so that a kill or a power cut
  leaves either the old file or the complete new one: a temporary file in the same
  folder, fsynced, renamed over the target, then the folder fsynced so the rename
  itself survives. It replaces only a regular file: ``check_replaceable`` refuses a
  named pipe, a device or a folder at the target (``-o /dev/null`` as root replaced
  /dev/null) before anything is opened. ``write_new`` writes a file that must not exist
  yet (a file of a pack being unpacked, whose folder is renamed into place later),
  ``replace_link`` moves a symbolic link, and ``fsync_dir`` makes a rename in a folder
  durable.
* ``sha256_file`` is the SHA-256 of a file on disk, read a piece at a time.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from kiosk.core.digest import Sha256

_CHUNK = 64 * 1024


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


def check_replaceable(path: Path) -> None:
    """Raise (an OSError, as open() would) if ``path`` holds something other than a
    regular file (links followed), without opening it: what a command is told to write
    must never be a named pipe (the open would block), a device (``/dev/null`` replaced
    by a file) or a folder. Nothing there, or a link to nothing, is fine."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
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


# --- writing ---------------------------------------------------------------------------------


def fsync_dir(path: Path) -> None:
    """Make a rename (or a new file) in the folder ``path`` durable.

    Windows cannot open a folder to do so (nor needs to: NTFS journals its names) and has
    no O_DIRECTORY; a file system that cannot sync folders (EINVAL, ENOTSUP) has nothing
    to do either. Any other OSError is raised: the rename may not survive a power cut."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    except OSError as err:
        if err.errno not in (errno.EINVAL, errno.ENOTSUP):
            raise
    finally:
        os.close(fd)


def _set_mode(fd: int, mode: int) -> None:
    if hasattr(os, "fchmod"):  # whatever the umask says; Windows has no modes (nor fchmod)
        os.fchmod(fd, mode)


def write_new(path: Path, chunks: Iterable[bytes], mode: int = 0o644) -> None:
    """Write a file that must not exist yet (FileExistsError if it does) with permission
    bits ``mode``, and fsync it. The folder is NOT fsynced: a caller writing many files
    (a pack being unpacked) fsyncs each folder once, after the last."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _flag("O_BINARY"), mode)
    try:
        _set_mode(fd, mode)
        for chunk in chunks:
            view = memoryview(chunk)
            while view:
                written = os.write(fd, view)
                view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_writer(path: Path, *, mode: int = 0o644, exclusive: bool = False) -> Iterator[BinaryIO]:
    """A file to write ``path``'s new bytes into (opened ``w+b``, so they can be read back);
    ``path`` holds them once the block ends without an exception, and is untouched if it
    raises. Its folder must exist. OSError if anything cannot be written.

    ``exclusive=True`` is for a file that must never replace another (a private key:
    FileExistsError if ``path`` exists): renaming a temporary file would silently replace
    a key made in the meantime, so the file is created under its own name with O_EXCL,
    which the kernel refuses atomically if the name is taken, and removed again if the
    block fails. A power cut can then leave it half written; it is never a wrong key.

    Otherwise only a regular file (or nothing) at ``path`` is replaced: a named pipe, a
    device or a folder there (``-o /dev/null``, as root, would have become a plain file)
    raises NotARegularFileError or IsADirectoryError before anything is written."""
    if exclusive:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | _flag("O_BINARY"), mode)
        written = path
    else:
        check_replaceable(path)
        # In the same folder: a rename across file systems is not atomic.
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        written = Path(name)
    try:
        _set_mode(fd, mode)
        with os.fdopen(fd, "w+b") as file:
            yield file
            file.flush()
            os.fsync(file.fileno())
        if not exclusive:
            written.replace(path)
    except BaseException:
        written.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def write_atomically(
    path: Path, data: bytes, *, mode: int = 0o644, exclusive: bool = False
) -> None:
    """Replace ``path`` with ``data`` in one step; see atomic_writer."""
    with atomic_writer(path, mode=mode, exclusive=exclusive) as file:
        file.write(data)


def is_temporary(name: str, of: str) -> bool:
    """Whether the folder entry ``name`` is a temporary file atomic_writer made for a file
    named ``of`` (left behind when the process was killed mid-write)."""
    return name.startswith(f".{of}.") and name.endswith(".tmp")


def replace_link(link: Path, target: Path) -> None:
    """Make ``link`` a symbolic link to ``target`` in one step: a new link named
    ``<link>.new`` (one writer at a time: the caller holds a lock) renamed over it, then
    the folder fsynced."""
    temp = link.with_name(f"{link.name}.new")
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()
    temp.symlink_to(target)
    temp.replace(link)
    fsync_dir(link.parent)


def sha256_file(path: Path) -> str:
    """The SHA-256 of the file at ``path`` as 64 lowercase hex digits; OSError if it cannot
    be read."""
    sha = Sha256()
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            sha.update(chunk)
    return sha.hexdigest()
