"""The A-Z page's letters: a tap lists the words starting with that letter."""

from __future__ import annotations

import string
from collections.abc import Container

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.widgets.layout import fit_columns

LETTERS = string.ascii_uppercase


class LetterBar(QObject):
    """A to Z in a grid (``host``) of as many columns as fit (13, 9, 7, 5 or one), the
    chosen letter checked (marked, not only coloured)."""

    letter_chosen = Signal(str)

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.host = QWidget()
        self._grid = QGridLayout(self.host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(8)
        self._buttons: dict[str, TouchButton] = {}
        for letter in LETTERS:
            button = TouchButton(letter, role="letter", name=letter)
            button.setCheckable(True)  # the chosen letter is marked, not only coloured
            button.clicked.connect(self._clicked)
            self._buttons[letter] = button
        self._columns = 0

    def button(self, letter: str) -> TouchButton:
        """The button of ``letter`` ("A" to "Z"), named by its letter."""
        return self._buttons[letter]

    @property
    def buttons(self) -> list[TouchButton]:
        return list(self._buttons.values())

    def mark(self, letter: str) -> None:
        """Check ``letter``'s button only ("": none)."""
        for each, button in self._buttons.items():
            button.setChecked(each == letter)

    def set_initials(self, initials: Container[str]) -> None:
        """The letters some word starts with; the others look quieter."""
        for letter, button in self._buttons.items():
            # A letter with no words still answers a tap, with "No words start with Q"
            # (a dead button said nothing); it looks quieter, so nobody hunts there.
            empty = letter not in initials
            if button.property("empty") != empty:
                button.setProperty("empty", empty)
                button.style().unpolish(button)
                button.style().polish(button)
            button.setAccessibleDescription(
                QCoreApplication.translate("TermsPage", "No words") if empty else ""
            )

    def arrange(self, width: int) -> None:
        """As many letters a row as fit in ``width`` px."""
        letters = self.buttons
        columns = next(c for c in (13, 9, 7, 5, 1) if fit_columns(letters, width, c, 8) == c)
        if columns != self._columns:
            self._columns = columns
            for i, button in enumerate(letters):
                self._grid.addWidget(button, i // columns, i % columns)

    def _clicked(self) -> None:
        button = self.sender()
        if isinstance(button, TouchButton):
            self.letter_chosen.emit(button.text())
