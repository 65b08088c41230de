"""docs/STUDIO.md against the studio itself: every picture it shows exists (and every
picture made for it is shown), every button and box it names is on screen by that
name, and every list filter it names is one the list offers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel
from studio_helpers import MakeStudio, choose

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[1]
GUIDE = (REPO / "docs" / "STUDIO.md").read_text("utf-8")


def test_every_picture_shown_exists_and_every_one_made_is_shown() -> None:
    shown = set(re.findall(r"\]\((studio/[^)]+\.png)\)", GUIDE))
    made = {f"studio/{p.name}" for p in (REPO / "docs" / "studio").glob("*.png")}
    assert shown == made and len(made) == 8


def test_every_button_and_box_the_guide_names_is_on_screen(
    studios: MakeStudio, folder: Path
) -> None:
    window = studios(folder)
    choose(window, Path("en") / "terms" / "heart-rate.md")
    words = set()
    for widget in window.findChildren(QAbstractButton):
        words |= {widget.text().replace("&", ""), widget.accessibleName()}
    for action in window.findChildren(QAction):
        words.add(action.text().replace("&", ""))
    for label in window.findChildren(QLabel):
        words.add(label.text())
    toolbar = re.search(r"\| Button \| What it does \|\n\|---\|---\|\n((?:\|.*\n)+)", GUIDE)
    boxes = re.search(r"\| Box \| What to write \|\n\|---\|---\|\n((?:\|.*\n)+)", GUIDE)
    assert toolbar is not None and boxes is not None
    named = re.findall(r"^\| \*\*([^*]+)\*\*(?:, \*\*([^*]+)\*\*)? \|", toolbar.group(1), re.M)
    buttons = [name for pair in named for name in pair if name]
    assert len(buttons) == 10
    for name in buttons:
        assert name in words or f"{name}..." in words, name
    for row in re.findall(r"^\| ([^|]+) \|", boxes.group(1), re.M):
        for name in row.split(", "):
            assert name.strip() in words, name
    for name in ("Show Markdown", "Save", "New article...", "Publish...", "Add source"):
        assert name in words and f"**{name}**" in GUIDE, name


def test_the_list_filters_the_guide_names_are_offered(studios: MakeStudio, folder: Path) -> None:
    window = studios(folder)
    offered = set()
    for combo in window.articles.findChildren(QComboBox):
        offered |= {combo.itemText(i) for i in range(combo.count())}
    section = GUIDE[GUIDE.index("## 2. Open your content") : GUIDE.index("## 3.")]
    for name in ("Review overdue", "Reading grade above 8", "No Spanish version", "Has problems"):
        assert f"**{name}**" in section and name in offered, (name, sorted(offered))
    assert "**English changed since the Spanish was checked**" in GUIDE
    assert "English changed since the Spanish was checked" in offered
