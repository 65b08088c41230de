"""One accessor for the files that ship with the kiosk, from source or from the bundle.

PyInstaller unpacks data beside the executable under ``sys._MEIPASS``; from source the
same files sit at the repository root. Everything that needs a bundled file asks here.
"""

from __future__ import annotations

import sys
from pathlib import Path


def base_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def bundled_content() -> Path:
    """The content pack that ships with the kiosk, used when none is installed."""
    return base_dir() / "content"
