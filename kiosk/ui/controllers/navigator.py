"""Navigation: which articles a patient may open, and what each page shows.

The session says which page is current; the navigator fills that page from the pack
and asks the window to show it. An article is checked once per tap: ``open_article``
checks it before the session moves, and the page then shows what was checked.
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import QCoreApplication, QObject, Signal

from kiosk.core.config import KioskConfig
from kiosk.core.content.pack import Article, Kind, Pack
from kiosk.core.content.review import PatientView
from kiosk.core.patient import Page, PageRef
from kiosk.core.search.index import SearchIndex
from kiosk.core.stats import UsageCounts
from kiosk.ui.session import Session
from kiosk.ui.window import MainWindow

log = logging.getLogger("kiosk.ui")


class Navigator(QObject):
    leaving_page = Signal()  # read aloud belongs to the card on screen
    shown = Signal()  # a page is on screen, filled (the window title follows)

    def __init__(
        self,
        window: MainWindow,
        session: Session,
        pack: Pack,
        index: SearchIndex,
        config: KioskConfig,
        usage: UsageCounts | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._session = session
        self.pack, self.index = pack, index
        self._count_sensitive = config.count_sensitive_articles
        self._usage = usage  # counts per article per day, nothing else
        self.view = PatientView(pack, index.catalogue, date.today())
        self._checked: Article | None = None  # checked by open_article, shown next

    # --- content ----------------------------------------------------------------------

    def load_content(self) -> None:
        locale = self._session.locale
        w = self._window
        # A new day may hide an article, so the view is made afresh.
        self.view = PatientView(self.pack, self.index.catalogue, date.today())
        for name in ("home", "terms"):
            if w.is_made(name):
                self.fill(name)  # a page made later is filled then
        w.attract.show_locales(self.pack.info.locales)
        w.top_bar.set_other_language(next_locale(self.pack.info.locales, locale) or "")

    def fill(self, name: str) -> None:
        """The articles on the page ``name`` (the window's names), if it lists any."""
        locale = self._session.locale
        if name == "home":
            from kiosk.ui.screens.home import FEATURED_TERMS  # with the page, after paint

            self._window.home.show_articles(
                self.pack.info.title_in(locale),
                self.view.listing(locale, kind=Kind.TOPIC),
                self.view.listing(locale, kind=Kind.TERM, limit=FEATURED_TERMS),
            )
        elif name == "terms":
            self._window.terms.show_articles(self.view, self.index, locale)

    def replace_content(self, pack: Pack, index: SearchIndex) -> None:
        """Show another pack (a new install, or a preview reload), on the same page
        where that page still exists."""
        self.pack, self.index = pack, index
        self._window.show_pack(pack.info)
        self.load_content()
        if self._window.in_staff_mode:
            return  # staff stay in the admin panel; patients see the pack when they leave
        current = self._session.state.current
        locale = self._session.locale
        if current.page is Page.READER and self.view.article(locale, current.slug) is None:
            self._session.open_home()
        else:
            self.show(current)

    def refresh(self) -> None:
        """The content again, in the session's language, on the page the session is on."""
        self.load_content()
        self.show_current()

    def after_reset(self) -> None:
        self.pack.forget_read_articles()  # nothing of what was read stays, even in memory
        self.load_content()  # between patients: a new day, or a new pack, applies now

    # --- what a patient taps ----------------------------------------------------------

    def open_article(self, slug: str) -> None:
        article = self.view.article(self._session.locale, slug)
        if article is None:
            log.warning("an article is not available in this language; staying put")
            return
        if not article.sections:  # its file failed its check (logged): never show half
            log.warning("an article cannot be shown; staying put")
            return
        # A sensitive article (drug use, mental health) is not counted unless staff
        # chose to: on a quiet day even a per-day count can point at one patient.
        if self._usage is not None and (not article.sensitive or self._count_sensitive):
            self._usage.record_soon(slug, self._session.locale)  # off the GUI thread
        self._checked = article
        self._session.open(PageRef(Page.READER, slug))

    def open_terms(self) -> None:
        self._session.open(PageRef(Page.TERMS))

    def open_settings(self) -> None:
        self._window.settings_panel.open(self._session.settings, self._session.locale)

    def next_language(self) -> None:
        following = next_locale(self.pack.info.locales, self._session.locale)
        if following:
            self._session.set_locale(following)

    # --- what each page shows ---------------------------------------------------------

    def show_current(self) -> None:
        self.show(self._session.state.current)

    def show(self, ref: PageRef) -> None:
        # Read aloud belongs to the card on screen: leaving it (Home, Back, A-Z, a
        # related article) silences it. Turning cards is the reader's own business.
        self.leaving_page.emit()
        w = self._window
        checked, self._checked = self._checked, None
        w.show_page(w.page_for(ref.page))
        w.top_bar.setVisible(ref.page is not Page.ATTRACT)
        w.top_bar.set_back_enabled(len(self._session.state.history) > 1)
        if ref.page is Page.READER:
            if not self._show_article(ref, checked):
                return
        elif ref.page is Page.TERMS:
            w.top_bar.set_title(QCoreApplication.translate("MainWindow", "Health words A to Z"))
            w.terms.restore(self._session.state.search_text, self._session.state.letter)
        else:
            w.top_bar.set_title("")
        self.shown.emit()
        if ref.page is Page.ATTRACT:
            w.attract.setFocus()  # Enter starts; no ring on Start for a finger

    def _show_article(self, ref: PageRef, checked: Article | None) -> bool:
        locale = self._session.locale
        if checked is not None and (checked.slug, checked.locale) == (ref.slug, locale):
            article: Article | None = checked  # open_article checked it a moment ago
        else:
            # Back, a language switch or a new pack: a page from the history.
            article = self._showable(ref.slug)
        if article is None:
            # Gone in this language, or its file failed its check (logged): a
            # language switch or Back must not show half an article either.
            log.warning("an article cannot be shown; going home")
            self._session.open_home()
            return False
        related = [
            (slug, other.title)
            for slug in article.related
            if (other := self.view.article(locale, slug)) is not None
        ]
        self._window.reader.show_article(
            article,
            self.pack.read_file,
            banner=self.pack.info.crisis_text(article.crisis, locale),
            related=related,
            card=ref.card,
            review_due=self.view.flagged(article),
        )
        self._window.top_bar.set_title("")
        return True

    def _showable(self, slug: str) -> Article | None:
        """The article, if it can be shown whole in the session's language."""
        article = self.view.article(self._session.locale, slug)
        return article if article is not None and article.sections else None


def next_locale(locales: tuple[str, ...], current: str) -> str | None:
    """The language the language button goes to from ``current``: the next of the
    pack's ``locales``, after the last the first (with three or more, the button went
    back and forth between the first two); None with only one."""
    if len(locales) < 2:
        return None
    at = locales.index(current) if current in locales else -1
    return locales[(at + 1) % len(locales)]
