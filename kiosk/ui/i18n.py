"""Switching the interface language with Qt's own translation system.

English is the source language of every string (QCoreApplication.translate calls);
other languages are resources/translations/kiosk_LL.qm, built from the .ts files by
``make translations`` with PySide6's lupdate and lrelease.
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

    def use(self, locale: str) -> bool:
        app = QCoreApplication.instance()
        if app is None:
            return False
        if self._translator is not None:
            app.removeTranslator(self._translator)
            self._translator.deleteLater()
            self._translator = None
        if locale == SOURCE_LOCALE:
            return True
        if locale not in INTERFACE_LOCALES:
            # A pack may hold articles in any language (validate warns); the kiosk's own
            # words then stay English.
            log.warning("no interface translation for '%s'; its buttons are in English", locale)
            return False
        translator = QTranslator(self)
        if not translator.load(translation_file(locale)):
            log.error("no interface translation for '%s'; showing English", locale)
            translator.deleteLater()
            return False
        app.installTranslator(translator)
        self._translator = translator
        return True


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


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark a string for lupdate without translating it yet (PySide6's own is untyped)."""
    return text
