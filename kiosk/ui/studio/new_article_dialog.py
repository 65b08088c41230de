"""The studio's New article form: a title, its kind and language, a summary and the
first paragraph; the file it makes passes ``kiosk content validate`` as it is
(kiosk.core.studio.new_article). What staff type is words, never Markdown: it is
written escaped (kiosk.ui.studio.markdown_writer)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.content.catalogue import KIND_FOLDERS
from kiosk.core.content.pack import Kind
from kiosk.core.files import write_atomically
from kiosk.core.studio.new_article import NewArticleError, new_article, slug_for
from kiosk.core.studio.statuses import language_name
from kiosk.ui.studio import markdown_writer


class NewArticleDialog(QDialog):
    """Emits ``made(path)`` once the article's file is written."""

    made = Signal(Path)

    def __init__(self, folder: Path, locales: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New article")
        self.folder = folder
        self.title_box = QLineEdit(self)
        self.title_box.setAccessibleName("Title")
        self.title_box.setPlaceholderText("The name patients look for, e.g. Heat Stroke")
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind")
        self.kind.addItem("Topic", Kind.TOPIC)
        self.kind.addItem("Health word (A-Z)", Kind.TERM)
        self.language = QComboBox(self)
        self.language.setAccessibleName("Language")
        for locale in locales:
            self.language.addItem(language_name(locale), locale)
        self.summary = QLineEdit(self)
        self.summary.setAccessibleName("Summary")
        self.summary.setPlaceholderText("One or two short sentences: what it is")
        self.first = QPlainTextEdit(self)
        self.first.setAccessibleName("First paragraph")
        self.first.setPlaceholderText("The first thing patients read. Add cards after.")
        self.where = QLabel(self)
        self.where.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.create_button = self.buttons.addButton(
            "Create", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout()
        form.addRow("Title", self.title_box)
        form.addRow("Kind", self.kind)
        form.addRow("Language", self.language)
        form.addRow("Summary", self.summary)
        form.addRow("First paragraph", self.first)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.where)
        column.addWidget(self.buttons)
        self.title_box.textChanged.connect(self._say_where)
        self.kind.currentIndexChanged.connect(self._say_where)
        self.language.currentIndexChanged.connect(self._say_where)
        self.buttons.accepted.connect(self.make_article)
        self.buttons.rejected.connect(self.reject)
        self._say_where()

    def path(self) -> Path:
        """Where the article will be written. Raises NewArticleError (no title)."""
        kind = Kind(self.kind.currentData())
        return (
            self.folder
            / str(self.language.currentData())
            / KIND_FOLDERS[kind]
            / f"{slug_for(self.title_box.text())}.md"
        )

    def make_article(self) -> bool:
        """Write the new article; whether it was (if not, the form says why)."""
        try:
            text = new_article(
                title=self.title_box.text(),
                kind=Kind(self.kind.currentData()),
                summary=self.summary.text(),
                text=_as_markdown(self.first.toPlainText()),
                today=date.today(),
            )
            path = self.path()
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, text.encode("utf-8"), exclusive=True)
        except NewArticleError as err:
            self.where.setText(f"Not yet: {err}.")
            return False
        except FileExistsError:
            self.where.setText(
                f"There is already an article {path.name} in "
                f"{language_name(path.parent.parent.name)}: open it from the list, or "
                "choose another title."
            )
            return False
        except OSError as err:
            self.where.setText(f"The article could not be written ({err.strerror}).")
            return False
        self.made.emit(path)
        self.accept()
        return True

    def _say_where(self) -> None:
        try:
            relative = self.path().relative_to(self.folder)
        except NewArticleError:
            self.where.setText("Give the article a title.")
            return
        self.where.setText(f"It will be saved as {relative.as_posix()}.")


def _as_markdown(typed: str) -> str:
    """``typed`` (paragraphs of words) as Markdown that reads back as those words."""
    document = QTextDocument()
    document.setPlainText(typed)
    return markdown_writer.write(document)


def open_new_article(parent: QWidget, folder: Path, locales: Sequence[str]) -> NewArticleDialog:
    dialog = NewArticleDialog(folder, locales, parent)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.show()
    return dialog
