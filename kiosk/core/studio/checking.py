"""The validator's verdict on a content folder as it would be with the studio's unsaved
texts saved: the same checks as `kiosk content validate` (kiosk.core.content.loader),
run on a scratch copy, so nothing of the real folder is written.

The copy is made of hard links (one per file, no data copied: a 10,000-article folder
takes well under a second), and each edited article is then written as a new file in
its place, so the real file, linked, is never touched. Where hard links cannot be made
(another file system), files are copied.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk.core.content.loader import load_pack
from kiosk.core.content.pack import Pack
from kiosk.core.content.problems import Problem, Severity
from kiosk.core.search.index import SearchIndex


@dataclass(frozen=True)
class Checked:
    """The validator's problems, errors first, each naming the real file; and the pack
    as patients would get it (None when it has errors), for the studio's preview."""

    problems: list[Problem]
    pack: Pack | None
    index: SearchIndex | None = None  # the pack's, built with it (off the GUI thread)
    failed: str | None = None  # why the check could not run (no problems were found)


def check_with(folder: Path, edited: Mapping[Path, str], scratch: Path) -> Checked:
    """``folder`` checked with ``edited`` (file -> its text) in place of those files.
    ``scratch`` is emptied and used for the copy (the caller's own folder). Raises
    OSError when the copy cannot be made."""
    mirror = scratch / "content"
    if mirror.exists():
        shutil.rmtree(mirror)
    scratch.mkdir(parents=True, exist_ok=True)
    # Links copied as links (the validator says what is wrong with them), and only
    # files and folders: a link to /dev/zero or to /usr, followed, filled the disk.
    try:
        shutil.copytree(folder, mirror, symlinks=True, copy_function=os.link, ignore=only_files)
    except OSError:
        shutil.rmtree(mirror, ignore_errors=True)
        shutil.copytree(folder, mirror, symlinks=True, ignore=only_files)
    for path, text in edited.items():
        inside = mirror / path.resolve().relative_to(folder.resolve())
        inside.unlink(missing_ok=True)  # a new file: the linked real one stays as it is
        inside.write_text(text, encoding="utf-8")
    result = load_pack(mirror)
    real = [replace(p, file=_real(p.file, mirror, folder)) for p in result.problems]
    real.sort(key=lambda p: (p.severity is not Severity.ERROR, p.file, p.line))
    pack = result.pack
    return Checked(real, pack, SearchIndex.build(pack) if pack is not None else None)


def only_files(folder: str, names: list[str]) -> set[str]:
    """For shutil.copytree's ``ignore``: the names in ``folder`` that are neither a
    regular file, a folder nor a link (a named pipe, a device: reading one never ends)."""
    left_out = set()
    for name in names:
        try:
            mode = (Path(folder) / name).lstat().st_mode
        except OSError:
            continue
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode)):
            left_out.add(name)
    return left_out


def _real(file: str, mirror: Path, folder: Path) -> str:
    try:
        return str(folder / Path(file).relative_to(mirror))
    except ValueError:
        return file  # not under the copy (the loader names the folder itself)
