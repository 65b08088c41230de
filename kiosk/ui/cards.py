"""A big tappable card: a title and a summary that wrap, as one button.

The labels inside are transparent to the mouse, so the whole card is one target,
one accessible button (named after its title, described by its summary).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.widgets import Label, TouchButton


class CardButton(TouchButton):
    def __init__(
        self, title: str, summary: str, parent: QWidget | None = None, *, role: str = "card"
    ) -> None:
        super().__init__("", parent, role=role, name=title, description=summary)
        self.setMinimumSize(0, 0)  # the layout below decides; it is always > 64 px
        self._title = Label(title, self)
        self._title.setProperty("role", "card-title" if role == "card" else "entry-title")
        self._summary = Label(summary, self)
        self._summary.setProperty("role", "card-summary" if role == "card" else "entry-text")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 24)
        layout.setSpacing(10)
        for label in (self._title, self._summary):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)
        layout.addStretch(1)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_text(self, title: str, summary: str) -> None:
        self._title.setText(title)
        self._summary.setText(summary)
        self.setAccessibleName(title)
        self.setAccessibleDescription(summary)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        return max(200, layout.totalHeightForWidth(width)) if layout else 200
