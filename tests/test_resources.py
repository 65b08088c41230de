"""The one list of bundled files (kiosk.spec bundles the same list) names files that exist."""

from __future__ import annotations

from kiosk.resources import ASSETS, FONTS, ICONS, THEMES, resource


def test_every_listed_asset_exists_from_source() -> None:
    missing = [relative for relative in ASSETS if not resource(relative).is_file()]
    assert missing == [], "run 'make translations' if only .qm files are missing"


def test_fonts_come_with_their_licences_and_icons_are_svg() -> None:
    assert len(FONTS) >= 2 and len(ICONS) >= 14 and "high-contrast" in THEMES
    for licence in ("AtkinsonHyperlegible-OFL.txt", "OpenDyslexic-OFL.txt"):
        assert "SIL Open Font License" in resource(f"fonts/{licence}").read_text("utf-8")
    for name in ICONS:
        assert "currentColor" in resource(f"icons/{name}.svg").read_text("utf-8"), name
