"""The validator, continuously: the open article's problems, errors first, each a click
away from the line it is about (kiosk.core.studio.checking runs the validator's own
checks on the folder with the studio's unsaved texts, off the GUI thread)."""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from kiosk.core.content.problems import Problem, Severity
from kiosk.core.studio.checking import Checked, check_with

log = logging.getLogger("kiosk.studio")

SETTLE_MS = 800  # check once typing has paused this long


class Checker(QObject):
    """Runs the validator in a thread after each pause in typing; ``checked`` carries
    its Checked (kiosk.core.studio.checking), queued to the GUI thread. One check at a
    time: a change during a check is checked after it."""

    checked = Signal(object)
    _done_signal = Signal(object)  # from the checking thread, queued to the GUI thread

    def __init__(self, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._folder = folder
        self._scratch = Path(tempfile.mkdtemp(prefix="kiosk-studio-check-"))
        self._edited: dict[Path, str] = {}
        self._running = False
        self._again = False
        self._stopped = False
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._start)
        self._done_signal.connect(self._done)

    def stop(self) -> None:
        """No more checks; the scratch copy goes (a check running ends on its own)."""
        self._stopped = True
        self._settle.stop()
        shutil.rmtree(self._scratch, ignore_errors=True)

    @property
    def busy(self) -> bool:
        """Whether a check is waiting for typing to pause, running, or due again."""
        return self._running or self._again or self._settle.isActive()

    def changed(self, edited: dict[Path, str]) -> None:
        """The unsaved texts now (file -> text); checked once typing pauses."""
        self._edited = dict(edited)
        self._settle.start()

    def _start(self) -> None:
        if self._running:
            self._again = True
            return
        self._running = True
        edited = dict(self._edited)
        threading.Thread(target=self._check, args=(edited,), daemon=True).start()

    def _check(self, edited: dict[Path, str]) -> None:
        try:
            checked = check_with(self._folder, edited, self._scratch)
        except Exception as err:  # a bug in a check, or no room to copy: not the end
            if self._stopped:
                return  # the studio closed and took the scratch copy away meanwhile
            log.exception("the check failed")
            checked = Checked([], None, failed=str(err) or type(err).__name__)
        with contextlib.suppress(RuntimeError):  # the studio closed meanwhile
            self._done_signal.emit(checked)

    def _done(self, checked: Checked) -> None:
        self._running = False
        if self._stopped:
            return
        self.checked.emit(checked)
        if self._again:
            self._again = False
            self._start()


# The file's keys as the form names them: the validator's words are for files.
FIELD_LABELS = {
    "title": "Title",
    "summary": "Summary",
    "urgent": "Urgent",
    "kind": "Kind",
    "aliases": "Other names",
    "related": "Read next",
    "sensitive": "Sensitive",
    "crisis": "Crisis help",
    "reviewed": "Reviewed on",
    "review_due": "Review due",
    "sources": "Sources",
    "url": "Take-home page",
}
_KEY = re.compile(r"'(" + "|".join(FIELD_LABELS) + r"):?'|\b(review_due|reviewed)\b")


def in_form_words(message: str) -> str:
    """``message`` with the file's keys named as the form's boxes ("'url' must be..."
    -> "Take-home page must be...")."""
    return _KEY.sub(lambda m: FIELD_LABELS[m.group(1) or m.group(2)], message)


class ProblemsList(QListWidget):
    """One article's problems; ``chosen(line)`` when staff click one."""

    chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Problems")
        self.found: list[Problem] = []  # the last check's, every file's
        # Where a file line is, in the window's words ("Title", "the text, card 2");
        # without it, the line.
        self.place: Callable[[int], str] | None = None
        self.itemActivated.connect(self._activated)
        self.itemClicked.connect(self._activated)

    def show_for(self, file: Path, problems: list[Problem] | None = None) -> None:
        """``file``'s problems among ``problems`` (None: among the last given)."""
        if problems is not None:
            self.found = problems
        self.clear()
        for problem in self.found:
            if Path(problem.file).resolve() != file.resolve():
                continue
            what = "Error" if problem.severity is Severity.ERROR else "Warning"
            if problem.line:
                where = self.place(problem.line) if self.place else f"line {problem.line}"
                what += f" in {where}"
            item = QListWidgetItem(f"{what}: {in_form_words(problem.message)}")
            item.setData(Qt.ItemDataRole.UserRole, problem.line)
            self.addItem(item)

    def _activated(self, item: QListWidgetItem) -> None:
        self.chosen.emit(int(item.data(Qt.ItemDataRole.UserRole) or 0))
