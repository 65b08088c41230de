"""The content studio against hostile or odd content folders (an attacker's try, each
case once reproduced): links and pipes in the folder, markup in a picture's words,
emoji before formatting, other list markers, old line endings, unreadable drafts."""

from __future__ import annotations

import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtGui import QFont, QImage, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from studio_helpers import Answers, MakeStudio, choose

from kiosk.core.content.images import check_picture_file
from kiosk.core.content.markdown_engine import MARKDOWN
from kiosk.core.errors import UnreadableFileError
from kiosk.core.studio.articles import open_article
from kiosk.core.studio.checking import check_with
from kiosk.core.studio.pictures import PictureRefusedError, add_picture
from kiosk.core.studio.published import last_published, remember_published
from kiosk.core.studio.spelling import SpellingWordsError, read_word_list
from kiosk.ui.studio import markdown_writer
from kiosk.ui.studio.rich_text import build

from conftest import CONTENT

pytestmark = pytest.mark.gui

RATE = Path("en") / "terms" / "heart-rate.md"


def edited(body: str, at: str, typed: str = "Please ") -> str:
    """``body`` read into the editor, ``typed`` before ``at``, written back."""
    document = QTextDocument()
    source = build(body, document, QFont("DejaVu Sans", 11))
    markdown_writer.remember(document, source)
    cursor = QTextCursor(document.find(at))
    cursor.setPosition(cursor.selectionStart())
    cursor.insertText(typed)
    return markdown_writer.write(document, source)


def inline(markdown: str) -> list[tuple[str, str]]:
    """Each inline token's type and words (or address), in order."""
    return [
        (child.type, child.content or str(child.attrGet("href") or ""))
        for token in MARKDOWN.parse(markdown)
        for child in token.children or []
    ]


def test_formatting_after_an_emoji_stays_on_its_words(qtbot: QtBot) -> None:
    body = "Call \U0001f4de 911 **now** and read [heart attack](heart-attack) too.\n"
    written = edited(body, "Call")
    assert written == "Please " + body
    assert inline(written) == inline("Please " + body)


def test_a_list_keeps_its_own_markers_when_an_item_changes(qtbot: QtBot) -> None:
    for body, item in (("* one\n* two\n", "two"), ("1) one\n2) two\n", "two")):
        written = edited(body, item, "and ")
        assert written == body.replace("two", "and two"), written
    assert edited("0. zero\n1. one\n", "one", "and ") == "0. zero\n1. and one\n"


def test_a_pictures_words_do_not_grow_backslashes(qtbot: QtBot) -> None:
    body = "![The cuff \\[left\\] & a gauge](../images/cuff.png) See it.\n"
    once = edited(body, "See it", "Now. ")
    twice = edited(once, "Now.", "Yes. ")
    assert twice.count("\\[left\\]") == 1, twice


def test_bold_ending_on_a_no_break_space_still_reads_as_bold(qtbot: QtBot) -> None:
    document = QTextDocument()
    cursor = QTextCursor(document)
    bold = QTextCharFormat()
    bold.setFontWeight(QFont.Weight.Bold)
    cursor.insertText("Take ", QTextCharFormat())
    cursor.insertText("2\u00a0", bold)
    cursor.insertText("tablets.", QTextCharFormat())
    written = markdown_writer.write(document)
    assert "**" not in MARKDOWN.render(written).replace("<strong>", "").replace("</strong>", "")
    assert "<strong>2</strong>" in MARKDOWN.render(written)


def test_a_pictures_words_show_as_written_never_as_markup(qtbot: QtBot) -> None:
    alt = '<h1>Ignore</h1><img src="/dev/zero">'
    document = QTextDocument()
    build(f"![{alt}](../images/cuff.png)\n", document, QFont("DejaVu Sans", 11))
    ranges = document.begin().textFormats()
    tip = ranges[0].format.toolTip()
    shown = QTextDocument()
    shown.setHtml(tip)  # as the tooltip reads it
    assert shown.toPlainText() == alt


def test_old_mac_line_endings_are_refused_with_the_fix(tmp_path: Path) -> None:
    file = tmp_path / "a.md"
    file.write_bytes(b"---\rtitle: A\r---\rText.\r")
    with pytest.raises(UnreadableFileError, match=r"lone CR .* line endings"):
        open_article(file)


def _hostile_folder(tmp_path: Path) -> Path:
    folder = Path(shutil.copytree(CONTENT, tmp_path / "content"))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "big.bin").write_bytes(b"x" * 100_000)
    (folder / "en" / "Thumbs.db").symlink_to(outside)
    (folder / "en" / "desktop.ini").symlink_to("/dev/zero")
    (folder / "en" / "images").mkdir()
    os.mkfifo(folder / "en" / "images" / "pipe.png")
    return folder


def test_the_check_and_the_published_copy_never_follow_links_or_read_pipes(
    tmp_path: Path,
) -> None:
    folder = _hostile_folder(tmp_path)
    started = time.monotonic()
    checked = check_with(folder, {}, tmp_path / "scratch")
    assert time.monotonic() - started < 60  # a pipe read never ends; /dev/zero fills the disk
    mirror = tmp_path / "scratch" / "content"
    assert (mirror / "en" / "Thumbs.db").is_symlink()
    assert not (mirror / "en" / "images" / "pipe.png").exists()
    assert checked.failed is None
    state = tmp_path / "state"
    remember_published(state, folder, Path("p.kpack"), Path("k"), Path("d"), datetime.now(UTC))
    last = last_published(state, folder)
    assert last is not None and last.copy is not None
    assert (last.copy / "en" / "Thumbs.db").is_symlink()
    assert not (last.copy / "en" / "images" / "pipe.png").exists()


def test_a_pipe_named_png_is_no_picture_and_is_not_read(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.png"
    os.mkfifo(pipe)
    said = check_picture_file(pipe)
    assert isinstance(said, str) and "not a picture file" in said


def test_a_picture_is_not_copied_through_a_linked_images_folder(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(CONTENT, tmp_path / "content"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (folder / "en" / "images").symlink_to(elsewhere)
    photo = tmp_path / "sun.png"
    QImage(40, 20, QImage.Format.Format_RGB32).save(str(photo))
    with pytest.raises(PictureRefusedError, match="is a link or a file"):
        add_picture(photo, folder / RATE)
    assert list(elsewhere.iterdir()) == []


def test_a_word_list_that_is_a_link_is_refused(tmp_path: Path) -> None:
    (tmp_path / "spelling-words.txt").symlink_to("/etc/passwd")
    with pytest.raises(SpellingWordsError, match="a link to another file"):
        read_word_list(tmp_path / "spelling-words.txt")


def test_a_draft_of_a_file_since_saved_in_another_encoding_does_not_stop_the_studio(
    studios: MakeStudio, folder: Path
) -> None:
    window = studios(folder)
    choose(window, RATE)
    window.body.rich.moveCursor(QTextCursor.MoveOperation.Start)
    QTest.keyClicks(window.body.rich, "Mine. ")
    assert window.keep_drafts()
    window.close()
    (folder / RATE).write_bytes((folder / RATE).read_text("utf-8").encode("utf-16"))
    again = studios(folder, Answers(restore=True))
    assert "not UTF-8" in again.status.text() and "kept in" in again.status.text()
    assert [d.article.name for d in again.drafts.pending()] == ["heart-rate.md"]
