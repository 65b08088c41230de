"""The details of an article as a form, never YAML: every front matter key staff write
(docs/CONTENT.md section 6), each in a box, a list or a date picker. kiosk.core.studio.
document writes each change into the file's own lines.

Aliases and related articles are chips (kiosk.ui.studio.details_lists), the sources rows
of organisation and web address (kiosk.ui.studio.details_sources). What there is to
choose from, the other articles of the language and the pack's crisis messages, the
window gives with ``offer``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.content.frontmatter_edit import FieldValue
from kiosk.ui.studio.details_crisis import CrisisChoice
from kiosk.ui.studio.details_lists import AliasChips, RelatedChips
from kiosk.ui.studio.details_sources import PauseOrFinish, SourceRows

# Characters: a summary to aim for. Nothing typed is cut: the validator says what is
# over a limit (kiosk.core.content.limits).
SUMMARY_TARGET = 200
_TEXT_FIELDS = ("title", "summary", "urgent")
SHOWN_LINES = 16  # the form's height, in lines of text; it scrolls for the rest


class DetailsForm(QWidget):
    """Emits ``changed(key, value)`` when staff change a field (not when it is filled):
    a list as a tuple, a field emptied as None."""

    changed = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._filling = False
        self.area = QScrollArea(self)
        self.area.setWidgetResizable(True)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setAccessibleName("Article details")
        self.area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields; it follows
        inside = self.inside = QWidget(self.area)
        self.area.setWidget(inside)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.area)
        form = _Rows(inside)
        self.texts: dict[str, QLineEdit] = {}
        for key, label in (("title", "Title"), ("summary", "Summary"), ("urgent", "Urgent")):
            edit = QLineEdit(inside)
            edit.setObjectName(key)
            edit.setAccessibleName(label)
            edit.textEdited.connect(self._text_edited)  # the key: the sender's name
            form.add(label, edit)
            self.texts[key] = edit
            if key == "summary":
                self.summary_count = QLabel(inside)
                form.add("", self.summary_count)
                edit.textChanged.connect(self._count)
        self.texts["urgent"].setPlaceholderText("Only for what to do now, e.g. Call 911 now if...")
        self.kind = QComboBox(inside)
        self.kind.setAccessibleName("Kind")
        self.kind.addItem("Topic", "topic")
        self.kind.addItem("Health word (A-Z)", "term")
        self.kind.activated.connect(self._kind_chosen)
        form.add("Kind", self.kind)
        self.aliases = AliasChips(inside)
        self.aliases.setObjectName("aliases")
        self.aliases.edited.connect(self._list_edited)
        form.add("Other names", self.aliases)
        self.related = RelatedChips(inside)
        self.related.setObjectName("related")
        self.related.edited.connect(self._list_edited)
        form.add("Read next", self.related)
        self.sensitive = QCheckBox("Sensitive (drug use, mental health)", inside)
        self.sensitive.setAccessibleName("Sensitive")
        self.sensitive.setToolTip(
            "Patients see crisis help above it, and the kiosk does not count who reads it"
        )
        self.sensitive.clicked.connect(self._sensitive_clicked)
        form.add("", self.sensitive)
        self.crisis = CrisisChoice(inside)
        self.crisis.allow(False)  # until the article is sensitive
        self.crisis.chosen.connect(self._crisis_chosen)
        form.add("Crisis help", self.crisis)
        self.dates: dict[str, QDateEdit] = {}
        for key, label in (("reviewed", "Reviewed on"), ("review_due", "Review due")):
            picker = QDateEdit(inside)
            picker.setCalendarPopup(True)
            picker.setDisplayFormat("yyyy-MM-dd")
            picker.setObjectName(key)
            picker.setAccessibleName(label)
            picker.dateChanged.connect(self._date_changed)  # the key: the sender's name
            form.add(label, picker)
            self.dates[key] = picker
        self.sources = SourceRows(inside)
        self.sources.setObjectName("sources")
        self.sources.edited.connect(self._list_edited)
        form.add("Sources", self.sources)
        self.url = QLineEdit(inside)
        self.url.setAccessibleName("Take-home web address")
        self.url.setPlaceholderText("https://... (optional: shown as a QR code)")
        self._url_shown: str | None = None
        self._url_pause = PauseOrFinish(self)
        self._url_pause.watch(self.url)
        self._url_pause.settled.connect(self._url_settled)
        form.add("Take-home page", self.url)
        form.end()

    def offer(self, related: Sequence[tuple[str, str]], crises: Sequence[tuple[str, str]]) -> None:
        """What staff choose from: the other articles of the article's language as
        (slug, title), and the pack's crisis messages as (name, message in that
        language). Emits nothing."""
        self.related.offer(related)
        self.crisis.offer(crises)

    def fill(self, fields: dict[str, Any]) -> None:
        """Show an article's fields (as the validator reads them)."""
        self._filling = True
        try:
            for key, edit in self.texts.items():
                value = fields.get(key)
                edit.setText(value if isinstance(value, str) else "")
                edit.setCursorPosition(0)  # the start shown, not the end
            self.kind.setCurrentIndex(max(0, self.kind.findData(fields.get("kind"))))
            self.sensitive.setChecked(fields.get("sensitive") is True)
            for key, picker in self.dates.items():
                picker.setDate(_qdate(fields.get(key)))
            self.aliases.show_values(_texts(fields.get("aliases")))
            self.related.show_values(_texts(fields.get("related")))
            self.sources.show_values(_texts(fields.get("sources")))
            crisis = fields.get("crisis")
            self.crisis.show_name(crisis.strip() if isinstance(crisis, str) else "")
            self.crisis.allow(self.sensitive.isChecked())
            url = fields.get("url")
            self._url_pause.stop()
            self._url_shown = url.strip() if isinstance(url, str) and url.strip() else None
            self.url.setText(self._url_shown or "")
            self.url.setCursorPosition(0)
        finally:
            self._filling = False

    def focus(self, key: str) -> None:
        """Put the cursor in the field for front matter ``key`` (the first if none)."""
        places: dict[str, QWidget] = {
            **self.texts,
            **self.dates,
            "kind": self.kind,
            "sensitive": self.sensitive,
            "crisis": self.crisis.box if self.crisis.box.isEnabled() else self.sensitive,
            "aliases": self.aliases.box,
            "related": self.related.picker,
            "sources": self.sources.first_box(),
            "url": self.url,
        }
        widget = places.get(key, self.texts["title"])
        self.area.ensureWidgetVisible(widget)
        widget.setFocus()

    def sizeHint(self) -> QSize:
        # As tall as SHOWN_LINES lines: the article's text below keeps most of the height.
        whole = self.inside.sizeHint()
        return QSize(whole.width(), min(whole.height(), SHOWN_LINES * self.fontMetrics().height()))

    def _edited(self, key: str, value: FieldValue | None) -> None:
        if not self._filling:
            if key in _TEXT_FIELDS and isinstance(value, str) and not value.strip():
                value = None if key != "title" else value
            self.changed.emit(key, value)

    def _text_edited(self, text: str) -> None:
        self._edited(self.sender().objectName(), text)

    def _list_edited(self, values: tuple[str, ...]) -> None:
        self._edited(self.sender().objectName(), values or None)

    def _kind_chosen(self, _index: int) -> None:
        self._edited("kind", self.kind.currentData())

    def _sensitive_clicked(self, on: bool) -> None:
        self._edited("sensitive", bool(on))
        self.crisis.allow(bool(on))
        if not on and self.crisis.name():
            # Crisis help shows only on a sensitive article: the validator refuses it.
            self.crisis.show_name("")
            self._edited("crisis", None)

    def _crisis_chosen(self, name: str | None) -> None:
        self._edited("crisis", name)

    def _url_settled(self) -> None:
        value = self.url.text().strip() or None
        if value != self._url_shown:
            self._url_shown = value
            self._edited("url", value)

    def _date_changed(self, day: QDate) -> None:
        self._edited_date(self.sender().objectName(), day)

    def _edited_date(self, key: str, day: QDate) -> None:
        if not self._filling:
            self.changed.emit(key, date(day.year(), day.month(), day.day()))
            if key == "reviewed":  # the next review a year on, as the policy says
                self.dates["review_due"].setDate(day.addYears(1))

    def _count(self, text: str) -> None:
        over = len(text) - SUMMARY_TARGET
        self.summary_count.setText(
            f"{len(text)} of {SUMMARY_TARGET} characters"
            + (f": {over} too many, patients see it on a small tile" if over > 0 else "")
        )


class _Rows:
    """The form's rows: a label that names its field (for screen readers too), the field.
    A grid, not a QFormLayout: that one gives a row of chips less height than they need
    when the form scrolls (it mixes their height for the width with their size hint)."""

    def __init__(self, parent: QWidget) -> None:
        self.grid = QGridLayout(parent)
        self.grid.setColumnStretch(1, 1)
        # Each label level with its field's first line: chips, boxes and lists alike.
        self._pad = max(0, (QLineEdit().sizeHint().height() - QLabel("X").sizeHint().height()) // 2)
        self._row = 0

    def add(self, label: str, field: QWidget) -> None:
        if label:
            shown = QLabel(label, field.parentWidget())
            shown.setBuddy(field)
            shown.setContentsMargins(0, self._pad, 0, 0)
            self.grid.addWidget(shown, self._row, 0, Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(field, self._row, 1)
        self._row += 1

    def end(self) -> None:
        """The rows at the top; any height left over below them."""
        self.grid.setRowStretch(self._row, 1)


def _texts(value: object) -> list[str]:
    """A list key's entries as the validator takes them: one text is one entry."""
    items = value if isinstance(value, list) else [value]
    return [item.strip() for item in items if isinstance(item, str) and item.strip()]


def _qdate(value: object) -> QDate:
    if isinstance(value, str):
        parsed = QDate.fromString(value, "yyyy-MM-dd")
        if parsed.isValid():
            return parsed
    return QDate.currentDate()
