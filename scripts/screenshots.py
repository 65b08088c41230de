"""Write docs/screenshots/*.png: every main screen, in landscape and portrait.

Renders the real main window on the bundled content with Qt's offscreen platform, so
it needs no display and gives the same pixels on every machine.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.core.config import KioskConfig  # noqa: E402
from kiosk.core.loader import load_pack  # noqa: E402
from kiosk.core.patient import DisplaySettings  # noqa: E402
from kiosk.core.search import SearchIndex  # noqa: E402
from kiosk.ui.session import Session  # noqa: E402
from kiosk.ui.theme import apply_theme, load_fonts, load_theme  # noqa: E402
from kiosk.ui.window import MainWindow  # noqa: E402

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


def _home(w: MainWindow) -> None:
    w.session.open_home()


def _reader(w: MainWindow) -> None:
    w.session.open_home()
    w.open_article("heart-attack")
    w.reader.show_card(1)


def _crisis(w: MainWindow) -> None:
    w.session.open_home()
    w.open_article("harm-reduction-therapy")


def _terms(w: MainWindow) -> None:
    w.session.open_home()
    w.open_terms()


def _search(w: MainWindow) -> None:
    _terms(w)
    w.terms.field.setText("heart")


def _idle(w: MainWindow) -> None:
    _reader(w)
    w.idle_overlay.begin()


def _with(
    settings: DisplaySettings, then: Callable[[MainWindow], None]
) -> Callable[[MainWindow], None]:
    def prepare(w: MainWindow) -> None:
        w.session.set_settings(settings)
        then(w)

    return prepare


def _spanish(then: Callable[[MainWindow], None]) -> Callable[[MainWindow], None]:
    def prepare(w: MainWindow) -> None:
        if "es" in w.pack.info.locales:
            w.session.set_locale("es")
        then(w)

    return prepare


def _settings_panel(w: MainWindow) -> None:
    _home(w)
    w.open_settings()


BIG = DisplaySettings(text_scale=2.0)
CONTRAST = DisplaySettings(high_contrast=True)
DYSLEXIA = DisplaySettings(dyslexia_font=True)

SCREENS: dict[str, Callable[[MainWindow], None]] = {
    "welcome": lambda w: None,
    "home": _home,
    "reader": _reader,
    "crisis-banner": _crisis,
    "terms-keyboard": _terms,
    "search-results": _search,
    "idle-warning": _idle,
    "settings": _settings_panel,
    "home-200": _with(BIG, _home),
    "reader-200": _with(BIG, _reader),
    "terms-200": _with(BIG, _search),
    "settings-200": _with(BIG, _settings_panel),
    "home-high-contrast": _with(CONTRAST, _home),
    "reader-high-contrast": _with(CONTRAST, _crisis),
    "terms-high-contrast": _with(CONTRAST, _search),
    "reader-dyslexia": _with(DYSLEXIA, _reader),
    "home-spanish": _spanish(_home),
    "reader-spanish": _spanish(_reader),
    "terms-spanish": _spanish(_search),
}


def main(out: Path) -> int:
    app = QApplication(sys.argv[:1])
    load_fonts()
    theme = load_theme("standard")
    apply_theme(app, theme)
    pack = load_pack(REPO / "content").pack
    assert pack is not None
    index = SearchIndex.build(pack)
    out.mkdir(parents=True, exist_ok=True)
    only = set(sys.argv[2:])
    for orientation, size in SIZES.items():
        for name, prepare in SCREENS.items():
            if only and name not in only:
                continue
            window = MainWindow(pack, index, Session("en"), KioskConfig(), theme)
            window.resize(*size)
            window.show()
            prepare(window)
            for _ in range(3):
                app.processEvents()
            factor = os.environ.get("QT_SCALE_FACTOR", "1")
            suffix = "" if factor in ("1", "1.0") else f"@{factor}x"
            path = out / f"{name}-{orientation}{suffix}.png"
            window.grab().save(str(path))
            print("wrote", path)
            window.idle_overlay.cancel()
            window.session.reset()  # back to the standard look for the next screen
            window.close()
            window.deleteLater()
            app.processEvents()
    return 0


if __name__ == "__main__":
    target = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else REPO / "docs" / "screenshots"
    raise SystemExit(main(target))
