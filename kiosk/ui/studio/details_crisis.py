"""The details form's crisis help: which of the pack's crisis messages (pack.toml's
``[crisis.NAME]`` sections) a sensitive article shows, with the message itself under
the choice, as patients will read it."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout, QWidget


class CrisisChoice(QWidget):
    """Emits ``chosen(name, or None for none)`` when staff choose (not on ``show_name``).
    Only a sensitive article shows crisis help: ``allow(False)`` disables the choice."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QComboBox(self)
        self.box.setAccessibleName("Crisis message")
        self.box.setToolTip("The crisis help patients see above a sensitive article")
        self.box.activated.connect(self._activated)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName("Crisis message patients see")
        self.message.hide()
        self._messages: dict[str, str] = {}  # name -> its message, in the article's language
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.box)
        column.addWidget(self.message)
        self.offer([])

    def offer(self, crises: Sequence[tuple[str, str]]) -> None:
        """The pack's crisis messages as (name, message); the one shown stays chosen."""
        name = self.name()
        self._messages = dict(crises)
        self.box.clear()
        self.box.addItem("None", "")
        for crisis, message in crises:
            self.box.addItem(crisis, crisis)
            self.box.setItemData(self.box.count() - 1, message, Qt.ItemDataRole.ToolTipRole)
        self.show_name(name)

    def name(self) -> str:
        """The crisis chosen ("" for none)."""
        data = self.box.currentData()
        return data if isinstance(data, str) else ""

    def show_name(self, name: str) -> None:
        """Show ``name`` as chosen; emits nothing."""
        at = self.box.findData(name)
        if at < 0:  # named in the file, not in pack.toml: shown, for staff to change
            self.box.addItem(f"{name} (not in pack.toml)", name)
            at = self.box.count() - 1
        self.box.setCurrentIndex(at)
        message = self._messages.get(name, "")
        self.message.setText(f"Patients see: {message}" if message else "")
        self.message.setVisible(bool(message))

    def allow(self, allowed: bool) -> None:
        self.box.setEnabled(allowed)

    def _activated(self, _index: int) -> None:
        self.show_name(self.name())
        self.chosen.emit(self.name() or None)
