"""The right warning, first: an article's ``urgent:`` text leads its first card, its
tiles and what is read aloud; a sensitive article shows the crisis message it names
(``crisis: mental-health`` shows the 988 line, not the overdose one); validate names a
missing or unknown crisis name with file:line and the fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.content.pack import Pack
from kiosk.core.patient import DisplaySettings
from kiosk.ui.assembly import KioskParts
from kiosk.ui.theme import Theme
from kiosk.ui.window import MainWindow

from conftest import CONTENT, make_kiosk, validate_folder

HEART_ATTACK_URGENT = "Call 911 now if you have chest pain"


_validate = validate_folder


def _edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` with ``new`` in a file; the 1-based line where it was."""
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, 1), "utf-8")
    return line


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    return folder


def test_bundled_content_names_its_crisis_help_and_urgent_texts(bundled_pack: Pack) -> None:
    info = bundled_pack.info
    assert set(info.crisis) == {"overdose", "mental-health"}
    for locale in info.locales:
        assert "988" in info.crisis["mental-health"][locale]
        hallucination = bundled_pack.article(locale, "hallucination")
        assert hallucination is not None
        assert hallucination.sensitive and hallucination.crisis == "mental-health"
        harm_reduction = bundled_pack.article(locale, "harm-reduction-therapy")
        assert harm_reduction is not None and harm_reduction.crisis == "overdose"
        for slug in ("heart-attack", "haemorrhage", "hypertension"):
            urgent = bundled_pack.article(locale, slug)
            assert urgent is not None and "911" in urgent.urgent


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("crisis: mental-health", "crisis: mental-healht"),
            "crisis 'mental-healht' is not in pack.toml; did you mean 'mental-health'?",
        ),
        (
            ("crisis: mental-health\n", ""),
            "a sensitive article must say which crisis help it shows; add 'crisis:' with "
            "one of: mental-health, overdose",
        ),
        (
            ('urgent: "Call 911 now if', 'urgent: "<b>Call 911</b> now if'),
            "'urgent' contains markup '<b>'; the kiosk shows text exactly as typed",
        ),
    ],
    ids=["unknown name", "missing name", "markup in urgent"],
)
def test_validate_names_the_file_the_line_and_the_fix(
    content: Path, edit: tuple[str, str], expected: str
) -> None:
    article = content / "en" / "terms" / "hallucination.md"
    old, new = edit
    line = _edit(article, old, new)
    if not new:  # the key was removed: the problem is on the 'sensitive:' line
        text = article.read_text("utf-8")
        line = text[: text.index("sensitive:")].count("\n") + 1
    run = _validate(content)
    assert run.returncode != 0
    assert f"{article}:{line}: error: {expected}" in run.stdout + run.stderr, run.stdout


def test_validate_names_a_crisis_message_missing_in_a_language(content: Path) -> None:
    pack_toml = content / "pack.toml"
    _edit(
        pack_toml,
        'es = "Llame o mande un texto al 988',
        'fr_missing = "Llame o mande un texto al 988',
    )
    text = pack_toml.read_text("utf-8").replace("fr_missing", "# es")
    pack_toml.write_text(text, "utf-8")
    run = _validate(content)
    article = content / "es" / "terms" / "hallucination.md"
    line = article.read_text("utf-8").split("\n").index("crisis: mental-health") + 1
    assert run.returncode != 0
    assert (
        f"{article}:{line}: error: [crisis.mental-health] in pack.toml has no 'es' text; "
        'add es = "..." under it'
    ) in run.stdout


def _on_screen(widget: QWidget, window: QWidget) -> bool:
    if not widget.isVisible():
        return False
    want = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    return window.rect().contains(want)


@pytest.mark.parametrize("scale", [1.0, 2.0])
@pytest.mark.parametrize("size", [(1366, 768), (1080, 1920)])
def test_the_first_card_says_what_is_urgent_first(
    qtbot: QtBot,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    size: tuple[int, int],
    scale: float,
) -> None:
    parts = make_kiosk(qtbot, bundled_pack, theme, pin_hash)
    window: MainWindow = parts.window
    window.resize(*size)
    window.session.open_home()
    window.session.set_settings(DisplaySettings(text_scale=scale))
    parts.navigator.open_article("heart-attack")
    qtbot.wait(30)
    callout = next(
        label
        for label in window.reader.findChildren(QLabel)
        if label.text().startswith(HEART_ATTACK_URGENT)
    )
    assert _on_screen(callout, window), "the urgent text is not on screen on the first card"
    # It comes before the card's own words, and is read first.
    text_top = window.reader.text.mapTo(window, QPoint(0, 0)).y()
    assert callout.mapTo(window, QPoint(0, 0)).y() < text_top
    with qtbot.waitSignal(window.reader.listen_requested) as spoken:
        window.reader.listen_button.click() if window.reader.listen_button.isVisible() else (
            window.reader._listen()
        )
    assert str(spoken.args[0]).startswith(HEART_ATTACK_URGENT)
    window.reader.show_card(1)
    qtbot.wait(30)
    assert not callout.isVisible(), "the urgent callout belongs to the first card only"


@pytest.mark.parametrize(
    ("slug", "says", "not_says"),
    [("hallucination", "988", "overdos"), ("harm-reduction-therapy", "overdos", "988")],
)
def test_each_sensitive_article_shows_the_crisis_help_it_names(
    window: MainWindow, parts: KioskParts, slug: str, says: str, not_says: str
) -> None:
    window.session.open_home()
    parts.navigator.open_article(slug)
    banner = window.reader.banner
    shown = " ".join(label.text() for label in banner.findChildren(QLabel))
    assert banner.isVisible() and says in shown and not_says not in shown, shown


def test_result_tiles_show_the_urgent_text(
    qtbot: QtBot, window: MainWindow, parts: KioskParts
) -> None:
    window.session.open_home()
    parts.navigator.open_terms()
    window.terms.letters.button("H").click()
    qtbot.wait(30)
    tile = next(t for t in window.terms.results.tiles if t.accessibleName() == "Heart Attack")
    texts = [label.text() for label in tile.findChildren(QLabel) if label.isVisible()]
    assert any(text.startswith(HEART_ATTACK_URGENT) for text in texts), texts
    assert HEART_ATTACK_URGENT in tile.accessibleDescription()  # screen readers hear it too
