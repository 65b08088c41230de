"""Labels: plain text only, and headings whose longest word always fits."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget


class Label(QLabel):
    """The kiosk's only label: it shows its text exactly as typed, never as markup.

    QLabel's default, ``Qt.AutoText``, renders anything that looks like HTML: a pack
    title ``<font color=red size=7>...`` would restyle Home and an ``<img src=...>``
    in a banner would load a file from outside the verified pack. Every string from a
    pack reaches the screen through this class (or a button, which never renders
    markup), so no caller has to remember (ACCEPTANCE: pack text is plain text).
    """

    def __init__(self, text: str | QWidget = "", parent: QWidget | None = None) -> None:
        if isinstance(text, QWidget):  # Label(parent), as QLabel(parent) is called
            super().__init__(text)
            text = ""
        else:
            super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)


class FitLabel(Label):
    """A wrapped heading whose longest word always fits its width.

    A word cannot wrap, and at 200% in the easier-to-read font "Información" in the
    hero size is wider than a 768 px portrait screen: the label would force the whole
    window wider than the screen. Here the font steps down, only as far as needed,
    until the longest word fits (the rest of the text keeps its chosen size). The
    size is changed from the event loop, never from inside a layout pass: restyling a
    label while Qt measures it crashed Qt's text engine.
    """

    def __init__(self, text: str | QWidget = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)
        self._theme_font: QFont | None = None  # the size the theme gives, once measured
        self._fitting = False
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit)
        self._refit.start()

    def minimumSizeHint(self) -> QSize:
        # Any width will do: the font shrinks to it. The height follows the width.
        return QSize(0, super().minimumSizeHint().height())

    def setText(self, text: str) -> None:
        super().setText(text)
        refit = getattr(self, "_refit", None)  # None while Label's constructor runs
        if refit is not None:
            refit.start()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refit.start()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        # Only a font change from outside (a new text size or font) is news: the ones
        # _fit makes itself re-armed the timer every loop turn, and an idle kiosk kept
        # a core busy for good.
        if event.type() == QEvent.Type.FontChange and not self._fitting:
            self._theme_font = None
            self._refit.start()

    def _fit(self) -> None:
        words = self.text().split()
        if not words or self.width() <= 0:
            return
        margins = self.contentsMargins()
        room = self.width() - margins.left() - margins.right()
        self._fitting = True
        try:
            if self._theme_font is None:
                if self.styleSheet():
                    self.setStyleSheet("")  # measure at the size the theme gives
                self._theme_font = QFont(self.font())
            font = self._theme_font
            widest = max(QFontMetrics(font).horizontalAdvance(word) for word in words)
            wanted = ""
            if widest > room > 0:
                wanted = f"font-size: {max(8, font.pixelSize() * room // widest)}px;"
            if self.styleSheet() != wanted:
                self.setStyleSheet(wanted)
        finally:
            self._fitting = False
