"""A new pack lands in the store while the kiosk runs: it shows between patients,
never while someone is reading, and a pack that fails its checks never shows."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.core.packs.build import build_pack
from kiosk.core.packs.signing import generate_keypair, load_private_key, public_key_text
from kiosk.core.packs.source import from_store, load_folder
from kiosk.core.packs.store import Store
from kiosk.ui.content_manager import SETTLE_MS, ContentManager

from conftest import CONTENT, make_window

pytestmark = pytest.mark.gui


@pytest.fixture
def signing(tmp_path: Path) -> tuple[Path, str]:
    private, _public = generate_keypair(tmp_path / "keys")
    return private, public_key_text(load_private_key(private))


def built(tmp_path: Path, key: Path, title: str, second: int) -> Path:
    folder = tmp_path / f"content-{second}"
    shutil.copytree(CONTENT, folder)
    article = folder / "en" / "terms" / "heparin.md"
    article.write_text(
        article.read_text("utf-8").replace("title: Heparin", f"title: {title}"), "utf-8"
    )
    out = tmp_path / f"pack-{second}.kpack"
    build_pack(folder, out, key, now=datetime(2026, 11, 27, 12, 0, second, tzinfo=UTC))
    return out


@pytest.fixture
def kiosk(qtbot, bundled_pack, theme, pin_hash, tmp_path: Path, signing):  # type: ignore[no-untyped-def]
    _private, public = signing
    store = Store(tmp_path / "store")
    shown = load_folder(CONTENT, "bundled content")
    assert shown is not None
    window = make_window(qtbot, shown.pack, theme, pin_hash)
    manager = ContentManager(window, shown, store, lambda: (public,), None, watch=True)
    return window, manager, store


def heparin_title(window) -> str:  # type: ignore[no-untyped-def]
    article = window.view.article("en", "heparin")
    return article.title if article else ""


def window_on_store(qtbot, theme, pin_hash, store: Store, public: str):  # type: ignore[no-untyped-def]
    """A real window on the store's pack, opened as a kiosk opens it at start."""
    shown = from_store(store, (public,))
    assert shown is not None
    window = make_window(qtbot, shown.pack, theme, pin_hash, index=shown.index)
    return window, shown


def test_a_new_pack_waits_until_nobody_is_reading(qtbot, kiosk, tmp_path: Path, signing) -> None:  # type: ignore[no-untyped-def]
    window, manager, store = kiosk
    key, public = signing
    window.session.open_home()
    window.open_article("heart-rate")  # a patient is reading
    store.install(built(tmp_path, key, "Heparin (new)", 1), (public,))
    qtbot.waitUntil(lambda: manager.pending is not None, timeout=SETTLE_MS * 6)
    assert heparin_title(window) == "Heparin"  # nothing changes under the patient's eyes
    assert window.reader.article is not None and window.reader.article.slug == "heart-rate"
    window.session.reset()
    assert heparin_title(window) == "Heparin (new)"
    assert manager.shown.build == 20261127120001


def test_an_idle_kiosk_switches_straight_away(qtbot, kiosk, tmp_path: Path, signing) -> None:  # type: ignore[no-untyped-def]
    window, _manager, store = kiosk
    key, public = signing
    assert window.session.is_fresh()
    store.install(built(tmp_path, key, "Heparin (now)", 2), (public,))
    qtbot.waitUntil(lambda: heparin_title(window) == "Heparin (now)", timeout=SETTLE_MS * 6)


def test_a_damaged_install_is_never_shown(qtbot, kiosk, tmp_path: Path, signing) -> None:  # type: ignore[no-untyped-def]
    window, manager, store = kiosk
    key, public = signing
    store.install(built(tmp_path, key, "Heparin (good)", 3), (public,))
    qtbot.waitUntil(lambda: heparin_title(window) == "Heparin (good)", timeout=SETTLE_MS * 6)
    store.install(built(tmp_path, key, "Heparin (damaged)", 4), (public,))
    current = store.current_pack_dir()
    assert current is not None
    damaged = current / "content" / "en" / "terms" / "heparin.md"
    damaged.write_text(damaged.read_text("utf-8") + "\nInjected text.\n", "utf-8")
    manager.check_store()
    qtbot.waitUntil(lambda: not manager.verifying, timeout=10_000)
    qtbot.wait(50)  # the verifier's answer is queued to the GUI thread
    assert heparin_title(window) == "Heparin (good)"
    assert manager.pending is None


def test_staff_can_roll_back_from_the_admin_panel(qtbot, kiosk, tmp_path: Path, signing) -> None:  # type: ignore[no-untyped-def]
    window, _manager, store = kiosk
    key, public = signing
    store.install(built(tmp_path, key, "Heparin (one)", 5), (public,))
    store.install(built(tmp_path, key, "Heparin (two)", 6), (public,))
    qtbot.waitUntil(lambda: heparin_title(window) == "Heparin (two)", timeout=SETTLE_MS * 6)
    window.corner.triggered.emit()
    window._admin_unlocked()
    assert "build 20261127120006" in window.staff.details.text()
    assert window.staff.rollback_button.isEnabled()
    window.staff.rollback_button.click()
    assert heparin_title(window) == "Heparin (one)"


def test_a_key_trusted_after_start_up_counts(
    qtbot, bundled_pack, theme, pin_hash, tmp_path: Path, signing
) -> None:  # type: ignore[no-untyped-def]
    key, public = signing
    trusted: list[str] = []
    store = Store(tmp_path / "store2")
    shown = load_folder(CONTENT, "bundled content")
    assert shown is not None
    window = make_window(qtbot, shown.pack, theme, pin_hash)
    manager = ContentManager(window, shown, store, lambda: tuple(trusted), None, watch=False)
    store.install(built(tmp_path, key, "Heparin (trusted later)", 7), (public,))
    manager.check_store()
    assert heparin_title(window) == "Heparin"  # not trusted by this kiosk yet
    trusted.append(public)  # what 'kiosk content trust' does to the config file
    manager.check_store()
    qtbot.waitUntil(lambda: heparin_title(window) == "Heparin (trusted later)", timeout=10_000)


def test_a_pack_damaged_on_disk_is_replaced_by_the_previous_one(
    qtbot, bundled_pack, theme, pin_hash, tmp_path: Path, signing
) -> None:  # type: ignore[no-untyped-def]
    """The pack shown since start-up opened on its manifest; the background check reads
    every file, finds the damage, and the previous pack takes over between patients."""
    key, public = signing
    store = Store(tmp_path / "store3")
    store.install(built(tmp_path, key, "Heparin (older)", 8), (public,))
    store.install(built(tmp_path, key, "Heparin (newer)", 9), (public,))
    shown = from_store(store, (public,))
    assert shown is not None and shown.unverified_folder is not None
    index = shown.unverified_folder / "search.sqlite"
    with index.open("r+b") as file:  # damage a page that start-up never reads
        file.seek(index.stat().st_size - 100)
        file.write(b"\xff" * 10)
    window = make_window(qtbot, shown.pack, theme, pin_hash, index=shown.index)
    assert heparin_title(window) == "Heparin (newer)"
    ContentManager(window, shown, store, lambda: (public,), None, watch=False)
    qtbot.waitUntil(lambda: heparin_title(window) == "Heparin (older)", timeout=10_000)


def test_a_new_pack_with_another_language_offers_it_in_the_settings_panel(
    qtbot, bundled_pack, theme, pin_hash, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
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
    window = make_window(qtbot, only_english.pack, theme, pin_hash)
    panel = window.settings_panel
    window.open_settings()
    assert not panel.language.isVisible()
    panel.hide()
    window.replace_content(both.pack, both.index)
    window.open_settings()
    assert panel.language.isVisible()
    assert [b.text() for b in panel.language.buttons] == ["English", "Español"]
    panel.language.buttons[1].click()
    assert window.session.locale == "es"


def test_two_installs_while_a_patient_reads_leave_the_shown_pack_readable(
    qtbot, bundled_pack, theme, pin_hash, tmp_path: Path, signing
) -> None:  # type: ignore[no-untyped-def]
    key, public = signing
    store = Store(tmp_path / "store4")
    store.install(built(tmp_path, key, "Heparin (shown)", 10), (public,))
    window, shown = window_on_store(qtbot, theme, pin_hash, store, public)
    assert shown.folder is not None
    manager = ContentManager(window, shown, store, lambda: (public,), None, watch=False)
    window.session.open_home()
    window.open_article("heartburn")  # a patient is reading: new packs wait
    store.install(built(tmp_path, key, "Heparin (next)", 11), (public,))
    store.install(built(tmp_path, key, "Heparin (newest)", 12), (public,))
    manager.check_store()
    qtbot.waitUntil(lambda: manager.pending is not None, timeout=10_000)
    assert shown.folder.is_dir()  # two installs later, still there
    window.open_article("heparin")  # read from the shown pack's files
    assert window.reader.article is not None and len(window.reader.article.sections) > 1
    assert heparin_title(window) == "Heparin (shown)"
    window.session.reset()
    assert heparin_title(window) == "Heparin (newest)"
    store.install(built(tmp_path, key, "Heparin (after)", 13), (public,))
    assert not shown.folder.exists()  # no longer on screen: tidied away


def test_search_results_say_what_the_signed_catalogue_says(
    qtbot, bundled_pack, theme, pin_hash, tmp_path: Path, signing
) -> None:  # type: ignore[no-untyped-def]
    """The index is checked in the background, after start; until then it only ranks."""
    import sqlite3

    key, public = signing
    store = Store(tmp_path / "store5")
    store.install(built(tmp_path, key, "Heparin", 14), (public,))
    folder = store.current_pack_dir()
    assert folder is not None
    with sqlite3.connect(folder / "search.sqlite") as db:
        db.execute("UPDATE docs SET title = 'Hacked' WHERE slug = 'heparin'")
    db.close()
    window, _shown = window_on_store(qtbot, theme, pin_hash, store, public)
    window.session.open_home()
    window.open_terms()
    window.terms.field.setText("heparin")
    assert window.terms.visible_results()[0] == "Heparin"
    assert "Hacked" not in window.terms.visible_results()


def test_switching_to_a_damaged_translation_goes_home(
    qtbot, bundled_pack, theme, pin_hash, tmp_path: Path, signing
) -> None:  # type: ignore[no-untyped-def]
    from kiosk.core.patient import Page

    key, public = signing
    store = Store(tmp_path / "store6")
    store.install(built(tmp_path, key, "Heparin", 15), (public,))
    shown = from_store(store, (public,))
    assert shown is not None and shown.folder is not None
    spanish = shown.folder / "content" / "es" / "terms" / "heparin.md"
    spanish.write_text(spanish.read_text("utf-8") + "\nTexto añadido.\n", "utf-8")
    window = make_window(qtbot, shown.pack, theme, pin_hash, index=shown.index)
    window.session.open_home()
    window.open_article("heparin")
    assert window.session.state.current.page is Page.READER
    window.session.set_locale("es")  # the same article, in a file that fails its check
    assert window.session.state.current.page is Page.HOME


def _damage(folder: Path) -> None:
    article = folder / "content" / "en" / "terms" / "heparin.md"
    article.write_text(article.read_text("utf-8") + "\nInjected.\n", "utf-8")


def test_when_every_installed_pack_is_damaged_the_bundled_content_shows(
    qtbot, bundled_pack, theme, pin_hash, tmp_path: Path, signing
) -> None:  # type: ignore[no-untyped-def]
    key, public = signing
    store = Store(tmp_path / "store7")
    for second, title in ((16, "Heparin (older)"), (17, "Heparin (newer)")):
        store.install(built(tmp_path, key, title, second), (public,))
        folder = store.current_pack_dir()
        assert folder is not None
        _damage(folder)
    window, shown = window_on_store(qtbot, theme, pin_hash, store, public)
    assert heparin_title(window) == "Heparin (newer)"
    ContentManager(window, shown, store, lambda: (public,), None, watch=False, bundled=CONTENT)
    qtbot.waitUntil(lambda: heparin_title(window) == "Heparin", timeout=10_000)


def test_a_late_check_does_not_undo_a_roll_back(qtbot, kiosk, tmp_path: Path, signing) -> None:  # type: ignore[no-untyped-def]
    window, manager, store = kiosk
    key, public = signing
    store.install(built(tmp_path, key, "Heparin (first)", 18), (public,))
    qtbot.waitUntil(lambda: heparin_title(window) == "Heparin (first)", timeout=SETTLE_MS * 6)
    window.session.open_home()
    window.open_article("heartburn")  # someone is reading
    store.install(built(tmp_path, key, "Heparin (second)", 19), (public,))
    second = store.current_pack_dir()
    assert second is not None
    manager.check_store()  # the second pack's check starts in the background...
    manager.roll_back()  # ...and staff roll back to the first before it ends
    qtbot.waitUntil(lambda: not manager.verifying, timeout=10_000)
    manager._verified(str(second), "")  # the check's answer, arriving late
    qtbot.wait(50)
    window.session.reset()
    assert heparin_title(window) == "Heparin (first)"


def test_a_pack_waiting_for_the_reset_survives_two_installs(
    qtbot, bundled_pack, theme, pin_hash, tmp_path: Path, signing
) -> None:  # type: ignore[no-untyped-def]
    key, public = signing
    store = Store(tmp_path / "store8")
    store.install(built(tmp_path, key, "Heparin (shown)", 20), (public,))
    window, shown = window_on_store(qtbot, theme, pin_hash, store, public)
    manager = ContentManager(window, shown, store, lambda: (public,), None, watch=False)
    window.session.open_home()
    window.open_article("heartburn")
    store.install(built(tmp_path, key, "Heparin (next)", 21), (public,))
    manager.check_store()
    qtbot.waitUntil(lambda: manager.pending is not None, timeout=10_000)
    waiting = manager.pending.folder
    assert waiting is not None
    store.install(built(tmp_path, key, "Heparin (later)", 22), (public,))
    store.install(built(tmp_path, key, "Heparin (latest)", 23), (public,))
    assert waiting.is_dir()  # neither current nor previous, but about to show
    window.session.reset()
    assert heparin_title(window) == "Heparin (next)"
    window.session.open_home()
    window.open_article("heparin")
    assert window.reader.article is not None and len(window.reader.article.sections) > 1


def test_a_reset_leaves_nothing_read_in_memory(
    qtbot, bundled_pack, theme, pin_hash, tmp_path: Path, signing
) -> None:  # type: ignore[no-untyped-def]
    """Parsed articles of an installed pack, and the picture of the last card turned."""
    key, public = signing
    store = Store(tmp_path / "store9")
    store.install(built(tmp_path, key, "Heparin", 24), (public,))
    window, shown = window_on_store(qtbot, theme, pin_hash, store, public)
    window.session.open_home()
    window.open_article("harm-reduction-therapy")
    window.reader.show_next()
    parsed = shown.pack.articles["en"]._parsed  # type: ignore[attr-defined]
    assert parsed._cache and not window.reader._cover._picture.isNull()
    window.session.reset()
    assert not parsed._cache
    assert window.reader._cover._picture.isNull()


def test_a_new_pack_does_not_close_the_admin_panel(qtbot, kiosk, tmp_path: Path, signing) -> None:  # type: ignore[no-untyped-def]
    window, manager, store = kiosk
    key, public = signing
    window.corner.triggered.emit()
    window._admin_unlocked()  # staff opened the panel from the welcome screen
    assert window.in_staff_mode and window.session.is_fresh()
    store.install(built(tmp_path, key, "Heparin (while staff look)", 25), (public,))
    qtbot.waitUntil(lambda: manager.pending is not None, timeout=SETTLE_MS * 6)
    assert window.in_staff_mode  # still in the panel, the pack waits
    window.admin.closed.emit()  # staff leave: the reset shows the new pack
    assert heparin_title(window) == "Heparin (while staff look)"
    assert not window.in_staff_mode
