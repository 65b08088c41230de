"""The one object that owns what a patient changed, and wipes it between patients.

Pages never keep patient state of their own that outlives a reset: they read it from
here, report changes here, and clear their widgets when ``reset_done`` fires.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from kiosk.core.patient import DisplaySettings, Page, PageRef, PatientState

log = logging.getLogger("kiosk.ui")


class Session(QObject):
    page_changed = Signal(object)  # PageRef
    settings_changed = Signal(object)  # DisplaySettings
    locale_changed = Signal(str)
    reset_done = Signal()

    def __init__(
        self,
        default_locale: str,
        defaults: DisplaySettings | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._default_locale = default_locale
        self._defaults = defaults or DisplaySettings()
        self._state = PatientState.fresh(default_locale, self._defaults)

    @property
    def state(self) -> PatientState:
        return self._state

    @property
    def locale(self) -> str:
        return self._state.locale

    @property
    def settings(self) -> DisplaySettings:
        return self._state.settings

    def is_fresh(self) -> bool:
        return self._state == PatientState.fresh(self._default_locale, self._defaults)

    # --- navigation -----------------------------------------------------------------

    def open(self, ref: PageRef) -> None:
        self._state = self._state.opened(ref)
        self.page_changed.emit(ref)

    def open_home(self) -> None:
        self.open(PageRef(Page.HOME))

    def back(self) -> None:
        self._state = self._state.went_back()
        self.page_changed.emit(self._state.current)

    def set_card(self, card: int) -> None:
        if self._state.current.page is Page.READER:
            self._state = self._state.with_card(card)

    # --- what the patient typed or chose --------------------------------------------

    def set_search(self, text: str, letter: str = "") -> None:
        self._state = replace(self._state, search_text=text, letter=letter)

    def remember_scroll(self, key: str, value: int) -> None:
        self._state = self._state.with_scroll(key, value)

    def set_locale(self, locale: str) -> None:
        if locale != self._state.locale:
            # A letter or a word typed in one language lists nothing useful in another.
            self._state = replace(
                self._state, locale=locale, keyboard_locale=locale, search_text="", letter=""
            )
            self.locale_changed.emit(locale)

    def set_settings(self, settings: DisplaySettings) -> None:
        if settings != self._state.settings:
            self._state = replace(self._state, settings=settings)
            self.settings_changed.emit(settings)

    # --- between patients -----------------------------------------------------------

    def reset(self) -> None:
        """Forget everything this patient did; the next one starts from a fresh kiosk."""
        old = self._state
        self._state = PatientState.fresh(self._default_locale, self._defaults)
        if old.locale != self._state.locale:
            self.locale_changed.emit(self._state.locale)
        if old.settings != self._state.settings:
            self.settings_changed.emit(self._state.settings)
        log.info("session reset")  # what was read is never logged
        self.reset_done.emit()
        self.page_changed.emit(self._state.current)
