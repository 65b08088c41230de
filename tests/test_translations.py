"""English and Spanish are complete: every interface string is translated, and a
patient who switches language sees Spanish everywhere, on the same article."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget
from pytestqt.qtbot import QtBot

from kiosk.resources import ASSETS, resource
from kiosk.ui.assembly import KioskParts
from kiosk.ui.theme import Theme
from kiosk.ui.window import MainWindow

from conftest import REPO
from helpers import SCREENS

TS = REPO / "resources" / "translations" / "kiosk_es.ts"
# English's own numerus forms ("1 second"): English is the source language.
SOURCE_TS = TS.with_name("kiosk_en.ts")
TOOLS = Path(sys.executable).parent
# Words that are the same in both languages on purpose.
SAME_IN_BOTH = {"English", "Español", "QR code"}


def messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    found = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            found[(name, message.findtext("source", ""))] = message
    return found


def unfinished(path: Path) -> list[str]:
    bad = []
    for (context, source), message in messages(path).items():
        translation = message.find("translation")
        forms = [translation] if translation is not None else []
        if message.get("numerus") == "yes" and translation is not None:
            forms = translation.findall("numerusform") or [translation]
        if (
            translation is None
            or translation.get("type")
            or any(not (form.text or "").strip() for form in forms)
        ):
            bad.append(f"{context}: {source}")
    return bad


def numerus(path: Path) -> set[tuple[str, str]]:
    return {key for key, message in messages(path).items() if message.get("numerus") == "yes"}


def test_every_spanish_string_is_translated() -> None:
    assert len(messages(TS)) >= 70
    assert unfinished(TS) == []


def refreshed(ts: Path, tmp_path: Path, *options: str) -> Path:
    """A copy of ``ts`` brought up to date with the code, as ``make lupdate`` does."""
    fresh = tmp_path / ts.name
    shutil.copy(ts, fresh)
    sources = sorted(str(p) for p in (REPO / "kiosk" / "ui").rglob("*.py"))
    run = subprocess.run(
        [
            str(TOOLS / "pyside6-lupdate"),
            *options,
            "-no-obsolete",
            "-locations",
            "none",
            *sources,
            "-ts",
            str(fresh),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    return fresh


def test_the_spanish_file_covers_every_string_in_the_code(tmp_path: Path) -> None:
    fresh = refreshed(TS, tmp_path)
    assert unfinished(fresh) == [], "new or changed strings: run 'make lupdate' and translate them"
    assert set(messages(fresh)) == set(messages(TS)), (
        "strings removed from the code: run 'make lupdate'"
    )


def test_the_english_file_gives_every_count_its_english_forms(tmp_path: Path) -> None:
    """A message with a count (%n) needs its English forms too, or it says "1 seconds"."""
    fresh = refreshed(SOURCE_TS, tmp_path, "-pluralonly")
    assert unfinished(fresh) == [], "new counts: run 'make lupdate' and write their English forms"
    assert set(messages(fresh)) == set(messages(SOURCE_TS)) == numerus(SOURCE_TS)
    assert numerus(SOURCE_TS) == numerus(TS) and len(numerus(TS)) >= 9


@pytest.mark.parametrize("ts", [TS, SOURCE_TS], ids=["es", "en"])
def test_compiled_translations_are_listed_and_built(ts: Path) -> None:
    assert f"translations/{ts.stem}.qm" in ASSETS
    qm = resource(f"translations/{ts.stem}.qm")
    assert qm.is_file(), "run 'make translations'"
    assert qm.stat().st_mtime >= ts.stat().st_mtime, f"{qm.name} is older than {ts.name}"


@pytest.mark.gui
def test_switching_language_changes_interface_and_content_on_the_same_card(
    qtbot: QtBot, window: MainWindow, parts: KioskParts
) -> None:
    window.session.open_home()
    parts.navigator.open_article("heart-attack")
    window.reader.show_card(2)
    qtbot.mouseClick(window.top_bar.language_button, Qt.MouseButton.LeftButton)
    assert window.session.locale == "es"
    assert window.reader.article is not None and window.reader.article.title == "Ataque al corazón"
    assert window.reader.progress.text == "3 de 5"
    assert window.top_bar.home_button.text() == "Inicio"
    assert window.top_bar.language_button.text() == "English"
    parts.navigator.open_terms()
    window.terms.open_keyboard()
    assert not window.terms.keys_button.isVisible()  # the keys have their own Hide key
    keys = window.terms.keyboard.findChildren(QAbstractButton)
    assert "Ocultar" in [key.text() for key in keys if key.isVisible()]  # the Hide key
    names = {
        w.accessibleName()
        for w in window.terms.keyboard.findChildren(QAbstractButton)
        if w.isVisible()
    }
    assert {"ñ", "Espacio", "Borrar", "Ocultar"} <= names
    window.terms.field.setText("presion alta")
    assert window.terms.visible_results()[0] == "Hipertensión"


# The welcome screen speaks every language at once; the PIN pad is for staff and
# follows the administrator's default language.
PATIENT_SCREENS = [s for s in SCREENS if s not in ("attract", "pin-pad")]


@pytest.mark.gui
@pytest.mark.parametrize("screen", PATIENT_SCREENS)
def test_no_english_left_on_any_spanish_screen(
    qtbot: QtBot, window: MainWindow, parts: KioskParts, screen: str
) -> None:
    english = {source for (_context, source) in messages(TS)} - SAME_IN_BOTH
    window.session.set_locale("es")
    page = SCREENS[screen](parts)
    qtbot.wait(20)
    texts = [
        w.text().strip()
        for w in page.findChildren(QWidget)
        if isinstance(w, QLabel | QAbstractButton) and w.isVisible() and w.text().strip()
    ]
    texts += [w.accessibleName() for w in page.findChildren(QAbstractButton) if w.isVisible()]
    leftovers = [t for t in texts if t in english]
    assert leftovers == []


def test_the_interface_languages_are_the_translations_shipped() -> None:
    from kiosk.ui.i18n import INTERFACE_LOCALES, SOURCE_LOCALE

    shipped = sorted(p.stem.removeprefix("kiosk_") for p in TS.parent.glob("kiosk_*.ts"))
    assert sorted(INTERFACE_LOCALES) == shipped and SOURCE_TS.stem == f"kiosk_{SOURCE_LOCALE}"


def test_the_out_of_order_screen_speaks_every_interface_language(
    qtbot: QtBot, theme: Theme
) -> None:
    """No pack loaded means no language chosen: the screen a patient meets says it in
    English and in Spanish, as the welcome screen does."""
    from PySide6.QtWidgets import QLabel

    from kiosk.ui.screens.calm import OutOfOrderPage

    page = OutOfOrderPage(["content/pack.toml:3: error: ..."])
    qtbot.addWidget(page)
    shown = [label.text() for label in page.findChildren(QLabel)]
    assert "This screen is not working right now." in shown
    assert "Esta pantalla no funciona en este momento." in shown
    assert "Por favor, pregunte en la recepción. Lo sentimos." in shown


@pytest.mark.parametrize("locale", ["en", "es"])
def test_one_word_names_one_action_on_the_a_to_z_screen(
    window: MainWindow, parts: KioskParts, locale: str
) -> None:
    """In Spanish "Borrar" named both Clear (empty the search) and the keyboard's Delete
    (one letter): a patient could not tell which wipes what they typed (issue 12)."""
    window.session.open_home()
    window.session.set_locale(locale)
    parts.navigator.open_terms()
    window.terms.open_keyboard()
    names: dict[str, set[str]] = {}
    for button in window.terms.findChildren(QAbstractButton):
        if button.isVisible() and button.text().strip():
            action = button.accessibleName() + "|" + button.accessibleDescription()
            names.setdefault(button.text().strip(), set()).add(action)
    shared = {word: actions for word, actions in names.items() if len(actions) > 1}
    assert shared == {}
