"""Preview: the real kiosk on a content folder, reloaded within a second of a save,
with the validator's problems beside it and the last good version kept up."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.core.config import KioskConfig
from kiosk.ui.preview import PreviewWindow
from kiosk.ui.theme import Theme

from conftest import CONTENT

pytestmark = pytest.mark.gui


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


@pytest.fixture
def preview(qtbot: QtBot, folder: Path, theme: Theme) -> Iterator[PreviewWindow]:
    window = PreviewWindow(folder, KioskConfig())
    qtbot.addWidget(window)
    window.resize(1900, 1000)
    window.show()
    yield window
    window.deleteLater()


def test_an_edit_shows_within_a_second(qtbot: QtBot, preview: PreviewWindow, folder: Path) -> None:
    kiosk = preview.kiosk
    assert kiosk is not None
    kiosk.session.open_home()
    kiosk.navigator.open_article("heartburn")
    assert "OK" in preview.panel.status.text()
    article = folder / "en" / "terms" / "heartburn.md"
    text = article.read_text("utf-8")
    started = time.monotonic()
    article.write_text(text.replace("title: Heartburn", "title: Heartburn (edited)"), "utf-8")
    qtbot.waitUntil(
        lambda: (
            kiosk.window.reader.article is not None
            and kiosk.window.reader.article.title == "Heartburn (edited)"
        ),
        timeout=1000,
    )
    assert time.monotonic() - started < 1.0
    assert kiosk.window.stack.currentWidget() is kiosk.window.reader  # still on that page


def test_a_broken_save_lists_the_problem_and_keeps_the_last_good_version(
    qtbot: QtBot, preview: PreviewWindow, folder: Path
) -> None:
    kiosk = preview.kiosk
    assert kiosk is not None
    article = folder / "en" / "terms" / "heparin.md"
    article.write_text(article.read_text("utf-8").replace("kind: term", "kind: termz"), "utf-8")
    with qtbot.waitSignal(preview.reloaded, timeout=2000) as reload:
        pass
    assert reload.args == [False]
    problems = [
        preview.panel.problems.item(i).text() for i in range(preview.panel.problems.count())
    ]
    assert any("heparin.md:" in p and "kind 'termz' is unknown" in p for p in problems)
    assert "Not usable" in preview.panel.status.text()
    assert preview.kiosk is kiosk and kiosk.navigator.pack.article("en", "heparin") is not None


def test_a_new_file_is_picked_up(qtbot: QtBot, preview: PreviewWindow, folder: Path) -> None:
    # A new article, with a title of its own: two articles of one language may not share
    # a title (validate refuses look-alikes).
    for locale, title in (("en", "Heparin"), ("es", "Heparina")):
        text = (folder / locale / "terms" / "heparin.md").read_text("utf-8")
        new = text.replace(f"title: {title}\n", "title: Warfarin\n", 1)
        assert new != text
        (folder / locale / "terms" / "warfarin.md").write_text(new, "utf-8")
    qtbot.waitUntil(
        lambda: (
            preview.kiosk is not None
            and preview.kiosk.navigator.pack.article("en", "warfarin") is not None
        ),
        timeout=2000,
    )


def test_a_folder_that_never_validated_shows_only_problems(
    qtbot: QtBot, theme: Theme, tmp_path: Path
) -> None:
    window = PreviewWindow(tmp_path, KioskConfig())
    qtbot.addWidget(window)
    assert window.kiosk is None
    assert "no pack.toml" in window.panel.problems.item(0).text()
    window.deleteLater()
