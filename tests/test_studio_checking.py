"""The validator on unsaved texts (kiosk.core.studio.checking): the same verdict as
`kiosk content validate` would give once they are saved, and the real folder untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

from kiosk.core.content.loader import load_pack
from kiosk.core.content.problems import Severity
from kiosk.core.studio.checking import check_with

REPO = Path(__file__).resolve().parents[1]


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_unsaved_texts_are_checked_as_if_saved_and_nothing_real_is_written(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "content"
    shutil.copytree(REPO / "content", folder)
    before = _tree(folder)
    rate = folder / "en" / "terms" / "heart-rate.md"
    text = rate.read_text("utf-8") + "\nSee [this](no-such-article).\n"
    checked = check_with(folder, {rate: text}, tmp_path / "scratch")
    assert _tree(folder) == before  # the hard-linked real file was not written through
    [error] = [p for p in checked.problems if p.severity is Severity.ERROR]
    assert error.file == str(rate) and "'no-such-article'" in error.message
    assert checked.pack is None  # an error: no pack patients could get
    rate.write_text(text, "utf-8")  # saved: the validator's own verdict is the same
    assert [(p.line, p.message) for p in load_pack(folder).problems if p.file == str(rate)] == [
        (p.line, p.message) for p in checked.problems if p.file == str(rate)
    ]


def test_a_clean_folder_gives_the_pack_patients_would_get(tmp_path: Path) -> None:
    checked = check_with(REPO / "content", {}, tmp_path / "scratch")
    assert checked.problems == [] and checked.pack is not None
    assert checked.pack.article_count == 28
