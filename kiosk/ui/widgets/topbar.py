"""The bar on every screen: a way home, a way back, "Aa Text size" and the language button."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QWidget

from kiosk.ui.theme import Theme, keep_kiosk_font
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.widgets.flow import ButtonFlow
from kiosk.ui.widgets.labels import Label

LANGUAGE_NAMES = {"en": "English", "es": "Español"}


class TopBar(QFrame):
    home_clicked = Signal()
    back_clicked = Signal()
    settings_clicked = Signal()
    language_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("top-bar")
        self.home_button = TouchButton(role="secondary")
        self.back_button = TouchButton(role="secondary")
        self.title = Label(self)
        self.title.setProperty("role", "page-title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setMinimumWidth(0)
        self.settings_button = TouchButton(role="secondary")
        self.language_button = TouchButton(role="secondary")
        self.home_button.clicked.connect(self.home_clicked)
        self.back_button.clicked.connect(self.back_clicked)
        self.settings_button.clicked.connect(self.settings_clicked)
        self.language_button.clicked.connect(self.language_clicked)
        # One row while everything fits; on a narrow screen with big text, Home and
        # Back on one row and the "Aa" and language buttons on the next, never a word
        # cut off (ButtonFlow). The title steps aside first (_fit_title).
        self._row = ButtonFlow(self)
        self._row.set_parts(
            [self.home_button, self.back_button],
            self.title,
            [self.settings_button, self.language_button],
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 12, 24, 12)
        layout.addWidget(self._row)
        self._other_language = ""
        self._settings_words = ""
        self._icon_color = ""  # the theme's, drawn when the bar shows (draw_icons)
        self._icons_drawn = ""
        self._refit = QTimer(self)  # after a new text size has restyled the buttons
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit)
        # The bar's buttons keep the kiosk's font in the easier-to-read mode: in
        # OpenDyslexic at 200% on a 1024x768 screen the bar took two rows, 270 px.
        keep_kiosk_font(self)
        self.retranslate()

    def retranslate(self) -> None:
        for button, text, description in (
            (
                self.home_button,
                QCoreApplication.translate("TopBar", "Home"),
                QCoreApplication.translate("TopBar", "Go to the start page"),
            ),
            (
                self.back_button,
                QCoreApplication.translate("TopBar", "Back"),
                QCoreApplication.translate("TopBar", "Go back one step"),
            ),
            (
                self.settings_button,
                # "Aa" alone was not read as "text and display" by first-time users:
                # words say what it opens, named after what most patients look for.
                QCoreApplication.translate("TopBar", "Text size"),
                QCoreApplication.translate("TopBar", "Text size, contrast and reading settings"),
            ),
        ):
            button.setText(text)
            button.setAccessibleName(text)  # spoken without "A a"
            button.setAccessibleDescription(description)
        self._settings_words = self.settings_button.text()
        self.set_other_language(self._other_language)
        self._fit_settings_words()

    def restyle(self, theme: Theme) -> None:
        """The icons in ``theme``'s colours: drawn now if the bar shows, else when it
        first does or the warm-up asks (``draw_icons``). Hidden on the welcome screen,
        drawing them there cost the first frame 4 ms and 1.4 MB (Qt's SVG module)."""
        self._icon_color = theme.colors["on_secondary"]
        if self.isVisible():
            self.draw_icons()

    def draw_icons(self) -> None:
        color = self._icon_color
        if not color or color == self._icons_drawn:
            return
        from kiosk.ui.widgets.icons import themed_icon  # Qt's SVG module: not before it

        self.home_button.setIcon(themed_icon("home", color))
        self.back_button.setIcon(themed_icon("back", color))
        self.language_button.setIcon(themed_icon("language", color))
        self._icons_drawn = color

    def set_other_language(self, locale: str) -> None:
        """Name the language a tap switches to, in that language, as patients look for it."""
        self._other_language = locale
        self.language_button.setVisible(bool(locale))
        name = LANGUAGE_NAMES.get(locale, locale)
        self.language_button.setText(name)
        self.language_button.setAccessibleName(name)
        self.language_button.setAccessibleDescription(
            QCoreApplication.translate("TopBar", "Change the language")
        )

    def set_title(self, text: str) -> None:
        self.title.setText(text)
        self._fit_title()

    def showEvent(self, event: QShowEvent) -> None:
        # Relabelled while hidden (a reset on the welcome screen), the buttons were
        # measured unpolished, and the layout keeps those sizes until told: Home came
        # back 4 px wider than on a fresh start. Measure them again as shown.
        self.draw_icons()
        for button in self.findChildren(TouchButton):
            button.updateGeometry()
        super().showEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._refit.start()
        super().changeEvent(event)

    def _fit(self) -> None:
        self._fit_settings_words()
        self._fit_title()

    def _fit_settings_words(self) -> None:
        """ "Aa Text size": first-time patients did not read "Aa" alone as the way to
        bigger text. The words stay unless they would take the bar onto one more row,
        or wrap onto more lines than one (two on a bar of one row): with big text on a
        small screen (a patient who has already found the button), "Aa" alone. Its
        spoken name keeps the words."""
        button = self.settings_button
        shown = [b for b in self.findChildren(TouchButton) if not b.isHidden()]
        room = self.width() - 48

        def layout(text: str) -> tuple[int, int]:
            button.setText(text)
            rows = self._row.rows(room, shown)
            row = next(r for r in rows if button in r)
            return len(rows), button.height_for(self._row.widths(row, room)[button])

        rows_short, _ = layout("Aa")
        rows_full, height = layout(f"Aa {self._settings_words}")
        one_line = button.height_for(1 << 20)
        # Two lines only on a bar of one row: on two rows they would make a row taller.
        lines = 2 if rows_full == 1 else 1
        if (
            rows_full > rows_short
            or height > one_line + (lines - 1) * button.fontMetrics().lineSpacing()
        ):
            button.setText("Aa")

    def _fit_title(self) -> None:
        # The page repeats what the title says, so with big text on a narrow screen
        # the title steps aside rather than crowd the buttons or be cut off.
        wanted = self.title.fontMetrics().horizontalAdvance(self.title.text())
        free = (
            self.width()
            - 48
            - sum(
                b.sizeHint().width() + 16
                for b in self.findChildren(TouchButton)
                if b.isVisibleTo(self)
            )
        )
        self.title.setVisible(bool(self.title.text()) and wanted <= free - 48)

    def set_back_enabled(self, enabled: bool) -> None:
        self.back_button.setEnabled(enabled)
