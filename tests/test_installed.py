"""An installed pack opens on its signed manifest and catalogue, and reads each
article's file only when it is opened, checked against the manifest first."""

from __future__ import annotations

import base64
import logging
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.core.content.catalogue import Catalogue
from kiosk.core.content.loader import load_pack
from kiosk.core.content.pack import Kind, Pack
from kiosk.core.packs import installed
from kiosk.core.packs.build import build_pack
from kiosk.core.packs.signing import generate_keypair, load_private_key, public_key_text
from kiosk.core.packs.source import ContentChoice, load_installed
from kiosk.core.packs.store import Store
from kiosk.core.search import index as search

from conftest import CONTENT


def install_built(content: Path, tmp: Path) -> tuple[Path, str]:
    """``content`` built, signed and installed: (the installed folder, the key)."""
    private, _ = generate_keypair(tmp / "keys")
    public = public_key_text(load_private_key(private))
    build_pack(content, tmp / "pack.kpack", private)
    store = Store(tmp / "store")
    store.install(tmp / "pack.kpack", (public,))
    folder = store.current_pack_dir()
    assert folder is not None
    return folder, public


@pytest.fixture(scope="module")
def store_pack(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    return install_built(CONTENT, tmp_path_factory.mktemp("installed"))


def opened(store_pack: tuple[Path, str]) -> ContentChoice:
    folder, key = store_pack
    choice = load_installed(folder, (key,))
    assert choice is not None
    return choice


def test_every_article_reads_as_the_validated_folder_does(
    store_pack: tuple[Path, str], bundled_pack: Pack
) -> None:
    choice = opened(store_pack)
    assert choice.unverified_folder == store_pack[0]
    for locale, by_slug in bundled_pack.articles.items():
        assert sorted(choice.pack.articles[locale]) == sorted(by_slug)
        for slug, expected in by_slug.items():
            article = choice.pack.article(locale, slug)
            assert article is not None
            assert tuple(article.sections) == tuple(expected.sections)
            for field in (
                "title",
                "summary",
                "kind",
                "aliases",
                "related",
                "sensitive",
                "urgent",
                "crisis",
            ):
                assert getattr(article, field) == getattr(expected, field), (slug, field)
            assert (article.reviewed, article.review_due, article.grade) == (
                expected.reviewed,
                expected.review_due,
                expected.grade,
            )
            assert article.source_file.endswith(Path(expected.source_file).name)


def test_lists_come_in_title_order_and_honour_the_filters(
    store_pack: tuple[Path, str], bundled_pack: Pack
) -> None:
    catalogue: Catalogue = opened(store_pack).index.catalogue
    for locale in bundled_pack.info.locales:
        expected = [a.slug for a in bundled_pack.articles_in(locale)]
        assert [x.slug for x in catalogue.listing(locale)] == expected
        topics = [a.slug for a in bundled_pack.articles_in(locale) if a.kind is Kind.TOPIC]
        assert [x.slug for x in catalogue.listing(locale, kind=Kind.TOPIC)] == topics
        assert [x.slug for x in catalogue.listing(locale, limit=3)] == expected[:3]
        initials = {a.title[:1].upper() for a in bundled_pack.articles_in(locale)}
        assert catalogue.initials(locale) == initials
        for letter in initials:
            listed = catalogue.listing(locale, initial=letter)
            assert listed and all(x.title[:1].upper() == letter for x in listed)


def test_overdue_articles_can_be_left_out_of_lists(
    store_pack: tuple[Path, str], bundled_pack: Pack
) -> None:
    catalogue = opened(store_pack).index.catalogue
    articles = bundled_pack.articles_in("en")
    dues = sorted(a.review_due for a in articles if a.review_due)
    assert dues, "the bundled content has review dates"
    for cut in (dues[0], dues[-1] + timedelta(days=1)):
        listed = [x.slug for x in catalogue.listing("en", hide_due_before=cut)]
        expected = [a.slug for a in articles if not a.review_due or a.review_due >= cut]
        assert listed == expected
    assert len(listed) < len(articles)  # the later cut hides every dated article


def test_a_changed_article_file_is_never_shown(
    store_pack: tuple[Path, str], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder, key = store_pack
    target = folder / "content" / "en" / "terms" / "heparin.md"
    original = target.read_bytes()
    try:
        target.write_bytes(original.replace(b"Heparin", b"Hacked", 1))
        choice = load_installed(folder, (key,))  # opens: the manifest is intact
        assert choice is not None
        article = choice.pack.article("en", "heparin")
        assert article is not None and article.title == "Heparin"  # from the catalogue
        with caplog.at_level(logging.ERROR, "kiosk.content"):
            assert len(article.sections) == 0
        assert "does not match the signed manifest" in caplog.text
        other = choice.pack.article("en", "hammertoe")
        assert other is not None and len(other.sections) > 0
    finally:
        target.write_bytes(original)


def test_parsed_articles_are_kept_in_a_small_cache(
    store_pack: tuple[Path, str], bundled_pack: Pack
) -> None:
    pack = opened(store_pack).pack
    for locale in pack.info.locales:
        for slug in pack.articles[locale]:
            article = pack.article(locale, slug)
            assert article is not None and len(article.sections) > 0
    heparin = pack.article("en", "heparin")
    assert heparin is not None and isinstance(heparin.sections, installed.LazySections)
    parsed = heparin.sections._parsed
    assert len(parsed._cache) == installed.PARSED_CACHE < bundled_pack.article_count


def test_a_pack_with_an_older_index_is_checked_and_loaded_in_full(
    store_pack: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, key = store_pack
    monkeypatch.setattr(search, "SCHEMA_VERSION", search.SCHEMA_VERSION + 1)
    choice = load_installed(folder, (key,))
    assert choice is not None
    assert choice.unverified_folder is None  # every file was read before it opened
    assert isinstance(choice.pack.articles["en"], dict)
    bundled = load_pack(CONTENT).pack
    assert bundled is not None
    assert choice.pack.article_count == bundled.article_count


def test_a_changed_pack_toml_stops_the_pack_at_once(store_pack: tuple[Path, str]) -> None:
    folder, key = store_pack
    target = folder / "content" / "pack.toml"
    original = target.read_bytes()
    try:
        target.write_bytes(original + b"\n# edited\n")
        assert load_installed(folder, (key,)) is None
    finally:
        target.write_bytes(original)


def test_an_article_saved_with_a_byte_order_mark_opens(tmp_path: Path) -> None:
    """Some Windows editors start UTF-8 files with a BOM; the loader accepts them."""
    import shutil

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    article = content / "en" / "terms" / "heparin.md"
    article.write_bytes(b"\xef\xbb\xbf" + article.read_bytes())
    choice = load_installed(*_as_args(install_built(content, tmp_path)))
    assert choice is not None
    opened_article = choice.pack.article("en", "heparin")
    loaded = load_pack(content).pack
    assert loaded is not None
    expected = loaded.article("en", "heparin")
    assert opened_article is not None and expected is not None
    assert tuple(opened_article.sections) == tuple(expected.sections)


def _as_args(folder_and_key: tuple[Path, str]) -> tuple[Path, tuple[str, ...]]:
    folder, key = folder_and_key
    return folder, (key,)


def test_a_changed_catalogue_stops_the_pack_at_once(store_pack: tuple[Path, str]) -> None:
    """The catalogue holds every title and summary patients see: checked before use."""
    folder, key = store_pack
    target = folder / "catalogue.sqlite"
    original = target.read_bytes()
    try:
        target.write_bytes(original.replace(b"Heparin", b"Hacked!", 1))
        assert load_installed(folder, (key,)) is None
    finally:
        target.write_bytes(original)


_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def test_images_are_read_only_as_signed(tmp_path: Path) -> None:
    import shutil

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    (content / "en" / "images").mkdir()
    (content / "en" / "images" / "dot.png").write_bytes(_PNG)
    folder, key = install_built(content, tmp_path)
    choice = load_installed(folder, (key,))
    assert choice is not None
    pack = choice.pack
    assert pack.read_file("en/images/dot.png") == _PNG
    assert pack.read_file("../manifest.json") is None  # outside the content
    (folder / "content" / "en" / "images" / "extra.png").write_bytes(_PNG)
    assert pack.read_file("en/images/extra.png") is None  # not in the signed manifest
    (folder / "content" / "en" / "images" / "dot.png").write_bytes(_PNG + b"x")
    assert pack.read_file("en/images/dot.png") is None  # changed since it was signed


def test_a_catalogue_changed_after_the_start_check_does_not_reach_the_screen(
    store_pack: tuple[Path, str],
) -> None:
    folder, _key = store_pack
    choice = opened(store_pack)
    target = folder / "catalogue.sqlite"
    original = target.read_bytes()
    try:
        target.write_bytes(original.replace(b"Heparin", b"Hacked!"))
        titles = [x.title for x in choice.index.catalogue.listing("en")]
        assert "Heparin" in titles and "Hacked!" not in titles
        article = choice.pack.article("en", "heparin")
        assert article is not None and article.title == "Heparin"
    finally:
        target.write_bytes(original)


def test_a_reinstall_into_the_same_folder_name_is_another_folder(tmp_path: Path) -> None:
    from kiosk.core.packs.source import folder_identity

    folder = tmp_path / "20300101120000-clinic-health"
    folder.mkdir()
    (folder / "keep").touch()  # so the inode is not simply reused at once
    before = folder_identity(folder)
    folder.rename(tmp_path / "old")
    folder.mkdir()
    assert folder_identity(folder) != before
    assert folder_identity(tmp_path / "old") != before  # the path is part of it too
