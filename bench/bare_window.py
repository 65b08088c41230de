"""The baseline for cold start and memory: a bare PySide6 QWidget, shown the way the
kiosk shows its window (1600x900), that prints the same line after its first paint
(``painted <s> vmhwm_kb <n>``, see kiosk/ui/system/benchhook.py) and quits."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


def vmhwm_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


class FirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, report)
        return False


def report() -> None:
    start = float(os.environ.get("KIOSK_BENCH_T0", "0"))
    print(f"painted {time.perf_counter() - start:.4f} vmhwm_kb {vmhwm_kb()}", flush=True)
    QApplication.quit()


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QWidget()
    watcher = FirstPaint(window)
    window.installEventFilter(watcher)
    window.resize(1600, 900)
    window.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
