"""``kiosk studio [FOLDER]``: the content studio, a desktop window for clinic staff.
``kiosk studio --kiosk``: the same on a kiosk, from its admin panel, on a copy of the
content the kiosk shows (kiosk.core.studio.working_copy; kiosk.ui.studio.on_kiosk).

Imports no Qt until the command runs (kiosk.cli's rule for every command).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from kiosk.cli_common import add_config_option, config_from, one_line

EXIT_USAGE = 2
DRAFTS = "studio-drafts"  # under the kiosk's data folder (platformdirs), per staff account
ON_KIOSK = "studio"  # the working copy and its packs, under the same folder


def add_commands(commands: Any, content_commands: Any) -> None:
    studio = commands.add_parser(
        "studio", help="edit a content folder's articles in a window (no Markdown or YAML)"
    )
    studio.add_argument(
        "folder", type=Path, nargs="?", default=None, help="the content folder (default: here)"
    )
    studio.add_argument(
        "--kiosk",
        action="store_true",
        help="on this kiosk (its admin panel starts it): full screen, on a copy of the "
        "content it shows, and Publish installs here too",
    )
    add_config_option(studio)
    studio.set_defaults(handler=_studio)


def _studio(args: argparse.Namespace) -> int:
    import platformdirs

    from kiosk.core.config import APP_NAME

    data = Path(platformdirs.user_data_dir(APP_NAME))
    # What the studio says of itself (its folder, its spelling) goes to stderr: on a
    # kiosk into its journal, through the admin panel's launcher.
    logging.getLogger("kiosk.studio").setLevel(logging.INFO)
    if args.kiosk:
        return _on_kiosk(args, data)
    folder: Path = args.folder or Path()
    if not (folder / "pack.toml").is_file():
        print(
            f"kiosk: {folder}: no pack.toml there; give the content folder, e.g. "
            "'kiosk studio content'",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from kiosk.ui.studio.app import run_studio

    return run_studio(folder, data / DRAFTS)


def _on_kiosk(args: argparse.Namespace, data: Path) -> int:
    """The studio on the copy of what this kiosk shows; the copy is made first if
    there is none (from the installed pack, checked against its signature)."""
    if args.folder is not None:
        print(
            "kiosk: studio --kiosk works on a copy of what the kiosk shows; give no folder",
            file=sys.stderr,
        )
        return EXIT_USAGE
    config = config_from(args)
    if config is None:
        return EXIT_USAGE
    from kiosk.core.config import default_config_path
    from kiosk.core.errors import KioskError
    from kiosk.core.packs.store import Store
    from kiosk.core.studio.working_copy import packs_folder, working_copy
    from kiosk.resources import bundled_content
    from kiosk.ui.studio.app import run_studio
    from kiosk.ui.studio.on_kiosk import KioskSide

    studio = data / ON_KIOSK
    try:
        installed = None if config.content else Store(config.store_dir).current_pack_dir()
        copy = working_copy(
            studio,
            installed,
            config.content or bundled_content(),
            config.trusted_keys,
            data / DRAFTS,
        )
        packs = packs_folder(studio)
    except (KioskError, OSError) as err:
        print(f"kiosk: studio: no copy of the content to edit: {one_line(err)}", file=sys.stderr)
        return 1
    said = (
        f"A copy of {copy.made_from}, made for editing on this kiosk. {copy.note}".strip()
        if copy.made_from
        else "The kiosk's copy of its content, as it was left."
    )
    config_file = args.config or default_config_path()
    side = KioskSide(
        config.store_dir,
        config.trusted_keys,
        config.admin_idle_timeout,
        packs,
        config_file,
        studio,
    )
    return run_studio(copy.folder, data / DRAFTS, side, said)
