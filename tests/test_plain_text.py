"""Pack text is shown as typed, never as markup, and validate names markup with file:line.

The outcome a patient would notice: a pack title with a ``<font color=red>`` tag must
not turn Home red, and an ``<img>`` in a banner must not draw a picture from outside
the pack. Both are measured on rendered pixels, on a pack whose strings were made
hostile after loading (the validator would refuse them, which is tested below).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.content.pack import Pack
from kiosk.core.content.plaintext import find_markup
from kiosk.ui.assembly import KioskParts
from kiosk.ui.theme import Theme
from kiosk.ui.window import MainWindow

from conftest import CONTENT, make_kiosk, validate_folder

RED = "#ff0000"


def _red_pixels(widget: QWidget) -> int:
    image = widget.grab().toImage()
    count = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = image.pixelColor(x, y)
            count += c.red() > 200 and c.green() < 60 and c.blue() < 60
    return count


@pytest.fixture
def red_picture(tmp_path: Path) -> Path:
    from PySide6.QtGui import QColor, QImage

    image = QImage(200, 200, QImage.Format.Format_RGB32)
    image.fill(QColor(RED))
    path = tmp_path / "outside.png"
    image.save(str(path))
    return path


def _hostile(pack: Pack, red_picture: Path) -> Pack:
    font = '<font color=red size=7>Hacked</font> kiosk <b style="color:red">!</b>'
    image = f'<img src="{red_picture}" width=200 height=200>Call <b>now</b>'
    info = replace(
        pack.info,
        title=font,
        titles={loc: font for loc in pack.info.locales},
        crisis_banner={loc: image for loc in pack.info.locales},
    )
    articles = {
        locale: {
            slug: replace(a, title=f"<font color=red size=7>{a.title}</font>", summary=image)
            for slug, a in by_slug.items()
        }
        for locale, by_slug in pack.articles.items()
    }
    return replace(pack, info=info, articles=articles)


def test_markup_in_pack_text_is_shown_as_typed_on_every_screen(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str, red_picture: Path
) -> None:
    from kiosk.ui.widgets.labels import Label

    hostile = _hostile(bundled_pack, red_picture)
    parts = make_kiosk(qtbot, hostile, theme, pin_hash)
    window = parts.window
    go: Callable[[], None]
    for name, go in (
        ("welcome", lambda: None),
        ("home", window.session.open_home),
        ("terms", parts.navigator.open_terms),
        ("reader", lambda: parts.navigator.open_article("harm-reduction-therapy")),
    ):
        go()
        qtbot.wait(10)
        assert _red_pixels(window) == 0, f"markup rendered as colour on {name}"
    # The tags are on screen as text, which is what a tester would see and report.
    window.session.open_home()
    shown = [label.text() for label in window.findChildren(Label) if label.isVisible()]
    assert any("<font color=red size=7>Hacked</font>" in text for text in shown)


def test_every_label_of_every_screen_is_plain_text(
    window: MainWindow, parts: KioskParts, qtbot: QtBot
) -> None:
    """A QLabel made anywhere without the kiosk's Label would guess rich text again."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from kiosk.ui.screens.calm import OneMomentOverlay, OutOfOrderPage

    screens = [window, OneMomentOverlay(), OutOfOrderPage(["x.md:3: error: <b>bad</b>"])]
    window.session.open_home()
    parts.navigator.open_terms()
    parts.navigator.open_article("heart-attack")
    article = window.reader.article
    assert article is not None
    window.reader.show_card(len(article.sections) - 1)
    parts.navigator.open_settings()
    window.idle_overlay.begin()
    labels = [label for screen in screens for label in screen.findChildren(QLabel)]
    assert len(labels) > 20
    rich = [
        (label.objectName() or label.text()[:30])
        for label in labels
        if label.textFormat() != Qt.TextFormat.PlainText
    ]
    assert rich == []


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("<font color=red>Hacked</font>", "<font color=red>"),
        ("Call 911 <b>now</b>", "<b>"),
        ("<img src=/etc/a.png>", "<img src=/etc/a.png>"),
        ("Tom &amp; Jerry", "&amp;"),
        ("&#60;script", "&#60;"),
        ("<!-- hidden", "<!--"),
        ("Children (<5 years) & adults", None),
        ("a < b and c > d", None),
        ("Heart attack", None),
    ],
)
def test_find_markup(text: str, found: str | None) -> None:
    assert find_markup(text) == found


_validate = validate_folder


def test_validate_names_markup_in_pack_toml_and_front_matter_with_file_and_line(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    toml = folder / "pack.toml"
    text = toml.read_text("utf-8")
    text = text.replace('en = "Health information"', 'en = "<font color=red size=7>Hacked</font>"')
    toml.write_text(text, "utf-8")
    title_line = text.splitlines().index('en = "<font color=red size=7>Hacked</font>"') + 1
    article = folder / "en" / "terms" / "heart-attack.md"
    lines = article.read_text("utf-8").splitlines()
    summary_at = next(i for i, line in enumerate(lines) if line.startswith("summary:"))
    lines[summary_at] = 'summary: "Call <b>911</b> now."'
    article.write_text("\n".join(lines) + "\n", "utf-8")
    run = _validate(folder)
    assert run.returncode == 1, run.stdout
    assert (
        f"{toml}:{title_line}: error: title.en contains markup '<font color=red size=7>'"
        in run.stdout
    )
    assert run.stdout.count("contains markup") == 1  # named once, not as title and title.en
    shutil.copy(CONTENT / "pack.toml", toml)  # validate reads articles once pack.toml is usable
    run = _validate(folder)
    assert run.returncode == 1, run.stdout
    assert f"{article}:{summary_at + 1}: error: 'summary' contains markup '<b>'" in run.stdout
    assert "Traceback" not in run.stderr
