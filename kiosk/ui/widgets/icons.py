"""Icons drawn in the theme's colours, at the size a button asks for."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from kiosk.resources import icon_path

_icon_cache: dict[tuple[str, str, int], QIcon] = {}


def themed_icon(name: str, color: str, size: int = 48) -> QIcon:
    """An SVG icon drawn in a theme colour (the SVGs use currentColor)."""
    key = (name, color, size)
    if key not in _icon_cache:
        svg = icon_path(name).read_text("utf-8").replace("currentColor", color)
        renderer = QSvgRenderer(svg.encode("utf-8"))
        pixmap = QPixmap(QSize(size, size) * 2)
        pixmap.fill(QColor(0, 0, 0, 0))
        painter = QPainter(pixmap)
        renderer.render(painter)
        painter.end()
        pixmap.setDevicePixelRatio(2.0)
        _icon_cache[key] = QIcon(pixmap)
        if len(_icon_cache) > 256:  # bounded: themes x sizes x names is small
            _icon_cache.pop(next(iter(_icon_cache)))
    return _icon_cache[key]
