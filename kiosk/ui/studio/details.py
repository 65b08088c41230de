"""The details of an article as a form, never YAML: title, summary, kind, sensitive,
the urgent callout and the review dates (kiosk.core.studio.document writes each change
into the file's own lines)."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from kiosk.core.content.frontmatter_edit import FieldValue

# Characters: a summary to aim for. Nothing typed is cut: the validator says what is
# over a limit (kiosk.core.content.limits).
SUMMARY_TARGET = 200
_TEXT_FIELDS = ("title", "summary", "urgent")


class DetailsForm(QWidget):
    """Emits ``changed(key, value)`` when staff change a field (not when it is filled)."""

    changed = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        form = QFormLayout(self)
        self.texts: dict[str, QLineEdit] = {}
        for key, label in (("title", "Title"), ("summary", "Summary"), ("urgent", "Urgent")):
            edit = QLineEdit(self)
            edit.setObjectName(key)
            edit.setAccessibleName(label)
            edit.textEdited.connect(self._text_edited)  # the key: the sender's name
            form.addRow(label, edit)
            self.texts[key] = edit
            if key == "summary":
                self.summary_count = QLabel(self)
                form.addRow("", self.summary_count)
                edit.textChanged.connect(self._count)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind")
        self.kind.addItem("Topic", "topic")
        self.kind.addItem("Health word (A-Z)", "term")
        self.kind.activated.connect(self._kind_chosen)
        form.addRow("Kind", self.kind)
        self.sensitive = QCheckBox("Sensitive (drug use, mental health: not counted)", self)
        self.sensitive.setAccessibleName("Sensitive")
        self.sensitive.clicked.connect(self._sensitive_clicked)
        form.addRow("", self.sensitive)
        self.dates: dict[str, QDateEdit] = {}
        for key, label in (("reviewed", "Reviewed on"), ("review_due", "Review due")):
            picker = QDateEdit(self)
            picker.setCalendarPopup(True)
            picker.setDisplayFormat("yyyy-MM-dd")
            picker.setObjectName(key)
            picker.setAccessibleName(label)
            picker.dateChanged.connect(self._date_changed)  # the key: the sender's name
            form.addRow(label, picker)
            self.dates[key] = picker

    def fill(self, fields: dict[str, Any]) -> None:
        """Show an article's fields (as the validator reads them)."""
        self._filling = True
        try:
            for key, edit in self.texts.items():
                value = fields.get(key)
                edit.setText(value if isinstance(value, str) else "")
            self.kind.setCurrentIndex(max(0, self.kind.findData(fields.get("kind"))))
            self.sensitive.setChecked(fields.get("sensitive") is True)
            for key, picker in self.dates.items():
                picker.setDate(_qdate(fields.get(key)))
        finally:
            self._filling = False

    def focus(self, key: str) -> None:
        """Put the cursor in the field for front matter ``key`` (the first if none)."""
        widget: QWidget = self.texts.get(key) or self.dates.get(key) or self.texts["title"]
        if key == "kind":
            widget = self.kind
        elif key == "sensitive":
            widget = self.sensitive
        widget.setFocus()

    def _edited(self, key: str, value: FieldValue | None) -> None:
        if not self._filling:
            if key in _TEXT_FIELDS and isinstance(value, str) and not value.strip():
                value = None if key != "title" else value
            self.changed.emit(key, value)

    def _text_edited(self, text: str) -> None:
        self._edited(self.sender().objectName(), text)

    def _kind_chosen(self, _index: int) -> None:
        self._edited("kind", self.kind.currentData())

    def _sensitive_clicked(self, on: bool) -> None:
        self._edited("sensitive", bool(on))

    def _date_changed(self, day: QDate) -> None:
        self._edited_date(self.sender().objectName(), day)

    def _edited_date(self, key: str, day: QDate) -> None:
        if not self._filling:
            self.changed.emit(key, date(day.year(), day.month(), day.day()))
            if key == "reviewed":  # the next review a year on, as the policy says
                self.dates["review_due"].setDate(day.addYears(1))

    def _count(self, text: str) -> None:
        self.summary_count.setText(f"{len(text)} of {SUMMARY_TARGET} characters")


def _qdate(value: object) -> QDate:
    if isinstance(value, str):
        parsed = QDate.fromString(value, "yyyy-MM-dd")
        if parsed.isValid():
            return parsed
    return QDate.currentDate()
