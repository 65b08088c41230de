"""The studio's list of articles: every article of the folder, by language and title,
with what staff should know of each (kiosk.core.studio.statuses) in words under it,
narrowed by language, kind and status, and searched with the kiosk's own search.

The search is the kiosk's (kiosk.core.search: its ranking, aliases, synonyms and
near-spellings), over an index of the folder made in memory at the first search after
each ``fill`` (milliseconds for the bundled pack), from the files as the list read them:
the folder need not pass the validator, as `kiosk search` needs it to.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.content.pack import Kind
from kiosk.core.content.problems import Problem
from kiosk.core.search.index import SearchIndex
from kiosk.core.studio.statuses import (
    ArticleRow,
    ContentFolder,
    Status,
    language_name,
    read_folder,
    reread,
    rows,
    search_index,
    search_places,
    status_label,
)

PATH_ROLE = Qt.ItemDataRole.UserRole  # the article's file, as text
WORDS_ROLE = Qt.ItemDataRole.UserRole + 1  # its statuses in words, "" if none
ALL = ""  # a filter's first choice: no narrowing


class ArticleList(QWidget):
    """Emits ``chosen(path)`` when staff choose an article (not when ``select`` does).
    ``today``: the day review dates are judged against (None: the real one)."""

    chosen = Signal(Path)

    def __init__(self, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Article list")
        self._today = today
        self._folder: ContentFolder | None = None
        self._problems: list[Problem] = []
        self._index: SearchIndex | None = None
        self._current: Path | None = None
        self._items: dict[Path, QListWidgetItem] = {}
        self.filters = ListFilters(self)
        self.view = QListWidget(self)
        self.view.setAccessibleName("Articles")
        self.view.setItemDelegate(StatusWordsDelegate(self.view))
        self.view.setWordWrap(True)
        self.view.setSpacing(2)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.filters)
        column.addWidget(self.view, 1)
        self.view.currentItemChanged.connect(self._changed)
        self.filters.changed.connect(self._show)

    def fill(self, folder: Path) -> None:
        """Every article of ``folder`` read again, on this thread (2 ms or so each: 60 ms
        for the bundled pack's 28, seconds for thousands); the search index is made
        again at the next search."""
        self._forget_index()
        self._folder = read_folder(folder)
        self.filters.offer(self._folder)
        self._show()

    def refresh(self, path: Path) -> None:
        """``path`` read again (after a save), and the list with it."""
        if self._folder is not None:
            self._forget_index()
            self._folder = reread(self._folder, path)
            self._show()

    def show_problems(self, problems: list[Problem]) -> None:
        """The validator's latest problems (each check's), for "Has problems"."""
        self._problems = list(problems)
        self._show()

    def select(self, path: Path) -> None:
        """Show ``path`` as the chosen one (Qt chooses the first one when the list first
        gets the focus: it must not replace an article opened another way)."""
        self._current = self._own_name(path)
        item = self._items.get(self._current)
        if item is not None and self.view.currentItem() is not item:
            self.view.blockSignals(True)
            self.view.setCurrentItem(item)
            self.view.blockSignals(False)

    @property
    def today(self) -> date:
        return self._today or date.today()

    def shown(self) -> list[ArticleRow]:
        """The rows the list shows now, in order."""
        if self._folder is None:
            return []
        every = rows(self._folder, self._problems, self.today)
        kept = [row for row in every if self.filters.keeps(row)]
        query = self.filters.query()
        if not query:
            return kept
        if self._index is None:
            self._index = search_index(self._folder)
        places = search_places(self._index, sorted({row.language for row in kept}), query)
        hits = [row for row in kept if (row.language, row.slug) in places]
        return sorted(hits, key=lambda row: (row.language, places[(row.language, row.slug)]))

    # The list's own items, for callers that knew ArticleList as a QListWidget.
    def count(self) -> int:
        return self.view.count()

    def item(self, row: int) -> QListWidgetItem:
        return self.view.item(row)

    def currentItem(self) -> QListWidgetItem | None:
        return self.view.currentItem()

    def setCurrentItem(self, item: QListWidgetItem) -> None:
        self.view.setCurrentItem(item)

    def _show(self) -> None:
        shown = self.shown()
        self.view.blockSignals(True)  # filling is no choice of staff's
        try:
            self.view.clear()
            self._items = {}
            for row in shown:
                self._items[row.path] = _item(row)
                self.view.addItem(self._items[row.path])
            item = self._items.get(self._current) if self._current is not None else None
            if item is not None:
                self.view.setCurrentItem(item)
        finally:
            self.view.blockSignals(False)
        total = len(self._folder.files) if self._folder is not None else 0
        self.filters.say_count(len(shown), total)

    def _own_name(self, path: Path) -> Path:
        """``path`` as the list names that file (the window may name it another way)."""
        files = [f.path for f in self._folder.files] if self._folder is not None else []
        if path in files:
            return path
        wanted = path.resolve()
        return next((own for own in files if own.resolve() == wanted), path)

    def _forget_index(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None

    def _changed(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self._current = Path(item.data(PATH_ROLE))
            self.chosen.emit(self._current)


class ListFilters(QWidget):
    """The search box, the language, kind and status filters, and how many are shown.
    ``changed`` whenever staff change one."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setAccessibleName("Search articles")
        self.search.setPlaceholderText("Search, as patients do")
        self.search.setClearButtonEnabled(True)
        self.language = _combo(self, "Filter by language")
        self.kind = _combo(self, "Filter by kind")
        self.status = _combo(self, "Filter by status")
        self.count = QLabel(self)
        self.count.setObjectName("articles shown")  # its words are its name to a screen reader
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.search)
        # Language and kind side by side, status under them: their words stay whole in
        # the list's narrow column (three in a row showed "All langu", "Any statu").
        row = QHBoxLayout()
        for combo in (self.language, self.kind):
            row.addWidget(combo, 1)
        column.addLayout(row)
        column.addWidget(self.status)
        column.addWidget(self.count)
        self.search.textChanged.connect(self._text_changed)
        for combo in (self.language, self.kind, self.status):
            combo.currentIndexChanged.connect(self._choice_changed)

    def offer(self, folder: ContentFolder) -> None:
        """The choices ``folder`` has (each filter keeps its choice where it still can)."""
        languages = sorted({*folder.info.locales, *(f.language for f in folder.files)})
        named = [(f"{language_name(code)} ({code})", code) for code in languages]
        _choices(self.language, "All languages", named)
        _choices(self.kind, "All kinds", [("Topics", Kind.TOPIC), ("Terms", Kind.TERM)])
        _choices(self.status, "Any status", [(status_label(s, folder), s.value) for s in Status])

    def keeps(self, row: ArticleRow) -> bool:
        language, kind, status = (c.currentData() for c in (self.language, self.kind, self.status))
        return (
            language in (ALL, row.language)
            and kind in (ALL, row.kind)
            and (status == ALL or status in row.statuses)
        )

    def query(self) -> str:
        return self.search.text().strip()

    def say_count(self, shown: int, total: int) -> None:
        self.count.setText(f"{shown} of {total} article{'' if total == 1 else 's'}")

    def _text_changed(self, _text: str) -> None:
        self.changed.emit()

    def _choice_changed(self, _index: int) -> None:
        self.changed.emit()


class StatusWordsDelegate(QStyledItemDelegate):
    """Each row's statuses in words on a line under its language and title: staff read
    them, never a colour alone (the item's own text stays "en · Title")."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        words = index.data(WORDS_ROLE)
        if words:
            option.text = f"{option.text}\u2028\u2003{words}"  # a line break to Qt, indented


def _item(row: ArticleRow) -> QListWidgetItem:
    name = f"{row.language} · {row.title}"
    words = "; ".join(row.words)
    item = QListWidgetItem(name)
    item.setData(PATH_ROLE, str(row.path))
    item.setData(WORDS_ROLE, words)
    item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{name}. {words}" if words else name)
    item.setToolTip(words)
    return item


def _combo(parent: QWidget, name: str) -> QComboBox:
    combo = QComboBox(parent)
    combo.setAccessibleName(name)
    combo.setObjectName(name)
    return combo


def _choices(combo: QComboBox, first: str, choices: list[tuple[str, str]]) -> None:
    """``combo`` offering ``first`` (no narrowing) and ``choices`` (words, value),
    keeping its choice where it still has it; no ``changed`` for this."""
    kept = combo.currentData()
    combo.blockSignals(True)
    try:
        combo.clear()
        combo.addItem(first, ALL)
        for words, value in choices:
            combo.addItem(words, value)
        combo.setCurrentIndex(max(0, combo.findData(kept)))
    finally:
        combo.blockSignals(False)
