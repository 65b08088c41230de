"""The files of a content folder that go into a pack, and every reason one cannot.

One rule for ``kiosk content validate`` and ``kiosk content build`` (both call
content_files), made of the installer's own rules for entry names (entry_name_problem)
and for names that would be one file on another computer (name_key): a folder that
validate accepts builds, and its pack installs on every kiosk. Each problem names the
file and the fix; the command that prints it makes its name printable.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from kiosk.core.content.packinfo import PACK_FILE
from kiosk.core.content.packpaths import left_out_of_pack
from kiosk.core.content.problems import Problem, ProblemList
from kiosk.core.files import kind_of
from kiosk.core.packs.format import (
    CONTENT_PREFIX,
    TOP_LEVEL,
    Limits,
    entry_name_problem,
    how_names_differ,
    megabytes,
    name_key,
)

_COPY_FILE = "copy the real file into the content folder"


def content_files(
    content_dir: Path,
    problems: list[Problem],
    *,
    skip: Path | None = None,
    limits: Limits | None = None,
) -> list[Path]:
    """Every file of ``content_dir`` a pack holds, sorted by its path in the pack, with a
    problem in ``problems`` for each that cannot be in one: a link, a named pipe or other
    special file, a folder or file that cannot be read, a name the installer refuses or
    that differs from another's only in case, a file too large; and for too many files.
    ``skip``: the .kpack being written, if it is inside the folder. Nothing is looked at
    unless the folder has a pack.toml: the loader says that one is missing."""
    limits = limits or Limits()
    if not (content_dir / PACK_FILE).is_file() and not (content_dir / PACK_FILE).is_symlink():
        return []
    found = _walk(content_dir, skip, problems)
    files = sorted(found, key=lambda p: p.relative_to(content_dir).as_posix())
    seen: dict[str, Path] = {}  # by name_key: the first file of each name
    total = markdown = 0
    for path in files:
        problem = ProblemList(problems, str(path))
        name = path.relative_to(content_dir).as_posix()
        reason = entry_name_problem(CONTENT_PREFIX + name)
        if reason:
            problem.error(0, f"the file name {reason}; rename it")
            continue
        first = seen.setdefault(name_key(name), path)
        if first is not path:
            differ = how_names_differ(first.relative_to(content_dir).as_posix(), name)
            problem.error(
                0,
                f"this name and {first} {differ}; a kiosk refuses a pack with both (Windows "
                "and macOS would make them one file): rename or remove one of them",
            )
        size = path.stat().st_size
        total += size
        markdown += size if path.suffix == ".md" else 0
        if size > limits.max_file_bytes:
            problem.error(
                0, f"file is larger than {megabytes(limits.max_file_bytes)}, the limit for a pack"
            )
    index = index_estimate(markdown)
    if total + index > limits.max_total_bytes:
        ProblemList(problems, str(content_dir)).error(
            0,
            f"the files come to {megabytes(total)}, and the search index a build adds to "
            f"about {megabytes(index)}; a pack holds at most "
            f"{megabytes(limits.max_total_bytes)} in all: make pictures smaller, or remove some",
        )
    extra = len(TOP_LEVEL) + 2  # and the manifest and its signature
    if len(files) + extra > limits.max_files:
        ProblemList(problems, str(content_dir)).error(
            0, f"{len(files):,} files; a pack holds at most {limits.max_files - extra:,}"
        )
    return files


def index_estimate(markdown_bytes: int) -> int:
    """About how many bytes the search index and catalogue a build makes take, for
    articles of ``markdown_bytes``: 4 to 4.6 times their Markdown (the bundled pack; 1,000
    generated articles), and a margin. A pack that validated failed to build when they
    did not fit (issue 13's attacker)."""
    return 5 * markdown_bytes + 1_000_000


def _walk(content_dir: Path, skip: Path | None, problems: list[Problem]) -> list[Path]:
    """The plain files below ``content_dir`` (but ``skip``), not those left out of a pack."""
    found: list[Path] = []

    def unreadable(err: OSError) -> None:
        ProblemList(problems, str(err.filename or content_dir)).error(
            0, f"cannot read this folder ({err.strerror}); let everyone read it, or move it out"
        )

    for folder, dirs, files in os.walk(content_dir, onerror=unreadable, followlinks=False):
        base = Path(folder)
        kept_dirs = []
        for name in sorted(dirs):
            if left_out_of_pack(name):
                continue
            if (base / name).is_symlink():
                ProblemList(problems, str(base / name)).error(
                    0, "is a link; copy the real folder into the content folder"
                )
                continue
            kept_dirs.append(name)
        dirs[:] = kept_dirs
        for name in sorted(files):
            path = base / name
            if left_out_of_pack(name) or (skip is not None and path.absolute() == skip):
                continue
            why = _not_a_plain_file(path)
            if why:
                ProblemList(problems, str(path)).error(0, why)
                continue
            found.append(path)
    return found


def _not_a_plain_file(path: Path) -> str | None:
    """Why ``path`` cannot go into a pack as it is, or None for a readable plain file."""
    if path.is_symlink():
        return f"is a link; {_COPY_FILE}"
    try:
        mode = path.stat().st_mode
    except OSError as err:
        return f"cannot be read ({err.strerror}); {_COPY_FILE} again"
    if not stat.S_ISREG(mode):
        what = kind_of(mode)
        what = "is not a plain file" if what == "not a plain file" else f"is {what}, not a file"
        return f"{what}; remove it, or {_COPY_FILE}"
    if not os.access(path, os.R_OK):
        return "cannot be read (permission denied); let everyone read it, or remove it"
    return None
