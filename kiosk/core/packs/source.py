"""Which content the kiosk shows: a folder named on the command line or in the config,
else the installed pack (verified), else the previous one, else the bundled content.

A pack that fails its checks is never shown; the reason is logged for staff and the
next candidate is tried, so a bad update leaves the kiosk on the last good pack.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.core.content import catalogue
from kiosk.core.content.pack import Pack
from kiosk.core.content.packinfo import PACK_FILE, parse_pack_info
from kiosk.core.content.problems import Problem, ProblemList, Severity, has_errors
from kiosk.core.errors import UnreadableFileError
from kiosk.core.freshness import Freshness
from kiosk.core.packs.format import CATALOGUE, CONTENT, CONTENT_PREFIX, INDEX, Manifest, PackError
from kiosk.core.packs.installed import open_installed_content
from kiosk.core.packs.integrity import read_checked, read_manifest, verify_installed
from kiosk.core.packs.status import StoreError
from kiosk.core.packs.store import Store
from kiosk.core.search.index import SearchIndex

if TYPE_CHECKING:  # the machine's events load with the content manager, after the paint
    from kiosk.core.packs.selection_events import FolderIdentity

log = logging.getLogger("kiosk.store")


@dataclass(frozen=True)
class ContentChoice:
    pack: Pack
    index: SearchIndex
    origin: str  # for staff: where this content came from
    signer: str  # key id, or "" for an unsigned folder
    build: int | None  # the installed pack's build number; None for a folder
    folder: Path | None = None  # the installed pack's folder in the store
    # False for a pack opened on its signed manifest alone: every file still needs
    # checking (articles are checked as they are opened, the rest in the background).
    verified: bool = True

    @property
    def unverified_folder(self) -> Path | None:
        return None if self.verified else self.folder


def load_folder(folder: Path, origin: str) -> ContentChoice | None:
    # Markdown and YAML load only when a folder is read: not on an installed pack's start.
    from kiosk.core.content.loader import load_pack

    result = load_pack(folder, check_pictures=False)  # decoded as shown, off the GUI thread
    if result.pack is None:
        errors = [str(p) for p in result.problems if p.severity is Severity.ERROR]
        log.error("content at %s cannot be shown: %s", folder, "; ".join(errors[:5]))
        return None
    return ContentChoice(result.pack, SearchIndex.build(result.pack), origin, "", None)


def load_installed(folder: Path, trusted_keys: tuple[str, ...]) -> ContentChoice | None:
    """An installed pack, opened without reading all its files (see kiosk.core.packs.installed).

    Before anything of it is shown: the manifest's signature, and the digests of
    pack.toml and of the catalogue, which holds every title and summary patients see.
    A pack without a catalogue file (built by an older kiosk) is verified and loaded
    in full instead.
    """
    try:
        manifest = read_manifest(folder, trusted_keys)  # signature too: always
        if CATALOGUE not in manifest.files:
            log.info("%s has no catalogue; checking and loading the whole pack", folder)
            return _load_installed_in_full(folder, trusted_keys)
        checked = {
            name: read_checked(folder, name, manifest.files.get(name))
            for name in (f"{CONTENT}/{PACK_FILE}", CATALOGUE)
        }
    except (StoreError, PackError, OSError) as err:
        log.error("not showing %s: %s", folder, err)
        return None
    try:
        listing = catalogue.from_bytes(checked[CATALOGUE], folder / CATALOGUE)
        index = SearchIndex.open(folder / INDEX, listing)  # checked in the background
    except UnreadableFileError as err:  # another kiosk version's format, or damage
        log.warning("%s; checking and loading the whole pack", err)
        return _load_installed_in_full(folder, trusted_keys)
    content = folder / CONTENT
    problems: list[Problem] = []
    where = content / PACK_FILE
    info = parse_pack_info(
        checked[f"{CONTENT}/{PACK_FILE}"], where, ProblemList(problems, str(where))
    )
    if info is None or has_errors(problems):
        log.error("not showing %s: %s", folder, "; ".join(map(str, problems[:3])))
        return None
    pack = open_installed_content(info, content, listing, _ContentDigests(manifest))
    origin = f"installed pack, build {manifest.version}"
    return ContentChoice(
        pack, index, origin, manifest.signer, manifest.version, folder, verified=False
    )


class _ContentDigests(Mapping[str, str]):
    """The signed digests of the content files, by their path inside content/: a view
    of the manifest's, not a copy (10,000 entries copied cost 4 ms of every start)."""

    def __init__(self, manifest: Manifest) -> None:
        self._files = manifest.files

    def __getitem__(self, name: str) -> str:
        return self._files[CONTENT_PREFIX + name]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and CONTENT_PREFIX + name in self._files

    def __iter__(self) -> Iterator[str]:
        return (n.removeprefix(CONTENT_PREFIX) for n in self._files if n.startswith(CONTENT_PREFIX))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _load_installed_in_full(folder: Path, trusted_keys: tuple[str, ...]) -> ContentChoice | None:
    from kiosk.core.content.loader import load_pack

    try:
        manifest = verify_installed(folder, trusted_keys)
    except StoreError as err:
        log.error("not showing %s: %s", folder, err)
        return None
    result = load_pack(folder / CONTENT, check_pictures=False)  # validated when built
    if result.pack is None:
        log.error("not showing %s: its content does not load", folder)
        return None
    pack = replace(result.pack, signed_digests=_ContentDigests(manifest))  # images too
    index = SearchIndex.build(pack)
    origin = f"installed pack, build {manifest.version}"
    return ContentChoice(pack, index, origin, manifest.signer, manifest.version, folder)


def folder_identity(folder: Path) -> FolderIdentity:
    """A pack folder as a check saw it: a reinstall into the same name is another
    folder (a new inode), and may be shown even though the old one failed."""
    path = folder.resolve()
    try:
        return str(path), path.stat().st_ino
    except OSError:
        return str(path), -1


def from_store(
    store: Store,
    trusted_keys: tuple[str, ...],
    rejected: frozenset[FolderIdentity] = frozenset(),
) -> ContentChoice | None:
    """The current pack, or the previous one if the current one fails its checks
    (or was ``rejected`` by a check that read all of its files)."""
    for name, find in (("current", store.current_pack_dir), ("previous", store.previous_pack_dir)):
        try:
            folder = find()
        except StoreError as err:
            log.error("store %s: %s", name, err)
            continue
        if folder is None or folder_identity(folder) in rejected:
            continue
        if (choice := load_installed(folder, trusted_keys)) is not None:
            if name == "previous":
                log.warning("showing the previous pack: the current one failed its checks")
            return choice
    return None


def choose_content(
    folder: Path | None, store: Store, trusted_keys: tuple[str, ...], bundled: Path
) -> ContentChoice | None:
    if folder is not None:
        return load_folder(folder, f"folder {folder}")
    return from_store(store, trusted_keys) or load_folder(bundled, "bundled content")


@dataclass(frozen=True)
class StoreWatch:
    """What the kiosk needs to follow the store: the content shown now, the store, the
    keys it trusts (read afresh each time), why the store could not be read at start, and
    ``fleet``: what the fleet last said of the content's freshness
    (kiosk.core.fleet.state.freshness), None for a kiosk with no fleet."""

    shown: ContentChoice
    store: Store
    trusted_keys: Callable[[], tuple[str, ...]]
    watch: bool  # False: a folder named on the command line or in the config, shown as it is
    bundled: Path | None = None
    store_problem: str | None = None
    fleet: Callable[[], Freshness | None] = lambda: None
