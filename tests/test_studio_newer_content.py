"""The studio on a kiosk when newer content reached the kiosk after staff's copy was
made (a USB stick, the fleet): publishing the old copy must never put older articles
back on screen, and nothing staff did is lost.

- opened again, the studio starts from the newer content; the old copy is kept whole
  and each article staff changed and never published is offered back, saying when the
  newer content changed it too;
- while it is open, Publish refuses and says what to do;
- after a Publish from the kiosk, the copy stands on what it published (no false alarm).
"""

from __future__ import annotations

import os
import shutil
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from studio_helpers import MakeStudio
from test_studio_on_kiosk import HEPARIN, WAIT_MS, studio_on_kiosk

from kiosk.core.packs.build import build_pack
from kiosk.core.packs.store import Store
from kiosk.core.studio.drafts import Drafts
from kiosk.core.studio.working_copy import KEEP_PACKS, packs_folder, working_copy
from kiosk.resources import bundled_content

HEARTBURN = Path("en") / "terms" / "heartburn.md"


def newer_pack(
    tmp_path: Path, private: Path, changes: dict[Path, str], ago: timedelta = timedelta(0)
) -> Path:
    """The bundled content with ``changes`` (article -> text added at its end), built
    ``ago`` before now: newer than the installed pack."""
    folder = tmp_path / "newer-content"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(bundled_content(), folder)
    for article, added in changes.items():
        path = folder / article
        path.write_text(path.read_text("utf-8") + added, "utf-8")
    toml = folder / "pack.toml"
    toml.write_text(toml.read_text("utf-8").replace("version = 1\n", "version = 2\n", 1))
    pack = tmp_path / "newer.kpack"
    build_pack(folder, pack, private, datetime.now(UTC) - ago)
    return pack


def test_newer_content_gives_a_new_copy_and_offers_unpublished_changes_back(
    tmp_path: Path, installed: tuple[Store, Path, str]
) -> None:
    store, private, public = installed
    studio, drafts = tmp_path / "studio", tmp_path / "drafts"
    copy = working_copy(studio, store.current_pack_dir(), bundled_content(), (public,), drafts)
    heparin, heartburn = copy.folder / HEPARIN, copy.folder / HEARTBURN
    staff_heparin = heparin.read_text("utf-8") + "\nStaff's note on heparin.\n"
    heparin.write_text(staff_heparin, "utf-8")
    staff_heartburn = heartburn.read_text("utf-8") + "\nStaff's note on heartburn.\n"
    heartburn.write_text(staff_heartburn, "utf-8")
    # Same build: opened again, the copy is as staff left it.
    again = working_copy(studio, store.current_pack_dir(), bundled_content(), (public,), drafts)
    assert again.note == "" and heparin.read_text("utf-8") == staff_heparin
    # The newer content (a USB stick, the fleet) changed heparin too, and another article.
    store.install(newer_pack(tmp_path, private, {HEPARIN: "\nFrom the clinic.\n"}), (public,))
    newer = working_copy(studio, store.current_pack_dir(), bundled_content(), (public,), drafts)
    assert newer.made_from == "the installed pack, content version 2"
    assert newer.note.startswith(
        "Newer content had reached this kiosk since your last visit. Your 2 changed "
        "articles that were never published are offered back. Your old copy is kept in "
    )
    current = store.current_pack_dir()
    assert current is not None
    assert heparin.read_bytes() == (current / "content" / HEPARIN).read_bytes()
    (aside,) = studio.glob("content.before-*")
    assert (aside / HEPARIN).read_text("utf-8") == staff_heparin
    offered = {d.article: d for d in Drafts(drafts).pending()}
    assert offered[heparin.resolve()].text == staff_heparin
    assert offered[heparin.resolve()].file_changed  # the newer content changed it too
    assert offered[heartburn.resolve()].text == staff_heartburn
    assert not offered[heartburn.resolve()].file_changed
    # Opened once more: nothing newer, nothing moved.
    last = working_copy(studio, store.current_pack_dir(), bundled_content(), (public,), drafts)
    assert last.note == "" and len(list(studio.glob("content.before-*"))) == 1


def test_publish_refuses_while_newer_content_arrived_then_not_after_its_own(
    qtbot: QtBot, studios: MakeStudio, tmp_path: Path, installed: tuple[Store, Path, str]
) -> None:
    store, private, public = installed
    made = studio_on_kiosk(studios, tmp_path, store, public, with_base=True)
    on_kiosk, studio, copy = made.studio, made.folder, made.copy
    # Its own Publish: installed, and the copy now stands on it.
    dialog = on_kiosk.publish()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.publish_button.isEnabled() and dialog.verdict.text() == ""
    dialog.key.setText(str(private))
    QTest.mouseClick(dialog.publish_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Installed on this kiosk" in dialog.verdict.text(), timeout=WAIT_MS)
    dialog.close()
    # The key's path is not kept on the kiosk (an attacker found it in published.json).
    remembered = list(tmp_path.rglob("published.json"))
    assert remembered and all(str(private) not in p.read_text("utf-8") for p in remembered)
    again = on_kiosk.publish()
    assert again is not None
    qtbot.addWidget(again)
    assert again.publish_button.isEnabled(), again.verdict.text()
    assert again.key.text() == ""
    # An attacker's tries, with the PIN: a key typed into an article of the copy, and
    # the store as the place to publish to (an extra file damaged both installed packs).
    planted = copy.folder / "en" / "key.md"
    planted.write_bytes(private.read_bytes())
    before = sorted(p.name for p in store.root.rglob("*"))
    for key, where, said in (
        (planted, str(packs_folder(studio)), "the signing key must come on its own USB stick"),
        (private, str(store.root / "packs"), "a pack goes to the studio's own folder"),
    ):
        again.key.setText(str(key))
        again.destination.setText(where)
        QTest.mouseClick(again.publish_button, Qt.MouseButton.LeftButton)
        assert again.verdict.text().startswith("Not published: ") and said in again.verdict.text()
    planted.unlink()
    assert sorted(p.name for p in store.root.rglob("*")) == before
    # Newer content arrives while the dialog is open: refused at the click.
    time.sleep(1.1)  # a build number is its build time in whole seconds
    store.install(newer_pack(tmp_path, private, {HEARTBURN: "\nNew.\n"}), (public,))
    again.key.setText(str(private))
    again.destination.setText(str(packs_folder(studio)))
    QTest.mouseClick(again.publish_button, Qt.MouseButton.LeftButton)
    assert again.verdict.text().startswith("Not published: newer content reached this kiosk")
    again.close()
    refused = on_kiosk.publish()
    assert refused is not None
    qtbot.addWidget(refused)
    assert not refused.publish_button.isEnabled()
    said = refused.verdict.text()
    assert said.startswith("Not now: newer content reached this kiosk while you worked")
    assert "open the studio again" in said


def test_the_packs_folder_keeps_the_newest_packs_only(tmp_path: Path) -> None:
    studio = tmp_path / "studio"
    folder = packs_folder(studio)
    for number in range(KEEP_PACKS + 3):
        made = folder / f"clinic-{number}.kpack"
        made.write_bytes(b"pack")
        stamp = 1_700_000_000 + number * 60
        os.utime(made, (stamp, stamp))
    (folder / "notes.txt").write_text("not a pack")
    packs_folder(studio)
    kept = sorted(p.name for p in folder.glob("*.kpack"))
    assert kept == sorted(f"clinic-{n}.kpack" for n in range(3, KEEP_PACKS + 3))
    assert (folder / "notes.txt").exists()
