"""Plain-language hints drawn in the studio's text as staff type (a wavy underline per
hint: kiosk.core.studio.plain_language), and said in words where the cursor stands."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

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
        self, document: QTextDocument, plain_words: PlainWords, locale: str, limit: float
    ) -> None:
        super().__init__(document)
        self._words, self._locale, self._limit = plain_words, locale, limit

    def use(self, locale: str, limit: float) -> None:
        """Another article's language and pack limit; the text is marked again."""
        if (locale, limit) != (self._locale, self._limit):
            self._locale, self._limit = locale, limit
            self.rehighlight()

    def highlightBlock(self, text: str) -> None:
        if text.lstrip().startswith("#"):
            return  # a card's heading: not a sentence
        for hint in hints(text, self._locale, self._words, self._limit):
            mark = QTextCharFormat()
            mark.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            mark.setUnderlineColor(_COLOURS[hint.kind])
            self.setFormat(hint.start, hint.end - hint.start, mark)

    def hints_at(self, position: int) -> list[Hint]:
        """The hints on the text at ``position`` (a character of the document)."""
        document = self.document()
        block = document.findBlock(position)
        if not block.isValid() or block.text().lstrip().startswith("#"):
            return []
        at = position - block.position()
        found = hints(block.text(), self._locale, self._words, self._limit)
        return [h for h in found if h.start <= at <= h.end]


def plain_words_for(folder: Path) -> tuple[PlainWords, str | None]:
    """The bundled plain-word list and the clinic's in ``folder``; a broken clinic list
    is left out, and what is wrong with it returned, to be said (one line)."""
    bundled = resource(PLAIN_WORDS)
    try:
        return load_plain_words(bundled, folder / PLAIN_WORDS_FILE), None
    except PlainWordsError as err:
        return load_plain_words(bundled), str(err)
