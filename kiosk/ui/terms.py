"""The A-Z term browser: letters, a search box, an on-screen keyboard, big results.

Results update with every key. Term buttons come from a pool that only grows to the
largest list shown, so typing for months creates no new widgets once warm.
"""

from __future__ import annotations

import string

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.review import PatientView
from kiosk.core.search import SearchIndex
from kiosk.ui.keyboard import OnScreenKeyboard
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import Label, TouchButton, enable_kinetic_scrolling, themed_icon

LETTERS = string.ascii_uppercase
MAX_LISTED = 120  # more than this is a wall of buttons; ask for another letter instead


class TermsPage(QWidget):
    article_chosen = Signal(str)
    search_changed = Signal(str, str)  # text, letter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._view: PatientView | None = None
        self._open = False  # lists are built when the page opens (restore)
        self._index: SearchIndex | None = None
        self._locale = ""
        self._letter = ""
        self.field = QLineEdit(self)
        self.field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.field.setMaxLength(60)
        self.field.textChanged.connect(self._on_text)
        self.clear_button = TouchButton(role="secondary")
        self.clear_button.clicked.connect(self.clear)
        search_row = QHBoxLayout()
        search_row.setSpacing(16)
        search_row.addWidget(self.field, 1)
        search_row.addWidget(self.clear_button)
        self._letters: dict[str, TouchButton] = {}
        letters = QGridLayout()
        letters.setSpacing(8)
        for i, letter in enumerate(LETTERS):
            button = TouchButton(letter, role="letter", name=letter)
            button.clicked.connect(self._letter_clicked)
            self._letters[letter] = button
            letters.addWidget(button, i // 13, i % 13)
        # Letters, heading and results scroll together, so with large text the
        # keyboard keeps its place and nothing is squeezed or cut off.
        browse = QWidget()
        self.heading = Label(browse)
        self.heading.setProperty("role", "card-title")
        self.heading.setWordWrap(True)
        self._results_host = QWidget(browse)
        self._results = QGridLayout(self._results_host)
        self._results.setContentsMargins(0, 0, 0, 0)
        self._results.setSpacing(12)
        self._results.setAlignment(Qt.AlignmentFlag.AlignTop)
        column = QVBoxLayout(browse)
        column.setContentsMargins(0, 0, 16, 0)
        column.setSpacing(14)
        column.addLayout(letters)
        column.addWidget(self.heading)
        column.addWidget(self._results_host)
        column.addStretch(1)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(browse)
        enable_kinetic_scrolling(self.scroll_area)
        self.keyboard = OnScreenKeyboard(self)
        self.keyboard.typed.connect(self._type)
        self.keyboard.backspace_pressed.connect(self.field.backspace)
        self.keyboard.clear_pressed.connect(self.clear)
        self._pool: list[TouchButton] = []
        self._shown = 0
        self._columns = 3
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 20, 48, 16)
        layout.setSpacing(14)
        layout.addLayout(search_row)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.keyboard)
        self.retranslate()

    def retranslate(self) -> None:
        self.field.setPlaceholderText(QCoreApplication.translate("TermsPage", "Type a health word"))
        self.field.setAccessibleName(QCoreApplication.translate("TermsPage", "Search health words"))
        self.clear_button.setText(QCoreApplication.translate("TermsPage", "Clear"))
        self.clear_button.setAccessibleName(
            QCoreApplication.translate("TermsPage", "Clear the search")
        )

    def restyle(self, theme: Theme) -> None:
        self.clear_button.setIcon(themed_icon("clear", theme.colors["on_secondary"]))

    # --- content ----------------------------------------------------------------------

    def show_articles(self, view: PatientView, index: SearchIndex, locale: str) -> None:
        """List the articles patients may see in ``view``, and search among them only."""
        self._view, self._index, self._locale = view, index, locale
        self.keyboard.set_locale(locale)
        initials = view.initials(locale)
        for letter, button in self._letters.items():
            button.setEnabled(letter in initials)
            button.setAccessibleDescription(
                "" if letter in initials else QCoreApplication.translate("TermsPage", "No words")
            )
        self.retranslate()
        self._refresh()

    def restore(self, text: str, letter: str) -> None:
        """The page opens: list what the session had (nothing is listed before, so a
        start-up or a reset builds no buttons, and no old results wait hidden)."""
        self._open = True
        self._letter = letter
        self.field.setText(text)  # refreshes through textChanged
        self._refresh()
        # Typing goes to the search field, from the keys or a USB keyboard.
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- input ------------------------------------------------------------------------

    def _type(self, char: str) -> None:
        self.field.insert(char)

    def clear(self) -> None:
        self._letter = ""
        self.field.clear()
        self._refresh()

    def _letter_clicked(self) -> None:
        button = self.sender()
        if isinstance(button, TouchButton):
            self._letter = button.text()
            self.field.blockSignals(True)
            self.field.clear()
            self.field.blockSignals(False)
            self._refresh()

    def _on_text(self, text: str) -> None:
        if text.strip():
            self._letter = ""
        self._refresh()

    # --- results ----------------------------------------------------------------------

    def _refresh(self) -> None:
        index, view, query = self._index, self._view, self.field.text().strip()
        if index is None or view is None:
            return
        self.search_changed.emit(self.field.text(), self._letter)
        if not self._open:
            self.heading.clear()
            self._show_results([])
            return
        if query:
            hits = view.titled(
                self._locale, [h.slug for h in index.search(query, self._locale, limit=30)]
            )
            if hits:
                self.heading.setText(
                    QCoreApplication.translate("TermsPage", "Results for “%1”").replace("%1", query)
                )
            else:
                hits = view.titled(
                    self._locale, [h.slug for h in index.closest(query, self._locale)]
                )
                self.heading.setText(
                    QCoreApplication.translate(
                        "TermsPage", "No results for “%1”. Did you mean:"
                    ).replace("%1", query)
                    if hits
                    else QCoreApplication.translate(
                        "TermsPage", "No results for “%1”. Try fewer letters, or tap a letter."
                    ).replace("%1", query)
                )
        else:
            listed = view.listing(self._locale, initial=self._letter, limit=MAX_LISTED)
            if self._letter:
                self.heading.setText(
                    QCoreApplication.translate("TermsPage", "Words starting with %1").replace(
                        "%1", self._letter
                    )
                )
            else:
                self.heading.setText(QCoreApplication.translate("TermsPage", "All health words"))
            hits = [(a.slug, a.title) for a in listed]
        self._show_results(hits)

    def _show_results(self, hits: list[tuple[str, str]]) -> None:
        while len(self._pool) < len(hits):
            button = TouchButton(role="term")
            button.clicked.connect(self._result_clicked)
            self._pool.append(button)
        for i, button in enumerate(self._pool):
            if i < len(hits):
                slug, title = hits[i]
                button.setText(title)
                button.setAccessibleName(title)
                button.setProperty("slug", slug)
                self._results.addWidget(button, i // self._columns, i % self._columns)
                button.show()
            else:
                button.hide()
        self._shown = len(hits)
        self.scroll_area.verticalScrollBar().setValue(0)

    def _result_clicked(self) -> None:
        button = self.sender()
        if isinstance(button, TouchButton):
            self.article_chosen.emit(str(button.property("slug")))

    def visible_results(self) -> list[str]:
        return [b.text() for b in self._pool[: self._shown]]

    def resizeEvent(self, event: QResizeEvent) -> None:
        columns = 3 if self.width() > self.height() else 2
        if columns != self._columns:
            self._columns = columns
            self._show_results(
                [(str(b.property("slug")), b.text()) for b in self._pool[: self._shown]]
            )
        super().resizeEvent(event)

    def reset(self) -> None:
        self._open = False
        self.keyboard.reset()
        self.clear()
