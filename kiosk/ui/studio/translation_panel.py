"""An article beside its translation, card by card, in the studio.

Rows pair the cards in order (kiosk.core.studio.translations): a card the translation
lacks or has over is said in words. Whether the source changed since the translation
was last checked against it is known from content hashes, not dates: the translation
records the source's hash (``translated_from``) when staff mark it checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.content.pack import Pack, Section
from kiosk.core.studio.statuses import language_name
from kiosk.core.studio.translations import CardPair, Pairing, pair_cards

CARD_CHARS = 280  # of a card's text shown in its cell: enough to recognise it


@dataclass(frozen=True)
class Sides:
    """The article on screen (the source, or its translation: ``on_source``) and its
    other language: files, languages, and the translation's state (``check``: "same",
    "changed", "unmarked", "untranslated" (still the source's text) or "missing")."""

    source: Path
    translation: Path
    source_locale: str
    locale: str
    check: str
    on_source: bool


class TranslationPanel(QWidget):
    """Emits ``open_requested(path)``, ``mark_requested()`` (the translation checked
    against the source as it is now), ``start_requested()`` (a translation begun from
    the source) and ``card_chosen(card)`` (a row clicked: that card, from 0)."""

    open_requested = Signal(Path)
    mark_requested = Signal()
    start_requested = Signal()
    card_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sides: Sides | None = None
        self.verdict = QLabel(self)
        self.verdict.setWordWrap(True)
        self.cards = QTableWidget(0, 2, self)
        self.cards.setAccessibleName("Cards side by side")
        self.cards.setWordWrap(True)
        self.cards.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.cards.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.cards.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.open_other = QPushButton(self)
        self.mark = QPushButton(self)
        self.start = QPushButton(self)
        buttons = QHBoxLayout()
        for button in (self.open_other, self.mark, self.start):
            buttons.addWidget(button)
        column = QVBoxLayout(self)
        column.addWidget(self.verdict)
        column.addWidget(self.cards, 1)
        column.addLayout(buttons)
        self.open_other.clicked.connect(self._open_other)
        self.mark.clicked.connect(self.mark_requested)
        self.start.clicked.connect(self.start_requested)
        self.cards.cellClicked.connect(self._clicked)

    def show_for(self, pack: Pack, sides: Sides | None, slug: str) -> None:
        """``slug`` in ``sides``' two languages of ``pack`` (None: the pack has one
        language only)."""
        self.sides = sides
        if sides is None:
            self.verdict.setText("This pack has one language: there is nothing to compare.")
            self.cards.setRowCount(0)
            for button in (self.open_other, self.mark, self.start):
                button.hide()
            return
        source_name, name = language_name(sides.source_locale), language_name(sides.locale)
        self.cards.setHorizontalHeaderLabels([source_name, name])
        source = pack.articles.get(sides.source_locale, {}).get(slug)
        translation = pack.articles.get(sides.locale, {}).get(slug)
        rows = pair_cards(
            source.sections if source is not None else (),
            translation.sections if translation is not None else (),
        )
        self._fill(rows, source_name, name)
        # Heights once the columns have their widths (measured before, a cell of text
        # wrapped at a few characters was as tall as the table).
        QTimer.singleShot(0, self.cards, self.cards.resizeRowsToContents)
        self.verdict.setText(_verdict(sides.check, source_name, name, rows))
        self.open_other.setText(f"Open the {name if sides.on_source else source_name}")
        self.open_other.setVisible(sides.check != "missing")
        self.mark.setText(f"Mark the {name} as checked against this {source_name}")
        self.mark.setVisible(sides.check in ("changed", "unmarked"))
        self.start.setText(f"Start the {name} version from the {source_name}")
        self.start.setVisible(sides.check == "missing")

    def _fill(self, rows: list[CardPair], source_name: str, name: str) -> None:
        self.cards.setRowCount(len(rows))
        for row, pair in enumerate(rows):
            self.cards.setItem(row, 0, _cell(pair.source, f"Missing: no {source_name} card"))
            self.cards.setItem(
                row,
                1,
                _cell(
                    pair.translation,
                    f"Missing: no {name} card here yet",
                    extra=pair.pairing is Pairing.EXTRA,
                    source_name=source_name,
                ),
            )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # After the table's own columns have stretched to the new width.
        QTimer.singleShot(0, self.cards, self.cards.resizeRowsToContents)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self.cards, self.cards.resizeRowsToContents)

    def _open_other(self) -> None:
        if self.sides is not None:
            other = self.sides.translation if self.sides.on_source else self.sides.source
            self.open_requested.emit(other)

    def _clicked(self, row: int, _column: int) -> None:
        self.card_chosen.emit(row)


def _cell(
    card: Section | None, missing: str, *, extra: bool = False, source_name: str = ""
) -> QTableWidgetItem:
    if card is None:
        item = QTableWidgetItem(missing)
        font = item.font()
        font.setItalic(True)
        item.setFont(font)
        return item
    text = card.text if len(card.text) <= CARD_CHARS else card.text[:CARD_CHARS] + "..."
    # A card's text begins with its heading (kiosk.core.content.sections).
    said = text if text.startswith(card.title) else f"{card.title}\n\n{text}"
    if extra:
        said = f"Extra: no {source_name} card matches this one\n\n{said}"
    item = QTableWidgetItem(said)
    item.setTextAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    return item


def _verdict(check: str, source_name: str, name: str, rows: list[CardPair]) -> str:
    missing = sum(row.pairing is Pairing.MISSING for row in rows)
    extra = sum(row.pairing is Pairing.EXTRA for row in rows)
    said = {
        "missing": f"There is no {name} version of this article yet.",
        "untranslated": (
            f"The {name} version still has the {source_name} text it was started from: "
            f"write each card in {name}, then mark it checked."
        ),
        "unmarked": f"The {name} has not been marked as checked against the {source_name}.",
        "changed": (
            f"The {source_name} changed since this {name} version was checked: compare the "
            f"cards and bring the {name} up to date, then mark it checked."
        ),
        "same": f"The {name} was checked against this {source_name} version.",
    }[check]
    if check != "missing" and (missing or extra):
        said += f" {_cards(missing)} missing in the {name}, {extra} extra."
    return said


def _cards(count: int) -> str:
    return "1 card" if count == 1 else f"{count} cards"
