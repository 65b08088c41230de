"""Write docs/studio/: the content studio's screens for docs/STUDIO.md, on a copy of the
bundled content, with Qt's offscreen platform (no display needed, the same pixels on
every machine). Each step of the guide has its picture, taken as staff would see it.

Usage: ``studio_screenshots.py [OUT]`` (default docs/studio).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtGui import QContextMenuEvent, QImage, QPainter, QTextCursor  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QInputDialog, QTabWidget, QWidget  # noqa: E402
from studio_helpers import Answers  # noqa: E402

from kiosk.core.studio.drafts import Drafts  # noqa: E402
from kiosk.ui.studio.window import StudioWindow  # noqa: E402

SIZE = (1440, 900)


def settle(window: StudioWindow, ms: int = 15_000) -> None:
    """Until the check has run on the text as it is (and the preview is drawn)."""
    QTest.qWait(100)
    waited = 0
    while (window.checker.busy or window.preview.parts is None) and waited < ms:
        QTest.qWait(100)
        waited += 100
    QTest.qWait(700)


def save(widget: QWidget, out: Path, name: str) -> None:
    widget.grab().save(str(out / name))
    print(out / name)


def with_popup(window: StudioWindow, popup: QWidget, at: QPoint) -> QImage:
    """The window with ``popup`` drawn over it at ``at`` (a menu is its own window)."""
    picture = window.grab().toImage()
    painter = QPainter(picture)
    painter.drawPixmap(at, popup.grab())
    painter.end()
    return picture


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "studio"
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Content studio")
    work = Path(tempfile.mkdtemp(prefix="studio-shots-"))
    folder = Path(shutil.copytree(REPO / "content", work / "content"))
    window = StudioWindow(folder, Drafts(work / "drafts"), questions=Answers())
    window.resize(*SIZE)
    window.show()
    tabs = window.findChild(QTabWidget)
    assert tabs is not None

    # 1. The window, an article open, the cursor in a card.
    rate = folder / "en" / "terms" / "heart-rate.md"
    window.open(rate)
    found = window.body.rich.document().find("How to check your pulse")
    window.body.rich.setTextCursor(QTextCursor(found.block().next()))
    window._check()
    settle(window)
    save(window, out, "01-window.png")

    # 2. Typing: a misspelt word, a hard word, and the right-click menu.
    window.body.rich.moveCursor(QTextCursor.MoveOperation.EndOfBlock)
    QTest.keyClicks(window.body.rich, " Utilize a watch with a secnd hand.")
    settle(window)
    found = window.body.rich.document().find("secnd")
    cursor = QTextCursor(found.block())
    cursor.setPosition(found.selectionStart() + 2)
    point = window.body.rich.cursorRect(cursor).center()
    menu_source = window.body.rich.spelling_menu
    assert menu_source is not None
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, window.body.rich.viewport().mapToGlobal(point)
    )
    menu = menu_source.menu_for(event)
    menu.adjustSize()
    at = window.body.rich.viewport().mapTo(window, point)
    with_popup(window, menu, at).save(str(out / "02-spelling.png"))
    print(out / "02-spelling.png")

    # 3. The toolbar: a new card with a list and a link.
    window.body.rich.moveCursor(QTextCursor.MoveOperation.End)
    window.body.toolbar.new_card.trigger()
    QTest.keyClicks(window.body.rich, "After exercise")
    QTest.keyClick(window.body.rich, Qt.Key.Key_Return)
    window.body.toolbar.bullets.trigger()
    QTest.keyClicks(window.body.rich, "Rest for 5 minutes.")
    QTest.keyClick(window.body.rich, Qt.Key.Key_Return)
    QTest.keyClicks(window.body.rich, "Drink water.")
    settle(window)
    save(window, out, "03-toolbar.png")
    chooser = QInputDialog(window)
    chooser.setWindowTitle("Link to an article")
    chooser.setLabelText("Patients tap the link to read this article:")
    chooser.setComboBoxItems(["Heart Attack", "Heart Block", "Heart Failure", "Hypertension"])
    chooser.show()
    QTest.qWait(100)
    save(chooser, out, "04-link.png")
    chooser.close()

    # 4. A problem: the title emptied.
    title = window.details.texts["title"]
    title.selectAll()
    QTest.keyClick(title, Qt.Key.Key_Delete)
    settle(window)
    save(window, out, "05-problem.png")
    QTest.keyClicks(title, "Heart Rate")
    settle(window)

    # 5. Spanish beside English.
    tabs.setCurrentIndex(1)
    settle(window)
    save(window, out, "06-translation.png")
    tabs.setCurrentIndex(0)

    # 6. A new article.
    dialog = window.new_article()
    QTest.keyClicks(dialog.title_box, "Heat Stroke")
    QTest.keyClicks(dialog.summary, "Heat stroke is when your body gets too hot. It is an emergency.")
    QTest.keyClicks(dialog.first, "Call 911 if someone is very hot and confused.")
    QTest.qWait(100)
    save(dialog, out, "07-new-article.png")
    dialog.close()

    # 7. Publish.
    publish = window.publish()
    assert publish is not None
    publish.key.setText("/media/usb/clinic-signing.key")
    publish.destination.setText("/media/usb")
    waited = 0
    while "Working out" in publish.summary.text() and waited < 20_000:
        QTest.qWait(100)
        waited += 100
    publish.resize(640, 420)
    QTest.qWait(100)
    save(publish, out, "08-publish.png")
    publish.close()
    window.close()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
