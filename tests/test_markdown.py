"""The Markdown pipeline against golden files: what each card shows and says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from markdown_fixtures import FIXTURE_DIR, render_fixture

CASES = sorted(FIXTURE_DIR.glob("*.md"))


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fixture_renders_as_expected(path: Path) -> None:
    expected = json.loads(path.with_suffix(".expected.json").read_text("utf-8"))
    assert render_fixture(path) == expected


def test_every_fixture_has_a_golden_file() -> None:
    assert len(CASES) >= 5
    for path in CASES:
        assert path.with_suffix(".expected.json").is_file(), path


def test_script_tags_are_shown_as_text_never_markup() -> None:
    cards = render_fixture(FIXTURE_DIR / "unsafe.md")["sections"]
    html = "".join(card["html"] for card in cards)
    assert "<script" not in html
    assert "&lt;script&gt;" in html


def test_unsafe_links_and_images_are_not_emitted() -> None:
    html = "".join(c["html"] for c in render_fixture(FIXTURE_DIR / "unsafe.md")["sections"])
    for forbidden in ("javascript:", "file:", "data:", "passwd", "<a ", "<img"):
        assert forbidden not in html


def test_external_links_are_text_plus_take_home_url() -> None:
    card = render_fixture(FIXTURE_DIR / "links.md")["sections"][0]
    assert "nhs.uk" not in card["html"]
    assert card["take_home_urls"] == ["https://www.nhs.uk/conditions/"]
    assert "the NHS" in card["text"]


def test_headings_split_cards_and_intro_comes_first() -> None:
    cards = render_fixture(FIXTURE_DIR / "intro-and-sections.md")["sections"]
    assert [c["title"] for c in cards] == ["", "First card", "Second card"]
    assert render_fixture(FIXTURE_DIR / "no-intro.md")["sections"][0]["title"] == "Only card"


def test_images_become_pack_urls_inside_the_pack() -> None:
    card = render_fixture(FIXTURE_DIR / "image-and-table.md")["sections"][0]
    assert '<img src="pack:/images/heart.png"' in card["html"]
    assert "A healthy heart" in card["text"]
