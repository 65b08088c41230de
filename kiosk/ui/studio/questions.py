"""What the studio asks staff: as message boxes, or (tests) answered by code."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from kiosk.core.studio.drafts import Draft
from kiosk.core.studio.statuses import language_name


class FileDialogs:
    """How the studio's file dialogs open. On a kiosk (kiosk.ui.studio.on_kiosk): Qt's
    own dialog, read-only (no folder made, renamed or deleted from it: the kiosk user
    owns the kiosk's settings and packs), starting on the USB sticks (/media)."""

    options = QFileDialog.Option(0)
    start = ""


class Questions(Protocol):
    def restore(self, draft: Draft) -> bool | None: ...
    def reload(self, path: Path) -> bool: ...
    def passphrase(self, problem: str) -> str | None: ...
    def lose_unsaved(self) -> bool: ...
    def choose_article(self, choices: list[tuple[str, str]], linked: str) -> str | None: ...
    def choose_picture(self) -> Path | None: ...
    def describe_picture(self, name: str) -> str | None: ...


class DialogQuestions:
    """The questions as message boxes, for staff."""

    def __init__(self, parent: QWidget) -> None:
        self._parent = parent

    def restore(self, draft: Draft) -> bool | None:
        """True: restore; False: throw away; None: not answered (the box closed, or the
        studio was closed or left alone meanwhile), so the draft is kept and asked again."""
        also = " Someone else has saved that article since." if draft.file_changed else ""
        language = language_name(draft.article.parent.parent.name)
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Unsaved changes",
            f"You have changes to {draft.article.stem} ({language}) that were not saved: "
            f"the studio closed at {draft.saved_at.astimezone():%H:%M on %d %B}.{also} "
            "Restore your changes?",
            QMessageBox.StandardButton.NoButton,
            self._parent,
        )
        keep = box.addButton("Restore my changes", QMessageBox.ButtonRole.AcceptRole)
        lose = box.addButton("Throw them away", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep)
        box.exec()
        clicked = box.clickedButton()
        return True if clicked is keep else False if clicked is lose else None

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

    def choose_article(self, choices: list[tuple[str, str]], linked: str) -> str | None:
        no_link = "(No link: plain words)"
        names = [title for _, title in choices]
        labels = [
            f"{title} ({slug})" if names.count(title) > 1 else title for slug, title in choices
        ]
        items = ([no_link] if linked else []) + labels
        current = next((i for i, (slug, _) in enumerate(choices) if slug == linked), 0)
        label, ok = QInputDialog.getItem(
            self._parent,
            "Link to an article",
            "Patients tap the link to read this article:",
            items,
            current + (1 if linked else 0),
            False,
        )
        if not ok:
            return None
        if label == no_link:
            return ""
        return choices[labels.index(label)][0]

    def choose_picture(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            self._parent,
            "Add a picture",
            FileDialogs.start or str(Path.home()),
            "Pictures (*.png *.jpg *.jpeg)",
            options=FileDialogs.options,
        )
        return Path(name) if name else None

    def describe_picture(self, name: str) -> str | None:
        text, ok = QInputDialog.getText(
            self._parent,
            "Describe the picture",
            f"Say in a few words what {name} shows. Patients who cannot see it hear this:",
        )
        return text.strip() if ok and text.strip() else None
