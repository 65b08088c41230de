"""Where an article sits in its pack, so that the links and pictures it names resolve safely.

Plain Python with no Markdown: the loader, the installed-pack reader and the link and
picture steps of the Markdown pipeline (kiosk.core.content.markdown) all share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from kiosk.core.content.pack import PACK_SCHEME

_LEFT_BEHIND = {"Thumbs.db", "desktop.ini"}  # what Windows' Explorer leaves in a folder


def left_out_of_pack(name: str) -> bool:
    """Whether a build leaves the file or folder ``name`` out of the pack: what an editor
    or a file manager leaves behind (``.DS_Store``, ``notes.md~``, ``#notes.md#``,
    ``Thumbs.db``), and every name that starts with a dot. A picture or a link to one of
    these would find nothing on a kiosk (kiosk/core/packs/folder.py walks the folder by
    this rule)."""
    return (
        name.startswith(".")
        or name.endswith("~")
        or (name.startswith("#") and name.endswith("#"))
        or name in _LEFT_BEHIND
    )


@dataclass(frozen=True)
class PackPaths:
    """Where an article sits, so relative links and images resolve safely."""

    pack_root: Path
    article_file: Path
    # Decode each picture (kiosk.core.content.pictures) at validate and build; not when a kiosk
    # opens an article of a signed pack, which was checked when it was built.
    check_pictures: bool = True
    # Where each checked picture is added (resolved), for the loader's check of the rest.
    pictures_checked: set[Path] | None = field(default=None, compare=False)
    # What the file system said of each address, for this article: asked once each.
    memo: dict[tuple[str, str], Any] = field(default_factory=dict, compare=False, repr=False)

    def inside_pack(self, relative: str) -> Path | None:
        """Resolve a path written in the article; None if it leaves the pack or is no path."""
        key = ("inside", relative)
        if key not in self.memo:
            self.memo[key] = self._resolve(relative)
        resolved: Path | None = self.memo[key]
        return resolved

    def _resolve(self, relative: str) -> Path | None:
        if "\x00" in relative or not self.stays_inside(relative):
            return None
        try:
            target = (self.article_file.parent / relative).resolve()
            root = self.pack_root.resolve()
        except (OSError, RuntimeError):  # symlink loops, names the OS refuses
            return None
        return target if target.is_relative_to(root) else None

    def stays_inside(self, relative: str) -> bool:
        """Whether ``relative``, read as written, never climbs out of the pack on the way:
        "../../../mypack/en/images/x.png" leaves the folder by its name and comes back in,
        which resolves inside the folder being checked and outside the installed pack
        (installed as content/): validated, built, and then refused at install."""
        try:
            depth = len(self.article_file.parent.relative_to(self.pack_root).parts)
        except ValueError:
            depth = len(
                self.article_file.parent.resolve().relative_to(self.pack_root.resolve()).parts
            )
        for part in PurePosixPath(relative).parts:
            depth += -1 if part == ".." else 0 if part == "." else 1
            if depth < 0:
                return False
        return True

    def pack_url(self, target: Path) -> str:
        """``pack:/`` and the file's path in the pack, percent-encoded: a file named
        ``a#b.png`` or ``%41.png`` is that file, not ``a`` or ``A.png`` (the kiosk
        reads the path back decoded, kiosk/ui/widgets/textview.py)."""
        relative = target.relative_to(self.pack_root.resolve()).as_posix()
        return f"{PACK_SCHEME}:/" + quote(relative, safe="/")
