"""A patient's path through the kiosk, driven with real clicks on the real window."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_clock import given_clock
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.content.pack import Pack
from kiosk.core.patient import DisplaySettings, Page
from kiosk.ui.assembly import KioskParts
from kiosk.ui.theme import Theme
from kiosk.ui.window import MainWindow

from helpers import button

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton


def tap(qtbot: QtBot, widget: QWidget) -> None:
    """As a finger taps: down, a moment, up. In a kinetic scroll area the press is held
    back until the scroller knows it is not a flick, and arrives when the finger lifts."""
    assert widget.isVisible() and widget.isEnabled(), widget.accessibleName()
    QTest.mousePress(widget, LEFT)
    qtbot.wait(60)
    QTest.mouseRelease(widget, LEFT)


def swipe(widget: QWidget, dx: int) -> None:
    start = widget.rect().center()
    QTest.mousePress(widget, LEFT, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(widget, start + QPoint(dx // 2, 4), 20)
    QTest.mouseRelease(widget, LEFT, Qt.KeyboardModifier.NoModifier, start + QPoint(dx, 8), 20)


def start(qtbot: QtBot, window: MainWindow) -> None:
    assert window.stack.currentWidget() is window.attract
    tap(qtbot, window.attract.start_button)
    assert window.stack.currentWidget() is window.home


def open_topic(qtbot: QtBot, window: MainWindow, title: str = "Harm Reduction Therapy") -> None:
    start(qtbot, window)
    card = button(window.home, title)
    tap(qtbot, card)
    assert window.stack.currentWidget() is window.reader


def test_opens_on_a_welcome_screen_without_the_top_bar(window: MainWindow) -> None:
    assert window.stack.currentWidget() is window.attract
    assert not window.top_bar.isVisible()
    assert window.windowTitle().endswith("attract")


def test_topic_swipe_next_previous_back_home(qtbot: QtBot, window: MainWindow) -> None:
    open_topic(qtbot, window)
    reader = window.reader
    assert reader.progress.text == "1 of 6"
    assert "reader harm-reduction-therapy 1/6" in window.windowTitle()
    tap(qtbot, reader.next_button)
    assert reader.progress.text == "2 of 6"
    swipe(reader.text.viewport(), -300)
    assert reader.progress.text == "3 of 6"
    swipe(reader.text.viewport(), +300)
    assert reader.progress.text == "2 of 6"
    tap(qtbot, reader.previous_button)
    assert reader.progress.text == "1 of 6"
    assert not reader.previous_button.isEnabled()
    tap(qtbot, window.top_bar.back_button)
    assert window.stack.currentWidget() is window.home
    open_card = button(window.home, "Harm Reduction Therapy")
    tap(qtbot, open_card)
    tap(qtbot, window.top_bar.home_button)
    assert window.stack.currentWidget() is window.home
    assert window.session.state.history[-1].page is Page.HOME


def test_a_short_vertical_drag_is_not_a_swipe(qtbot: QtBot, window: MainWindow) -> None:
    open_topic(qtbot, window)
    viewport = window.reader.text.viewport()
    centre = viewport.rect().center()
    QTest.mousePress(viewport, LEFT, Qt.KeyboardModifier.NoModifier, centre)
    QTest.mouseRelease(
        viewport, LEFT, Qt.KeyboardModifier.NoModifier, centre + QPoint(-90, 200), 20
    )
    assert window.reader.progress.text == "1 of 6"


def test_the_old_card_slides_away_as_it_looked(
    qtbot: QtBot, window: MainWindow, parts: KioskParts
) -> None:
    window.session.open_home()
    parts.navigator.open_article("harm-reduction-therapy")
    reader = window.reader
    first_card = reader.body.grab().toImage()  # the title and the card, as seen
    reader.show_next()
    cover = reader.slide_cover
    seen = QRect(reader.body.mapTo(reader, QPoint(0, 0)), reader.body.size())
    assert cover.isVisible() and cover.geometry() == seen
    assert cover.picture.toImage() == first_card  # what the patient just read
    picture = cover.picture
    second_card = reader.body.grab().toImage()
    assert second_card != first_card
    reader.show_next()
    assert cover.picture.toImage() == second_card
    assert cover.picture is picture  # one buffer for every turn
    qtbot.waitUntil(lambda: not cover.isVisible(), timeout=2000)


def test_last_card_offers_related_articles(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(1366, 768)  # a common kiosk screen, where the last card scrolls
    open_topic(qtbot, window)
    clock = given_clock(window.reader.next_button)
    for _ in range(5):
        tap(qtbot, window.reader.next_button)
        clock.past_the_guard_of(window.reader.next_button)  # not a tremor's second tap
    assert window.reader.progress.text == "6 of 6"
    # The last card ends somewhere: no dead Next, but Back to start and Home.
    reader = window.reader
    assert not reader.next_button.isVisible()
    assert reader.start_button.isVisible() and reader.home_button.isVisible()
    related = reader.extras.related_buttons
    # The card's body scrolls here, so the tap below goes through the kinetic scroller
    # (which once swallowed quick taps on buttons inside it).
    qtbot.waitUntil(lambda: reader.body.verticalScrollBar().maximum() > 0)
    assert [b.accessibleName() for b in related] == ["Hallucination", "Heart Attack"]
    tap(qtbot, related[1])
    # In the card's kinetic scroll area a press is held back a moment (a flick or a tap?).
    qtbot.waitUntil(lambda: reader.article is not None and reader.article.title == "Heart Attack")
    tap(qtbot, window.top_bar.back_button)
    assert window.reader.article is not None
    assert window.reader.article.title == "Harm Reduction Therapy"
    assert window.reader.progress.text == "6 of 6"  # back returns to the card you left
    tap(qtbot, reader.start_button)
    qtbot.waitUntil(lambda: reader.progress.text == "1 of 6")
    assert reader.next_button.isVisible()
    reader.show_card(5)
    tap(qtbot, reader.home_button)
    assert window.stack.currentWidget() is window.home


def _card_with_the_link(qtbot: QtBot, parts: KioskParts) -> QTextCursor:
    """Heart Attack's card that links "High blood pressure" to Hypertension, on screen;
    the link's words as a QTextCursor."""
    parts.navigator.open_article("heart-attack")
    reader = parts.window.reader
    article = reader.article
    assert article is not None
    card = next(i for i, s in enumerate(article.sections) if "article:hypertension" in s.html)
    reader.show_card(card)
    qtbot.wait(50)
    found = reader.text.document().find("High blood pressure")
    assert not found.isNull()
    return found


def test_tapping_a_link_in_the_text_opens_that_article(
    qtbot: QtBot, window: MainWindow, parts: KioskParts
) -> None:
    start(qtbot, window)
    found = _card_with_the_link(qtbot, parts)
    reader = window.reader
    spot = reader.text.cursorRect(found).center() - QPoint(40, 0)
    assert reader.text.anchorAt(spot) == "article:hypertension"
    QTest.mouseClick(reader.text.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, spot)
    # The kinetic scroller holds a press back briefly to see if it becomes a flick.
    qtbot.waitUntil(lambda: reader.article is not None and reader.article.slug == "hypertension")


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_a_tap_just_beside_a_link_opens_it_and_one_far_away_does_not(
    qtbot: QtBot, window: MainWindow, parts: KioskParts, scale: float
) -> None:
    """A link is one line tall; a shaky finger lands beside it. Taps half a line above
    and below its words open it (its target is at least 44 px tall, WCAG 2.2 2.5.5);
    a tap two lines away, on plain text, does not."""
    start(qtbot, window)
    window.session.set_settings(DisplaySettings(text_scale=scale))
    found = _card_with_the_link(qtbot, parts)
    reader = window.reader
    words = reader.text.cursorRect(found)
    line = reader.text.fontMetrics().height()
    hits = []
    for dy in (-line // 2 - words.height() // 2, line // 2 + words.height() // 2):
        spot = words.center() + QPoint(-20, dy)
        assert reader.text.anchorAt(spot) == "", "the tap should miss the words"
        hits.append(reader.text.anchor_near(spot))
    far = words.center() + QPoint(-20, 2 * line + words.height())
    assert hits == ["article:hypertension"] * 2
    assert reader.text.anchor_near(far) == ""
    target = 2 * reader.text.link_reach_px() + words.height()
    assert target >= 44, f"the link's target is {target} px tall"
    # Through real mouse events: the near miss above the words opens the article.
    spot = words.center() + QPoint(-20, -line // 2 - words.height() // 2)
    QTest.mouseClick(reader.text.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, spot)
    qtbot.waitUntil(lambda: reader.article is not None and reader.article.slug == "hypertension")


def test_browse_by_letter_and_search_with_the_on_screen_keyboard(
    qtbot: QtBot, window: MainWindow
) -> None:
    start(qtbot, window)
    tap(qtbot, button(window.home, "Health words A to Z"))
    terms = window.terms
    assert window.stack.currentWidget() is terms
    # A letter with no words answers a tap: it says so, and offers what to do instead.
    assert terms.letters.button("Q").property("empty") is True
    tap(qtbot, terms.letters.button("Q"))
    assert terms.letters.button("Q").isChecked() and terms.visible_results() == []
    assert terms.heading.text().startswith("No words start with Q yet.")
    assert terms.heading.isVisible()
    tap(qtbot, terms.letters.button("H"))
    assert terms.letters.button("H").isChecked()  # the chosen letter is marked
    assert len(terms.visible_results()) == 14
    assert not terms.keyboard.isVisible()  # results first; the keys come when asked for
    tap(qtbot, terms.keys_button)
    assert terms.keyboard.isVisible() and not terms.letters.button("H").isVisible()
    keys = {
        k.accessibleName(): k
        for k in terms.keyboard.findChildren(QWidget)
        if k.accessibleName() and k.isVisibleTo(terms.keyboard)
    }
    for letter in "hyper":
        tap(qtbot, keys[letter])
    assert terms.field.text() == "hyper"
    assert terms.visible_results()[0] == "Hypertension"
    tap(qtbot, keys["Delete"])
    assert terms.field.text() == "hype"
    tap(qtbot, terms.clear_button)
    assert terms.field.text() == ""
    assert "All health words" in terms.heading.text()
    tap(qtbot, keys["Hide keys"])
    assert not terms.keyboard.isVisible() and terms.letters.button("H").isVisible()


def test_no_results_offers_the_closest_terms(
    qtbot: QtBot, window: MainWindow, parts: KioskParts
) -> None:
    start(qtbot, window)
    parts.navigator.open_terms()
    QTest.keyClicks(window.terms.field, "hert burm")
    assert "No results" in window.terms.heading.text()
    assert "Heartburn" in window.terms.visible_results()
    tap(qtbot, window.terms.results.tiles[window.terms.visible_results().index("Heartburn")])
    assert window.reader.article is not None and window.reader.article.slug == "heartburn"


def test_quick_exit_is_a_full_reset(qtbot: QtBot, window: MainWindow) -> None:
    open_topic(qtbot, window)
    assert window.reader.banner.isVisible()
    assert "overdosing" in window.reader.banner.words()
    tap(qtbot, window.reader.next_button)
    tap(qtbot, window.reader.banner.exit_button)
    assert window.stack.currentWidget() is window.attract
    assert window.session.is_fresh()


def test_a_term_that_is_not_sensitive_shows_no_banner(
    qtbot: QtBot, window: MainWindow, parts: KioskParts
) -> None:
    start(qtbot, window)
    parts.navigator.open_article("heart-rate")
    assert not window.reader.banner.isVisible()


def test_an_article_with_a_url_offers_a_take_home_qr_code(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str, tmp_path: Path
) -> None:
    import shutil

    from PySide6.QtWidgets import QLabel

    from kiosk.core.content.loader import load_pack

    from conftest import CONTENT, make_kiosk

    pack_dir = tmp_path / "content"
    shutil.copytree(CONTENT, pack_dir)
    article = pack_dir / "en" / "terms" / "heartburn.md"
    article.write_text(
        article.read_text("utf-8").replace(
            "kind: term\n", "kind: term\nurl: https://medlineplus.gov/heartburn.html\n", 1
        ),
        "utf-8",
    )
    pack = load_pack(pack_dir).pack
    assert pack is not None
    parts = make_kiosk(qtbot, pack, theme, pin_hash)
    w = parts.window
    w.session.open_home()
    parts.navigator.open_article("heartburn")
    assert not any(
        isinstance(x, QLabel) and x.pixmap() and not x.pixmap().isNull()
        for x in w.reader.extras.shown
    )
    w.reader.show_card(len(pack.articles["en"]["heartburn"].sections) - 1)

    def codes() -> list[QLabel]:
        return [
            x
            for x in w.reader.extras.shown
            if isinstance(x, QLabel) and x.isVisible() and not x.pixmap().isNull()
        ]

    # In the same turn as the article opened: the code comes after the card (issue 13).
    assert codes() == []
    qtbot.waitUntil(lambda: len(codes()) == 1)
    assert codes()[0].pixmap().width() >= 150
    # Back and to the last card again: the code made once is there at once.
    w.reader.show_card(0)
    w.reader.show_card(len(pack.articles["en"]["heartburn"].sections) - 1)
    assert len(codes()) == 1
    assert codes()[0].accessibleName() == "QR code"
    # The reset between patients: the address the patient might take home is let go.
    assert w.reader.extras.code_made_for == "https://medlineplus.gov/heartburn.html"
    w.session.reset()
    assert w.reader.extras.code_made_for is None


def test_an_address_too_long_for_a_qr_code_leaves_the_card_whole(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    """Validate refuses such an address; a pack built elsewhere may still hold one, and
    the last card then shows without its code (segno raised DataOverflowError from the
    card's paint before: the card never showed)."""
    from dataclasses import replace

    from PySide6.QtWidgets import QLabel

    from kiosk.ui.screens.reader_extras import CODE_DELAY_MS

    from conftest import make_kiosk

    url = "https://example.org/" + "a" * 5000
    en = dict(bundled_pack.articles["en"])
    en["heartburn"] = replace(en["heartburn"], url=url)
    pack = replace(bundled_pack, articles={**bundled_pack.articles, "en": en})
    parts = make_kiosk(qtbot, pack, theme, pin_hash)
    w = parts.window
    w.session.open_home()
    parts.navigator.open_article("heartburn")
    last = len(pack.articles["en"]["heartburn"].sections) - 1
    w.reader.show_card(last)
    assert w.reader.card == last
    qtbot.wait(CODE_DELAY_MS + 100)  # the turn that tries to make the code
    assert not any(isinstance(x, QLabel) and not x.pixmap().isNull() for x in w.reader.extras.shown)
    assert w.reader.extras.widget.isVisible()  # "Read next" is still offered
    hints = [x for x in w.reader.extras.shown if isinstance(x, QLabel)]
    assert all("phone camera" not in x.text() for x in hints)  # no hint without its code


def test_a_long_code_line_wraps_inside_the_card(qtbot: QtBot) -> None:
    """A fenced or indented code block (a dose table pasted as text, a long web address)
    wraps at the card's edge: the card does not scroll sideways, so the rest of a line
    that ran past the edge could never be seen."""
    from PySide6.QtGui import QFont

    from kiosk.core.content.markdown import parse
    from kiosk.core.content.packpaths import PackPaths
    from kiosk.core.content.problems import ProblemList
    from kiosk.ui.widgets.textview import CardText

    code = "take one tablet " * 30
    source = f"---\ntitle: T\n---\nIntro.\n\n```\n{code}\n```\n\n    {'x' * 40}{' y' * 80}\n"
    paths = PackPaths(Path("/nonexistent"), Path("/nonexistent/en/terms/t.md"))
    html = parse(source, paths, ProblemList([], "t.md")).sections[0].html
    view = CardText()
    qtbot.addWidget(view)
    view.resize(600, 400)
    view.show()
    font = QFont()
    font.setPixelSize(26)
    view.set_reading_style(font, False, "#000000")
    view.show_html(html, lambda _path: None, "card")
    assert "<pre" in html
    assert view.document().size().width() <= view.viewport().width() + 1


@pytest.mark.parametrize(
    ("locales", "walk"),
    [
        (("en", "es"), ["es", "en", "es"]),
        (("en", "es", "fr"), ["es", "fr", "en"]),
        (("en",), ["en"]),
    ],
)
def test_the_language_button_goes_through_every_language_of_the_pack(
    locales: tuple[str, ...], walk: list[str]
) -> None:
    """With three languages it went back and forth between the first two."""
    from kiosk.ui.controllers.navigator import next_locale

    seen, at = [], "en"
    for _ in walk:
        at = next_locale(locales, at) or at
        seen.append(at)
    assert seen == walk
