"""The welcome screen a fresh kiosk shows: an invitation in every language, no motion."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.ui.i18n import QT_TRANSLATE_NOOP, AllLanguages
from kiosk.ui.screens.staff_corner import in_corner
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.widgets.labels import Label
from kiosk.ui.widgets.layout import discard

# The welcome speaks every language the kiosk offers at once, before anyone chooses,
# so each line is looked up in every language's translation, not just the current one.
_TITLE = QT_TRANSLATE_NOOP("AttractPage", "Health information")
_INVITE = QT_TRANSLATE_NOOP("AttractPage", "Touch the screen to start.")
_START = QT_TRANSLATE_NOOP("AttractPage", "Start")
# For a patient who cannot see the screen (and the companion or staff who help them):
# the keypad starts speech mode (kiosk.ui.speech_mode).
_KEYPAD = QT_TRANSLATE_NOOP("AttractPage", "Or press any key on the keypad to hear the screen.")


class AttractPage(QWidget):
    started = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attract")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        # The page takes the keys (Enter starts) so that no button wears a focus ring
        # for a patient who only touches; a keypad user's Tab still reaches Start.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._languages = AllLanguages()
        self._words = QWidget(self)
        self.start_button = TouchButton(role="start")
        self.start_button.clicked.connect(self.started)
        layout = QVBoxLayout(self)
        # Room for three lines in each of two languages and Start on a 1024x768 screen.
        layout.setContentsMargins(64, 48, 64, 48)
        layout.setSpacing(32)
        layout.addStretch(1)
        self._slot = layout.count()
        layout.addWidget(self._words)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)

    def show_locales(self, locales: tuple[str, ...]) -> None:
        words = QWidget(self)
        column = QVBoxLayout(words)
        column.setSpacing(16)
        for i, locale in enumerate(locales):
            if i:
                column.addSpacing(32)
            title, text, keypad = (
                self._languages.text("AttractPage", t, locale) for t in (_TITLE, _INVITE, _KEYPAD)
            )
            lines = ((title, "attract-title"), (text, "attract-text"), (keypad, "attract-text"))
            for line, role in lines:
                label = Label(line, words)
                label.setLocale(QLocale(locale))  # read in its own voice in speech mode
                label.setProperty("role", role)
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                label.setWordWrap(True)
                column.addWidget(label)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.replaceWidget(self._words, words)
        discard(self._words)
        self._words = words
        start = " / ".join(
            dict.fromkeys(self._languages.text("AttractPage", _START, loc) for loc in locales)
        )
        self.start_button.setText(start)
        self.start_button.setAccessibleName(start)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        # Anywhere on the screen starts, no hunting for a button; but not the staff
        # corner, where five taps open the PIN pad (kiosk.ui.screens.admin).
        at = self.mapTo(self.window(), event.position().toPoint())
        if not in_corner(at.x(), at.y()):
            self.started.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.started.emit()
        else:
            super().keyPressEvent(event)
