"""What the kiosk draws, rendered here, to compare the VM's screen against.

    references.py CONTENT_FOLDER OUT_FOLDER [WIDTHxHEIGHT]

Renders the real main window on a content folder with Qt's offscreen platform, at the
VM's screen size, through the steps the VM test takes with its finger: the welcome
screen, home, the first topic's first and second card. Writes one PNG per screen and
``targets.json``: where on the screen those steps touch (the Start button, the first
topic card, a swipe across the card), measured from the widgets, not guessed.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from kiosk.core.config import KioskConfig  # noqa: E402
from kiosk.core.content.loader import load_pack  # noqa: E402
from kiosk.core.search.index import SearchIndex  # noqa: E402
from kiosk.ui.assembly import assemble_kiosk  # noqa: E402
from kiosk.ui.theme import apply_theme, load_fonts, load_theme  # noqa: E402
from kiosk.ui.widgets.cards import CardButton  # noqa: E402


def centre(widget: QWidget, window: QWidget) -> list[int]:
    point = widget.mapTo(window, QPoint(widget.width() // 2, widget.height() // 2))
    return [point.x(), point.y()]


def first_topic(window: QWidget) -> CardButton:
    """The topic card a patient sees first on home (top left): a card with an article."""
    cards = [c for c in window.findChildren(CardButton) if c.isVisible() and c.property("slug")]
    if not cards:
        raise SystemExit("references: home shows no topic card")
    return min(
        cards, key=lambda c: (c.mapTo(window, QPoint(0, 0)).y(), c.mapTo(window, QPoint(0, 0)).x())
    )


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def main(content: Path, out: Path, size: tuple[int, int]) -> int:
    app = QApplication(sys.argv[:1])
    load_fonts()
    apply_theme(app, load_theme("standard"))
    pack = load_pack(content).pack
    if pack is None:
        raise SystemExit(f"references: {content} does not load")
    out.mkdir(parents=True, exist_ok=True)
    window = assemble_kiosk(pack, SearchIndex.build(pack), KioskConfig()).window
    window.resize(*size)
    window.show()
    settle(app)
    targets: dict[str, object] = {"size": list(size)}

    window.grab().save(str(out / "welcome.png"))
    targets["start"] = centre(window.attract.start_button, window)
    window.attract.start_button.click()
    settle(app)
    window.grab().save(str(out / "home.png"))
    card = first_topic(window)
    targets["topic"] = centre(card, window)
    targets["topic_slug"] = str(card.property("slug"))
    card.click()
    settle(app)
    window.grab().save(str(out / "reader-1.png"))
    text = window.reader.text.viewport()
    left, right = text.mapTo(window, QPoint(0, 0)), text.mapTo(window, QPoint(text.width(), 0))
    y = text.mapTo(window, QPoint(0, text.height() // 2)).y()
    width = right.x() - left.x()
    swipe = [left.x() + width * 3 // 4, y, left.x() + width // 4, y]
    targets["swipe_next"] = swipe
    # The swipe as a finger makes it (Qt turns a touch nobody takes into these mouse
    # events): the card turns, and the card's text takes the focus, as on the kiosk.
    press, release = (
        text.mapFrom(window, QPoint(*swipe[:2])),
        text.mapFrom(window, QPoint(*swipe[2:])),
    )
    window.activateWindow()
    QTest.mousePress(text, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, press)
    QTest.mouseMove(text, release)
    QTest.mouseRelease(text, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, release)
    window.reader.slide.setCurrentTime(window.reader.slide.duration())  # where it ends
    settle(app)
    if window.reader.card != 1:
        raise SystemExit("references: the swipe did not turn the card")
    window.grab().save(str(out / "reader-2.png"))
    (out / "targets.json").write_text(json.dumps(targets, indent=1))
    window.close()
    return 0


if __name__ == "__main__":
    width, height = (int(v) for v in (sys.argv[3] if len(sys.argv) > 3 else "1920x1080").split("x"))
    raise SystemExit(main(Path(sys.argv[1]), Path(sys.argv[2]), (width, height)))
