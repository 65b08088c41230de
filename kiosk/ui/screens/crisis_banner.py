"""The crisis banner: a sensitive article's crisis words and Quick exit, on every card."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QMargins, QRect, QSize, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QSizePolicy, QWidget

from kiosk.core.content.plaintext import breakable
from kiosk.ui.theme import keep_kiosk_font
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.widgets.labels import Label
from kiosk.ui.widgets.scrolling import kinetic_scroll_area


class CrisisBanner(QFrame):
    """The pack's crisis words and Quick exit, above every card of a sensitive article.

    It stays in place while the card scrolls, so it takes at most what the page can
    spare (``set_height_cap``; the reader leaves the card a few lines): words that need
    more scroll inside it, whole lines at a time, never cut off. Quick exit sits beside
    the words (on two lines if that keeps them a dozen characters a line), or under
    them when the page is too narrow for both (WCAG 2.2 1.4.10, reflow).
    """

    quick_exit = Signal()
    _MARGINS = QMargins(20, 12, 12, 12)
    _SPACING = 16

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("role", "banner")
        self._text = Label(self)
        self._text.setProperty("role", "banner-text")
        self._text.setWordWrap(True)
        self._scroll = kinetic_scroll_area(self._text, self)
        self.exit_button = TouchButton(role="danger", parent=self)
        keep_kiosk_font(self.exit_button)  # a control, as Previous and Next are
        self.exit_button.clicked.connect(self.quick_exit)
        self._cap: Callable[[], int] = lambda: 1 << 20
        # Its hints follow its width (not heightForWidth, whose minimum would be its
        # whole height): it prefers all its words, and may shrink to two lines of them.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def show_text(self, text: str) -> None:
        self._text.setText(breakable(text))
        label = QCoreApplication.translate("CrisisBanner", "Quick exit")
        self.exit_button.setText(label)
        self.exit_button.setAccessibleName(label)
        self.exit_button.setAccessibleDescription(
            QCoreApplication.translate("CrisisBanner", "Leave this page now and start over")
        )
        self.updateGeometry()
        self._place()  # its size may not change, and then no resize places the parts

    def words(self) -> str:
        """The crisis words shown."""
        return self._text.text()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            QTimer.singleShot(0, self, self._place)  # once the parts have their new font

    def set_height_cap(self, cap: Callable[[], int]) -> None:
        """Where to learn the most px of height the banner may take (asked at each
        layout: it follows the page's size, text size and footer); the words scroll
        beyond that."""
        self._cap = cap
        self.updateGeometry()

    def _arrange(self, width: int, height: int | None = None) -> tuple[QRect, QRect, int]:
        """Where the words' area and Quick exit go at ``width`` px, and the height.

        The room is ``height`` px if given (the banner's own; 0: the least it can be),
        else what the page can spare. Tried in order: Quick exit beside the words on
        one line, beside on two lines (each only if the words keep a dozen characters a
        line), under the words. The first that shows every word within the room wins;
        if none does, the one that shows the most of them, the rest scrolling.
        """
        m, gap = self._MARGINS, self._SPACING
        inner = max(1, width - m.left() - m.right())
        button = self.exit_button
        line = self._text.fontMetrics().lineSpacing()
        reading = self._text.fontMetrics().averageCharWidth() * 12  # a few words a line
        ways = [
            (True, button_w)
            for button_w in (button.sizeHint().width(), button.minimumSizeHint().width())
            if inner - button_w - gap >= reading
        ]
        ways.append((False, min(button.sizeHint().width(), inner)))
        best: tuple[float, bool, int, int, int, int] | None = None
        for beside, button_w in ways:
            text_w = inner - button_w - gap if beside else inner
            button_h = button.height_for(button_w)
            most = self._cap() if height is None else height
            room = most - m.top() - m.bottom() - (0 if beside else button_h + gap)
            cramped = room < 2 * line  # not even its least: then the least room it takes
            room = max(room, 2 * line)  # two lines at least
            text_h = self._text.heightForWidth(text_w)
            shown = 1.0
            if text_h > room:  # it scrolls: the words make way for the scroll bar, and
                bar = self._scroll.verticalScrollBar().sizeHint().width()  # whole lines
                whole = self._text.heightForWidth(text_w - bar)
                text_h = min((room // line) * line, whole)
                shown = text_h / whole
            total = max(text_h, button_h) if beside else text_h + gap + button_h
            if height == 0 or cramped:  # the most compact way, not the fullest
                shown = -total
            elif height is not None and total + m.top() + m.bottom() > height:
                # A way taller than the banner would cut Quick exit off at its foot
                # (1024x768, Spanish, 200% in the easier font): any way that fits wins.
                shown -= 2.0
            if best is None or shown > best[0]:
                best = (shown, beside, text_w, text_h, button_w, button_h)
            if shown >= 1.0:
                break
        assert best is not None
        _, beside, text_w, text_h, button_w, button_h = best
        if beside:
            height = max(text_h, button_h)
            # Whole lines only: a taller area showed the top of the next line.
            words = QRect(m.left(), m.top() + (height - text_h) // 2, text_w, text_h)
            exit_at = QRect(
                m.left() + text_w + gap, m.top() + (height - button_h) // 2, button_w, button_h
            )
        else:
            height = text_h + gap + button_h
            words = QRect(m.left(), m.top(), text_w, text_h)
            exit_at = QRect(m.left() + inner - button_w, m.top() + text_h + gap, button_w, button_h)
        return words, exit_at, height + m.top() + m.bottom()

    def sizeHint(self) -> QSize:
        """All its words at the width it has, as far as the page can spare."""
        width = max(self.width(), self._least_width())
        return QSize(width, self._arrange(width)[2])

    def minimumSizeHint(self) -> QSize:
        """Two lines of its words (the rest scroll) and Quick exit."""
        width = max(self.width(), self._least_width())
        return QSize(self._least_width(), self._arrange(width, 0)[2])

    def _least_width(self) -> int:
        m = self._MARGINS
        return self.exit_button.minimumSizeHint().width() + m.left() + m.right()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the hints follow the width

    def _place(self) -> None:
        words, exit_at, _ = self._arrange(self.width(), self.height())
        self._scroll.setGeometry(words)
        self.exit_button.setGeometry(exit_at)
