"""The studio's text toolbar as staff use it: cards, lists, bold, links and pictures
made with buttons and keys, the Markdown written for them, and the validator and the
kiosk's reader agreeing with what staff see. Undo, redo and "Show Markdown"."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import (
    QAction,
    QColor,
    QContextMenuEvent,
    QImage,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot
from studio_helpers import Answers, MakeStudio, choose
from test_studio import RATE

from kiosk.ui.studio.window import StudioWindow

pytestmark = pytest.mark.gui


def click(window: StudioWindow, action: QAction) -> None:
    """A click on the toolbar's button for ``action``, as staff click it."""
    button = window.body.toolbar.widgetForAction(action)
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def body(window: StudioWindow) -> str:
    assert window.current is not None
    return window.current.body


def at_end(window: StudioWindow) -> None:
    window.body.rich.moveCursor(QTextCursor.MoveOperation.End)
    window.body.rich.setFocus()


def type_(window: StudioWindow, text: str) -> None:
    QTest.keyClicks(window.body.rich, text)


def enter(window: StudioWindow) -> None:
    QTest.keyClick(window.body.rich, Qt.Key.Key_Return)


def test_cards_lists_bold_and_links_are_made_with_buttons_not_markdown(
    qtbot: QtBot, studios: MakeStudio, folder: Path
) -> None:
    answers = Answers()
    answers.article = "heart-attack"
    window = studios(folder, answers)
    choose(window, RATE)
    before = body(window)
    at_end(window)
    enter(window)
    click(window, window.body.toolbar.paragraph)
    type_(window, "Call your doctor if it stays high.")
    click(window, window.body.toolbar.new_card)
    type_(window, "After exercise")
    enter(window)
    click(window, window.body.toolbar.paragraph)
    # Keys go to the active window; the preview's off-screen kiosk took that over.
    with qtbot.waitActive(window):
        window.activateWindow()
    QTest.keyClick(window.body.rich, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    type_(window, "Rest")
    QTest.keyClick(window.body.rich, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    type_(window, " first.")
    click(window, window.body.toolbar.bullets)
    enter(window)
    type_(window, "Drink water. Read about ")
    click(window, window.body.toolbar.link)
    type_(window, ".")
    enter(window)
    enter(window)  # an empty item: out of the list
    type_(window, "Then:")
    click(window, window.body.toolbar.paragraph)
    enter(window)
    click(window, window.body.toolbar.numbers)
    type_(window, "Sit down.")
    enter(window)
    type_(window, "Count to 10.")
    assert body(window) == before + (
        "\nCall your doctor if it stays high.\n"
        "\n## After exercise\n"
        "\n- **Rest** first.\n"
        "- Drink water. Read about [Heart Attack](heart-attack).\n"
        "\nThen:\n"
        "\n1. Sit down.\n"
        "2. Count to 10.\n"
    )
    assert answers.asked == ["link (13 articles, now none)"]
    # The validator finds nothing wrong, and the kiosk's reader shows the new card.
    qtbot.waitUntil(
        lambda: window.checker.busy is False and window.problems.count() == 0, timeout=15_000
    )
    window.body.rich.setTextCursor(QTextCursor(window.body.rich.document().find("After exercise")))
    preview = window.preview
    assert preview.parts is not None
    qtbot.waitUntil(
        lambda: (
            preview.parts is not None
            and preview.parts.window.reader.card_text().startswith("After exercise")
        ),
        timeout=15_000,
    )
    assert "Rest first." in preview.parts.window.reader.card_text()


def test_typed_brackets_and_stars_stay_words(
    qtbot: QtBot, studios: MakeStudio, folder: Path
) -> None:
    window = studios(folder)
    choose(window, RATE)
    at_end(window)
    enter(window)
    click(window, window.body.toolbar.paragraph)
    type_(window, "# 1 *not* [a link](x)")
    assert body(window).endswith("\n\n\\# 1 \\*not\\* \\[a link\\](x)\n")


def test_a_picture_is_checked_copied_into_the_pack_and_described(
    qtbot: QtBot, studios: MakeStudio, folder: Path, tmp_path: Path
) -> None:
    photo = tmp_path / "Sun Photo.PNG"
    image = QImage(400, 200, QImage.Format.Format_RGB32)
    image.fill(QColor("orange"))
    assert image.save(str(photo))
    answers = Answers()
    answers.picture = photo
    window = studios(folder, answers)
    choose(window, RATE)
    at_end(window)
    click(window, window.body.toolbar.picture)  # no description: not added
    assert not (folder / "en" / "images" / "sun-photo.png").exists()
    assert "needs a description" in window.status.text()
    answers.description = "The sun over a field"
    click(window, window.body.toolbar.picture)
    assert (folder / "en" / "images" / "sun-photo.png").read_bytes() == photo.read_bytes()
    assert body(window).endswith("\n\n![The sun over a field](../images/sun-photo.png)\n")
    qtbot.waitUntil(
        lambda: window.problems.count() == 0 and not window.checker.busy, timeout=15_000
    )
    # Not a picture the validator accepts: said why, nothing copied or written.
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"GIF89a" + bytes(64))
    answers.picture = fake
    written = body(window)
    click(window, window.body.toolbar.picture)
    assert "fake.png" in window.status.text() and "GIF" in window.status.text()
    assert body(window) == written
    assert sorted(p.name for p in (folder / "en" / "images").iterdir()) == ["sun-photo.png"]


def test_undo_and_redo_take_the_text_back_and_forth(studios: MakeStudio, folder: Path) -> None:
    window = studios(folder)
    choose(window, RATE)
    assert window.current is not None
    before = window.current.text
    at_end(window)
    click(window, window.body.toolbar.new_card)
    type_(window, "More")
    assert window.current.dirty
    for _ in range(3):
        if window.current.dirty:
            click(window, window.body.toolbar.undo)
    assert window.current.text == before and not window.current.dirty
    click(window, window.body.toolbar.redo)
    assert window.current.dirty


def test_show_markdown_edits_the_markdown_itself(studios: MakeStudio, folder: Path) -> None:
    window = studios(folder)
    choose(window, RATE)
    QTest.mouseClick(window.body.expert_button, Qt.MouseButton.LeftButton)
    markdown = window.body.markdown
    assert markdown.isVisible() and not window.body.rich.isVisible()
    assert markdown.toPlainText() == body(window)
    cursor = markdown.document().find("## How to check your pulse")
    markdown.setTextCursor(cursor)
    QTest.keyClicks(markdown, "## Check your pulse")
    assert "\n## Check your pulse\n" in body(window)
    QTest.mouseClick(window.body.expert_button, Qt.MouseButton.LeftButton)
    assert window.body.rich.isVisible()
    found = window.body.rich.document().find("Check your pulse")
    assert not found.isNull() and found.block().blockFormat().headingLevel() == 2


def test_pictures_are_shown_only_from_inside_the_content_folder(
    studios: MakeStudio, folder: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.png"
    big = QImage(300, 300, QImage.Format.Format_RGB32)
    big.fill(QColor("red"))
    big.save(str(outside))
    inside = folder / "en" / "images" / "inside.png"
    inside.parent.mkdir(exist_ok=True)
    big.save(str(inside))
    window = studios(folder)
    choose(window, RATE)
    kind = QTextDocument.ResourceType.ImageResource.value
    shown = window.body.rich.loadResource(kind, QUrl("../images/inside.png"))
    assert isinstance(shown, QImage) and shown.pixelColor(5, 5) == QColor("red")
    for name in ("../../../outside.png", QUrl.fromLocalFile(str(outside)).toString()):
        refused = window.body.rich.loadResource(kind, QUrl(name))
        assert isinstance(refused, QImage) and refused.pixelColor(5, 5) != QColor("red")


def _red_underlined(window: StudioWindow, word: str) -> bool:
    found = window.body.rich.document().find(word)
    block = found.block()
    start = found.selectionStart() - block.position()
    for run in block.layout().formats():
        fmt = run.format
        if run.start <= start < run.start + run.length:
            return (
                fmt.underlineStyle() == fmt.UnderlineStyle.WaveUnderline
                and fmt.underlineColor() == QColor("#c00000")
            )
    return False


def _menu_at(window: StudioWindow, word: str) -> QMenu:
    found = window.body.rich.document().find(word)
    cursor = QTextCursor(found.block())
    cursor.setPosition(found.selectionStart() + 1)
    point = window.body.rich.cursorRect(cursor).center()
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, point, window.body.rich.viewport().mapToGlobal(point)
    )
    assert window.body.rich.spelling_menu is not None
    return window.body.rich.spelling_menu.menu_for(event)


def test_misspelt_words_are_underlined_and_a_right_click_offers_spellings(
    studios: MakeStudio, folder: Path
) -> None:
    window = studios(folder)
    choose(window, RATE)
    at_end(window)
    enter(window)
    click(window, window.body.toolbar.paragraph)
    type_(window, "Drink watr with Zorbex daily.")
    assert _red_underlined(window, "watr") and _red_underlined(window, "Zorbex")
    assert not _red_underlined(window, "Drink")
    window.body.rich.setTextCursor(window.body.rich.document().find("watr"))
    assert "'watr' is not in the dictionary" in window.status.text()
    menu = _menu_at(window, "watr")
    offered = [action.text() for action in menu.actions()]
    assert "water" in offered and "Add 'watr' to the clinic's word list" in offered
    assert "Copy" in " ".join(offered)  # the text box's own menu stays
    next(a for a in menu.actions() if a.text() == "water").trigger()
    assert body(window).endswith("\n\nDrink water with Zorbex daily.\n")
    menu = _menu_at(window, "Zorbex")
    next(a for a in menu.actions() if a.text().startswith("Add 'Zorbex'")).trigger()
    assert "Zorbex" in (folder / "spelling-words.txt").read_text("utf-8").split()
    assert not _red_underlined(window, "Zorbex")
    assert "added to the clinic's word list" in window.status.text()


def test_spanish_is_checked_with_the_spanish_dictionary(studios: MakeStudio, folder: Path) -> None:
    window = studios(folder)
    choose(window, Path("es") / "terms" / "heart-rate.md")
    at_end(window)
    enter(window)
    click(window, window.body.toolbar.paragraph)
    window.body.rich.insertPlainText("El corazón late rapído.")  # keyClicks: ASCII only
    assert not _red_underlined(window, "corazón")
    assert _red_underlined(window, "rapído")


def test_a_language_with_no_dictionary_says_what_to_install(
    studios: MakeStudio, folder: Path
) -> None:
    """French, which this machine has no Hunspell dictionary for: the studio works and
    says under the text that spelling is off, and what to install."""
    pack = folder / "pack.toml"
    pack.write_text(pack.read_text("utf-8").replace('"es"]', '"es", "fr"]'), "utf-8")
    (folder / "fr" / "terms").mkdir(parents=True)
    (folder / "fr" / "terms" / "heart-rate.md").write_bytes((folder / RATE).read_bytes())
    window = studios(folder)
    choose(window, Path("fr") / "terms" / "heart-rate.md")
    said = window.grade.text()
    assert "Spelling is off: no 'fr' dictionary" in said and "hunspell-fr" in said
    at_end(window)
    type_(window, " Typed.")  # the text still takes typing
    assert body(window).endswith(" Typed.\n")


def test_an_opened_articles_picture_from_outside_the_folder_is_not_read(
    studios: MakeStudio, folder: Path, tmp_path: Path
) -> None:
    """Through the article's own document, as Qt asks for it when it draws (a test of
    loadResource alone once passed while the document read the file itself)."""
    outside = tmp_path / "outside.png"
    red = QImage(300, 300, QImage.Format.Format_RGB32)
    red.fill(QColor("red"))
    red.save(str(outside))
    article = folder / RATE
    text = article.read_text("utf-8") + "\n![x](../../../outside.png)\n"
    article.write_text(text, "utf-8")
    window = studios(folder)
    choose(window, RATE)
    kind = QTextDocument.ResourceType.ImageResource.value
    document = window.body.rich.document()
    shown = document.resource(kind, QUrl("../../../outside.png"))
    assert isinstance(shown, QImage) and shown.pixelColor(5, 5) != QColor("red")


def test_a_spelling_chosen_after_an_emoji_replaces_the_right_word(
    studios: MakeStudio, folder: Path
) -> None:
    """Python counts an emoji as one character, Qt as two: the underline fell on 'l t'
    and choosing 'the' for 'teh' wrote 'Caltheeh'."""
    window = studios(folder)
    choose(window, RATE)
    at_end(window)
    enter(window)
    click(window, window.body.toolbar.paragraph)
    window.body.rich.insertPlainText("\U0001f4de\U0001f4de Call teh clinic.")
    assert _red_underlined(window, "teh") and not _red_underlined(window, "Call")
    menu = _menu_at(window, "teh")
    next(a for a in menu.actions() if a.text() == "the").trigger()
    assert body(window).endswith("\n\n\U0001f4de\U0001f4de Call the clinic.\n")


def test_after_show_markdown_the_text_is_still_checked_as_typed(
    studios: MakeStudio, folder: Path
) -> None:
    window = studios(folder)
    choose(window, RATE)
    QTest.mouseClick(window.body.expert_button, Qt.MouseButton.LeftButton)
    QTest.mouseClick(window.body.expert_button, Qt.MouseButton.LeftButton)
    at_end(window)
    enter(window)
    click(window, window.body.toolbar.paragraph)
    type_(window, "Drink watr.")
    assert _red_underlined(window, "watr")
