"""Spelling in the studio's text: unknown words underlined in red, as word processors
do, and a right-click offering spellings and "Add to the clinic's word list"
(kiosk.core.studio.spelling checks the words, with Hunspell's dictionaries)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QPoint, Signal
from PySide6.QtGui import QAction, QColor, QContextMenuEvent, QTextBlock, QTextCursor
from PySide6.QtWidgets import QMenu, QTextEdit

from kiosk.core.studio.spelling import (
    Misspelling,
    Speller,
    SpellingUnavailableError,
    SpellingWordsError,
)

log = logging.getLogger("kiosk.studio")

SPELLING_COLOUR = QColor("#c00000")  # red, as every spelling checker underlines


def to_qt(text: str, index: int) -> int:
    """``text[:index]``'s length as Qt counts (UTF-16 units): a character beyond U+FFFF,
    such as an emoji, is two. Python's offsets used as Qt's put underlines and
    replacements one character off after each one."""
    return index + sum(1 for char in text[:index] if ord(char) > 0xFFFF)


def from_qt(text: str, position: int) -> int:
    """The Python index of Qt's UTF-16 ``position`` in ``text``."""
    units = 0
    for index, char in enumerate(text):
        if units >= position:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


class Spelling:
    """One Speller per pack language, made when first needed (about 50 ms each).
    ``off``: why spelling is not checked in a language (one line), if it is not."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.locale = "en"  # the language of the text on screen
        self._spellers: dict[str, Speller | None] = {}
        self.off: dict[str, str] = {}

    def speller(self, locale: str) -> Speller | None:
        if locale not in self._spellers:
            try:
                self._spellers[locale] = Speller(locale, self.folder)
            except (SpellingUnavailableError, SpellingWordsError) as err:
                log.warning("%s", err)
                self.off[locale] = str(err)
                self._spellers[locale] = None
        return self._spellers[locale]

    def state(self, locales: tuple[str, ...]) -> str:
        """How spelling stands, in one line for the log: each language's dictionary
        (its tag, e.g. en_US), or why it is off there."""
        said = []
        for locale in locales:
            speller = self.speller(locale)
            off = f"{locale} off ({self.off.get(locale, '')})"
            said.append(f"{locale} {speller.tag}" if speller else off)
        return "spelling: " + "; ".join(said)

    def misspelt(self, locale: str, text: str) -> list[Misspelling]:
        speller = self.speller(locale)
        return speller.misspelt(text) if speller is not None else []

    def at(self, locale: str, block: QTextBlock, position: int) -> Misspelling | None:
        """The misspelt word at document ``position`` in ``block``, if any."""
        at = from_qt(block.text(), position - block.position())
        found = self.misspelt(locale, block.text())
        return next((m for m in found if m.start <= at <= m.end), None)


class SpellingMenu(QObject):
    """Adds spellings and "Add to the clinic's word list" to ``edit``'s right-click
    menu, for the word under the pointer (in ``spelling.locale``). Emits
    ``said(text)``: a word added, or why it could not be; ``words_changed`` after a
    word was added (the text is to be marked again)."""

    said = Signal(str)
    words_changed = Signal()

    def __init__(self, edit: QTextEdit, spelling: Spelling, parent: QObject) -> None:
        super().__init__(parent)
        self.edit, self.spelling = edit, spelling

    def menu_for(self, event: QContextMenuEvent) -> QMenu:
        """The edit's own menu, with the word's spellings first."""
        menu = self.edit.createStandardContextMenu(event.pos())
        self.extend(menu, event.pos())
        return menu

    def extend(self, menu: QMenu, point: QPoint) -> None:
        cursor = self.edit.cursorForPosition(point)
        block = cursor.block()
        found = self.spelling.at(self.spelling.locale, block, cursor.position())
        speller = self.spelling.speller(self.spelling.locale)
        if found is None or speller is None:
            return
        text = block.text()
        start = block.position() + to_qt(text, found.start)
        end = block.position() + to_qt(text, found.end)
        ours = [QAction(word, menu) for word in speller.suggest(found.word)]
        for action in ours:
            action.setData(("replace", start, end, action.text()))
        if not ours:
            ours.append(QAction("(no spellings found)", menu))
            ours[0].setEnabled(False)
        add = QAction(f"Add '{found.word}' to the clinic's word list", menu)
        add.setData(("add", start, start, found.word))
        ours.append(add)
        if menu.actions():
            first = menu.actions()[0]
            menu.insertActions(first, ours)
            menu.insertSeparator(first)
        else:
            menu.addActions(ours)
        menu.triggered.connect(self._chosen)

    def _chosen(self, action: QAction) -> None:
        data = action.data()
        if not isinstance(data, tuple):
            return  # one of the edit's own (copy, paste...)
        what, start, end, word = data
        if what == "replace":
            cursor = QTextCursor(self.edit.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(word)
            return
        speller = self.spelling.speller(self.spelling.locale)
        try:
            if speller is not None:
                speller.add_word(word)
        except SpellingWordsError as err:
            self.said.emit(str(err))
            return
        self.said.emit(f"'{word}' added to the clinic's word list")
        self.words_changed.emit()
