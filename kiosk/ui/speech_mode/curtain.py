"""The screen curtain: while speech mode is on, the screen shows a calm notice instead
of the page, so a blind patient reading about drug use is not read over their shoulder
(issue 15; screen readers call this a screen curtain). Staff can turn it off
(``speech_curtain = false`` in kiosk.toml, docs/ADMIN.md)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.ui.widgets.labels import Label

CURTAIN_NAME = "curtain"  # the widget's object name: the highlight is not drawn over it


class Curtain(QWidget):
    """Covers the whole window while speech mode is on; takes taps, shows nothing of
    the page."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName(CURTAIN_NAME)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._window = window
        self._title = Label(self)
        self._title.setProperty("role", "attract-title")
        self._text = Label(self)
        self._text.setProperty("role", "attract-text")
        for label in (self._title, self._text):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(96, 96, 96, 96)
        layout.addStretch(1)
        layout.addWidget(self._title)
        layout.addWidget(self._text)
        layout.addStretch(1)
        self._wanted = self._for_staff = False
        window.installEventFilter(self)
        self.hide()

    def follow(self, speech_mode_on: bool) -> None:
        """Up while speech mode is on, down when it ends."""
        self._wanted = speech_mode_on
        self._place()

    def staff(self, showing: bool) -> None:
        """Down while staff's screens (the PIN pad, the admin panel) show: staff type
        their PIN on them, which the curtain took (and the kiosk could not be reached)."""
        self._for_staff = showing
        self._place()

    def _place(self) -> None:
        if self._wanted and not self._for_staff:
            self.retranslate()
            self.setGeometry(self._window.rect())
            self.show()
            self.raise_()
        else:
            self.hide()

    def retranslate(self) -> None:
        self._title.setText(QCoreApplication.translate("Curtain", "Speech mode is on"))
        self._text.setText(
            QCoreApplication.translate(
                "Curtain",
                "The screen is hidden, so only you hear what you read. Use the keypad, "
                "or slide a finger on the screen to hear what is under it and tap twice "
                "to choose. Or ask at the front desk.",
            )
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self._window.rect())
        return False

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # a tap on the curtain reaches no hidden button
