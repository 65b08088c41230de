"""The kiosk's log file: kiosk.log in the state folder, rotated at 1 MB, three kept.

Made after the first frame (kiosk.ui.system.crash's ``open_log_file``): the module
behind it, logging.handlers, brings sockets and pickle with it, 2 MB and about 13 ms
that the welcome screen does not need. Until then records wait in memory.
"""

from __future__ import annotations

import logging.handlers
import sys
from collections.abc import Callable
from pathlib import Path

MAX_BYTES = 1_000_000
BACKUPS = 3


class LogFile(logging.handlers.RotatingFileHandler):
    """The log file, which gives up (once, in one line on stderr) when it cannot be
    written, instead of a traceback on stderr for every message; ``failed`` is told
    why ("path: No space left on device")."""

    def __init__(self, path: Path, failed: Callable[[str], None]) -> None:
        super().__init__(path, maxBytes=MAX_BYTES, backupCount=BACKUPS)
        self._failed = failed
        self.gave_up = False

    def emit(self, record: logging.LogRecord) -> None:
        if not self.gave_up:  # given up: the journal has every message
            super().emit(record)

    def handleError(self, record: logging.LogRecord) -> None:
        error = sys.exc_info()[1]
        if not isinstance(error, OSError):
            super().handleError(record)
            return
        self.gave_up = True
        problem = f"{self.baseFilename}: {error.strerror or error}"
        self._failed(problem)
        if sys.stderr is not None:
            print(
                f"kiosk: cannot write the log file {problem}; logging to the journal "
                "(stderr) only; fix: free the disk or make the state folder writable",
                file=sys.stderr,
            )
