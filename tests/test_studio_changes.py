"""What publishing would change (kiosk.core.studio.changes), against a pack really built,
signed and installed in a store, and a content folder staff edited."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from kiosk.core.content.loader import load_pack
from kiosk.core.content.pack import Kind, Pack
from kiosk.core.packs.build import build_pack
from kiosk.core.packs.signing import generate_keypair, load_private_key, public_key_text
from kiosk.core.packs.source import from_store
from kiosk.core.packs.store import Store
from kiosk.core.studio.changes import ArticleChange, CardChange, Change, changes
from kiosk.core.studio.new_article import new_article

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    """The bundled content as a clinic's kiosk holds it."""
    root = tmp_path_factory.mktemp("installed")
    private, _ = generate_keypair(root / "keys")
    public = public_key_text(load_private_key(private))
    build_pack(REPO / "content", root / "pack.kpack", private)
    store = Store(root / "store")
    store.install(root / "pack.kpack", (public,))
    choice = from_store(store, (public,))
    assert choice is not None
    return choice.pack


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(REPO / "content", folder)
    return folder


def _load(folder: Path) -> Pack:
    result = load_pack(folder)
    assert result.pack is not None, result.problems
    return result.pack


def test_the_same_content_changes_nothing(installed: Pack) -> None:
    """Built, signed, installed and read back, the content is what the folder holds."""
    assert changes(installed, _load(REPO / "content")) == []


def test_each_kind_of_edit_is_named_with_its_cards(installed: Pack, tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    terms = folder / "en" / "terms"
    rate = terms / "heart-rate.md"
    rate.write_text(
        rate.read_text("utf-8").replace(
            "## What can change your heart rate\n",
            "## What can change your heart rate\n\nCoffee can make it faster.\n",
        ),
        "utf-8",
    )
    block = terms / "heart-block.md"
    block.write_text(
        block.read_text("utf-8").replace(
            "## What can cause it\n",
            "## Who gets it\n\nMostly older adults.\n\n## What can cause it\n",
        ),
        "utf-8",
    )
    hammertoe = terms / "hammertoe.md"
    hammertoe.write_text(
        hammertoe.read_text("utf-8").replace(
            "Roomy shoes can help ease the pain.", "Wide shoes help."
        ),
        "utf-8",
    )
    (folder / "es" / "terms" / "hantavirus.md").unlink()
    for locale, title in (("en", "Heat Stroke"), ("es", "Golpe de calor")):
        (folder / locale / "topics" / "heat-stroke.md").write_text(
            new_article(
                title=title, kind=Kind.TOPIC, summary="", text="Call 911.", today=date(2026, 12, 3)
            ),
            "utf-8",
        )
    found = changes(installed, _load(folder))
    assert found == [
        ArticleChange(Change.CHANGED, "en", "hammertoe", "Hammertoe", details=("summary",)),
        ArticleChange(
            Change.CHANGED,
            "en",
            "heart-block",
            "Heart Block",
            cards=(CardChange(Change.ADDED, "card 'Who gets it'"),),  # only the one put in
        ),
        ArticleChange(
            Change.CHANGED,
            "en",
            "heart-rate",
            "Heart Rate",
            cards=(CardChange(Change.CHANGED, "card 'What can change your heart rate'"),),
        ),
        ArticleChange(Change.ADDED, "en", "heat-stroke", "Heat Stroke"),
        ArticleChange(Change.REMOVED, "es", "hantavirus", "Hantavirus"),
        ArticleChange(Change.ADDED, "es", "heat-stroke", "Golpe de calor"),
    ]


def test_with_nothing_installed_every_article_is_added() -> None:
    pack = _load(REPO / "content")
    found = changes(None, pack)
    assert len(found) == pack.article_count and {c.change for c in found} == {Change.ADDED}
