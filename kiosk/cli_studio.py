"""``kiosk studio [FOLDER]``: the content studio, a desktop window for clinic staff.

Imports no Qt until the command runs (kiosk.cli's rule for every command).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXIT_USAGE = 2
DRAFTS = "studio-drafts"  # under the kiosk's data folder (platformdirs), per staff account


def add_commands(commands: Any, content_commands: Any) -> None:
    studio = commands.add_parser(
        "studio", help="edit a content folder's articles in a window (no Markdown or YAML)"
    )
    studio.add_argument(
        "folder", type=Path, nargs="?", default=Path(), help="the content folder (default: here)"
    )
    studio.set_defaults(handler=_studio)


def _studio(args: argparse.Namespace) -> int:
    folder: Path = args.folder
    if not (folder / "pack.toml").is_file():
        print(
            f"kiosk: {folder}: no pack.toml there; give the content folder, e.g. "
            "'kiosk studio content'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    import platformdirs

    from kiosk.core.config import APP_NAME
    from kiosk.ui.studio.app import run_studio

    return run_studio(folder, Path(platformdirs.user_data_dir(APP_NAME)) / DRAFTS)
