"""The details form's lists as chips: an article's other names (aliases) and the articles
it suggests reading next (related). Each entry is a small button, its text and a
multiplication sign, that removes it; a box and an Add button below add one. Staff never
see the YAML list."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMargins, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

VALUE = "value"  # a chip's property: the entry it removes
CHIP_CHARS = 32  # a longer entry is cut short on its chip (its name and tip say it all)
HINT_WIDTH = 400  # pixels: the width a size hint's chips are measured at


def tab_stop_before(widget: QWidget, new_parent: QWidget) -> QWidget | None:
    """What Tab reaches just before ``widget``, for a new child of ``new_parent`` to go
    after (Qt moves a widget only after another that takes the focus, and not after
    one of its own parents): old chips or rows, hidden until they go, or another field."""
    before = widget.previousInFocusChain()
    while before is not None and before is not widget.window():
        if before.focusPolicy() != Qt.FocusPolicy.NoFocus and not before.isAncestorOf(new_parent):
            return before
        before = before.previousInFocusChain()
    return None


class FlowLayout(QLayout):
    """Widgets in a row that wraps onto the next row (Qt's own flow layout example)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        # The layout around takes the height for the width it gives (heightForWidth).
        return QSize(self.minimumSize().width(), self.heightForWidth(HINT_WIDTH))

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in (i for i in self._items if not i.isEmpty()):
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Lay the items out in ``rect`` (or only measure); the height they take."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        x, y, row_height = area.x(), area.y(), 0
        for item in (i for i in self._items if not i.isEmpty()):  # hidden: a chip gone
            hint = item.sizeHint()
            if x + hint.width() > area.right() + 1 and row_height > 0:
                x, y, row_height = area.x(), y + row_height + self._gap, 0
            if move:
                item.setGeometry(QRect(x, y, min(hint.width(), area.width()), hint.height()))
            x += hint.width() + self._gap
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y() + margins.bottom()


class ChipList(QWidget):
    """Entries as removable chips over a row (``entry``, then ``add``) that adds one.
    Emits ``edited(tuple of entries)`` when staff add or remove one (not on ``show_values``).
    ``what`` names an entry in the chips' accessible names ("Remove alias pulse")."""

    edited = Signal(object)

    def __init__(self, what: str, entry: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.what = what
        self.values: list[str] = []
        self.titles: dict[str, str] = {}  # what a chip shows for an entry (else itself)
        self.chips = QWidget(self)
        self._flow = FlowLayout(self.chips)
        self._chips: list[QPushButton] = []
        self.entry = entry
        entry.setParent(self)
        self.add = QPushButton("Add", self)
        self.add.setAccessibleName(f"Add {what}")
        self.add.clicked.connect(self._add_clicked)
        row = QHBoxLayout()
        row.addWidget(entry, 1)
        row.addWidget(self.add)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.chips)
        column.addLayout(row)

    def show_values(self, values: Sequence[str]) -> None:
        """Show ``values`` as the chips, the box empty (another article's now); emits
        nothing."""
        self.values = list(values)
        self._rebuild()
        self.cleared()

    def _rebuild(self) -> None:
        for chip in self._chips:  # the clicked one may be in its own signal: later
            chip.hide()
            chip.deleteLater()
        self._chips = []
        # The chips come before the box in the Tab order, as on screen.
        before = tab_stop_before(self.entry, self.chips)
        for value in self.values:
            title = self.titles.get(value, value)
            shown = (
                title
                if len(title) <= CHIP_CHARS
                else title[: CHIP_CHARS - 1] + "\N{HORIZONTAL ELLIPSIS}"
            )
            shown = shown.replace("&", "&&")  # a button's '&' marks a shortcut key
            chip = QPushButton(f"{shown} \N{MULTIPLICATION SIGN}", self.chips)
            chip.setProperty(VALUE, value)
            chip.setAccessibleName(f"Remove {self.what} {title}")
            chip.setToolTip(f"Remove {self.what} {title}")
            chip.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            chip.clicked.connect(self._chip_clicked)
            self._flow.addWidget(chip)
            chip.show()  # now, not when the layout's queued show comes round
            if before is not None:
                QWidget.setTabOrder(before, chip)
            before = chip
            self._chips.append(chip)
        self.chips.setVisible(bool(self.values))
        self.updateGeometry()

    def _chip_clicked(self) -> None:
        value = self.sender().property(VALUE)
        if value not in self.values:
            return
        at = self.values.index(value)
        self.values.remove(value)
        self._rebuild()
        # The keyboard stays in the list: on the next chip, else the box.
        following = self._chips[min(at, len(self._chips) - 1)] if self._chips else self.entry
        following.setFocus()
        self.edited.emit(tuple(self.values))

    def _add_clicked(self) -> None:
        value = self.chosen()
        if value and value.casefold() not in {v.casefold() for v in self.values}:
            self.values.append(value)
            self._rebuild()
            self.cleared()
            self.edited.emit(tuple(self.values))
        self.entry.setFocus()

    def chosen(self) -> str:
        """The entry ``entry`` holds now ("" if none)."""
        raise NotImplementedError

    def cleared(self) -> None:
        """``entry`` ready for the next one, once one is added."""


class AliasChips(ChipList):
    """Other names patients may type, each once whatever its capitals."""

    def __init__(self, parent: QWidget | None = None) -> None:
        box = QLineEdit()
        box.setAccessibleName("New alias")
        box.setPlaceholderText("Another name patients may type, e.g. MI")
        super().__init__("alias", box, parent)
        self.box = box
        box.returnPressed.connect(self._add_clicked)

    def chosen(self) -> str:
        return self.box.text().strip()

    def cleared(self) -> None:
        self.box.clear()


class RelatedChips(ChipList):
    """Articles of the same language to read next, chosen from a list of their titles."""

    def __init__(self, parent: QWidget | None = None) -> None:
        picker = QComboBox()
        picker.setAccessibleName("Article to suggest")
        # As wide as the form gives, not as the longest title: titles go up to 80.
        picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        picker.setMinimumContentsLength(10)
        picker.setPlaceholderText("Choose an article")
        super().__init__("related article", picker, parent)
        self.picker = picker

    def offer(self, choices: Sequence[tuple[str, str]]) -> None:
        """The articles to choose from, as (slug, title)."""
        self.titles = dict(choices)
        self.picker.clear()
        for slug, title in choices:
            self.picker.addItem(title, slug)
        self.picker.setCurrentIndex(-1)  # none until staff choose: Add adds nothing
        self._rebuild()  # the chips by title now

    def chosen(self) -> str:
        slug = self.picker.currentData()
        return slug if isinstance(slug, str) else ""

    def cleared(self) -> None:
        self.picker.setCurrentIndex(-1)
