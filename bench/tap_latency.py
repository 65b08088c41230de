"""Tap to painted screen, in a real MainWindow (offscreen), over 200 taps each:

- Next: from just before the mouse click on Next to the end of the paint of the new card;
- open: a tap on a topic card of the home page to the painted first card of the reader,
  with a year of usage counts in place (opening an article counts it: issue 13);
- key: a tap on a letter of the on-screen keyboard to the painted A-Z results.

Baseline, same run, same measurement: a bare QPushButton whose click changes a QLabel.
Prints one JSON line: p50/p95 for each path and the baseline (milliseconds). Target: p95
at most 16 ms (a frame) for open and key.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.inprocess import application, bundled_pack, delete_window, make_kiosk  # noqa: I001
from bench.common import percentile
from kiosk.core.stats import UsageCounts
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

TAPS = 200


class PaintSeen(QObject):
    """Installed on the application: notes a paint of ``within`` or of anything in it
    (the new card may be painted by its scroll area, the text or what follows it)."""

    def __init__(self, within: QWidget) -> None:
        super().__init__()
        self.seen = False
        self._within = within
        app = QCoreApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and (watched is self._within or self._within.isAncestorOf(watched))
        ):
            self.seen = True
        return False

    def remove(self) -> None:
        app = QCoreApplication.instance()
        assert app is not None
        app.removeEventFilter(self)


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

    kiosk = make_kiosk()
    window = kiosk.window
    window.session.open_home()
    if reduce_motion:
        window.session.set_settings(DisplaySettings(reduce_motion=True))
    seen = PaintSeen(window.reader.body)  # the new card
    articles = [a for a in kiosk.navigator.view.articles("en") if len(a.sections) > 1]
    times: list[float] = []
    i = 0
    while len(times) < TAPS:
        article = articles[i % len(articles)]
        i += 1
        kiosk.navigator.open_article(article.slug)
        QCoreApplication.processEvents()
        while window.reader.next_button.isVisible() and len(times) < TAPS:
            # TouchButton ignores a second tap within 300 ms (shaky fingers); a real
            # patient reads between taps, so the bench clears it instead of sleeping.
            window.reader.next_button.tap_guard.forget()
            times.append(tap_until_painted(window.reader.next_button, seen))
    seen.remove()
    delete_window(window)
    return times


def year_of_counts(path: Path, slugs: list[str]) -> UsageCounts:
    """Every article opened on each of the last 365 days, in both languages."""
    usage = UsageCounts(path)
    today = date.today()
    with sqlite3.connect(path) as conn:
        conn.executemany(
            "INSERT INTO views(day, locale, slug, count) VALUES(?, ?, ?, ?)",
            [
                ((today - timedelta(days=d)).isoformat(), locale, slug, 1 + (d * 7) % 40)
                for d in range(1, 366)
                for locale in ("en", "es")
                for slug in slugs
            ],
        )
    usage.prune()  # laid out by key, as the kiosk keeps it
    return usage


def open_taps(folder: Path) -> list[float]:
    """Home page card -> the reader's first card painted, each article's first opening
    of the day (a new row: the write that rebuilt the file on the GUI thread)."""
    from kiosk.core.stats import DB_FILE

    pack = bundled_pack()
    usage = year_of_counts(folder / DB_FILE, [a.slug for a in pack.articles_in("en")])
    window = make_kiosk(pack, usage=usage).window
    seen = PaintSeen(window.reader.body)
    times: list[float] = []
    while len(times) < TAPS:
        with sqlite3.connect(folder / DB_FILE) as conn:  # today's rows gone: new each time
            conn.execute("DELETE FROM views WHERE day = ?", (date.today().isoformat(),))
        window.session.open_home()
        QCoreApplication.processEvents()
        for card in list(window.home._cards):
            slug = card.property("slug")
            if not slug or len(times) >= TAPS:
                continue
            card.tap_guard.forget()
            times.append(tap_until_painted(card, seen))
            window.session.open_home()
            QCoreApplication.processEvents()
    usage.close()
    seen.remove()
    delete_window(window)
    return times


def key_taps() -> list[float]:
    """A letter key of the on-screen keyboard -> the A-Z results painted."""
    kiosk = make_kiosk()
    window = kiosk.window
    window.session.open_home()
    kiosk.navigator.open_terms()
    window.terms.open_keyboard()
    QCoreApplication.processEvents()
    seen = PaintSeen(window.terms.scroll_area)
    keys = {key.text(): key for key in window.terms.keyboard._keys}
    words = ["heart", "blood", "anemia", "diabetes", "stroke"]
    times: list[float] = []
    while len(times) < TAPS:
        word = words[len(times) % len(words)]
        window.terms.field.clear()
        QCoreApplication.processEvents()
        for letter in word:
            key = keys.get(letter) or keys.get(letter.upper())
            if key is None or len(times) >= TAPS:
                continue
            key.tap_guard.forget()
            times.append(tap_until_painted(key, seen))
    seen.remove()
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
    seen = PaintSeen(label)
    times = [tap_until_painted(button, seen) for _ in range(TAPS)]
    seen.remove()
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    return times


def main() -> int:
    application()
    bare = bare_taps()
    ours = kiosk_taps()
    still = kiosk_taps(reduce_motion=True)
    with tempfile.TemporaryDirectory() as folder:
        opens = open_taps(Path(folder))
    keys = key_taps()
    result = {
        "taps": TAPS,
        "p50": percentile(ours, 50),
        "p95": percentile(ours, 95),
        "p95_reduce_motion": percentile(still, 95),
        "open_p50": percentile(opens, 50),
        "open_p95": percentile(opens, 95),
        "key_p50": percentile(keys, 50),
        "key_p95": percentile(keys, 95),
        "base_p50": percentile(bare, 50),
        "base_p95": percentile(bare, 95),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
