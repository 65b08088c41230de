"""Tap to painted card: from just before the mouse click on Next to the end of the
next paint of the new card, over 200 taps, in a real MainWindow (offscreen).

Baseline, same run, same measurement: a bare QPushButton whose click changes a QLabel.
Prints one JSON line: p50/p95 for the kiosk and the baseline (milliseconds).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.inprocess import application, delete_window, make_window  # noqa: I001
from bench.common import percentile
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

TAPS = 200


class PaintSeen(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.seen = True
        return False


def tap_until_painted(button: QWidget, seen: PaintSeen) -> float:
    """Milliseconds from the click to the return of the event processing that painted."""
    QCoreApplication.processEvents()  # nothing of the last tap left over
    seen.seen = False
    start = time.perf_counter()
    QTest.mouseClick(button, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint())
    seen.seen = False  # the slide's grab() of the old card paints inside the click
    while not seen.seen:
        QCoreApplication.processEvents()
        if time.perf_counter() - start > 5:
            raise RuntimeError(f"no paint within 5 s of the tap on {button.objectName()}")
    return (time.perf_counter() - start) * 1000


def kiosk_taps(reduce_motion: bool = False) -> list[float]:
    from kiosk.core.patient import DisplaySettings

    window = make_window()
    window.session.open_home()
    if reduce_motion:
        window.session.set_settings(DisplaySettings(reduce_motion=True))
    seen = PaintSeen()
    window.reader.text.viewport().installEventFilter(seen)  # the new card's text
    articles = [a for a in window.view.articles("en") if len(a.sections) > 1]
    times: list[float] = []
    i = 0
    while len(times) < TAPS:
        article = articles[i % len(articles)]
        i += 1
        window.open_article(article.slug)
        QCoreApplication.processEvents()
        while window.reader.next_button.isEnabled() and len(times) < TAPS:
            # TouchButton ignores a second tap within 300 ms (shaky fingers); a real
            # patient reads between taps, so the bench clears it instead of sleeping.
            window.reader.next_button._last_click = 0.0  # type: ignore[attr-defined]
            times.append(tap_until_painted(window.reader.next_button, seen))
    window.reader.text.viewport().removeEventFilter(seen)
    delete_window(window)
    return times


def bare_taps() -> list[float]:
    window = QWidget()
    label = QLabel("card 0", window)
    button = QPushButton("Next", window)
    layout = QVBoxLayout(window)
    layout.addWidget(label, 1)
    layout.addWidget(button)
    count = [0]

    def turn() -> None:
        count[0] += 1
        label.setText(f"card {count[0]}")

    button.clicked.connect(turn)
    window.resize(1920, 1080)
    window.show()
    QCoreApplication.processEvents()
    seen = PaintSeen()
    label.installEventFilter(seen)
    times = [tap_until_painted(button, seen) for _ in range(TAPS)]
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    return times


def main() -> int:
    application()
    bare = bare_taps()
    ours = kiosk_taps()
    still = kiosk_taps(reduce_motion=True)
    result = {
        "taps": TAPS,
        "p50": percentile(ours, 50),
        "p95": percentile(ours, 95),
        "p95_reduce_motion": percentile(still, 95),
        "base_p50": percentile(bare, 50),
        "base_p95": percentile(bare, 95),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
