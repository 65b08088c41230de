"""The content studio never loses work and never overwrites someone else's save
(kiosk.core.studio.articles, kiosk.core.studio.drafts), on real files and processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.core.errors import UnreadableFileError
from kiosk.core.studio.articles import (
    ChangedOnDiskError,
    changed_on_disk,
    open_article,
    save_article,
)
from kiosk.core.studio.drafts import Drafts

REPO = Path(__file__).resolve().parents[1]
ARTICLE = "---\ntitle: Heat stroke\nkind: topic\n---\nStay cool.\n"


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "content" / "en" / "topics" / "heat-stroke.md"
    path.parent.mkdir(parents=True)
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_a_saved_article_is_what_was_typed_and_opens_as_saved(article: Path) -> None:
    opened = open_article(article)
    assert opened.text == ARTICLE
    saved = save_article(opened, ARTICLE + "Drink water.\n")
    assert article.read_text(encoding="utf-8") == ARTICLE + "Drink water.\n"
    assert open_article(article) == saved
    assert not changed_on_disk(saved)


def test_saving_what_the_file_holds_writes_nothing(article: Path) -> None:
    opened = open_article(article)
    before = article.stat().st_mtime_ns
    time.sleep(0.01)
    assert save_article(opened, ARTICLE) == opened
    assert article.stat().st_mtime_ns == before


def test_a_file_someone_else_saved_meanwhile_is_never_overwritten(article: Path) -> None:
    mine = open_article(article)
    theirs = open_article(article)
    save_article(theirs, ARTICLE + "Their line.\n")
    assert changed_on_disk(mine)
    with pytest.raises(ChangedOnDiskError) as err:
        save_article(mine, ARTICLE + "My line.\n")
    assert article.read_text(encoding="utf-8") == ARTICLE + "Their line.\n"
    message = str(err.value)
    assert str(article) in message and "load their version" in message and "\n" not in message


def test_a_file_that_is_not_utf8_says_so_in_one_line(article: Path) -> None:
    article.write_bytes(b"---\ntitle: Caf\xe9\n---\n")
    with pytest.raises(UnreadableFileError, match=r"heat-stroke\.md: not UTF-8 text \(byte 15\)"):
        open_article(article)


def test_a_draft_is_offered_until_its_article_is_saved(article: Path, tmp_path: Path) -> None:
    drafts = Drafts(tmp_path / "drafts")
    opened = open_article(article)
    drafts.save(opened, ARTICLE + "Half a sen")
    [draft] = drafts.pending()
    assert draft.article == article.resolve() and draft.text == ARTICLE + "Half a sen"
    assert not draft.file_changed
    save_article(opened, draft.text)
    assert drafts.pending() == []  # the file holds it now
    drafts.discard(article)
    assert list((tmp_path / "drafts").iterdir()) == []


def test_a_draft_of_a_file_changed_since_says_so(article: Path, tmp_path: Path) -> None:
    drafts = Drafts(tmp_path / "drafts")
    drafts.save(open_article(article), ARTICLE + "Mine.\n")
    article.write_text(ARTICLE + "Theirs.\n", encoding="utf-8")
    [draft] = drafts.pending()
    assert draft.file_changed and draft.text == ARTICLE + "Mine.\n"
    article.unlink()
    [gone] = drafts.pending()
    assert gone.file_changed  # its file is gone: the draft is all there is


def test_a_draft_that_cannot_be_read_is_left_in_place(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    drafts = Drafts(tmp_path / "drafts")
    broken = tmp_path / "drafts" / "0123.draft.json"
    broken.write_text('{"format": 1, "text": "no arti', encoding="utf-8")
    assert drafts.pending() == []
    assert broken.exists() and "cannot be read" in caplog.text


_WRITER = """
import sys
from pathlib import Path
from kiosk.core.studio.articles import open_article
from kiosk.core.studio.drafts import Drafts
drafts, opened = Drafts(Path(sys.argv[1])), open_article(Path(sys.argv[2]))
print("ready", flush=True)
n = 0
while True:
    n += 1
    drafts.save(opened, f"version {n}\\n" + "typed text. " * (n % 5000))
"""


@pytest.mark.parametrize("run", range(5))
def test_a_studio_killed_while_keeping_a_draft_leaves_a_whole_one(
    article: Path, tmp_path: Path, run: int
) -> None:
    """SIGKILL at a moment of its own choosing, as a crash or a power cut would: the
    draft that is left is one the studio wrote, whole."""
    folder = tmp_path / "drafts"
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(folder), str(article)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    with child:
        assert child.stdout is not None and child.stdout.readline() == "ready\n"
        time.sleep(0.2 + run * 0.13)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    [draft] = Drafts(folder).pending()
    first, rest = draft.text.split("\n", 1)
    n = int(first.removeprefix("version "))
    assert n >= 1 and rest == "typed text. " * (n % 5000)
    kept = [p for p in folder.iterdir() if not p.name.startswith(".")]
    assert len(kept) == 1 and json.loads(kept[0].read_text(encoding="utf-8"))["format"] == 1
