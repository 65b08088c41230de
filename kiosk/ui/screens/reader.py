"""One article as cards: swipe or tap Previous/Next, with '2 of 6' and dots.

The last card offers related articles as buttons and, when the article has a url,
a QR code to take home. A sensitive article shows the pack's crisis banner and a
Quick exit button on every card.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QCoreApplication,
    QEasingCurve,
    QEvent,
    QLocale,
    QMargins,
    QPoint,
    QPropertyAnimation,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.content.pack import Article
from kiosk.core.content.plaintext import breakable
from kiosk.ui.theme import Look, Theme, keep_kiosk_font
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.widgets.flow import ButtonFlow
from kiosk.ui.widgets.icons import themed_icon
from kiosk.ui.widgets.labels import FitLabel, Label
from kiosk.ui.widgets.layout import add_layout, discard
from kiosk.ui.widgets.progress import CardProgress
from kiosk.ui.widgets.qr import qr_pixmap
from kiosk.ui.widgets.scrolling import kinetic_scroll_area
from kiosk.ui.widgets.slidecover import SlideCover
from kiosk.ui.widgets.swipe import SwipeDetector
from kiosk.ui.widgets.textview import CardText

ReadFile = Callable[[str], bytes | None]  # a pack file by its path in the pack


def _no_files(_relative: str) -> bytes | None:
    return None


SIDE_PX = 48  # the page's margin on each side, at least
LINE_CHARS = 70  # the longest line, in average characters: about 70 reads best
# What an average character is: measured on running text (spaces and all), not on the
# font's own average, which counts capitals and wide symbols and gives 85-char lines.
_SAMPLE = "A heart attack happens when blood flow to part of your heart is blocked."
CARD_LEAST_LINES = 3  # the card keeps room for this many lines under the crisis banner
SLIDE_MS = 220  # long enough to show where the card went, short enough not to wait for


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

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            QTimer.singleShot(0, self._place)  # once the parts have their new font

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


class _Column(QWidget):
    """The reader's centred column: as wide as a comfortable line allows, narrower
    when the screen is (a layout gives a centred widget its size hint's width)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._width = 1200

    def set_width(self, width: int) -> None:
        if width != self._width:
            self._width = width
            self.updateGeometry()

    def sizeHint(self) -> QSize:
        return QSize(self._width, super().sizeHint().height())


class ReaderPage(QWidget):
    listen_requested = Signal(str)  # the card's plain text
    stop_requested = Signal()
    repeat_requested = Signal()
    card_changed = Signal(int)
    article_chosen = Signal(str)
    quick_exit = Signal()
    home_requested = Signal()  # "Home" on the last card

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._article: Article | None = None
        self._read_file: ReadFile = _no_files
        self._card = 0
        self.banner = CrisisBanner(self)
        self.banner.quick_exit.connect(self.quick_exit)
        # Below the crisis banner, the article's title and its card scroll as one page
        # (the card as tall as its words, the extras on the last card after them), so
        # large text on a small screen is never cut off and never squeezed: only the
        # banner (with Quick exit) and the footer (Previous, Next) stay in place.
        inner = QWidget()
        inner.setObjectName("reader-body")
        self.body = kinetic_scroll_area(inner, self)
        self.body.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the page takes the keys
        self._title = FitLabel(inner)
        self._title.setProperty("role", "hero-title")
        self._title.setWordWrap(True)
        self._review_note = Label(inner)
        self._review_note.setProperty("role", "hint")
        self._review_note.setWordWrap(True)
        self._review_note.hide()
        self._card_frame = QFrame(inner)
        self._card_frame.setProperty("role", "card")
        # What to do now ("Call 911 now if..."), first on the first card: a calm,
        # distinct callout, and the first thing read aloud.
        self._urgent = QFrame(self._card_frame)
        self._urgent.setProperty("role", "urgent")
        self._urgent_text = Label(self._urgent)
        self._urgent_text.setProperty("role", "urgent-text")
        self._urgent_text.setWordWrap(True)
        urgent_layout = QHBoxLayout(self._urgent)
        urgent_layout.setContentsMargins(20, 14, 20, 14)
        urgent_layout.addWidget(self._urgent_text, 1)
        self._urgent.hide()
        self._card_title = FitLabel(self._card_frame)
        self._card_title.setProperty("role", "card-title")
        self._card_title.setWordWrap(True)
        self.text = CardText(self._card_frame)
        self.text.article_link.connect(self.article_chosen)
        self._extras = QWidget(self._card_frame)
        self._extras_layout = QGridLayout(self._extras)
        self._extras_layout.setContentsMargins(0, 0, 0, 0)
        self._extras_layout.setSpacing(12)
        self._extras_layout.setColumnStretch(1, 1)  # the QR code's words take the rest
        # Read aloud: Listen speaks this card; while it speaks, Stop; afterwards, Repeat.
        self.listen_button = TouchButton(role="secondary")
        self.stop_button = TouchButton(role="secondary")
        self.repeat_button = TouchButton(role="secondary")
        self.listen_button.clicked.connect(self._listen)
        self.stop_button.clicked.connect(self.stop_requested)
        self.repeat_button.clicked.connect(self.repeat_requested)
        header = QHBoxLayout()
        header.setSpacing(12)
        header.addStretch(1)
        for button in (self.listen_button, self.stop_button, self.repeat_button):
            header.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        self._read_aloud = False
        self._speaking = False
        self._read_this_card = False  # Repeat appears once something was read
        # The last card ends somewhere, not on a dead Next: Home takes Next's place, and
        # "Back to start" follows the card's text (with what to read next), so the
        # footer stays one row on small screens at 200%.
        self.start_button = TouchButton(role="secondary")
        self.start_button.clicked.connect(self._back_to_start)
        card_layout = QVBoxLayout(self._card_frame)
        self._card_margins = QMargins(36, 28, 36, 28)
        card_layout.setContentsMargins(self._card_margins)
        card_layout.setSpacing(12)
        add_layout(card_layout, header)
        card_layout.addWidget(self._urgent)
        card_layout.addWidget(self._card_title)
        card_layout.addWidget(self.text)
        card_layout.addWidget(self._extras)
        card_layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignLeft)
        card_layout.addStretch(1)
        body_layout = QVBoxLayout(inner)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(16)
        body_layout.addWidget(self._title)
        body_layout.addWidget(self._review_note)
        body_layout.addWidget(self._card_frame, 1)
        self.previous_button = TouchButton(role="secondary")
        self.next_button = TouchButton(role="primary")
        self.previous_button.clicked.connect(self.show_previous)
        self.next_button.clicked.connect(self.show_next)
        self.home_button = TouchButton(role="primary")
        self.home_button.clicked.connect(self.home_requested)
        self.progress = CardProgress(self)
        self._footer = footer = ButtonFlow(self)
        footer.set_parts(
            [self.previous_button],
            self.progress,
            [self.home_button, self.next_button],
        )
        # Previous and Next keep the kiosk's font in the easier-to-read mode, as the
        # top bar does: in OpenDyslexic at 200% the footer took two rows of a 768 px
        # screen, and the card was left three lines.
        keep_kiosk_font(footer)
        self.banner.set_height_cap(self._banner_room)  # now that the footer exists
        self._column = _Column(self)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(SIDE_PX, 20, SIDE_PX, 24)
        outer.addWidget(self._column, 1, Qt.AlignmentFlag.AlignHCenter)
        layout = QVBoxLayout(self._column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(self.banner)
        layout.addWidget(self.body, 1)
        layout.addWidget(footer)
        self._swipe = SwipeDetector(self)
        # A swipe anywhere on the page turns the card: on its words, on the card, or on
        # the wide margins beside the column on a big screen.
        for surface in (self, self._column, self.body.viewport(), self._card_frame):
            self._swipe.watch(surface)
        self._swipe.watch(self.text.viewport())
        self._swipe.swiped_left.connect(self.show_next)
        self._swipe.swiped_right.connect(self.show_previous)
        self._extra_widgets: list[QWidget] = []
        self._related: list[tuple[str, str]] = []
        # The old card slides away over the new one. One cover and one animation are
        # reused for every turn, so months of swiping create no new objects.
        self._animated = True
        self._cover = SlideCover(self)
        self.slide = QPropertyAnimation(self._cover, b"pos", self)
        self.slide.setDuration(SLIDE_MS)
        self.slide.setEasingCurve(QEasingCurve.Type.OutCubic)
        self.slide.finished.connect(self._cover.hide)
        self.next_button.setLayoutDirection(Qt.LayoutDirection.RightToLeft)  # icon after text
        self.retranslate()
        self._sync_listen()

    def retranslate(self) -> None:
        previous = QCoreApplication.translate("ReaderPage", "Previous")
        following = QCoreApplication.translate("ReaderPage", "Next")
        for button, label in (
            (self.previous_button, previous),
            (self.next_button, following),
            (self.start_button, QCoreApplication.translate("ReaderPage", "Back to start")),
            (self.home_button, QCoreApplication.translate("ReaderPage", "Home")),
            (self.listen_button, QCoreApplication.translate("ReaderPage", "Listen")),
            (self.stop_button, QCoreApplication.translate("ReaderPage", "Stop")),
            (self.repeat_button, QCoreApplication.translate("ReaderPage", "Repeat")),
        ):
            button.setText(label)
            button.setAccessibleName(label)
        self._review_note.setText(
            QCoreApplication.translate(
                "ReaderPage",
                "Our staff are checking that this page is still up to date. "
                "If you have questions, please ask at the front desk.",
            )
        )
        self.listen_button.setAccessibleDescription(
            QCoreApplication.translate("ReaderPage", "Read this card out loud")
        )

    def restyle(self, theme: Theme) -> None:
        self.previous_button.setIcon(themed_icon("previous", theme.colors["on_secondary"]))
        self.next_button.setIcon(themed_icon("next", theme.colors["on_primary"]))
        self.start_button.setIcon(themed_icon("previous", theme.colors["on_secondary"]))
        self.home_button.setIcon(themed_icon("home", theme.colors["on_primary"]))
        for button, icon in (
            (self.listen_button, "speaker"),
            (self.stop_button, "stop"),
            (self.repeat_button, "repeat"),
        ):
            button.setIcon(themed_icon(icon, theme.colors["on_secondary"]))

    # --- read aloud -------------------------------------------------------------------

    def set_read_aloud(self, enabled: bool) -> None:
        """Show the Listen buttons (only when read aloud is on and an engine works)."""
        self._read_aloud = enabled
        self._sync_listen()

    def set_speaking(self, speaking: bool) -> None:
        self._speaking = speaking
        self._read_this_card = self._read_this_card or speaking
        self._sync_listen()

    def _sync_listen(self) -> None:
        on = self._read_aloud
        self.listen_button.setVisible(on and not self._speaking)
        self.stop_button.setVisible(on and self._speaking)
        self.repeat_button.setVisible(on and not self._speaking and self._read_this_card)

    def card_text(self) -> str:
        article = self._article
        if article is None:
            return ""
        section = article.sections[self._card]
        text = section.text if section.title else f"{article.title}.\n\n{section.text}"
        if self._card == 0 and article.urgent:  # what to do now comes first
            text = f"{article.urgent}\n\n{text}"
        return text

    def _listen(self) -> None:
        self.listen_requested.emit(self.card_text())

    # --- showing ----------------------------------------------------------------------

    def show_article(
        self,
        article: Article,
        read_file: ReadFile,
        *,
        banner: str,
        related: list[tuple[str, str]],
        card: int = 0,
        review_due: bool = False,
    ) -> None:
        """Show ``article``; ``related`` holds (slug, title) of the articles it suggests.

        ``read_file`` gives the pack's files (its images), checked as Pack.read_file
        checks them. ``review_due`` adds a note that the article is past its review date (the pack's
        "flag" policy)."""
        self._article = article
        self._review_note.setVisible(review_due)
        self._related = related
        self._read_file = read_file
        self._title.setText(article.title)
        self.banner.setVisible(article.sensitive)
        if article.sensitive:
            self.banner.show_text(banner)
        self.show_card(card)
        self.setFocus()  # no focus ring on any one control until a keypad user tabs

    @property
    def article(self) -> Article | None:
        return self._article

    @property
    def card(self) -> int:
        return self._card

    def show_card(self, index: int) -> None:
        article = self._article
        if article is None:
            return
        self._card = max(0, min(index, len(article.sections) - 1))
        section = article.sections[self._card]
        title = section.title or article.title
        # The intro card sits right under the article title; a second copy is noise.
        self._card_title.setText(section.title)
        self._card_title.setVisible(bool(section.title))
        self._urgent_text.setText(article.urgent)
        self._urgent.setVisible(self._card == 0 and bool(article.urgent))
        self.text.show_html(section.html, self._read_file, title)
        self.body.verticalScrollBar().setValue(0)
        self.progress.show_position(self._card, len(article.sections))
        if self._speaking:
            self.stop_requested.emit()  # a new card: stop reading the old one
        self._read_this_card = False
        self._sync_listen()
        last = self._card == len(article.sections) - 1
        self.previous_button.setEnabled(self._card > 0)
        self.next_button.setVisible(not last)
        self.home_button.setVisible(last)
        self.start_button.setVisible(last and self._card > 0)
        self._show_extras(last)
        self.card_changed.emit(self._card)

    def _back_to_start(self) -> None:
        self._slide_away(+1)
        self.show_card(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        bar = self.body.verticalScrollBar()
        steps = {
            Qt.Key.Key_Down: bar.singleStep() * 3,
            Qt.Key.Key_Up: -bar.singleStep() * 3,
            Qt.Key.Key_PageDown: bar.pageStep(),
            Qt.Key.Key_PageUp: -bar.pageStep(),
        }
        if event.key() == Qt.Key.Key_Right:
            self.show_next()
        elif event.key() == Qt.Key.Key_Left:
            self.show_previous()
        elif event.key() in steps:  # a keypad scrolls the card, as a finger does
            bar.setValue(bar.value() + steps[Qt.Key(event.key())])
        else:
            super().keyPressEvent(event)

    def show_next(self) -> None:
        if self._article and self._card < len(self._article.sections) - 1:
            self._slide_away(-1)
            self.show_card(self._card + 1)

    def show_previous(self) -> None:
        if self._card > 0:
            self._slide_away(+1)
            self.show_card(self._card - 1)

    def set_animated(self, animated: bool) -> None:
        """Reduce motion turns the slide off; the card then simply changes."""
        self._animated = animated
        if not animated:
            self.slide.stop()
            self._cover.hide()

    def _slide_away(self, direction: int) -> None:
        if not self._animated or not self.body.isVisible():
            return
        self.slide.stop()
        # What the patient sees of the title and the card slides away: the body's view.
        self._cover.take_picture_of(self.body)
        self._cover.show()
        self._cover.raise_()
        start = self._cover.pos()
        self.slide.setStartValue(start)
        self.slide.setEndValue(start + QPoint(direction * (self._cover.width() + 48), 0))
        self.slide.start()

    def _column_px(self) -> int:
        """How wide the page's column may be, in px: lines of about LINE_CHARS average
        characters of the card's font (WCAG 2.2 1.4.8 asks at most 80), plus the card's
        own margins and scroll bar."""
        card = self._card_margins
        return (
            self.text.fontMetrics().horizontalAdvance(_SAMPLE) * LINE_CHARS // len(_SAMPLE)
            + card.left()
            + card.right()
            + self.body.verticalScrollBar().sizeHint().width()
            + 2 * int(self.text.document().documentMargin())
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.banner.updateGeometry()  # its room follows the page's height

    def _banner_room(self) -> int:
        """The crisis banner stays while the card scrolls: it shows all its words if it
        can, but leaves the card at least ``CARD_LEAST_LINES`` lines (its words scroll
        inside it beyond that). The crisis words come first: on the smallest screens at
        200% those lines may hold only the article's title, and the card scrolls."""
        page = self.layout()
        assert page is not None
        margins = page.contentsMargins()
        spacing = 16 * 2  # banner, card, footer
        footer = self._footer.heightForWidth(max(1, self._column.width()))
        card = CARD_LEAST_LINES * self.text.fontMetrics().lineSpacing()
        used = margins.top() + margins.bottom() + spacing + footer + card
        return self.height() - used

    def set_reading_style(self, look: Look) -> None:
        self.text.set_reading_style(look.font(), look.dyslexia, look.theme.colors["link"])
        self._column.set_width(self._column_px())
        if self._article is not None:
            self.show_card(self._card)

    def _show_extras(self, last_card: bool) -> None:
        for widget in self._extra_widgets:
            self._extras_layout.removeWidget(widget)
            discard(widget)
        self._extra_widgets = []
        article = self._article
        if not last_card or article is None:
            self._extras.hide()
            return
        if self._related:
            heading = Label(QCoreApplication.translate("ReaderPage", "Read next:"), self._extras)
            heading.setProperty("role", "progress")
            self._add_extra(heading, 0, 0, 1, 2)
            # As many on a row as their words allow, then the next row (never cut).
            flow = ButtonFlow(self._extras, spacing=12)
            buttons = []
            for slug, title in self._related:
                button = TouchButton(title, flow, role="secondary")
                button.setProperty("slug", slug)
                button.clicked.connect(self._related_clicked)
                buttons.append(button)
            flow.set_parts(buttons, None, [])
            self._add_extra(flow, 1, 0, 1, 2)
        url = article.url or next((u for s in article.sections for u in s.take_home_urls), None)
        if url:
            code = Label(self._extras)
            code.setPixmap(qr_pixmap(url, module_px=5))
            code.setAccessibleName(QCoreApplication.translate("ReaderPage", "QR code"))
            hint = Label(
                QCoreApplication.translate(
                    "ReaderPage", "Scan with your phone camera to read more at home."
                ),
                self._extras,
            )
            hint.setProperty("role", "hint")
            hint.setWordWrap(True)
            self._add_extra(code, 2, 0)  # under "Read next", so neither is squeezed
            self._add_extra(hint, 2, 1)
        checked = self._checked_line(article)
        if checked:
            note = Label(checked, self._extras)
            note.setProperty("role", "hint")
            note.setWordWrap(True)
            self._add_extra(note, 3, 0, 1, 2)
        self._extras.setVisible(bool(self._extra_widgets))

    @staticmethod
    def _checked_line(article: Article) -> str:
        """ "Reviewed November 2026 · Sources: A, B": patients trust what they can see was
        checked, and by whom. Plain text from the pack (a Label never reads markup)."""
        parts = []
        if article.reviewed is not None:
            month = QLocale(article.locale).standaloneMonthName(article.reviewed.month)
            parts.append(
                QCoreApplication.translate("ReaderPage", "Reviewed %1").replace(
                    "%1", f"{month} {article.reviewed.year}"
                )
            )
        if article.sources:
            parts.append(
                QCoreApplication.translate("ReaderPage", "Sources: %1").replace(
                    "%1", ", ".join(article.sources)
                )
            )
        return " · ".join(parts)

    def _add_extra(self, widget: QWidget, row: int, col: int, rows: int = 1, cols: int = 1) -> None:
        self._extras_layout.addWidget(widget, row, col, rows, cols)
        self._extra_widgets.append(widget)

    def _related_clicked(self) -> None:
        button = self.sender()
        if isinstance(button, TouchButton):
            self.article_chosen.emit(str(button.property("slug")))

    def reset(self) -> None:
        self.slide.stop()
        self._cover.forget()  # a picture of the last patient's card
        self._article = None
        self._card = 0
        self.text.clear()
        self.text.forget_pictures()
        self.body.verticalScrollBar().setValue(0)
        self._show_extras(False)
