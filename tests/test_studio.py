"""The content studio's window (kiosk.ui.studio) as staff use it: the form changes only
its field's lines, the text its body, work survives a killed studio, and a file someone
else saved is never overwritten."""

from __future__ import annotations

import difflib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from studio_helpers import Answers, MakeStudio, choose

from kiosk.core.content.loader import load_pack
from kiosk.ui.studio.window import StudioWindow

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[1]
RATE = Path("en") / "terms" / "heart-rate.md"


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.ndiff(before.splitlines(), after.splitlines())
        if line[:2] in ("- ", "+ ")
    ]


def test_every_article_is_listed_by_language_and_title(studios: MakeStudio, folder: Path) -> None:
    window = studios(folder)
    # Nothing to type into before an article is open; New article and Publish work.
    assert not window.editor.isEnabled() and window.new_button.isEnabled()
    assert window.publish_button.isEnabled()
    names = [window.articles.item(r).text() for r in range(window.articles.count())]
    assert len(names) == 28 and "en · Heart Rate" in names and "es · Frecuencia cardíaca" in names


def test_opening_and_saving_with_no_change_leaves_the_file_as_it_was(
    studios: MakeStudio, folder: Path
) -> None:
    before = (folder / RATE).read_bytes()
    mtime = (folder / RATE).stat().st_mtime_ns
    window = studios(folder)
    choose(window, RATE)
    assert window.body.rich.toPlainText().startswith("Your heart rate")
    assert window.save()
    assert (folder / RATE).read_bytes() == before and (folder / RATE).stat().st_mtime_ns == mtime
    # Said in words that tell it from its translation (the same file name in es/).
    assert window.status.text() == f"{RATE.name} (English) saved"


def test_a_title_typed_in_the_form_changes_only_the_title_line(
    studios: MakeStudio, folder: Path
) -> None:
    before = (folder / RATE).read_text("utf-8")
    window = studios(folder)
    choose(window, RATE)
    title = window.details.texts["title"]
    title.selectAll()
    QTest.keyClicks(title, "Pulse: how fast your heart beats")
    assert window.save()
    after = (folder / RATE).read_text("utf-8")
    assert changed_lines(before, after) == [
        "- title: Heart Rate",
        '+ title: "Pulse: how fast your heart beats"',
    ]
    result = load_pack(folder)
    mine = [p for p in result.problems if p.file.endswith("heart-rate.md")]
    assert mine == [] and result.ok


def test_a_new_review_date_sets_the_next_a_year_on(studios: MakeStudio, folder: Path) -> None:
    before = (folder / RATE).read_text("utf-8")
    window = studios(folder)
    choose(window, RATE)
    window.details.dates["reviewed"].setDate(QDate(2026, 12, 3))
    assert window.save()
    assert sorted(changed_lines(before, (folder / RATE).read_text("utf-8"))) == sorted(
        [
            "- reviewed: 2026-11-27",
            "+ reviewed: 2026-12-03",
            "- review_due: 2027-11-27",
            "+ review_due: 2027-12-03",
        ]
    )


def test_text_typed_and_not_saved_is_offered_back_at_the_next_start(
    qtbot: QtBot, studios: MakeStudio, folder: Path
) -> None:
    window = studios(folder)
    choose(window, RATE)
    window.body.rich.moveCursor(window.body.rich.textCursor().MoveOperation.End)
    QTest.keyClick(window.body.rich, Qt.Key.Key_Return)  # a new item of the last list...
    window.body.toolbar.paragraph.trigger()  # ...made a paragraph
    QTest.keyClicks(window.body.rich, "Drink water before you exercise.")
    assert window.current is not None
    assert window.current.text.endswith("exercise?\n\nDrink water before you exercise.\n")
    window.keep_drafts()  # the autosave's turn
    window.close()
    answers = Answers(restore=True)
    again = studios(folder, answers)
    qtbot.wait(100)  # the list takes the focus: the restored article stays on screen
    assert answers.asked == ["restore heart-rate.md"]
    assert again.body.rich.toPlainText().endswith("Drink water before you exercise.")
    current = again.articles.currentItem()
    assert current is not None and current.text() == "en · Heart Rate"
    assert again.current is not None and again.current.dirty
    assert again.save()
    assert (folder / RATE).read_text("utf-8").endswith("\n\nDrink water before you exercise.\n")
    assert studios(folder, answers).current is None  # saved: nothing to offer
    assert answers.asked == ["restore heart-rate.md"]


def test_a_draft_staff_do_not_want_is_not_offered_again(studios: MakeStudio, folder: Path) -> None:
    window = studios(folder)
    choose(window, RATE)
    QTest.keyClicks(window.body.rich, "Oops. ")
    window.keep_drafts()
    no = Answers(restore=False)
    studios(folder, no)
    studios(folder, no)
    assert no.asked == ["restore heart-rate.md"]


def test_a_file_someone_else_saved_is_not_overwritten(studios: MakeStudio, folder: Path) -> None:
    answers = Answers(reload=False)
    window = studios(folder, answers)
    choose(window, RATE)
    QTest.keyClicks(window.body.rich, "Mine. ")
    theirs = (folder / RATE).read_text("utf-8") + "\nTheirs.\n"
    (folder / RATE).write_text(theirs, "utf-8")
    assert not window.save()
    assert (folder / RATE).read_text("utf-8") == theirs
    assert answers.asked == ["reload heart-rate.md"] and "changed on disk" in window.status.text()
    assert window.body.rich.toPlainText().startswith("Mine. ")  # still on screen, unsaved


_STUDIO_KILLED = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
from kiosk.core.studio.drafts import Drafts
from kiosk.ui.studio.window import StudioWindow
app = QApplication([])
window = StudioWindow(Path(sys.argv[1]), Drafts(Path(sys.argv[2])), autosave_ms=200)
window.open(Path(sys.argv[1]) / "en" / "terms" / "heart-rate.md")
window.body.rich.append("Typed before the power cut.")
print("typed", flush=True)
app.exec()
"""


def test_a_studio_killed_mid_edit_offers_the_work_back(
    studios: MakeStudio, folder: Path, tmp_path: Path
) -> None:
    """The real studio in its own process, killed (a crash, a power cut) after it has
    kept a draft: the next start offers the typed text back."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    with subprocess.Popen(
        [sys.executable, "-c", _STUDIO_KILLED, str(folder), str(tmp_path / "drafts")],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    ) as child:
        assert child.stdout is not None and child.stdout.readline() == "typed\n"
        deadline = time.monotonic() + 20
        while not list((tmp_path / "drafts").glob("*.draft.json")):
            assert time.monotonic() < deadline, "no draft was kept"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    answers = Answers(restore=True)
    window = studios(folder, answers)
    assert answers.asked == ["restore heart-rate.md"]
    assert window.body.rich.toPlainText().rstrip().endswith("Typed before the power cut.")


def test_the_studio_on_a_folder_that_is_no_content_says_so_in_one_line(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "kiosk", "studio", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "no pack.toml there" in run.stderr


LONG_SENTENCE = (
    "We will utilize the medicine prior to your appointment so that the physician can "
    "determine whether the additional treatment that was recommended by the cardiologist "
    "is appropriate for individuals like you."
)


def test_hard_sentences_and_words_are_underlined_and_said_where_the_cursor_is(
    studios: MakeStudio, folder: Path
) -> None:
    (folder / "plain-words.toml").write_text('[en]\nappointment = "visit"\n', "utf-8")
    window = studios(folder)
    choose(window, RATE)
    window.body.rich.moveCursor(window.body.rich.textCursor().MoveOperation.End)
    window.body.rich.insertPlainText("\n\n" + LONG_SENTENCE)
    block = window.body.rich.document().lastBlock()
    colour = [""] * len(LONG_SENTENCE)  # each character's wavy underline
    for run in block.layout().formats():
        if run.format.underlineStyle() == run.format.UnderlineStyle.WaveUnderline:
            for i in range(run.start, run.start + run.length):
                colour[i] = run.format.underlineColor().name()
    assert all(colour)  # the whole sentence: its grade is too high
    at = LONG_SENTENCE.index("utilize")
    assert set(colour[at : at + len("utilize")]) == {"#007a3d"}  # a plain word for it
    assert colour[0] == "#b35900"  # "We": the sentence's own colour
    cursor = window.body.rich.textCursor()
    cursor.setPosition(block.position() + at + 2)
    window.body.rich.setTextCursor(cursor)
    said = window.status.text()
    assert "'utilize': try 'use'" in said and "31 words" in said
    cursor.setPosition(block.position() + LONG_SENTENCE.index("appointment") + 1)
    window.body.rich.setTextCursor(cursor)
    assert "'appointment': try 'visit'" in window.status.text()  # the clinic's own list


def test_the_validator_speaks_as_staff_type_and_a_click_goes_to_the_line(
    qtbot: QtBot, studios: MakeStudio, folder: Path
) -> None:
    window = studios(folder)
    choose(window, RATE)
    window.body.toolbar.expert.trigger()  # a broken link: only the Markdown can make one
    markdown = window.body.markdown
    markdown.moveCursor(markdown.textCursor().MoveOperation.End)
    QTest.keyClick(markdown, Qt.Key.Key_Return)
    QTest.keyClicks(markdown, "See [this](no-such-article).")
    qtbot.waitUntil(lambda: window.problems.count() == 1, timeout=10_000)
    said = window.problems.item(0).text()
    # Where it is as staff see it: the last card (6 with its opening), not a file line.
    assert said.startswith("Error in the text, card 6: ") and "'no-such-article'" in said
    line = int(window.problems.item(0).data(Qt.ItemDataRole.UserRole))
    assert (folder / RATE).read_text("utf-8").count("\n") < line  # unsaved: not on disk
    markdown.moveCursor(markdown.textCursor().MoveOperation.Start)
    QTest.mouseClick(
        window.problems.viewport(),
        Qt.MouseButton.LeftButton,
        pos=window.problems.visualItemRect(window.problems.item(0)).center(),
    )
    assert markdown.textCursor().block().text() == "See [this](no-such-article)."
    QTest.keyClick(markdown, Qt.Key.Key_End)
    for _ in "See [this](no-such-article).":
        QTest.keyClick(markdown, Qt.Key.Key_Backspace)
    qtbot.waitUntil(lambda: window.problems.count() == 0, timeout=10_000)


def test_a_problem_in_the_details_goes_to_its_field(
    qtbot: QtBot, studios: MakeStudio, folder: Path
) -> None:
    window = studios(folder)
    choose(window, RATE)
    window.details.dates["review_due"].setDate(QDate(2020, 1, 1))  # long past
    qtbot.waitUntil(lambda: window.problems.count() == 2, timeout=10_000)
    said = [window.problems.item(i).text() for i in range(2)]
    # In the form's words, errors first.
    assert said[0].startswith("Error in Review due: Review due is before Reviewed on")
    assert said[1].startswith("Warning in Review due: Review due 2020-01-01 has passed")
    window.problems.chosen.emit(int(window.problems.item(0).data(Qt.ItemDataRole.UserRole)))
    assert window.details.dates["review_due"].hasFocus() or QApplication.focusWidget() in (
        window.details.dates["review_due"],
        window.details.dates["review_due"].focusProxy(),
    )


def test_going_from_article_to_article_changes_none_of_them(
    qtbot: QtBot, studios: MakeStudio, folder: Path
) -> None:
    """Opening articles in turn, across languages (the hints change language too),
    shows each as its file holds it and marks none of them changed."""
    window = studios(folder)
    qtbot.wait(50)  # the list takes the focus and opens its first article
    for relative in (
        RATE,
        Path("es/terms/heart-rate.md"),
        Path("en/terms/hammertoe.md"),
        Path("es/topics/harm-reduction-therapy.md"),
        RATE,
    ):
        choose(window, relative)
        qtbot.wait(20)
        assert window.current is not None
        assert window.current.opened.path.as_posix().endswith(relative.as_posix())
        assert window.body.markdown.toPlainText() == window.current.body
        assert window.current.body in (folder / relative).read_text("utf-8")
    assert [d.opened.path.name for d in window.documents.values() if d.dirty] == []


def test_the_preview_shows_the_card_being_edited_as_patients_will_see_it(
    qtbot: QtBot, studios: MakeStudio, folder: Path
) -> None:
    """The kiosk's own reader, on the card the cursor is in, with what was just typed
    (not saved); 200% text and portrait change the picture; a text with an error
    leaves the last good picture up and says so."""
    window = studios(folder)
    choose(window, RATE)
    preview = window.preview
    qtbot.waitUntil(lambda: preview.parts is not None, timeout=10_000)
    block = window.body.rich.document().find("How to check your pulse").block().next()
    cursor = window.body.rich.textCursor()
    cursor.setPosition(block.position() + block.length() - 1)
    window.body.rich.setTextCursor(cursor)
    QTest.keyClicks(window.body.rich, " Use a watch.")
    assert preview.parts is not None
    reader = preview.parts.window.reader
    qtbot.waitUntil(lambda: "Use a watch." in reader.card_text(), timeout=10_000)
    assert reader.card_text().startswith("How to check your pulse")
    assert not (folder / RATE).read_text("utf-8").count("Use a watch.")
    landscape = preview.picture.pixmap().toImage()
    assert landscape.width() > landscape.height()
    preview.text_size.setCurrentIndex(preview.text_size.findText("200%"))
    preview.text_size.activated.emit(preview.text_size.currentIndex())
    assert preview.parts.session.settings.text_scale == 2.0
    assert preview.picture.pixmap().toImage() != landscape  # the words are bigger
    qtbot.wait(600)  # the kiosk's pages arrange themselves at the new size
    settled = preview.parts.window.grab().scaled(
        preview.picture.size(),
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    assert preview.picture.pixmap().toImage() == settled.toImage()  # not the card cut short
    preview.language.setCurrentIndex(preview.language.findText("Spanish"))
    preview.language.activated.emit(preview.language.currentIndex())
    assert preview.parts.session.locale == "es"
    assert reader.card_text().startswith("Cómo")  # the same card of the translation
    preview.language.setCurrentIndex(0)  # the article's own language again
    preview.language.activated.emit(0)
    assert preview.parts.session.locale == "en"
    preview.screen_shape.setCurrentIndex(preview.screen_shape.findText("Portrait"))
    preview.screen_shape.activated.emit(preview.screen_shape.currentIndex())
    portrait = preview.picture.pixmap().toImage()
    assert portrait.height() > portrait.width()
    window.body.toolbar.expert.trigger()
    QTest.keyClicks(window.body.markdown, " See [x](no-such-article).")
    qtbot.waitUntil(lambda: "has errors" in preview.note.text(), timeout=10_000)
    assert "no-such-article" not in reader.card_text()  # the last good version stays


def _click_publish(qtbot: QtBot, window: StudioWindow, after: QWidget | None = None) -> Any:
    """The Publish dialog as staff open it: a click on Publish... (the button's signal
    once passed its "checked" where the kiosk's settings go, and a staff computer was
    taken for a kiosk: a test calling window.publish() could not see it)."""
    from kiosk.ui.studio.publish import PublishDialog

    QTest.mouseClick(window.publish_button, Qt.MouseButton.LeftButton)
    dialogs = [d for d in window.findChildren(PublishDialog) if d is not after]
    assert len(dialogs) == 1
    qtbot.addWidget(dialogs[0])
    return dialogs[0]


def test_publish_saves_first_says_what_changes_and_asks_for_the_passphrase(
    qtbot: QtBot, studios: MakeStudio, folder: Path, tmp_path: Path
) -> None:
    """Unsaved text is saved before publishing; the dialog says what changes for
    patients; a key with a passphrase is asked for it (a wrong one, again); the pack
    is written to the chosen folder."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = tmp_path / "staff.key"
    key.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"clinic secret"),
        )
    )
    usb = tmp_path / "usb"
    usb.mkdir()
    answers = Answers()
    answers.passphrases = ["wrong", "clinic secret"]
    window = studios(folder, answers)
    choose(window, RATE)
    QTest.keyClicks(window.body.rich, "Count slowly. ")
    dialog = _click_publish(qtbot, window)
    assert (folder / RATE).read_text("utf-8").count("Count slowly. ") == 1  # saved first
    qtbot.waitUntil(lambda: "Working out" not in dialog.summary.text(), timeout=20_000)
    said = dialog.summary.text()  # no kiosk on this computer, nothing published yet
    assert said == "Nothing was published from this computer yet: all 28 articles are new."
    dialog.key.setText(str(key))
    dialog.destination.setText(str(usb))
    with qtbot.waitSignal(dialog.published, timeout=60_000) as published:
        QTest.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    assert answers.asked == [
        "The signing key staff.key is protected by a passphrase",
        "That passphrase is not staff.key's",
    ]
    [pack] = list(usb.glob("*.kpack"))
    assert (
        published.args == [pack]
        and dialog.verdict.text() == f"Published: {pack} (content version 1)"
    )
    dialog.close()
    # The next Publish: what changed since this one, and the same key and USB stick.
    choose(window, Path("en/terms/hammertoe.md"))
    QTest.keyClicks(window.body.rich, "Wear wide shoes. ")
    again = _click_publish(qtbot, window, after=dialog)
    qtbot.waitUntil(lambda: "Working out" not in again.summary.text(), timeout=20_000)
    lines = again.summary.text().splitlines()
    assert lines[0].startswith("Since the pack published from here on ")
    assert lines[0].endswith(f"({pack.name}):")
    assert lines[1:] == ["Changed: en · Hammertoe (the opening card changed)"]
    assert (again.key.text(), again.destination.text()) == (str(key), str(usb))
    # Published again with that change: the next content version, in pack.toml too.
    answers.passphrases = ["clinic secret"]
    with qtbot.waitSignal(again.published, timeout=60_000):
        QTest.mouseClick(again.publish_button, Qt.MouseButton.LeftButton)
    assert again.verdict.text().endswith("(content version 2)")
    assert "\nversion = 2\n" in (folder / "pack.toml").read_text("utf-8")


def test_after_publish_typing_goes_to_the_article_on_screen(
    qtbot: QtBot, studios: MakeStudio, folder: Path
) -> None:
    """Publishing saves every changed article; the one on screen stays the one typed
    into (it once became the last one saved, and its file got another's text)."""
    window = studios(folder)
    toe = Path("en/terms/hammertoe.md")
    choose(window, RATE)
    QTest.keyClicks(window.body.rich, "Rate. ")
    choose(window, toe)
    QTest.keyClicks(window.body.rich, "Toe. ")
    choose(window, Path("en/terms/heart-block.md"))
    QTest.keyClicks(window.body.rich, "Block. ")
    dialog = window.publish()
    assert dialog is not None
    dialog.close()
    QTest.keyClicks(window.body.rich, "More block. ")
    assert window.save()
    assert "Block. More block. " in (folder / "en/terms/heart-block.md").read_text("utf-8")
    assert "More block." not in (folder / toe).read_text("utf-8")
    assert "More block." not in (folder / RATE).read_text("utf-8")


def test_a_restored_draft_does_not_save_over_a_file_changed_since(
    studios: MakeStudio, folder: Path
) -> None:
    window = studios(folder)
    choose(window, RATE)
    QTest.keyClicks(window.body.rich, "Mine. ")
    window.keep_drafts()
    window.close()
    theirs = (folder / RATE).read_text("utf-8") + "\nTheirs.\n"
    (folder / RATE).write_text(theirs, "utf-8")
    answers = Answers(restore=True, reload=False)
    again = studios(folder, answers)
    assert again.body.rich.toPlainText().startswith("Mine. ")
    assert not again.save()
    assert (folder / RATE).read_text("utf-8") == theirs
    assert answers.asked == ["restore heart-rate.md", "reload heart-rate.md"]


def test_drafts_of_another_content_folder_are_not_offered(
    studios: MakeStudio, folder: Path, tmp_path: Path
) -> None:
    import shutil

    other = tmp_path / "other" / "content"
    shutil.copytree(folder, other)
    window = studios(other)
    choose(window, RATE)
    QTest.keyClicks(window.body.rich, "Other folder. ")
    window.keep_drafts()
    here = Answers()
    studios(folder, here)
    assert here.asked == []
    there = Answers(restore=False)
    studios(other, there)
    assert there.asked == ["restore heart-rate.md"]


def test_a_windows_file_keeps_its_line_endings_and_its_permissions(
    studios: MakeStudio, folder: Path
) -> None:
    path = folder / RATE
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    path.chmod(0o664)
    window = studios(folder)
    choose(window, RATE)
    QTest.keyClicks(window.body.rich, "Hi. ")
    for _ in "Hi. ":
        QTest.keyClick(window.body.rich, Qt.Key.Key_Backspace)
    assert window.current is not None and not window.current.dirty  # typed, then undone
    QTest.keyClicks(window.body.rich, "Hi. ")
    assert window.save()
    data = path.read_bytes()
    assert data.count(b"\n") == data.count(b"\r\n") and data.startswith(b"---\r\n")
    assert b"Hi. " in data and path.stat().st_mode & 0o777 == 0o664


_CLOSE = """
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from kiosk.core.studio.drafts import Drafts
from kiosk.ui.studio.window import StudioWindow
app = QApplication([])
window = StudioWindow(Path(sys.argv[1]), Drafts(Path(sys.argv[2])))
window.show()
QTimer.singleShot(3000, window.close)  # after the preview's kiosk is made
sys.exit(app.exec())
"""


def test_closing_the_studio_ends_it(folder: Path, tmp_path: Path) -> None:
    """Its preview's kiosk, shown off screen, must not keep the program running."""
    run = subprocess.run(
        [sys.executable, "-c", _CLOSE, str(folder), str(tmp_path / "drafts")],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr[-2000:]


def test_publishing_content_with_errors_says_which(
    qtbot: QtBot, studios: MakeStudio, folder: Path, tmp_path: Path
) -> None:
    from kiosk.core.packs.signing import generate_keypair

    key, _ = generate_keypair(tmp_path / "keys")
    window = studios(folder)
    choose(window, RATE)
    window.body.toolbar.expert.trigger()
    QTest.keyClick(window.body.markdown, Qt.Key.Key_Return)
    QTest.keyClicks(window.body.markdown, "See [this](no-such-article).")
    dialog = window.publish()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.key.setText(str(key))
    dialog.destination.setText(str(tmp_path))
    QTest.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Not published" in dialog.verdict.text(), timeout=30_000)
    said = dialog.verdict.text()
    assert "heart-rate.md" in said and "'no-such-article'" in said
    assert list(tmp_path.glob("*.kpack")) == []


def test_a_draft_naming_a_file_outside_the_folder_through_dots_is_not_offered(
    studios: MakeStudio, folder: Path, tmp_path: Path
) -> None:
    """A hand-made draft whose path begins in the folder and climbs out of it."""
    import json

    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: Not content\n---\nx\n", "utf-8")
    drafts = tmp_path / "drafts"
    drafts.mkdir(exist_ok=True)
    (drafts / "0.draft.json").write_text(
        json.dumps(
            {
                "format": 1,
                "article": f"{folder.resolve()}/../outside.md",
                "base_digest": "0" * 64,
                "saved_at": "2026-12-03T10:00:00+00:00",
                "text": "changed",
            }
        ),
        "utf-8",
    )
    answers = Answers(restore=True)
    studios(folder, answers)
    assert answers.asked == [] and outside.read_text("utf-8").endswith("x\n")
