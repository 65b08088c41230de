"""Another staff member saved an article this studio has open: noticed within seconds,
not only at Save (kiosk.core.studio.articles refuses to save over it then).

Two people may edit one content folder (a shared drive, one USB stick passed around).
Every few seconds the open articles' files are compared with what was opened (their
SHA-256: a shared drive's times are not to be trusted). One with no unsaved changes is
loaded again, and staff are told; one with changes of their own is theirs to choose:
load the other version, or keep theirs on screen (asked once per version on disk).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from kiosk.core.errors import UnreadableFileError
from kiosk.core.studio.articles import digest_on_disk, open_article
from kiosk.core.studio.document import ArticleDocument
from kiosk.ui.studio.editing import Editing

WATCH_MS = 3_000  # how often the open files are compared with the disk


class DiskWatch(QObject):
    """Watches ``window``'s open articles' files."""

    def __init__(
        self, window: Editing, parent: QObject | None = None, interval_ms: int = WATCH_MS
    ) -> None:
        super().__init__(parent)
        self.window = window
        # file -> the digest on disk staff were told of ("": gone), not to tell again
        self._told: dict[Path, str] = {}
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(interval_ms)

    def stop(self) -> None:
        self._timer.stop()

    def check(self) -> None:
        """Every open article whose file now holds other bytes than were opened."""
        for key, document in list(self.window.documents.items()):
            on_disk = digest_on_disk(key)
            if on_disk == document.opened.digest or self._told.get(key) == (on_disk or ""):
                continue
            self._changed(key, document, on_disk)

    def _changed(self, key: Path, document: ArticleDocument, on_disk: str | None) -> None:
        name = document.opened.path.name
        if on_disk is None:
            self._told[key] = ""
            self.window.status.setText(
                f"{name} was moved or deleted by someone else; Save writes your version again"
            )
            return
        if document.dirty and not self.window.questions.reload(document.opened.path):
            self._told[key] = on_disk  # kept theirs: not asked again for this version
            return
        self.reload(key)
        self.window.status.setText(f"{name} was changed by someone else: their version is shown")

    def reload(self, key: Path) -> None:
        """The file at ``key`` opened again as it is on disk (unsaved changes dropped);
        one that cannot be opened now leaves staff's version on screen, and says why."""
        try:
            open_article(key)
        except UnreadableFileError as err:
            self.window.status.setText(f"{err}; your version stays on screen")
            return
        document = self.window.documents.pop(key)
        self.window.body.forget(key)
        self.window.drafts.discard(document.opened.path)
        self._told.pop(key, None)
        if document is self.window.current:
            self.window.current = None
            self.window.open(document.opened.path)
