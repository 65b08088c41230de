"""The look: text size, contrast, the easier font, motion, and the interface language.

One settings value decides the whole look, applied at once, everywhere; the language
swaps the interface translation and every page's words with it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from kiosk.core.patient import DisplaySettings
from kiosk.ui.i18n import Translations
from kiosk.ui.theme import Look, apply_look, load_theme, theme_name
from kiosk.ui.window import MainWindow


class LookChanger(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.current = Look(load_theme(theme_name(high_contrast=False)))
        self.translations = Translations(self)

    def apply(self, settings: DisplaySettings) -> None:
        self.current = Look(
            load_theme(theme_name(settings.high_contrast)),
            settings.text_scale,
            settings.dyslexia_font,
        )
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_look(app, self.current)
        w = self._window
        theme = self.current.theme
        for page in (w.top_bar, w.reader, w.terms, w.settings_panel):
            page.restyle(theme)
        w.reader.set_reading_style(self.current)
        w.reader.set_animated(not settings.reduce_motion)

    def use_language(self, locale: str) -> None:
        """The interface's words in ``locale`` (English where the kiosk has none)."""
        self.translations.use(locale)
        w = self._window
        for page in (w.top_bar, w.reader, w.terms, w.settings_panel, w.pin_pad):
            page.retranslate()
