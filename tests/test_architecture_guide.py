"""docs/ARCHITECTURE.md sends the next engineer to files that exist: every path it
names in backticks is a file of the repository, under kiosk/ or from the root."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GUIDE = (REPO / "docs" / "ARCHITECTURE.md").read_text("utf-8")


def test_every_file_the_guide_names_exists() -> None:
    """A path with a folder is from the root, kiosk/, kiosk/core/ or kiosk/ui/; a bare
    name (the flows name modules of the package they are in) is a file somewhere."""
    named = set(re.findall(r"`([\w./-]+\.(?:py|md|toml|ts|qss))`", GUIDE))
    assert len(named) > 20
    bases = (REPO, REPO / "kiosk", REPO / "kiosk" / "core", REPO / "kiosk" / "ui")
    files = {
        path.name
        for top in ("kiosk", "tests", "scripts", "bench", "resources", "docs")
        for path in (REPO / top).rglob("*")
    }
    missing = [
        name
        for name in sorted(named)
        if "<" not in name
        and not (
            any((b / name).is_file() for b in bases)
            if "/" in name
            else name in files or (REPO / name).is_file()
        )
    ]
    assert missing == []


def test_every_module_of_the_map_exists() -> None:
    """The map's folders (``ui/``, ``core/``) list modules by name: each is a file."""
    gone = []
    for folder, words in (("ui/controllers", "navigator read_aloud staff_mode idle_policy "
                                             "look titles warm_up"),
                          ("ui/speech_mode", "items cursor highlight controller phrases parts"),
                          ("core/speech", "keymap volume"),
                          ("core", "config pin stats usagefile patient files digest "
                                   "terminal contrast errors")):  # fmt: skip
        gone += [
            f"{folder}/{w}.py"
            for w in words.split()
            if not (REPO / "kiosk" / folder / f"{w}.py").is_file()
        ]
    assert gone == []
