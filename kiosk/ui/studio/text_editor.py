"""The article's text in the studio: formatted, with a toolbar, never Markdown.

One QTextDocument per open article (its own undo history, kept while staff go from one
article to another), built from the body's Markdown by kiosk.ui.studio.rich_text and
written back by kiosk.ui.studio.markdown_writer on every change. "Show Markdown" shows
the Markdown itself, for those who know it; nothing needs it.

Pictures are decoded only from inside the content folder, in the formats and sizes the
validator allows (kiosk.core.content.images): an article's text cannot make the studio
open any other file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QColor, QContextMenuEvent, QImage, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QPlainTextEdit,
    QStackedWidget,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.content.images import check_picture_file
from kiosk.core.content.pictures import picture_format
from kiosk.ui.studio import markdown_writer
from kiosk.ui.studio.rich_text import ORIGIN, SourceMap, build
from kiosk.ui.studio.spelling_marks import SpellingMenu
from kiosk.ui.studio.text_toolbar import TextQuestions, TextToolbar

PICTURE_WIDTH = 360  # px: a picture's width in the editor at most (the preview shows it whole)


class RichTextEdit(QTextEdit):
    """A QTextEdit that decodes pictures only from inside ``root``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.root: Path | None = None
        self.article_folder: Path | None = None
        self.setAcceptRichText(False)  # pasted text arrives as text, not as web page markup
        self.spelling_menu: SpellingMenu | None = None

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self.spelling_menu is None:
            super().contextMenuEvent(event)
            return
        menu = self.spelling_menu.menu_for(event)
        menu.exec(event.globalPos())
        menu.deleteLater()

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        if kind != QTextDocument.ResourceType.ImageResource.value:
            return None
        return _picture(self.root, self.article_folder, QUrl(name))


class _Open:
    """An open article's text: its document and where each block came from."""

    def __init__(self, document: QTextDocument, source: SourceMap, markdown: str) -> None:
        self.document, self.source, self.markdown = document, source, markdown


class TextEditor(QWidget):
    """Emits ``changed(markdown)`` when staff change the text (not when it is shown)."""

    changed = Signal(str)
    document_replaced = Signal(QTextDocument)  # the article's text built afresh

    def __init__(self, questions: TextQuestions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rich = RichTextEdit(self)
        self.rich.setAccessibleName("Text")
        self.markdown = QPlainTextEdit(self)
        self.markdown.setAccessibleName("Text as Markdown")
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.rich)
        self.pages.addWidget(self.markdown)
        self.toolbar = TextToolbar(self.rich, self._article, questions, self)
        self.toolbar.expert.toggled.connect(self.show_markdown)
        self.expert_button = QToolButton(self)
        self.expert_button.setDefaultAction(self.toolbar.expert)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.toolbar)
        column.addWidget(self.pages, 1)
        self._open: dict[Path, _Open] = {}
        self._current: _Open | None = None
        self.key: Path | None = None  # the article shown
        self._filling = False
        self.rich.textChanged.connect(self._rich_changed)
        self.markdown.textChanged.connect(self._markdown_changed)

    def show_body(self, key: Path, body: str, root: Path) -> None:
        """Show article ``key``'s body (Markdown); its own document again if it is open
        with this text still, so its undo history goes on."""
        self._filling = True
        try:
            body = body.replace("\r\n", "\n")
            opened = self._open.get(key)
            if opened is None or opened.markdown != body:
                opened = self._keep(key, self._build(body))
            self._current, self.key = opened, key
            self.rich.root, self.rich.article_folder = root, key.parent
            opened.document.setBaseUrl(QUrl.fromLocalFile(str(key.parent) + "/"))
            self.rich.setDocument(opened.document)
            self.markdown.setPlainText(body)
        finally:
            self._filling = False

    def forget(self, key: Path) -> None:
        """Article ``key`` is no longer open (reloaded from disk): its history goes."""
        gone = self._open.pop(key, None)
        if gone is not None and gone is not self._current:
            gone.document.deleteLater()

    def _keep(self, key: Path, opened: _Open) -> _Open:
        """``opened`` as ``key``'s text from now on; the document it replaces goes."""
        old = self._open.get(key)
        self._open[key] = opened
        if old is not None and old is not opened:
            old.document.deleteLater()  # later: the text box may still show it now
        return opened

    def _article(self) -> Path | None:
        return self.key

    def document(self) -> QTextDocument:
        return self.rich.document()

    def card_at_cursor(self) -> int:
        """The card (from 0) the cursor is in: each card heading begins the next."""
        block = self.rich.textCursor().block()
        count = 0
        while block.isValid():
            count += block.blockFormat().headingLevel() == 2
            block = block.previous()
        return count

    def go_to_card(self, card: int) -> None:
        """The cursor to the start of card ``card`` (from 0: the text before the first
        card heading)."""
        block = self.rich.document().begin()
        seen = 0
        while block.isValid() and seen < card:
            block = block.next()
            seen += block.isValid() and block.blockFormat().headingLevel() == 2
        if block.isValid():
            self.rich.setTextCursor(QTextCursor(block))
            self.rich.setFocus()

    def go_to_body_line(self, line: int) -> None:
        """The cursor to the block made from body line ``line`` (from 0), or to the
        line itself when the Markdown is shown."""
        if self._current is None:
            return
        if self.toolbar.expert.isChecked():
            block = self.markdown.document().findBlockByNumber(line)
            self.markdown.setTextCursor(QTextCursor(block))
            self.markdown.setFocus()
            return
        span = self._current.source.span_at(line)
        block = self.rich.document().begin()
        while span is not None and block.isValid():
            if block.blockFormat().property(ORIGIN) == span:
                cursor = QTextCursor(block)
                self.rich.setTextCursor(cursor)
                break
            block = block.next()
        self.rich.setFocus()

    def show_markdown(self, on: bool) -> None:
        """The Markdown itself (on) or the formatted text (off, built from it afresh)."""
        if self._current is None:
            return
        if on:  # filled only when shown: at every key it cost the 3,000-word article 4%
            self._filling = True
            self.markdown.setPlainText(self._current.markdown)
            self._filling = False
        if not on and self.key is not None:
            self._current = self._keep(self.key, self._build(self._current.markdown))
            self.rich.setDocument(self._current.document)
            self.document_replaced.emit(self._current.document)
        self.pages.setCurrentWidget(self.markdown if on else self.rich)

    def _build(self, body: str) -> _Open:
        # The text box's child: Qt asks the text box's loadResource for its pictures only
        # then (with another parent, Qt read any file a picture's address named).
        document = QTextDocument(self.rich)
        document.setDefaultFont(self.rich.font())
        source = build(body, document, self.rich.font())
        markdown_writer.remember(document, source)
        return _Open(document, source, body)

    def _rich_changed(self) -> None:
        opened = self._current
        if self._filling or opened is None or self.pages.currentWidget() is not self.rich:
            return
        # Qt says "changed" for a new look of the words too (the hints' underlines): only
        # a change of the Markdown is staff's.
        written = markdown_writer.write(opened.document, opened.source)
        if written != opened.markdown:
            opened.markdown = written
            self.changed.emit(written)

    def _markdown_changed(self) -> None:
        opened = self._current
        if self._filling or opened is None or self.pages.currentWidget() is not self.markdown:
            return
        opened.markdown = self.markdown.toPlainText()
        self.changed.emit(opened.markdown)


def _picture(root: Path | None, folder: Path | None, name: QUrl) -> QImage:
    """The picture ``name`` names, if it is a picture file the validator accepts inside
    ``root``, scaled to PICTURE_WIDTH at most; else a grey box saying it is not."""
    if root is not None and folder is not None:
        path = Path(name.toLocalFile()) if name.isLocalFile() else folder / name.path()
        try:
            target = path.resolve()
        except OSError:
            target = None
        if (
            target is not None
            and target.is_relative_to(root.resolve())
            and picture_format(target.suffix) is not None
            and not isinstance(check_picture_file(target), str)
        ):
            image = QImage(str(target))
            if not image.isNull():
                return (
                    image.scaledToWidth(PICTURE_WIDTH) if image.width() > PICTURE_WIDTH else image
                )
    missing = QImage(PICTURE_WIDTH // 2, PICTURE_WIDTH // 4, QImage.Format.Format_RGB32)
    missing.fill(QColor("#d0d0d0"))
    return missing
