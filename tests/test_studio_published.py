"""What this computer last published from a content folder (kiosk.core.studio.published):
the copy replaced whole, the choices read back, and nothing when unreadable."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from kiosk.core.studio.published import last_published, remember_published

from conftest import CONTENT


def test_the_last_publish_is_kept_whole_and_replaces_the_one_before(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(CONTENT, tmp_path / "content"))
    (folder / ".hidden-editor-file").write_text("x", "utf-8")
    state = tmp_path / "studio"
    assert last_published(state, folder) is None
    first = datetime(2026, 12, 3, 14, 5, tzinfo=UTC)
    remember_published(state, folder, Path("/usb/a.kpack"), Path("k.key"), Path("/usb"), first)
    rate = folder / "en" / "terms" / "heart-rate.md"
    rate.write_text(rate.read_text("utf-8") + "\nMore.\n", "utf-8")
    second = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
    remember_published(state, folder, Path("/usb/b.kpack"), Path("k.key"), Path("/usb"), second)
    last = last_published(state, folder)
    assert last is not None and last.copy is not None
    assert (last.when, last.pack, last.key, last.destination) == (
        second,
        "b.kpack",
        "k.key",
        "/usb",
    )
    assert (last.copy / "en" / "terms" / "heart-rate.md").read_text("utf-8").endswith("More.\n")
    assert not (last.copy / ".hidden-editor-file").exists()
    assert sorted(p.name for p in last.copy.parent.iterdir()) == ["content", "published.json"]
    # Another content folder has its own.
    other = Path(shutil.copytree(CONTENT, tmp_path / "other"))
    assert last_published(state, other) is None


def test_an_unreadable_record_is_as_if_nothing_was_published(tmp_path: Path) -> None:
    folder = Path(shutil.copytree(CONTENT, tmp_path / "content"))
    state = tmp_path / "studio"
    when = datetime(2026, 12, 3, tzinfo=UTC)
    remember_published(state, folder, Path("a.kpack"), Path("k"), Path("d"), when)
    [record] = state.glob("published/*/published.json")
    for broken in ("", "{", '{"when": "yesterday"}', "[]"):
        record.write_text(broken, "utf-8")
        assert last_published(state, folder) is None
