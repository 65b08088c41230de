"""Which screen is the VM showing? Its screendump against the kiosk's own renderings.

A screendump is compared with each reference (references.py) on a grid of 8x8-pixel
blocks: a block differs when its mean colour is more than ``BLOCK_TOLERANCE`` away in
any channel. The share of differing blocks is the distance: text antialiasing and
sub-pixel font differences stay inside a block's mean, while a different page, card,
language or pack changes many blocks. The screen "is" the nearest reference when that
distance is at most ``MATCH`` and clearly smaller than the next nearest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

BLOCK = 8
BLOCK_TOLERANCE = 24  # of 255, per channel, on the block's mean colour
MATCH = 0.005  # at most 0.5% of blocks differ (162 of 32,400): the same screen
# (the kiosk under cage gives 0 against its own rendering; a missing button is ~1.9%)
MARGIN = 3.0  # the nearest is at least 3 times nearer than the next


class WrongSizeError(ValueError):
    """The image is not of the size the references have."""


def _blocks(path: Path, size: tuple[int, int]) -> bytes:
    image = QImage(str(path))
    if image.isNull():
        raise ValueError(f"{path}: not a readable image")
    if (image.width(), image.height()) != size:
        raise WrongSizeError(
            f"{path}: {image.width()}x{image.height()}, expected {size[0]}x{size[1]}"
        )
    small = image.convertToFormat(QImage.Format.Format_RGB888).scaled(
        size[0] // BLOCK,
        size[1] // BLOCK,
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,  # box-filters: a block's mean colour
    )
    width = small.width() * 3
    stride = small.bytesPerLine()
    data = bytes(small.constBits())
    return b"".join(data[row * stride : row * stride + width] for row in range(small.height()))


def distance(a: bytes, b: bytes) -> float:
    """The share (0..1) of blocks whose colour differs."""
    differing = sum(
        1
        for i in range(0, len(a), 3)
        if max(abs(a[i] - b[i]), abs(a[i + 1] - b[i + 1]), abs(a[i + 2] - b[i + 2]))
        > BLOCK_TOLERANCE
    )
    return differing / (len(a) // 3)


@dataclass(frozen=True)
class Verdict:
    """The nearest reference and how near each one was."""

    name: str | None  # None: no reference matches
    distances: dict[str, float]

    def describe(self) -> str:
        if not self.distances:
            return "a screen of another size (the machine is starting)"
        near = ", ".join(
            f"{n} {d:.1%}" for n, d in sorted(self.distances.items(), key=lambda x: x[1])
        )
        return f"{self.name or 'no known screen'} (blocks differing: {near})"


class Screens:
    """The reference screens of one run, loaded once."""

    def __init__(self, size: tuple[int, int]) -> None:
        self.size = size
        self.references: dict[str, bytes] = {}
        self.worst_match = 0.0  # the largest distance of any screen that matched

    def add(self, name: str, path: Path) -> None:
        self.references[name] = _blocks(path, self.size)

    def identify(self, screendump: Path, among: tuple[str, ...] | None = None) -> Verdict:
        """The reference the screen shows, if any. A screen of another size (the
        firmware's 640x480 text mode while the machine boots) shows none of them."""
        try:
            shot = _blocks(screendump, self.size)
        except WrongSizeError:
            return Verdict(None, {})
        names = among or tuple(self.references)
        distances = {name: distance(shot, self.references[name]) for name in names}
        ranked = sorted(distances, key=distances.__getitem__)
        best = ranked[0]
        second = distances[ranked[1]] if len(ranked) > 1 else 1.0
        matched = distances[best] <= MATCH and second >= MARGIN * max(distances[best], 0.001)
        if matched:
            self.worst_match = max(self.worst_match, distances[best])
        return Verdict(best if matched else None, distances)

    def dark_share(self, screendump: Path) -> float:
        """The share of blocks that are nearly black (a text console, or nothing); 1.0
        for a screen of another size (the firmware's, while the machine boots)."""
        try:
            shot = _blocks(screendump, self.size)
        except WrongSizeError:
            return 1.0
        dark = sum(1 for i in range(0, len(shot), 3) if max(shot[i : i + 3]) < 40)
        return dark / (len(shot) // 3)
