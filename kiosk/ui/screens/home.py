"""Home: big cards for the topics, the way into A-Z, and a first row of health words.

Every article is at most two taps away: a topic card, or a health word listed here
or in the A-Z browser.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.core.content.catalogue import Listed
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.widgets.cards import CardButton
from kiosk.ui.widgets.labels import FitLabel, Label
from kiosk.ui.widgets.layout import ReflowPage, add_layout, discard, fit_columns
from kiosk.ui.widgets.scrolling import kinetic_scroll_area

FEATURED_TERMS = 16  # enough to fill the screen; the A-Z browser has the rest


class HomePage(ReflowPage):
    article_chosen = Signal(str)
    terms_chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("home")
        content = QWidget()
        # The heading scrolls with the cards: at 200% on a small screen its two lines
        # would otherwise hold the page to more height than the screen has.
        self._heading = FitLabel(content)
        self._heading.setProperty("role", "hero-title")
        self._heading.setWordWrap(True)
        self._intro = Label(content)
        self._intro.setProperty("role", "hint")
        self._intro.setWordWrap(True)
        self._cards_grid = QGridLayout()
        self._cards_grid.setSpacing(24)
        self._words_title = Label(content)
        self._words_title.setProperty("role", "section-title")
        self._words_grid = QGridLayout()
        self._words_grid.setSpacing(12)
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 16, 0)
        column.setSpacing(20)
        column.addWidget(self._heading)
        column.addWidget(self._intro)
        add_layout(column, self._cards_grid)
        column.addSpacing(8)
        column.addWidget(self._words_title)
        add_layout(column, self._words_grid)
        column.addStretch(1)
        self.scroll_area = kinetic_scroll_area(content, self)
        self._content = content
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 28, 48, 24)
        layout.setSpacing(12)
        layout.addWidget(self.scroll_area, 1)
        self._cards: list[CardButton] = []
        self._words: list[TouchButton] = []
        self._columns = (0, 0)

    def show_articles(self, title: str, topics: list[Listed], words: list[Listed]) -> None:
        """A card per topic, then the first ``FEATURED_TERMS`` health words."""
        for widget in (*self._cards, *self._words):
            discard(widget)
        self._cards, self._words = [], []
        self._heading.setText(title)
        self._intro.setText(QCoreApplication.translate("HomePage", "Tap a card to start reading."))
        for article in topics:
            card = CardButton(article.title, article.summary, self._content, urgent=article.urgent)
            card.setProperty("slug", article.slug)
            card.clicked.connect(self._article_clicked)
            self._cards.append(card)
        entry = CardButton(
            QCoreApplication.translate("HomePage", "Health words A to Z"),
            QCoreApplication.translate(
                "HomePage", "Look up a word you heard from your doctor or nurse."
            ),
            self._content,
            role="entry-card",
        )
        entry.clicked.connect(self.terms_chosen)
        self._cards.append(entry)
        terms = words[:FEATURED_TERMS]
        self._words_title.setText(QCoreApplication.translate("HomePage", "Health words"))
        self._words_title.setVisible(bool(terms))
        for article in terms:
            button = TouchButton(article.title, self._content, role="term")
            button.setProperty("slug", article.slug)
            button.clicked.connect(self._article_clicked)
            self._words.append(button)
        self.arrange()

    def _article_clicked(self) -> None:
        button = self.sender()
        if isinstance(button, TouchButton):
            self.article_chosen.emit(str(button.property("slug")))

    def arrange(self) -> None:
        """As many columns as fit: two topic cards and four words side by side on a
        wide screen, fewer when the screen is narrow or the text is big."""
        width = self.width() - 96 - 16 - self.scroll_area.verticalScrollBar().sizeHint().width()
        most_cards = 1 if self.height() > self.width() else 2
        columns = (
            fit_columns(self._cards, width, most_cards, self._cards_grid.horizontalSpacing()),
            fit_columns(self._words, width, 4, self._words_grid.horizontalSpacing()),
        )
        if (
            columns == self._columns
            and all(self._cards_grid.indexOf(card) >= 0 for card in self._cards)
            and all(self._words_grid.indexOf(word) >= 0 for word in self._words)
        ):
            return
        self._columns = columns
        card_columns, word_columns = columns
        for i, card in enumerate(self._cards):
            self._cards_grid.addWidget(card, i // card_columns, i % card_columns)
        for i, word in enumerate(self._words):
            self._words_grid.addWidget(word, i // word_columns, i % word_columns)

    def reset(self) -> None:
        self.scroll_area.verticalScrollBar().setValue(0)
