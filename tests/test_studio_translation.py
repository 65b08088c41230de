"""English and Spanish side by side in the studio (kiosk.ui.studio.translation_panel):
card by card, missing and extra cards said, "the English changed since this Spanish
was checked" by content hash, marking it checked, and starting a missing translation."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from studio_helpers import MakeStudio, choose

from kiosk.core.studio.translations import content_hash
from kiosk.ui.studio.window import StudioWindow

pytestmark = pytest.mark.gui

RATE_EN = Path("en") / "terms" / "heart-rate.md"
RATE_ES = Path("es") / "terms" / "heart-rate.md"
HANTAVIRUS_EN = Path("en") / "terms" / "hantavirus.md"
HANTAVIRUS_ES = Path("es") / "terms" / "hantavirus.md"


def checked(qtbot: QtBot, window: StudioWindow) -> None:
    """Until the validator has seen the text as it is now."""
    qtbot.waitUntil(lambda: window.translating.pack is not None, timeout=15_000)
    qtbot.waitUntil(lambda: not window.checker.busy, timeout=15_000)


def column(window: StudioWindow, index: int) -> list[str]:
    table = window.translation.cards
    items = [table.item(row, index) for row in range(table.rowCount())]
    return [item.text() if item is not None else "" for item in items]


def test_the_cards_side_by_side_and_marking_the_spanish_checked(
    qtbot: QtBot, studios: MakeStudio, folder: Path
) -> None:
    window = studios(folder)
    choose(window, RATE_EN)
    window._check()  # the first check of the folder, as after any change
    checked(qtbot, window)
    panel = window.translation
    english, spanish = column(window, 0), column(window, 1)
    assert english[1].startswith("How to check your pulse")
    assert spanish[1].startswith("Cómo tomarse el pulso") or spanish[1].split("\n")[0]
    assert len(english) == len(spanish) and not any("Missing" in s for s in spanish)
    # The bundled Spanish was checked against the English as it is.
    assert "was checked against this English version" in panel.verdict.text()
    assert panel.mark.isHidden()
    # The English changes (unsaved): the Spanish is now behind it.
    window.body.rich.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClicks(window.body.rich, " Or more.")
    qtbot.waitUntil(lambda: "changed since" in panel.verdict.text(), timeout=15_000)
    assert "The English changed since this Spanish version was checked" in panel.verdict.text()
    assert not panel.mark.isHidden()
    assert window.save()  # the English as it now is; then the Spanish brought up to date
    before = (folder / RATE_ES).read_text("utf-8")
    QTest.mouseClick(panel.mark, Qt.MouseButton.LeftButton)
    after = (folder / RATE_ES).read_text("utf-8")  # saved: it had no other changes
    changed = [
        line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[0] in "+-"
    ]
    english_text = (folder / RATE_EN).read_text("utf-8")
    assert [line[:19] for line in changed] == ["- translated_from: ", "+ translated_from: "]
    assert changed[1] == f"+ translated_from: {content_hash(english_text)}"
    assert "was checked against this English version" in panel.verdict.text()
    assert panel.mark.isHidden()


def test_an_extra_spanish_card_is_said_and_a_row_goes_to_its_card(
    qtbot: QtBot, studios: MakeStudio, folder: Path
) -> None:
    window = studios(folder)
    choose(window, RATE_ES)
    window.body.rich.moveCursor(QTextCursor.MoveOperation.End)
    window.body.toolbar.new_card.trigger()
    QTest.keyClicks(window.body.rich, "Una tarjeta de mas")
    QTest.keyClick(window.body.rich, Qt.Key.Key_Return)
    QTest.keyClicks(window.body.rich, "Con su texto.")
    qtbot.waitUntil(
        lambda: (
            window.translation.cards.rowCount() > 0
            and column(window, 1)[-1].startswith("Extra: no English card matches this one")
        ),
        timeout=15_000,
    )
    assert column(window, 0)[-1] == "Missing: no English card"
    assert "1 extra" in window.translation.verdict.text()
    window.translation.cards.cellClicked.emit(2, 0)
    assert window.body.card_at_cursor() == 2


def test_a_missing_spanish_version_is_started_from_the_english(
    qtbot: QtBot, studios: MakeStudio, folder: Path
) -> None:
    (folder / HANTAVIRUS_ES).unlink()  # no other Spanish article links to it
    window = studios(folder)
    choose(window, HANTAVIRUS_EN)
    window._check()
    checked(qtbot, window)
    panel = window.translation
    assert "There is no Spanish version of this article yet" in panel.verdict.text()
    assert all(s.startswith("Missing: no Spanish card") for s in column(window, 1))
    QTest.mouseClick(panel.start, Qt.MouseButton.LeftButton)
    assert (folder / HANTAVIRUS_ES).read_bytes() == (folder / HANTAVIRUS_EN).read_bytes()
    assert window.current is not None and window.current.opened.path == folder / HANTAVIRUS_ES
    assert any(
        window.articles.item(r).text() == "es · Hantavirus" for r in range(window.articles.count())
    )
    window._check()
    qtbot.waitUntil(lambda: "still has the English text" in panel.verdict.text(), timeout=15_000)
    assert panel.mark.isHidden()  # nothing to mark before it is translated
    listed = window.articles.shown()
    [row] = [r for r in listed if r.path == folder / HANTAVIRUS_ES]
    assert "Spanish not yet checked against the English" in [f.words for f in row.flags]


def test_the_article_reading_grade_is_the_validators_against_the_pack_limit(
    qtbot: QtBot, studios: MakeStudio, folder: Path
) -> None:
    from kiosk.core.content.loader import load_pack

    pack = load_pack(folder).pack
    assert pack is not None
    grade = pack.articles["en"]["heart-rate"].grade
    assert grade is not None
    window = studios(folder)
    choose(window, RATE_EN)
    window._check()
    checked(qtbot, window)
    assert window.grade.text() == f"Reading grade {grade:g}; the pack's limit is 8: within it."
    # Long words typed: the grade follows the text as it is, unsaved.
    window.body.rich.moveCursor(QTextCursor.MoveOperation.End)
    QTest.keyClick(window.body.rich, Qt.Key.Key_Return)
    window.body.toolbar.paragraph.trigger()
    for _ in range(12):
        QTest.keyClicks(
            window.body.rich,
            "Cardiovascular irregularities necessitate comprehensive professional evaluation. ",
        )
    qtbot.waitUntil(lambda: "above it" in window.grade.text(), timeout=15_000)
