"""Touch-safe building blocks: every target big, named, and activated once per tap.

A finger that lands on a button and then drags (to scroll) must not press it, and a
shaky double tap must not press it twice. Qt delivers a touch to a QPushButton as one
synthesised mouse press/release, so handling mouse events here covers both.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QPointF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QMouseEvent, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QWidget,
)

from kiosk.ui.widgets.text_fit import em_px, wrap_words

MIN_TARGET = 64
DRAG_CANCEL_PX = 24  # a finger moving more than this is scrolling, not tapping
LONGEST_WORD_EM = 10  # a word wider than this may break inside itself (TouchButton)

Clock = Callable[[], float]  # seconds, never going back


class TapGuard:
    """Tells a tremor's second tap from a new one: a click within ``debounce_s`` of the
    last one counted is a repeat. The clock is given, so a test moves time on rather
    than sleeping past the guard; the kiosk's is ``time.monotonic``."""

    def __init__(self, debounce_s: float, clock: Clock = time.monotonic) -> None:
        self.debounce_s = debounce_s
        self.clock = clock
        self._last: float | None = None

    def is_repeat(self) -> bool:
        return self._last is not None and self.clock() - self._last < self.debounce_s

    def count(self) -> None:
        """A click went through: a tap within the guard from now on is a repeat."""
        self._last = self.clock()

    def forget(self) -> None:
        """The next tap counts, however soon it comes."""
        self._last = None


class TouchButton(QPushButton):
    """A QPushButton that ignores drags and repeated taps, is never too small, and
    wraps its words rather than cutting them off when it is given less than its whole
    text's width (WCAG 2.2 1.4.4 and 1.4.10: a "Heart Attac" cut off at 200% was a
    failure).

    Its minimum width is its longest word's, or ``LONGEST_WORD_EM`` ems if that is less
    (a longer word breaks inside itself); narrower than its whole text, it shows the
    text on more, balanced lines (wrap_words) and asks its layout for their height.
    """

    # Class defaults: Qt calls changeEvent and event from the base constructor, before
    # __init__ could set them.
    icon_of_em = 1.1  # an icon's side, in ems of this button's text
    _lines = 1  # how many lines the words take at the width the button has
    # The font or style changed since _lines was counted. Counted when the layout next
    # asks (sizeHint), not at each change: one settings change sends every button some
    # thirty font, palette and style changes, and counting at each was most of the
    # time a tap on "Larger text" took.
    _stale = False
    # minimumSizeHint's width, and the (text, font, QPushButton's width) it is for.
    _least_key: tuple[str, QFont, int] | None = None
    _least_width = 0

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        role: str = "",
        name: str | None = None,
        description: str = "",
        debounce_ms: int = 300,
        clock: Clock = time.monotonic,
    ) -> None:
        super().__init__(text, parent)
        # Preferred, not QPushButton's Minimum: a layout short of room may make it
        # narrower than its text, down to its longest word, and it wraps the rest.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        if role:
            self.setProperty("role", role)
        self.setAccessibleName(name or text.replace("\n", " ").strip())
        if description:
            self.setAccessibleDescription(description)
        # Never smaller than a fingertip (MIN_TARGET), through the size hints rather than
        # setMinimumSize: a set minimum overrides the hints, and a layout short of room
        # would then squeeze the button to 64 px and cut its words off.
        # Tab focus only: a tap does not move focus, so the focus ring appears for keypad
        # and switch users (who Tab) and never lingers on whatever a finger last touched.
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setAutoDefault(False)
        self._fit_icon()
        self._press_at: QPointF | None = None
        self._dragged = False
        self.tap_guard = TapGuard(debounce_ms / 1000, clock)

    def _chrome(self) -> int:
        """The px of the button's width that are not text: padding, border, icon."""
        text = QFontMetrics(self.font()).size(Qt.TextFlag.TextShowMnemonic, self.text())
        return super().sizeHint().width() - text.width()

    def shown_text(self) -> str:
        """The words as drawn at the button's width: with line breaks when narrow."""
        return self._text_at(self.width())

    def _text_at(self, width: int) -> str:
        text = self.text()
        if width >= super().sizeHint().width():
            return text
        return wrap_words(text, QFontMetrics(self.font()), width - self._chrome())

    def sizeHint(self) -> QSize:
        """The whole text on one line; taller by the extra lines when the layout has
        made the button narrower than that (so the layout gives it their height)."""
        if self._stale:
            self._stale = False
            self._lines = self._lines_at_width()
        hint = super().sizeHint()
        hint.setHeight(self._height_of(self._lines))
        return hint.expandedTo(QSize(MIN_TARGET, MIN_TARGET))

    def _height_of(self, lines: int) -> int:
        text = super().sizeHint().height() + (lines - 1) * QFontMetrics(self.font()).lineSpacing()
        return max(MIN_TARGET, text)

    def height_for(self, width: int) -> int:
        """The px of height the button needs at ``width`` px, its words wrapped."""
        wrapped = self._text_at(width)
        return self._height_of(wrapped.count("\n") - self.text().count("\n") + 1)

    def minimumSizeHint(self) -> QSize:
        """As narrow as its longest word (or ``LONGEST_WORD_EM`` ems, past which a word
        breaks), as tall as one line: the layout asks for more height when it wraps."""
        hint = self.sizeHint()
        text, font = self.text(), self.font()
        if text.split():
            # Asked for many times per layout pass (a ButtonFlow asks each part at every
            # width it tries); the answer changes only with the words, the font or
            # what QPushButton adds around them (padding, icon: its own hint's width).
            key = (text, font, super().sizeHint().width())
            if self._least_key != key:
                self._least_key = key
                self._least_width = self._longest_word(text, font) + self._chrome()
            hint.setWidth(min(hint.width(), self._least_width))
        return hint.expandedTo(QSize(MIN_TARGET, MIN_TARGET))

    @staticmethod
    def _longest_word(text: str, font: QFont) -> int:
        """The px of ``text``'s widest word, or ``LONGEST_WORD_EM`` ems if that is less."""
        metrics = QFontMetrics(font)
        longest = max(metrics.horizontalAdvance(word) for word in text.split())
        return min(longest, round(LONGEST_WORD_EM * em_px(font)))

    def _lines_at_width(self) -> int:
        # Lines added by wrapping: the text's own line breaks are in the base height.
        return self.shown_text().count("\n") - self.text().count("\n") + 1

    def _count_lines(self) -> None:
        self._stale = False
        lines = self._lines_at_width()
        if lines != self._lines:
            self._lines = lines
            self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._count_lines()

    def paintEvent(self, event: QPaintEvent) -> None:
        shown = self.shown_text()
        if shown == self.text():
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = shown
        painter.drawControl(QStyle.ControlElement.CE_PushButton, option)

    def _fit_icon(self) -> None:
        """Icons a little over one em of the button's text: they grow with the text
        size, as its words do. Ems, not line heights: the easier-to-read font's lines
        are far taller than its letters."""
        side = max(24, round(em_px(self.font()) * self.icon_of_em))
        if self.iconSize() != QSize(side, side):
            self.setIconSize(QSize(side, side))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._fit_icon()
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._mark_stale()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.DynamicPropertyChange:
            self._mark_stale()
        return handled

    def _mark_stale(self) -> None:
        if not self._stale:
            self._stale = True
            self.updateGeometry()  # the layout asks sizeHint again, which counts

    def setText(self, text: str) -> None:
        super().setText(text)
        self._count_lines()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # USB keypads and switches send Enter; QPushButton alone only answers Space.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat():
            self.animateClick()
            return
        super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press_at = event.position()
        self._dragged = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press_at is not None and not self._dragged:
            moved = (event.position() - self._press_at).manhattanLength()
            if moved > DRAG_CANCEL_PX:
                self._dragged = True
                self.setDown(False)
        if not self._dragged:
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        dragged, self._press_at = self._dragged, None
        if dragged or self.tap_guard.is_repeat():
            self.setDown(False)
            event.accept()
            return
        if self.isDown():
            self.tap_guard.count()
        super().mouseReleaseEvent(event)
