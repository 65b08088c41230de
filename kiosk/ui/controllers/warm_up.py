"""What the kiosk makes after its first frame, while the welcome screen shows.

The welcome screen paints first; the other pages, the read-aloud engine, the store's
watch and the search tables follow, one short step per turn of the event loop, so a
tap in between is handled at once. Each step is safe to run late or twice: a page a
patient asks for sooner is made then (kiosk.ui.window), and its step does nothing.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

log = logging.getLogger("kiosk.ui")

# Begin anyway if the welcome screen has not painted by then (a window never exposed):
# the kiosk must be whole before anyone could reach it.
LATEST_START_MS = 1500

Step = tuple[str, Callable[[], object]]  # what it returns is dropped


class WarmUp(QObject):
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: deque[Step] = deque()
        self._watched: QWidget | None = None

    def add(self, steps: Iterable[Step]) -> None:
        self._steps.extend(steps)

    @property
    def done(self) -> bool:
        return not self._steps

    def run_now(self) -> None:
        """Every step at once (the tests, the preview, the smoke test)."""
        while self.run_next() is not None:
            pass

    def run_next(self) -> str | None:
        """Run the next step and return its name (None: none was left); after the
        last one, ``finished``."""
        if not self._steps:
            return None
        name, step = self._steps.popleft()
        began = time.perf_counter()
        try:
            step()
        finally:  # a step that raises is a bug: the excepthook logs it and brings the
            # patient home (kiosk.ui.system.crash); the later steps still run (_next)
            log.debug("warm-up: %s in %.1f ms", name, (time.perf_counter() - began) * 1000)
            if not self._steps:
                log.debug("warm-up done")
                self.finished.emit()
        return name

    def run_early(self, name: str) -> None:
        """Run the step ``name`` now, if it has not run (something needs it sooner)."""
        for step in self._steps:
            if step[0] == name:
                self._steps.remove(step)
                self._steps.appendleft(step)
                self.run_next()
                return

    def start_after_paint(self, page: QWidget) -> None:
        """Begin once ``page`` (the welcome screen) has painted."""
        self._watched = page
        page.installEventFilter(self)
        latest = QTimer(self)  # a child: it goes with the kiosk
        latest.setSingleShot(True)
        latest.timeout.connect(self._begin)
        latest.start(LATEST_START_MS)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._watched and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self, self._begin)  # after this paint reaches the screen
        return False

    def _begin(self) -> None:
        if self._watched is None:
            return  # begun already
        self._watched.removeEventFilter(self)
        self._watched = None
        self._next()

    def _next(self) -> None:
        try:
            self.run_next()
        finally:  # the steps after one that raised still run
            if self._steps:
                QTimer.singleShot(0, self, self._next)  # taps and paints queued meanwhile first
