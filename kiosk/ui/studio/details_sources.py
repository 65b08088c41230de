"""The details form's sources, one row each: the organisation and, if staff want, the web
address of the page the facts come from.

A source is one line of text in the file (docs/CONTENT.md section 6: "sources" is a list
of text, shown after "Sources:" on the last card, the entries joined by ", "). A row with
an address is written "Organisation: https://..." and read back into its two boxes; one
without is the organisation alone, as every bundled article's sources are. The colon
reads well on the kiosk ("Sources: NHS: https://www.nhs.uk/, CDC"), where a comma would
make the address look like another source and '<...>' would be taken for markup; the
validator takes it as plain text, so the form checks the address itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.content.identifiers import https_address_problem
from kiosk.ui.studio.details_lists import tab_stop_before

PAUSE_MS = 1_000  # typing stopped this long: what was typed goes into the file
_WITH_ADDRESS = re.compile(r"(?P<organisation>.*\S):\s+(?P<address>https?://\S+)", re.IGNORECASE)
_ADDRESS_ALONE = re.compile(r"https?://\S+", re.IGNORECASE)


def source_text(organisation: str, address: str) -> str:
    """One source as the file holds it ("" for an empty row)."""
    organisation, address = organisation.strip(), address.strip()
    if organisation and address:
        return f"{organisation}: {address}"
    return organisation or address


def source_parts(text: str) -> tuple[str, str]:
    """(organisation, web address or "") of a source as the file holds it."""
    text = text.strip()
    if _ADDRESS_ALONE.fullmatch(text):
        return "", text
    found = _WITH_ADDRESS.fullmatch(text)
    return (found["organisation"], found["address"]) if found else (text, "")


class PauseOrFinish(QObject):
    """``settled`` once typing in a watched box pauses (PAUSE_MS) or staff leave the
    box or press Enter: the file is not rewritten at every key, and what was typed
    reaches it (and the drafts kept every few seconds) without leaving the box."""

    settled = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PAUSE_MS)
        self._timer.timeout.connect(self._settle)

    def watch(self, edit: QLineEdit) -> None:
        edit.textEdited.connect(self._typed)
        edit.editingFinished.connect(self._settle)

    def stop(self) -> None:
        """Forget typing not settled yet (the boxes are being filled anew)."""
        self._timer.stop()

    def _typed(self) -> None:
        self._timer.start()

    def _settle(self) -> None:
        self._timer.stop()
        self.settled.emit()


class SourceRow(QWidget):
    """One source: organisation, web address (optional), a button that removes it."""

    def __init__(self, organisation: str, address: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.organisation = QLineEdit(organisation, self)
        self.organisation.setPlaceholderText("Organisation, e.g. NHS")
        self.address = QLineEdit(address, self)
        for edit in (self.organisation, self.address):
            edit.setCursorPosition(0)  # the start shown, not the end
        self.address.setPlaceholderText("Web address (optional)")
        self.remove = QToolButton(self)  # as small as its sign, as on a chip
        self.remove.setText("\N{MULTIPLICATION SIGN}")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.organisation, 3)
        row.addWidget(self.address, 2)
        row.addWidget(self.remove)

    def number(self, number: int) -> None:
        self.organisation.setAccessibleName(f"Source {number} organisation")
        self.address.setAccessibleName(f"Source {number} web address")
        self.remove.setAccessibleName(f"Remove source {number}")
        self.remove.setToolTip(f"Remove source {number}")

    def text(self) -> str:
        return source_text(self.organisation.text(), self.address.text())


class SourceRows(QWidget):
    """Emits ``edited(tuple of sources)`` when what the rows say changes (not on
    ``show_values``, nor for an empty row)."""

    edited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[SourceRow] = []
        self._shown: tuple[str, ...] = ()
        self._pause = PauseOrFinish(self)
        self._pause.settled.connect(self._settled)
        self._column = QVBoxLayout()
        self._column.setContentsMargins(0, 0, 0, 0)
        self.add = QPushButton("Add source", self)
        self.add.setAccessibleName("Add source")
        self.add.clicked.connect(self._add_clicked)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Web address problem")
        self.problem.hide()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self._column)
        column.addWidget(self.problem)
        column.addWidget(self.add, 0, Qt.AlignmentFlag.AlignLeft)

    def show_values(self, values: Sequence[str]) -> None:
        """Show ``values`` as rows; emits nothing."""
        self._pause.stop()
        for row in self.rows:
            _discard(row)
        self.rows = []
        for value in values:
            self._add_row(*source_parts(value))
        self._shown = self.values()
        self._check_addresses()

    def values(self) -> tuple[str, ...]:
        return tuple(text for text in (row.text() for row in self.rows) if text)

    def first_box(self) -> QWidget:
        """Where the cursor goes for a problem with the sources."""
        return self.rows[0].organisation if self.rows else self.add

    def _add_row(self, organisation: str, address: str) -> SourceRow:
        # Tab goes through the rows in order, then to Add source: a new row goes in
        # before that button, after whatever comes before it now.
        before = tab_stop_before(self.add, self)
        row = SourceRow(organisation, address, self)
        for box in (row.organisation, row.address, row.remove):
            if before is not None:
                QWidget.setTabOrder(before, box)
            before = box
        for edit in (row.organisation, row.address):
            self._pause.watch(edit)
        row.remove.clicked.connect(self._remove_clicked)
        self._column.addWidget(row)
        row.show()  # now, not when the layout's queued show comes round
        self.rows.append(row)
        row.number(len(self.rows))
        return row

    def _add_clicked(self) -> None:
        self._add_row("", "").organisation.setFocus()

    def _remove_clicked(self) -> None:
        row = next(r for r in self.rows if r.remove is self.sender())
        at = self.rows.index(row)
        self.rows.remove(row)
        _discard(row)
        for number, kept in enumerate(self.rows, start=1):
            kept.number(number)
        (self.rows[min(at, len(self.rows) - 1)].organisation if self.rows else self.add).setFocus()
        self._settled()

    def _settled(self) -> None:
        self._check_addresses()
        values = self.values()
        if values != self._shown:
            self._shown = values
            self.edited.emit(values)

    def _check_addresses(self) -> None:
        """The validator reads a source as plain text: a mistyped address is said here."""
        said = [
            f"Source {number}'s web address {problem}"
            for number, row in enumerate(self.rows, start=1)
            if row.address.text().strip()
            and (problem := https_address_problem(row.address.text())) is not None
        ]
        self.problem.setText(said[0] if said else "")
        self.problem.setVisible(bool(said))


def _discard(row: QWidget) -> None:
    """A row gone: hidden now, deleted later (its Remove button may be in its signal)."""
    row.hide()
    row.deleteLater()
