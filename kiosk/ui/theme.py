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

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetricsF, QPalette
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from kiosk.resources import FONTS, resource, theme_path

log = logging.getLogger("kiosk.ui")

FONT_FAMILY = "Atkinson Hyperlegible"
DYSLEXIA_FAMILY = "OpenDyslexic"
BODY_PX = 26  # at 100% on a 1920x1080 screen: about 5 mm, comfortable at arm's length
# The easier-to-read mode's spacing. WCAG 2.2 1.4.12 names the values text must bear:
# letters 0.12 em apart, spaces 0.16 em. A font whose own spacing already gives more
# gets nothing added (OpenDyslexic at 26 px: about 0.15 em between letters in running
# text, a 0.85 em space); adding the values on top pulled its words apart ("C h e s t
# p a i n"). Its space is brought to half an em: far above 0.16 em, and still plainly
# wider than the gap between its letters.
LETTER_SPACING_EM = 0.12
WORD_SPACING_EM = 0.16
WORD_SPACE_MAX_EM = 0.5


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
            gap, space = natural_spacing_em(self.family, size)
            letters = max(0.0, LETTER_SPACING_EM - gap)
            words = min(max(space, WORD_SPACING_EM), WORD_SPACE_MAX_EM) - space
            font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, letters * size)
            font.setWordSpacing(words * size)
        return font


@cache
def natural_spacing_em(family: str, px: int) -> tuple[float, float]:
    """A font's own spacing at ``px``, in ems, as running text lays it out: the mean gap
    between two letters (a-z, each next to itself: advance less ink), and a space."""
    font = QFont(family)
    font.setPixelSize(px)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    metrics = QFontMetricsF(font)
    gaps = []
    for c in "abcdefghijklmnopqrstuvwxyz":
        advance = (metrics.horizontalAdvance(c * 11) - metrics.horizontalAdvance(c)) / 10
        gaps.append(advance - metrics.tightBoundingRect(c).width())
    space = metrics.horizontalAdvance("n n") - metrics.horizontalAdvance("nn")
    return sum(gaps) / len(gaps) / px, space / px


def theme_name(high_contrast: bool) -> str:
    return "high-contrast" if high_contrast else "standard"


def stylesheet(theme: Theme, scale: float = 1.0) -> str:
    template = Template(resource("themes/kiosk.qss").read_text("utf-8"))
    body = round(BODY_PX * scale)
    # Titles, already big, grow half as fast as the text, and stay a step above it, as
    # in Apple's Dynamic Type (at its largest sizes titles are a little bigger than
    # body text): at 200% a title of 104 px took five lines of a 768 px screen.
    heading = 1 + (scale - 1) / 2
    sizes = {
        "body_px": body,
        "small_px": round(22 * scale),
        "button_px": round(26 * scale),
        "title_px": max(round(36 * heading), round(body * 1.15)),
        "hero_px": max(round(52 * heading), round(body * 1.4)),
    }
    return template.substitute(theme.colors, **{k: str(v) for k, v in sizes.items()})


def palette(theme: Theme) -> QPalette:
    """The theme's colours for what the style sheet does not reach: link colours in
    rich text, the selection (Highlight), a search field's placeholder, disabled text,
    and anything Qt draws from the palette. Without it links are Qt's default blue, about
    2.4:1 on the high-contrast theme's black (WCAG 2.2 1.4.6 asks 7:1)."""
    c = {key: QColor(value) for key, value in theme.colors.items()}
    roles = QPalette.ColorRole
    result = QPalette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        for role, key in (
            (roles.Window, "background"),
            (roles.WindowText, "text"),
            (roles.Base, "surface"),
            (roles.AlternateBase, "background"),
            (roles.Text, "text"),
            (roles.Button, "secondary"),
            (roles.ButtonText, "on_secondary"),
            (roles.BrightText, "on_danger"),
            (roles.Link, "link"),
            (roles.LinkVisited, "link"),
            (roles.Highlight, "primary"),
            (roles.HighlightedText, "on_primary"),
            (roles.PlaceholderText, "muted_text"),
            (roles.ToolTipBase, "surface"),
            (roles.ToolTipText, "text"),
        ):
            result.setColor(group, role, c[key])
    disabled = QPalette.ColorGroup.Disabled
    for role, key in (
        (roles.Window, "background"),
        (roles.Base, "surface"),
        (roles.Button, "disabled"),
        (roles.WindowText, "on_disabled"),
        (roles.Text, "on_disabled"),
        (roles.ButtonText, "on_disabled"),
        (roles.Link, "link"),
        (roles.LinkVisited, "link"),
        (roles.PlaceholderText, "muted_text"),
        (roles.Highlight, "primary"),
        (roles.HighlightedText, "on_primary"),
    ):
        result.setColor(disabled, role, c[key])
    return result


def keep_kiosk_font(container: QWidget, kind: type[QWidget] = QPushButton) -> None:
    """The ``kind`` widgets in ``container`` (itself, if it is one) keep the kiosk's own
    font, Atkinson Hyperlegible (drawn for low vision), without the added spacing, when
    a patient picks the easier-to-read font for reading.

    For controls of a word or a letter that are on screen all the time (the top bar,
    the reader's footer, the on-screen keys and the search box they type into):
    OpenDyslexic's wide, tall letters put the top bar on two rows of 115 px at 200% on
    a 1024 px screen and made ten keys wider than a 1366 px one, which left no room for
    a single search result. What patients read (articles, titles, results, settings)
    takes the font they chose. Replaces ``container``'s own style sheet; covers the
    widgets it has now.
    """
    selector = kind.__name__
    container.setStyleSheet(f"{selector} {{ font-family: '{FONT_FAMILY}'; }}")
    widgets = container.findChildren(kind)
    if isinstance(container, kind):
        widgets.append(container)
    spacing = _NoAddedSpacing(container)
    for widget in widgets:
        widget.installEventFilter(spacing)
        spacing.drop(widget)


class _NoAddedSpacing(QObject):
    """Takes off the letter and word spacing the easier-to-read mode adds to the
    application font (see :meth:`Look.font`) whenever a watched widget's font changes:
    it is for OpenDyslexic's running text, and a widget in the kiosk's font needs none."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FontChange and isinstance(watched, QWidget):
            self.drop(watched)
        return False

    @staticmethod
    def drop(widget: QWidget) -> None:
        font = widget.font()
        if font.letterSpacing() or font.wordSpacing():  # also ends the FontChange it sends
            font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 0)
            font.setWordSpacing(0)
            widget.setFont(font)


# The kiosk's own font: all the welcome screen draws. The easier-to-read font is
# registered after the first frame, or when a patient picks it (LookChanger).
FIRST_FRAME_FONTS = tuple(f for f in FONTS if "Atkinson" in f)
_registered: set[str] = set()


def load_fonts(fonts: tuple[str, ...] = FONTS) -> str:
    """Register the bundled fonts (each once); the look must not depend on what the
    system has."""
    family = FONT_FAMILY
    for relative in fonts:
        if relative in _registered:
            continue
        if QFontDatabase.addApplicationFont(str(resource(relative))) < 0:
            log.error("could not load bundled font %s; falling back to the system font", relative)
            family = QApplication.font().family()
        else:
            _registered.add(relative)
    return family


def apply_look(app: QApplication | QWidget, look: Look) -> None:
    """The look on the whole application, or (the studio's preview) on one window and
    what it holds: a style sheet, palette and font cascade from a widget as from the
    application."""
    font = look.font()
    sheet = stylesheet(look.theme, look.scale)
    colours = palette(look.theme)
    if app.font() == font and app.styleSheet() == sheet and app.palette() == colours:
        return  # as at start-up: re-polishing every widget again would take 16 ms
    app.setPalette(colours)
    app.setFont(font)
    # Also when only the font changed: widgets sized by the style sheet take the new
    # family only when they are polished again.
    app.setStyleSheet(sheet)


def apply_theme(app: QApplication, theme: Theme, scale: float = 1.0) -> None:
    apply_look(app, Look(theme, scale))
