"""One accessor for the files that ship with the kiosk, from source or from the bundle.

PyInstaller unpacks data under ``sys._MEIPASS``; from source the same files sit at the
repository root, and a wheel (``make wheel``) has them in ``kiosk/_data``. ``ASSETS``
lists every file the kiosk needs; kiosk.spec bundles the same list and a test checks
that each one exists.
"""

from __future__ import annotations

import sys
from pathlib import Path

FONTS = (
    "fonts/AtkinsonHyperlegible-Regular.ttf",
    "fonts/AtkinsonHyperlegible-Bold.ttf",
    # The dyslexia-friendly option; WOFF is what the OFL package ships, and Qt reads it.
    "fonts/OpenDyslexic-Regular.woff",
    "fonts/OpenDyslexic-Bold.woff",
)
ICONS = (
    "back",
    "home",
    "next",
    "previous",
    "text-size",
    "language",
    "search",
    "backspace",
    "clear",
    "close",
    "terms",
    "exit",
    "lock",
    "warning",
    "check",
    "speaker",
    "stop",
    "repeat",
)
THEMES = ("standard", "high-contrast")
# The languages the interface speaks: English (the source of every string) and one
# translation each, built from resources/translations/kiosk_LL.ts by make translations;
# English's own holds only its numerus forms ("1 second", "2 seconds").
# The settings' default_locale must be one of them (kiosk.core.config).
SOURCE_LOCALE = "en"
INTERFACE_LOCALES = (SOURCE_LOCALE, "es")
TRANSLATIONS = tuple(f"translations/kiosk_{locale}.qm" for locale in INTERFACE_LOCALES)
# The content studio's plain-word suggestions (kiosk.core.studio.plain_language).
PLAIN_WORDS = "plain-words.toml"
# The content studio's spelling check: the words Debian's Hunspell dictionaries lack
# (medicines, conditions), a list per pack language (kiosk.core.studio.spelling).
SPELLING_WORDS = {locale: f"spelling/medical-{locale}.txt" for locale in ("en", "es")}
ASSETS = (
    *FONTS,
    "fonts/AtkinsonHyperlegible-OFL.txt",
    "fonts/OpenDyslexic-OFL.txt",
    *(f"icons/{name}.svg" for name in ICONS),
    *(f"themes/{name}.toml" for name in THEMES),
    "themes/kiosk.qss",
    *TRANSLATIONS,
    PLAIN_WORDS,
    *SPELLING_WORDS.values(),
)


def base_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    package = Path(__file__).resolve().parent
    # A wheel (make wheel, for staff's editing computers) carries them in the package.
    packaged = package / "_data"
    if packaged.is_dir():
        return packaged
    return package.parent


def resource(relative: str) -> Path:
    """A bundled file under resources/, e.g. resource("icons/home.svg")."""
    return base_dir() / "resources" / relative


def icon_path(name: str) -> Path:
    return resource(f"icons/{name}.svg")


def theme_path(name: str) -> Path:
    return resource(f"themes/{name}.toml")


def bundled_content() -> Path:
    """The content pack that ships with the kiosk, used when none is installed."""
    return base_dir() / "content"
