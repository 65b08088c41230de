"""Take-home QR codes, made offline with segno (pure Python, no network)."""

from __future__ import annotations

import io
import logging

from PySide6.QtGui import QPixmap

log = logging.getLogger("kiosk.ui")


def qr_pixmap(url: str, module_px: int = 8) -> QPixmap | None:
    """``url`` as a QR code, ``module_px`` px a module; None (logged) if no QR code can
    hold it (validate refuses such an address; a pack from elsewhere is not trusted to)."""
    import segno  # 25 ms to import: paid at the first QR code, not at start-up

    try:
        # One fixed mask: choosing the best of the eight (what segno does by default)
        # was 26 of the 39 ms the last card spent on a 200-character address, on the GUI
        # thread; every mask makes a valid code, and a phone reads a screen's either way.
        code = segno.make(url, error="m", mask=0)
    except segno.DataOverflowError:
        log.warning("a take-home address of %d characters is too long for a QR code", len(url))
        return None
    buffer = io.BytesIO()
    # Black on white with a quiet zone: what every phone camera reads best.
    code.save(buffer, kind="png", scale=module_px, border=4, dark="#000000", light="#FFFFFF")
    pixmap = QPixmap()
    pixmap.loadFromData(buffer.getvalue())
    return pixmap
