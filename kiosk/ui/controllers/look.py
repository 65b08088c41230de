"""The look: text size, contrast, the easier font, motion, and the interface language.

One settings value decides the whole look, applied at once, everywhere; the language
swaps the interface translation and every page's words with it.
"""

from __future__ import annotations

from typing import Protocol, cast

from PySide6.QtCore import QLocale, QObject
from PySide6.QtWidgets import QApplication

from kiosk.core.patient import DisplaySettings
from kiosk.ui.i18n import Translations
from kiosk.ui.theme import Look, Theme, apply_look, load_fonts, load_theme, theme_name
from kiosk.ui.window import MainWindow

# The pages (kiosk.ui.window's names) that restyle themselves, and those with words of
# the interface; the top bar, always there, is both.
RESTYLED = ("reader", "terms", "settings_panel")
RETRANSLATED = ("reader", "terms", "settings_panel", "pin_pad")


class _Restyled(Protocol):
    def restyle(self, theme: Theme) -> None: ...


class _Retranslated(Protocol):
    def retranslate(self) -> None: ...


class LookChanger(QObject):
    def __init__(
        self,
        window: MainWindow,
        translations: Translations | None = None,
        *,
        own_look: bool = False,
    ) -> None:
        """``translations``: the interface's words in use already (the first frame's);
        ``own_look``: the look on the window alone, not the application (a kiosk
        inside another program: the content studio's preview)."""
        super().__init__(window)
        self._window = window
        self._own_look = own_look
        self.current = Look(load_theme(theme_name(high_contrast=False)))
        self._animated = True
        self.translations = translations or Translations(self)

    def apply(self, settings: DisplaySettings) -> None:
        if settings.dyslexia_font:
            load_fonts()  # registered after the first frame: a patient may be quicker
        self.current = Look(
            load_theme(theme_name(settings.high_contrast)),
            settings.text_scale,
            settings.dyslexia_font,
        )
        app = QApplication.instance()
        if self._own_look:
            apply_look(self._window, self.current)
        elif isinstance(app, QApplication):
            apply_look(app, self.current)
        self._animated = not settings.reduce_motion
        self._window.top_bar.restyle(self.current.theme)
        for name in RESTYLED:
            if self._window.is_made(name):
                self._restyle(name)  # a page made later takes the look then (bring_up)

    def use_language(self, locale: str) -> None:
        """The interface's words in ``locale`` (English where the kiosk has none). The
        window takes it as its QLocale too: a widget that does not say otherwise
        (QWidget.setLocale: the welcome screen's lines) is in the patient's language,
        and speech mode reads it in that voice (kiosk.ui.speech_mode.items)."""
        self.translations.use(locale)
        self._window.setLocale(QLocale(locale))
        self._window.top_bar.retranslate()
        for name in RETRANSLATED:
            if self._window.is_made(name):
                cast(_Retranslated, self._window.make(name)).retranslate()

    def bring_up(self, name: str) -> None:
        """A page made after the first frame takes the look and words the others have."""
        if name in RESTYLED:
            self._restyle(name)
        if name in RETRANSLATED:
            cast(_Retranslated, self._window.make(name)).retranslate()

    def _restyle(self, name: str) -> None:
        cast(_Restyled, self._window.make(name)).restyle(self.current.theme)
        if name == "reader":
            self._window.reader.set_reading_style(self.current)
            self._window.reader.set_animated(self._animated)
