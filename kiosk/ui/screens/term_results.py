"""The A-Z page's results: a heading that says what is listed, and big result tiles."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from kiosk.core.content.pack import Article
from kiosk.core.content.review import PatientView
from kiosk.core.search.index import SearchIndex
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.widgets.cards import CardButton
from kiosk.ui.widgets.labels import FitLabel
from kiosk.ui.widgets.layout import fit_columns

MAX_LISTED = 120  # more than this is a wall of buttons; ask for another letter instead


def row_heights(tiles: list[CardButton], width: int, columns: int, spacing: int) -> list[int]:
    """The height in px of each row of ``tiles`` laid ``columns`` to a row across
    ``width`` px (a row is as tall as its tallest tile at that width)."""
    column = (width - (columns - 1) * spacing) // columns
    return [
        max(tile.heightForWidth(column) for tile in tiles[first : first + columns])
        for first in range(0, len(tiles), columns)
    ]


def tile_line(article: Article | None) -> tuple[str, str]:
    """The one line a tile shows under its title, as (summary, urgent): what to do now
    if the article says ("Call 911 now if..."), else the summary's first sentence, what
    the word means. A row of tiles stays as short as one line."""
    if article is None:
        return "", ""
    if article.urgent:
        return "", article.urgent
    first, dot, _rest = article.summary.partition(". ")
    return first + dot.strip(), ""


class TermResults(QObject):
    """What a search or a letter found, under the letters (``browse``: letters, heading
    and results scroll together; nothing is squeezed or cut off).

    Tiles come from a pool that only grows to the largest list shown, so typing for
    months creates no new widgets once warm. While the patient types (the keys are
    open) tiles show titles only, and a heading that only repeats the box hides.
    """

    article_chosen = Signal(str)

    def __init__(self, letters: QWidget, parent: QObject) -> None:
        super().__init__(parent)
        self.browse = QWidget()
        self.heading = FitLabel(self.browse)
        self.heading.setProperty("role", "progress")  # small: results get the room
        self._host = QWidget(self.browse)
        self._grid = QGridLayout(self._host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(8)
        self._grid.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._column = QVBoxLayout(self.browse)
        self._column.setContentsMargins(0, 0, 16, 0)
        self._column.setSpacing(14)
        self._column.addWidget(letters)
        self._column.addWidget(self.heading)
        self._column.addWidget(self._host)
        self._column.addStretch(1)
        self._view: PatientView | None = None
        self._index: SearchIndex | None = None
        self._locale = ""
        self._typing = False
        # A search found nothing: the heading says so (what the box does not), and the
        # tiles, if any, are the closest names ("Did you mean:").
        self.found_nothing = False
        self._pool: list[CardButton] = []
        self._shown = 0
        self._columns = 0

    def set_content(self, view: PatientView, index: SearchIndex, locale: str) -> None:
        self._view, self._index, self._locale = view, index, locale
        for tile in self._pool:  # a new pack or language: every tile is written again
            tile.setProperty("slug", None)

    @property
    def ready(self) -> bool:
        """There is content to list."""
        return self._view is not None and self._index is not None

    @property
    def tiles(self) -> list[CardButton]:
        """The tiles shown, in order."""
        return self._pool[: self._shown]

    def visible(self) -> list[str]:
        return [t.accessibleName() for t in self.tiles]

    def show_nothing(self) -> None:
        self.heading.clear()
        self._show([])

    def show_search(self, query: str) -> None:
        """The articles ``query`` finds, else the closest names, with a heading."""
        view, index = self._view, self._index
        assert view is not None and index is not None
        found = index.search(query, self._locale, limit=30)
        hits = view.titled(self._locale, [h.slug for h in found])
        self.found_nothing = not hits
        if hits:
            self.heading.setText(
                QCoreApplication.translate("TermsPage", "Results for “%1”").replace("%1", query)
            )
        else:
            hits = view.titled(self._locale, [h.slug for h in index.closest(query, self._locale)])
            self.heading.setText(
                QCoreApplication.translate(
                    "TermsPage", "No results for “%1”. Did you mean:"
                ).replace("%1", query)
                if hits
                else QCoreApplication.translate(
                    "TermsPage", "No results for “%1”. Try fewer letters, or tap a letter."
                ).replace("%1", query)
            )
        self._show(hits)

    def show_letter(self, letter: str) -> None:
        """The words starting with ``letter``, or ("") all of them, with a heading."""
        view = self._view
        assert view is not None
        self.found_nothing = False
        listed = view.listing(self._locale, initial=letter, limit=MAX_LISTED)
        if letter and not listed:
            self.heading.setText(
                QCoreApplication.translate(
                    "TermsPage",
                    "No words start with %1 yet. Tap another letter, or type a word.",
                ).replace("%1", letter)
            )
        elif letter:
            self.heading.setText(
                QCoreApplication.translate("TermsPage", "Words starting with %1").replace(
                    "%1", letter
                )
            )
        else:
            self.heading.setText(QCoreApplication.translate("TermsPage", "All health words"))
        self._show([(a.slug, a.title) for a in listed])

    def set_typing(self, typing: bool) -> None:
        """The keys opened or closed: summaries and the heading follow."""
        self._typing = typing
        for tile in self._pool:
            tile.set_summary_shown(not typing)
        self._show_heading()
        self._columns = 0  # place the tiles again

    def _show(self, hits: list[tuple[str, str]]) -> None:
        while len(self._pool) < len(hits):
            tile = CardButton("", "", self._host, role="result")
            tile.clicked.connect(self._clicked)
            self._pool.append(tile)
        for i, tile in enumerate(self._pool):
            if i < len(hits):
                slug, title = hits[i]
                # A keystroke often keeps most results where they were ("hear" ->
                # "heart"): a tile that shows them already is left alone, not laid out,
                # described to a screen reader and painted again.
                if tile.property("slug") != slug or tile.accessibleName() != title:
                    article = self._view.article(self._locale, slug) if self._view else None
                    tile.set_text(title, *tile_line(article))
                    tile.setProperty("slug", slug)
                tile.set_summary_shown(not self._typing)
                if tile.isHidden():
                    tile.show()
            elif not tile.isHidden():
                tile.hide()
        self._shown = len(hits)
        self._show_heading()
        self._columns = 0  # place the tiles again

    def _show_heading(self) -> None:
        # While typing, a heading that only repeats the box ("All health words",
        # "Results for 'heart'") gives its room to results: at 200% in the easier font
        # on a 1024x768 screen it left not one whole result. "No results for ..." shows.
        self.heading.setVisible(not self._typing or self.found_nothing)

    def _clicked(self) -> None:
        tile = self.sender()
        if isinstance(tile, TouchButton):
            self.article_chosen.emit(str(tile.property("slug")))

    def place(self, list_width: int, char_width: int, viewport: QWidget) -> None:
        """Lay the tiles out in as many columns (at most 3) as suit ``list_width`` px;
        ``char_width`` is the page's average character, ``viewport`` the scroll area's."""
        shown = self.tiles
        spacing = self._grid.spacing()
        # A column at least 20 letters of body text wide, so a summary does not wrap a
        # word to a line; 10 while typing, when tiles show titles only.
        readable = char_width * (10 if self._typing else 20)
        columns = fit_columns(shown or self._pool[:1], list_width, 3, spacing, least=readable)
        if self._typing and shown:
            columns = self._most_whole(shown, columns, list_width, viewport)
        if columns != self._columns:
            self._columns = columns
            for i, tile in enumerate(shown):
                self._grid.addWidget(tile, i // columns, i % columns)
            # One result keeps the width it would have among many (empty columns stay).
            for c in range(3):
                self._grid.setColumnStretch(c, 1 if c < columns else 0)

    def _most_whole(
        self, shown: list[CardButton], most: int, list_width: int, viewport: QWidget
    ) -> int:
        """Beside the keys, as many whole results as the room shows: in the easier font
        at 200%, two columns wrapped Spanish titles onto two lines, and not one whole
        result showed on a 1024x768 screen; one column showed one."""
        spacing = self._grid.spacing()
        room = viewport.height()
        # The list's own width once laid out: beside keys narrower than their most, it
        # is wider than the page reckons.
        inset = self._column.contentsMargins().right()
        list_width = viewport.width() - inset if viewport.width() > inset else list_width
        if not self.heading.isHidden():  # "No results for ..." sits above them
            high = self.heading.heightForWidth(list_width)
            high = high if high > 0 else self.heading.sizeHint().height()
            room -= high + self._column.spacing()

        # Ties go to the shorter first row (a title on one line, not cut in two), then
        # to more columns, so one result sits as it would among many.
        def score(columns: int) -> tuple[int, int, int]:
            rows = row_heights(shown, list_width, columns, spacing)
            top, whole = 0, 0  # rows shown whole in the room
            for height in rows:
                top += height
                if top > room:
                    break
                whole, top = whole + 1, top + spacing
            return min(len(shown), whole * columns), -rows[0], columns

        return max(range(1, most + 1), key=score)
