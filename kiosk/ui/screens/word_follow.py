"""Read aloud for everyone: the word being read is highlighted in the card's text, for
patients who read slowly (issue 15), and kept in sight as the card scrolls."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QScrollArea, QTextEdit

from kiosk.core.content.pack import Section
from kiosk.core.speech.follow import align_words
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.textview import CardText

MARGIN_PX = 48  # room kept around the word when the card scrolls to it


class WordFollower(QObject):
    """Highlights in ``text`` (inside ``body``) the word the speaker reports.

    The reader calls ``start`` when Listen is pressed, ``clear`` when reading ends,
    ``forget`` on another card; the speaker's ``saying_word`` goes to ``word``."""

    def __init__(self, text: CardText, body: QScrollArea) -> None:
        super().__init__(text)
        self._text, self._body = text, body
        self._words: dict[int, tuple[int, int]] = {}  # spoken start -> shown (start, length)
        self._format = QTextCharFormat()

    def restyle(self, theme: Theme) -> None:
        """The theme's pressed colours: the kiosk's strongest highlight, in each theme
        at least 4.5:1 with its words (WCAG 2.2 1.4.3; tests/test_contrast.py)."""
        self._format.setBackground(QColor(theme.colors["pressed"]))
        self._format.setForeground(QColor(theme.colors["on_pressed"]))

    def start(self, spoken: str, section: Section) -> None:
        """Follow ``spoken`` (the card as read aloud: spoken_text), which ends with
        ``section``'s text. That text starts with the card's title, shown in a label of
        its own, not in the card's text: only the words after it are followed."""
        self.forget()
        words = section.text
        if section.title and words.startswith(section.title):
            words = words[len(section.title) :]
        offset = len(spoken) - len(words) if spoken.endswith(words) else 0
        shown = self._text.toPlainText()
        self._words = {
            start + offset: (_utf16(shown, at), _utf16(shown, at + length) - _utf16(shown, at))
            for start, (at, length) in align_words(words, shown).items()
        }

    def word(self, part: int, start: int, length: int) -> None:
        """The speaker reads the word at ``start`` of part ``part`` (Speaker.saying_word)."""
        shown = self._words.get(start) if part == 0 else None  # part 0: the card
        if shown is None:
            return  # a word of the title or urgent callout, or not shown as spoken
        cursor = QTextCursor(self._text.document())
        cursor.setPosition(shown[0])
        cursor.setPosition(shown[0] + shown[1], QTextCursor.MoveMode.KeepAnchor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        selection.format = self._format
        self._text.setExtraSelections([selection])
        rect = self._text.cursorRect(cursor)
        inner = self._body.widget()
        if inner is not None:
            where = self._text.viewport().mapTo(inner, rect.center())
            self._body.ensureVisible(where.x(), where.y(), 0, MARGIN_PX)

    def clear(self) -> None:
        """Nothing lit (the reading ended; Repeat follows the same words again)."""
        self._text.setExtraSelections([])

    def forget(self) -> None:
        """Nothing lit, and nothing to follow (another card, or another patient)."""
        self._words = {}
        self.clear()


def _utf16(text: str, index: int) -> int:
    """``text[:index]``'s length in UTF-16 units: a QTextDocument position (an emoji is
    one character in Python, two in Qt)."""
    return len(text[:index].encode("utf-16-le")) // 2
