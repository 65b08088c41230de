"""The pack store: install atomically, keep one previous pack, refuse downgrades, roll back."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.core import files
from kiosk.core.packs import layout, locks
from kiosk.core.packs.build import build_pack
from kiosk.core.packs.format import Limits, PackError
from kiosk.core.packs.integrity import verify_installed
from kiosk.core.packs.signing import generate_keypair, load_private_key, public_key_text
from kiosk.core.packs.status import StoreError
from kiosk.core.packs.store import Store
from kiosk.core.search.index import SearchIndex

from conftest import CONTENT


def _when(day: int) -> datetime:
    return datetime(2025, 1, day, 12, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | str]:
    """Three builds of the bundled content (days 1, 2, 3) and one signed by a stranger."""
    work = tmp_path_factory.mktemp("packs")
    content = shutil.copytree(CONTENT, work / "content")
    key, _ = generate_keypair(work / "key")
    stranger, _ = generate_keypair(work / "stranger")
    made: dict[str, Path | str] = {"key": public_key_text(load_private_key(key))}
    for day in (1, 2, 3):
        made[f"day{day}"] = work / f"day{day}.kpack"
        build_pack(content, work / f"day{day}.kpack", key, _when(day))
    made["stranger"] = work / "stranger.kpack"
    build_pack(content, work / "stranger.kpack", stranger, _when(4))
    return made


def _pack(packs: dict[str, Path | str], name: str) -> tuple[Path, str]:
    """The pack built as ``name`` and the public key it is signed for."""
    path, key = packs[name], packs["key"]
    assert isinstance(path, Path) and isinstance(key, str)
    return path, key


def _install(
    store: Store, packs: dict[str, Path | str], name: str, allow_downgrade: bool = False
) -> int:
    path, key = _pack(packs, name)
    return store.install(path, [key], allow_downgrade=allow_downgrade).manifest.version


def test_install_unpacks_links_current_and_remembers_the_version(
    tmp_path: Path, packs: dict[str, Path | str]
) -> None:
    store = Store(tmp_path / "store")
    assert store.current_pack_dir() is None
    assert store.status().current is None and store.status().highest_version == 0
    path, key = packs["day1"], packs["key"]
    assert isinstance(path, Path) and isinstance(key, str)
    result = store.install(path, [key])
    assert result.previous is None and not result.downgrade
    assert result.signer == result.manifest.signer
    folder = tmp_path / "store" / "packs" / "20250101120000-clinic-health"
    assert result.path == folder == store.current_pack_dir()
    assert (tmp_path / "store" / "current").readlink() == Path("packs/20250101120000-clinic-health")
    assert sorted(p.name for p in folder.iterdir()) == [
        "catalogue.sqlite",
        "content",
        "manifest.json",
        "manifest.sig",
        "search.sqlite",
    ]
    assert (folder / "content" / "en" / "terms" / "heparin.md").read_bytes() == (
        CONTENT / "en" / "terms" / "heparin.md"
    ).read_bytes()
    state = json.loads((tmp_path / "store" / "state.json").read_text())
    assert state == {"highest_version": 20250101120000, "installed_versions": [20250101120000]}
    assert verify_installed(folder, [key]).version == 20250101120000
    status = store.status()
    assert status.current_version == 20250101120000 and status.previous_version is None
    assert status.current is not None and status.current.pack_id == "clinic-health"
    assert status.current.content_version == 1 and status.current.built == "2025-01-01T12:00:00Z"


def test_installed_search_index_opens_and_finds_narcan(
    tmp_path: Path, packs: dict[str, Path | str]
) -> None:
    store = Store(tmp_path)
    _install(store, packs, "day1")
    folder = store.current_pack_dir()
    assert folder is not None
    index = SearchIndex.open(folder / "search.sqlite")
    try:
        hits = index.search("narcan", "en")
    finally:
        index.close()
    assert hits and hits[0].slug == "harm-reduction-therapy"


def test_keeps_only_current_and_previous_and_cleans_leftovers(
    tmp_path: Path, packs: dict[str, Path | str]
) -> None:
    store = Store(tmp_path)
    _install(store, packs, "day1")
    _install(store, packs, "day2")
    (tmp_path / "packs" / ".incoming-deadbeef" / "content").mkdir(parents=True)
    (tmp_path / "packs" / "20290101000000-stale").mkdir()
    (tmp_path / "current.new").symlink_to("packs/nowhere")
    path, key = _pack(packs, "day3")
    result = store.install(path, [key])
    assert result.previous is not None and result.previous.version == 20250102120000
    assert sorted(p.name for p in (tmp_path / "packs").iterdir()) == [
        "20250102120000-clinic-health",
        "20250103120000-clinic-health",
    ]
    assert (tmp_path / "previous").readlink() == Path("packs/20250102120000-clinic-health")
    assert not (tmp_path / "current.new").is_symlink()


def test_downgrade_and_same_version_refused_unless_allowed(
    tmp_path: Path, packs: dict[str, Path | str]
) -> None:
    store = Store(tmp_path)
    _install(store, packs, "day2")
    with pytest.raises(StoreError) as caught:
        _install(store, packs, "day1")
    assert str(caught.value) == (
        "version 20250101120000 is older than installed 20250102120000; use --allow-downgrade"
    )
    with pytest.raises(StoreError, match="already installed"):
        _install(store, packs, "day2")
    assert _install(store, packs, "day1", allow_downgrade=True) == 20250101120000
    status = store.status()
    assert status.current_version == 20250101120000
    assert status.previous_version == 20250102120000
    assert status.highest_version == 20250102120000  # a downgrade does not lower it
    with pytest.raises(StoreError, match="older than installed 20250102120000"):
        _install(store, packs, "day1")
    # Reinstalling the version that is previous gets its own folder.
    assert _install(store, packs, "day2", allow_downgrade=True) == 20250102120000
    assert store.current_pack_dir() == tmp_path / "packs" / "20250102120000-clinic-health.2"
    verify_installed(tmp_path / "packs" / "20250102120000-clinic-health.2")


def test_highest_version_survives_a_lost_state_file(
    tmp_path: Path, packs: dict[str, Path | str]
) -> None:
    store = Store(tmp_path)
    _install(store, packs, "day2")
    (tmp_path / "state.json").write_text("{broken")
    with pytest.raises(StoreError, match="older than installed"):
        _install(store, packs, "day1")


def test_untrusted_pack_writes_nothing(tmp_path: Path, packs: dict[str, Path | str]) -> None:
    store = Store(tmp_path / "store")
    with pytest.raises(PackError, match="signed by an unknown key"):
        _install(store, packs, "stranger")
    assert not (tmp_path / "store").exists()


def test_rollback_swaps_current_and_previous(tmp_path: Path, packs: dict[str, Path | str]) -> None:
    store = Store(tmp_path)
    _install(store, packs, "day1")
    with pytest.raises(StoreError, match="no previous pack"):
        store.rollback()
    _install(store, packs, "day2")
    status = store.rollback()
    assert (status.current_version, status.previous_version) == (20250101120000, 20250102120000)
    status = store.rollback()
    assert (status.current_version, status.previous_version) == (20250102120000, 20250101120000)
    assert (tmp_path / "current").readlink() == Path("packs/20250102120000-clinic-health")


def test_rollback_refuses_a_damaged_previous(tmp_path: Path, packs: dict[str, Path | str]) -> None:
    store = Store(tmp_path)
    _install(store, packs, "day1")
    _install(store, packs, "day2")
    previous = store.status().previous
    assert previous is not None
    (previous.path / "content" / "en" / "terms" / "heparin.md").write_text("changed")
    with pytest.raises(StoreError, match="cannot roll back: installed pack is damaged"):
        store.rollback()
    assert store.status().current_version == 20250102120000


@pytest.mark.parametrize("damage", ["flip", "extra", "missing", "manifest"])
def test_verify_installed_finds_damage(
    tmp_path: Path, packs: dict[str, Path | str], damage: str
) -> None:
    store = Store(tmp_path)
    _install(store, packs, "day1")
    folder = store.current_pack_dir()
    assert folder is not None
    target = folder / "content" / "en" / "terms" / "heparin.md"
    if damage == "flip":
        data = bytearray(target.read_bytes())
        data[10] ^= 1
        target.write_bytes(bytes(data))
    elif damage == "extra":
        (folder / "content" / "en" / "terms" / "new.md").write_text("x")
    elif damage == "missing":
        target.unlink()
    else:
        manifest = folder / "manifest.json"
        manifest.write_bytes(manifest.read_bytes().replace(b"clinic-health", b"clinic-healt"))
    with pytest.raises(StoreError, match="damaged"):
        verify_installed(folder, [_pack(packs, "day1")[1]])
    if damage != "manifest":
        with pytest.raises(StoreError, match="damaged"):
            store.verify_installed(folder)


def test_disk_full_leaves_current_untouched(
    tmp_path: Path, packs: dict[str, Path | str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path)
    _install(store, packs, "day1")
    calls = 0
    real = files.write_new

    def fill_up(target: Path, chunks: Iterable[bytes], mode: int = 0o644) -> None:
        nonlocal calls
        calls += 1
        if calls == 5:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))
        real(target, chunks, mode)

    monkeypatch.setattr(layout, "write_new", fill_up)
    with pytest.raises(StoreError) as caught:
        _install(store, packs, "day2")
    assert str(caught.value) == f"cannot write to the store at {tmp_path}: the disk is full"
    assert store.status().current_version == 20250101120000
    assert [p.name for p in (tmp_path / "packs").iterdir()] == ["20250101120000-clinic-health"]


def test_failed_link_switch_leaves_current_untouched(
    tmp_path: Path, packs: dict[str, Path | str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path)
    _install(store, packs, "day1")
    real = Store._point

    def read_only(self: Store, name: str, folder: Path) -> None:
        if name == "current":
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        real(self, name, folder)

    monkeypatch.setattr(Store, "_point", read_only)
    with pytest.raises(StoreError, match="the file system is read-only"):
        _install(store, packs, "day2")
    assert store.status().current_version == 20250101120000
    current = store.current_pack_dir()
    assert current is not None
    verify_installed(current)
    monkeypatch.undo()
    assert _install(store, packs, "day2") == 20250102120000


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_store_is_one_clear_error(tmp_path: Path, packs: dict[str, Path | str]) -> None:
    store = Store(tmp_path / "store")
    _install(store, packs, "day1")
    (tmp_path / "store").chmod(0o555)
    try:
        with pytest.raises(StoreError, match="cannot write to the store at"):
            _install(store, packs, "day2")
    finally:
        (tmp_path / "store").chmod(0o755)
    assert store.status().current_version == 20250101120000


def test_pack_limits_apply_to_install(tmp_path: Path, packs: dict[str, Path | str]) -> None:
    with pytest.raises(PackError, match="the limit is 5"):
        path, key = _pack(packs, "day1")
        Store(tmp_path).install(path, [key], limits=Limits(max_files=5))


def test_current_that_is_not_a_link_is_reported(tmp_path: Path) -> None:
    (tmp_path / "current").mkdir()
    with pytest.raises(StoreError, match="is not a link"):
        Store(tmp_path).status()
    (tmp_path / "current").rmdir()
    (tmp_path / "current").symlink_to("/etc")
    with pytest.raises(StoreError, match="points outside"):
        Store(tmp_path).current_pack_dir()


def test_a_pack_a_kiosk_still_shows_survives_two_installs(
    tmp_path: Path, packs: dict[str, Path | str]
) -> None:
    """A kiosk shows day 1 while days 2 and 3 are installed before its idle reset."""
    store = Store(tmp_path / "store")
    _install(store, packs, "day1")
    shown = store.current_pack_dir()
    assert shown is not None
    lease = locks.PackLease(shown)
    assert locks.held_by_a_kiosk(shown)
    _install(store, packs, "day2")
    _install(store, packs, "day3")  # day 1 is neither current nor previous now
    assert shown.is_dir() and verify_installed(shown, [str(packs["key"])])
    _install(store, packs, "day1", allow_downgrade=True)  # its name is taken: a new folder
    assert store.current_pack_dir() != shown and shown.is_dir()
    lease.release()  # the reset: the kiosk now shows the newest pack
    assert not locks.held_by_a_kiosk(shown)
    _install(store, packs, "day2", allow_downgrade=True)
    assert not shown.exists()  # the next install tidies it away


def _longer_crisis_text(content: Path) -> None:
    toml = content / "pack.toml"
    long = "Call 911 now. " * 40
    toml.write_text(toml.read_text("utf-8").replace("Call 911 or tell", long + "Or tell", 1))


def _more_cards(content: Path) -> None:
    article = content / "en" / "terms" / "heartburn.md"
    extra = "".join(f"\n## More {n}\n\nA short card.\n" for n in range(40))
    article.write_text(article.read_text("utf-8") + extra, "utf-8")


@pytest.mark.parametrize(
    ("older", "limit", "said"),
    [
        (
            _longer_crisis_text,
            "packtexts.CRISIS_MAX_CHARS",
            r"pack\.toml:\d+: crisis\.overdose\.en is",
        ),
        (
            _more_cards,
            "cardlimits.ARTICLE_MAX_CARDS",
            r"en/terms/heartburn\.md:\d+: the article has 4",
        ),
    ],
)
def test_a_pack_the_kiosk_would_not_show_is_refused_at_install(
    tmp_path: Path,
    packs: dict[str, Path | str],
    monkeypatch: pytest.MonkeyPatch,
    older: Callable[[Path], None],
    limit: str,
    said: str,
) -> None:
    """A pack signed by an older 'kiosk content build' whose crisis text is longer than
    this kiosk allows installed, and then was never shown (the kiosk logged "not
    showing"; staff saw "Installed"); one whose article has more cards than this kiosk
    allows installed, and the article showed no cards. Now the install names the file
    and the line, and the pack shown stays."""
    import importlib

    content = shutil.copytree(CONTENT, tmp_path / "content")
    older(content)
    key, _ = generate_keypair(tmp_path / "key")
    old = tmp_path / "old.kpack"
    module, name = limit.split(".")
    with monkeypatch.context() as older_builder:  # what an older build allowed
        older_builder.setattr(importlib.import_module(f"kiosk.core.content.{module}"), name, 10_000)
        build_pack(content, old, key, _when(5))
    store = Store(tmp_path / "store")
    path, good_key = _pack(packs, "day1")
    store.install(path, [good_key])
    shown = store.current_pack_dir()
    assert shown is not None
    with pytest.raises(StoreError, match="this kiosk would not show the pack") as refused:
        store.install(old, [public_key_text(load_private_key(key))])
    assert re.search(f"would not show the pack: {said}", str(refused.value)), refused.value
    assert "\n" not in str(refused.value)
    assert store.current_pack_dir() == shown
    assert [p.name for p in (tmp_path / "store" / "packs").iterdir()] == [shown.name]


def test_a_path_too_long_for_the_store_s_folder_names_the_file(
    tmp_path: Path, packs: dict[str, Path | str]
) -> None:
    """'File name too long' named no file (issue 13's attacker): now it says which of
    the pack's files, and nothing is left behind."""
    root = tmp_path
    while len(str(root)) < 4_040:  # a store nested deep enough for PATH_MAX (4096)
        root = root / ("d" * min(200, 4_040 - len(str(root)) - 1))
    root.mkdir(parents=True)
    store = Store(root / "s")
    with pytest.raises(StoreError) as refused:
        _install(store, packs, "day1")
    said = str(refused.value)
    assert "a file's path is longer than this file system allows (content/" in said, said
    assert "\n" not in said and len(said) < 4_300
    assert [p.name for p in (root / "s" / "packs").iterdir()] == []
