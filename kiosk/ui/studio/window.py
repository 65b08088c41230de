"""`kiosk studio`: clinic staff edit a content folder's articles without seeing YAML.

The list of articles on the left; on the right the chosen one's details as a form
(kiosk.ui.studio.details), its text, and what the validator says about it. Every open
article is kept as a draft every few seconds (kiosk.core.studio.drafts); at start, the
drafts a crash or power cut left are offered back. Save writes the file in one step,
never over a file someone else saved meanwhile (kiosk.core.studio.articles). What the
window asks staff goes through ``Questions``, so tests answer instead of a dialog.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.content.frontmatter_edit import FieldValue, FrontMatterEditError
from kiosk.core.content.pack import Pack
from kiosk.core.errors import UnreadableFileError
from kiosk.core.studio.articles import (
    ChangedOnDiskError,
    open_article,
    save_article,
    titles_in,
)
from kiosk.core.studio.checking import Checked
from kiosk.core.studio.document import ArticleDocument
from kiosk.core.studio.drafts import Drafts
from kiosk.core.studio.folder import pack_info, readability_limit
from kiosk.core.studio.statuses import language_name
from kiosk.ui.studio.article_list import ArticleList
from kiosk.ui.studio.details import DetailsForm
from kiosk.ui.studio.disk_watch import WATCH_MS, DiskWatch
from kiosk.ui.studio.editing import keep_drafts
from kiosk.ui.studio.hints import HintHighlighter, plain_words_for
from kiosk.ui.studio.new_article_dialog import NewArticleDialog, open_new_article
from kiosk.ui.studio.preview import Shown, StudioPreview
from kiosk.ui.studio.problems import FIELD_LABELS, Checker, ProblemsList
from kiosk.ui.studio.publish import PublishDialog, open_publish
from kiosk.ui.studio.questions import DialogQuestions, Questions
from kiosk.ui.studio.spelling_marks import Spelling, SpellingMenu
from kiosk.ui.studio.text_editor import TextEditor
from kiosk.ui.studio.translating import Translating
from kiosk.ui.studio.translation_panel import TranslationPanel

log = logging.getLogger("kiosk.studio")

AUTOSAVE_MS = 5_000  # a draft of every changed article this often (and never unchanged)


class StudioWindow(QMainWindow):
    def __init__(
        self,
        folder: Path,
        drafts: Drafts,
        *,
        questions: Questions | None = None,
        autosave_ms: int = AUTOSAVE_MS,
        watch_ms: int = WATCH_MS,
    ) -> None:
        super().__init__()
        self.setWindowTitle(f"Content studio - {folder}")
        self.folder, self.drafts = folder, drafts
        self.kiosk_config: Path | None = None  # the kiosk.toml of the kiosk it runs on
        self.questions: Questions = questions or DialogQuestions(self)
        self.documents: dict[Path, ArticleDocument] = {}
        self.current: ArticleDocument | None = None
        self.articles = ArticleList(self)
        self.details = DetailsForm(self)
        self.body = TextEditor(self.questions, self)
        self.preview = StudioPreview(self)
        self.translation = TranslationPanel(self)
        self.translating = Translating(self, self.translation)
        self.disk = DiskWatch(self, self, watch_ms)
        self.problems = ProblemsList(self)
        self.checker = Checker(folder, self)
        self.status = QLabel(self)
        self.editor = QWidget(self)  # the form and the text
        self.grade = QLabel(self)  # the article's reading grade, as the validator gives it
        self.save_button = QPushButton("Save", self)
        self.publish_button = QPushButton("Publish...", self)
        self.new_button = QPushButton("New article...", self)
        self.buttons = _arrange(self)  # the row of Save, New article, Publish
        self._limit = readability_limit(folder)
        words, problem = plain_words_for(folder)
        self.spelling = Spelling(folder)
        self.hints = HintHighlighter(self, words, "en", self._limit, self.spelling)
        _connect(self)
        self._autosave = QTimer(self)
        self._autosave.timeout.connect(self.keep_drafts)
        self._autosave.start(autosave_ms)
        self._filling = self._hinting = False
        self.articles.fill(folder)
        if problem is not None:
            self.status.setText(problem)

    def open(
        self, path: Path, text: str | None = None, began_from: str | None = None
    ) -> ArticleDocument:
        """``path`` on screen (as open already, or as the file holds it, or ``text``:
        a draft, begun from the file whose digest was ``began_from``, so that a file
        changed since is not saved over)."""
        document = self.documents.get(path.resolve())
        if document is None:
            opened = open_article(path)
            if began_from is not None:
                opened = replace(opened, digest=began_from)
            document = ArticleDocument(opened, text)
            self.documents[path.resolve()] = document
        elif text is not None:
            document.text = text
        self.current = document
        self._show(document)
        self.articles.select(path)
        return document

    def _say_hints(self) -> None:
        if self.current is not None:
            self.preview.show_card(_shown(self))
        at = self.body.rich.textCursor().position()
        said = [h.message for h in self.hints.hints_at(at)] + [self.hints.spelling_at(at)]
        if any(said) or self._hinting:  # a hint said stays only while the cursor is on it
            self.status.setText("  ·  ".join(m for m in said if m))
        self._hinting = any(said)

    def _show(self, document: ArticleDocument) -> None:
        self.editor.setEnabled(True)
        self._filling = True  # what Qt says changed now is not staff typing
        try:
            # Marking the text again for another language tells Qt the text changed:
            # taken for typing, it wrote the article on screen into the one opened.
            _offer_choices(self, document.opened.path)
            self.details.fill(document.fields())
            self.body.show_body(document.opened.path.resolve(), document.body, self.folder)
            locale = document.opened.path.parent.parent.name
            self.hints.attach(self.body.document(), locale, self._limit)
        finally:
            self._filling = False
        self.status.setText(
            f"{document.opened.path.name}" + (" (changed)" if document.dirty else "")
        )
        self.problems.show_for(document.opened.path)
        self.translating.refresh()
        _say_grade(self, self.translating.pack)
        self._check()

    def _check(self) -> None:
        """The validator again, on every open article's unsaved text, once typing pauses."""
        self.checker.changed({d.opened.path: d.text for d in self.documents.values() if d.dirty})

    def _checked(self, checked: Checked) -> None:
        if checked.failed is not None:
            self.status.setText(f"The check could not run ({checked.failed}); save, then try again")
        self.articles.show_problems(checked.problems)
        if self.current is not None:
            self.problems.show_for(self.current.opened.path, checked.problems)
            self.preview.show_pack(checked.pack, checked.index, _shown(self))
            self.translating.refresh(checked.pack)
            _say_grade(self, self.translating.pack)

    def go_to_line(self, line: int) -> None:
        """Where a problem is: its line of the text, or its field of the form."""
        if self.current is None or line <= 0:
            return
        part, at = self.current.where(line)
        if part == "field":
            self.details.focus(str(at))
            return
        self.body.go_to_body_line(int(at))

    def _chosen(self, path: Path) -> None:
        try:
            self.open(path)
        except UnreadableFileError as err:
            self.status.setText(str(err))

    def _field_changed(self, key: str, value: FieldValue | None) -> None:
        if self.current is None:
            return
        try:
            self.current.set_field(key, value)
        except FrontMatterEditError as err:
            self.status.setText(f"{self.current.opened.path.name}: {err}")
            self._show(self.current)  # the form as the file is: the edit was not made
            return
        self.status.setText(f"{self.current.opened.path.name} (changed)")
        self._check()

    def _body_changed(self, markdown: str) -> None:
        if self.current is not None and not self._filling:
            self.current.set_body(markdown)
            self.status.setText(f"{self.current.opened.path.name} (changed)")
            self._check()

    def save(self, document: ArticleDocument | None = None) -> bool:
        """Save ``document`` (the article on screen if None); whether it was saved."""
        document = document or self.current
        if document is None:
            return False
        try:
            document.opened = save_article(document.opened, document.text)
        except ChangedOnDiskError as err:
            self.status.setText(str(err))
            if self.questions.reload(document.opened.path):
                self.disk.reload(document.opened.path.resolve())
            return False
        except (OSError, UnreadableFileError) as err:
            self.status.setText(f"{document.opened.path.name} was not saved: {err}")
            return False
        self.drafts.discard(document.opened.path)
        self.articles.refresh(document.opened.path)
        self.status.setText(f"{_named(self.folder, document.opened.path)} saved")
        self._check()
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closed with changes unsaved: they are offered back next time, or, if they
        # cannot be kept, staff are asked before they are lost.
        if not self.keep_drafts() and not self.questions.lose_unsaved():
            event.ignore()
            return
        self._autosave.stop()
        self.disk.stop()
        self.checker.stop()
        self.preview.close_kiosk()
        super().closeEvent(event)

    def publish(self) -> PublishDialog | None:
        """Changed articles saved, then Publish (against the kiosk's, if on one)."""
        for document in [d for d in self.documents.values() if d.dirty]:
            if not self.save(document):
                return None  # what went wrong is in the status line
        state = self.drafts.folder.parent  # the studio's own, per staff account
        return open_publish(self, self.folder, self.questions.passphrase, state, self.kiosk_config)

    def new_article(self) -> NewArticleDialog:
        """The New article form; the article it makes is listed and opened."""
        info = pack_info(self.folder)
        dialog = open_new_article(self, self.folder, info.locales if info else ("en",))
        dialog.made.connect(self._made)
        return dialog

    def _made(self, path: Path) -> None:
        self.articles.fill(self.folder)
        self.open(path)

    def keep_drafts(self) -> bool:
        """A draft of every open article with changes (the autosave); whether all were
        kept."""
        return keep_drafts(self)


def _shown(window: StudioWindow) -> Shown:
    """The card the cursor is in, for the preview."""
    assert window.current is not None
    path = window.current.opened.path
    return Shown(path.parent.parent.name, path.stem, window.body.card_at_cursor())


def _say_grade(window: StudioWindow, pack: Pack | None) -> None:
    """The article's reading grade in the last pack without errors, against the pack's
    limit (the validator's figure: kiosk.core.content.crosschecks); and, if spelling is
    off for its language, why and what to install."""
    article = None
    if pack is not None and window.current is not None:
        path = window.current.opened.path
        article = pack.articles.get(path.parent.parent.name, {}).get(path.stem)
    said = []
    if article is not None and article.grade is not None:
        limit = pack.info.readability_limit if pack is not None else window._limit
        verdict = (
            "above it: shorter sentences and everyday words bring it down (see the underlines)"
            if article.grade > limit
            else "within it"
        )
        grade = max(article.grade, 0.0)  # Spanish's formula gives very easy text below 0
        said.append(f"Reading grade {grade:g}; the pack's limit is {limit:g}: {verdict}.")
    off = window.spelling.off.get(window.spelling.locale)
    if off:
        said.append(off)  # what to install for this language's dictionary
    window.grade.setText("\n".join(said))


def _offer_choices(window: StudioWindow, path: Path) -> None:
    """The form's lists for ``path``: the articles of its language it may suggest
    next, and the pack's crisis messages in its language."""
    info = pack_info(window.folder)
    locale = path.parent.parent.name
    crises = info.crisis if info is not None else {}
    window.details.offer(
        [choice for choice in titles_in(path.parent.parent) if choice[0] != path.stem],
        [(name, texts.get(locale, "")) for name, texts in crises.items()],
    )


def _arrange(window: StudioWindow) -> QHBoxLayout:
    """The list, the editor (form, text, problems) and the preview side by side; the
    status line and the buttons under them (the row of buttons, returned)."""
    editor = window.editor
    editor.setEnabled(False)  # until an article is open: typed before, it was thrown away
    column = QVBoxLayout(editor)
    column.addWidget(window.details)
    column.addWidget(window.body, 1)
    column.addWidget(window.grade)
    window.problems.setMaximumHeight(96)
    column.addWidget(QLabel("Problems the check finds (click one to go to it):", editor))
    column.addWidget(window.problems)
    row = QHBoxLayout()
    # A long message is cut, not let widen the window past a laptop's screen.
    window.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    row.addWidget(window.status, 1)
    row.addWidget(window.body.expert_button)
    row.addWidget(window.save_button)
    row.addWidget(window.new_button)
    row.addWidget(window.publish_button)
    split = QSplitter(Qt.Orientation.Horizontal, window)
    split.addWidget(window.articles)
    split.addWidget(editor)
    sides = QTabWidget(window)
    sides.addTab(window.preview, "Preview")
    sides.addTab(window.translation, "Translation")
    split.addWidget(sides)
    split.setStretchFactor(0, 2)
    split.setStretchFactor(1, 6)
    split.setStretchFactor(2, 4)
    window.articles.setMinimumWidth(250)  # its filters' words whole
    whole = QWidget(window)
    outer = QVBoxLayout(whole)
    outer.addWidget(split, 1)
    outer.addLayout(row)  # New article and Publish, with or without an article open
    window.setCentralWidget(whole)
    return row


def _place(window: StudioWindow, line: int) -> str:
    """File line ``line`` of the article on screen, as staff see it: a box of the form,
    or a card of the text."""
    if window.current is None:
        return f"line {line}"
    part, at = window.current.where(line)
    if part == "field":
        return FIELD_LABELS.get(str(at), "the details")
    card = window.current.card_at(int(at))
    return "the text, opening card" if card == 0 else f"the text, card {card + 1}"


def _connect(window: StudioWindow) -> None:
    """What each part says, to the window."""
    window.body.rich.cursorPositionChanged.connect(window._say_hints)
    window.body.toolbar.said.connect(window.status.setText)
    window.articles.chosen.connect(window._chosen)
    window.details.changed.connect(window._field_changed)
    window.body.changed.connect(window._body_changed)
    window.save_button.clicked.connect(window.save)
    window.publish_button.clicked.connect(window.publish)
    window.new_button.clicked.connect(window.new_article)
    window.checker.checked.connect(window._checked)
    window.problems.chosen.connect(window.go_to_line)
    window.body.document_replaced.connect(window.hints.follow)
    window.problems.place = partial(_place, window)
    _offer_spellings(window)


def _offer_spellings(window: StudioWindow) -> None:
    """Spellings and "Add to the clinic's word list" on the text's right-click menu."""
    menu = SpellingMenu(window.body.rich, window.spelling, window)
    menu.said.connect(window.status.setText)
    menu.words_changed.connect(window.hints.rehighlight)
    window.body.rich.spelling_menu = menu


def _named(folder: Path, path: Path) -> str:
    """An article's file as staff tell it from its translation: "heat-stroke.md
    (Spanish)" (the English and the Spanish have the same file name)."""
    try:
        code = path.resolve().relative_to(folder.resolve()).parts[0]
    except (ValueError, IndexError):
        return path.name
    return f"{path.name} ({language_name(code)})"
