"""The pack's on_review_overdue policy decides what patients see of overdue articles."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from kiosk.core.content.loader import load_pack
from kiosk.core.content.pack import Pack
from kiosk.core.content.review import overdue
from kiosk.ui.theme import Theme

from conftest import CONTENT, make_kiosk
from helpers import shown_words

pytestmark = pytest.mark.gui


def pack_with_overdue_heparin(tmp_path: Path, policy: str) -> Pack:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    toml = folder / "pack.toml"
    toml.write_text(
        toml.read_text("utf-8").replace(
            'on_review_overdue = "flag"', f'on_review_overdue = "{policy}"'
        ),
        "utf-8",
    )
    for locale in ("en", "es"):
        article = folder / locale / "terms" / "heparin.md"
        article.write_text(
            article.read_text("utf-8")
            .replace("reviewed: 2026-11-27", "reviewed: 2019-01-01")
            .replace("review_due: 2027-11-27", "review_due: 2020-01-01"),
            "utf-8",
        )
    pack = load_pack(folder).pack
    assert pack is not None
    return pack


def test_hide_keeps_it_out_of_lists_search_and_links(
    qtbot: QtBot, theme: Theme, pin_hash: str, tmp_path: Path
) -> None:
    pack = pack_with_overdue_heparin(tmp_path, "hide")
    parts = make_kiosk(qtbot, pack, theme, pin_hash)
    w = parts.window
    w.session.open_home()
    assert "Heparin" not in shown_words(w.home)
    assert "Heparin" not in [b.accessibleName() for b in w.home.findChildren(QAbstractButton)]
    parts.navigator.open_terms()
    assert "Heparin" not in w.terms.visible_results()
    w.terms.field.setText("blood thinner")
    assert "Heparin" not in w.terms.visible_results()
    parts.navigator.open_article("heparin")
    assert w.stack.currentWidget() is not w.reader
    # Haemorrhage links to heparin; the related button must not offer it.
    parts.navigator.open_article("haemorrhage")
    assert w.reader.article is not None
    w.reader.show_card(len(w.reader.article.sections) - 1)
    assert "heparin" not in [x.property("slug") for x in w.reader.extras.related_buttons]


def test_flag_shows_it_with_a_note(
    qtbot: QtBot, theme: Theme, pin_hash: str, tmp_path: Path
) -> None:
    pack = pack_with_overdue_heparin(tmp_path, "flag")
    parts = make_kiosk(qtbot, pack, theme, pin_hash)
    w = parts.window
    w.session.open_home()
    parts.navigator.open_article("heparin")
    assert w.reader.review_note.isVisible()
    assert "up to date" in w.reader.review_note.text()
    parts.navigator.open_article("heart-rate")
    assert not w.reader.review_note.isVisible()


def test_show_shows_it_as_usual(qtbot: QtBot, theme: Theme, pin_hash: str, tmp_path: Path) -> None:
    pack = pack_with_overdue_heparin(tmp_path, "show")
    parts = make_kiosk(qtbot, pack, theme, pin_hash)
    w = parts.window
    w.session.open_home()
    parts.navigator.open_article("heparin")
    assert w.reader.article is not None and not w.reader.review_note.isVisible()


def test_staff_see_every_overdue_article(tmp_path: Path) -> None:
    from datetime import date

    pack = pack_with_overdue_heparin(tmp_path, "hide")
    assert [(a.locale, a.slug) for a in overdue(pack, date(2026, 12, 1))] == [
        ("en", "heparin"),
        ("es", "heparin"),
    ]
