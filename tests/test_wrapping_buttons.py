"""Buttons wrap their words rather than cut them off, and no word of a pack can make a
button, and so the window, wider than the screen (WCAG 2.2 1.4.4 and 1.4.10; issue 12).

"Heart Attac" cut off at 200% was a button given less than its text's width: now it shows the
text on more lines and asks for their height. A 40-letter "word" in a pack's title
would then make the button, and the locked full-screen window, wider than a 768 px
screen: such a word breaks inside itself, as CSS's overflow-wrap does.
"""

from __future__ import annotations

from typing import cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from kiosk.core.content.catalogue import Listed
from kiosk.core.content.pack import Kind
from kiosk.core.patient import DisplaySettings
from kiosk.ui.assembly import KioskParts
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.window import MainWindow

from helpers import clipped

pytestmark = pytest.mark.gui

WORDS = st.lists(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzáéñ", min_size=1, max_size=60),
    min_size=1,
    max_size=6,
).map(" ".join)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=WORDS, share=st.floats(min_value=0.0, max_value=1.0))
def test_a_narrow_button_shows_every_letter_within_its_width(
    qtbot: QtBot, text: str, share: float
) -> None:
    button = TouchButton(text, role="secondary")
    qtbot.addWidget(button)
    button.setStyleSheet("font-size: 52px;")  # 200% text
    button.show()  # resize events reach shown widgets
    least, natural = button.minimumSizeHint().width(), button.sizeHint().width()
    width = round(least + share * max(0, natural - least))
    button.resize(width, button.sizeHint().height())
    button.resize(width, button.sizeHint().height())  # the height its lines ask for
    shown = button.shown_text()
    assert shown.replace("\n", "").replace(" ", "") == text.replace(" ", "")  # nothing lost
    assert clipped(button) == ""
    em = QFontMetrics(button.font()).horizontalAdvance("M")
    assert least <= 11 * em + 80  # LONGEST_WORD_EM, plus padding: never a screen's width


def _home_with(window: MainWindow, title: str) -> None:
    listed = [Listed(f"a{i}", title, "A summary.", Kind.TERM) for i in range(4)]
    window.home.show_articles("Health information", [], listed)


@pytest.mark.parametrize("size", [(1024, 768), (768, 1024)])
def test_a_packs_longest_word_never_widens_the_window(
    window: MainWindow, size: tuple[int, int]
) -> None:
    window.session.open_home()
    window.session.set_settings(DisplaySettings(text_scale=2.0))
    _home_with(window, "Pneumonoultramicroscopicsilicovolcanoconiosis of the lungs")
    for _ in range(4):
        QCoreApplication.processEvents()
    window.resize(*size)
    for _ in range(4):  # the wrapped buttons ask for their height, the grid gives it
        QCoreApplication.processEvents()
    least = window.minimumSizeHint()
    assert least.width() <= size[0] and least.height() <= size[1], least
    cut = [
        f"{b.text()[:20]}: {clipped(b)}"
        for b in window.home.findChildren(TouchButton)
        if b.isVisible() and clipped(b)
    ]
    assert cut == []


class _CountingMetrics:
    """Widths of 10 px a character, counting the characters it was asked to measure:
    wrapping must measure each about once, not each line again for every word. It stands
    in for the QFontMetrics wrap_words takes, which it measures with horizontalAdvance."""

    def __init__(self) -> None:
        self.asked = 0

    def horizontalAdvance(self, text: str) -> int:
        self.asked += len(text)
        return 10 * len(text)


def test_wrapping_a_40_kb_title_measures_each_word_a_few_times() -> None:
    """A pack's 40 kB related title held the GUI thread 100 s (the watchdog kills at
    30 s): each word measured the whole line so far. Now a line's width adds up."""
    from kiosk.ui.widgets.text_fit import wrap_words

    title = "word " * 8000
    for width in (600, 524_287):  # a button's; the widest a Qt layout asks about
        metrics = _CountingMetrics()
        wrapped = wrap_words(title, cast(QFontMetrics, metrics), width)
        assert metrics.asked <= 3 * len(title)
        assert max(len(line) for line in wrapped.split("\n")) * 10 <= width
    metrics = _CountingMetrics()
    wrap_words("W" * 40_000, cast(QFontMetrics, metrics), 600)  # one unbreakable run
    assert metrics.asked <= 4 * 40_000


@pytest.mark.parametrize(
    "crisis",
    ["Call 911 now.", "Call " + "A" * 500, "\u00a0".join(["overdose"] * 200)],
    ids=["one line", "a 500-letter run", "no-break spaces"],
)
def test_every_word_of_a_crisis_text_and_quick_exit_show(
    window: MainWindow, parts: KioskParts, crisis: str
) -> None:
    """A one-line crisis text once left Quick exit squeezed ("Quick / exit" cut off: its
    parts were placed only on a resize), and a run with no space ran off the banner."""
    window.session.open_home()
    parts.navigator.open_article("harm-reduction-therapy")
    banner = window.reader.banner
    banner.show_text(crisis)
    for _ in range(4):
        QCoreApplication.processEvents()
    assert clipped(banner.exit_button) == ""
    [label] = [t for t in banner.findChildren(QLabel) if t.property("role") == "banner-text"]
    viewport = label.parentWidget()  # the banner's words scroll, up and down only
    assert viewport is not None
    assert label.width() <= viewport.width()  # nothing off to the side
    assert clipped(label) == ""


def test_balanced_lines_never_break_a_word_that_fits(qtbot: QtBot) -> None:
    """ "Quick exit" at 200% in a narrow banner came out "Quic / k exit": balancing the
    two lines searched widths narrower than "Quick" itself."""
    from kiosk.ui.widgets.text_fit import wrap_words

    button = TouchButton("Quick exit", role="danger")
    qtbot.addWidget(button)
    metrics = QFontMetrics(button.font())
    for width in range(metrics.horizontalAdvance("Quick"), metrics.horizontalAdvance("Quick exit")):
        assert wrap_words("Quick exit", metrics, width) == "Quick\nexit"


def test_a_search_box_shows_the_longest_hint_that_fits_never_a_cut_one(qtbot: QtBot) -> None:
    """Qt cuts a hint too long for its box short ("Type a hea..."): the box takes the
    longest of its hints that fits, as the box narrows and widens again, and it is
    never narrower than its shortest hint."""
    from PySide6.QtWidgets import QStyle, QStyleOptionFrame, QWidget

    from kiosk.ui.widgets.line_edit import TouchLineEdit

    page = QWidget()  # a child resizes at once; a window waits for its platform
    qtbot.addWidget(page)
    box = TouchLineEdit(page)
    box.set_placeholders("Type a health word", "Type here", "Search")
    page.resize(2100, 200)
    page.show()
    advance = box.fontMetrics().horizontalAdvance
    box.resize(2000, 64)
    option = QStyleOptionFrame()
    box.initStyleOption(option)
    option.state |= QStyle.StateFlag.State_HasFocus  # a style sheet's focus border, if thicker
    contents = box.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, box)
    chrome = box.width() - contents.width() + 4  # frame, padding, Qt's 2 px a side
    assert box.minimumSizeHint().width() >= chrome + advance("Search")
    for width, shown in (
        (chrome + advance("Type a health word") + 2, "Type a health word"),
        (chrome + advance("Type a health word") - 2, "Type here"),
        (chrome + advance("Type here") - 2, "Search"),
        (chrome + advance("Search"), "Search"),
        (2000, "Type a health word"),
    ):
        box.resize(width, 64)
        assert box.placeholderText() == shown, width
        assert clipped(box) == "", width


def test_a_hint_that_fits_still_fits_once_the_box_has_the_focus(qtbot: QtBot, theme: Theme) -> None:
    """The kiosk's style sheet draws a thicker border round the box with the focus: at
    800x1280 and 200% text, "Type a health word" fitted by 2 px until the patient tapped
    the box, and was then cut short. The hint chosen fits either way, and a tap keeps it."""
    from PySide6.QtWidgets import QWidget

    from kiosk.ui.widgets.line_edit import TouchLineEdit

    page = QWidget()
    qtbot.addWidget(page)
    box = TouchLineEdit(page)
    box.set_placeholders("Type a health word", "Type here", "Search")
    page.resize(2100, 200)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    least = box.minimumSizeHint().width()
    for width in range(
        least, least + 2 * box.fontMetrics().horizontalAdvance("Type a health word")
    ):
        box.clearFocus()
        box.resize(width, 64)  # the hint is chosen without the focus
        hint = box.placeholderText()
        assert clipped(box) == "", (width, hint)
        box.setFocus()
        assert box.hasFocus()
        assert (box.placeholderText(), clipped(box)) == (hint, ""), width
