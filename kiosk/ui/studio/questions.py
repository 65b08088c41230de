"""What the studio asks staff: as message boxes, or (tests) answered by code."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from kiosk.core.studio.drafts import Draft


class Questions(Protocol):
    def restore(self, draft: Draft) -> bool: ...
    def reload(self, path: Path) -> bool: ...
    def passphrase(self, problem: str) -> str | None: ...
    def lose_unsaved(self) -> bool: ...


class DialogQuestions:
    """The questions as message boxes, for staff."""

    def __init__(self, parent: QWidget) -> None:
        self._parent = parent

    def restore(self, draft: Draft) -> bool:
        also = " The file was changed since, by someone else." if draft.file_changed else ""
        answer = QMessageBox.question(
            self._parent,
            "Unsaved changes",
            f"The studio closed before {draft.article.name} was saved "
            f"({draft.saved_at:%d %B %H:%M} UTC).{also} Restore your changes?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def reload(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self._parent,
            "Changed on disk",
            f"{path.name} was saved by someone else after you opened it. Load their "
            "version? (No keeps yours on screen, unsaved: copy out what you need of it "
            "first, then choose Save again and load theirs.)",
        )
        return answer == QMessageBox.StandardButton.Yes

    def passphrase(self, problem: str) -> str | None:
        text, ok = QInputDialog.getText(
            self._parent, "Passphrase", f"{problem}.\nPassphrase:", QLineEdit.EchoMode.Password
        )
        return text if ok and text else None

    def lose_unsaved(self) -> bool:
        answer = QMessageBox.warning(
            self._parent,
            "Unsaved changes",
            "Your changes cannot be kept for later (see the line at the bottom). Close "
            "anyway and lose them?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes
