"""Switching the interface language with Qt's own translation system.

English is the source language of every string (QCoreApplication.translate calls);
other languages are resources/translations/kiosk_LL.qm, built from the .ts files by
``make translations`` with PySide6's lupdate and lrelease. A message with a count uses
Qt's numerus forms ("%n seconds", translated with the count); English has its own
.qm for them too (kiosk_en.ts, made with ``lupdate -pluralonly``: "1 second").
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject, QTranslator

# The languages the interface itself speaks (resources/translations/kiosk_LL.ts): the
# screens shown before any pack's languages are known use all of them.
from kiosk.resources import INTERFACE_LOCALES, SOURCE_LOCALE, resource

__all__ = [
    "INTERFACE_LOCALES",
    "QT_TRANSLATE_NOOP",
    "SOURCE_LOCALE",
    "AllLanguages",
    "Translations",
    "translation_file",
]
log = logging.getLogger("kiosk.ui")


def translation_file(locale: str) -> str:
    return str(resource(f"translations/kiosk_{locale}.qm"))


class Translations(QObject):
    """Holds the one installed translator; ``use`` swaps it for another language."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._translator: QTranslator | None = None
        self._locale: str | None = None

    def use(self, locale: str) -> bool:
        """Install ``locale``'s translation; whether the kiosk has one. The one in use
        again changes nothing (a new translator would make every widget lay out and
        paint again: a LanguageChange event each)."""
        app = QCoreApplication.instance()
        if app is None:
            return False
        if locale == self._locale and self._translator is not None:
            return locale in INTERFACE_LOCALES
        if self._translator is not None:
            app.removeTranslator(self._translator)
            self._translator.deleteLater()
            self._translator = None
        known = locale in INTERFACE_LOCALES
        if not known:
            # A pack may hold articles in any language (validate warns); the kiosk's own
            # words then stay English.
            log.warning("no interface translation for '%s'; its buttons are in English", locale)
        # English too: its .qm holds the English numerus forms ("1 second", "2 seconds").
        shown = locale if known else SOURCE_LOCALE
        translator = QTranslator(self)
        if not translator.load(translation_file(shown)):
            log.error("no interface translation for '%s'; showing English", shown)
            translator.deleteLater()
            return False
        app.installTranslator(translator)
        self._translator, self._locale = translator, locale
        return known


class AllLanguages:
    """One translator per language, loaded once, for text shown in several languages at
    once (the welcome screen, the out-of-order screen), whatever the current one is."""

    def __init__(self) -> None:
        self._translators: dict[str, QTranslator] = {}

    def text(self, context: str, source: str, locale: str) -> str:
        if locale == SOURCE_LOCALE:
            return source
        if locale not in self._translators:
            translator = QTranslator()
            translator.load(translation_file(locale))
            self._translators[locale] = translator
        return self._translators[locale].translate(context, source) or source


def QT_TRANSLATE_NOOP(
    context: str, text: str, disambiguation: None = None, count: int | None = None
) -> str:
    """Mark a string for lupdate without translating it yet (PySide6's own is untyped).

    A message with a count (``%n``) is marked with a literal count,
    ``QT_TRANSLATE_NOOP("PinPad", "Wrong PIN. %n tries left.", None, 1)``, and shown with
    ``QCoreApplication.translate("PinPad", text, None, n)``: lupdate's Python reader
    makes a numerus message only of a call whose count is a literal number (it takes a
    name there for PyQt4's encoding argument, and skips a call with ``self.n`` there).
    """
    return text
