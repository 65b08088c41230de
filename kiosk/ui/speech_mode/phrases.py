"""What speech mode says of itself, in the patient's language (Qt's translations)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kiosk.ui.i18n import QT_TRANSLATE_NOOP

# What speech mode says of where the patient is: each the source text of a translation
# (QT_TRANSLATE_NOOP's role: lupdate finds them here), translated when said.
NOTHING_HERE = str(QT_TRANSLATE_NOOP("SpeechMode", "Nothing here."))
DOES_NOTHING = str(QT_TRANSLATE_NOOP("SpeechMode", "That does nothing here."))
TOP = str(QT_TRANSLATE_NOOP("SpeechMode", "Top of the page."))
BOTTOM = str(QT_TRANSLATE_NOOP("SpeechMode", "Bottom of the page."))
NOTHING_TO_CHOOSE = str(
    QT_TRANSLATE_NOOP("SpeechMode", "Nothing to choose here. Press Down to move.")
)
AS_FAR_AS_IT_GOES = str(QT_TRANSLATE_NOOP("SpeechMode", "This is as far as it goes."))
LIKE_THIS = str(QT_TRANSLATE_NOOP("SpeechMode", "Like this."))
EMPTY_BOX = str(QT_TRANSLATE_NOOP("SpeechMode", "The search box is empty."))
MORE_TIME = str(QT_TRANSLATE_NOOP("SpeechMode", "You have more time. You are on:"))
# A count, in Qt's numerus forms; the literal 1 is only lupdate's cue (kiosk.ui.i18n).
RESULTS = str(QT_TRANSLATE_NOOP("SpeechMode", "%n results.", None, 1))


def said(phrase: str) -> str:
    """One of the phrases above, in the patient's language."""
    return QCoreApplication.translate("SpeechMode", phrase)


def welcome() -> str:
    """Said when speech mode starts: how to move, choose, go back and get help."""
    return QCoreApplication.translate(
        "SpeechMode",
        "Speech mode is on. Press Down and Up to move, Enter to choose, Back to go "
        "back, and Help to hear where you are and what you can do.",
    )


def help_text(level: int, where: str) -> str:
    """Help, in layers: ``level`` 1 says where the patient is (``where``: the thing
    last spoken) and the main keys; 2 and after, the rest."""
    if level <= 1:
        return QCoreApplication.translate(
            "SpeechMode",
            "You are on: %1. Down and Up move. Enter chooses. Back goes back. "
            "Press Help again for more.",
        ).replace("%1", where)
    return QCoreApplication.translate(
        "SpeechMode",
        "Left and Right turn the cards of an article. Plus and minus change "
        "the volume. Repeat says the last thing again; Stop is quiet. Speech "
        "mode ends when you leave the kiosk alone.",
    )


def results_found(count: int, first: str) -> str:
    """After a key typed by ear: "3 results. First: Heart Attack." (Qt's numerus forms)."""
    found = QCoreApplication.translate("SpeechMode", RESULTS, None, count)
    return found + " " + QCoreApplication.translate("SpeechMode", "First: %1.").replace("%1", first)
