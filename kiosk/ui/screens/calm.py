"""Screens for when something went wrong: calm words for patients, facts for staff."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.ui.i18n import INTERFACE_LOCALES, QT_TRANSLATE_NOOP, AllLanguages
from kiosk.ui.widgets.labels import Label

_NOT_WORKING = QT_TRANSLATE_NOOP("CalmScreens", "This screen is not working right now.")
_ASK = QT_TRANSLATE_NOOP("CalmScreens", "Please ask at the front desk. We are sorry.")


class OneMomentOverlay(QWidget):
    """Covers the window for a few seconds after an error, then asks to go home."""

    finished = Signal()

    def __init__(self, parent: QWidget | None = None, seconds: int = 3) -> None:
        super().__init__(parent)
        self.setObjectName("attract")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        label = Label(QCoreApplication.translate("CalmScreens", "One moment, please…"), self)
        label.setProperty("role", "attract-title")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(seconds * 1000)
        self._timer.timeout.connect(self._done)
        self.hide()

    def begin(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self._timer.start()

    def _done(self) -> None:
        self.hide()
        self.finished.emit()


class OutOfOrderPage(QWidget):
    """Shown when no usable content pack could be loaded at start."""

    def __init__(self, problem_lines: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        # No pack means no chosen language: say it in every language the kiosk speaks,
        # as the welcome screen does.
        languages = AllLanguages()
        words: list[Label] = []
        for locale in INTERFACE_LOCALES:
            for source, role in ((_NOT_WORKING, "hero-title"), (_ASK, "")):
                label = Label(languages.text("CalmScreens", source, locale), self)
                if role:
                    label.setProperty("role", role)
                label.setWordWrap(True)
                words.append(label)
        staff = Label(
            QCoreApplication.translate("CalmScreens", "For staff: the content could not be loaded.")
            + "\n"
            + "\n".join(problem_lines[:8]),
            self,
        )
        staff.setProperty("role", "hint")
        staff.setWordWrap(True)
        staff.setTextFormat(Qt.TextFormat.PlainText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(96, 96, 96, 96)
        layout.setSpacing(32)
        layout.addStretch(1)
        for label in words:
            layout.addWidget(label)
        layout.addStretch(1)
        layout.addWidget(staff)
        self.setWindowTitle("Clinic kiosk: out of order")
