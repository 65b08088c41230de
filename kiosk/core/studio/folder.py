"""A content folder's pack.toml as the studio reads it: leniently (the validator says
what is wrong with it; the studio goes on with the defaults)."""

from __future__ import annotations

from pathlib import Path

from kiosk.core.content.pack import PackInfo
from kiosk.core.content.packinfo import PACK_FILE, parse_pack_info
from kiosk.core.content.problems import Problem, ProblemList


def pack_info(folder: Path) -> PackInfo | None:
    """``folder``'s pack.toml as read (None where it cannot be: the validator says why)."""
    problems: list[Problem] = []
    try:
        return parse_pack_info(
            (folder / PACK_FILE).read_bytes(), folder / PACK_FILE, ProblemList(problems, "")
        )
    except OSError:
        return None


def readability_limit(folder: Path) -> float:
    """pack.toml's reading-grade limit (its default where it cannot be read)."""
    info = pack_info(folder)
    return info.readability_limit if info is not None else PackInfo.readability_limit
