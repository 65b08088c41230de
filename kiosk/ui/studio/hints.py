"""Plain-language hints drawn in the studio's text as staff type (a wavy underline per
hint: kiosk.core.studio.plain_language), and said in words where the cursor stands."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import (
    QColor,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
)

from kiosk.core.studio.plain_language import (
    PLAIN_WORDS_FILE,
    Hint,
    HintKind,
    PlainWords,
    PlainWordsError,
    hints,
    load_plain_words,
)
from kiosk.resources import PLAIN_WORDS, resource
from kiosk.ui.studio.rich_text import KEPT
from kiosk.ui.studio.spelling_marks import SPELLING_COLOUR, Spelling, from_qt, to_qt

# Wavy underlines, as spelling checkers draw them; told apart by colour, and the
# message is always in words too (the status line), never by colour alone.
_COLOURS = {
    HintKind.HARD_SENTENCE: QColor("#b35900"),
    HintKind.LONG_WORD: QColor("#1f5fbf"),
    HintKind.PLAIN_WORD: QColor("#007a3d"),
}


class HintHighlighter(QSyntaxHighlighter):
    """Underlines each paragraph's hints; ``hints_at(position)`` says them."""

    def __init__(
        self,
        owner: QObject,
        plain_words: PlainWords,
        locale: str,
        limit: float,
        spelling: Spelling | None = None,
    ) -> None:
        # Owned by the window, not by a document: the studio gives it each open
        # article's document in turn (setDocument), and a document may go before it.
        super().__init__(owner)
        self._words, self._locale, self._limit = plain_words, locale, limit
        self._spelling = spelling

    def attach(self, document: QTextDocument, locale: str, limit: float) -> None:
        """Mark ``document`` (an article's, in ``locale``, under its pack's reading-grade
        ``limit``) from now on. Marked at once: Qt's own marking of a new document
        waits for the event loop, and skips what is typed before it."""
        self._locale, self._limit = locale, limit
        if self._spelling is not None:
            self._spelling.locale = locale
        self.setDocument(document)
        self.rehighlight()

    def follow(self, document: QTextDocument) -> None:
        """Mark ``document`` from now on, in the same language (the article's text built
        afresh, as after Show Markdown)."""
        self.attach(document, self._locale, self._limit)

    def highlightBlock(self, text: str) -> None:
        block = self.currentBlock()
        if block.blockFormat().property(KEPT):
            return  # Markdown kept as written: neither sentences nor words
        spans: list[tuple[int, int, QColor]] = []
        if _sentences_in(block):  # a card's title is spelt, not graded
            found = hints(text, self._locale, self._words, self._limit)
            spans += [(h.start, h.end, _COLOURS[h.kind]) for h in found]
        if self._spelling is not None:
            misspelt = self._spelling.misspelt(self._locale, text)
            spans += [(m.start, m.end, SPELLING_COLOUR) for m in misspelt]
        for start, end, colour in spans:
            mark = QTextCharFormat()
            mark.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            mark.setUnderlineColor(colour)
            first = to_qt(text, start)
            self.setFormat(first, to_qt(text, end) - first, mark)

    def hints_at(self, position: int) -> list[Hint]:
        """The hints on the text at ``position`` (a character of the document)."""
        document = self.document()
        if document is None:  # no article open yet
            return []
        block = document.findBlock(position)
        if not block.isValid() or not _sentences_in(block):
            return []
        at = from_qt(block.text(), position - block.position())
        found = hints(block.text(), self._locale, self._words, self._limit)
        return [h for h in found if h.start <= at <= h.end]

    def spelling_at(self, position: int) -> str:
        """What to say of a misspelt word at ``position`` ("" if none)."""
        document = self.document()
        if self._spelling is None or document is None:
            return ""
        block = document.findBlock(position)
        if not block.isValid() or block.blockFormat().property(KEPT):
            return ""
        found = self._spelling.at(self._locale, block, position)
        if found is None:
            return ""
        return f"'{found.word}' is not in the dictionary: right-click it for spellings"


def _sentences_in(block: QTextBlock) -> bool:
    """Whether ``block`` is text patients read as sentences: not a card's heading, not
    Markdown kept as written (kiosk.ui.studio.rich_text)."""
    fmt = block.blockFormat()
    return not fmt.headingLevel() and not fmt.property(KEPT)


def plain_words_for(folder: Path) -> tuple[PlainWords, str | None]:
    """The bundled plain-word list and the clinic's in ``folder``; a broken clinic list
    is left out, and what is wrong with it returned, to be said (one line)."""
    bundled = resource(PLAIN_WORDS)
    try:
        return load_plain_words(bundled, folder / PLAIN_WORDS_FILE), None
    except PlainWordsError as err:
        return load_plain_words(bundled), str(err)
