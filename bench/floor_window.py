"""A second baseline for cold start: the least a kiosk's first frame can do beyond
bench/bare_window.py, none of it the kiosk's own code. The Qt namespace (any alignment
or flag: PySide6 makes its 120 enum classes on first use), a TOML config read, an
Ed25519 signature checked on a manifest (cryptography), the bundled fonts, one styled
label in both languages, shown and painted as the bare window is. The kiosk's own
start is what lies between this and the kiosk's figure (BENCHMARKS.md, "Where the start
goes")."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from bench.bare_window import FirstPaint

REPO = Path(__file__).resolve().parent.parent
MANIFEST_BYTES = 10_000  # about the bundled pack's manifest


def main() -> int:
    app = QApplication(sys.argv[:1])
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from PySide6.QtCore import Qt

    tomllib.loads('store = "/var/lib/kiosk"\ntrusted_keys = ["abc"]\nidle_timeout = 90\n')
    key = Ed25519PrivateKey.generate()
    manifest = b"x" * MANIFEST_BYTES
    key.public_key().verify(key.sign(manifest), manifest)
    for font in sorted((REPO / "resources" / "fonts").glob("AtkinsonHyperlegible-*.ttf")):
        QFontDatabase.addApplicationFont(str(font))
    window = QWidget()
    window.setStyleSheet(
        "QWidget { background: #FFFFFF; color: #111111;"
        " font-family: 'Atkinson Hyperlegible'; font-size: 40px; }"
    )
    label = QLabel(
        "Health information. Touch the screen to start.\n"
        "Información de salud. Toque la pantalla para empezar.",
        window,
    )
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    QVBoxLayout(window).addWidget(label)
    window.installEventFilter(FirstPaint(window))
    window.resize(1600, 900)
    window.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
