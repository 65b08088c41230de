"""Two staff members on one content folder (kiosk.ui.studio.disk_watch): the studio
notices within seconds when someone else saves an article it has open, loads their
version when there is nothing unsaved, and otherwise asks, once per version; it never
writes over their file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from studio_helpers import Answers, MakeStudio, choose

pytestmark = pytest.mark.gui

RATE = Path("en") / "terms" / "heart-rate.md"


def someone_else_saves(file: Path, old: str, new: str) -> str:
    text = file.read_text("utf-8").replace(old, new)
    file.write_text(text, "utf-8")
    return text


def test_an_unchanged_article_saved_elsewhere_is_loaded_again_within_seconds(
    qtbot: QtBot, studios: MakeStudio, folder: Path
) -> None:
    answers = Answers()
    window = studios(folder, answers)
    choose(window, RATE)
    theirs = someone_else_saves(folder / RATE, "Place two fingers", "Put two fingers")
    qtbot.waitUntil(
        lambda: "Put two fingers" in window.body.rich.toPlainText(), timeout=10_000
    )  # by the watch's own timer, no click
    assert "changed by someone else" in window.status.text()
    assert window.current is not None and window.current.text == theirs
    assert not window.current.dirty and answers.asked == []


def test_unsaved_work_is_kept_if_staff_say_so_and_asked_once_per_version(
    studios: MakeStudio, folder: Path
) -> None:
    answers = Answers(reload=False)
    window = studios(folder, answers)
    choose(window, RATE)
    window.body.rich.moveCursor(QTextCursor.MoveOperation.Start)
    QTest.keyClicks(window.body.rich, "Mine. ")
    theirs = someone_else_saves(folder / RATE, "Place two fingers", "Put two fingers")
    window.disk.check()
    window.disk.check()
    assert answers.asked == ["reload heart-rate.md"]  # once for their version
    assert window.body.rich.toPlainText().startswith("Mine. ")  # still on screen
    assert not window.save()  # and never written over theirs
    assert (folder / RATE).read_text("utf-8") == theirs
    someone_else_saves(folder / RATE, "Put two fingers", "Lay two fingers")
    window.disk.check()  # another version of theirs: asked again
    assert answers.asked[-1] == "reload heart-rate.md" and len(answers.asked) == 3


def test_staff_may_take_the_other_version_instead_of_theirs(
    studios: MakeStudio, folder: Path
) -> None:
    answers = Answers(reload=True)
    window = studios(folder, answers)
    choose(window, RATE)
    window.body.rich.moveCursor(QTextCursor.MoveOperation.Start)
    QTest.keyClicks(window.body.rich, "Mine. ")
    window.keep_drafts()
    theirs = someone_else_saves(folder / RATE, "Place two fingers", "Put two fingers")
    window.disk.check()
    assert window.current is not None and window.current.text == theirs
    assert window.body.rich.toPlainText().startswith("Your heart rate")
    assert window.drafts.pending() == []  # the draft of the version dropped goes too


def test_an_article_deleted_elsewhere_is_said(studios: MakeStudio, folder: Path) -> None:
    window = studios(folder)
    choose(window, RATE)
    (folder / RATE).unlink()
    window.disk.check()
    assert "moved or deleted by someone else" in window.status.text()


def test_an_article_deleted_elsewhere_is_written_again_by_save(
    studios: MakeStudio, folder: Path
) -> None:
    window = studios(folder)
    choose(window, RATE)
    window.body.rich.moveCursor(QTextCursor.MoveOperation.Start)
    QTest.keyClicks(window.body.rich, "Mine. ")
    (folder / RATE).unlink()
    window.disk.check()
    assert "Save writes your version again" in window.status.text()
    assert window.save()
    assert window.current is not None
    assert (folder / RATE).read_text("utf-8") == window.current.text
    assert "Mine. Your heart rate" in window.current.text
