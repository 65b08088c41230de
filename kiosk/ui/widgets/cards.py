"""A big tappable card: a title, what to do now (if urgent) and a summary that wrap,
as one button.

The labels inside are transparent to the mouse, so the whole card is one target,
one accessible button (named after its title, described by its summary).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.widgets.buttons import MIN_TARGET, TouchButton
from kiosk.ui.widgets.labels import FitLabel, Label

_LABEL_ROLES = {
    "card": ("card-title", "card-summary"),
    "entry-card": ("entry-title", "entry-text"),
    "result": ("result-title", "result-summary"),
}


class CardButton(TouchButton):
    def __init__(
        self,
        title: str,
        summary: str,
        parent: QWidget | None = None,
        *,
        role: str = "card",
        urgent: str = "",
    ) -> None:
        super().__init__(
            "", parent, role=role, name=title, description=f"{urgent} {summary}".strip()
        )
        self._title = FitLabel(title, self)
        title_role, summary_role = _LABEL_ROLES[role]
        self._title.setProperty("role", title_role)
        self._summary = Label(summary, self)
        self._summary.setProperty("role", summary_role)
        # "Call 911 now if...": shown wherever the article is offered, before its summary.
        self._urgent = Label(urgent, self)
        self._urgent.setProperty("role", "result-urgent")
        self._urgent.setVisible(bool(urgent))
        # A result in the A-Z list is a compact card: title and summary, no more.
        self._least_height = 200 if role != "result" else MIN_TARGET
        layout = QVBoxLayout(self)
        if role == "result":
            layout.setContentsMargins(20, 12, 20, 12)
            layout.setSpacing(4)
        else:
            layout.setContentsMargins(28, 24, 28, 24)
            layout.setSpacing(10)
        for label in (self._title, self._urgent, self._summary):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)
        layout.addStretch(1)
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_text(self, title: str, summary: str, urgent: str = "") -> None:
        self._title.setText(title)
        self._urgent.setText(urgent)
        self._summary.setText(summary)
        self.setAccessibleName(title)
        self.setAccessibleDescription(f"{urgent} {summary}".strip())

    def set_summary_shown(self, shown: bool) -> None:
        """Titles only while a patient types (more results beside the keys); the urgent
        line and the summary with the keys closed."""
        self._summary.setVisible(shown and bool(self._summary.text()))
        self._urgent.setVisible(shown and bool(self._urgent.text()))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        least = self._least_height
        return max(least, layout.totalHeightForWidth(width)) if layout else least
