"""The Qt-free modules of `kiosk run`'s first frame, imported before Qt is.

PySide6 reads the source file of every module imported after it, to see whether the
module names PySide6 (the import hook behind its ``__feature__`` switches:
shibokensupport/feature.py, ``feature_imported``, PYSIDE-2029). For the kiosk's own
Qt-free modules and the standard ones they bring (sqlite3, cryptography, socket...)
that reading was about 10% of a cold start (BENCHMARKS.md, "Where the start goes").
Imported here first, before the first Qt import, they are read by nobody; nothing else
changes. tests/test_startup_imports.py checks that no module of ``kiosk.core`` is first
imported after Qt before the first frame has painted.
"""

from __future__ import annotations

# The system parts of kiosk.ui.system: memory (ctypes), crash (faulthandler),
# termination (signal), watchdog (socket).
import ctypes  # noqa: F401
import faulthandler  # noqa: F401
import signal  # noqa: F401
import socket  # noqa: F401

import kiosk.core.fleet.state  # the fleet's word on freshness, for the admin panel
import kiosk.core.packs.source  # the pack: signature, catalogue, index
import kiosk.core.patient  # the session's pages and settings
import kiosk.core.stats  # noqa: F401  # the usage counts
