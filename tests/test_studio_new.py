"""A new article made in the studio (kiosk.ui.studio.new_article_dialog): listed,
opened, and accepted by `kiosk content validate` with no further edit."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from studio_helpers import MakeStudio

from kiosk.ui.studio.new_article_dialog import NewArticleDialog

from conftest import validate_folder

pytestmark = pytest.mark.gui


def test_a_new_article_is_made_opened_and_valid_as_it_is(
    qtbot: QtBot, studios: MakeStudio, folder: Path
) -> None:
    window = studios(folder)
    QTest.mouseClick(window.new_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(NewArticleDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.where.text() == "Give the article a title."
    QTest.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.where.text() == "Not yet: give the article a title."
    QTest.keyClicks(dialog.title_box, "Heat Stroke")
    assert dialog.where.text() == "It will be saved as en/topics/heat-stroke.md."
    QTest.keyClicks(
        dialog.summary, "Heat stroke is when your body gets too hot. It is an emergency."
    )
    QTest.keyClicks(
        dialog.first, "Call 911 if someone is hot and confused. Move them to shade *now*."
    )
    QTest.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    made = folder / "en" / "topics" / "heat-stroke.md"
    text = made.read_text("utf-8")
    assert "title: Heat Stroke\n" in text and "kind: topic\n" in text
    assert text.endswith("Move them to shade \\*now\\*.\n")  # words, not Markdown
    assert window.current is not None and window.current.opened.path == made
    listed = [window.articles.item(r).text() for r in range(window.articles.count())]
    assert "en · Heat Stroke" in listed
    run = validate_folder(folder)
    assert run.returncode == 0, run.stdout + run.stderr


def test_an_article_that_exists_is_not_made_again(
    qtbot: QtBot, studios: MakeStudio, folder: Path
) -> None:
    window = studios(folder)
    dialog = window.new_article()
    qtbot.addWidget(dialog)
    before = (folder / "es" / "terms" / "heart-rate.md").read_bytes()
    QTest.keyClicks(dialog.title_box, "Heart Rate")
    dialog.kind.setCurrentIndex(dialog.kind.findText("Health word (A-Z)"))
    dialog.language.setCurrentIndex(dialog.language.findText("Spanish"))
    QTest.keyClicks(dialog.first, "Texto.")
    assert not dialog.make_article()
    assert "already an article heart-rate.md in Spanish" in dialog.where.text()
    assert (folder / "es" / "terms" / "heart-rate.md").read_bytes() == before
