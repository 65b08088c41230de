"""English and Spanish side by side, card by card (kiosk.core.studio.translations), on the
bundled content and on a copy staff changed."""

from __future__ import annotations

import shutil
from pathlib import Path

from kiosk.core.content.loader import load_pack
from kiosk.core.content.pack import Pack
from kiosk.core.studio.translations import Pairing, translations

REPO = Path(__file__).resolve().parents[1]


def _load(folder: Path) -> Pack:
    result = load_pack(folder)
    assert result.pack is not None, result.problems
    return result.pack


def test_every_bundled_article_has_its_spanish_card_for_card() -> None:
    pack = _load(REPO / "content")
    found = translations(pack, "es")
    assert len(found) == 14
    assert all(t.complete and t.source is not None and t.translation is not None for t in found)


def test_a_card_added_in_english_shows_missing_and_one_extra_in_spanish_shows_extra(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "content"
    shutil.copytree(REPO / "content", folder)
    english = folder / "en" / "terms" / "heart-rate.md"
    english.write_text(
        english.read_text("utf-8") + "\n## After exercise\n\nRest a while.\n", "utf-8"
    )
    spanish = folder / "es" / "terms" / "hammertoe.md"
    spanish.write_text(spanish.read_text("utf-8") + "\n## Más\n\nUse zapatos anchos.\n", "utf-8")
    (folder / "es" / "terms" / "hantavirus.md").unlink()
    by_slug = {t.slug: t for t in translations(_load(folder), "es")}
    rate = by_slug["heart-rate"]
    assert [r.pairing for r in rate.rows][-1] is Pairing.MISSING
    assert rate.rows[-1].source is not None and rate.rows[-1].source.title == "After exercise"
    assert all(r.pairing is Pairing.BOTH for r in rate.rows[:-1])
    toe = by_slug["hammertoe"]
    assert toe.rows[-1].pairing is Pairing.EXTRA and toe.rows[-1].translation is not None
    assert toe.rows[-1].translation.title == "Más"
    gone = by_slug["hantavirus"]
    assert gone.translation is None and {r.pairing for r in gone.rows} == {Pairing.MISSING}
    assert not gone.complete and len(gone.rows) == len(gone.source.sections if gone.source else ())
