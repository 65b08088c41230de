"""The A-Z page's search row: the box, "Type a word" (opens the keys) and Clear."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QGridLayout, QLineEdit, QWidget

from kiosk.core.search.query import QUERY_MAX_CHARS
from kiosk.ui.theme import Theme, keep_kiosk_font
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.widgets.icons import themed_icon
from kiosk.ui.widgets.line_edit import TouchLineEdit

LEAST_BOX_PX = 240  # room to see what was typed


class SearchRow(QObject):
    """The box and its buttons (Clear alone while the keys are open) share a row
    (``grid``), or, when big text makes them wide on a narrow screen, the buttons go
    under the box, on one row or one a row (``arrange``).

    The row is the keys' own: what is typed looks like the keys that typed it, and in
    the easier font at 200% the box and Clear keep to one row, short enough for results
    beside the keys on a 768 px screen.
    """

    def __init__(self, page: QWidget) -> None:
        super().__init__(page)
        self.field = TouchLineEdit(page)
        self.field.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.field.setMaxLength(QUERY_MAX_CHARS)  # what search reads
        self.keys_button = TouchButton(role="secondary")
        self.clear_button = TouchButton(role="secondary")
        self.grid = QGridLayout()
        self.grid.setSpacing(12)
        self._rows = self._buttons = 0

    def keep_kiosk_font(self) -> None:
        keep_kiosk_font(self.field, QLineEdit)
        for button in (self.keys_button, self.clear_button):
            keep_kiosk_font(button)

    def retranslate(self) -> None:
        self.field.set_placeholders(
            QCoreApplication.translate("TermsPage", "Type a health word"),
            QCoreApplication.translate("TermsPage", "Type here"),
            QCoreApplication.translate("TermsPage", "Search"),
        )
        self.field.setAccessibleName(QCoreApplication.translate("TermsPage", "Search health words"))
        self.clear_button.setText(QCoreApplication.translate("TermsPage", "Clear"))
        self.clear_button.setAccessibleName(
            QCoreApplication.translate("TermsPage", "Clear the search")
        )
        label = QCoreApplication.translate("TermsPage", "Type a word")
        self.keys_button.setText(label)
        self.keys_button.setAccessibleName(label)

    def restyle(self, theme: Theme) -> None:
        self.clear_button.setIcon(themed_icon("clear", theme.colors["on_secondary"]))
        self.keys_button.setIcon(themed_icon("search", theme.colors["on_secondary"]))

    def arrange(self, room: int, keyboard_open: bool) -> None:
        """Lay the row out in ``room`` px; "Type a word" only while the keys are shut."""
        buttons = [self.clear_button]
        if not keyboard_open:
            buttons.insert(0, self.keys_button)
        wanted = [b.sizeHint().width() for b in buttons]
        box = max(LEAST_BOX_PX, self.field.minimumSizeHint().width())
        rows = (
            1
            if sum(wanted) + 12 * len(wanted) + box <= room
            else 2
            if sum(wanted) + 12 * (len(wanted) - 1) <= room
            else 1 + len(wanted)
        )
        if (rows, len(buttons)) == (self._rows, self._buttons):
            return
        self._rows, self._buttons = rows, len(buttons)
        for old in (self.field, self.keys_button, self.clear_button):
            self.grid.removeWidget(old)
        # The box first, then the buttons: beside it, on a row under it, or one a row.
        places = [(0, 0, 1, len(buttons) if rows == 2 else 1)]
        for i in range(len(buttons)):
            places.append(
                (0, i + 1, 1, 1) if rows == 1 else (1, i, 1, 1) if rows == 2 else (i + 1, 0, 1, 1)
            )
        for part, place in zip([self.field, *buttons], places, strict=True):
            self.grid.addWidget(part, *place)
        for c in range(3):
            self.grid.setColumnStretch(c, 1 if c == 0 else 0)
