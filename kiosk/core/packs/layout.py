"""The store's files on disk, each written so that a kill at any moment leaves it whole.

    root/packs/<version>-<pack_id>/   an unpacked pack: content/, search.sqlite,
                                      manifest.json, manifest.sig
    root/current  -> packs/...        relative symbolic links; the kiosk shows current
    root/previous -> packs/...
    root/state.json                   {"highest_version": N, "forgiven_versions": [...],
                                      "installed_versions": [...]}: kiosk.core.packs.buildorder
    root/.lock                        kiosk.core.packs.locks

The writes go through kiosk/core/files.py: a link or state.json is replaced in one
rename, and an unpacked pack's files are fsynced, then each of its folders.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import json
import shutil
from pathlib import Path
from typing import TypeGuard

from kiosk.core.files import (
    fsync_dir,
    is_temporary,
    read_regular,
    replace_link,
    write_atomically,
    write_new,
)
from kiosk.core.packs.buildorder import Floor
from kiosk.core.packs.format import MANIFEST, SIGNATURE, Limits, Manifest, entry_name_problem
from kiosk.core.packs.locks import held_by_a_kiosk
from kiosk.core.packs.reader import PackReader
from kiosk.core.packs.status import INCOMING_PREFIX as INCOMING_PREFIX
from kiosk.core.packs.status import StoreError
from kiosk.core.packs.verify import VerifiedPack, compare_files

PACKS = "packs"
CURRENT = "current"
PREVIOUS = "previous"
STATE = "state.json"


def link_target(root: Path, name: str) -> Path | None:
    """The pack folder the link ``root/name`` points at; None if there is no link or no
    folder. StoreError if it is not a link, or points outside ``root/packs``."""
    link = root / name
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
        raise StoreError(f"{link}: points outside {root / PACKS} ({target})")
    folder = root / PACKS / parts[1]
    return folder if folder.is_dir() else None


def point(root: Path, name: str, folder: Path) -> None:
    """Make ``root/name`` a link to the pack ``folder`` in one atomic step."""
    replace_link(root / name, Path(PACKS) / folder.name)


def _is_leftover(name: str) -> bool:
    """Whether ``name`` in the store's root was left by a write that was killed."""
    if name in (f"{CURRENT}.new", f"{PREVIOUS}.new"):
        return True
    return is_temporary(name, STATE)


def remove_unused(root: Path, keep: set[Path | None]) -> None:
    """Best effort: remove the pack folders in ``root/packs`` not in ``keep`` and not held
    by a running kiosk, and the leftovers of a crash (an incoming folder, a temporary
    link or state file)."""
    with contextlib.suppress(OSError):
        for entry in (root / PACKS).iterdir():
            if entry not in keep:
                if entry.is_dir() and not entry.is_symlink():
                    if held_by_a_kiosk(entry):
                        continue  # still on screen; a later install removes it
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        for entry in root.iterdir():
            if _is_leftover(entry.name):
                entry.unlink(missing_ok=True)


def read_floor(root: Path) -> Floor:
    """The build numbers state.json remembers; the strictest reading of a damaged one."""
    try:
        data = json.loads(read_regular(root / STATE).decode("utf-8"))
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


def write_state(root: Path, floor: Floor) -> None:
    """Replace state.json with ``floor``, atomically; OSError if it cannot be written."""
    data: dict[str, object] = {"highest_version": floor.highest}
    if floor.forgiven:
        data["forgiven_versions"] = sorted(floor.forgiven)
    if floor.seen:
        data["installed_versions"] = sorted(floor.seen)
    write_atomically(root / STATE, (json.dumps(data) + "\n").encode("utf-8"))


def unpack(kpack_path: Path, verified: VerifiedPack, dest: Path, limits: Limits) -> None:
    """Write the verified pack's files into the empty folder ``dest``, then fsync every
    file and folder. OSError if the disk refuses; PackError if the file changed."""
    manifest: Manifest = verified.manifest
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
            # 0644: readable by the kiosk's user whatever the installer's umask
            write_new(target, reader.chunks(name))
    write_new(dest / MANIFEST, [verified.manifest_bytes])
    write_new(dest / SIGNATURE, [base64.b64encode(verified.signature) + b"\n"])
    for folder in sorted((f for f in folders if f.is_relative_to(dest)), reverse=True):
        folder.chmod(0o755)
        fsync_dir(folder)


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
