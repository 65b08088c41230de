"""A read-only rich-text view for one card that never leaves the pack.

Links are never followed by Qt: article links are reported as slugs, anything else
is ignored. Images load only from ``pack:/`` URLs that resolve inside the pack.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QFont, QImage, QTextDocument
from PySide6.QtWidgets import QTextBrowser, QWidget

from kiosk.core.pack import ARTICLE_SCHEME, PACK_SCHEME
from kiosk.ui.widgets import enable_kinetic_scrolling

log = logging.getLogger("kiosk.ui")

_DOCUMENT_CSS = """
p { margin-bottom: 16px; line-height: %(line)s; }
li { margin-bottom: 10px; line-height: %(line)s; }
h3 { margin-top: 12px; margin-bottom: 8px; }
h4 { margin-top: 10px; margin-bottom: 6px; }
a { font-weight: bold; text-decoration: underline; }
td, th { padding: 8px; }
"""
# The dyslexia-friendly mode: 1.5 line height (WCAG 1.4.12) and no italics, which
# crowd letters together; emphasis stays, as bold.
_DYSLEXIA_CSS = "em, i { font-style: normal; font-weight: bold; }"


class CardText(QTextBrowser):
    article_link = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._read_file: Callable[[str], bytes | None] | None = None
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        # Links stay usable by touch and keyboard, but text cannot be selected.
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        )
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._css = _DOCUMENT_CSS % {"line": "135%"}
        self.document().setDefaultStyleSheet(self._css)
        self.document().setDocumentMargin(4)
        self.anchorClicked.connect(self._on_anchor)
        enable_kinetic_scrolling(self)

    def set_reading_style(self, font: QFont, dyslexia: bool) -> None:
        self._css = _DOCUMENT_CSS % {"line": "150%" if dyslexia else "135%"}
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
        # setHtml re-reads the default style sheet, so a new style applies to new cards.
        self.document().setDefaultStyleSheet(self._css)
        self.setHtml(html)
        self.verticalScrollBar().setValue(0)
        self.setAccessibleName(accessible_name)

    def _on_anchor(self, url: QUrl) -> None:
        if url.scheme() == ARTICLE_SCHEME:
            self.article_link.emit(url.path())
        else:  # the pipeline emits no other links; never follow one anyway
            log.warning("ignored a link that is not an article link")

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        url = QUrl(name)
        if kind != QTextDocument.ResourceType.ImageResource.value or self._read_file is None:
            return None
        if url.scheme() != PACK_SCHEME:
            return None
        data = self._read_file(url.path().lstrip("/"))
        if data is None:
            return None
        image = QImage.fromData(data)
        width = max(200, self.viewport().width() - 40)
        if image.width() > width:
            image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        return image
