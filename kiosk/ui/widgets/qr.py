"""Take-home QR codes, made offline with segno (pure Python, no network)."""

from __future__ import annotations

import io

from PySide6.QtGui import QPixmap


def qr_pixmap(url: str, module_px: int = 8) -> QPixmap:
    import segno  # 25 ms to import: paid at the first QR code, not at start-up

    code = segno.make(url, error="m")
    buffer = io.BytesIO()
    # Black on white with a quiet zone: what every phone camera reads best.
    code.save(buffer, kind="png", scale=module_px, border=4, dark="#000000", light="#FFFFFF")
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue())
    return pixmap
