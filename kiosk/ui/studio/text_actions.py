"""The studio's text toolbar: what staff do to their text, as buttons and keys, never
as Markdown. Each acts on a QTextEdit's cursor as a word processor's would, in one step
of its undo history (kiosk.ui.studio.rich_text says how each look is stored)."""

from __future__ import annotations

from PySide6.QtGui import (
    QFont,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextListFormat,
)
from PySide6.QtWidgets import QTextEdit

from kiosk.ui.studio.rich_text import (
    HEADING_SPACE,
    heading_format,
    link_format,
    picture_format,
    set_size,
    unlinked,
)

BULLETS = QTextListFormat.Style.ListDisc
NUMBERS = QTextListFormat.Style.ListDecimal


def new_card(edit: QTextEdit) -> None:
    """A new card: a heading block after the cursor's block, the cursor in it (a card
    is what follows one heading, up to the next: kiosk.core.content.sections)."""
    cursor = edit.textCursor()
    cursor.beginEditBlock()
    if cursor.block().text().strip():
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
    _make_heading(cursor, edit.document().defaultFont())
    cursor.endEditBlock()
    edit.setTextCursor(cursor)


def card_heading(edit: QTextEdit) -> None:
    """The cursor's block becomes a card's heading."""
    cursor = edit.textCursor()
    cursor.beginEditBlock()
    _make_heading(cursor, edit.document().defaultFont())
    cursor.endEditBlock()


def paragraph(edit: QTextEdit) -> None:
    """The selected blocks become plain paragraphs: no heading, no list."""
    cursor = edit.textCursor()
    cursor.beginEditBlock()
    for block_cursor in _blocks(cursor):
        _plain(block_cursor, edit.document().defaultFont())
    cursor.endEditBlock()


def toggle_list(edit: QTextEdit, style: QTextListFormat.Style) -> None:
    """The selected blocks into a list of ``style`` (joining one just before of the
    same style), or out of it if they are in one already."""
    cursor = edit.textCursor()
    cursor.beginEditBlock()
    listed = cursor.block().textList()
    if listed is not None and listed.format().style() == style:
        for block_cursor in _blocks(cursor):
            _plain(block_cursor, edit.document().defaultFont())
    else:
        for block_cursor in _blocks(cursor):
            _plain(block_cursor, edit.document().defaultFont())
            before = block_cursor.block().previous().textList()
            if before is not None and before.format().style() == style:
                before.add(block_cursor.block())
            else:
                fmt = QTextListFormat()
                fmt.setStyle(style)
                fmt.setIndent(1)
                block_cursor.createList(fmt)
    cursor.endEditBlock()


def toggle_bold(edit: QTextEdit) -> None:
    """Bold on the selection (or what is typed next), or off if it is bold already."""
    cursor = edit.textCursor()
    bold = cursor.charFormat().fontWeight() >= QFont.Weight.Bold.value
    chars = QTextCharFormat()
    chars.setFontWeight(QFont.Weight.Normal if bold else QFont.Weight.Bold)
    if cursor.hasSelection():
        cursor.mergeCharFormat(chars)
    edit.mergeCurrentCharFormat(chars)


def link(edit: QTextEdit, slug: str, title: str) -> None:
    """The selection as a link to article ``slug``; with no selection, ``title`` is
    typed as the link. Typing after it is plain text again."""
    cursor = edit.textCursor()
    cursor.beginEditBlock()
    linked = link_format(QTextCharFormat(), slug)
    if cursor.hasSelection():
        cursor.mergeCharFormat(linked)
        # After the link, not on it: a key typed next replaced the words just linked.
        cursor.setPosition(cursor.selectionEnd())
    else:
        cursor.insertText(title, _merged(cursor.charFormat(), linked))
    cursor.endEditBlock()
    edit.setTextCursor(cursor)
    edit.setCurrentCharFormat(unlinked(cursor.charFormat()))


def unlink(edit: QTextEdit) -> None:
    """The link under the cursor (or the selection's) becomes plain words."""
    cursor = edit.textCursor()
    if not cursor.hasSelection():
        cursor = _link_around(cursor)
    cursor.setCharFormat(unlinked(cursor.charFormat()))


def link_at(edit: QTextEdit) -> str:
    """The address of the link at the cursor ("" if none)."""
    chars = edit.textCursor().charFormat()
    return chars.anchorHref() if chars.isAnchor() else ""


def insert_picture(edit: QTextEdit, src: str, alt: str) -> None:
    """Picture ``src`` (an address from the article) described as ``alt``, in a
    paragraph of its own after the cursor's block."""
    cursor = edit.textCursor()
    cursor.beginEditBlock()
    if cursor.block().text().strip():
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
    else:
        _plain(cursor, edit.document().defaultFont())
    cursor.insertImage(picture_format(src, alt))
    cursor.endEditBlock()
    edit.setTextCursor(cursor)


def _make_heading(cursor: QTextCursor, font: QFont) -> None:
    _plain(cursor, font)
    fmt = cursor.blockFormat()
    fmt.setHeadingLevel(2)
    fmt.setTopMargin(HEADING_SPACE)
    cursor.setBlockFormat(fmt)
    whole = QTextCursor(cursor.block())
    whole.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    whole.mergeCharFormat(heading_format(font, 2))
    cursor.mergeBlockCharFormat(heading_format(font, 2))
    cursor.setCharFormat(_merged(cursor.charFormat(), heading_format(font, 2)))


def _plain(cursor: QTextCursor, font: QFont) -> None:
    """``cursor``'s block as a plain paragraph: out of any list, not a heading, its
    text at the body's size (bold and links kept)."""
    block = cursor.block()
    listed = block.textList()
    if listed is not None:
        listed.remove(block)
    fmt = cursor.blockFormat()
    if fmt.headingLevel():
        fmt.setHeadingLevel(0)
        chars = QTextCharFormat()
        set_size(chars, font)
        chars.setFontWeight(QFont.Weight.Normal)
        whole = QTextCursor(block)
        whole.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        whole.mergeCharFormat(chars)
        cursor.mergeBlockCharFormat(chars)
    fmt.setIndent(0)
    fmt.setTopMargin(0)
    fmt.setObjectIndex(-1)
    cursor.setBlockFormat(fmt)


def _blocks(cursor: QTextCursor) -> list[QTextCursor]:
    """A cursor in each block the selection touches."""
    document = cursor.document()
    first = document.findBlock(cursor.selectionStart())
    last = document.findBlock(cursor.selectionEnd())
    found = []
    block = first
    while block.isValid():
        found.append(QTextCursor(block))
        if block == last:
            break
        block = block.next()
    return found


def _link_around(cursor: QTextCursor) -> QTextCursor:
    """A selection of the whole link the cursor is in."""
    href = cursor.charFormat().anchorHref()
    block = cursor.block()
    for part in block.textFormats():
        start = block.position() + part.start
        if part.format.anchorHref() == href and start <= cursor.position() <= start + part.length:
            around = QTextCursor(cursor.document())
            around.setPosition(start)
            around.setPosition(start + part.length, QTextCursor.MoveMode.KeepAnchor)
            return around
    return cursor


def _merged(chars: QTextCharFormat, more: QTextCharFormat) -> QTextCharFormat:
    merged = QTextCharFormat(chars)
    merged.merge(more)
    return merged
