"""The buttons above the studio's text: a new card, paragraph, lists, bold, a link to
another article, a picture, undo and redo, and "Show Markdown" for those who want it.
Words on every button, not icons alone: staff who never used an editor read them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QTextEdit, QToolBar, QWidget

from kiosk.core.studio.articles import titles_in
from kiosk.core.studio.pictures import PictureRefusedError, add_picture, check_new_picture
from kiosk.ui.studio import text_actions


class TextQuestions(Protocol):
    def choose_article(self, choices: list[tuple[str, str]], linked: str) -> str | None:
        """A slug from ``choices`` ((slug, title) pairs); "" for no link (when the
        cursor is on a link to ``linked``); None if staff cancel."""

    def choose_picture(self) -> Path | None: ...

    def describe_picture(self, name: str) -> str | None:
        """The picture's description (required: patients who cannot see it hear it)."""


class TextToolbar(QToolBar):
    """Emits ``said(text)``: what staff should read (a picture refused, and why)."""

    said = Signal(str)

    def __init__(
        self,
        edit: QTextEdit,
        article: Callable[[], Path | None],
        questions: TextQuestions,
        parent: QWidget | None = None,
    ) -> None:
        """Buttons acting on ``edit``, the text of ``article()`` (its file; None when no
        article is open)."""
        super().__init__("Text", parent)
        self.edit, self.article, self.questions = edit, article, questions
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.new_card = self._action("New card", self._new_card, "Ctrl+Return")
        self.heading = self._action("Card title", self._heading)
        self.paragraph = self._action("Paragraph", self._paragraph)
        self.bullets = self._action("• List", self._bullets, "Ctrl+Shift+8")
        self.bullets.setToolTip("A bulleted list")
        self.numbers = self._action("1. List", self._numbers, "Ctrl+Shift+7")
        self.numbers.setToolTip("A numbered list, for steps in order")
        self.bold = self._action("Bold", self._bold, QKeySequence.StandardKey.Bold)
        self.link = self._action("Link...", self._link, "Ctrl+K")
        self.link.setToolTip("A link to another article: patients tap it to read that one")
        self.picture = self._action("Picture...", self._picture)
        self.addSeparator()
        self.undo = self._action("Undo", self._undo)
        self.redo = self._action("Redo", self._redo)
        self.addSeparator()
        # Not on the bar (it is full at a laptop's width): the window shows its button.
        self.expert = QAction("Show Markdown", self)
        self.expert.setObjectName("Show Markdown")
        self.expert.setCheckable(True)
        self.expert.setToolTip("The text as Markdown, for those who know it")

    def _action(
        self, text: str, slot: object, keys: str | QKeySequence.StandardKey | None = None
    ) -> QAction:
        action = self.addAction(text)
        action.setObjectName(text)
        if keys is not None:
            action.setShortcut(QKeySequence(keys))
            # The keys work while the text has the focus, not elsewhere in the window.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.edit.addAction(action)
        if slot is not None:
            action.triggered.connect(slot)
        return action

    def _new_card(self) -> None:
        text_actions.new_card(self.edit)

    def _heading(self) -> None:
        text_actions.card_heading(self.edit)

    def _paragraph(self) -> None:
        text_actions.paragraph(self.edit)

    def _bullets(self) -> None:
        text_actions.toggle_list(self.edit, text_actions.BULLETS)

    def _numbers(self) -> None:
        text_actions.toggle_list(self.edit, text_actions.NUMBERS)

    def _bold(self) -> None:
        text_actions.toggle_bold(self.edit)

    def _undo(self) -> None:
        self.edit.undo()

    def _redo(self) -> None:
        self.edit.redo()

    def _link(self) -> None:
        key = self.article()
        if key is None:
            return
        choices = [pair for pair in titles_in(key.parent.parent) if pair[0] != key.stem]
        linked = text_actions.link_at(self.edit)
        slug = self.questions.choose_article(choices, linked)
        if slug == "":
            text_actions.unlink(self.edit)
        elif slug is not None:
            title = dict(choices).get(slug, slug)
            text_actions.link(self.edit, slug, title)
        self.edit.setFocus()

    def _picture(self) -> None:
        key = self.article()
        picture = self.questions.choose_picture() if key is not None else None
        if key is None or picture is None:
            return
        try:
            check_new_picture(picture)
            alt = self.questions.describe_picture(picture.name)
            if not alt or not alt.strip():
                self.said.emit(
                    f"{picture.name} was not added: a picture needs a description, read "
                    "aloud to patients who cannot see it"
                )
                return
            src = add_picture(picture, key)
        except PictureRefusedError as err:
            self.said.emit(str(err))
            return
        text_actions.insert_picture(self.edit, src, alt.strip())
        self.said.emit(f"{picture.name} added as {src}")
        self.edit.setFocus()
