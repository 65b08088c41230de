"""An on-screen keyboard for the search field: big keys, wide gaps, lower case only.

Patients type a word or two, so there is no shift, no numbers and no punctuation:
fewer keys means bigger keys. Spanish has ñ after l, as on a Spanish keyboard; accented
vowels have no keys, because search ignores accents ("hipertension" finds
"Hipertensión", kiosk.core.search.folding): a fifth row of them left no room for results.
The bottom row closes the keyboard, types a space or deletes a letter; clearing the
search is the one Clear button beside the search field, never a key (in Spanish,
"Borrar" meant both "delete a letter" and "clear all").
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QPalette, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.theme import keep_kiosk_font
from kiosk.ui.widgets.buttons import MIN_TARGET, TouchButton
from kiosk.ui.widgets.icons import themed_icon

LETTER_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
# A language's own rows, where they differ from LETTER_ROWS.
LOCALE_ROWS = {"es": ("qwertyuiop", "asdfghjklñ", "zxcvbnm")}
KEY_HEIGHT = 72  # at 100% text size; grows with the text so big letters never clip
KEY_PADDING = 12  # around a key's text once the text is large (the style sheet has none)
GAP = 8  # between keys: a shaky finger that misses lands in a gap, not on a neighbour
KEY_DEBOUNCE_MS = 90  # double letters ("tt") typed quickly count; a tremor bounce does not
UNIT = 2  # stretch of one letter key; a row's side spacers use 1 for a half-key offset
ROW_UNITS = UNIT * len(LETTER_ROWS[0])  # every row is as wide as q..p, so keys line up


def _labels() -> dict[str, str]:
    """Visible text (also the accessible name) of the keys that are not letters,
    in the interface language (Qt's installed translator)."""
    return {
        "space": QCoreApplication.translate("OnScreenKeyboard", "Space"),
        "delete": QCoreApplication.translate("OnScreenKeyboard", "Delete"),
        "hide": QCoreApplication.translate("OnScreenKeyboard", "Hide keys"),
    }


class OnScreenKeyboard(QWidget):
    typed = Signal(str)  # one character, lower case (" " for Space)
    backspace_pressed = Signal()
    hide_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyboard")
        # Tapping a key or a gap must never move focus off the search field, so neither
        # the keyboard nor its keys take focus. People with a USB keypad or a switch do
        # not need them: they type into the search field directly, which keeps focus.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._keys: list[TouchButton] = []
        self._rows: list[QWidget] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, GAP, 0, GAP)  # the page has margins; 768 px is tight
        layout.setSpacing(GAP)

        # One row widget per distinct row of letters; a language shows its own three.
        self._letter_rows: dict[str, QWidget] = {}
        every = (LETTER_ROWS, *LOCALE_ROWS.values())
        for letters in dict.fromkeys(rows[i] for i in range(len(LETTER_ROWS)) for rows in every):
            row = self._add_row(layout)
            for char in letters:
                self._add_char_key(row, char, char, UNIT)
            self._centre(row)
            self._letter_rows[letters] = row

        # Hide sits at the far left, away from Delete and the letters.
        bottom = self._add_row(layout)
        # Their words are smaller than the letters: "Ocultar teclas" in letter size would
        # make the keyboard wider than a 1024 px screen at 200%.
        self._hide = self._add_key(bottom, "", 2 * UNIT, "key-word")
        self._hide.clicked.connect(self.hide_pressed)
        self._space = self._add_char_key(bottom, "", " ", ROW_UNITS - 4 * UNIT, "key-word")
        self._delete = self._add_key(bottom, "", 2 * UNIT, "key-word")
        # No auto-repeat on Delete: a held, trembling finger would erase the whole word.
        self._delete.clicked.connect(self._on_delete)

        # The style sheet restyles the keyboard before its keys, so sizes that depend on
        # the keys' text are measured one event-loop turn later, once all are restyled.
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit_to_text)
        self._locale = ""
        self._height_limit = 0
        self.set_locale("en")
        # Keys keep the kiosk's own font when a patient picks the easier-to-read one:
        # OpenDyslexic made ten keys wider than a 1366 px screen at 200%.
        keep_kiosk_font(self)

    # --- building ---------------------------------------------------------------------

    def _add_row(self, layout: QVBoxLayout) -> QWidget:
        # Each row is a widget so a whole row can be hidden and its height set in one place.
        row = QWidget(self)
        box = QHBoxLayout(row)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(GAP)
        layout.addWidget(row)
        self._rows.append(row)
        return row

    def _add_key(self, row: QWidget, text: str, stretch: int, role: str = "key") -> TouchButton:
        key = TouchButton(text, row, role=role, debounce_ms=KEY_DEBOUNCE_MS)
        key.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # why: see __init__
        # Keys fill their row's height; widths follow the stretch factors so that the
        # keys of all rows are the same width, as on a tablet.
        key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        row_layout = row.layout()
        assert isinstance(row_layout, QHBoxLayout)
        row_layout.addWidget(key, stretch)
        self._keys.append(key)
        return key

    def _add_char_key(
        self, row: QWidget, text: str, char: str, stretch: int, role: str = "key"
    ) -> TouchButton:
        key = self._add_key(row, text, stretch, role)
        # The slot reads the character from the key, so no per-key closure is needed.
        key.setProperty("char", char)
        key.clicked.connect(self._on_char)
        return key

    def _centre(self, row: QWidget) -> None:
        """Pad a short row with equal blank space on both sides, as on a real keyboard."""
        row_layout = row.layout()
        assert isinstance(row_layout, QHBoxLayout)
        side = (ROW_UNITS - UNIT * row_layout.count()) // 2
        if side > 0:
            row_layout.insertStretch(0, side)
            row_layout.addStretch(side)

    # --- locale and look --------------------------------------------------------------

    def set_locale(self, locale: str) -> None:
        """Relabel the keys for a language and show its own letters, if it has any."""
        if locale == self._locale:
            return
        self._locale = locale
        labels = _labels()
        for key, name in ((self._space, "space"), (self._delete, "delete"), (self._hide, "hide")):
            key.setAccessibleName(labels[name])
            # A space keeps Delete's icon off its word; the spoken name stays clean.
            key.setText(f" {labels[name]}" if key is self._delete else labels[name])
        shown = LOCALE_ROWS.get(locale, LETTER_ROWS)
        for letters, row in self._letter_rows.items():
            row.setVisible(letters in shown)
        self._fit_to_text()

    def changeEvent(self, event: QEvent) -> None:
        # A new text size or theme arrives as font, palette and style changes.
        if event.type() in (
            QEvent.Type.FontChange,
            QEvent.Type.PaletteChange,
            QEvent.Type.StyleChange,
        ):
            self._refit.start()
        super().changeEvent(event)

    def showEvent(self, event: QShowEvent) -> None:
        self._fit_to_text()  # everything is styled by now
        super().showEvent(event)

    def limit_height(self, pixels: int) -> None:
        """Keep the whole keyboard within ``pixels`` (0: no limit) by making its rows
        shorter, never below the 64 px touch target or the letters' own height."""
        if pixels != self._height_limit:
            self._height_limit = pixels
            self._fit_to_text()

    @property
    def row_count(self) -> int:
        return sum(1 for row in self._rows if not row.isHidden())

    @Slot()
    def _fit_to_text(self) -> None:
        letter_height = self._keys[0].fontMetrics().height()  # a letter key's
        # Word keys ("Hide keys") may have a taller font: no key's words are cut.
        text_height = max(key.fontMetrics().height() for key in self._keys)
        height = max(KEY_HEIGHT, text_height + 2 * KEY_PADDING)
        if self._height_limit:
            rows = self.row_count
            fits = (self._height_limit - (rows + 1) * GAP) // max(1, rows)
            least = max(MIN_TARGET, self._keys[0].minimumSizeHint().height(), text_height + 4)
            height = max(least, min(height, fits))
        for row in self._rows:
            row.setFixedHeight(height)
        # The icon is drawn in the key's text colour, so it follows the theme.
        colour = self._delete.palette().color(QPalette.ColorRole.ButtonText).name()
        self._delete.setIcon(themed_icon("backspace", colour, letter_height))
        self._delete.setIconSize(QSize(letter_height, letter_height))
        # Stretch factors alone would squeeze a long word ("Ocultar teclas") at a big text
        # size: the style sheet's 64 px minimum is all Qt guarantees. Keep words whole.
        for key in (self._hide, self._space, self._delete):
            key.setMinimumWidth(key.sizeHint().width() + 2 * KEY_PADDING)

    # --- slots ------------------------------------------------------------------------

    @Slot()
    def _on_char(self) -> None:
        key = self.sender()
        if isinstance(key, TouchButton):
            self.typed.emit(str(key.property("char")).lower())

    @Slot()
    def _on_delete(self) -> None:
        self.backspace_pressed.emit()

    def reset(self) -> None:
        """Back to how it first looked: no key held down. The locale is the session's."""
        for key in self._keys:
            key.setDown(False)
