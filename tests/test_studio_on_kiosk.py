"""The content studio on the kiosk itself, from its admin panel (kiosk studio --kiosk):
a copy of what the kiosk shows to edit, Publish that installs on this kiosk, the next
patient seeing the change, a studio left alone closing, and the admin panel starting
the real studio program and coming back when it ends."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import NamedTuple

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from studio_helpers import Answers, MakeStudio, choose
from test_hot_swap import heparin_title

from kiosk.core.content.pack import Pack
from kiosk.core.packs.signing import generate_keypair
from kiosk.core.packs.source import StoreWatch, from_store
from kiosk.core.packs.status import StoreError
from kiosk.core.packs.store import Store
from kiosk.core.studio.drafts import Drafts
from kiosk.core.studio.working_copy import WorkingCopy, packs_folder, working_copy
from kiosk.resources import bundled_content
from kiosk.ui.assembly import KioskParts
from kiosk.ui.controllers.studio_launch import StudioLauncher, offer_studio
from kiosk.ui.studio.on_kiosk import EXIT_IDLE, KioskSide, KioskStudio, fit_to_screen
from kiosk.ui.studio.window import StudioWindow
from kiosk.ui.theme import Theme

from conftest import make_kiosk

HEPARIN = Path("en") / "terms" / "heparin.md"
WAIT_MS = 60_000  # a build, a signature, an install and a whole pack read


def settings_file(tmp_path: Path) -> Path:
    """Where a kiosk's kiosk.toml would be: a folder of its own (~/.config/clinic-kiosk),
    which a signing key must not come from."""
    (tmp_path / "settings").mkdir(exist_ok=True)
    return tmp_path / "settings" / "kiosk.toml"


class OnKiosk(NamedTuple):
    """A studio as the kiosk opens it: on a working copy of the installed pack."""

    window: StudioWindow
    studio: KioskStudio
    folder: Path  # the studio's own folder (copy, base, packs)
    copy: WorkingCopy


def studio_on_kiosk(
    studios: MakeStudio, tmp_path: Path, store: Store, public: str, *, with_base: bool = False
) -> OnKiosk:
    """The studio on ``store``'s kiosk (trusting ``public``), its kiosk.toml in a folder
    of its own; ``with_base``: told of its copy's base (kiosk.core.studio.working_copy)."""
    folder = tmp_path / "studio"
    copy = working_copy(
        folder, store.current_pack_dir(), bundled_content(), (public,), tmp_path / "drafts"
    )
    window = studios(copy.folder, Answers())
    config = settings_file(tmp_path)  # the kiosk's, which the studio is told of
    config.write_text(f'store = "{store.root}"\ntrusted_keys = ["{public}"]\n', "utf-8")
    side = KioskSide(
        store.root, (public,), 300, packs_folder(folder), config, folder if with_base else None
    )
    return OnKiosk(window, KioskStudio(window, side), folder, copy)


def test_an_article_edited_on_the_kiosk_reaches_the_next_patient(
    qtbot: QtBot,
    studios: MakeStudio,
    theme: Theme,
    pin_hash: str,
    tmp_path: Path,
    installed: tuple[Store, Path, str],
) -> None:
    """Staff open the panel, edit Heparin's title in the studio on the kiosk's copy,
    publish with their key: it is installed here, waits while staff are in the panel,
    and the next patient sees the new title on the kiosk that was running all along."""
    store, private, public = installed
    shown = from_store(store, (public,))
    assert shown is not None
    watch = StoreWatch(shown, store, lambda: (public,), watch=True)
    parts = make_kiosk(qtbot, shown.pack, theme, pin_hash, index=shown.index, store=watch)
    parts.window.corner.triggered.emit()
    parts.staff_mode.unlock()
    assert heparin_title(parts) == "Heparin"

    made = studio_on_kiosk(studios, tmp_path, store, public)
    assert made.copy.made_from == "the installed pack, content version 1"
    window, on_kiosk, studio = made.window, made.studio, made.folder
    choose(window, HEPARIN)
    title = window.details.texts["title"]
    title.selectAll()
    QTest.keyClicks(title, "Heparin, a blood thinner")
    dialog = on_kiosk.publish()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.destination.text() == str(studio / "packs")  # no USB stick needed
    qtbot.waitUntil(lambda: "Working out" not in dialog.summary.text(), timeout=WAIT_MS)
    assert dialog.summary.text().splitlines() == [
        "Since the pack installed on this computer:",
        "Changed: en · Heparin, a blood thinner (title changed)",
    ]
    dialog.key.setText(str(private))
    QTest.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Installed on this kiosk" in dialog.verdict.text(), timeout=WAIT_MS)
    assert "Patients see it once you go back to the patient screen" in window.status.text()
    manager = parts.content
    assert manager is not None
    qtbot.waitUntil(lambda: manager.pending is not None, timeout=WAIT_MS)
    assert heparin_title(parts) == "Heparin"  # not under staff's hands
    # Said to staff in their words: which version waits, and when patients see it.
    qtbot.waitUntil(lambda: "Content version 2 is ready" in parts.window.staff.details.text())
    parts.window.admin.closed.emit()  # Back to patient screen
    qtbot.waitUntil(lambda: heparin_title(parts) == "Heparin, a blood thinner", timeout=WAIT_MS)
    assert parts.session.is_fresh()
    # The content version staff and the fleet's metrics see is one more than before.
    assert "content version 2" in dialog.verdict.text()
    assert manager.shown.pack.info.version == 2


def test_a_pack_signed_by_a_key_the_kiosk_does_not_trust_waits_for_it(
    qtbot: QtBot, studios: MakeStudio, tmp_path: Path, installed: tuple[Store, Path, str]
) -> None:
    """Staff publish with a key IT has not trusted on this kiosk: nothing is installed,
    and the words say why, what IT can do and where the pack waits; the key's place is
    not kept for the next Publish on a kiosk."""
    store, _private, public = installed
    stranger, _ = generate_keypair(tmp_path / "stranger")
    made = studio_on_kiosk(studios, tmp_path, store, public)
    on_kiosk, studio = made.studio, made.folder
    dialog = on_kiosk.publish()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.key.setText(str(stranger))
    before = store.status().current
    QTest.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not installed" in dialog.verdict.text(), timeout=WAIT_MS)
    said = dialog.verdict.text()
    assert said.startswith("Published, but not installed on this kiosk: it does not trust")
    assert "kiosk content trust" in said and str(packs_folder(studio)) in said
    assert said.count(str(packs_folder(studio))) == 1
    assert store.status().current == before
    dialog.close()
    again = on_kiosk.publish()
    assert again is not None
    qtbot.addWidget(again)
    assert again.key.text() == ""  # brought on a stick each time, never remembered here


def test_the_copy_comes_from_the_installed_pack_only_if_it_checks_out(
    tmp_path: Path, installed: tuple[Store, Path, str]
) -> None:
    """A damaged installed pack gives no copy (and says why); a whole one gives its
    content byte for byte; after that the copy is staff's and is left as they left it."""
    store, _private, public = installed
    current = store.current_pack_dir()
    assert current is not None
    article = current / "content" / HEPARIN
    good = article.read_bytes()
    article.chmod(0o644)
    article.write_bytes(good.replace(b"Heparin", b"Hexarin"))
    studio = tmp_path / "studio"
    with pytest.raises(StoreError, match="damaged"):
        working_copy(studio, current, bundled_content(), (public,), tmp_path / "drafts")
    assert not (studio / "content").exists()
    article.write_bytes(good)
    copy = working_copy(studio, current, bundled_content(), (public,), tmp_path / "drafts")
    made = sorted(p.relative_to(copy.folder) for p in copy.folder.rglob("*") if p.is_file())
    source = current / "content"
    assert made == sorted(p.relative_to(source) for p in source.rglob("*") if p.is_file())
    assert all((copy.folder / p).read_bytes() == (source / p).read_bytes() for p in made)
    (copy.folder / HEPARIN).write_text("staff's work\n", "utf-8")
    again = working_copy(studio, current, bundled_content(), (public,), tmp_path / "drafts")
    assert again.made_from == "" and (again.folder / HEPARIN).read_text() == "staff's work\n"


def test_a_copy_a_power_cut_left_half_made_is_made_again(tmp_path: Path) -> None:
    studio = tmp_path / "studio"
    (studio / ".content.new" / "en").mkdir(parents=True)
    (studio / ".content.new" / "en" / "half.md").write_text("half")
    copy = working_copy(studio, None, bundled_content(), (), tmp_path / "drafts")
    assert copy.made_from == f"the content folder {bundled_content()}"
    assert not (copy.folder / "en" / "half.md").exists()
    assert (copy.folder / "pack.toml").read_bytes() == (
        bundled_content() / "pack.toml"
    ).read_bytes()


def test_left_alone_the_studio_keeps_the_work_and_ends_for_the_kiosk(
    studios: MakeStudio, folder: Path, tmp_path: Path
) -> None:
    """Quiet for the admin panel's time (2 s here; 60 to 3600 in kiosk.toml), the studio
    first asks "Still there?" in its window (at half the time here; 30 s before on a
    kiosk), then keeps what was typed as a draft and ends with EXIT_IDLE, even with a
    question open; a key pressed meanwhile takes the question away and starts over."""
    window = studios(folder, Answers())
    on_kiosk = KioskStudio(
        window, KioskSide(tmp_path / "store", (), 2, tmp_path / "packs", tmp_path / "k.toml")
    )
    choose(window, HEPARIN)
    window.body.rich.insertPlainText("Typed, then left. ")
    QTest.keyClick(window.body.rich, Qt.Key.Key_End)  # the quiet time starts now
    key = partial(QTest.keyClick, window.body.rich, Qt.Key.Key_End)
    seen: list[tuple[float, bool, str]] = []

    def look() -> None:
        banner = on_kiosk.still_there
        seen.append((round(time.monotonic() - started, 1), banner.isVisible(), banner.text()))

    for at_ms, then in ((700, key), (1500, look), (1900, look), (2000, key), (2100, look)):
        QTimer.singleShot(at_ms, window.body.rich, then)
    started = time.monotonic()
    # The application's own loop, as in the studio: QApplication.exit(code) ends it with
    # the code (a bare QEventLoop would leave Qt's "quit now" set for later tests).
    code = QApplication.exec()
    assert code == EXIT_IDLE
    assert time.monotonic() - started >= 3.5  # the keys at 0.7 and 2.0 s started it over
    assert [visible for _, visible, _ in seen] == [False, True, False], seen
    assert seen[1][2].startswith("Still there? In 1 second the studio closes"), seen
    assert "Your changes are kept" in seen[1][2]
    drafts = Drafts(tmp_path / "drafts").pending()
    assert [d.article.name for d in drafts] == ["heparin.md"]
    assert "Typed, then left. " in drafts[0].text


def test_the_admin_panel_starts_the_studio_program_and_is_back_when_it_ends(
    qtbot: QtBot,
    theme: Theme,
    pin_hash: str,
    bundled_pack: Pack,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Edit articles starts `kiosk studio --kiosk` (the real program, on this kiosk's
    copy of its content); the panel's quiet clock runs until the studio's window is up,
    then stops while it runs; the kiosk closing ends it cleanly (drafts kept, exit 0),
    and the panel is back, its clock running."""
    caplog.set_level(logging.INFO, logger="kiosk")
    parts, launcher = _panel_with_studio(qtbot, theme, pin_hash, bundled_pack)
    window = parts.window
    assert window.staff.studio_button.text() == "Edit articles (needs a keyboard)"
    with qtbot.waitSignal(launcher.shown, timeout=60_000):
        window.staff.studio_button.click()
        assert launcher.running and parts.idle.admin_monitor.active
        assert window.staff.studio_said.text() == "Opening the studio..."
    assert not parts.idle.admin_monitor.active and window.isHidden()
    assert "studio: studio on " in caplog.text and "studio: INFO" not in caplog.text
    with qtbot.waitSignal(launcher.ended, timeout=30_000) as ended:
        launcher.stop()
    assert ended.args == [False, ""]  # closed as it should: no problem for staff
    assert window.stack.currentWidget() is window.admin
    assert parts.idle.admin_monitor.active
    assert not window.staff.studio_said.isVisible()


def _panel_with_studio(
    qtbot: QtBot, theme: Theme, pin_hash: str, pack: Pack
) -> tuple[KioskParts, StudioLauncher]:
    """A kiosk with its admin panel open and its Edit articles button live."""
    parts = make_kiosk(qtbot, pack, theme, pin_hash)
    parts.window.corner.triggered.emit()
    parts.staff_mode.unlock()
    launcher = StudioLauncher(None, parts.window)
    offer_studio(launcher, parts.staff_mode, parts.window.staff)
    return parts, launcher


def _stand_in(monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    """The studio's command replaced by a program that misbehaves as a studio might:
    hangs before its window, or freezes after it (the launcher under test is real)."""
    import sys

    from kiosk.ui.controllers import studio_launch

    monkeypatch.setattr(
        studio_launch, "studio_command", lambda _config: (sys.executable, ["-c", script])
    )


def test_a_studio_that_never_opens_leaves_the_panel_on_its_clock(
    qtbot: QtBot,
    theme: Theme,
    pin_hash: str,
    bundled_pack: Pack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A studio that hangs before its window: the unlocked panel keeps its quiet clock
    all along, and the studio is killed at its start limit, said on the panel."""
    from kiosk.ui.controllers import studio_launch

    _stand_in(monkeypatch, "import time; time.sleep(600)")
    monkeypatch.setattr(studio_launch, "START_LIMIT_MS", 3_000)
    parts, launcher = _panel_with_studio(qtbot, theme, pin_hash, bundled_pack)
    window = parts.window
    with qtbot.waitSignal(launcher.ended, timeout=30_000) as ended:
        window.staff.studio_button.click()
        assert parts.idle.admin_monitor.active
    assert ended.args == [False, "it stopped answering"]
    assert window.in_staff_mode and parts.idle.admin_monitor.active
    assert "it stopped answering" in window.staff.studio_said.text()


def test_a_studio_that_opens_after_the_panel_closed_is_stopped(
    qtbot: QtBot,
    theme: Theme,
    pin_hash: str,
    bundled_pack: Pack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The panel's clock ran out while the studio opened (patients have the kiosk):
    when its window comes up it is stopped, and the kiosk stays on screen for them."""
    from kiosk.ui.controllers import studio_launch

    _stand_in(
        monkeypatch,
        f"import time; time.sleep(2); print({studio_launch.WINDOW_SHOWN!r}, flush=True); "
        "time.sleep(600)",
    )
    parts, launcher = _panel_with_studio(qtbot, theme, pin_hash, bundled_pack)
    window = parts.window
    window.staff.studio_button.click()
    parts.staff_mode.leave()  # what the panel's clock does when it runs out
    with qtbot.waitSignal(launcher.ended, timeout=30_000):
        pass
    assert not window.isHidden() and not window.in_staff_mode
    assert window.session.is_fresh()


def test_a_studio_that_freezes_is_killed_and_the_kiosk_comes_back(
    qtbot: QtBot,
    theme: Theme,
    pin_hash: str,
    bundled_pack: Pack,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its window up, then silence (no heartbeat: its GUI thread is stuck): killed after
    the silence limit; the panel is back with its clock and says what happened. The
    studio is not handed the kiosk's systemd notify socket."""
    from kiosk.ui.controllers import studio_launch

    _stand_in(
        monkeypatch,
        "import os, time; print('notify', os.environ.get('NOTIFY_SOCKET'), flush=True); "
        f"print({studio_launch.WINDOW_SHOWN!r}, flush=True); time.sleep(600)",
    )
    monkeypatch.setattr(studio_launch, "SILENCE_LIMIT_MS", 2_000)
    monkeypatch.setenv("NOTIFY_SOCKET", "@kiosk-notify")
    parts, launcher = _panel_with_studio(qtbot, theme, pin_hash, bundled_pack)
    window = parts.window
    with qtbot.waitSignal(launcher.shown, timeout=30_000):
        window.staff.studio_button.click()
    assert window.isHidden() and not parts.idle.admin_monitor.active
    with qtbot.waitSignal(launcher.ended, timeout=30_000) as ended:
        pass
    # Frozen with its window over the kiosk: staff may have gone. Back to patients, the
    # panel locked, as for a studio left alone; why is kept for staff's next visit.
    assert ended.args == [True, "it stopped answering"]
    assert not window.isHidden() and not window.in_staff_mode
    assert not parts.idle.admin_monitor.active
    assert "it stopped answering" in window.staff.studio_said.text()


@pytest.fixture
def studio_process_look() -> Iterator[None]:
    """The application's look as in the studio's own process on a kiosk: Qt's, not the
    kiosk's style sheet and 26-pixel font that a kiosk made earlier in this process set."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    sheet, font = app.styleSheet(), app.font()
    app.setStyleSheet("")
    app.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
    yield
    app.setStyleSheet(sheet)
    app.setFont(font)


@pytest.mark.parametrize("screen", [(768, 1366), (1080, 1920), (1366, 768), (1024, 768)])
@pytest.mark.usefixtures("studio_process_look")
def test_the_studio_fits_a_kiosk_screen_either_way_up(
    qtbot: QtBot, studios: MakeStudio, folder: Path, tmp_path: Path, screen: tuple[int, int]
) -> None:
    """On a kiosk's screen, landscape or on its side, the window is the screen's size
    and every button staff need is on it, whole, with room to see the article list."""
    window = studios(folder, Answers())
    on_kiosk = KioskStudio(
        window, KioskSide(tmp_path / "store", (), 300, tmp_path / "packs", tmp_path / "k.toml")
    )
    fit_to_screen(window, QRect(0, 0, *screen))
    choose(window, HEPARIN)
    qtbot.waitUntil(lambda: window.size().toTuple() == screen, timeout=5000)
    qtbot.wait(100)  # the layout requests the new size posted
    whole = window.rect()
    buttons = (window.save_button, window.new_button, window.publish_button, on_kiosk.back_button)
    for button in buttons:
        placed = QRect(button.mapTo(window, QPoint(0, 0)), button.size())
        assert whole.contains(placed), (button.text(), placed, whole)
        assert button.width() >= button.sizeHint().width(), button.text()  # its words whole
    assert window.articles.height() >= 150  # five rows or more of the list
