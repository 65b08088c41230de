"""The reader's scrolling part: the article's title and the card shown, as one page."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QMargins, QObject, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.content.pack import Article
from kiosk.ui.screens.read_aloud_buttons import ReadAloudButtons
from kiosk.ui.screens.reader_extras import LastCardExtras
from kiosk.ui.screens.word_follow import WordFollower
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.widgets.icons import themed_icon
from kiosk.ui.widgets.labels import FitLabel, Label
from kiosk.ui.widgets.layout import add_layout
from kiosk.ui.widgets.scrolling import kinetic_scroll_area
from kiosk.ui.widgets.textview import CardText

ReadFile = Callable[[str], bytes | None]  # a pack file by its path in the pack

LINE_CHARS = 70  # the longest line, in average characters: about 70 reads best
# What an average character is: measured on running text (spaces and all), not on the
# font's own average, which counts capitals and wide symbols and gives 85-char lines.
TITLE_NAME = "article title"
_SAMPLE = "A heart attack happens when blood flow to part of your heart is blocked."


def spoken_text(article: Article, card: int) -> str:
    """The words of card ``card`` as read aloud: the article's title before an untitled
    card's text, and what to do now before the first card's."""
    section = article.sections[card]
    text = section.text if section.title else f"{article.title}.\n\n{section.text}"
    if card == 0 and article.urgent:  # what to do now comes first
        text = f"{article.urgent}\n\n{text}"
    return text


class ArticleView(QObject):
    """The article's title (and review note) and its card, scrolling as one (``body``).

    The card is as tall as its words, the extras on the last card after them, so large
    text on a small screen is never cut off and never squeezed: only the crisis banner
    and the footer stay in place. The card holds, in order: Listen/Stop/Repeat, what
    to do now (first card), the card's title, its text, the last card's extras, and
    "Back to start" (the last card ends somewhere, not on a dead Next; it follows the
    text, so the footer stays one row on small screens at 200%).
    """

    def __init__(self, page: QWidget) -> None:
        super().__init__(page)
        inner = QWidget()
        inner.setObjectName("reader-body")
        self.body = kinetic_scroll_area(inner, page)
        self.body.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the page takes the keys
        self._title = FitLabel(inner)
        self._title.setObjectName(TITLE_NAME)  # speech mode reads it before the crisis banner
        self._title.setProperty("role", "hero-title")
        self._title.setWordWrap(True)
        self.review_note = Label(inner)
        self.review_note.setProperty("role", "hint")
        self.review_note.setWordWrap(True)
        self.review_note.hide()
        self.card_frame = QFrame(inner)
        self.card_frame.setProperty("role", "card")
        # What to do now ("Call 911 now if..."), first on the first card: a calm,
        # distinct callout, and the first thing read aloud.
        self._urgent = QFrame(self.card_frame)
        self._urgent.setProperty("role", "urgent")
        self._urgent_text = Label(self._urgent)
        self._urgent_text.setProperty("role", "urgent-text")
        self._urgent_text.setWordWrap(True)
        urgent_layout = QHBoxLayout(self._urgent)
        urgent_layout.setContentsMargins(20, 14, 20, 14)
        urgent_layout.addWidget(self._urgent_text, 1)
        self._urgent.hide()
        self._card_title = FitLabel(self.card_frame)
        self._card_title.setProperty("role", "card-title")
        self._card_title.setWordWrap(True)
        self.text = CardText(self.card_frame)
        self.follow = WordFollower(self.text, self.body)  # the word read aloud, lit
        self.extras = LastCardExtras(self.card_frame)
        self.read_aloud = ReadAloudButtons(self)
        self.start_button = TouchButton(role="secondary")
        self._lay_out(inner)

    def _lay_out(self, inner: QWidget) -> None:
        card_layout = QVBoxLayout(self.card_frame)
        self._card_margins = QMargins(36, 28, 36, 28)
        card_layout.setContentsMargins(self._card_margins)
        card_layout.setSpacing(12)
        add_layout(card_layout, self.read_aloud.row)
        card_layout.addWidget(self._urgent)
        card_layout.addWidget(self._card_title)
        card_layout.addWidget(self.text)
        card_layout.addWidget(self.extras.widget)
        card_layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        card_layout.addStretch(1)
        body_layout = QVBoxLayout(inner)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(16)
        body_layout.addWidget(self._title)
        body_layout.addWidget(self.review_note)
        body_layout.addWidget(self.card_frame, 1)

    def retranslate(self) -> None:
        self.start_button.setText(QCoreApplication.translate("ReaderPage", "Back to start"))
        self.start_button.setAccessibleName(self.start_button.text())
        self.review_note.setText(
            QCoreApplication.translate(
                "ReaderPage",
                "Our staff are checking that this page is still up to date. "
                "If you have questions, please ask at the front desk.",
            )
        )
        self.read_aloud.retranslate()

    def restyle(self, theme: Theme) -> None:
        self.start_button.setIcon(themed_icon("previous", theme.colors["on_secondary"]))
        self.read_aloud.restyle(theme)
        self.follow.restyle(theme)

    def show_article(self, article: Article, review_due: bool) -> None:
        self.review_note.setVisible(review_due)
        self._title.setText(article.title)
        self.extras.prepare(article)

    def show_card(
        self, article: Article, index: int, read_file: ReadFile, related: list[tuple[str, str]]
    ) -> None:
        """Card ``index`` of ``article``, scrolled to its top; the last card ends with
        "Back to start" (unless it is the first too) and its extras, which offer the
        ``related`` articles, (slug, title) each."""
        section = article.sections[index]
        title = section.title or article.title
        # The intro card sits right under the article title; a second copy is noise.
        self._card_title.setText(section.title)
        self._card_title.setVisible(bool(section.title))
        self._urgent_text.setText(article.urgent)
        self._urgent.setVisible(index == 0 and bool(article.urgent))
        self.text.show_html(section.html, read_file, title)
        self.body.verticalScrollBar().setValue(0)
        last = index == len(article.sections) - 1
        self.start_button.setVisible(last and index > 0)
        self.extras.show_for(article if last else None, related)

    def scroll_by_key(self, key: int) -> bool:
        """Scroll for an arrow or page key; False for any other key."""
        bar = self.body.verticalScrollBar()
        steps = {
            Qt.Key.Key_Down: bar.singleStep() * 3,
            Qt.Key.Key_Up: -bar.singleStep() * 3,
            Qt.Key.Key_PageDown: bar.pageStep(),
            Qt.Key.Key_PageUp: -bar.pageStep(),
        }
        if key not in steps:
            return False
        bar.setValue(bar.value() + steps[Qt.Key(key)])
        return True

    def column_px(self) -> int:
        """How wide the page's column may be, in px: lines of about LINE_CHARS average
        characters of the card's font (WCAG 2.2 1.4.8 asks at most 80), plus the card's
        own margins and scroll bar."""
        card = self._card_margins
        return (
            self.text.fontMetrics().horizontalAdvance(_SAMPLE) * LINE_CHARS // len(_SAMPLE)
            + card.left()
            + card.right()
            + self.body.verticalScrollBar().sizeHint().width()
            + 2 * int(self.text.document().documentMargin())
        )

    def clear(self) -> None:
        """No article: the text, its pictures and the extras let go."""
        self.text.clear()
        self.text.forget_pictures()
        self.body.verticalScrollBar().setValue(0)
        self.extras.forget()
