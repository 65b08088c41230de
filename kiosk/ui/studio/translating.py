"""The studio's translation work: which two versions of an article are compared, and
what staff do from the comparison (kiosk.ui.studio.translation_panel shows it): open
the other version, start a missing one from the source, mark one checked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject

from kiosk.core.content.frontmatter_edit import (
    FrontMatterEditError,
    body_start,
    front_matter_values,
)
from kiosk.core.content.pack import Pack
from kiosk.core.errors import UnreadableFileError
from kiosk.core.files import write_atomically
from kiosk.core.studio.articles import open_article
from kiosk.core.studio.document import ArticleDocument
from kiosk.core.studio.translations import SOURCE_KEY, content_hash, mark_translation_checked
from kiosk.ui.studio.editing import Editing
from kiosk.ui.studio.translation_panel import Sides, TranslationPanel


def sides_for(
    folder: Path, pack: Pack, path: Path, text_of: Callable[[Path], str | None]
) -> Sides | None:
    """The article at ``path`` and its other version in ``pack``'s languages (None if
    the pack has one). ``text_of(file)``: the file's text as staff have it now, None
    if there is no such file."""
    default = pack.info.default_locale
    others = [locale for locale in pack.info.locales if locale != default]
    if not others:
        return None
    locale = path.parent.parent.name
    on_source = locale == default
    target = others[0] if on_source else locale
    source = folder / default / path.parent.name / path.name
    translation = folder / target / path.parent.name / path.name
    translated, original = text_of(translation), text_of(source)
    if translated is None:
        check = "missing"
    elif original is not None and _body(translated) == _body(original):
        check = "untranslated"  # begun from the source, not translated yet
    else:
        try:
            recorded = front_matter_values(translated).get(SOURCE_KEY)
        except FrontMatterEditError:
            recorded = None
        if not recorded:
            check = "unmarked"
        elif original is not None and recorded != content_hash(original):
            check = "changed"
        else:
            check = "same"
    return Sides(source, translation, default, target, check, on_source)


def _body(text: str) -> str:
    """What follows an article's front matter (all of it where there is none)."""
    try:
        return text[body_start(text) :].strip()
    except FrontMatterEditError:
        return text.strip()


class Translating(QObject):
    """Keeps ``window``'s translation panel on the article on screen."""

    def __init__(self, window: Editing, panel: TranslationPanel) -> None:
        super().__init__(panel)
        self.window, self.panel = window, panel
        self.pack: Pack | None = None  # the last without errors
        panel.open_requested.connect(self._open)
        panel.mark_requested.connect(self._mark)
        panel.start_requested.connect(self._start)
        panel.card_chosen.connect(self._card)

    def refresh(self, pack: Pack | None = None) -> None:
        """The panel again, with ``pack`` if it is newer (None: the text has errors)."""
        self.pack = pack or self.pack
        current = self.window.current
        if self.pack is None or current is None:
            return
        path = current.opened.path
        sides = sides_for(self.window.folder, self.pack, path, self._text_of)
        self.panel.show_for(self.pack, sides, path.stem)

    def _text_of(self, path: Path) -> str | None:
        document = self.window.documents.get(path.resolve())
        if document is not None:
            return document.text
        try:
            return open_article(path).text if path.is_file() else None
        except UnreadableFileError:
            return None

    def _document(self, path: Path) -> ArticleDocument:
        """``path``'s document in the studio, opened (not shown) if it was not."""
        key = path.resolve()
        if key not in self.window.documents:
            self.window.documents[key] = ArticleDocument(open_article(path))
        return self.window.documents[key]

    def _open(self, path: Path) -> None:
        self.window.open(path)

    def _mark(self) -> None:
        sides = self.panel.sides
        source = self._text_of(sides.source) if sides is not None else None
        if sides is None or source is None:
            return
        try:
            document = self._document(sides.translation)
            unsaved = document.dirty
            document.text = mark_translation_checked(source, document.text)
        except (UnreadableFileError, FrontMatterEditError) as err:
            self.window.status.setText(f"{sides.translation.name}: {err}")
            return
        name = f"{sides.translation.parent.parent.name}/{sides.translation.name}"
        # Saved at once, unless it holds other changes not saved yet: those are staff's
        # to save when they are ready.
        if unsaved:
            self.window.keep_drafts()
            self.window.status.setText(f"{name} is marked as checked: Save it to keep this")
        elif self.window.save(document):
            self.window.status.setText(f"{name} is marked as checked and saved")
        self.refresh()

    def _start(self) -> None:
        sides = self.panel.sides
        source = self._text_of(sides.source) if sides is not None else None
        if sides is None or source is None or sides.translation.exists():
            return
        try:
            sides.translation.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(sides.translation, source.encode("utf-8"), exclusive=True)
        except OSError as err:
            self.window.status.setText(f"{sides.translation} could not be made ({err})")
            return
        self.window.articles.fill(self.window.folder)
        self.window.open(sides.translation)
        self.window.status.setText(
            f"{sides.translation.parent.parent.name}/{sides.translation.name} made from the "
            "source: translate each card, then mark it checked"
        )

    def _card(self, card: int) -> None:
        self.window.body.go_to_card(card)
