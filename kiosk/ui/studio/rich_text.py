"""An article's Markdown body as formatted text staff edit, never as syntax.

``build`` parses the body with the kiosk's own parser (kiosk.core.content.markdown_engine,
so what staff see is what the kiosk reads) and fills a QTextDocument: a card's heading
big, lists as lists, bold as bold, a link to another article as a link, a picture as the
picture. kiosk.ui.studio.markdown_writer turns the document back into Markdown.

Each block remembers where it came from (``ORIGIN``: an index into ``SourceMap.spans``,
the body lines it was read from), so the writer gives back the lines as staff wrote them
for every block they did not change: opening and saving an article leaves it byte for
byte, and one changed paragraph changes only that paragraph's lines (a changed list item
is written afresh with its list's own markers: "- " and "1. ").

What the toolbar cannot make (a table, a quote, a block of code, a line across) is kept
as written: one grey block showing its Markdown (``KEPT``), edited as text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextImageFormat,
    QTextList,
    QTextListFormat,
)

from kiosk.core.content.markdown_engine import MARKDOWN
from kiosk.core.content.sections import picture_description

if TYPE_CHECKING:
    from markdown_it.token import Token

# Block properties
ORIGIN = QTextFormat.Property.UserProperty + 1  # int: the block's span in SourceMap.spans
KEPT = QTextFormat.Property.UserProperty + 2  # bool: Markdown kept as written, shown as is
# Character properties
ALT = QTextFormat.Property.UserProperty + 3  # str: a picture's description
CODE = QTextFormat.Property.UserProperty + 4  # bool: `code`, kept as code
# List property
LIST_MARKER = QTextFormat.Property.UserProperty + 5  # str: "-", "*", "+", "." or ")"

LINK_COLOUR = QColor("#0645ad")  # 8.6:1 on white (WCAG 2.2 1.4.6)
KEPT_BACKGROUND = QColor("#ececec")
HEADING_SCALE = {1: 1.6, 2: 1.45, 3: 1.2}  # font size against the text's, by level
HEADING_SPACE = 12  # px above a heading: a new card starts visibly
LINE_SEPARATOR = "\u2028"  # a line break inside a paragraph (Shift+Enter)


@dataclass
class SourceMap:
    """The body as read: its lines, each block's span of them [first, last), and what
    the writer makes of each span's block as built (``canonical``), to tell an
    unchanged block (its own lines back) from a changed one (written afresh)."""

    lines: list[str]
    spans: list[tuple[int, int]] = field(default_factory=list)
    canonical: dict[int, str] = field(default_factory=dict)

    def span_at(self, line: int) -> int | None:
        """The span holding body line ``line`` (from 0), or the last before it."""
        found = None
        for index, (first, last) in enumerate(self.spans):
            if first <= line:
                found = index
            if first <= line < last:
                return index
        return found


def build(body: str, document: QTextDocument, font: QFont) -> SourceMap:
    """Fill ``document`` with ``body`` (Markdown, "\\n" line ends) as formatted text in
    ``font``; returns where each block came from. The document's undo history is
    cleared: staff cannot undo the article they opened."""
    body = body.replace("\r\n", "\n")
    source = SourceMap(body.split("\n"))
    document.setUndoRedoEnabled(False)
    document.clear()
    document.setDefaultFont(font)
    _Builder(document, source, font).run(MARKDOWN.parse(body))
    document.setUndoRedoEnabled(True)
    return source


class _Builder:
    def __init__(self, document: QTextDocument, source: SourceMap, font: QFont) -> None:
        self.cursor = QTextCursor(document)
        self.source, self.font = source, font
        self.fresh = True  # the document's first block is still unused
        self.lists: list[tuple[QTextList | None, QTextListFormat]] = []

    def run(self, tokens: list[Token]) -> None:
        # One edit: Qt lays the text out once, not after every insert (an article of
        # many `code` spans took minutes to open).
        self.cursor.beginEditBlock()
        at = 0
        while at < len(tokens):
            at = self._block(tokens, at)
        self.cursor.endEditBlock()

    def _block(self, tokens: list[Token], at: int) -> int:
        """Build the block starting at ``tokens[at]``; the index after it."""
        token = tokens[at]
        if token.type == "heading_open":
            self._text_block(tokens[at + 1], token.map, heading=int(token.tag[1]))
            return at + 3
        if token.type == "paragraph_open":
            self._text_block(tokens[at + 1], token.map)
            return at + 3
        if token.type in ("bullet_list_open", "ordered_list_open"):
            end = _closing(tokens, at)
            if _simple_list(tokens[at : end + 1]):
                self._list(tokens, at, end)
            else:
                self._kept(token.map)
            return end + 1
        if token.map is not None:  # a table, quote, code, line, front matter...
            self._kept(token.map)
            return _closing(tokens, at) + 1 if token.nesting == 1 else at + 1
        return at + 1

    def _list(self, tokens: list[Token], at: int, end: int) -> None:
        ordered = tokens[at].type == "ordered_list_open"
        style = QTextListFormat.Style.ListDecimal if ordered else QTextListFormat.Style.ListDisc
        fmt = QTextListFormat()
        fmt.setStyle(style)
        fmt.setIndent(len(self.lists) + 1)
        if ordered:
            start = tokens[at].attrGet("start")  # none for 1; 0 is a start too
            fmt.setStart(int(start) if start is not None else 1)
        # The list's own marker ("*", "+", "1)"): an item written afresh with another
        # would start a list of its own.
        fmt.setProperty(LIST_MARKER, tokens[at].markup)
        self.lists.append((None, fmt))
        index = at + 1
        while index < end:
            token = tokens[index]
            if token.type == "paragraph_open":
                self._text_block(tokens[index + 1], token.map, in_list=True)
                index += 3
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                inner = _closing(tokens, index)
                self._list(tokens, index, inner)
                index = inner + 1
            else:
                index += 1
        self.lists.pop()

    def _new_block(self, span: tuple[int, int] | None, fmt: QTextBlockFormat) -> None:
        if span is not None:
            self.source.spans.append(span)
            fmt.setProperty(ORIGIN, len(self.source.spans) - 1)
        if self.fresh:
            self.cursor.setBlockFormat(fmt)
            self.fresh = False
        else:
            self.cursor.insertBlock(fmt, QTextCharFormat())

    def _text_block(
        self, inline: Token, span: list[int] | None, *, heading: int = 0, in_list: bool = False
    ) -> None:
        fmt = QTextBlockFormat()
        fmt.setHeadingLevel(heading)
        fmt.setTopMargin(HEADING_SPACE if heading else 0)
        fmt.setBottomMargin(6)
        self._new_block(_span(span), fmt)
        if in_list:
            current, list_format = self.lists[-1]
            if current is None:
                self.lists[-1] = (self.cursor.createList(list_format), list_format)
            else:
                current.add(self.cursor.block())
        self._inline(inline.children or [], heading_format(self.font, heading))

    def _kept(self, span: list[int] | None) -> None:
        """The source lines as they are, in a grey block of fixed-width text."""
        assert span is not None
        fmt = QTextBlockFormat()
        fmt.setProperty(KEPT, True)
        fmt.setBackground(KEPT_BACKGROUND)
        self._new_block(_span(span), fmt)
        chars = QTextCharFormat()
        chars.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        first, last = span
        text = "\n".join(self.source.lines[first:last]).rstrip("\n")
        self.cursor.insertText(text.replace("\n", LINE_SEPARATOR), chars)

    def _inline(self, tokens: list[Token], base: QTextCharFormat) -> None:
        chars = QTextCharFormat(base)
        for token in tokens:
            kind = token.type
            if kind in ("strong_open", "strong_close"):
                chars.setFontWeight(
                    QFont.Weight.Bold if kind == "strong_open" else base.fontWeight()
                )
            elif kind in ("em_open", "em_close"):
                chars.setFontItalic(kind == "em_open")
            elif kind == "link_open":
                chars = link_format(chars, str(token.attrGet("href") or ""))
            elif kind == "link_close":
                chars = unlinked(chars)
            elif kind == "image":
                # Its words, not its source: written escaped, read back, escaped again,
                # "[left]" grew backslashes at every save.
                self.cursor.insertImage(
                    picture_format(str(token.attrGet("src") or ""), picture_description(token))
                )
            elif kind == "code_inline":
                code = QTextCharFormat(chars)
                code.setProperty(CODE, True)
                code.setFontFixedPitch(True)
                code.setFontFamilies(
                    QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).families()
                )
                self.cursor.insertText(token.content, code)
            elif kind == "softbreak":
                self.cursor.insertText(" ", chars)
            elif kind == "hardbreak":
                self.cursor.insertText(LINE_SEPARATOR, chars)
            else:
                self.cursor.insertText(token.content, chars)


def heading_format(font: QFont, level: int) -> QTextCharFormat:
    """Text's look in a heading of ``level`` (0: not a heading): bigger, semi-bold (not
    bold: bold in the text is what staff mark as bold)."""
    chars = QTextCharFormat()
    if level:
        set_size(chars, font, HEADING_SCALE.get(level, 1.1))
        chars.setFontWeight(QFont.Weight.DemiBold)
    return chars


def set_size(chars: QTextCharFormat, font: QFont, scale: float = 1.0) -> None:
    """``chars`` at ``font``'s size times ``scale``, in the unit ``font`` is sized in (a
    font sized in pixels, as the kiosk's theme sizes them, has no point size: -1)."""
    if font.pointSizeF() > 0:
        chars.setFontPointSize(font.pointSizeF() * scale)
    else:
        chars.setProperty(QTextFormat.Property.FontPixelSize, round(font.pixelSize() * scale))


def link_format(chars: QTextCharFormat, href: str) -> QTextCharFormat:
    """``chars`` as a link to ``href`` (an article's slug, or a web address)."""
    linked = QTextCharFormat(chars)
    linked.setAnchor(True)
    linked.setAnchorHref(href)
    linked.setForeground(LINK_COLOUR)
    linked.setFontUnderline(True)
    linked.setToolTip(plain_tip(href))
    return linked


def unlinked(chars: QTextCharFormat) -> QTextCharFormat:
    """``chars`` as plain words again: no link, the text's own colour."""
    plain = QTextCharFormat(chars)
    plain.setAnchor(False)
    plain.setAnchorHref("")
    plain.clearForeground()
    plain.setFontUnderline(False)
    plain.setToolTip("")
    return plain


def picture_format(src: str, alt: str) -> QTextImageFormat:
    """A picture at ``src`` (as written: from the article's folder), described as
    ``alt``. The editor decodes it only from inside the content folder
    (kiosk.ui.studio.text_editor)."""
    picture = QTextImageFormat()
    picture.setName(src)
    picture.setProperty(ALT, alt)
    picture.setToolTip(plain_tip(alt))
    return picture


def plain_tip(text: str) -> str:
    """``text`` as a tooltip that shows it as written: Qt reads a tooltip that looks like
    markup as markup (an article's picture description showed a heading, and a picture
    from anywhere on the disk)."""
    return f"<qt>{html.escape(text)}</qt>"


def _span(span: list[int] | None) -> tuple[int, int] | None:
    return (span[0], span[1]) if span is not None else None


def _closing(tokens: list[Token], at: int) -> int:
    """The index of the token closing ``tokens[at]`` (itself if it does not open)."""
    if tokens[at].nesting != 1:
        return at
    depth = 0
    for index in range(at, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1


def _simple_list(tokens: list[Token]) -> bool:
    """Whether every item holds one paragraph (and lists like it): what the editor's
    lists are. An item of two paragraphs, or a quote in one, is kept as written."""
    depth_items: list[int] = []
    for token in tokens:
        if token.type == "list_item_open":
            depth_items.append(0)
        elif token.type == "list_item_close":
            depth_items.pop()
        elif token.type == "paragraph_open" and depth_items:
            depth_items[-1] += 1
            if depth_items[-1] > 1:
                return False
        elif token.nesting == 1 and token.type not in (
            "bullet_list_open",
            "ordered_list_open",
            "paragraph_open",
        ):
            return False
    return True
