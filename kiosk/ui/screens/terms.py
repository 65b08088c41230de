"""The A-Z term browser: a search box, letters, big results, and keys on demand.

Results come first. The on-screen keyboard opens when the patient taps the search box
(or "Type a word") and closes with its own "Hide keys" key: a keyboard always on screen
left no room for a single result at 200% on a 768 px tall screen. While it is open the
letters step aside (typing and choosing a letter are two ways to the same list), so does
"Type a word" (one way to close the keys, not two, and a row of results more at 200%),
and on a wide screen the keys sit beside the results instead of under them.

Results update with every key. The page holds the search row (search_row), the letters
(letter_bar) and the results (term_results), and decides what is listed and where the
keys go.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QVBoxLayout, QWidget

from kiosk.core.content.review import PatientView
from kiosk.core.search.index import SearchIndex
from kiosk.ui.screens.letter_bar import LetterBar
from kiosk.ui.screens.search_row import SearchRow
from kiosk.ui.screens.term_results import TermResults
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.keyboard import OnScreenKeyboard
from kiosk.ui.widgets.layout import ReflowPage, add_layout
from kiosk.ui.widgets.scrolling import kinetic_scroll_area

BESIDE_MIN_WIDTH = 1200  # from this page width on, the keys sit beside the results
MARGIN = 48
NARROW_MARGIN = 8  # below 900 px every pixel goes to keys and results


class TermsPage(ReflowPage):
    article_chosen = Signal(str)
    search_changed = Signal(str, str)  # text, letter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._open = False  # lists are built when the page opens (restore)
        self._letter = ""
        self._search = SearchRow(self)
        self.field = self._search.field
        self.keys_button = self._search.keys_button
        self.clear_button = self._search.clear_button
        self.field.textChanged.connect(self._on_text)
        self.keys_button.clicked.connect(self.open_keyboard)  # the keys have Hide keys
        self.clear_button.clicked.connect(self.clear)
        self.letters = LetterBar(self)
        self.letters.letter_chosen.connect(self._letter_chosen)
        self.results = TermResults(self.letters.host, self)
        self.results.article_chosen.connect(self.article_chosen)
        self.heading = self.results.heading
        self.scroll_area = kinetic_scroll_area(self.results.browse, self)
        self._list_width = 0
        self.keyboard = OnScreenKeyboard(self)
        self.keyboard.typed.connect(self._type)
        self.keyboard.backspace_pressed.connect(self.field.backspace)
        self.keyboard.hide_pressed.connect(self.close_keyboard)
        self.keyboard.hide()
        self._body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self._body.setSpacing(16)
        self._body.addWidget(self.scroll_area, 1)
        self._body.addWidget(self.keyboard)
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(MARGIN, 20, MARGIN, 16)
        self._outer.setSpacing(14)
        add_layout(self._outer, self._search.grid)
        add_layout(self._outer, self._body, 1)
        self.field.installEventFilter(self)  # a tap on the box opens the keys
        self._search.keep_kiosk_font()
        # How many columns show the most results beside the keys depends on the room
        # the list gets, known once the keys and the search row have their heights.
        self.scroll_area.viewport().installEventFilter(self)
        self.retranslate()
        self.arrange()

    def retranslate(self) -> None:
        self._search.retranslate()

    def restyle(self, theme: Theme) -> None:
        self._search.restyle(theme)

    # --- content ----------------------------------------------------------------------

    def show_articles(self, view: PatientView, index: SearchIndex, locale: str) -> None:
        """List the articles patients may see in ``view``, and search among them only."""
        self.results.set_content(view, index, locale)
        self.keyboard.set_locale(locale)
        self.letters.set_initials(view.initials(locale))
        self.retranslate()
        self._refresh()

    def restore(self, text: str, letter: str) -> None:
        """The page opens: list what the session had (nothing is listed before, so a
        start-up or a reset builds no buttons, and no old results wait hidden)."""
        self._open = True
        self._letter = letter
        self.field.setText(text)  # refreshes through textChanged
        self._refresh()
        # Typing goes to the search field, from the keys or a USB keyboard.
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def letter(self) -> str:
        """The letter chosen ("" for none: all words, or what is typed)."""
        return self._letter

    # --- the keyboard -----------------------------------------------------------------

    @property
    def keyboard_open(self) -> bool:
        return self.keyboard.isVisibleTo(self)

    def open_keyboard(self) -> None:
        if not self.keyboard_open:
            self.keyboard.show()
            self.letters.host.hide()
            self._after_keyboard()

    def close_keyboard(self) -> None:
        if self.keyboard_open:
            self.keyboard.hide()
            self.letters.host.show()
            self._after_keyboard()

    def _after_keyboard(self) -> None:
        # While typing, the list shows titles only, so that at least six (three at 200%)
        # fit beside the keys; summaries come back when the keys are put away.
        self.results.set_typing(self.keyboard_open)
        self.keys_button.setVisible(not self.keyboard_open)
        self.arrange()
        self.field.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.field and event.type() == QEvent.Type.MouseButtonPress:
            self.open_keyboard()
        elif (
            event.type() == QEvent.Type.Resize
            and self.isVisible()  # not while the window is torn down
            and self.keyboard_open
            and isinstance(event, QResizeEvent)
            and event.size() != event.oldSize()
            and watched is self.scroll_area.viewport()
        ):
            self._place_results()
        return False

    # --- input ------------------------------------------------------------------------

    def _type(self, char: str) -> None:
        self.field.insert(char)

    def clear(self) -> None:
        self._letter = ""
        self.field.clear()
        self._refresh()

    def _letter_chosen(self, letter: str) -> None:
        self._letter = letter
        self.field.blockSignals(True)
        self.field.clear()
        self.field.blockSignals(False)
        self._refresh()

    def _on_text(self, text: str) -> None:
        if text.strip():
            self._letter = ""
        self._refresh()

    # --- results ----------------------------------------------------------------------

    def _refresh(self) -> None:
        self.letters.mark(self._letter)
        if not self.results.ready:
            return
        self.search_changed.emit(self.field.text(), self._letter)
        query = self.field.text().strip()
        if not self._open:
            self.results.show_nothing()
        elif query:
            self.results.show_search(query)
        else:
            self.results.show_letter(self._letter)
        self.arrange()
        self.scroll_area.verticalScrollBar().setValue(0)

    def visible_results(self) -> list[str]:
        return self.results.visible()

    # --- layout -----------------------------------------------------------------------

    def arrange(self) -> None:
        """Margins, where the keys go, and how many letters and results fit per row."""
        wide = self.width() >= BESIDE_MIN_WIDTH
        margin = MARGIN if wide else NARROW_MARGIN if self.width() < 900 else 24
        self._outer.setContentsMargins(margin, 20 if wide else 12, margin, 16 if wide else 8)
        beside = wide and self.width() > self.height() and self.keyboard_open
        self._body.setDirection(
            QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
        )
        # Under the results, the keys get at most about a third of the page's height,
        # shorter rows rather than no room for results (never under 64 px a key).
        self.keyboard.limit_height(0 if beside else self.height() // 3)
        # Beside the results, the keys take what they need, or two fifths of the page.
        least = self.keyboard.minimumSizeHint().width()
        self.keyboard.setMaximumWidth(max(least, self.width() * 2 // 5) if beside else 16777215)
        self._search.arrange(self.width() - 2 * margin, self.keyboard_open)
        list_width = self.width() - 2 * margin - 16 - 20
        if beside:
            list_width -= self.keyboard.maximumWidth() + self._body.spacing()
        self.letters.arrange(list_width)
        self._list_width = list_width
        self._place_results()

    def _place_results(self) -> None:
        char = self.fontMetrics().averageCharWidth()
        self.results.place(self._list_width, char, self.scroll_area.viewport())

    def reset(self) -> None:
        self._open = False
        self.keyboard.reset()
        self.close_keyboard()
        self.clear()
