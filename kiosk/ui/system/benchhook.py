"""A benchmark hook (bench/cold_start.py): report the first paint, then quit.

Does nothing unless ``KIOSK_BENCH_EXIT_AFTER_PAINT=1``. Then, once the page shown at
start has painted, it prints ``painted <s> vmhwm_kb <n>`` (seconds since the parent's
``KIOSK_BENCH_T0``, a ``time.perf_counter()`` value: the same monotonic clock on Linux;
peak RSS from /proc/self/status). With ``KIOSK_BENCH_WARMED=1`` it then waits for the
work left for after the first paint (kiosk.ui.controllers.warm_up) and prints
``warmed <s> vmhwm_kb <n>``. With ``KIOSK_BENCH_VISIT_ALL=1`` it then waits until
the work done after the first screen is over (warm-up, the background check of the
pack), prints ``settled <s> vmhwm_kb <n>``, opens every article and every card, and
prints ``visited <n> vmhwm_kb <n>`` before quitting.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer

SETTLE_MS = 2500  # the warm-up and the pack's background check (from 1 s) are over


def vmhwm_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


class _FirstPaint(QObject):
    def __init__(self, kiosk: Any) -> None:
        """``kiosk``: kiosk.ui.first_frame's FirstFrame (its window, warm-up, parts)."""
        super().__init__(kiosk.window)
        self._kiosk = kiosk
        self._page = kiosk.window.stack.currentWidget()  # the attract (home) screen
        self._page.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._page.removeEventFilter(self)
            QTimer.singleShot(0, self._report)  # after this paint and its flush
        return False

    def _report(self) -> None:
        _print("painted")
        warm_up = self._kiosk.warm_up
        if not _asked("KIOSK_BENCH_WARMED") and not _asked("KIOSK_BENCH_VISIT_ALL"):
            QCoreApplication.quit()  # before the warm-up (tests/test_startup_imports.py)
        elif warm_up.done:
            self._warmed()
        else:
            warm_up.finished.connect(self._warmed)

    def _warmed(self) -> None:
        _print("warmed")
        if _asked("KIOSK_BENCH_VISIT_ALL"):
            QTimer.singleShot(SETTLE_MS, self._visit_all)
        else:
            QCoreApplication.quit()

    def _visit_all(self) -> None:
        _print("settled")
        w, nav = self._kiosk.window, self._kiosk.assemble().navigator
        articles = nav.view.articles(w.session.locale)
        for article in articles:
            nav.open_article(article.slug)
            for card in range(len(article.sections)):
                w.reader.show_card(card)
                w.reader.repaint()
                QCoreApplication.processEvents()
        print(f"visited {len(articles)} vmhwm_kb {vmhwm_kb()}", flush=True)
        QCoreApplication.quit()


def _asked(variable: str) -> bool:
    return os.environ.get(variable) == "1"


def _print(what: str) -> None:
    start = float(os.environ.get("KIOSK_BENCH_T0", "0"))
    line = f"{what} {time.perf_counter() - start:.4f} vmhwm_kb {vmhwm_kb()}"
    print(line, flush=True)
    # On stderr too, where `python -X importtime` writes: a test tells the modules
    # imported before the first paint from those of the exit (test_startup_imports).
    print(line, file=sys.stderr, flush=True)


def exit_after_first_paint_if_asked(kiosk: Any) -> None:
    if _asked("KIOSK_BENCH_EXIT_AFTER_PAINT"):
        _FirstPaint(kiosk)
