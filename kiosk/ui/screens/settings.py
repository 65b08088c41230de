"""The "Aa" panel: text size, contrast, reading font, motion, read aloud, language.

Each choice applies at once, everywhere, through the session's one settings value;
the panel only shows the current value and reports taps. Every choice is a row of big
buttons showing a check mark on the one in force, so nothing relies on colour alone.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.patient import TEXT_SCALES, DisplaySettings
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.widgets.icons import themed_icon
from kiosk.ui.widgets.labels import FitLabel, Label
from kiosk.ui.widgets.layout import add_layout, discard
from kiosk.ui.widgets.scrolling import kinetic_scroll_area
from kiosk.ui.widgets.topbar import LANGUAGE_NAMES


class _Choice(QWidget):
    """A labelled row of mutually exclusive big buttons, in two rows or one column
    when a row would cut their words off (WCAG 2.2 1.4.10, reflow)."""

    chosen = Signal(object)

    def __init__(self, values: list[object], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = Label(self)
        self.label.setProperty("role", "section-title")
        self.label.setWordWrap(True)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._check_color = "#FFFFFF"
        self._values: list[object] = []
        self.buttons: list[TouchButton] = []
        self._row = QGridLayout()
        self._row.setSpacing(8)
        self._columns = 0
        self._rearrange = QTimer(self)  # after a new text size has restyled the buttons
        self._rearrange.setSingleShot(True)
        self._rearrange.setInterval(0)
        self._rearrange.timeout.connect(self._arrange)
        self.set_values(values)
        self._group.idClicked.connect(self._clicked)
        self._group.buttonToggled.connect(self._sync_icons)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(8)
        column.addWidget(self.label)
        add_layout(column, self._row)

    def set_values(self, values: list[object]) -> None:
        """One button per value; the texts come from set_texts."""
        if values == self._values:
            return
        for button in self.buttons:
            self._group.removeButton(button)
            discard(button)
        self._values, self.buttons = list(values), []
        for index, _value in enumerate(values):
            button = TouchButton(role="choice")
            button.icon_of_em = 0.8  # a check mark beside "200%": four fit a row more often
            button.setCheckable(True)
            self._group.addButton(button, index)
            button.installEventFilter(self)  # arrows move in reading order (eventFilter)
            self.buttons.append(button)
        self._columns = 0
        self._sync_icons()
        self._arrange()

    def _widest(self) -> int:
        """The widest button's natural width with its check mark, checked or not."""
        widest = 0
        for button in self.buttons:
            icon = button.iconSize().width() + 4
            text = button.sizeHint().width() - (0 if button.icon().isNull() else icon)
            widest = max(widest, text + icon)
        return widest

    def one_row_width(self) -> int:
        """The px all the buttons need side by side, and the title above them."""
        count, gap = len(self.buttons), self._row.horizontalSpacing()
        return max(count * self._widest() + (count - 1) * gap, self.label.minimumSizeHint().width())

    def _arrange(self) -> None:
        """All in one row if their words fit (with the check mark), else half as many
        per row, else one per row."""
        if not self.buttons:
            return
        widest, count, gap = self._widest(), len(self.buttons), self._row.horizontalSpacing()
        columns = next(
            (c for c in (count, (count + 1) // 2) if c * widest + (c - 1) * gap <= self.width()),
            1,
        )
        if columns == self._columns:
            return
        self._columns = columns
        for index, button in enumerate(self.buttons):
            self._row.addWidget(button, index // columns, index % columns)
        for column in range(count):
            self._row.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Arrow keys step through the choices in reading order, wrapping, whether they
        stand in one row or two (Qt's own arrows look only left, right, up or down of
        the button, and stop at a row's end)."""
        if event.type() == QEvent.Type.KeyPress and watched in self.buttons:
            assert isinstance(event, QKeyEvent)
            step = {
                Qt.Key.Key_Right: 1,
                Qt.Key.Key_Down: 1,
                Qt.Key.Key_Left: -1,
                Qt.Key.Key_Up: -1,
            }.get(Qt.Key(event.key()))
            if step is not None:
                index = self.buttons.index(watched)
                target = self.buttons[(index + step) % len(self.buttons)]
                target.setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._rearrange.start()
        super().changeEvent(event)

    @property
    def values(self) -> list[object]:
        return list(self._values)

    def set_texts(self, title: str, labels: list[str]) -> None:
        self.label.setText(title)
        for button, text in zip(self.buttons, labels, strict=True):
            button.setText(text)
            button.setAccessibleName(f"{title}: {text}")
        self._columns = 0
        self._arrange()

    def show_value(self, value: object) -> None:
        index = self._values.index(value) if value in self._values else 0
        self.buttons[index].setChecked(True)

    def restyle(self, check_color: str) -> None:
        self._check_color = check_color
        self._sync_icons()

    def _sync_icons(self) -> None:
        # The check mark, not only the colour, says which one is in force (WCAG 1.4.1).
        for button in self.buttons:
            button.setIcon(
                themed_icon("check", self._check_color) if button.isChecked() else QIcon()
            )

    def _clicked(self, index: int) -> None:
        self.chosen.emit(self._values[index])


class SettingsPanel(QWidget):
    """Covers the window; ``Done`` (or any choice, then Done) returns to the page."""

    settings_chosen = Signal(object)  # DisplaySettings
    locale_chosen = Signal(str)
    closed = Signal()

    def __init__(self, locales: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("idle-overlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._settings = DisplaySettings()
        self.panel = QFrame(self)
        self.panel.setObjectName("dialog-panel")
        self.panel.setMaximumWidth(1400)
        self.title = FitLabel(self.panel)
        self.title.setProperty("role", "page-title")
        self.text_size = _Choice(list(TEXT_SCALES))
        self.contrast = _Choice([False, True])
        self.dyslexia = _Choice([False, True])
        self.motion = _Choice([False, True])
        self.read_aloud = _Choice([False, True])
        self.language = _Choice(list(locales))
        self.language.setObjectName("language-choice")
        self.language.setVisible(len(locales) > 1)
        self.text_size.chosen.connect(self._text_size)
        self.contrast.chosen.connect(self._contrast)
        self.dyslexia.chosen.connect(self._dyslexia)
        self.motion.chosen.connect(self._motion)
        self.read_aloud.chosen.connect(self._read_aloud)
        self.language.chosen.connect(self._language)
        rows = QWidget()
        grid = QGridLayout(rows)
        grid.setContentsMargins(0, 0, 16, 0)
        grid.setHorizontalSpacing(40)
        grid.setVerticalSpacing(24)
        for i, choice in enumerate(self.choices):
            grid.addWidget(choice, i // 2, i % 2, Qt.AlignmentFlag.AlignTop)
        grid.setRowStretch(len(self.choices), 1)  # rows sit at the top, not spread out
        self.scroll_area = kinetic_scroll_area(rows, self.panel)
        self.done_button = TouchButton(role="big-primary")
        self.done_button.clicked.connect(self.closed)
        inner = QVBoxLayout(self.panel)
        inner.setContentsMargins(48, 36, 48, 36)
        inner.setSpacing(24)
        inner.addWidget(self.title)
        inner.addWidget(self.scroll_area, 1)
        inner.addWidget(self.done_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 40, 40, 40)
        outer.addWidget(self.panel, 1, Qt.AlignmentFlag.AlignHCenter)
        self._columns = 2
        self._grid = grid
        self.retranslate()
        self.hide()

    @property
    def choices(self) -> list[_Choice]:
        return [
            self.text_size,
            self.contrast,
            self.dyslexia,
            self.motion,
            self.read_aloud,
            self.language,
        ]

    def mousePressEvent(self, event: QMouseEvent) -> None:
        # A tap on the dimmed page around the panel closes it, as a patient expects
        # of a panel laid over the page; taps inside the panel never reach here.
        if not self.panel.geometry().contains(event.position().toPoint()):
            self.closed.emit()
        event.accept()

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.panel.setFixedWidth(min(1400, max(0, self.width() - 80)))
        self._arrange()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            # A new text size may need one column: measured once the choices have it.
            QTimer.singleShot(0, self, self._arrange)  # not after the screen has gone
        super().changeEvent(event)

    def _arrange(self) -> None:
        # Two columns when every choice's buttons fit on one row in half the panel, else
        # one: a choice in two rows beside one in one row reads as a table.
        half = (self.panel.width() - 96 - 16 - 40) // 2
        widest = max((c.one_row_width() for c in self.choices), default=0)
        columns = 2 if widest <= half and self.width() > self.height() else 1
        if columns != self._columns:
            self._columns = columns
            for i, choice in enumerate(self.choices):
                self._grid.addWidget(choice, i // columns, i % columns, Qt.AlignmentFlag.AlignTop)

    def retranslate(self) -> None:
        off, on = (
            QCoreApplication.translate("SettingsPanel", "Off"),
            QCoreApplication.translate("SettingsPanel", "On"),
        )
        self.title.setText(QCoreApplication.translate("SettingsPanel", "Display and reading"))
        self.text_size.set_texts(
            QCoreApplication.translate("SettingsPanel", "Text size"),
            [f"{round(s * 100)}%" for s in TEXT_SCALES],
        )
        self.contrast.set_texts(
            QCoreApplication.translate("SettingsPanel", "Contrast"),
            [
                QCoreApplication.translate("SettingsPanel", "Standard"),
                QCoreApplication.translate("SettingsPanel", "High"),
            ],
        )
        self.dyslexia.set_texts(
            QCoreApplication.translate("SettingsPanel", "Easier-to-read font"), [off, on]
        )
        self.motion.set_texts(
            QCoreApplication.translate("SettingsPanel", "Reduce motion"), [off, on]
        )
        self.read_aloud.set_texts(
            QCoreApplication.translate("SettingsPanel", "Read aloud"), [off, on]
        )
        self.language.set_texts(
            QCoreApplication.translate("SettingsPanel", "Language"),
            [LANGUAGE_NAMES.get(str(loc), str(loc)) for loc in self.language.values],
        )
        self.done_button.setText(QCoreApplication.translate("SettingsPanel", "Done"))
        self.done_button.setAccessibleName(QCoreApplication.translate("SettingsPanel", "Done"))

    def set_locales(self, locales: tuple[str, ...]) -> None:
        """A new pack may offer other languages."""
        self.language.set_values(list(locales))
        self.language.setVisible(len(locales) > 1)
        self.retranslate()

    def restyle(self, theme: Theme) -> None:
        for choice in self.choices:
            choice.restyle(theme.colors["on_primary"])

    def open(self, settings: DisplaySettings, locale: str) -> None:
        self._settings = settings
        self.text_size.show_value(settings.text_scale)
        self.contrast.show_value(settings.high_contrast)
        self.dyslexia.show_value(settings.dyslexia_font)
        self.motion.show_value(settings.reduce_motion)
        self.read_aloud.show_value(settings.read_aloud)
        self.language.show_value(locale)
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self._arrange()
        self.scroll_area.verticalScrollBar().setValue(0)

    def _change(self, **changes: object) -> None:
        self._settings = replace(self._settings, **changes)  # type: ignore[arg-type]
        self.settings_chosen.emit(self._settings)

    def _text_size(self, value: object) -> None:
        self._change(text_scale=value)

    def _contrast(self, value: object) -> None:
        self._change(high_contrast=value)

    def _dyslexia(self, value: object) -> None:
        self._change(dyslexia_font=value)

    def _motion(self, value: object) -> None:
        self._change(reduce_motion=value)

    def _read_aloud(self, value: object) -> None:
        self._change(read_aloud=value)

    def _language(self, value: object) -> None:
        self.locale_chosen.emit(str(value))
