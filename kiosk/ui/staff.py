"""The content part of the admin panel: what is installed, what needs review, what
patients read (counts only), and the buttons to reload, roll back and test speech."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.ui.widgets import Label, TouchButton


@dataclass(frozen=True)
class StaffInfo:
    """What staff need to know about the content, gathered when the panel opens."""

    content: str  # e.g. "Health information, content version 3, build 20261127190512"
    signer: str  # key id, or "not signed (bundled content)"
    overdue: tuple[str, ...] = ()  # "en/heparin: review was due 2026-01-01"
    usage: tuple[str, ...] = ()  # "heartburn (en): 12 views in the last 7 days"
    can_roll_back: bool = False
    can_speak: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)  # e.g. a pack waiting for a reset


class StaffSection(QWidget):
    reload_requested = Signal()
    rollback_requested = Signal()
    test_speech_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.details = Label(self)
        self.details.setWordWrap(True)
        self.details.setProperty("role", "hint")
        self.reload_button = TouchButton(
            QCoreApplication.translate("StaffSection", "Reload content"), role="secondary"
        )
        self.rollback_button = TouchButton(
            QCoreApplication.translate("StaffSection", "Roll back to the previous pack"),
            role="secondary",
        )
        self.speech_button = TouchButton(
            QCoreApplication.translate("StaffSection", "Test speech"), role="secondary"
        )
        self.reload_button.clicked.connect(self.reload_requested)
        self.rollback_button.clicked.connect(self.rollback_requested)
        self.speech_button.clicked.connect(self.test_speech_requested)
        buttons = QGridLayout()
        buttons.setSpacing(12)
        buttons.addWidget(self.reload_button, 0, 0)
        buttons.addWidget(self.speech_button, 0, 1)
        buttons.addWidget(self.rollback_button, 1, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.details)
        layout.addLayout(buttons)

    def show_info(self, info: StaffInfo) -> None:
        lines = [
            info.content,
            QCoreApplication.translate("StaffSection", "Signed by: %1").replace("%1", info.signer),
            *info.notes,
        ]
        lines.append("")
        if info.overdue:
            lines.append(QCoreApplication.translate("StaffSection", "Past their review date:"))
            lines += [f"  • {line}" for line in info.overdue[:10]]
            if len(info.overdue) > 10:
                lines.append(
                    QCoreApplication.translate("StaffSection", "  … and %1 more").replace(
                        "%1", str(len(info.overdue) - 10)
                    )
                )
        else:
            lines.append(
                QCoreApplication.translate("StaffSection", "No article is past its review date.")
            )
        lines.append("")
        if info.usage:
            lines.append(
                QCoreApplication.translate("StaffSection", "Most read in the last 7 days:")
            )
            lines += [f"  • {line}" for line in info.usage[:8]]
        else:
            lines.append(QCoreApplication.translate("StaffSection", "No usage counts yet."))
        self.details.setText("\n".join(lines))
        self.details.setAccessibleName(self.details.text())
        self.rollback_button.setEnabled(info.can_roll_back)
        self.speech_button.setEnabled(info.can_speak)
