"""Touch-safe building blocks: every target big, named, and activated once per tap.

A finger that lands on a button and then drags (to scroll) must not press it, and a
shaky double tap must not press it twice. Qt delivers a touch to a QPushButton as one
synthesised mouse press/release, so handling mouse events here covers both.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import QEvent, QPointF, QSize, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QBoxLayout,
    QFrame,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QScroller,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStyleOptionFrame,
    QStylePainter,
    QWidget,
)

from kiosk.resources import icon_path


def add_layout(parent: QBoxLayout, child: QLayout, stretch: int = 0) -> None:
    """``parent.addLayout(child, stretch)``, without keeping wrappers of child's items.

    PySide6's ``addLayout`` wraps every item already in ``child`` (a QWidgetItem per
    widget, a QSpacerItem per stretch) and keeps the wrappers. Qt deletes a QWidgetItem
    when its widget leaves the layout, but nothing tells Python: the wrapper stays
    registered at the freed address, and the next QObject Qt allocates there comes
    back to Python as a QWidgetItem ("grabGesture called with wrong argument types:
    QWidgetItem"). Layouts are QObjects and report their own deletion, so only the
    plain items are let go (tests/test_layout_item_wrappers.py).
    """
    parent.addLayout(child, stretch)
    _release_item_wrappers(child)


def _release_item_wrappers(layout: QLayout) -> None:
    for i in range(layout.count()):
        item = layout.itemAt(i)
        if item is None:
            continue
        inner = item.layout()
        if inner is not None:
            _release_item_wrappers(inner)
        else:
            shiboken6.invalidate(item)


MIN_TARGET = 64
DRAG_CANCEL_PX = 24  # a finger moving more than this is scrolling, not tapping
_icon_cache: dict[tuple[str, str, int], QIcon] = {}


def themed_icon(name: str, color: str, size: int = 48) -> QIcon:
    """An SVG icon drawn in a theme colour (the SVGs use currentColor)."""
    key = (name, color, size)
    if key not in _icon_cache:
        svg = icon_path(name).read_text("utf-8").replace("currentColor", color)
        renderer = QSvgRenderer(svg.encode("utf-8"))
        pixmap = QPixmap(QSize(size, size) * 2)
        pixmap.fill(QColor(0, 0, 0, 0))
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        pixmap.setDevicePixelRatio(2.0)
        _icon_cache[key] = QIcon(pixmap)
        if len(_icon_cache) > 256:  # bounded: themes x sizes x names is small
            _icon_cache.pop(next(iter(_icon_cache)))
    return _icon_cache[key]


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


def em_px(font: QFont) -> float:
    """One em of ``font``, in px (the style sheet sizes fonts in px)."""
    if font.pixelSize() > 0:
        return float(font.pixelSize())
    return font.pointSizeF() * 96 / 72


def discard(widget: QWidget) -> None:
    """Take ``widget`` off the screen now and delete it later: a widget only marked for
    deletion stays visible, under its replacement, until the event loop runs again."""
    widget.hide()
    widget.deleteLater()


LONGEST_WORD_EM = 10  # a word wider than this may break inside itself (see below)


def _pieces(word: str, metrics: QFontMetrics, width: int) -> list[str]:
    """A word wider than ``width`` px in pieces that fit, as CSS overflow-wrap does: a
    pack's 40-letter word must not make a button, and the window, wider than a screen.
    Widths add up letter by letter (linear in the word's length)."""
    if metrics.horizontalAdvance(word) <= width:
        return [word]
    pieces, piece, used = [], "", 0
    for char in word:
        advance = metrics.horizontalAdvance(char)
        if piece and used + advance > width:
            pieces.append(piece)
            piece, used = "", 0
        piece += char
        used += advance
    return [*pieces, piece]


def wrap_words(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` with line breaks at spaces so that each line fits in ``width`` px; a
    single word wider than that is broken inside itself. The lines are balanced: as
    many as the width needs, each as narrow as that many allows ("Aa Tamaño / de
    letra", not "Aa Tamaño de / letra"), for a button's few words."""
    wrapped = _greedy_wrap(text, metrics, width)
    if len(text) > BALANCE_CHARS or "\n" not in wrapped:
        return wrapped
    lines = wrapped.count("\n")
    # The narrowest width that still needs no more lines, never narrower than the
    # longest word (balancing must not break "Quick" into "Quic / k").
    longest = max(metrics.horizontalAdvance(word) for word in text.split())
    narrow, wide = min(longest, width), width
    while narrow < wide:
        middle = (narrow + wide) // 2
        if _greedy_wrap(text, metrics, middle).count("\n") <= lines:
            wide = middle
        else:
            narrow = middle + 1
    return _greedy_wrap(text, metrics, wide)


BALANCE_CHARS = 200  # longer texts keep the greedy lines: balancing costs a search


def _greedy_wrap(text: str, metrics: QFontMetrics, width: int) -> str:
    """Words onto a line while they fit. A line's width is the sum of its words' (and
    spaces'), kept as it grows: measuring the whole line for each word was quadratic,
    and a pack's 40 kB title held the screen for a minute (issue 12, attacker)."""
    space = metrics.horizontalAdvance(" ")
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for whole in paragraph.split(" "):
            for word in _pieces(whole, metrics, width):
                advance = metrics.horizontalAdvance(word)
                if line and used + space + advance > width:
                    lines.append(line)
                    line, used = word, advance
                elif line:
                    line, used = f"{line} {word}", used + space + advance
                else:
                    line, used = word, advance
        lines.append(line)
    return "\n".join(lines)


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

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        role: str = "",
        name: str | None = None,
        description: str = "",
        debounce_ms: int = 300,
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
        self._debounce = debounce_ms / 1000
        self._last_click = 0.0

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
        words = self.text().split()
        if words:
            metrics = QFontMetrics(self.font())
            longest = max(metrics.horizontalAdvance(word) for word in words)
            longest = min(longest, round(LONGEST_WORD_EM * em_px(self.font())))
            hint.setWidth(min(hint.width(), longest + self._chrome()))
        return hint.expandedTo(QSize(MIN_TARGET, MIN_TARGET))

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
        now = time.monotonic()
        if dragged or now - self._last_click < self._debounce:
            self.setDown(False)
            event.accept()
            return
        if self.isDown():
            self._last_click = now
        super().mouseReleaseEvent(event)


class TouchLineEdit(QLineEdit):
    """A text box never smaller than a fingertip, nor than its own text (its size
    hints say so, so a layout short of room cannot squeeze its words).

    Its hint, the placeholder, is not cut short ("Type a hea..."): the box shows the
    longest of :meth:`set_placeholders` that fits, at every width and text size (the
    shortest, if none fits; its minimum size leaves room for that one).
    """

    _placeholders: tuple[str, ...] = ()

    def set_placeholders(self, *hints: str) -> None:
        """Hints from the most to the least said ("Type a health word", "Type here")."""
        self._placeholders = hints
        self.updateGeometry()  # the shortest hint sets the least width
        self._fit_placeholder()

    def _room(self) -> int:
        """The px a hint can take at the box's present width."""
        option = QStyleOptionFrame()
        self.initStyleOption(option)
        contents = self.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, self)
        margins = self.textMargins()
        return contents.width() - margins.left() - margins.right() - 4  # Qt's 2 px a side

    def _fit_placeholder(self) -> None:
        if not self._placeholders:
            return
        room, metrics = self._room(), self.fontMetrics()
        fits = [h for h in self._placeholders if metrics.horizontalAdvance(h) <= room]
        self.setPlaceholderText(fits[0] if fits else self._placeholders[-1])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_placeholder()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_placeholder()

    def minimumSizeHint(self) -> QSize:
        """At least a fingertip, and wide enough for the shortest hint."""
        least = MIN_TARGET
        if self._placeholders:
            shortest = min(self.fontMetrics().horizontalAdvance(h) for h in self._placeholders)
            least = max(least, shortest + self.width() - self._room())
        return super().minimumSizeHint().expandedTo(QSize(least, MIN_TARGET))

    def sizeHint(self) -> QSize:
        return super().sizeHint().expandedTo(self.minimumSizeHint())


def enable_kinetic_scrolling(area: QAbstractScrollArea) -> None:
    """Flick to scroll, with a finger or a mouse drag; only vertically."""
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
    scroller = QScroller.scroller(area.viewport())
    props = scroller.scrollerProperties()
    props.setScrollMetric(
        props.ScrollMetric.HorizontalOvershootPolicy,
        props.OvershootPolicy.OvershootAlwaysOff,
    )
    props.setScrollMetric(
        props.ScrollMetric.VerticalOvershootPolicy,
        props.OvershootPolicy.OvershootWhenScrollable,
    )
    # A press reaches the control under the finger at once: with Qt's default (it holds
    # the press back 0.25 s to see if a flick begins) a quick tap on a button inside a
    # scrollable area was lost, press and all. A flick that starts after the press sends
    # the control a release outside itself, so it is not clicked.
    props.setScrollMetric(props.ScrollMetric.MousePressEventDelay, 0.0)
    scroller.setScrollerProperties(props)


def kinetic_scroll_area(content: QWidget, parent: QWidget) -> QScrollArea:
    """A frameless scroll area around ``content`` that resizes it to its width and
    scrolls by flicking (enable_kinetic_scrolling)."""
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    enable_kinetic_scrolling(area)
    return area


def fit_columns(
    widgets: Sequence[QWidget], width: int, most: int, spacing: int, least: int = 0
) -> int:
    """How many columns of ``widgets`` fit in ``width`` px, from ``most`` down to one.

    A column is as wide as the widest widget needs (the longest word of a wrapped
    label, the whole text of a button), so no text is cut off at any text size (WCAG
    2.2 1.4.4, 1.4.10: reflow rather than clip); only in one column does a button
    wrap its words. ``least`` is a column's width floor in px.
    """

    def need(widget: QWidget) -> int:
        hint = widget.sizeHint() if isinstance(widget, QPushButton) else widget.minimumSizeHint()
        return hint.width()

    widest = max([least, *(need(w) for w in widgets)])
    columns = max(1, most)
    while columns > 1 and columns * widest + (columns - 1) * spacing > width:
        columns -= 1
    return columns


class ReflowPage(QWidget):
    """A page that lays itself out again when its size or text size changes.

    Subclasses implement ``arrange()``. A new text size or font reaches a page as
    style and font changes before its children are restyled, so the page arranges
    itself one event-loop turn later, once every child has its new size.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rearrange = QTimer(self)
        self._rearrange.setSingleShot(True)
        self._rearrange.setInterval(0)
        self._rearrange.timeout.connect(self.arrange)

    def arrange(self) -> None:
        raise NotImplementedError

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.arrange()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._rearrange.start()
        super().changeEvent(event)


class ButtonFlow(QWidget):
    """A row of buttons around a middle widget (Previous, "2 of 6", Next) that wraps
    instead of cutting words off (WCAG 2.2 1.4.10, reflow).

    Its parts in order, as many on a row as fit, a button wrapping its words (down to its
    longest word) before a part takes a new row: on each row the leading buttons sit at
    the left, the trailing ones at the right, and the middle widget fills what is
    between (or the row, when alone). Its height follows its width (heightForWidth), so
    the page around it makes room for the extra rows.
    """

    def __init__(self, parent: QWidget | None = None, spacing: int = 16) -> None:
        super().__init__(parent)
        self._spacing = spacing
        self._leading: list[QWidget] = []
        self._middle: QWidget | None = None
        self._trailing: list[QWidget] = []
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def set_parts(
        self, leading: Sequence[QWidget], middle: QWidget | None, trailing: Sequence[QWidget]
    ) -> None:
        self._leading, self._middle, self._trailing = list(leading), middle, list(trailing)
        for widget in self._all():
            widget.setParent(self)
        self.updateGeometry()

    def _all(self) -> list[QWidget]:
        middle = [self._middle] if self._middle is not None else []
        return [*self._leading, *middle, *self._trailing]

    def _shown(self, widgets: Sequence[QWidget]) -> list[QWidget]:
        return [w for w in widgets if not w.isHidden()]

    def _least(self, widget: QWidget) -> int:
        """The narrowest a part can be: a button its longest word (it wraps the rest);
        the middle widget its minimum, as it fills what the buttons leave (and may show
        less, such as dots, when narrow)."""
        if widget is self._middle or isinstance(widget, TouchButton):
            return widget.minimumSizeHint().width()
        return widget.sizeHint().width()

    def _natural(self, widget: QWidget) -> int:
        return self._least(widget) if widget is self._middle else widget.sizeHint().width()

    def _gaps(self, widgets: Sequence[QWidget]) -> int:
        return self._spacing * max(0, len(widgets) - 1)

    def rows(self, width: int, parts: Sequence[QWidget] | None = None) -> list[list[QWidget]]:
        """The widgets on each row at ``width`` px (of ``parts``, by default all shown):
        in order, as many on a row as fit, a button wrapping its words onto more lines
        before a part takes a new row."""
        rows: list[list[QWidget]] = []
        current: list[QWidget] = []
        used = 0  # the least widths of the current row, and the gaps between them
        for widget in self._shown(self._all()) if parts is None else parts:
            least = self._least(widget)
            if current and used + self._spacing + least > width:
                rows.append(current)
                current, used = [], 0
            used += least + (self._spacing if current else 0)
            current.append(widget)
        if current:
            rows.append(current)
        return rows

    def widths(self, row: Sequence[QWidget], width: int) -> dict[QWidget, int]:
        """Each part's width on a row ``width`` px wide: natural widths while they fit;
        else the buttons that can wrap give up their slack, in proportion to it."""
        widths = {w: self._natural(w) for w in row}
        over = sum(widths.values()) + self._gaps(row) - width
        if over > 0:
            slack = {w: widths[w] - self._least(w) for w in row if w is not self._middle}
            total = sum(slack.values())
            for w, spare in slack.items():
                if total:
                    widths[w] -= min(spare, -(-over * spare // total))  # rounded up
        return {w: min(given, width) for w, given in widths.items()}

    def _row_height(self, row: list[QWidget], width: int) -> int:
        widths = self.widths(row, width)
        return max(
            w.height_for(widths[w]) if isinstance(w, TouchButton) else w.sizeHint().height()
            for w in row
        )

    def _height(self, rows: list[list[QWidget]], width: int) -> int:
        heights = [self._row_height(row, width) for row in rows if row]
        return sum(heights) + self._spacing * max(0, len(heights) - 1)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._height(self.rows(width), width)

    def sizeHint(self) -> QSize:
        shown = self._shown(self._all())
        width = sum(map(self._natural, shown)) + self._gaps(shown)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        """As narrow as the widest part; as tall as the rows need at the width it has
        now (a window's minimum size ignores heightForWidth: the narrowest arrangement's
        height would hold every screen to it)."""
        least = max(map(self._least, self._shown(self._all())), default=0)
        return QSize(least, self.heightForWidth(max(self.width(), least, 1)))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # a part's size or visibility changed
            self.updateGeometry()
            self._place()
        return super().event(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()  # the rows, and so the height, may change
        self._place()

    def _place(self) -> None:
        width, y = self.width(), 0
        for row in self.rows(width):
            height = self._row_height(row, width)
            if row == [self._middle]:
                row[0].setGeometry(0, y, width, height)
            else:  # a part wider than the row gets the row, and wraps its words
                widths = self.widths(row, width)
                left = [w for w in row if w in self._leading]
                right = [w for w in row if w in self._trailing]
                x = 0
                for widget in left:
                    w = widths[widget]
                    widget.setGeometry(x, y, w, height)
                    x += w + self._spacing
                end = width
                for widget in reversed(right):
                    w = widths[widget]
                    end -= w
                    widget.setGeometry(end, y, w, height)
                    end -= self._spacing
                if self._middle in row:  # one row: the middle fills what is between
                    self._middle.setGeometry(x, y, max(0, end - x), height)
            y += height + self._spacing
