"""Switching the interface language with Qt's own translation system.

English is the source language of every string (QCoreApplication.translate calls);
other languages are resources/translations/kiosk_LL.qm, built from the .ts files by
``make translations`` with PySide6's lupdate and lrelease.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject, QTranslator

from kiosk.resources import resource

log = logging.getLogger("kiosk.ui")
SOURCE_LOCALE = "en"


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
        translator = QTranslator(self)
        if not translator.load(translation_file(locale)):
            log.error("no interface translation for '%s'; showing English", locale)
            translator.deleteLater()
            return False
        app.installTranslator(translator)
        self._translator = translator
        return True


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Mark a string for lupdate without translating it yet (PySide6's own is untyped)."""
    return text
