"""Publish: validate, build and sign a content folder into a pack file in a folder staff
chose (a USB stick, a shared drive), named so that two publishings never collide.

The build is kiosk.core.packs.build's, the same as `kiosk content build`: every check
of `kiosk content validate`, the search index, the signature. A key protected by a
passphrase needs it (PassphraseNeededError: the studio asks). The pack file is written
whole or not at all (the builder writes a temporary file and renames it).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from kiosk.core.content.packinfo import PACK_FILE
from kiosk.core.files import write_atomically
from kiosk.core.packs.build import build_pack

SUFFIX = ".kpack"


def pack_file_name(folder: Path, when: datetime) -> str:
    """``<folder name>-<UTC date and time>.kpack``: sorts by time, never overwrites."""
    return f"{folder.resolve().name}-{when.astimezone(UTC):%Y%m%d-%H%M%S}{SUFFIX}"


def publish(
    folder: Path,
    key: Path,
    destination: Path,
    *,
    passphrase: str | None = None,
    now: datetime | None = None,
    above: int | None = None,
) -> Path:
    """The pack file written into ``destination`` from ``folder``, signed with ``key``.
    ``above``: the content version of the pack this one follows (installed here, or last
    published from here) when its articles changed since: pack.toml's version is raised
    past it first (docs/CONTENT.md: one more each time a changed pack is handed over).

    Raises FileNotFoundError when ``folder`` has no pack.toml or ``destination`` is no
    folder; BuildError (every problem), SigningError (PassphraseNeededError) and
    OSError as kiosk.core.packs.build.build_pack does."""
    if not (folder / PACK_FILE).is_file():
        raise FileNotFoundError(f"{folder}: no {PACK_FILE} there; choose the content folder")
    if not destination.is_dir():
        raise FileNotFoundError(f"{destination}: no such folder; is the USB stick plugged in?")
    if above is not None:
        raise_version(folder / PACK_FILE, above)
    when = now or datetime.now(UTC)
    out = destination / pack_file_name(folder, when)
    build_pack(folder, out, key, when, passphrase=passphrase)
    return out


def raise_version(pack_toml: Path, above: int) -> int:
    """pack.toml's ``version`` made ``above + 1`` if it is not above ``above`` already;
    every other line (comments, order) kept. Returns the version it has now. A file
    whose version is no whole number is left as it is, for the build to name the
    problem (BuildError). Raises OSError when it cannot be read or written."""
    import tomlkit  # only on Publish: `kiosk run` never imports it
    from tomlkit.exceptions import TOMLKitError

    raw = pack_toml.read_bytes()
    bom = "\ufeff"
    try:
        document = tomlkit.parse(raw.decode("utf-8").removeprefix(bom))
    except (UnicodeDecodeError, TOMLKitError):
        return 0
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        return 0
    if version > above:
        return int(version)
    document["version"] = above + 1
    head = bom if raw.startswith(bom.encode("utf-8")) else ""
    write_atomically(pack_toml, (head + tomlkit.dumps(document)).encode("utf-8"))
    return above + 1


USB_ROOT = Path("/media")  # where IT mounts a stick on a kiosk (docs/DEPLOY.md section 2)


def kiosk_places_problem(
    key: Path, destination: Path, packs: Path, own_folders: tuple[Path, ...]
) -> str:
    """What is wrong with publishing on a kiosk with ``key`` into ``destination``, or "".
    The key must come from outside the kiosk's own folders (``own_folders``: its home,
    store, settings, studio): one typed into an article there would sign packs. Packs go
    to the studio's ``packs`` folder or a stick under /media: a destination inside the
    store damaged both installed packs (an attacker's find, with the staff PIN)."""
    key, destination = key.resolve(), destination.resolve()
    if any(key.is_relative_to(folder.resolve()) for folder in own_folders):
        return (
            f"the signing key must come on its own USB stick ({USB_ROOT}/...), "
            f"not from this kiosk's own folders ({key})"
        )
    if destination != packs.resolve() and not destination.is_relative_to(USB_ROOT):
        return (
            f"on a kiosk, a pack goes to the studio's own folder ({packs}) "
            f"or to a USB stick under {USB_ROOT}"
        )
    return ""
