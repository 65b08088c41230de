"""Themes: colours from resources/themes/*.toml poured into one QSS template.

Restyling is one call: a new text size or theme rebuilds the application style sheet,
and every widget picks it up, because selectors use roles set where widgets are made.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from functools import cache
from string import Template

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from kiosk.resources import FONTS, resource, theme_path

log = logging.getLogger("kiosk.ui")

FONT_FAMILY = "Atkinson Hyperlegible"
DYSLEXIA_FAMILY = "OpenDyslexic"
BODY_PX = 26  # at 100% on a 1920x1080 screen: about 5 mm, comfortable at arm's length
# WCAG 1.4.12 text spacing, used by the dyslexia-friendly mode.
LETTER_SPACING_EM = 0.12
WORD_SPACING_EM = 0.16


@dataclass(frozen=True)
class Theme:
    name: str
    colors: dict[str, str]


@cache
def load_theme(name: str) -> Theme:
    data = tomllib.loads(theme_path(name).read_text("utf-8"))
    return Theme(name=str(data["name"]), colors={k: str(v) for k, v in data["colors"].items()})


@dataclass(frozen=True)
class Look:
    """Everything the "Aa" panel changes about how the kiosk is drawn."""

    theme: Theme
    scale: float = 1.0
    dyslexia: bool = False

    @property
    def family(self) -> str:
        return DYSLEXIA_FAMILY if self.dyslexia else FONT_FAMILY

    @property
    def body_px(self) -> int:
        return round(BODY_PX * self.scale)

    def font(self, px: int | None = None) -> QFont:
        font = QFont(self.family)
        size = px or self.body_px
        font.setPixelSize(size)
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        if self.dyslexia:
            font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, LETTER_SPACING_EM * size)
            font.setWordSpacing(WORD_SPACING_EM * size)
        return font


def theme_name(high_contrast: bool) -> str:
    return "high-contrast" if high_contrast else "standard"


def stylesheet(theme: Theme, scale: float = 1.0) -> str:
    template = Template(resource("themes/kiosk.qss").read_text("utf-8"))
    sizes = {
        "body_px": round(BODY_PX * scale),
        "small_px": round(22 * scale),
        "button_px": round(26 * scale),
        "title_px": round(36 * scale),
        "hero_px": round(52 * scale),
    }
    return template.substitute(theme.colors, **{k: str(v) for k, v in sizes.items()})


def load_fonts() -> str:
    """Register the bundled fonts; the look must not depend on what the system has."""
    family = FONT_FAMILY
    for relative in FONTS:
        if QFontDatabase.addApplicationFont(str(resource(relative))) < 0:
            log.error("could not load bundled font %s; falling back to the system font", relative)
            family = QApplication.font().family()
    return family


def apply_look(app: QApplication, look: Look) -> None:
    font = look.font()
    sheet = stylesheet(look.theme, look.scale)
    if app.font() == font and app.styleSheet() == sheet:
        return  # as at start-up: re-polishing every widget again would take 16 ms
    app.setFont(font)
    # Also when only the font changed: widgets sized by the style sheet take the new
    # family only when they are polished again.
    app.setStyleSheet(sheet)


def apply_theme(app: QApplication, theme: Theme, scale: float = 1.0) -> None:
    apply_look(app, Look(theme, scale))
