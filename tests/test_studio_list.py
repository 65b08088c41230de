"""The studio's list of articles (kiosk.ui.studio.article_list) as staff use it: filters
and the kiosk's own search narrow it, each row says its statuses in words, and only a
choice of staff's opens an article."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.content.problems import Problem, Severity
from kiosk.ui.studio.article_list import WORDS_ROLE, ArticleList

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 12, 3)
RATE = Path("en/terms/heart-rate.md")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(REPO / "content", copy)
    return copy


@pytest.fixture
def articles(qtbot: QtBot, folder: Path) -> ArticleList:
    made = ArticleList(today=TODAY)
    qtbot.addWidget(made)
    made.fill(folder)
    made.resize(420, 700)
    made.show()
    return made


def _named(parent: QWidget, name: str) -> QWidget:
    (found,) = [w for w in parent.findChildren(QWidget) if w.accessibleName() == name]
    return found


def _view(articles: ArticleList) -> QListWidget:
    view = _named(articles, "Articles")
    assert isinstance(view, QListWidget)
    return view


def _names(articles: ArticleList) -> list[str]:
    view = _view(articles)
    return [view.item(row).text() for row in range(view.count())]


def _count(articles: ArticleList) -> str:
    label = articles.findChild(QLabel, "articles shown")
    assert isinstance(label, QLabel)
    return label.text()


def _choose(articles: ArticleList, filter_name: str, words: str) -> None:
    combo = _named(articles, filter_name)
    assert isinstance(combo, QComboBox)
    at = combo.findText(words)
    assert at >= 0, [combo.itemText(i) for i in range(combo.count())]
    combo.setCurrentIndex(at)


def _item(articles: ArticleList, name: str) -> QListWidgetItem:
    view = _view(articles)
    (found,) = [view.item(r) for r in range(view.count()) if view.item(r).text() == name]
    return found


def test_every_article_by_language_then_title_with_a_count(articles: ArticleList) -> None:
    names = _names(articles)
    assert len(names) == 28 and _count(articles) == "28 of 28 articles"
    assert names[0] == "en · Haemolysis" and names[14] == "es · Acidez estomacal"
    assert names[:14] == sorted(names[:14], key=str.casefold)


def test_language_kind_and_status_narrow_the_list(articles: ArticleList, folder: Path) -> None:
    _choose(articles, "Filter by language", "Spanish (es)")
    assert len(_names(articles)) == 14 and _count(articles) == "14 of 28 articles"
    assert all(name.startswith("es · ") for name in _names(articles))
    _choose(articles, "Filter by kind", "Topics")
    assert _names(articles) == ["es · Terapia de reducción de daños"]
    _choose(articles, "Filter by language", "All languages")
    assert _count(articles) == "2 of 28 articles"
    _choose(articles, "Filter by kind", "All kinds")
    _choose(articles, "Filter by status", "Has problems")
    assert _names(articles) == [] and _count(articles) == "0 of 28 articles"
    articles.show_problems([Problem(str(folder / RATE), 14, Severity.ERROR, "a broken link")])
    assert _names(articles) == ["en · Heart Rate"]
    articles.show_problems([])
    assert _names(articles) == []


def test_each_row_says_its_statuses_in_words(
    qtbot: QtBot, folder: Path, articles: ArticleList
) -> None:
    (folder / "es/terms/hantavirus.md").unlink()
    rate = folder / RATE
    rate.write_text(rate.read_text("utf-8").replace("2027-11-27", "2026-11-30"), "utf-8")
    articles.fill(folder)
    _choose(articles, "Filter by status", "Review overdue")
    assert _names(articles) == ["en · Heart Rate"]
    item = _item(articles, "en · Heart Rate")
    assert item.data(WORDS_ROLE) == "Review overdue"
    assert item.data(Qt.ItemDataRole.AccessibleTextRole) == "en · Heart Rate. Review overdue"
    _choose(articles, "Filter by status", "No Spanish version")
    assert _names(articles) == ["en · Hantavirus"]
    assert _item(articles, "en · Hantavirus").data(WORDS_ROLE) == "No Spanish version"
    # Two lines where a row has words: the words show, not only a colour.
    view = _view(articles)
    _choose(articles, "Filter by status", "Any status")
    plain = view.visualItemRect(_item(articles, "en · Heart Block")).height()
    assert view.visualItemRect(_item(articles, "en · Hantavirus")).height() > plain * 1.5


def test_the_kiosk_s_search_finds_aliases_and_near_spellings(articles: ArticleList) -> None:
    search = _named(articles, "Search articles")
    assert isinstance(search, QLineEdit)
    QTest.keyClicks(search, "pulse")  # an alias of Heart Rate, in both languages
    assert _names(articles) == ["en · Heart Rate", "es · Frecuencia cardíaca"]
    assert _count(articles) == "2 of 28 articles"
    search.setText("hart atack")
    assert _names(articles)[0] == "en · Heart Attack"
    _choose(articles, "Filter by language", "English (en)")
    search.setText("heart")
    names = _names(articles)
    assert "en · Heartburn" in names and "en · Heart Attack" in names
    assert all(name.startswith("en · ") for name in names)
    search.clear()
    assert _count(articles) == "14 of 28 articles"


def test_a_click_chooses_and_select_does_not(
    qtbot: QtBot, folder: Path, articles: ArticleList
) -> None:
    view = _view(articles)
    item = _item(articles, "en · Heart Rate")
    with qtbot.waitSignal(articles.chosen) as chosen:
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualItemRect(item).center()
        )
    assert chosen.args == [folder / RATE]
    spanish = folder / "en" / ".." / "es/terms/heart-rate.md"  # the window's name for it
    with qtbot.assertNotEmitted(articles.chosen):
        articles.select(spanish)
    current = view.currentItem()
    assert current is not None and current.text() == "es · Frecuencia cardíaca"
    # Narrowed and widened again, the chosen one stays chosen, and nothing is opened.
    with qtbot.assertNotEmitted(articles.chosen):
        _choose(articles, "Filter by language", "English (en)")
        assert view.currentItem() is None
        _choose(articles, "Filter by language", "All languages")
    current = view.currentItem()
    assert current is not None and current.text() == "es · Frecuencia cardíaca"


def test_every_part_has_a_name(articles: ArticleList) -> None:
    """Each control by its accessible name; a label by its own words (a name given to a
    label replaces its text for a screen reader: 'Articles shown', not '28 of 28')."""
    parts = (QLineEdit, QComboBox, QListWidget)
    for widget in articles.findChildren(QWidget):
        if isinstance(widget, parts):
            assert widget.accessibleName(), widget
        elif isinstance(widget, QLabel):
            assert not widget.accessibleName() and widget.text(), widget
