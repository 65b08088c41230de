"""A read-only rich-text view for one card that never leaves the pack.

Links are never followed by Qt: article links are reported as slugs, anything else
is ignored. Images load only from ``pack:/`` URLs that resolve inside the pack.

A link is one line of text, about 30 px tall: too small a target for a shaky finger
(WCAG 2.2 2.5.8 asks 24 px at least; the kiosk's own targets are 72 px). A tap that
misses every link but lands within ``link_reach_px`` of one opens it.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from urllib.parse import quote

from PySide6.QtCore import QPoint, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QFont, QImage, QMouseEvent, QResizeEvent, QTextDocument
from PySide6.QtWidgets import QSizePolicy, QTextBrowser, QWidget

from kiosk.core.content.pack import ARTICLE_SCHEME, PACK_SCHEME
from kiosk.ui.widgets.pictures import Box, PictureLoader

log = logging.getLogger("kiosk.ui")

_DOCUMENT_CSS = """
p { margin-bottom: 16px; line-height: %(line)s; }
p.picture { line-height: 100%%; }
li { margin-bottom: 10px; line-height: %(line)s; }
h3 { margin-top: 12px; margin-bottom: 8px; }
h4 { margin-top: 10px; margin-bottom: 6px; }
a { %(link)sfont-weight: bold; text-decoration: underline; }
td, th { padding: 8px; }
pre { white-space: pre-wrap; }
"""
# The dyslexia-friendly mode: 1.5 line height (WCAG 1.4.12) and no italics, which
# crowd letters together; emphasis stays, as bold.
_DYSLEXIA_CSS = "em, i { font-style: normal; font-weight: bold; }"
PICTURES_MS_PER_TURN = 8  # of a 16 ms frame, for putting arrived pictures in
PICTURE_HEIGHT_SHARE = 0.45  # of the window's height: the most a picture takes


class CardText(QTextBrowser):
    article_link = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._read_file: Callable[[str], bytes | None] | None = None
        self._pictures = PictureLoader(self)
        self._pictures.sized.connect(self._on_picture_sized)
        self._pictures.ready.connect(self._on_picture_ready)
        self._arrived: dict[str, QImage] = {}  # pictures and placeholders to put in
        self._apply_pictures = QTimer(self)
        self._apply_pictures.setSingleShot(True)
        self._apply_pictures.setInterval(0)
        self._apply_pictures.timeout.connect(self._put_pictures)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        # Links stay usable by touch and keyboard, but text cannot be selected.
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        # Tab focus only: a tap or a swipe on the text must not leave a focus ring on it.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._css = _DOCUMENT_CSS % {"line": "135%", "link": ""}
        self.document().setDefaultStyleSheet(self._css)
        self.document().setDocumentMargin(4)
        self.anchorClicked.connect(self._on_anchor)
        self._pressed_at: QPoint | None = None
        # The card's body scrolls (ReaderPage), this text with what follows it on the
        # last card; the text itself is as tall as its words and never scrolls.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        # The height follows the document one event-loop turn later, never from inside
        # Qt's text layout (documentSizeChanged) or a resize event: resizing a text
        # view while its document is being laid out re-enters that layout.
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit_height)
        self.document().documentLayout().documentSizeChanged.connect(self._refit.start)

    def _fit_height(self) -> None:
        """As tall as the document laid out at this width, in px."""
        height = math.ceil(self.document().size().height()) + 2 * self.frameWidth()
        if self.height() != height or self.minimumHeight() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)  # lays the document out at the new width
        if event.size().width() != event.oldSize().width():
            self._refit.start()

    def link_reach_px(self) -> int:
        """How far from a link's words a tap still opens it, in px: three quarters of a
        line, so that a link's target is about two and a half lines tall."""
        return max(16, self.fontMetrics().height() * 3 // 4)

    def anchor_near(self, point: QPoint) -> str:
        """The link at ``point`` (viewport coordinates), else the nearest one within
        ``link_reach_px``, else ""."""
        reach = self.link_reach_px()
        steps = (0, reach // 3, -reach // 3, 2 * reach // 3, -2 * reach // 3, reach, -reach)
        offsets = sorted(
            {QPoint(dx, dy).toTuple() for dx in steps for dy in steps},
            key=lambda xy: xy[0] ** 2 + xy[1] ** 2,
        )
        for dx, dy in offsets:
            anchor = self.anchorAt(point + QPoint(dx, dy))
            if anchor:
                return anchor
        return ""

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._pressed_at = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        pressed, self._pressed_at = self._pressed_at, None
        still = pressed is not None and (point - pressed).manhattanLength() < 16
        if still and not self.anchorAt(point):
            anchor = self.anchor_near(point)
            if anchor:  # a near miss: open it, as a tap on it would
                event.accept()
                self._on_anchor(QUrl(anchor))
                return
        super().mouseReleaseEvent(event)

    def set_reading_style(self, font: QFont, dyslexia: bool, link: str) -> None:
        """``link``: the theme's link colour, "#RRGGBB". Qt colours a link when the HTML
        is parsed, from the palette of that moment; the style sheet makes it the
        theme's colour whatever the order of events."""
        line = "150%" if dyslexia else "135%"
        self._css = _DOCUMENT_CSS % {"line": line, "link": f"color: {link}; "}
        if dyslexia:
            self._css += _DYSLEXIA_CSS
        self.document().setDefaultStyleSheet(self._css)
        self.document().setDefaultFont(font)
        self.setFont(font)

    def show_html(
        self, html: str, read_file: Callable[[str], bytes | None], accessible_name: str
    ) -> None:
        """``read_file`` gives the pack's images (Pack.read_file: inside the pack, and
        for an installed pack only the signed bytes)."""
        self._read_file = read_file
        self.forget_pictures()
        # setHtml re-reads the default style sheet, so a new style applies to new cards.
        self.document().setDefaultStyleSheet(self._css)
        self.setHtml(html)
        self.setAccessibleName(accessible_name)

    def open_link(self, href: str) -> None:
        """Follow the link ``href`` of this card, as a tap on it does (speech mode)."""
        self._on_anchor(QUrl(href))

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == ARTICLE_SCHEME:
            self.article_link.emit(url.path())
        else:  # the pipeline emits no other links; never follow one anyway
            log.warning("ignored a link that is not an article link")

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        """A picture of the pack, never decoded here (kiosk.ui.widgets.pictures): a placeholder of
        its shown size until the worker has it. Nothing else is ever loaded."""
        url = QUrl(name)
        if kind != QTextDocument.ResourceType.ImageResource.value or self._read_file is None:
            return None
        if url.scheme() != PACK_SCHEME:
            return None
        # Decoded once, as the pipeline encoded it (PackPaths.pack_url).
        path = url.path(QUrl.ComponentFormattingOption.FullyDecoded).lstrip("/")
        self._pictures.request(path, self._picture_box(), self._read_file)
        return _blank(1, 1)  # its shown size follows at once (sized), before its pixels

    def _picture_box(self) -> Box:
        """The most a picture may take, in px: the card's width, and under half the
        screen's height, so that the words around it stay in sight."""
        width = max(200, self.viewport().width() - 40)
        height = max(200, round(self.window().height() * PICTURE_HEIGHT_SHARE))
        return width, height

    def _on_picture_sized(self, path: str, box: Box, size: QSize) -> None:
        self._arrived[path] = _blank(size.width(), size.height())
        self._apply_pictures.start()

    def _on_picture_ready(self, path: str, box: Box, image: QImage) -> None:
        # Not a picture it may show: its description stays, with no box around it.
        self._arrived[path] = _blank(1, 1) if image.isNull() else image
        self._apply_pictures.start()

    def _put_pictures(self) -> None:
        """Arrived pictures into the document, a frame's worth at a time (a card of 64
        pictures learns their 64 sizes at once), then one new layout."""
        document = self.document()
        started = time.perf_counter()
        while self._arrived and time.perf_counter() - started < PICTURES_MS_PER_TURN / 1000:
            path, image = self._arrived.popitem()
            url = QUrl(f"{PACK_SCHEME}:/{quote(path, safe='/')}")
            document.addResource(QTextDocument.ResourceType.ImageResource.value, url, image)
        document.markContentsDirty(0, document.characterCount())
        if self._arrived:
            self._apply_pictures.start()

    def forget_pictures(self) -> None:
        """Between patients: no picture of this card is kept or still on its way."""
        self._pictures.forget()
        self._arrived.clear()


def _blank(width: int, height: int) -> QImage:
    """A transparent placeholder of a picture's shown size, in px: one bit a pixel (a
    4096 px square is 2 MB, not 64), its one colour see-through."""
    image = QImage(width, height, QImage.Format.Format_Mono)
    image.setColorTable([0, 0])  # both indexes: transparent black
    image.fill(0)
    return image
