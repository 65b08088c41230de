"""A card's pictures, read and decoded off the GUI thread, in the format their name says.

QTextDocument asks for a picture synchronously while it lays a card out; decoding there
held the GUI thread 40 s for a card of 64 large PNGs (issue 13). Here the document gets
an empty placeholder at once, of the picture's shown size when its header says it, and
the picture when a worker has it, one worker so that the GUI thread keeps a core.

Only the format the file name says is ever used (kiosk.core.content.pictures): with Qt's
default, the bytes choose the decoder, and an SVG named .png is drawn by the SVG plugin,
which loads files it names from anywhere on the disk.
"""

from __future__ import annotations

import itertools
import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QImageReader

from kiosk.core.content.pictures import PictureError, check_size, picture_format

log = logging.getLogger("kiosk.ui")

ReadFile = Callable[[str], bytes | None]
Box = tuple[int, int]  # (width, height) in px
# Qt refuses to allocate more than this for one decoded picture (QImageReader's own
# limit is 256 MB); the largest allowed picture, 4096 x 4096 RGBA, is 64 MB.
ALLOCATION_LIMIT_MB = 80


@dataclass(frozen=True)
class Request:
    """One picture in one box: ``path`` inside the pack; ``box``, the most it may be
    shown at, (width, height) in px."""

    path: str
    box: Box
    generation: int


def _reader(data: bytes, path: str) -> QImageReader | None:
    fmt = picture_format(PurePosixPath(path).suffix)
    if fmt is None:
        return None
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, fmt.lower().encode())
    reader.setAutoDetectImageFormat(False)  # the named format or nothing: never sniffed
    reader.setDecideFormatFromContent(False)
    reader.setAllocationLimit(ALLOCATION_LIMIT_MB)
    reader.buffer = buffer  # type: ignore[attr-defined]  # lives as long as the reader
    return reader


def shown_size(size: QSize, box: Box) -> QSize:
    """A picture of ``size`` px as a card shows it: its own size if that fits ``box``,
    else as large as fits, in proportion."""
    width, height = box
    if size.width() <= width and size.height() <= height:
        return size
    shown = size.scaled(width, height, Qt.AspectRatioMode.KeepAspectRatio)
    return shown.expandedTo(QSize(1, 1))  # a 4096 x 1 line stays a line, never nothing


def header_size(data: bytes, path: str) -> QSize | None:
    """The picture's size in px from its header (no decoding); None if unknown."""
    reader = _reader(data, path)
    if reader is None:
        return None
    size = reader.size()
    return size if size.isValid() and not size.isEmpty() else None


def decode(data: bytes, path: str, box: Box) -> QImage | None:
    """The picture fitted into ``box`` (px), or None if it is not a whole picture of
    the format its name says, or is beyond the pack limits (kiosk.core.content.pictures)."""
    reader = _reader(data, path)
    if reader is None:
        return None
    size = reader.size()
    try:
        check_size(size.width(), size.height())
    except PictureError as err:
        log.error("picture %s %s; not shown", path, err)
        return None
    reader.setScaledSize(shown_size(size, box))
    image = reader.read()
    if image.isNull():
        log.error("picture %s does not decode (%s); not shown", path, reader.errorString())
        return None
    return image


class PictureLoader(QObject):
    """Reads and decodes pictures on one worker thread; its signals fire on the GUI
    thread. Every requested picture's size comes before any picture's pixels, so a card
    of many pictures is laid out at once and fills in.

    ``forget`` (between patients) drops every answer still on its way: a picture of one
    patient's card is never delivered to the next one's."""

    sized = Signal(str, object, QSize)  # path, box, the size it will be shown at
    ready = Signal(str, object, QImage)  # path, box, the picture (null: cannot be shown)
    _answer = Signal(str, object, int, object)  # path, box, generation, QSize | QImage

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._queue: queue.PriorityQueue[tuple[int, int, _Job]] = queue.PriorityQueue()
        self._order = itertools.count()
        self._generation = 0
        self._pending: set[tuple[str, Box]] = set()
        self._worker: threading.Thread | None = None
        # Emitted on the worker thread; queued to this object, which lives on the GUI one.
        self._answer.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def request(self, path: str, box: Box, read_file: ReadFile) -> None:
        """Ask for the picture at ``path`` fitted into ``box`` (width, height) px."""
        if (path, box) in self._pending:
            return
        self._pending.add((path, box))
        self._put(_SIZE, _Job(Request(path, box, self._generation), read_file))
        if self._worker is None:
            self._worker = threading.Thread(target=self._run, name="pictures", daemon=True)
            self._worker.start()

    def _put(self, phase: int, job: _Job) -> None:
        self._queue.put((phase, next(self._order), job))

    def _run(self) -> None:
        while True:
            phase, _, job = self._queue.get()
            if job.request.generation != self._generation:
                continue  # asked for before the last reset: nobody wants it now
            try:
                answer = self._size(job) if phase == _SIZE else self._decode(job)
            except Exception:  # the worker must never die: log it, show nothing
                log.exception("picture %s could not be read", job.request.path)
                answer = QImage()
            try:
                request = job.request
                self._answer.emit(request.path, request.box, request.generation, answer)
            except RuntimeError:  # the loader was deleted (the window closed)
                return

    def _size(self, job: _Job) -> QSize | QImage:
        path = job.request.path
        job.data = job.read_file(path)  # checked against the signed manifest too
        size = header_size(job.data, path) if job.data is not None else None
        if size is None:
            return QImage()  # cannot be shown: said at once, not after the others
        self._put(_PIXELS, job)
        return shown_size(size, job.request.box)

    def _decode(self, job: _Job) -> QImage:
        data, job.data = job.data, None
        image = decode(data, job.request.path, job.request.box) if data else None
        return image or QImage()

    def _deliver(self, path: str, box: Box, generation: int, answer: object) -> None:
        if generation != self._generation:
            return
        if isinstance(answer, QSize):
            self.sized.emit(path, box, answer)
            return
        self._pending.discard((path, box))
        assert isinstance(answer, QImage)
        self.ready.emit(path, box, answer)

    def forget(self) -> None:
        """Drop every request and every answer on its way (between patients)."""
        self._generation += 1
        self._pending.clear()


_SIZE, _PIXELS = 0, 1  # the worker's two phases, in the order it serves them


@dataclass
class _Job:
    request: Request
    read_file: ReadFile
    data: bytes | None = None
