"""Installed content packs: verify, install atomically, roll back.

The store's files are laid out as kiosk/core/packs/layout.py draws them. Installing
verifies the .kpack in memory first (nothing is written before that), unpacks it into
``packs/.incoming-*``, fsyncs every file and folder, checks the unpacked digests again,
renames the folder into place and fsyncs ``packs/``. Only then do the links move, each
by writing a new link and renaming it over the old one (``os.replace``), with the root
folder fsynced after. So a kill or power cut at any moment leaves ``current`` at a
complete, verified pack: the old one or the new one. Leftovers of an interrupted install
are removed by the next one.

A pack built more than a day after the kiosk's clock is refused: its build number would
hold every later pack back as a downgrade (kiosk/core/packs/buildorder.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from kiosk.core.files import FolderError, fsync_dir, prepare_folder, read_only_reason, read_regular
from kiosk.core.packs.buildorder import downgrade_problem, future_problem, reset
from kiosk.core.packs.format import CONTENT, MANIFEST, Limits, Manifest, PackError
from kiosk.core.packs.integrity import verify_installed
from kiosk.core.packs.layout import (
    CURRENT,
    INCOMING_PREFIX,
    PACKS,
    PREVIOUS,
    link_target,
    point,
    read_floor,
    remove_unused,
    unpack,
    write_state,
)
from kiosk.core.packs.locks import held_by_a_kiosk, store_lock
from kiosk.core.packs.status import (
    InstalledPack,
    InstallResult,
    StoreError,
    StoreStatus,
    write_error,
)
from kiosk.core.packs.verify import VerifiedPack, verify_pack


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

    def current_pack_dir(self) -> Path | None:
        """The folder of the pack the kiosk shows, or None when none is installed."""
        return link_target(self.root, CURRENT)

    def previous_pack_dir(self) -> Path | None:
        return link_target(self.root, PREVIOUS)

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
        floor, linked = read_floor(self.root), _versions(current, previous)
        blocking = floor.blocking(linked, self._clock())
        return StoreStatus(self.root, current, previous, floor.bar(linked), blocking)

    # --- changing --------------------------------------------------------------------

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
        with store_lock(self.root):
            # A damaged current or previous must not stop the install that repairs it.
            old = self._readable(self.current_pack_dir())
            before = _versions(old, self._readable(self.previous_pack_dir()))
            floor = read_floor(self.root)
            downgrade = manifest.version <= floor.bar(before)
            if downgrade and not allow_downgrade:
                raise StoreError(downgrade_problem(manifest.version, floor, before, now))
            final = self._unpack_beside(kpack_path, verified, trusted_keys, limits)
            self._make_current(final, old)
            with contextlib.suppress(OSError):  # the links already protect against downgrade
                after = _versions(old) | {manifest.version}  # current and previous now
                write_state(self.root, floor.after_install(manifest.version, before, after))
            self._remove_unused()
        installed = InstalledPack(final, manifest)
        return InstallResult(installed, old, verified.signer, downgrade)

    def _unpack_beside(
        self, kpack_path: Path, verified: VerifiedPack, trusted_keys: Sequence[str], limits: Limits
    ) -> Path:
        """Unpack into ``packs/.incoming-*``, check it, and rename it into place: the
        folder of the new pack. Nothing is left behind if anything fails."""
        manifest = verified.manifest
        incoming = self.packs / f"{INCOMING_PREFIX}{os.urandom(8).hex()}"
        try:
            self.packs.mkdir(parents=True, exist_ok=True)
            self._remove_unused()
            incoming.mkdir()
            unpack(kpack_path, verified, incoming, limits)
            verify_installed(incoming, trusted_keys)
            _check_content(incoming, kpack_path)
            final = self._free_name(f"{manifest.version}-{manifest.pack_id}")
            incoming.rename(final)
            fsync_dir(self.packs)
        except OSError as err:
            shutil.rmtree(incoming, ignore_errors=True)
            raise write_error(self.root, err) from None
        except BaseException:
            shutil.rmtree(incoming, ignore_errors=True)
            raise
        return final

    def _make_current(self, final: Path, old: InstalledPack | None) -> None:
        """Point ``current`` at ``final``, and ``previous`` at what was current."""
        try:
            if old is not None:
                self._point(PREVIOUS, old.path)
            self._point(CURRENT, final)
        except OSError as err:
            # current still names the complete pack it named before.
            with contextlib.suppress(OSError, StoreError):
                if self.current_pack_dir() != final:
                    shutil.rmtree(final, ignore_errors=True)
            raise write_error(self.root, err) from None

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
        point(self.root, name, folder)

    def _remove_unused(self) -> None:
        """Best effort: packs neither current nor previous, and leftovers of a crash."""
        remove_unused(self.root, {self.current_pack_dir(), self.previous_pack_dir()})

    def rollback(self) -> StoreStatus:
        """Swap current and previous: show the pack that was shown before."""
        with store_lock(self.root):
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
                raise write_error(self.root, err) from None
            shown, kept = self._installed(previous), self._readable(current)
            return self._status(shown, kept)

    def reset_version(self) -> tuple[int | None, StoreStatus]:
        """Forget the build numbers from the future that hold every new pack back (a
        pack built on a computer whose clock was wrong, installed before such packs were
        refused). The links stay: the kiosk keeps showing what it shows. Returns the
        build number that held packs back (None: nothing to forget) and the status after."""
        with store_lock(self.root):
            current = self._readable(self.current_pack_dir())
            previous = self._readable(self.previous_pack_dir())
            floor, linked = read_floor(self.root), _versions(current, previous)
            new = reset(floor, linked, self._clock())
            if new is not None:
                try:
                    write_state(self.root, new)
                except OSError as err:
                    raise write_error(self.root, err) from None
            return (None if new is None else floor.bar(linked)), self._status(current, previous)


def _check_content(folder: Path, kpack_path: Path) -> None:
    """StoreError unless this kiosk would show every part of the pack in ``folder``: its
    content loaded as `kiosk content validate` loads it, with no error. A pack signed by
    an older 'kiosk content build', whose texts or articles a newer kiosk refuses (a
    crisis text or an article over its limit), was installed and then never shown, or
    shown without that article, with no word to staff. (About 2 s for 1,000 articles, in
    `kiosk content install`, never on the GUI thread.)"""
    from kiosk.core.content.loader import load_pack  # installs only
    from kiosk.core.content.problems import Severity

    content = folder / CONTENT
    result = load_pack(content)
    first = next((p for p in result.problems if p.severity is Severity.ERROR), None)
    if result.pack is None or first is not None:
        where = Path(first.file) if first is not None else content
        with contextlib.suppress(ValueError):
            where = where.relative_to(content)  # the file as it is named in the pack
        said = f"{where}" + (f":{first.line}" if first is not None and first.line else "")
        said += f": {first.message}" if first is not None else ": it cannot be read"
        raise StoreError(
            f"{kpack_path}: this kiosk would not show the pack: {said}; "
            "build it again with this version's 'kiosk content build' (the pack shown now "
            "stays)"
        )


def _versions(*packs: InstalledPack | None) -> set[int]:
    return {p.version for p in packs if p is not None}
