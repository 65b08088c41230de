"""Installed content packs: verify, install atomically, roll back.

Layout of a store::

    root/packs/<version>-<pack_id>/   an unpacked pack: content/, search.sqlite,
                                      manifest.json, manifest.sig
    root/current  -> packs/...        relative symbolic links; the kiosk shows current
    root/previous -> packs/...
    root/state.json                   {"highest_version": N}, so downgrades are refused
                                      (and "forgiven_versions": builds from the future
                                      that reset_version forgot, and "installed_versions";
                                      see kiosk.core.packs.buildorder)
    root/.lock                        flock: one install or rollback at a time

Installing verifies the .kpack in memory first (nothing is written before that), unpacks
it into ``packs/.incoming-*``, fsyncs every file and folder, checks the unpacked digests
again, renames the folder into place and fsyncs ``packs/``. Only then do the links move,
each by writing a new link and renaming it over the old one (``os.replace``), with the
root folder fsynced after. So a kill or power cut at any moment leaves ``current`` at a
complete, verified pack: the old one or the new one. Leftovers of an interrupted install
are removed by the next one.

A pack built more than a day after the kiosk's clock is refused: its build number would
hold every later pack back as a downgrade (kiosk/core/packs/buildorder.py).
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import json
import logging
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeGuard

from kiosk.core.errors import KioskError
from kiosk.core.files import (
    FolderError,
    dangling_link,
    prepare_folder,
    read_only_reason,
    read_regular,
    sha256_file,
)
from kiosk.core.packs.buildorder import Floor, downgrade_problem, future_problem, reset
from kiosk.core.packs.format import (
    INDEX,
    MANIFEST,
    SIGNATURE,
    Limits,
    Manifest,
    PackError,
    entry_name_problem,
)
from kiosk.core.packs.reader import PackReader
from kiosk.core.packs.verify import check_signature, compare_files, decode_signature, verify_pack

log = logging.getLogger("kiosk.store")

PACKS = "packs"
CURRENT = "current"
PREVIOUS = "previous"
STATE = "state.json"
LOCK = ".lock"
INCOMING_PREFIX = ".incoming-"
_LOCK_WAIT_S = 30.0
_CHUNK = 64 * 1024
_WRITE_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EFBIG: "a file is too large for the file system",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
}


def _flock(fd: int, *, shared: bool) -> None:
    """flock(2): a shared lock (waits), or an exclusive one that fails at once (raises
    BlockingIOError) if another holds it. fcntl is imported here, not at the top: the
    store runs on a kiosk (Linux), while the commands staff run on their editing
    computer (Windows too, which has no fcntl) import this module."""
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX | fcntl.LOCK_NB)


class StoreError(KioskError):
    """A store problem, as one line naming the store or the folder."""


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


@dataclass(frozen=True)
class InstalledPack:
    """One unpacked pack in the store, described by its (signed) manifest."""

    path: Path
    manifest: Manifest

    @property
    def version(self) -> int:
        return self.manifest.version

    @property
    def content_version(self) -> int:
        return self.manifest.content_version

    @property
    def pack_id(self) -> str:
        return self.manifest.pack_id

    @property
    def signer(self) -> str:
        return self.manifest.signer

    @property
    def built(self) -> str:
        return self.manifest.built

    @property
    def content_dir(self) -> Path:
        return self.path / "content"

    @property
    def index_path(self) -> Path:
        return self.path / INDEX


@dataclass(frozen=True)
class StoreStatus:
    root: Path
    current: InstalledPack | None
    previous: InstalledPack | None
    highest_version: int  # a new pack must be newer, or installed with allow_downgrade
    # highest_version, when it is a build from the future that holds every pack back
    # until 'kiosk content reset-version'; else None
    blocking_future: int | None = None

    @property
    def current_version(self) -> int | None:
        return self.current.version if self.current else None

    @property
    def previous_version(self) -> int | None:
        return self.previous.version if self.previous else None


@dataclass(frozen=True)
class InstallResult:
    installed: InstalledPack
    previous: InstalledPack | None  # what was current before, kept for rollback
    signer: str  # key id of the trusted key that verified the pack
    downgrade: bool  # installed with allow_downgrade over a newer or equal version

    @property
    def manifest(self) -> Manifest:
        return self.installed.manifest

    @property
    def path(self) -> Path:
        return self.installed.path


def _write_error(root: Path, err: OSError) -> StoreError:
    reason = _WRITE_REASONS.get(err.errno or 0) or err.strerror or str(err)
    return StoreError(f"cannot write to the store at {root}: {reason}")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    except OSError as err:
        if err.errno not in (errno.EINVAL, errno.ENOTSUP):  # cannot sync folders: nothing to do
            raise
    finally:
        os.close(fd)


def verify_installed(path: Path, trusted_keys: Sequence[str] | None = None) -> Manifest:
    """Check an unpacked pack folder: every digest, and no file missing or extra.

    With ``trusted_keys`` the manifest's signature is checked too. Raises StoreError
    (one line, naming the folder) if anything differs, so a damaged pack is never shown.
    """
    manifest = read_manifest(path, trusted_keys, check_entries=True)
    where = str(path)
    try:
        present = _files_below(path)
        compare_files(manifest, present, where)
        for name, expected in sorted(manifest.files.items()):
            check_file(path, name, expected)
    except PackError as err:
        raise StoreError(f"installed pack is damaged: {err}") from None
    except OSError as err:
        raise StoreError(
            f"installed pack {path} is damaged: {err.filename}: {err.strerror}"
        ) from None
    return manifest


def read_manifest(
    path: Path, trusted_keys: Sequence[str] | None = None, *, check_entries: bool = False
) -> Manifest:
    """An installed pack's manifest, its signature checked when ``trusted_keys`` is given.

    This alone does not read the pack's files: see verify_installed and check_file.
    Its entries were checked at install; ``check_entries`` checks them again.
    """
    where = str(path)
    try:
        manifest_bytes = read_regular(path / MANIFEST)  # a named pipe would block for ever
        signature_text = read_regular(path / SIGNATURE)
    except OSError as err:
        raise StoreError(
            f"installed pack {path} is damaged: cannot read {Path(err.filename or '').name} "
            f"({err.strerror})"
        ) from None
    try:
        if trusted_keys is not None:
            signature = decode_signature(signature_text, where)
            check_signature(manifest_bytes, signature, trusted_keys, where)
        return Manifest.from_bytes(manifest_bytes, where, check_entries=check_entries)
    except PackError as err:
        raise StoreError(f"installed pack is damaged: {err}") from None


def check_file(path: Path, name: str, expected: str | None) -> None:
    """Raise PackError unless file ``name`` of the pack in ``path`` has SHA-256 ``expected``."""
    if expected is None or sha256_file(path / name) != expected:
        raise _mismatch(path, name)


def read_checked(path: Path, name: str, expected: str | None) -> bytes:
    """The bytes of file ``name`` of the pack in ``path``, once they match ``expected``.

    Use these bytes, not the file again: it could change after the check."""
    data = read_regular(path / name)
    if expected is None or hashlib.sha256(data).hexdigest() != expected:
        raise _mismatch(path, name)
    return data


def _mismatch(path: Path, name: str) -> PackError:
    return PackError(
        f"{path}: '{name}' does not match its SHA-256 in the manifest (changed or damaged)"
    )


def _files_below(path: Path) -> list[str]:
    """Relative names of everything below ``path``; anything not a plain file is named too."""
    names: list[str] = []
    for folder, dirs, files in os.walk(path):
        base = Path(folder)
        for name in [*dirs, *files]:
            full = base / name
            rel = full.relative_to(path).as_posix()
            if full.is_symlink() or not (full.is_dir() or full.is_file()):
                raise PackError(f"{path}: '{rel}' is a link or a special file")
            if full.is_file():
                names.append(rel)
    return names


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Store:
    """The packs installed on one kiosk. Safe to use from a separate process.

    ``clock`` tells the time that packs from the future are judged against."""

    def __init__(self, root: Path, clock: Callable[[], datetime] = _utc_now) -> None:
        self.root = Path(root)
        self.packs = self.root / PACKS
        self._clock = clock

    verify_installed = staticmethod(verify_installed)

    # --- the folder itself -----------------------------------------------------------

    def check_root(self) -> str | None:
        """Make the store's folder if it is missing, and say why packs cannot be read
        from it (None if they can): a link to a disk that is not mounted, a file in its
        place, a read-only disk it cannot be made on. Nothing is made through a link."""
        try:
            prepare_folder(self.root, writable=False)
        except FolderError as err:
            return str(err)
        return None

    def read_only(self) -> str | None:
        """Why nothing can be installed in the (existing) store, or None."""
        return read_only_reason(self.root)

    # --- reading ---------------------------------------------------------------------

    def _link_target(self, name: str) -> Path | None:
        link = self.root / name
        try:
            target = str(link.readlink())
        except FileNotFoundError:
            return None
        except OSError as err:
            if err.errno == errno.EINVAL:
                raise StoreError(f"{link}: is not a link; move it out of the store") from None
            raise StoreError(f"{link}: cannot read it ({err.strerror})") from None
        parts = Path(target).parts
        if len(parts) != 2 or parts[0] != PACKS or entry_name_problem(target) is not None:
            raise StoreError(f"{link}: points outside {self.packs} ({target})")
        folder = self.packs / parts[1]
        return folder if folder.is_dir() else None

    def current_pack_dir(self) -> Path | None:
        """The folder of the pack the kiosk shows, or None when none is installed."""
        return self._link_target(CURRENT)

    def previous_pack_dir(self) -> Path | None:
        return self._link_target(PREVIOUS)

    def _installed(self, folder: Path | None) -> InstalledPack | None:
        if folder is None:
            return None
        try:
            data = read_regular(folder / MANIFEST)
        except OSError as err:
            raise StoreError(f"{folder / MANIFEST}: cannot read it ({err.strerror})") from None
        try:
            return InstalledPack(folder, Manifest.from_bytes(data, str(folder)))
        except PackError as err:
            raise StoreError(str(err)) from None

    def _readable(self, folder: Path | None) -> InstalledPack | None:
        try:
            return self._installed(folder)
        except StoreError:
            return None

    def status(self) -> StoreStatus:
        current = self._installed(self.current_pack_dir())
        previous = self._installed(self.previous_pack_dir())
        return self._status(current, previous)

    def _status(self, current: InstalledPack | None, previous: InstalledPack | None) -> StoreStatus:
        floor, linked = self._read_floor(), _versions(current, previous)
        blocking = floor.blocking(linked, self._clock())
        return StoreStatus(self.root, current, previous, floor.bar(linked), blocking)

    def _read_floor(self) -> Floor:
        try:
            data = json.loads(read_regular(self.root / STATE).decode("utf-8"))
        except (OSError, ValueError):
            return Floor()
        if not isinstance(data, dict):
            return Floor()
        value, forgiven = data.get("highest_version"), data.get("forgiven_versions", [])
        if not isinstance(forgiven, list) or not all(_is_int(v) for v in forgiven):
            forgiven = []  # forgive nothing: the stricter reading
        seen = data.get("installed_versions", [])
        if not isinstance(seen, list) or not all(_is_int(v) for v in seen):
            seen = []  # remember nothing: a reset falls back to the links alone
        return Floor(value if _is_int(value) else 0, frozenset(forgiven), frozenset(seen))

    # --- changing --------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One install or rollback at a time; the kernel drops the lock if we are killed."""
        link = dangling_link(self.root)
        if link is not None:  # its disk is not mounted: never write below the mount point
            raise StoreError(
                f"cannot use the store at {self.root}: {link} is a link to "
                f"{link.readlink()}, which does not exist (is its disk mounted?)"
            )
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.root / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as err:
            raise _write_error(self.root, err) from None
        try:
            deadline = time.monotonic() + _LOCK_WAIT_S
            while True:
                try:
                    _flock(fd, shared=False)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreError(
                            f"the store at {self.root} is busy with another install or "
                            "rollback; try again when it has finished"
                        ) from None
                    time.sleep(0.1)
            yield
        finally:
            os.close(fd)

    def install(
        self,
        kpack_path: Path,
        trusted_keys: Sequence[str],
        allow_downgrade: bool = False,
        *,
        limits: Limits | None = None,
    ) -> InstallResult:
        """Verify a .kpack, unpack it beside the current pack and make it current."""
        limits = limits or Limits()
        verified = verify_pack(kpack_path, trusted_keys, limits)  # writes nothing
        manifest = verified.manifest
        now = self._clock()
        # Never allowed, even as a downgrade: it would hold back every pack after it.
        future = future_problem(manifest.version, now)
        if future:
            raise StoreError(f"{kpack_path}: {future}")
        with self._locked():
            # A damaged current or previous must not stop the install that repairs it.
            old = self._readable(self.current_pack_dir())
            before = _versions(old, self._readable(self.previous_pack_dir()))
            floor = self._read_floor()
            downgrade = manifest.version <= floor.bar(before)
            if downgrade and not allow_downgrade:
                raise StoreError(downgrade_problem(manifest.version, floor, before, now))
            incoming = self.packs / f"{INCOMING_PREFIX}{secrets.token_hex(8)}"
            try:
                self.packs.mkdir(parents=True, exist_ok=True)
                self._remove_unused()
                incoming.mkdir()
                self._unpack(
                    kpack_path,
                    verified.manifest_bytes,
                    verified.signature,
                    incoming,
                    manifest,
                    limits,
                )
                verify_installed(incoming, trusted_keys)
                final = self._free_name(f"{manifest.version}-{manifest.pack_id}")
                incoming.rename(final)
                _fsync_dir(self.packs)
            except OSError as err:
                shutil.rmtree(incoming, ignore_errors=True)
                raise _write_error(self.root, err) from None
            except BaseException:
                shutil.rmtree(incoming, ignore_errors=True)
                raise
            try:
                if old is not None:
                    self._point(PREVIOUS, old.path)
                self._point(CURRENT, final)
            except OSError as err:
                # current still names the complete pack it named before.
                with contextlib.suppress(OSError, StoreError):
                    if self.current_pack_dir() != final:
                        shutil.rmtree(final, ignore_errors=True)
                raise _write_error(self.root, err) from None
            with contextlib.suppress(OSError):  # the links already protect against downgrade
                after = _versions(old) | {manifest.version}  # current and previous now
                self._write_state(floor.after_install(manifest.version, before, after))
            self._remove_unused()
        installed = InstalledPack(final, manifest)
        return InstallResult(installed, old, verified.signer, downgrade)

    def _unpack(
        self,
        kpack_path: Path,
        manifest_bytes: bytes,
        signature: bytes,
        dest: Path,
        manifest: Manifest,
        limits: Limits,
    ) -> None:
        folders = {dest}
        # The file is read again: what lands on disk is checked against the verified
        # manifest, so a pack swapped since verification cannot slip through.
        with PackReader(kpack_path, limits) as reader:
            compare_files(manifest, reader.entries, str(kpack_path))
            for name in sorted(manifest.files):
                target = dest / name
                if target.parent not in folders:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    folders.update(target.parent.parents)
                    folders.add(target.parent)
                _write_file(target, reader.chunks(name))
        _write_file(dest / MANIFEST, iter([manifest_bytes]))
        _write_file(dest / SIGNATURE, iter([base64.b64encode(signature) + b"\n"]))
        for folder in sorted((f for f in folders if f.is_relative_to(dest)), reverse=True):
            folder.chmod(0o755)
            _fsync_dir(folder)

    def _free_name(self, name: str) -> Path:
        """A folder name in packs/ that no link points at (reinstalling a version)."""
        in_use = {self.current_pack_dir(), self.previous_pack_dir()}
        candidate, n = self.packs / name, 1
        while candidate in in_use or held_by_a_kiosk(candidate):
            n += 1
            candidate = self.packs / f"{name}.{n}"
        if candidate.exists():  # left by an interrupted install; nothing points at it
            shutil.rmtree(candidate)
        return candidate

    def _point(self, name: str, folder: Path) -> None:
        """Make ``root/name`` a link to ``folder`` in one atomic step."""
        temp = self.root / f"{name}.new"
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()
        temp.symlink_to(Path(PACKS) / folder.name)
        temp.replace(self.root / name)
        _fsync_dir(self.root)

    def _write_state(self, floor: Floor) -> None:
        data: dict[str, object] = {"highest_version": floor.highest}
        if floor.forgiven:
            data["forgiven_versions"] = sorted(floor.forgiven)
        if floor.seen:
            data["installed_versions"] = sorted(floor.seen)
        temp = self.root / f"{STATE}.{secrets.token_hex(4)}.tmp"
        try:
            with temp.open("w", encoding="utf-8") as out:
                json.dump(data, out)
                out.write("\n")
                out.flush()
                os.fsync(out.fileno())
            temp.replace(self.root / STATE)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        _fsync_dir(self.root)

    def _remove_unused(self) -> None:
        """Best effort: packs neither current nor previous, and leftovers of a crash."""
        keep = {self.current_pack_dir(), self.previous_pack_dir()}
        with contextlib.suppress(OSError):
            for entry in self.packs.iterdir():
                if entry not in keep:
                    if entry.is_dir() and not entry.is_symlink():
                        if held_by_a_kiosk(entry):
                            continue  # still on screen; a later install removes it
                        shutil.rmtree(entry, ignore_errors=True)
                    else:
                        entry.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            for entry in self.root.iterdir():
                if entry.name in (f"{CURRENT}.new", f"{PREVIOUS}.new") or (
                    entry.name.startswith(f"{STATE}.") and entry.name.endswith(".tmp")
                ):
                    entry.unlink(missing_ok=True)

    def rollback(self) -> StoreStatus:
        """Swap current and previous: show the pack that was shown before."""
        with self._locked():
            current, previous = self.current_pack_dir(), self.previous_pack_dir()
            if previous is None:
                raise StoreError(f"no previous pack in {self.root} to roll back to")
            try:
                verify_installed(previous)
            except StoreError as err:
                raise StoreError(f"cannot roll back: {err}") from None
            try:
                self._point(CURRENT, previous)
                if current is not None:
                    self._point(PREVIOUS, current)
            except OSError as err:
                raise _write_error(self.root, err) from None
            shown, kept = self._installed(previous), self._readable(current)
            return self._status(shown, kept)

    def reset_version(self) -> tuple[int | None, StoreStatus]:
        """Forget the build numbers from the future that hold every new pack back (a
        pack built on a computer whose clock was wrong, installed before such packs were
        refused). The links stay: the kiosk keeps showing what it shows. Returns the
        build number that held packs back (None: nothing to forget) and the status after."""
        with self._locked():
            current = self._readable(self.current_pack_dir())
            previous = self._readable(self.previous_pack_dir())
            floor, linked = self._read_floor(), _versions(current, previous)
            new = reset(floor, linked, self._clock())
            if new is not None:
                try:
                    self._write_state(new)
                except OSError as err:
                    raise _write_error(self.root, err) from None
            return (None if new is None else floor.bar(linked)), self._status(current, previous)


def _versions(*packs: InstalledPack | None) -> set[int]:
    return {p.version for p in packs if p is not None}


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _write_file(target: Path, chunks: Iterator[bytes]) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        os.fchmod(fd, 0o644)  # readable by the kiosk's user whatever the installer's umask
        for chunk in chunks:
            view = memoryview(chunk)
            while view:
                written = os.write(fd, view)
                view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)
