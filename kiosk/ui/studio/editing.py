"""What the studio's helpers (drafts, the disk watch, translating) need of its window,
as a Protocol, so that they do not import the window that imports them; and the drafts
kept and offered back."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QLabel

from kiosk.core.errors import UnreadableFileError
from kiosk.core.studio.document import ArticleDocument
from kiosk.core.studio.drafts import Drafts
from kiosk.ui.studio.article_list import ArticleList
from kiosk.ui.studio.questions import Questions
from kiosk.ui.studio.text_editor import TextEditor

log = logging.getLogger("kiosk.studio")


class Editing(Protocol):
    """The studio window, as its helpers see it (kiosk.ui.studio.window.StudioWindow)."""

    folder: Path
    documents: dict[Path, ArticleDocument]  # open articles, by resolved path
    current: ArticleDocument | None  # the one on screen
    questions: Questions
    drafts: Drafts
    status: QLabel
    body: TextEditor
    articles: ArticleList

    def open(
        self, path: Path, text: str | None = None, began_from: str | None = None
    ) -> ArticleDocument: ...

    def save(self, document: ArticleDocument | None = None) -> bool: ...

    def keep_drafts(self) -> bool: ...


def keep_drafts(window: Editing) -> bool:
    """A draft of every open article of ``window`` with changes; whether all were kept."""
    kept = True
    for document in window.documents.values():
        if document.dirty:
            try:
                window.drafts.save(document.opened, document.text)
            except OSError as err:
                window.status.setText(f"drafts cannot be kept ({err}); save your work")
                kept = False
    return kept


def offer_drafts(window: Editing) -> None:
    """Offer back the drafts a crash or power cut left, one by one."""
    for draft in window.drafts.pending():
        # Resolved: a draft's path with '..' in it is not this folder's because it starts so.
        if not draft.article.resolve().is_relative_to(window.folder.resolve()):
            continue  # another content folder's: offered when that one is opened
        if not draft.article.is_file():
            log.warning(
                "a draft of %s, which is gone, is kept in %s", draft.article, window.drafts.folder
            )
            continue
        answer = window.questions.restore(draft)
        if answer is None:
            continue  # not answered (the studio closed meanwhile): asked again next time
        if answer:
            try:
                window.open(draft.article, draft.text, began_from=draft.base_digest)
            except UnreadableFileError as err:  # re-saved meanwhile in another encoding
                window.status.setText(
                    f"{err}; your unsaved version is kept in {window.drafts.folder}"
                )
        else:
            window.drafts.discard(draft.article)  # staff chose the file as it is
