"""Read aloud on a card: Listen speaks it; while it speaks, Stop; afterwards, Repeat."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QHBoxLayout

from kiosk.ui.theme import Theme
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.widgets.icons import themed_icon


class ReadAloudButtons(QObject):
    """Listen, Stop and Repeat at the head of the card (``row``), and which of them
    shows: none unless read aloud is on; Stop while speaking; Repeat once something of
    this card was read."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.listen_button = TouchButton(role="secondary")
        self.stop_button = TouchButton(role="secondary")
        self.repeat_button = TouchButton(role="secondary")
        self.row = QHBoxLayout()
        self.row.setSpacing(12)
        self.row.addStretch(1)
        for button in (self.listen_button, self.stop_button, self.repeat_button):
            self.row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self._enabled = False
        self._speaking = False
        self._read_this_card = False  # Repeat appears once something was read

    def retranslate(self) -> None:
        for button, label in (
            (self.listen_button, QCoreApplication.translate("ReaderPage", "Listen")),
            (self.stop_button, QCoreApplication.translate("ReaderPage", "Stop")),
            (self.repeat_button, QCoreApplication.translate("ReaderPage", "Repeat")),
        ):
            button.setText(label)
            button.setAccessibleName(label)
        self.listen_button.setAccessibleDescription(
            QCoreApplication.translate("ReaderPage", "Read this card out loud")
        )

    def restyle(self, theme: Theme) -> None:
        for button, icon in (
            (self.listen_button, "speaker"),
            (self.stop_button, "stop"),
            (self.repeat_button, "repeat"),
        ):
            button.setIcon(themed_icon(icon, theme.colors["on_secondary"]))

    @property
    def speaking(self) -> bool:
        return self._speaking

    def set_enabled(self, enabled: bool) -> None:
        """Read aloud is on (and an engine works)."""
        self._enabled = enabled
        self.sync()

    def set_speaking(self, speaking: bool) -> None:
        self._speaking = speaking
        self._read_this_card = self._read_this_card or speaking
        self.sync()

    def new_card(self) -> None:
        """Nothing of the card shown now has been read."""
        self._read_this_card = False
        self.sync()

    def sync(self) -> None:
        on = self._enabled
        self.listen_button.setVisible(on and not self._speaking)
        self.stop_button.setVisible(on and self._speaking)
        self.repeat_button.setVisible(on and not self._speaking and self._read_this_card)
