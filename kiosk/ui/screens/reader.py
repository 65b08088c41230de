"""One article as cards: swipe or tap Previous/Next, with '2 of 6' and dots.

The page is built from parts with one concern each: the crisis banner (crisis_banner),
the scrolling title and card (article_view) with its read-aloud buttons
(read_aloud_buttons) and last-card extras (reader_extras), the footer (card_footer) and
the slide of a turned card (card_turn). The page holds the article and the card shown,
and turns cards.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.content.pack import Article
from kiosk.ui.screens.article_view import ArticleView, ReadFile, spoken_text
from kiosk.ui.screens.card_footer import CardFooter
from kiosk.ui.screens.card_turn import CardTurn
from kiosk.ui.screens.crisis_banner import CrisisBanner
from kiosk.ui.theme import Look, Theme
from kiosk.ui.widgets.swipe import SwipeDetector


def _no_files(_relative: str) -> bytes | None:
    return None


SIDE_PX = 48  # the page's margin on each side, at least
CARD_LEAST_LINES = 3  # the card keeps room for this many lines under the crisis banner


class _Column(QWidget):
    """The reader's centred column: as wide as a comfortable line allows, narrower
    when the screen is (a layout gives a centred widget its size hint's width)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._width = 1200

    def set_width(self, width: int) -> None:
        if width != self._width:
            self._width = width
            self.updateGeometry()

    def sizeHint(self) -> QSize:
        return QSize(self._width, super().sizeHint().height())


class ReaderPage(QWidget):
    listen_requested = Signal(str)  # the card's plain text
    stop_requested = Signal()
    repeat_requested = Signal()
    card_changed = Signal(int)
    article_chosen = Signal(str)
    quick_exit = Signal()
    home_requested = Signal()  # "Home" on the last card

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._article: Article | None = None
        self._read_file: ReadFile = _no_files
        self._related: list[tuple[str, str]] = []
        self._card = 0
        self.banner = CrisisBanner(self)
        self.banner.quick_exit.connect(self.quick_exit)
        self._view = view = ArticleView(self)
        self.body, self.text, self.start_button = view.body, view.text, view.start_button
        self.text.article_link.connect(self.article_chosen)
        self.follow = view.follow  # the word being read aloud, lit
        self._read_aloud = view.read_aloud
        self.listen_button = self._read_aloud.listen_button
        self.stop_button = self._read_aloud.stop_button
        self.repeat_button = self._read_aloud.repeat_button
        self.listen_button.clicked.connect(self._listen)
        self.stop_button.clicked.connect(self.stop_requested)
        self.repeat_button.clicked.connect(self.repeat_requested)
        self.start_button.clicked.connect(self._back_to_start)
        # What tests and the soak bench look at: the last card's extras (related
        # articles, QR code, checked line) and the note that staff are checking it.
        self.extras, self.review_note = view.extras, view.review_note
        self.extras.article_chosen.connect(self.article_chosen)
        self._footer = CardFooter(self)
        self.previous_button = self._footer.previous_button
        self.next_button = self._footer.next_button
        self.home_button = self._footer.home_button
        self.progress = self._footer.progress
        self.previous_button.clicked.connect(self.show_previous)
        self.next_button.clicked.connect(self.show_next)
        self.home_button.clicked.connect(self.home_requested)
        self.banner.set_height_cap(self._banner_room)  # now that the footer exists
        self._column = _Column(self)
        self._lay_out()
        self._swipe = _card_swipes(self, (self._column, self.body.viewport(), view.card_frame))
        self._turn = CardTurn(self, self.body)
        self.slide, self.slide_cover = self._turn.animation, self._turn.cover
        self.retranslate()
        self._read_aloud.sync()

    def _lay_out(self) -> None:
        outer = QHBoxLayout(self)
        outer.setContentsMargins(SIDE_PX, 20, SIDE_PX, 24)
        outer.addWidget(self._column, 1, Qt.AlignmentFlag.AlignHCenter)
        layout = QVBoxLayout(self._column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(self.banner)
        layout.addWidget(self.body, 1)
        layout.addWidget(self._footer.flow)

    def retranslate(self) -> None:
        self._footer.retranslate()
        self._view.retranslate()

    def restyle(self, theme: Theme) -> None:
        self._footer.restyle(theme)
        self._view.restyle(theme)

    # --- read aloud -------------------------------------------------------------------

    def set_read_aloud(self, enabled: bool) -> None:
        """Show the Listen buttons (only when read aloud is on and an engine works)."""
        self._read_aloud.set_enabled(enabled)

    def set_speaking(self, speaking: bool) -> None:
        self._read_aloud.set_speaking(speaking)
        if not speaking:
            self.follow.clear()

    def card_text(self) -> str:
        """The words of the card shown, as read aloud."""
        return "" if self._article is None else spoken_text(self._article, self._card)

    def _listen(self) -> None:
        if self._article is not None:
            self.follow.start(self.card_text(), self._article.sections[self._card])
        self.listen_requested.emit(self.card_text())

    # --- showing ----------------------------------------------------------------------

    def show_article(
        self,
        article: Article,
        read_file: ReadFile,
        *,
        banner: str,
        related: list[tuple[str, str]],
        card: int = 0,
        review_due: bool = False,
    ) -> None:
        """Show ``article``; ``related`` holds (slug, title) of the articles it suggests.

        ``read_file`` gives the pack's files (its images), checked as Pack.read_file
        checks them. ``review_due`` adds a note that the article is past its review date (the pack's
        "flag" policy)."""
        self._article = article
        self._related = related
        self._read_file = read_file
        self._view.show_article(article, review_due)
        self.banner.setVisible(article.sensitive)
        if article.sensitive:
            self.banner.show_text(banner)
        self.show_card(card)
        self.setFocus()  # no focus ring on any one control until a keypad user tabs

    @property
    def card_frame(self) -> QWidget:
        """The card itself: its heading, its text and what follows it."""
        return self._view.card_frame

    @property
    def article(self) -> Article | None:
        return self._article

    @property
    def card(self) -> int:
        return self._card

    def show_card(self, index: int) -> None:
        article = self._article
        if article is None:
            return
        self._card = max(0, min(index, len(article.sections) - 1))
        self._view.show_card(article, self._card, self._read_file, self._related)
        self._footer.show_position(self._card, len(article.sections))
        self.follow.forget()
        if self._read_aloud.speaking:
            self.stop_requested.emit()  # a new card: stop reading the old one
        self._read_aloud.new_card()
        self.card_changed.emit(self._card)

    def _back_to_start(self) -> None:
        self._turn.slide_away(+1)
        self.show_card(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Right:
            self.show_next()
        elif event.key() == Qt.Key.Key_Left:
            self.show_previous()
        elif not self._view.scroll_by_key(event.key()):  # a keypad scrolls, as a finger does
            super().keyPressEvent(event)

    def show_next(self) -> None:
        if self._article and self._card < len(self._article.sections) - 1:
            self._turn.slide_away(-1)
            self.show_card(self._card + 1)

    def show_previous(self) -> None:
        if self._card > 0:
            self._turn.slide_away(+1)
            self.show_card(self._card - 1)

    def set_animated(self, animated: bool) -> None:
        """Reduce motion turns the slide off; the card then simply changes."""
        self._turn.set_animated(animated)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.banner.updateGeometry()  # its room follows the page's height

    def _banner_room(self) -> int:
        """The crisis banner stays while the card scrolls: it shows all its words if it
        can, but leaves the card at least ``CARD_LEAST_LINES`` lines (its words scroll
        inside it beyond that). The crisis words come first: on the smallest screens at
        200% those lines may hold only the article's title, and the card scrolls."""
        page = self.layout()
        assert page is not None
        margins = page.contentsMargins()
        spacing = 16 * 2  # banner, card, footer
        footer = self._footer.flow.heightForWidth(max(1, self._column.width()))
        card = CARD_LEAST_LINES * self.text.fontMetrics().lineSpacing()
        used = margins.top() + margins.bottom() + spacing + footer + card
        return self.height() - used

    def set_reading_style(self, look: Look) -> None:
        self.text.set_reading_style(look.font(), look.dyslexia, look.theme.colors["link"])
        self._column.set_width(self._view.column_px())
        if self._article is not None:
            self.show_card(self._card)

    def reset(self) -> None:
        self.follow.forget()
        self._turn.forget()  # a picture of the last patient's card
        self._article = None
        self._card = 0
        self._view.clear()


def _card_swipes(page: ReaderPage, surfaces: tuple[QWidget, ...]) -> SwipeDetector:
    """A swipe anywhere on the page turns the card: on its words, on the card, or on the
    wide margins beside the column on a big screen."""
    swipe = SwipeDetector(page)
    for surface in (page, *surfaces, page.text.viewport()):
        swipe.watch(surface)
    swipe.swiped_left.connect(page.show_next)
    swipe.swiped_right.connect(page.show_previous)
    return swipe
