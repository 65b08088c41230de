"""The A-Z term browser: a search box, letters, big results, and keys on demand.

Results come first. The on-screen keyboard opens when the patient taps the search box
(or "Type a word") and closes with its own "Hide keys" key: a keyboard always on screen
left no room for a single result at 200% on a 768 px tall screen. While it is open the
letters step aside (typing and choosing a letter are two ways to the same list), so does
"Type a word" (one way to close the keys, not two, and a row of results more at 200%),
and on a wide screen the keys sit beside the results instead of under them.

Results update with every key. Result tiles come from a pool that only grows to the
largest list shown, so typing for months creates no new widgets once warm.
"""

from __future__ import annotations

import string

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.content.review import PatientView
from kiosk.core.search.index import SearchIndex
from kiosk.ui.theme import Theme, keep_kiosk_font
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.widgets.cards import CardButton
from kiosk.ui.widgets.icons import themed_icon
from kiosk.ui.widgets.keyboard import OnScreenKeyboard
from kiosk.ui.widgets.labels import FitLabel
from kiosk.ui.widgets.layout import ReflowPage, add_layout, fit_columns
from kiosk.ui.widgets.line_edit import TouchLineEdit
from kiosk.ui.widgets.scrolling import kinetic_scroll_area

LETTERS = string.ascii_uppercase
MAX_LISTED = 120  # more than this is a wall of buttons; ask for another letter instead
BESIDE_MIN_WIDTH = 1200  # from this page width on, the keys sit beside the results
MARGIN = 48
NARROW_MARGIN = 8  # below 900 px every pixel goes to keys and results


class TermsPage(ReflowPage):
    article_chosen = Signal(str)
    search_changed = Signal(str, str)  # text, letter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self._view: PatientView | None = None
        self._open = False  # lists are built when the page opens (restore)
        self._index: SearchIndex | None = None
        self._locale = ""
        self._letter = ""
        self.field = TouchLineEdit(self)
        self.field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.field.setMaxLength(60)
        self.field.textChanged.connect(self._on_text)
        self.keys_button = TouchButton(role="secondary")
        self.keys_button.clicked.connect(self.open_keyboard)  # the keys have Hide keys
        self.clear_button = TouchButton(role="secondary")
        self.clear_button.clicked.connect(self.clear)
        # The box and its buttons (Clear alone while the keys are open) share a row,
        # or, when big text makes them wide on a narrow screen, the buttons go under
        # the box (see arrange).
        self._search = QGridLayout()
        self._search.setSpacing(12)
        self._search_rows = self._search_buttons = 0
        self._letters: dict[str, TouchButton] = {}
        self._letters_host = QWidget()
        self._letters_grid = QGridLayout(self._letters_host)
        self._letters_grid.setContentsMargins(0, 0, 0, 0)
        self._letters_grid.setSpacing(8)
        for letter in LETTERS:
            button = TouchButton(letter, role="letter", name=letter)
            button.setCheckable(True)  # the chosen letter is marked, not only coloured
            button.clicked.connect(self._letter_clicked)
            self._letters[letter] = button
        self._letter_columns = 0
        # Letters, heading and results scroll together; nothing is squeezed or cut off.
        browse = QWidget()
        self.heading = FitLabel(browse)
        self.heading.setProperty("role", "progress")  # small: results get the room
        self._results_host = QWidget(browse)
        self._results = QGridLayout(self._results_host)
        self._results.setContentsMargins(0, 0, 0, 0)
        self._results.setSpacing(8)
        self._results.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._browse = column = QVBoxLayout(browse)
        column.setContentsMargins(0, 0, 16, 0)
        column.setSpacing(14)
        column.addWidget(self._letters_host)
        column.addWidget(self.heading)
        column.addWidget(self._results_host)
        column.addStretch(1)
        self.scroll_area = kinetic_scroll_area(browse, self)
        self._list_width = 0
        self.keyboard = OnScreenKeyboard(self)
        self.keyboard.typed.connect(self._type)
        self.keyboard.backspace_pressed.connect(self.field.backspace)
        self.keyboard.hide_pressed.connect(self.close_keyboard)
        self.keyboard.hide()
        self._heading_news = False  # the heading says what the box does not
        self._pool: list[CardButton] = []
        self._shown = 0
        self._columns = 0
        self._body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self._body.setSpacing(16)
        self._body.addWidget(self.scroll_area, 1)
        self._body.addWidget(self.keyboard)
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(MARGIN, 20, MARGIN, 16)
        self._outer.setSpacing(14)
        add_layout(self._outer, self._search)
        add_layout(self._outer, self._body, 1)
        self.field.installEventFilter(self)  # a tap on the box opens the keys
        # The search row is the keys' own: what is typed looks like the keys that typed
        # it, and in the easier font at 200% the box and Clear keep to one row, short
        # enough for results beside the keys on a 768 px screen.
        keep_kiosk_font(self.field, QLineEdit)
        for button in (self.keys_button, self.clear_button):
            keep_kiosk_font(button)
        # How many columns show the most results beside the keys depends on the room
        # the list gets, known once the keys and the search row have their heights.
        self.scroll_area.viewport().installEventFilter(self)
        self.retranslate()
        self.arrange()

    def retranslate(self) -> None:
        self.field.set_placeholders(
            QCoreApplication.translate("TermsPage", "Type a health word"),
            QCoreApplication.translate("TermsPage", "Type here"),
            QCoreApplication.translate("TermsPage", "Search"),
        )
        self.field.setAccessibleName(QCoreApplication.translate("TermsPage", "Search health words"))
        self.clear_button.setText(QCoreApplication.translate("TermsPage", "Clear"))
        self.clear_button.setAccessibleName(
            QCoreApplication.translate("TermsPage", "Clear the search")
        )
        label = QCoreApplication.translate("TermsPage", "Type a word")
        self.keys_button.setText(label)
        self.keys_button.setAccessibleName(label)

    def restyle(self, theme: Theme) -> None:
        self.clear_button.setIcon(themed_icon("clear", theme.colors["on_secondary"]))
        self.keys_button.setIcon(themed_icon("search", theme.colors["on_secondary"]))

    # --- content ----------------------------------------------------------------------

    def show_articles(self, view: PatientView, index: SearchIndex, locale: str) -> None:
        """List the articles patients may see in ``view``, and search among them only."""
        self._view, self._index, self._locale = view, index, locale
        self.keyboard.set_locale(locale)
        initials = view.initials(locale)
        for letter, button in self._letters.items():
            # A letter with no words still answers a tap, with "No words start with Q"
            # (a dead button said nothing); it looks quieter, so nobody hunts there.
            empty = letter not in initials
            if button.property("empty") != empty:
                button.setProperty("empty", empty)
                button.style().unpolish(button)
                button.style().polish(button)
            button.setAccessibleDescription(
                QCoreApplication.translate("TermsPage", "No words") if empty else ""
            )
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

    # --- the keyboard -----------------------------------------------------------------

    @property
    def keyboard_open(self) -> bool:
        return self.keyboard.isVisibleTo(self)

    def open_keyboard(self) -> None:
        if not self.keyboard_open:
            self.keyboard.show()
            self._letters_host.hide()
            self._after_keyboard()

    def close_keyboard(self) -> None:
        if self.keyboard_open:
            self.keyboard.hide()
            self._letters_host.show()
            self._after_keyboard()

    def _after_keyboard(self) -> None:
        # While typing, the list shows titles only, so that at least six (three at 200%)
        # fit beside the keys; summaries come back when the keys are put away.
        for tile in self._pool:
            tile.set_summary_shown(not self.keyboard_open)
        self._show_heading()
        self.keys_button.setVisible(not self.keyboard_open)
        self._columns = 0
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

    def _letter_clicked(self) -> None:
        button = self.sender()
        if isinstance(button, TouchButton):
            self._letter = button.text()
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
        index, view, query = self._index, self._view, self.field.text().strip()
        for letter, button in self._letters.items():
            button.setChecked(letter == self._letter)
        if index is None or view is None:
            return
        self.search_changed.emit(self.field.text(), self._letter)
        if not self._open:
            self.heading.clear()
            self._show_results([])
            return
        if query:
            hits = view.titled(
                self._locale, [h.slug for h in index.search(query, self._locale, limit=30)]
            )
            self._heading_news = not hits
            if hits:
                self.heading.setText(
                    QCoreApplication.translate("TermsPage", "Results for “%1”").replace("%1", query)
                )
            else:
                hits = view.titled(
                    self._locale, [h.slug for h in index.closest(query, self._locale)]
                )
                self.heading.setText(
                    QCoreApplication.translate(
                        "TermsPage", "No results for “%1”. Did you mean:"
                    ).replace("%1", query)
                    if hits
                    else QCoreApplication.translate(
                        "TermsPage", "No results for “%1”. Try fewer letters, or tap a letter."
                    ).replace("%1", query)
                )
        else:
            self._heading_news = False
            listed = view.listing(self._locale, initial=self._letter, limit=MAX_LISTED)
            if self._letter and not listed:
                self.heading.setText(
                    QCoreApplication.translate(
                        "TermsPage",
                        "No words start with %1 yet. Tap another letter, or type a word.",
                    ).replace("%1", self._letter)
                )
            elif self._letter:
                self.heading.setText(
                    QCoreApplication.translate("TermsPage", "Words starting with %1").replace(
                        "%1", self._letter
                    )
                )
            else:
                self.heading.setText(QCoreApplication.translate("TermsPage", "All health words"))
            hits = [(a.slug, a.title) for a in listed]
        self._show_results(hits)

    def _line(self, slug: str) -> tuple[str, str]:
        """The one line a tile shows under its title, as (summary, urgent): what to do
        now if the article says ("Call 911 now if..."), else the summary's first
        sentence, what the word means. A row of tiles stays as short as one line."""
        article = self._view.article(self._locale, slug) if self._view else None
        if article is None:
            return "", ""
        if article.urgent:
            return "", article.urgent
        first, dot, _rest = article.summary.partition(". ")
        return first + dot.strip(), ""

    def _show_results(self, hits: list[tuple[str, str]]) -> None:
        while len(self._pool) < len(hits):
            tile = CardButton("", "", self._results_host, role="result")
            tile.clicked.connect(self._result_clicked)
            self._pool.append(tile)
        for i, tile in enumerate(self._pool):
            if i < len(hits):
                slug, title = hits[i]
                tile.set_text(title, *self._line(slug))
                tile.set_summary_shown(not self.keyboard_open)
                tile.setProperty("slug", slug)
                tile.show()
            else:
                tile.hide()
        self._shown = len(hits)
        self._show_heading()
        self._columns = 0  # place the tiles again
        self.arrange()
        self.scroll_area.verticalScrollBar().setValue(0)

    def _show_heading(self) -> None:
        # While typing, a heading that only repeats the box ("All health words",
        # "Results for 'heart'") gives its room to results: at 200% in the easier font
        # on a 1024x768 screen it left not one whole result. "No results for ..." shows.
        self.heading.setVisible(not self.keyboard_open or self._heading_news)

    def _result_clicked(self) -> None:
        tile = self.sender()
        if isinstance(tile, TouchButton):
            self.article_chosen.emit(str(tile.property("slug")))

    def visible_results(self) -> list[str]:
        return [t.accessibleName() for t in self._pool[: self._shown]]

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
        room = self.width() - 2 * margin
        buttons = [self.clear_button]
        if not self.keyboard_open:
            buttons.insert(0, self.keys_button)
        wanted = [b.sizeHint().width() for b in buttons]
        box = max(240, self.field.minimumSizeHint().width())  # room to see what was typed
        rows = (
            1
            if sum(wanted) + 12 * len(wanted) + box <= room
            else 2
            if sum(wanted) + 12 * (len(wanted) - 1) <= room
            else 1 + len(wanted)
        )
        if (rows, len(buttons)) != (self._search_rows, self._search_buttons):
            self._search_rows, self._search_buttons = rows, len(buttons)
            for old in (self.field, self.keys_button, self.clear_button):
                self._search.removeWidget(old)
            # The box first, then the buttons: beside it, on a row under it, or one a row.
            places = [(0, 0, 1, len(buttons) if rows == 2 else 1)]
            for i in range(len(buttons)):
                places.append(
                    (0, i + 1, 1, 1)
                    if rows == 1
                    else (1, i, 1, 1)
                    if rows == 2
                    else (i + 1, 0, 1, 1)
                )
            for part, place in zip([self.field, *buttons], places, strict=True):
                self._search.addWidget(part, *place)
            for c in range(3):
                self._search.setColumnStretch(c, 1 if c == 0 else 0)
        list_width = self.width() - 2 * margin - 16 - 20
        if beside:
            list_width -= self.keyboard.maximumWidth() + self._body.spacing()
        letters = list(self._letters.values())
        letter_columns = next(
            c for c in (13, 9, 7, 5, 1) if fit_columns(letters, list_width, c, 8) == c
        )
        if letter_columns != self._letter_columns:
            self._letter_columns = letter_columns
            for i, button in enumerate(letters):
                self._letters_grid.addWidget(button, i // letter_columns, i % letter_columns)
        self._list_width = list_width
        self._place_results()

    def _place_results(self) -> None:
        shown = self._pool[: self._shown]
        list_width, spacing = self._list_width, self._results.spacing()
        # A column at least 20 letters of body text wide, so a summary does not wrap a
        # word to a line; 10 while typing, when tiles show titles only.
        readable = self.fontMetrics().averageCharWidth() * (10 if self.keyboard_open else 20)
        columns = fit_columns(shown or self._pool[:1], list_width, 3, spacing, least=readable)
        if self.keyboard_open and shown:
            # Beside the keys, as many whole results as the room shows: in the easier
            # font at 200%, two columns wrapped Spanish titles onto two lines, and not
            # one whole result showed on a 1024x768 screen; one column showed one.
            viewport = self.scroll_area.viewport()
            room = viewport.height()
            # The list's own width once laid out: beside keys narrower than their
            # most, it is wider than arrange() reckons.
            inset = self._browse.contentsMargins().right()
            list_width = viewport.width() - inset if viewport.width() > inset else list_width
            if not self.heading.isHidden():  # "No results for ..." sits above them
                high = self.heading.heightForWidth(list_width)
                high = high if high > 0 else self.heading.sizeHint().height()
                room -= high + self._browse.spacing()

            # Ties go to the shorter first row (a title on one line, not cut in two),
            # then to more columns, so one result sits as it would among many.
            def score(columns: int) -> tuple[int, int, int]:
                rows = row_heights(shown, list_width, columns, spacing)
                top, whole = 0, 0  # rows shown whole in the room
                for height in rows:
                    top += height
                    if top > room:
                        break
                    whole, top = whole + 1, top + spacing
                return min(len(shown), whole * columns), -rows[0], columns

            columns = max(range(1, columns + 1), key=score)
        if columns != self._columns:
            self._columns = columns
            for i, tile in enumerate(shown):
                self._results.addWidget(tile, i // columns, i % columns)
            # One result keeps the width it would have among many (empty columns stay).
            for c in range(3):
                self._results.setColumnStretch(c, 1 if c < columns else 0)

    def reset(self) -> None:
        self._open = False
        self.keyboard.reset()
        self.close_keyboard()
        self.clear()


def row_heights(tiles: list[CardButton], width: int, columns: int, spacing: int) -> list[int]:
    """The height in px of each row of ``tiles`` laid ``columns`` to a row across
    ``width`` px (a row is as tall as its tallest tile at that width)."""
    column = (width - (columns - 1) * spacing) // columns
    return [
        max(tile.heightForWidth(column) for tile in tiles[first : first + columns])
        for first in range(0, len(tiles), columns)
    ]
