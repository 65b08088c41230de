"""What follows the last card's text: what to read next, a QR code to take the article
home, and when and from what it was checked."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QCoreApplication, QLocale, QObject, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGridLayout, QWidget

from kiosk.core.content.pack import Article
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.widgets.flow import ButtonFlow
from kiosk.ui.widgets.labels import Label
from kiosk.ui.widgets.layout import discard
from kiosk.ui.widgets.qr import qr_pixmap

# When the QR code is made: after the card that asked has painted (a card paints in
# 5-30 ms here, 100 on a slow day), so the code never delays the card a patient sees.
CODE_DELAY_MS = 150


def take_home_url(article: Article) -> str | None:
    """The article's own url, else the first take-home link of one of its cards."""
    return article.url or next((u for s in article.sections for u in s.take_home_urls), None)


def checked_line(article: Article) -> str:
    """ "Reviewed November 2026 · Sources: A, B": patients trust what they can see was
    checked, and by whom. Plain text from the pack (a Label never reads markup)."""
    parts = []
    if article.reviewed is not None:
        month = QLocale(article.locale).standaloneMonthName(article.reviewed.month)
        parts.append(
            QCoreApplication.translate("ReaderPage", "Reviewed %1").replace(
                "%1", f"{month} {article.reviewed.year}"
            )
        )
    if article.sources:
        parts.append(
            QCoreApplication.translate("ReaderPage", "Sources: %1").replace(
                "%1", ", ".join(article.sources)
            )
        )
    return " · ".join(parts)


class LastCardExtras(QObject):
    """The last card's extras, in a grid under its text (``widget``), made anew for each
    article: "Read next" with a button per related article, the QR code beside its hint,
    and the checked line. Hidden on every other card.

    The QR code (6-16 ms of segno on this machine's slow days) is made in an event-loop
    turn of its own after the card has painted, never in the turn that shows a card:
    ``prepare`` makes it just after an article opens, and a last card shown before then
    gets it just after that card paints (issue 13: no card may hold the GUI thread more
    than 50 ms)."""

    article_chosen = Signal(str)  # a related article's slug

    def __init__(self, card: QWidget) -> None:
        super().__init__(card)
        self.widget = QWidget(card)
        self._layout = QGridLayout(self.widget)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(12)
        self._layout.setColumnStretch(1, 1)  # the QR code's words take the rest
        self._shown: list[QWidget] = []
        # The take-home code made for the article opened last: (address, code or None).
        self._code: tuple[str, QPixmap | None] | None = None

    @property
    def code_made_for(self) -> str | None:
        """The address of the QR code made last, if one is kept."""
        return self._code[0] if self._code else None

    def prepare(self, article: Article) -> None:
        """Make ``article``'s QR code once its first card has painted, before its last."""
        url = take_home_url(article)
        if url and (self._code is None or self._code[0] != url):
            QTimer.singleShot(CODE_DELAY_MS, self, partial(self._make_code, url))

    def forget(self) -> None:
        """Let go of the last article's code (the idle reset: nothing of the last
        patient's reading stays, not even the address they might have taken home)."""
        self._code = None
        self.show_for(None, [])

    def _make_code(self, url: str) -> QPixmap | None:
        if self._code is None or self._code[0] != url:
            self._code = (url, qr_pixmap(url, module_px=5))
        return self._code[1]

    @property
    def shown(self) -> list[QWidget]:
        """The extras shown now (none unless on a last card)."""
        return list(self._shown)

    @property
    def related_buttons(self) -> list[TouchButton]:
        """The "Read next" buttons, each with its article's slug as property "slug"."""
        return [b for b in self.widget.findChildren(TouchButton) if b.property("slug") is not None]

    def show_for(self, article: Article | None, related: list[tuple[str, str]]) -> None:
        """The extras of ``article``'s last card; ``None`` (not on a last card): none.
        ``related`` holds (slug, title) of the articles it suggests."""
        for widget in self._shown:
            self._layout.removeWidget(widget)
            discard(widget)
        self._shown = []
        if article is None:
            self.widget.hide()
            return
        if related:
            self._add_related(related)
        url = take_home_url(article)
        if url:
            self._add_take_home(url)
        checked = checked_line(article)
        if checked:
            note = Label(checked, self.widget)
            note.setProperty("role", "hint")
            note.setWordWrap(True)
            self._add(note, 3, 0, 1, 2)
        self.widget.setVisible(bool(self._shown))

    def _add_related(self, related: list[tuple[str, str]]) -> None:
        heading = Label(QCoreApplication.translate("ReaderPage", "Read next:"), self.widget)
        heading.setProperty("role", "progress")
        self._add(heading, 0, 0, 1, 2)
        # As many on a row as their words allow, then the next row (never cut).
        flow = ButtonFlow(self.widget, spacing=12)
        buttons = []
        for slug, title in related:
            button = TouchButton(title, flow, role="secondary")
            button.setProperty("slug", slug)
            button.clicked.connect(self._related_clicked)
            buttons.append(button)
        flow.set_parts(buttons, None, [])
        self._add(flow, 1, 0, 1, 2)

    def _add_take_home(self, url: str) -> None:
        code = Label(self.widget)
        code.setAccessibleName(QCoreApplication.translate("ReaderPage", "QR code"))
        hint = Label(
            QCoreApplication.translate(
                "ReaderPage", "Scan with your phone camera to read more at home."
            ),
            self.widget,
        )
        hint.setProperty("role", "hint")
        hint.setWordWrap(True)
        self._add(code, 2, 0)  # under "Read next", so neither is squeezed
        self._add(hint, 2, 1)
        if self._code is not None and self._code[0] == url:
            self._fill_code(code, hint, url)
        else:  # not made yet: shown just after the card itself
            code.hide()
            hint.hide()
            QTimer.singleShot(CODE_DELAY_MS, self, partial(self._fill_code, code, hint, url))

    def _fill_code(self, code: Label, hint: Label, url: str) -> None:
        if code not in self._shown:
            return  # the card changed before this turn came
        pixmap = self._make_code(url)
        if pixmap is None:  # the card shows what it can: no code, rather than no card
            for widget in (code, hint):
                self._shown.remove(widget)
                self._layout.removeWidget(widget)
                discard(widget)
            self.widget.setVisible(bool(self._shown))
            return
        code.setPixmap(pixmap)
        code.show()
        hint.show()

    def _add(self, widget: QWidget, row: int, col: int, rows: int = 1, cols: int = 1) -> None:
        self._layout.addWidget(widget, row, col, rows, cols)
        self._shown.append(widget)

    def _related_clicked(self) -> None:
        button = self.sender()
        if isinstance(button, TouchButton):
            self.article_chosen.emit(str(button.property("slug")))
