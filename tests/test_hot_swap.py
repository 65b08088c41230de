"""A new pack lands in the store while the kiosk runs: it shows between patients,
never while someone is reading, and a pack that fails its checks never shows.

End to end: a real store on disk, the real verifier thread, a real kiosk; each test
waits for the content manager's signals. The decisions themselves, case by case, are
tested in milliseconds in tests/test_content_selection.py."""

from __future__ import annotations

import shutil
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kiosk.core.content.pack import Pack
from kiosk.core.packs.build import build_pack
from kiosk.core.packs.format import Manifest
from kiosk.core.packs.installed import _LocaleArticles as LocaleArticles
from kiosk.core.packs.signing import generate_keypair, load_private_key, public_key_text
from kiosk.core.packs.source import ContentChoice, StoreWatch, from_store, load_folder
from kiosk.core.packs.store import Store
from kiosk.ui.assembly import KioskParts
from kiosk.ui.content_manager import ContentManager
from kiosk.ui.theme import Theme

from conftest import CONTENT, make_kiosk
from helpers import shown_words

pytestmark = pytest.mark.gui
WAIT_MS = 10_000  # a settle, a look and a whole pack read; far less on any machine


@pytest.fixture(scope="module")
def signing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    private, _public = generate_keypair(tmp_path_factory.mktemp("signing") / "keys")
    return private, public_key_text(load_private_key(private))


PACKS = 4  # builds 20261127120001 to ...04; a store takes them in that order


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory, signing: tuple[Path, str]) -> list[Path]:
    """Built once for the module (each build takes half a second): pack ``n`` is build
    2026112712000``n`` and its Heparin article is titled ``Heparin (n)``. Index 0 is
    unused, so that ``packs[1]`` is build 1."""
    key, _public = signing
    where = tmp_path_factory.mktemp("packs")
    built = [where / "unused"]
    for n in range(1, PACKS + 1):
        folder = where / f"content-{n}"
        shutil.copytree(CONTENT, folder)
        article = folder / "en" / "terms" / "heparin.md"
        text = article.read_text("utf-8").replace("title: Heparin", f"title: Heparin ({n})")
        article.write_text(text, "utf-8")
        out = where / f"pack-{n}.kpack"
        build_pack(folder, out, key, now=datetime(2026, 11, 27, 12, 0, n, tzinfo=UTC))
        built.append(out)
    return built


# The kiosk following a store, its content manager and the store.
HotSwapKiosk = tuple[KioskParts, ContentManager, Store]


@pytest.fixture
def kiosk(
    qtbot: QtBot,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    tmp_path: Path,
    signing: tuple[Path, str],
) -> HotSwapKiosk:
    _private, public = signing
    store = Store(tmp_path / "store")
    parts = watching_kiosk(qtbot, theme, pin_hash, store, public)
    assert parts.content is not None
    return parts, parts.content, store


def watching_kiosk(
    qtbot: QtBot, theme: Theme, pin_hash: str, store: Store, public: str
) -> KioskParts:
    """A kiosk started on its bundled content (the store had nothing), watching ``store``."""
    shown = load_folder(CONTENT, "bundled content")
    assert shown is not None
    watch = StoreWatch(shown, store, lambda: (public,), watch=True)
    return make_kiosk(qtbot, shown.pack, theme, pin_hash, store=watch)


@pytest.fixture
def whole_pack_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The threads that read a whole pack (verify_installed), wherever it is called."""
    from kiosk.core.packs import integrity

    threads: list[str] = []
    original = integrity.verify_installed

    def recorded(*args: Any, **kwargs: Any) -> Manifest:
        threads.append(threading.current_thread().name)
        return original(*args, **kwargs)

    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "")
        if name.startswith("kiosk") and getattr(module, "verify_installed", None) is original:
            monkeypatch.setattr(module, "verify_installed", recorded)
    yield threads


@pytest.fixture
def hashing_threads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The threads that hash anything (kiosk.core.digest.Sha256), from now on."""
    from kiosk.core import digest

    threads: list[str] = []
    original = digest.Sha256.__init__

    def recorded(self: digest.Sha256, data: bytes = b"") -> None:
        threads.append(threading.current_thread().name)
        original(self, data)

    monkeypatch.setattr(digest.Sha256, "__init__", recorded)
    return threads


def heparin_title(parts: KioskParts) -> str:
    article = parts.navigator.view.article("en", "heparin")
    return article.title if article else ""


def kiosk_on_store(
    qtbot: QtBot,
    theme: Theme,
    pin_hash: str,
    store: Store,
    public: str,
    follow: bool = False,
    bundled: Path | None = None,
) -> tuple[KioskParts, ContentChoice]:
    """A real kiosk on the store's pack, opened as a kiosk opens it at start; ``follow``:
    it follows the store (not watching it: tests call check_store)."""
    shown = from_store(store, (public,))
    assert shown is not None
    watch = StoreWatch(shown, store, lambda: (public,), watch=False, bundled=bundled)
    parts = make_kiosk(
        qtbot, shown.pack, theme, pin_hash, index=shown.index, store=watch if follow else None
    )
    return parts, shown


def test_a_pack_installed_as_the_kiosk_starts_is_not_missed(
    qtbot: QtBot,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    tmp_path: Path,
    signing: tuple[Path, str],
    packs: list[Path],
) -> None:
    """What shows is chosen from the store before its watcher is on: a pack installed in
    between (CI: `kiosk content install` as a loaded machine started the kiosk; on a
    kiosk, the fleet timer's check) changed nothing the watcher could see, and the kiosk
    showed its bundled content until the store changed again."""
    _private, public = signing
    store = Store(tmp_path / "store")
    store.install(packs[1], (public,))  # after the kiosk chose, before it watches
    parts = watching_kiosk(qtbot, theme, pin_hash, store, public)
    qtbot.waitUntil(lambda: heparin_title(parts) == "Heparin (1)", timeout=WAIT_MS)


def test_a_new_pack_waits_until_nobody_is_reading(
    qtbot: QtBot, kiosk: HotSwapKiosk, signing: tuple[Path, str], packs: list[Path]
) -> None:
    parts, manager, store = kiosk
    window = parts.window
    _key, public = signing
    window.session.open_home()
    parts.navigator.open_article("heart-rate")  # a patient is reading
    with qtbot.waitSignal(manager.next_ready, timeout=WAIT_MS):  # seen by the watcher
        store.install(packs[1], (public,))
    assert heparin_title(parts) == "Heparin"  # nothing changes under the patient's eyes
    assert window.reader.article is not None and window.reader.article.slug == "heart-rate"
    window.session.reset()
    assert heparin_title(parts) == "Heparin (1)"
    assert manager.shown.build == 20261127120001


def test_an_idle_kiosk_switches_straight_away(
    qtbot: QtBot, kiosk: HotSwapKiosk, signing: tuple[Path, str], packs: list[Path]
) -> None:
    parts, manager, store = kiosk
    window = parts.window
    _key, public = signing
    assert window.session.is_fresh()
    with qtbot.waitSignal(manager.shown_changed, timeout=WAIT_MS):
        store.install(packs[1], (public,))
    assert heparin_title(parts) == "Heparin (1)"


def test_a_damaged_install_is_never_shown(
    qtbot: QtBot, kiosk: HotSwapKiosk, signing: tuple[Path, str], packs: list[Path]
) -> None:
    parts, manager, store = kiosk
    _key, public = signing
    with qtbot.waitSignal(manager.shown_changed, timeout=WAIT_MS):
        store.install(packs[1], (public,))
    with qtbot.waitSignal(manager.refused, timeout=WAIT_MS) as refused:
        store.install(packs[2], (public,))
        current = store.current_pack_dir()
        assert current is not None
        damaged = current / "content" / "en" / "terms" / "heparin.md"
        damaged.write_text(damaged.read_text("utf-8") + "\nInjected text.\n", "utf-8")
    assert refused.args == [str(current)]
    assert heparin_title(parts) == "Heparin (1)"
    assert manager.pending is None


def test_staff_can_roll_back_from_the_admin_panel(
    qtbot: QtBot,
    kiosk: HotSwapKiosk,
    signing: tuple[Path, str],
    packs: list[Path],
    whole_pack_reads: list[str],
    hashing_threads: list[str],
) -> None:
    parts, manager, store = kiosk
    window = parts.window
    _key, public = signing
    store.install(packs[1], (public,))
    store.install(packs[2], (public,))
    qtbot.waitUntil(lambda: heparin_title(parts) == "Heparin (2)", timeout=WAIT_MS)
    window.corner.triggered.emit()
    parts.staff_mode.unlock()
    assert "build 20261127120002" in window.staff.details.text()
    assert window.staff.rollback_button.isEnabled()
    whole_pack_reads.clear()  # the installs above read them, as 'kiosk content install'
    hashing_threads.clear()
    with qtbot.waitSignal(manager.shown_changed, timeout=WAIT_MS):
        window.staff.rollback_button.click()
    assert heparin_title(parts) == "Heparin (1)"
    assert "build 20261127120001" in window.staff.details.text()  # staff told at once
    assert whole_pack_reads and "MainThread" not in whole_pack_reads
    assert hashing_threads and "MainThread" not in hashing_threads, hashing_threads


def test_staff_reload_reads_the_new_pack_off_the_gui_thread(
    qtbot: QtBot,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    tmp_path: Path,
    signing: tuple[Path, str],
    packs: list[Path],
    whole_pack_reads: list[str],
    hashing_threads: list[str],
) -> None:
    """Reload: the store looked at, the new pack opened (its pack.toml and catalogue
    hashed) and read in full, all in a worker; the GUI thread only shows it."""
    _key, public = signing
    store = Store(tmp_path / "store-reload")
    store.install(packs[1], (public,))
    parts, _shown = kiosk_on_store(qtbot, theme, pin_hash, store, public, follow=True)
    window, manager = parts.window, parts.content
    assert manager is not None
    window.corner.triggered.emit()
    parts.staff_mode.unlock()
    store.install(packs[2], (public,))
    whole_pack_reads.clear()
    hashing_threads.clear()
    with qtbot.waitSignal(manager.shown_changed, timeout=WAIT_MS):
        window.staff.reload_button.click()
    assert heparin_title(parts) == "Heparin (2)"
    assert "build 20261127120002" in window.staff.details.text()
    assert window.in_staff_mode  # staff stay in the panel
    assert whole_pack_reads and "MainThread" not in whole_pack_reads
    assert hashing_threads and "MainThread" not in hashing_threads, hashing_threads


def test_a_key_trusted_after_start_up_counts(
    qtbot: QtBot,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    tmp_path: Path,
    signing: tuple[Path, str],
    packs: list[Path],
) -> None:
    _key, public = signing
    trusted: list[str] = []
    store = Store(tmp_path / "store2")
    shown = load_folder(CONTENT, "bundled content")
    assert shown is not None
    watch = StoreWatch(shown, store, lambda: tuple(trusted), watch=False)
    parts = make_kiosk(qtbot, shown.pack, theme, pin_hash, store=watch)
    manager = parts.content
    assert manager is not None
    store.install(packs[1], (public,))
    manager.check_store()
    assert heparin_title(parts) == "Heparin"  # not trusted by this kiosk yet
    trusted.append(public)  # what 'kiosk content trust' does to the config file
    with qtbot.waitSignal(manager.shown_changed, timeout=WAIT_MS):
        manager.check_store()
    assert heparin_title(parts) == "Heparin (1)"


def test_a_pack_damaged_on_disk_is_replaced_by_the_previous_one(
    qtbot: QtBot,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    tmp_path: Path,
    signing: tuple[Path, str],
    packs: list[Path],
) -> None:
    """The pack shown since start-up opened on its manifest; the background check reads
    every file, finds the damage, and the previous pack takes over between patients."""
    _key, public = signing
    store = Store(tmp_path / "store3")
    store.install(packs[1], (public,))
    store.install(packs[2], (public,))
    shown = from_store(store, (public,))
    assert shown is not None and shown.unverified_folder is not None
    index = shown.unverified_folder / "search.sqlite"
    with index.open("r+b") as file:  # damage a page that start-up never reads
        file.seek(index.stat().st_size - 100)
        file.write(b"\xff" * 10)
    watch = StoreWatch(shown, store, lambda: (public,), watch=False)
    parts = make_kiosk(qtbot, shown.pack, theme, pin_hash, index=shown.index, store=watch)
    assert heparin_title(parts) == "Heparin (2)"  # the check starts a second later
    qtbot.waitUntil(lambda: heparin_title(parts) == "Heparin (1)", timeout=WAIT_MS)


def test_a_new_pack_with_another_language_offers_it_in_the_settings_panel(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str, tmp_path: Path
) -> None:
    english = tmp_path / "english-only"
    shutil.copytree(CONTENT, english)
    shutil.rmtree(english / "es")
    toml = english / "pack.toml"
    text = toml.read_text("utf-8").split("[synonyms.es]")[0]
    lines = [line for line in text.splitlines() if not line.startswith("es = ")]
    toml.write_text("\n".join(lines).replace('["en", "es"]', '["en"]') + "\n", "utf-8")
    only_english = load_folder(english, "test")
    both = load_folder(CONTENT, "bundled content")
    assert only_english is not None and both is not None
    parts = make_kiosk(qtbot, only_english.pack, theme, pin_hash)
    window = parts.window
    panel = window.settings_panel
    parts.navigator.open_settings()
    assert not panel.language.isVisible()
    panel.hide()
    parts.navigator.replace_content(both.pack, both.index)
    parts.navigator.open_settings()
    assert panel.language.isVisible()
    assert [b.text() for b in panel.language.buttons] == ["English", "Español"]
    panel.language.buttons[1].click()
    assert window.session.locale == "es"


def test_two_installs_while_a_patient_reads_leave_the_shown_pack_readable(
    qtbot: QtBot,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    tmp_path: Path,
    signing: tuple[Path, str],
    packs: list[Path],
) -> None:
    _key, public = signing
    store = Store(tmp_path / "store4")
    store.install(packs[1], (public,))
    parts, shown = kiosk_on_store(qtbot, theme, pin_hash, store, public, follow=True)
    window, manager = parts.window, parts.content
    assert manager is not None
    assert shown.folder is not None
    window.session.open_home()
    parts.navigator.open_article("heartburn")  # a patient is reading: new packs wait
    store.install(packs[2], (public,))
    store.install(packs[3], (public,))
    with qtbot.waitSignal(manager.next_ready, timeout=WAIT_MS):
        manager.check_store()
    assert shown.folder.is_dir()  # two installs later, still there
    parts.navigator.open_article("heparin")  # read from the shown pack's files
    assert window.reader.article is not None and len(window.reader.article.sections) > 1
    assert heparin_title(parts) == "Heparin (1)"
    window.session.reset()
    assert heparin_title(parts) == "Heparin (3)"
    store.install(packs[4], (public,))
    assert not shown.folder.exists()  # no longer on screen: tidied away


def test_search_results_say_what_the_signed_catalogue_says(
    qtbot: QtBot,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    tmp_path: Path,
    signing: tuple[Path, str],
    packs: list[Path],
) -> None:
    """The index is checked in the background, after start; until then it only ranks."""
    import sqlite3

    _key, public = signing
    store = Store(tmp_path / "store5")
    store.install(packs[1], (public,))
    folder = store.current_pack_dir()
    assert folder is not None
    with sqlite3.connect(folder / "search.sqlite") as db:
        db.execute("UPDATE docs SET title = 'Hacked' WHERE slug = 'heparin'")
    db.close()
    parts, _shown = kiosk_on_store(qtbot, theme, pin_hash, store, public)
    window = parts.window
    window.session.open_home()
    parts.navigator.open_terms()
    window.terms.field.setText("heparin")
    assert window.terms.visible_results()[0] == "Heparin (1)"
    assert "Hacked" not in window.terms.visible_results()


def test_switching_to_a_damaged_translation_goes_home(
    qtbot: QtBot,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    tmp_path: Path,
    signing: tuple[Path, str],
    packs: list[Path],
) -> None:
    from kiosk.core.patient import Page

    _key, public = signing
    store = Store(tmp_path / "store6")
    store.install(packs[1], (public,))
    shown = from_store(store, (public,))
    assert shown is not None and shown.folder is not None
    spanish = shown.folder / "content" / "es" / "terms" / "heparin.md"
    spanish.write_text(spanish.read_text("utf-8") + "\nTexto añadido.\n", "utf-8")
    parts = make_kiosk(qtbot, shown.pack, theme, pin_hash, index=shown.index)
    window = parts.window
    window.session.open_home()
    parts.navigator.open_article("heparin")
    assert window.session.state.current.page is Page.READER
    window.session.set_locale("es")  # the same article, in a file that fails its check
    now = window.session.state.current  # read afresh: mypy would keep the page above
    assert now.page is Page.HOME


def _damage(folder: Path) -> None:
    article = folder / "content" / "en" / "terms" / "heparin.md"
    article.write_text(article.read_text("utf-8") + "\nInjected.\n", "utf-8")


def test_when_every_installed_pack_is_damaged_the_bundled_content_shows(
    qtbot: QtBot,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    tmp_path: Path,
    signing: tuple[Path, str],
    packs: list[Path],
) -> None:
    _key, public = signing
    store = Store(tmp_path / "store7")
    for n in (1, 2):
        store.install(packs[n], (public,))
        folder = store.current_pack_dir()
        assert folder is not None
        _damage(folder)
    parts, _shown = kiosk_on_store(
        qtbot, theme, pin_hash, store, public, follow=True, bundled=CONTENT
    )
    assert heparin_title(parts) == "Heparin (2)"  # the check starts a second later
    qtbot.waitUntil(lambda: heparin_title(parts) == "Heparin", timeout=WAIT_MS)


def test_a_pack_waiting_for_the_reset_survives_two_installs(
    qtbot: QtBot,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    tmp_path: Path,
    signing: tuple[Path, str],
    packs: list[Path],
) -> None:
    _key, public = signing
    store = Store(tmp_path / "store8")
    store.install(packs[1], (public,))
    parts, _shown = kiosk_on_store(qtbot, theme, pin_hash, store, public, follow=True)
    window, manager = parts.window, parts.content
    assert manager is not None
    window.session.open_home()
    parts.navigator.open_article("heartburn")
    store.install(packs[2], (public,))
    with qtbot.waitSignal(manager.next_ready, timeout=WAIT_MS):
        manager.check_store()
    assert manager.pending is not None
    waiting = manager.pending.folder
    assert waiting is not None
    store.install(packs[3], (public,))
    store.install(packs[4], (public,))
    assert waiting.is_dir()  # neither current nor previous, but about to show
    window.session.reset()
    assert heparin_title(parts) == "Heparin (2)"
    window.session.open_home()
    parts.navigator.open_article("heparin")
    assert window.reader.article is not None and len(window.reader.article.sections) > 1


def test_a_reset_leaves_nothing_read_in_memory(
    qtbot: QtBot,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    tmp_path: Path,
    signing: tuple[Path, str],
    packs: list[Path],
) -> None:
    """Parsed articles of an installed pack, and the picture of the last card turned."""
    _key, public = signing
    store = Store(tmp_path / "store9")
    store.install(packs[1], (public,))
    parts, shown = kiosk_on_store(qtbot, theme, pin_hash, store, public)
    window = parts.window
    window.session.open_home()
    parts.navigator.open_article("harm-reduction-therapy")
    window.reader.show_next()
    articles = shown.pack.articles["en"]
    assert isinstance(articles, LocaleArticles)
    parsed = articles._parsed
    assert parsed._cache and not window.reader.slide_cover.picture.isNull()
    window.session.reset()
    assert not parsed._cache
    assert window.reader.slide_cover.picture.isNull()


def test_a_new_pack_does_not_close_the_admin_panel(
    qtbot: QtBot, kiosk: HotSwapKiosk, signing: tuple[Path, str], packs: list[Path]
) -> None:
    parts, manager, store = kiosk
    window = parts.window
    _key, public = signing
    window.corner.triggered.emit()
    parts.staff_mode.unlock()  # staff opened the panel from the welcome screen
    assert window.in_staff_mode and window.session.is_fresh()
    with qtbot.waitSignal(manager.next_ready, timeout=WAIT_MS):
        store.install(packs[1], (public,))
    assert window.in_staff_mode  # still in the panel, the pack waits
    window.admin.closed.emit()  # staff leave: the reset shows the new pack
    assert heparin_title(parts) == "Heparin (1)"
    assert not window.in_staff_mode


def test_a_result_shown_before_a_new_pack_shows_the_new_packs_words(
    qtbot: QtBot, theme: Theme, pin_hash: str, tmp_path: Path
) -> None:
    """A-Z tiles are reused while a patient types (a tile that already shows a result
    is left alone); a new pack with the same article and title but new words under it
    shows its own words, not the old pack's."""
    edited = tmp_path / "edited"
    shutil.copytree(CONTENT, edited)
    article = edited / "en" / "terms" / "heparin.md"
    # Heparin's tile shows its urgent line ("Call 911 now ..."), in place of the summary.
    old_summary = "Call 911 now for bleeding that will not stop"
    new_summary = "Call 911 now if bleeding will not stop"
    article.write_text(article.read_text("utf-8").replace(old_summary, new_summary), "utf-8")
    first, second = load_folder(CONTENT, "bundled content"), load_folder(edited, "edited")
    assert first is not None and second is not None
    parts = make_kiosk(qtbot, first.pack, theme, pin_hash, index=first.index)
    window = parts.window
    window.session.open_home()
    parts.navigator.open_terms()
    window.terms.field.setText("heparin")
    window.terms.close_keyboard()  # summaries show with the keys closed
    assert old_summary in shown_words(window.terms)

    parts.navigator.replace_content(second.pack, second.index)
    window.terms.field.setText("heparin")
    assert window.terms.visible_results()[0] == "Heparin"
    assert new_summary in shown_words(window.terms)
    assert old_summary not in shown_words(window.terms)


def test_a_bug_while_looking_at_the_store_leaves_the_kiosk_answering(
    qtbot: QtBot, kiosk: HotSwapKiosk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that raised sent no answer, and the content selection waited for it
    for good (issue 13's second attacker). Now the bug is logged and the answer comes."""
    from kiosk.ui.system import pack_verifier

    parts, manager, _store = kiosk
    shown = manager.shown

    def bug(*_args: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(pack_verifier, "from_store", bug)
    manager.check_store()
    qtbot.waitUntil(lambda: manager.state.settled, timeout=WAIT_MS)
    assert manager.shown == shown and heparin_title(parts)
