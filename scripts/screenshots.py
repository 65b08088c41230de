"""Write docs/screenshots/: every screen a patient (or staff) meets, on every kiosk screen.

Renders the real main window on the bundled content with Qt's offscreen platform, so
it needs no display and gives the same pixels on every machine. The matrix (issue 12):
each screen at 1024x768, 1366x768, 1920x1080 and 1080x1920, at 100% and 200% text, in
the standard and high-contrast themes, in English and Spanish, each look set live on a
window already showing, as a patient sets it.

``OUT/SIZE/SCREEN.png`` is one sheet per screen and size: its eight looks at half size,
100% on the top row and 200% below, standard then high contrast, English then Spanish
(the full matrix at full size would weigh some 60 MB in the repository). ``--full DIR``
also writes each picture at full size, as ``DIR/SIZE/SCREEN-TEXT-THEME-LANGUAGE.png``
(``1024x768/reader-200-high-contrast-es.png``), ``@2x`` before the extension under
``QT_SCALE_FACTOR=2``.

Usage: ``screenshots.py OUT [SCREEN ...] [--sizes 1920x1080,...] [--full DIR]``
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from PySide6.QtCore import QRect, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from kiosk.core.config import KioskConfig  # noqa: E402
from kiosk.core.content.loader import load_pack  # noqa: E402
from kiosk.core.patient import DisplaySettings  # noqa: E402
from kiosk.core.search.index import SearchIndex  # noqa: E402
from kiosk.ui.assembly import KioskParts, assemble_kiosk  # noqa: E402
from kiosk.ui.theme import apply_theme, load_fonts, load_theme  # noqa: E402

SIZES = ["1024x768", "1366x768", "1920x1080", "1080x1920"]
LOOKS = [
    f"{text}-{theme}-{lang}"
    for text in ("100", "200")
    for theme in ("standard", "high-contrast")
    for lang in ("en", "es")
]


def _reader(k: KioskParts) -> None:
    k.navigator.open_article("heart-attack")
    k.window.reader.show_card(1)


def _last_card(k: KioskParts) -> None:
    k.navigator.open_article("harm-reduction-therapy")
    article = k.window.reader.article
    assert article is not None
    k.window.reader.show_card(len(article.sections) - 1)


def _terms_letter(k: KioskParts) -> None:
    k.navigator.open_terms()
    k.window.terms.letters.button("H").click()


def _search(k: KioskParts) -> None:
    k.navigator.open_terms()
    k.window.terms.open_keyboard()
    k.window.terms.field.setText("heart")


def _idle(k: KioskParts) -> None:
    _reader(k)
    k.window.idle_overlay.begin()


def _pin_pad(k: KioskParts) -> None:
    k.window.corner.triggered.emit()


def _admin(k: KioskParts) -> None:
    k.window.corner.triggered.emit()
    k.window.pin_pad.accepted.emit()


# What each screen shows, reached from Home with the look already set.
SCREENS: dict[str, Callable[[KioskParts], None]] = {
    "welcome": lambda k: None,
    "home": lambda k: None,
    "reader": _reader,
    "crisis-banner": lambda k: k.navigator.open_article("harm-reduction-therapy"),
    "last-card": _last_card,
    "terms-letter": _terms_letter,
    "search-results": _search,
    "settings": lambda k: k.navigator.open_settings(),
    "idle-warning": _idle,
    "pin-pad": _pin_pad,
    "admin": _admin,
}


def _settle(app: QApplication) -> None:
    for _ in range(4):  # pages arrange themselves a loop turn after a restyle
        app.processEvents()


def shoot(app: QApplication, kiosk: KioskParts, screen: str, size: str, look: str) -> QImage:
    text, *theme, lang = look.split("-")
    window = kiosk.window
    window.session.reset()
    window.idle_overlay.cancel()
    window.resize(*(int(n) for n in size.split("x")))
    if screen != "welcome":
        window.session.open_home()
    if screen not in ("welcome", "pin-pad", "admin"):  # staff screens: the defaults
        window.session.set_locale(lang)
        window.session.set_settings(
            DisplaySettings(
                text_scale=int(text) / 100, high_contrast="-".join(theme) == "high-contrast"
            )
        )
    _settle(app)
    SCREENS[screen](kiosk)
    _settle(app)
    image = window.grab().toImage()
    if window.in_staff_mode:
        kiosk.staff_mode.leave()
    return image


CAPTION_PX = 28


def sheet(pictures: dict[str, QImage]) -> QImage:
    """The looks side by side at half size, each under a caption naming it."""
    first = next(iter(pictures.values()))
    tile_w, tile_h = first.width() // 2, first.height() // 2
    columns = min(4, len(pictures))
    rows = (len(pictures) + columns - 1) // columns
    out = QImage(
        columns * tile_w + (columns - 1) * 8,
        rows * (tile_h + CAPTION_PX) + (rows - 1) * 8,
        QImage.Format.Format_RGB32,
    )
    out.fill(QColor("#808080"))
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    font = QFont("Atkinson Hyperlegible")
    font.setPixelSize(20)
    painter.setFont(font)
    for i, (look, image) in enumerate(pictures.items()):
        x = (i % columns) * (tile_w + 8)
        y = (i // columns) * (tile_h + CAPTION_PX + 8)
        painter.fillRect(QRect(x, y, tile_w, CAPTION_PX), QColor("#FFFFFF"))
        painter.setPen(QColor("#000000"))
        caption = look.replace("-", " · ", 1).replace("-en", " · English")
        caption = caption.replace("-es", " · Español").replace("100", "100%").replace("200", "200%")
        painter.drawText(
            QRect(x + 8, y, tile_w - 16, CAPTION_PX), Qt.AlignmentFlag.AlignVCenter, caption
        )
        scaled = image.scaled(
            tile_w,
            tile_h,
            Qt.AspectRatioMode.IgnoreAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        painter.drawImage(x, y + CAPTION_PX, scaled)
    painter.end()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("screens", nargs="*", help=f"some of: {', '.join(SCREENS)}")
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--full", type=Path, help="also write each picture at full size here")
    parser.add_argument(
        "--looks", default=",".join(LOOKS), help=f"some of: {', '.join(LOOKS)} (default: all)"
    )
    args = parser.parse_args()
    chosen = args.looks.split(",")
    if any(look not in LOOKS for look in chosen):
        parser.error(f"looks are some of: {', '.join(LOOKS)}")
    unknown = [name for name in args.screens if name not in SCREENS]
    if unknown:
        parser.error(f"no screen called {', '.join(unknown)}; screens: {', '.join(SCREENS)}")
    app = QApplication(sys.argv[:1])
    load_fonts()
    apply_theme(app, load_theme("standard"))
    pack = load_pack(REPO / "content").pack
    assert pack is not None
    index = SearchIndex.build(pack)
    factor = os.environ.get("QT_SCALE_FACTOR", "1")
    suffix = "" if factor in ("1", "1.0") else f"@{factor}x"
    kiosk = assemble_kiosk(pack, index, KioskConfig(), locale="en")
    window = kiosk.window
    window.show()
    for size in args.sizes.split(","):
        for screen in args.screens or SCREENS:
            # Staff screens keep the defaults: one picture per size.
            looks = chosen[:1] if screen in ("pin-pad", "admin") else chosen
            pictures = {look: shoot(app, kiosk, screen, size, look) for look in looks}
            if args.full:
                for look, image in pictures.items():
                    path = args.full / size / f"{screen}-{look}{suffix}.png"
                    path.parent.mkdir(parents=True, exist_ok=True)
                    image.save(str(path))
            path = args.out / size / f"{screen}{suffix}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            sheet(pictures).save(str(path))
            print("wrote", path)
    window.close()
    window.deleteLater()
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
