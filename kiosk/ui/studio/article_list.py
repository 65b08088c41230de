"""The studio's list of articles: every article of the folder, by language and title."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from kiosk.core.errors import UnreadableFileError
from kiosk.core.studio.articles import open_article
from kiosk.core.studio.document import ArticleDocument

log = logging.getLogger("kiosk.studio")


class ArticleList(QListWidget):
    """Emits ``chosen(path)`` when staff choose an article (not when ``select`` does)."""

    chosen = Signal(Path)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Articles")
        self.currentItemChanged.connect(self._changed)

    def fill(self, folder: Path) -> None:
        self.clear()
        for path in sorted(folder.glob("*/*/*.md")):
            title = path.stem
            try:
                title = str(ArticleDocument(open_article(path)).fields().get("title") or title)
            except UnreadableFileError as err:
                log.warning("%s", err)
            item = QListWidgetItem(f"{path.parent.parent.name} · {title}")
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            self.addItem(item)

    def select(self, path: Path) -> None:
        """Show ``path`` as the chosen one (Qt chooses the first one when the list first
        gets the focus: it must not replace an article opened another way)."""
        for row in range(self.count()):
            item = self.item(row)
            if Path(item.data(Qt.ItemDataRole.UserRole)).resolve() == path.resolve():
                if self.currentItem() is not item:
                    self.blockSignals(True)
                    self.setCurrentItem(item)
                    self.blockSignals(False)
                return

    def _changed(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.chosen.emit(Path(item.data(Qt.ItemDataRole.UserRole)))
