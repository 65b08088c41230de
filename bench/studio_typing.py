"""Typing in `kiosk studio`: a key in the text to the preview showing it, and to the text
processed with its reading-grade underlines redrawn, in a real StudioWindow (offscreen,
in-process) on a temporary copy of content/: on the longest bundled article, and on a
copy of content/ with a generated 3,000-word article (20 cards of about 150 words).

Each key is a QTest key event into the text (``window.body.rich``), the cursor in the
middle of a paragraph of the middle card:

- preview: from just before the key to the moment the preview's picture is taken with
  the new words in its kiosk's reader (the Checker's ``checked`` signal, once the
  studio's own slot has shown the pack), PREVIEW_KEYS keys, each alone: the next comes
  after the check and the preview's second picture. Most of it is the wait for typing
  to pause (kiosk.ui.studio.problems.SETTLE_MS), reported with and without it; the
  check itself (kiosk.core.studio.checking.check_with) and the preview's showing of its
  pack are timed apart, on the same text.
- key: from just before the key to the return of the event processing that painted
  the text: the Markdown written again (on every change), the highlighter's reading-
  grade hints redone for the paragraph, the hints said where the cursor stands. A
  phrase typed and deleted again, CYCLES times. Baseline, same run, same keys, same
  cursor: a bare QPlainTextEdit holding the same text; for reference, a bare QTextEdit
  holding a copy of the studio's formatted document (Qt's own rich-text cost).
- writer: kiosk.ui.studio.markdown_writer.write, on the article's document as the
  editor builds it, unchanged and with one paragraph changed (as after a key).

Prints one JSON line (milliseconds). ``--profile`` prints cProfile's busiest functions
of the studio's keys on the 3,000-word article instead.

    .venv/bin/python bench/studio_typing.py [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.inprocess import REPO, application  # noqa: I001
from bench.common import median, percentile
from bench.tap_latency import PaintSeen
from kiosk.core.studio.checking import check_with
from kiosk.core.studio.drafts import Draft, Drafts
from kiosk.ui.studio import markdown_writer
from kiosk.ui.studio.preview import SETTLE_MS as PREVIEW_SETTLE_MS
from kiosk.ui.studio.problems import SETTLE_MS
from kiosk.ui.studio.rich_text import KEPT, build
from kiosk.ui.studio.window import StudioWindow
from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, Qt, QTimer
from PySide6.QtGui import QTextBlock, QTextCursor, QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QWidget

PHRASE = "and so on "  # typed, then deleted again (BACK): the paragraph stays its size
BACK = "\b"
CYCLES = 10  # of the phrase typed and deleted: 200 keys per editor
ROUNDS = 5  # the editors take turns, CYCLES / ROUNDS cycles at a time
PREVIEW_KEYS = 25
WORDS = 3_000
CARD_WORDS = 150
Editor = QTextEdit | QPlainTextEdit


class Defaults:
    """What staff answer: the studio's Questions, each with its default."""

    def restore(self, draft: Draft) -> bool:
        return False

    def reload(self, path: Path) -> bool:
        return False

    def passphrase(self, problem: str) -> str | None:
        return None

    def lose_unsaved(self) -> bool:
        return True

    def choose_article(self, choices: list[tuple[str, str]], linked: str) -> str | None:
        return None

    def choose_picture(self) -> Path | None:
        return None

    def describe_picture(self, name: str) -> str | None:
        return None


def long_article(folder: Path) -> Path:
    """A 3,000-word article in plain sentences, written into ``folder`` (a copy of
    content/): the front matter of a bundled one with its title, summary and aliases
    changed, 20 cards of about 150 words under ``## `` headings."""
    rng = random.Random(3000)
    who = "You|Your doctor|A nurse|Your body|This plan|The clinic|Most people|A friend"
    does = "can help with|may ask about|will check|can lower|may need|can ease|should watch"
    what = "your blood sugar|the pain|a short walk|your heart rate|your medication|the dose"
    when = "|at home|each day|before you eat|if you feel sick|at your appointment|after a meal"
    parts = [p.split("|") for p in (who, does, what, when)]
    topics = "sleep food water walks pills pain stress friends work home weight sugar heart"
    topics += " lungs skin eyes teeth feet mood visits"
    cards: list[str] = []
    count = 0
    for number, topic in enumerate(topics.split()):
        paragraphs: list[str] = []
        for _ in range(3):
            sentences: list[str] = []
            while sum(len(s.split()) for s in sentences) < CARD_WORDS // 3 - 5:
                a, b, c, d = (rng.choice(p) for p in parts)
                sentences.append(f"{a} {b} {c}{' ' + d if d else ''}.")
            paragraphs.append(" ".join(sentences))
            count += sum(len(s.split()) for s in sentences)
        heading = f"## Your {topic}\n\n" if number else ""
        cards.append(heading + "\n\n".join(paragraphs) + "\n")
    assert abs(count - WORDS) < WORDS * 0.03, count
    model = (folder / "en" / "terms" / "hypertension.md").read_text("utf-8")
    front = model.split("\n---\n", 1)[0] + "\n---\n"
    for key, value in (
        ("title", "Living Well Day to Day"),
        ("summary", "Small steps each day help you feel well. Your care team can help."),
        ("aliases", "[daily care, healthy habits]"),
    ):
        front = re.sub(rf"^{key}: .*$", f"{key}: {value}", front, flags=re.MULTILINE)
    front = re.sub(r"^urgent: .*\n", "", front, flags=re.MULTILINE)
    path = folder / "en" / "terms" / "living-well-day-to-day.md"
    path.write_text(front + "\n".join(cards), encoding="utf-8")
    return path


def longest_bundled(folder: Path) -> Path:
    return max(sorted(folder.glob("*/*/*.md")), key=lambda p: len(p.read_text("utf-8").split()))


def wait(ms: int) -> None:
    """The event loop for ``ms`` (timers, the check's result) without spinning."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def until(done: Callable[[], bool], what: str, timeout_s: float = 60) -> None:
    start = time.perf_counter()
    while not done():
        if time.perf_counter() - start > timeout_s:
            raise RuntimeError(f"{what}: not within {timeout_s:.0f} s")
        wait(20)


def settled(window: StudioWindow) -> None:
    """No check waiting or running, and the preview's second picture taken."""
    until(lambda: not window.checker.busy, "the check")
    wait(PREVIEW_SETTLE_MS + 100)


def studio(folder: Path, drafts: Path) -> StudioWindow:
    window = StudioWindow(folder, Drafts(drafts), questions=Defaults())
    window.resize(1400, 900)  # as `kiosk studio` opens
    window.show()
    QCoreApplication.processEvents()
    return window


def close(widget: QWidget) -> None:
    widget.close()
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def middle_paragraph(window: StudioWindow) -> QTextBlock:
    """A paragraph of plain words (no list, heading or kept Markdown) in the card nearest
    the middle, whose text the preview's reader shows as it is."""
    assert window.preview.parts is not None
    reader = window.preview.parts.window.reader
    found: list[tuple[int, QTextBlock]] = []
    card = 0
    block = window.body.document().begin()
    while block.isValid():
        fmt = block.blockFormat()
        card += fmt.headingLevel() == 2
        if not fmt.headingLevel() and not fmt.property(KEPT) and block.textList() is None:
            found.append((card, block))
        block = block.next()
    middle = max(c for c, _ in found) / 2
    for _, block in sorted(found, key=lambda f: (abs(f[0] - middle), -len(f[1].text()))):
        cursor = QTextCursor(block)
        window.body.rich.setTextCursor(cursor)  # the preview shows its card at once
        if len(block.text()) > 80 and block.text() in reader.card_text():
            return block
    raise RuntimeError("no paragraph of plain words the preview shows as it is")


def place(edit: Editor, position: int) -> None:
    cursor = edit.textCursor()
    cursor.setPosition(position)
    edit.setTextCursor(cursor)
    edit.activateWindow()
    edit.setFocus()
    QCoreApplication.processEvents()


def press(edit: Editor, key: str) -> None:
    if key == BACK:
        QTest.keyClick(edit, Qt.Key.Key_Backspace)
    else:
        QTest.keyClicks(edit, key)


def keys_until_painted(edit: Editor, cycles: int) -> list[float]:
    """Milliseconds from each key to the return of the event processing that painted."""
    seen = PaintSeen(edit.viewport())
    times: list[float] = []
    for key in (PHRASE + BACK * len(PHRASE)) * cycles:
        QCoreApplication.processEvents()  # nothing of the last key left over
        seen.seen = False
        start = time.perf_counter()
        press(edit, key)
        while not seen.seen:
            QCoreApplication.processEvents()
            if time.perf_counter() - start > 5:
                raise RuntimeError("no paint within 5 s of the key")
        times.append((time.perf_counter() - start) * 1000)
    seen.remove()
    return times


def typing(window: StudioWindow, at: int, profile: cProfile.Profile | None) -> dict[str, Any]:
    """The studio's keys against the bare editors', taking turns."""
    text = window.body.document().toPlainText()
    plain = QPlainTextEdit()
    plain.setPlainText(text)
    rich = QTextEdit()
    rich.setDocument(window.body.document().clone(rich))
    times: dict[str, list[float]] = {"key": [], "bare_plain": [], "bare_rich": []}
    editors: dict[str, Editor] = {"key": window.body.rich, "bare_plain": plain, "bare_rich": rich}
    for bare in (plain, rich):
        bare.resize(window.body.rich.size())
        bare.show()
    for round_ in range(ROUNDS):
        for name, edit in editors.items():
            place(edit, at)
            if round_ == 0:
                keys_until_painted(edit, 1)  # warm-up: glyphs, first layouts
            if profile is not None and name == "key":
                profile.enable()
            times[name] += keys_until_painted(edit, CYCLES // ROUNDS)
            if profile is not None:
                profile.disable()
            if name == "key":
                settled(window)  # no check running while the bare editors type
    assert window.body.document().toPlainText() == text, "the text is not back as it was"
    close(plain)
    close(rich)
    return {name: stats(values) for name, values in times.items()}


def preview_keys(window: StudioWindow, block: QTextBlock, at: int) -> dict[str, Any]:
    """Each key alone, to the preview's picture of the card with the key's words."""
    preview = window.preview
    assert preview.parts is not None
    reader = preview.parts.window.reader
    done: list[float] = []
    loop = QEventLoop()
    guard = QTimer(loop)  # no check at all: the loop ends anyway
    guard.setSingleShot(True)
    guard.timeout.connect(loop.quit)

    def checked(_: object) -> None:  # connected after the studio's own slot: runs after
        done.append(time.perf_counter())
        loop.quit()

    window.checker.checked.connect(checked)
    place(window.body.rich, at)
    times, changed = [], 0
    for key in (PHRASE * PREVIEW_KEYS)[:PREVIEW_KEYS]:
        settled(window)
        before = preview.picture.pixmap().toImage()
        done.clear()
        start = time.perf_counter()
        press(window.body.rich, key)
        guard.start(30_000)
        loop.exec()
        guard.stop()
        if not done:
            raise RuntimeError("no check within 30 s of the key")
        words = block.text()
        cursor = window.body.rich.textCursor().position() - block.position()
        if words[max(0, cursor - 24) : cursor + 12] not in reader.card_text():
            raise RuntimeError(f"the preview does not show the key: {reader.card_text()!r}")
        times.append((done[-1] - start) * 1000)
        changed += preview.picture.pixmap().toImage() != before
    window.checker.checked.disconnect(checked)
    settled(window)
    after = [t - SETTLE_MS for t in times]
    return {"preview": stats(times), "preview_after_debounce": stats(after), "changed": changed}


def parts_of_the_preview(window: StudioWindow, scratch: Path) -> dict[str, float]:
    """The check alone (what the Checker's thread runs), and the studio showing its
    result (the ``checked`` signal: problems, article list, preview), on the text as
    typed."""
    current = window.current
    assert current is not None
    checks, shows = [], []
    for _ in range(3):
        start = time.perf_counter()
        checked = check_with(window.folder, {current.opened.path: current.text}, scratch)
        checks.append((time.perf_counter() - start) * 1000)
        assert checked.pack is not None, [p.message for p in checked.problems]
        start = time.perf_counter()
        window.checker.checked.emit(checked)
        shows.append((time.perf_counter() - start) * 1000)
        settled(window)
    return {"check_ms": median(checks), "show_ms": median(shows)}


def writer(window: StudioWindow, body: str, block_number: int) -> dict[str, float]:
    """markdown_writer.write on the article's document as the editor builds it."""
    document = QTextDocument()
    source = build(body, document, window.body.rich.font())
    markdown_writer.remember(document, source)

    def timed() -> list[float]:
        out = []
        for _ in range(100):
            start = time.perf_counter()
            markdown_writer.write(document, source)
            out.append((time.perf_counter() - start) * 1000)
        return out

    unchanged = timed()
    cursor = QTextCursor(document.findBlockByNumber(block_number))
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    cursor.insertText(" And so on.")
    edited = timed()
    return {"unchanged_p50": percentile(unchanged, 50), **stats(edited)}


def stats(values: list[float]) -> dict[str, float]:
    return {
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "max": max(values),
        "n": len(values),
    }


def measure(article: Path, folder: Path, profile: cProfile.Profile | None) -> dict[str, Any]:
    window = studio(folder, folder.parent / "drafts")
    document = window.open(article)
    body = document.body
    until(lambda: window.preview.parts is not None and not window.checker.busy, "the preview")
    settled(window)
    block = middle_paragraph(window)
    middle = block.text().find(" ", len(block.text()) // 2) + 1
    at = block.position() + middle
    result: dict[str, Any] = {
        "file": article.relative_to(folder).as_posix(),
        "words": len(body.split()),
        "blocks": window.body.document().blockCount(),
        "paragraph_chars": len(block.text()),
        "paragraph_underlines": len(block.layout().formats()),
        "writer": writer(window, body, block.blockNumber()),
    }
    result.update(typing(window, at, profile))
    if profile is None:
        result.update(preview_keys(window, block, at))
        result.update(parts_of_the_preview(window, folder.parent / "scratch"))
    result["problems"] = [window.problems.item(i).text() for i in range(window.problems.count())]
    close(window)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--profile", action="store_true", help="cProfile of the long article")
    args = parser.parse_args()
    app = application()
    app.setApplicationName("Content studio")
    result: dict[str, Any] = {"settle_ms": SETTLE_MS, "preview_settle_ms": PREVIEW_SETTLE_MS}
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-studio-") as tmp:
        bundled, generated = Path(tmp) / "bundled", Path(tmp) / "generated"
        for root in (bundled, generated):
            shutil.copytree(REPO / "content", root / "content")
        longest = longest_bundled(bundled / "content")
        made = long_article(generated / "content")
        if args.profile:
            profile = cProfile.Profile()
            measure(made, generated / "content", profile)
            stats_ = pstats.Stats(profile).strip_dirs()
            stats_.sort_stats("cumulative").print_stats(30)
            stats_.sort_stats("tottime").print_stats(20)
            return 0
        result["bundled"] = measure(longest, bundled / "content", None)
        result["generated"] = measure(made, generated / "content", None)
    result["keys"] = result["generated"]["key"]["n"]
    result["preview_keys"] = PREVIEW_KEYS
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
