"""``kiosk content preview``: the real kiosk on a content folder, reloaded on every save.

An administrator edits Markdown on the left of their screen and sees, on the right,
exactly the screens patients will see, with the validator's problems listed beside
them. A folder that does not validate never replaces what was last shown: the
problems say why, and the last good version stays up.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QFileSystemWatcher, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QVBoxLayout, QWidget

from kiosk.core.config import KioskConfig
from kiosk.core.content.loader import LoadResult, load_pack
from kiosk.core.content.problems import Severity
from kiosk.core.search.index import SearchIndex
from kiosk.ui.assembly import KioskParts, assemble_kiosk
from kiosk.ui.i18n import QT_TRANSLATE_NOOP
from kiosk.ui.widgets.labels import Label

log = logging.getLogger("kiosk.ui")
DEBOUNCE_MS = 250  # editors save in bursts (write, rename, touch); reload once per burst
# The verdict's counts, in Qt's numerus forms (the literal 1 is lupdate's cue).
ARTICLES = QT_TRANSLATE_NOOP("PreviewWindow", "%n articles", None, 1)
ERRORS = QT_TRANSLATE_NOOP("PreviewWindow", "%n errors", None, 1)
WARNINGS = QT_TRANSLATE_NOOP("PreviewWindow", "%n warnings", None, 1)


class ProblemsPanel(QWidget):
    """The validator's verdict, beside the preview, refreshed on every reload."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.status = Label(self)
        self.status.setProperty("role", "section-title")
        self.status.setWordWrap(True)
        self.problems = QListWidget(self)
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName(
            QCoreApplication.translate("PreviewWindow", "Problems in the content")
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.addWidget(self.status)
        layout.addWidget(self.problems, 1)

    def show_result(self, result: LoadResult, when: str) -> None:
        errors = sum(1 for p in result.problems if p.severity is Severity.ERROR)
        warnings = len(result.problems) - errors
        if result.pack is not None:
            verdict = QCoreApplication.translate(
                "PreviewWindow", "OK: this is what patients will see."
            )
        else:
            verdict = QCoreApplication.translate(
                "PreviewWindow", "Not usable: showing the last good version."
            )
        counts = ", ".join(
            QCoreApplication.translate("PreviewWindow", text, None, n)
            for text, n in (
                (ARTICLES, len(result.articles)),
                (ERRORS, errors),
                (WARNINGS, warnings),
            )
        )
        counts += "."
        self.status.setText(f"{when}  {counts} {verdict}")
        self.problems.clear()
        for problem in result.problems:
            self.problems.addItem(str(problem))


class PreviewWindow(QWidget):
    """The kiosk window and the problems panel, side by side."""

    reloaded = Signal(bool)  # True when the folder was usable and is now shown

    def __init__(self, content: Path, config: KioskConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.setWindowTitle(f"Clinic kiosk preview: {content}")
        self.content = content
        self._config = config
        self.kiosk: KioskParts | None = None
        self.placeholder = Label(
            QCoreApplication.translate("PreviewWindow", "No usable content yet: see the problems."),
            self,
        )
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.panel = ProblemsPanel(self)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.placeholder, 3)
        self._layout.addWidget(self.panel, 1)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._changed)
        self._watcher.directoryChanged.connect(self._changed)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.reload)
        self.reload()

    def _changed(self, _path: str) -> None:
        self._debounce.start()

    def _watch_everything(self) -> None:
        # Editors often save by writing a new file and renaming it over the old one,
        # which ends a file watch; so every reload watches the whole tree afresh.
        paths = [str(self.content)] + [
            str(p) for p in self.content.rglob("*") if not p.name.startswith(".")
        ]
        current = set(self._watcher.files()) | set(self._watcher.directories())
        missing = [p for p in paths if p not in current]
        if missing:
            self._watcher.addPaths(missing)

    def reload(self) -> None:
        started = time.monotonic()
        result = load_pack(self.content)
        when = time.strftime("%H:%M:%S")
        if result.pack is not None:
            index = SearchIndex.build(result.pack)
            if self.kiosk is None:
                self.kiosk = assemble_kiosk(result.pack, index, self._config)
                self.kiosk.window.setParent(self)
                self._layout.replaceWidget(self.placeholder, self.kiosk.window)
                self.placeholder.hide()
                self.kiosk.window.show()
            else:
                self.kiosk.navigator.replace_content(result.pack, index)
        self.panel.show_result(result, when)
        self._watch_everything()
        log.info(
            "preview reloaded %s in %.0f ms: %s",
            self.content,
            (time.monotonic() - started) * 1000,
            "ok" if result.pack is not None else "not usable",
        )
        self.reloaded.emit(result.pack is not None)
