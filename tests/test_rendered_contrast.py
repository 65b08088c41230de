"""Contrast measured from the rendered pixels, on every screen, in both themes.

tests/test_contrast.py reads the style sheet's colour pairs; it missed the links, whose
colour came from Qt's palette (blue on the high-contrast black, about 2.4:1). Here
nothing is read from a colour file: each screen is drawn, and each piece of text is
measured where it stands.

- Text, icons, placeholder: a widget is drawn with its text (and icon) and again
  without; the pixels that changed are the text, and the same pixels of the second
  drawing are what lies behind it. The text's contrast is the 95th percentile of the
  per-pixel ratios: the glyphs' solid cores, not their anti-aliased edges.
- Links in an article: each link's own rectangle, from the document's layout; its text
  colour against the most common colour there, the background.
- Control edges: a control's outermost pixels against what lies just outside it.

Thresholds (ACCEPTANCE.md, WCAG 2.2 1.4.6 and 1.4.11): text 7:1, disabled controls'
text included; control edges 3:1 in the standard theme and 7:1 in high contrast
(disabled controls' edges exempt, as 1.4.11 has it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import partial

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap, QTextCursor
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.content.pack import Pack
from kiosk.core.contrast import contrast_ratio
from kiosk.core.patient import DisplaySettings
from kiosk.ui.assembly import KioskParts
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.textview import CardText
from kiosk.ui.window import MainWindow

from conftest import make_kiosk
from helpers import settle

TEXT_MIN = 7.0
EDGE_MIN = {False: 3.0, True: 7.0}  # high contrast or not


def _hex(colour: int) -> str:
    return QColor.fromRgb(colour).name()


def _ratio(a: int, b: int) -> float:
    return contrast_ratio(_hex(a), _hex(b))


def _visible(widget: QWidget, window: MainWindow) -> QRect | None:
    """The part of ``widget`` a patient can see, in window coordinates, or None."""
    if not widget.isVisibleTo(window) or widget.width() < 2 or widget.height() < 2:
        return None
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:  # clipped by scroll areas
        rect &= QRect(parent.mapTo(window, QPoint(0, 0)), parent.size())
        parent = parent.parentWidget()
    rect &= window.rect()
    return rect if rect.width() > 2 and rect.height() > 2 else None


def _covered(widget: QWidget, window: MainWindow) -> bool:
    """True if an overlay (settings panel, idle warning) lies over the widget."""
    where = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    return any(
        overlay.isVisible()
        and not overlay.isAncestorOf(widget)
        and overlay.geometry().intersects(where)
        for overlay in (window.settings_panel, window.idle_overlay)
    )


def _text_ratio(
    window: MainWindow, rect: QRect, hide: Callable[[], Callable[[], None]]
) -> float | None:
    """Draw ``rect`` of the window, hide the text (``hide`` returns how to bring it back),
    draw again: the contrast of the pixels that changed."""
    with_text = window.grab(rect).toImage().convertToFormat(QImage.Format.Format_RGB32)
    restore = hide()
    try:
        without = window.grab(rect).toImage().convertToFormat(QImage.Format.Format_RGB32)
    finally:
        restore()
    ratios = []
    for y in range(with_text.height()):
        for x in range(with_text.width()):
            a, b = with_text.pixel(x, y), without.pixel(x, y)
            if a != b:
                ratios.append(_ratio(a, b))
    if len(ratios) < 12:  # nothing drawn (an empty label, or text scrolled away)
        return None
    ratios.sort()
    return ratios[int(len(ratios) * 0.95)]


def _hide_text(widget: QWidget) -> Callable[[], None]:
    if isinstance(widget, QLineEdit):
        placeholder = widget.placeholderText()
        text = widget.text()
        widget.setPlaceholderText("")
        widget.setText("")

        def restore_line() -> None:
            widget.setPlaceholderText(placeholder)
            widget.setText(text)

        return restore_line
    if isinstance(widget, QLabel):
        label_text = widget.text()
        pixmap = widget.pixmap()
        widget.clear()
        return lambda: widget.setPixmap(pixmap) if label_text == "" else widget.setText(label_text)
    assert isinstance(widget, QAbstractButton)
    button_text, icon = widget.text(), widget.icon()
    widget.setText("")
    widget.setIcon(QIcon())

    def restore_button() -> None:
        widget.setText(button_text)
        widget.setIcon(icon)

    return restore_button


def _link_ratios(window: MainWindow, view: CardText) -> list[tuple[str, float]]:
    """Each link in an article card: (its words, contrast against its background)."""
    image = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    found = []
    block = view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().isAnchor():
                cursor = QTextCursor(view.document())
                cursor.setPosition(fragment.position())
                start = view.cursorRect(cursor)
                cursor.setPosition(fragment.position() + fragment.length())
                end = view.cursorRect(cursor)
                if start.top() == end.top():  # a link on one line (all the bundled ones)
                    local = QRect(
                        start.left(), start.top(), end.left() - start.left(), start.height()
                    )
                    rect = QRect(view.viewport().mapTo(window, local.topLeft()), local.size())
                    pixels = [
                        image.pixel(x, y)
                        for y in range(rect.top(), rect.bottom() + 1)
                        for x in range(rect.left(), rect.right() + 1)
                    ]
                    background = Counter(pixels).most_common(1)[0][0]
                    ratios = sorted(_ratio(p, background) for p in pixels if p != background)
                    found.append((fragment.text(), ratios[int(len(ratios) * 0.95)]))
            it += 1
        block = block.next()
    return found


def _edge_ratio(image: QImage, rect: QRect) -> float:
    """How well a control stands out from what surrounds it, at the middle of each side
    (where no rounded corner is): a pixel just outside against the control's first 12
    pixels inward, the best of them (its border, or its fill where the border is a
    thin accent). The median of the four sides: one may touch a neighbour."""
    mid_x, mid_y = rect.center().x(), rect.center().y()
    sides = [
        ((rect.left() - 3, mid_y), (1, 0), (rect.left(), mid_y)),
        ((rect.right() + 3, mid_y), (-1, 0), (rect.right(), mid_y)),
        ((mid_x, rect.top() - 3), (0, 1), (mid_x, rect.top())),
        ((mid_x, rect.bottom() + 3), (0, -1), (mid_x, rect.bottom())),
    ]
    ratios = []
    for (ox, oy), (dx, dy), (ix, iy) in sides:
        if not image.rect().contains(ox, oy):
            continue
        outside = image.pixel(ox, oy)
        ratios.append(
            max(_ratio(outside, image.pixel(ix + dx * d, iy + dy * d)) for d in range(12))
        )
    ratios.sort()
    return ratios[len(ratios) // 2] if ratios else 21.0


# --- the screens ---------------------------------------------------------------------


def _welcome(k: KioskParts) -> None:
    pass


def _home(k: KioskParts) -> None:
    w = k.window
    w.attract.started.emit()


def _article_with_link(k: KioskParts) -> None:
    w = k.window
    _home(k)
    k.navigator.open_article("heart-attack")
    w.reader.show_card(3)  # "High blood pressure" links to its article


def _sensitive_article(k: KioskParts) -> None:
    _home(k)
    k.navigator.open_article("harm-reduction-therapy")  # the crisis banner


def _last_card(k: KioskParts) -> None:
    w = k.window
    _home(k)
    k.navigator.open_article("harm-reduction-therapy")
    assert w.reader.article is not None
    w.reader.show_card(len(w.reader.article.sections) - 1)


def _terms_keys(k: KioskParts) -> None:
    w = k.window
    _home(k)
    k.navigator.open_terms()
    w.terms.letters.button("H").click()
    w.terms.open_keyboard()


def _terms_typing(k: KioskParts) -> None:
    w = k.window
    _home(k)
    k.navigator.open_terms()
    w.terms.open_keyboard()  # an empty field: its placeholder shows


def _settings(k: KioskParts) -> None:
    _home(k)
    k.navigator.open_settings()


def _idle_warning(k: KioskParts) -> None:
    _article_with_link(k)
    k.idle.monitor.idle.emit()


def _pin_pad(k: KioskParts) -> None:
    w = k.window
    _home(k)
    w.corner.triggered.emit()


SCREENS: dict[str, Callable[[KioskParts], None]] = {
    "welcome": _welcome,
    "home": _home,
    "article with a link": _article_with_link,
    "sensitive article": _sensitive_article,
    "last card": _last_card,
    "A-Z with a letter and keys": _terms_keys,
    "A-Z search field": _terms_typing,
    "settings": _settings,
    "idle warning": _idle_warning,
    "PIN pad": _pin_pad,
}


def _text_failures(window: MainWindow) -> tuple[int, list[str]]:
    """How many texts were measured, and those below TEXT_MIN."""
    failures: list[str] = []
    measured = 0
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, (QLabel, QAbstractButton, QLineEdit)):
            continue
        if isinstance(widget, QLineEdit) and not (widget.text() or widget.placeholderText()):
            continue
        rect = _visible(widget, window)
        if rect is None or _covered(widget, window):
            continue
        ratio = _text_ratio(window, rect, partial(_hide_text, widget))
        name = (
            widget.accessibleName() or getattr(widget, "text", lambda: "")() or widget.objectName()
        )
        if ratio is not None:
            measured += 1
            if ratio < TEXT_MIN:
                failures.append(f"text {type(widget).__name__} '{name[:30]}': {ratio:.2f}:1")
    return measured, failures


def _edge_failures(window: MainWindow, high_contrast: bool) -> list[str]:
    """The controls whose edge is below EDGE_MIN against what is around them."""
    failures: list[str] = []
    image = window.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, (QPushButton, QLineEdit)):
            continue
        rect = _visible(widget, window)
        if rect is None or _covered(widget, window) or rect.size() != widget.size():
            continue  # an edge only where the whole control shows
        if not widget.isEnabled():
            continue  # WCAG 2.2 1.4.11 exempts inactive controls; their text is measured
        ratio = _edge_ratio(image, rect)
        if ratio < EDGE_MIN[high_contrast]:
            name = widget.accessibleName() or widget.objectName()
            failures.append(f"edge {type(widget).__name__} '{name[:30]}': {ratio:.2f}:1")
    return failures


@pytest.mark.parametrize("high_contrast", [False, True], ids=["standard", "high-contrast"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_text_link_and_edge_has_its_contrast_in_pixels(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str, screen: str, high_contrast: bool
) -> None:
    parts = make_kiosk(qtbot, bundled_pack, theme, pin_hash)
    window = parts.window
    window.resize(1366, 768)
    window.session.set_settings(DisplaySettings(high_contrast=high_contrast))
    SCREENS[screen](parts)
    settle(qtbot)
    measured, failures = _text_failures(window)
    failures += _edge_failures(window, high_contrast)
    links = []
    if window.reader.isVisible() and not _covered(window.reader.text, window):
        links = _link_ratios(window, window.reader.text)
        failures += [f"link '{words}': {r:.2f}:1" for words, r in links if r < TEXT_MIN]
    if screen == "article with a link":
        assert links, "the card's link was not found"
    assert measured >= 3, f"only {measured} texts measured on {screen}"
    assert not failures, "\n".join(failures)


def _fill(widget: QWidget) -> int:
    """A control's fill: the most common colour of its drawing."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    colours = Counter(
        image.pixel(x, y) for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
    )
    return colours.most_common(1)[0][0]


def _pressed_ratios(
    window: MainWindow, button: QPushButton, rect: QRect
) -> list[tuple[str, float]]:
    """A pressed button's words, its icon and the words of the labels on it (a card's
    title and summary), each measured alone: what a patient's eye meets under a finger."""

    # Hidden in place: an empty text or icon would move the other one.
    def without_text() -> Callable[[], None]:
        button.setStyleSheet("color: transparent;")  # a widget's own sheet wins
        return lambda: button.setStyleSheet("")

    def without_icon() -> Callable[[], None]:
        icon = button.icon()
        blank = QPixmap(button.iconSize())
        blank.fill(QColor(0, 0, 0, 0))
        button.setIcon(QIcon(blank))
        return lambda: button.setIcon(icon)

    parts: list[tuple[str, Callable[[], Callable[[], None]]]] = []
    if button.text():
        parts.append(("words", without_text))
    if not button.icon().isNull():
        parts.append(("icon", without_icon))
    for label in button.findChildren(QLabel):
        if label.isVisible() and label.text():
            parts.append((f"'{label.text()[:16]}'", partial(_hide_text, label)))
    ratios = []
    for what, hide in parts:
        ratio = _text_ratio(window, rect, hide)
        if ratio is not None:
            ratios.append((what, ratio))
    return ratios


@pytest.mark.parametrize("high_contrast", [False, True], ids=["standard", "high-contrast"])
def test_a_pressed_button_changes_its_fill_and_its_words_keep_their_contrast(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str, high_contrast: bool
) -> None:
    """Under a finger, every kind of button shows it is pressed by its fill, not a thin
    edge a patient's own finger covers (issue 12); its words, the labels on it and its
    icon keep their contrast (7:1 for words; icons 3:1, 7:1 in high contrast)."""
    parts = make_kiosk(qtbot, bundled_pack, theme, pin_hash)
    window = parts.window
    window.resize(1366, 768)
    window.session.set_settings(DisplaySettings(high_contrast=high_contrast))
    failures, kinds = [], set()
    steps = [SCREENS[name] for name in ("home", "sensitive article", "last card")]
    steps += [SCREENS["A-Z with a letter and keys"], lambda k: k.window.terms.close_keyboard()]
    steps += [SCREENS["settings"]]
    for step in steps:
        step(parts)
        settle(qtbot)
        for button in window.findChildren(QPushButton):
            role = str(button.property("role") or "")
            kind = f"{role}{' checked' if button.isChecked() else ''}"
            rect = _visible(button, window)
            if kind in kinds or not button.isEnabled() or rect is None:
                continue
            if _covered(button, window) or rect.size() != button.size():
                continue
            kinds.add(kind)
            before = _fill(button)
            button.setDown(True)
            try:
                after = _fill(button)
                ratios = _pressed_ratios(window, button, rect)
            finally:
                button.setDown(False)
            name = f"{kind or 'plain'} '{button.accessibleName()[:20]}'"
            if after == before:
                failures.append(f"{name}: the same fill pressed, {_hex(after)}")
            for what, ratio in ratios:
                least = EDGE_MIN[high_contrast] if what == "icon" else TEXT_MIN
                if ratio < least:
                    failures.append(f"{name}: {what} {ratio:.2f}:1 when pressed")
    wanted = {"primary", "secondary", "card", "entry-card", "result", "letter", "key", "danger"}
    assert wanted | {"choice", "choice checked"} <= kinds
    assert not failures, "\n".join(failures)
