"""The content part of the admin panel: what went wrong around the kiosk, what is
installed, what needs review, what patients read (counts only), and the buttons to
reload, roll back and test speech."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.ui.i18n import QT_TRANSLATE_NOOP
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.widgets.labels import Label
from kiosk.ui.widgets.layout import add_layout


class Part(Enum):
    """What around the kiosk failed. The kiosk goes on showing what it can; staff are
    told on the admin panel, in their language, with the technical detail as logged."""

    LOG = "log"
    USAGE = "usage"
    STORE = "store"
    STORE_READ_ONLY = "store-read-only"
    SPEECH = "speech"
    SPEECH_FAILED = "speech-failed"
    SPEECH_MISSING = "speech-missing"
    STALE = "stale"  # the fleet has not confirmed the content fresh: said in red
    STALE_NEVER = "stale-never"  # ... nor ever did
    FLEET_CHECK = "fleet-check"  # what the last fleet check said went wrong
    FLEET_ACCEPTED = "fleet-accepted"  # an expired USB stick taken with the PIN


# Said apart from the other problems, in red (issue 17: stale content cannot go unnoticed).
ALARMS = frozenset({Part.STALE, Part.STALE_NEVER})


# %1 is the detail: where and why, in English as in the log ("/x/kiosk.log: read-only ...").
_SAYS: dict[Part, str] = {
    Part.LOG: QT_TRANSLATE_NOOP(
        "StaffSection",
        "The log file cannot be written (%1). Messages go to the system journal only.",
    ),
    Part.USAGE: QT_TRANSLATE_NOOP("StaffSection", "Usage counts are not being saved (%1)."),
    Part.STORE: QT_TRANSLATE_NOOP(
        "StaffSection",
        "Installed packs cannot be used (%1). Showing the content that came with the kiosk.",
    ),
    Part.STORE_READ_ONLY: QT_TRANSLATE_NOOP(
        "StaffSection",
        "The pack store is read-only (%1). New packs cannot be installed or rolled back.",
    ),
    Part.SPEECH: QT_TRANSLATE_NOOP(
        "StaffSection", "Read aloud stopped working (%1) and was restarted."
    ),
    Part.SPEECH_FAILED: QT_TRANSLATE_NOOP(
        "StaffSection",
        "Read aloud does not work (%1). It is tried again each time a patient uses it.",
    ),
    Part.SPEECH_MISSING: QT_TRANSLATE_NOOP(
        "StaffSection", "Read aloud is not offered to patients: this computer cannot speak (%1)."
    ),
    Part.STALE: QT_TRANSLATE_NOOP(
        "StaffSection",
        "The content may be out of date: the fleet last confirmed it on %1. Patients still "
        "see the last good pack. Ask IT to check the fleet's server.",
    ),
    Part.STALE_NEVER: QT_TRANSLATE_NOOP(
        "StaffSection",
        "The content may be out of date: the fleet has never confirmed it. Patients still "
        "see the last good pack. Ask IT to check the fleet's server.",
    ),
    Part.FLEET_CHECK: QT_TRANSLATE_NOOP("StaffSection", "The last fleet check said: %1"),
    Part.FLEET_ACCEPTED: QT_TRANSLATE_NOOP(
        "StaffSection", "A USB stick whose packs had expired was taken with the staff PIN (%1)."
    ),
}


# After the first ten overdue articles, a count in Qt's numerus forms (the 1 is lupdate's cue).
AND_MORE = QT_TRANSLATE_NOOP("StaffSection", "  … and %n more", None, 1)


@dataclass(frozen=True)
class Fault:
    """One thing around the kiosk that failed: a ``part`` and the ``detail`` logged."""

    part: Part
    detail: str

    def text(self) -> str:
        said = QCoreApplication.translate("StaffSection", _SAYS[self.part])
        return said.replace("%1", self.detail)


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
    problems: tuple[Fault, ...] = ()  # around the kiosk: its log, counts, store, speech


class StaffSection(QWidget):
    reload_requested = Signal()
    rollback_requested = Signal()
    test_speech_requested = Signal()
    studio_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.alarm = Label(self)
        self.alarm.setWordWrap(True)
        self.alarm.setProperty("role", "alarm")
        self.alarm.hide()
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
        # The content studio on this kiosk (kiosk.ui.controllers.studio_launch): it needs
        # a keyboard, which the button says, so nobody opens it with a finger alone.
        self.studio_button = TouchButton(
            QCoreApplication.translate("StaffSection", "Edit articles (needs a keyboard)"),
            role="secondary",
        )
        self.studio_said = Label(self)
        self.studio_said.setWordWrap(True)
        self.studio_said.setProperty("role", "hint")
        self.studio_said.hide()
        self.studio_button.clicked.connect(self.studio_requested)
        self.reload_button.clicked.connect(self.reload_requested)
        self.rollback_button.clicked.connect(self.rollback_requested)
        self.speech_button.clicked.connect(self.test_speech_requested)
        buttons = QGridLayout()
        buttons.setSpacing(12)
        buttons.addWidget(self.reload_button, 0, 0)
        buttons.addWidget(self.speech_button, 0, 1)
        buttons.addWidget(self.rollback_button, 1, 0, 1, 2)
        buttons.addWidget(self.studio_button, 2, 0, 1, 2)
        buttons.addWidget(self.studio_said, 3, 0, 1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(self.alarm)
        layout.addWidget(self.details)
        add_layout(layout, buttons)

    def say_studio_opening(self) -> None:
        said = QCoreApplication.translate("StaffSection", "Opening the studio...")
        self.studio_said.setText(said)
        self.studio_said.setAccessibleName(said)
        self.studio_said.show()

    def say_studio(self, detail: str) -> None:
        """Why the studio stopped (``detail``: its last words, as logged), or nothing
        when it closed as it should ("")."""
        said = (
            QCoreApplication.translate("StaffSection", "The studio stopped (%1).").replace(
                "%1", detail
            )
            if detail
            else ""
        )
        self.studio_said.setText(said)
        self.studio_said.setAccessibleName(said)
        self.studio_said.setVisible(bool(said))

    def show_info(self, info: StaffInfo) -> None:
        alarms = "\n".join(fault.text() for fault in info.problems if fault.part in ALARMS)
        self.alarm.setText(alarms)
        self.alarm.setAccessibleName(alarms)
        self.alarm.setVisible(bool(alarms))
        problems = [fault for fault in info.problems if fault.part not in ALARMS]
        lines: list[str] = []
        if problems:
            lines.append(QCoreApplication.translate("StaffSection", "Problems:"))
            lines += [f"  • {fault.text()}" for fault in problems]
            lines.append("")
        lines += [
            info.content,
            QCoreApplication.translate("StaffSection", "Signed by: %1").replace("%1", info.signer),
            *info.notes,
        ]
        lines.append("")
        if info.overdue:
            lines.append(QCoreApplication.translate("StaffSection", "Past their review date:"))
            lines += [f"  • {line}" for line in info.overdue[:10]]
            if len(info.overdue) > 10:
                more = len(info.overdue) - 10
                lines.append(QCoreApplication.translate("StaffSection", AND_MORE, None, more))
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
