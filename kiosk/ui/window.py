"""The main window: builds the pages and wires them. Nothing else lives here.

Signals flow up from pages to the session; the session says which page to show.
All connections are made in ``_wire`` so the whole flow reads in one place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QLayout,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.core.config import KioskConfig
from kiosk.core.content.pack import Kind, Pack
from kiosk.core.content.review import PatientView
from kiosk.core.patient import DisplaySettings, Page, PageRef
from kiosk.core.pin import PinGuard
from kiosk.core.search.index import SearchIndex
from kiosk.core.stats import UsageCounts
from kiosk.ui.i18n import Translations
from kiosk.ui.idle import IdleMonitor, IdleOverlay
from kiosk.ui.screens.admin import AdminPanel, CornerTapDetector
from kiosk.ui.screens.attract import AttractPage
from kiosk.ui.screens.home import FEATURED_TERMS, HomePage
from kiosk.ui.screens.pinpad import PinPad
from kiosk.ui.screens.reader import ReaderPage
from kiosk.ui.screens.settings import SettingsPanel
from kiosk.ui.screens.staff import StaffSection
from kiosk.ui.screens.terms import TermsPage
from kiosk.ui.session import Session
from kiosk.ui.system.speech import Speaker
from kiosk.ui.theme import Look, Theme, apply_look, load_theme, theme_name
from kiosk.ui.widgets.topbar import TopBar
from kiosk.ui.windowinput import FocusRingForKeysOnly

log = logging.getLogger("kiosk.ui")

APP_TITLE = "Clinic kiosk"


class MainWindow(QWidget):
    exit_requested = Signal()
    admin_opened = Signal()

    def __init__(
        self,
        pack: Pack,
        index: SearchIndex,
        session: Session,
        config: KioskConfig,
        theme: Theme,
        make_speaker: Callable[[], Speaker] | None = None,
        usage: UsageCounts | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.pack, self.index, self.session, self.config = pack, index, session, config
        # One speaker for the whole kiosk, made when a patient first turns read aloud
        # on: making one takes about a second and starts speech-dispatcher.
        self._make_speaker = make_speaker
        self.speaker: Speaker | None = None
        self._usage = usage  # counts per article per day, nothing else
        self.locked = config.locked
        self.setObjectName("page")
        # What a screen reader announces; the window title is for staff tools and tests.
        self.setAccessibleName(pack.info.title)
        self.top_bar = TopBar(self)
        self.stack = QStackedWidget(self)
        self.attract = AttractPage()
        self.home = HomePage()
        self.reader = ReaderPage()
        self.terms = TermsPage()
        self.pin_pad = PinPad(PinGuard(config.admin_pin_hash))
        self.admin = AdminPanel(pack.info.title, pack.info.version)
        self.staff = StaffSection()
        self.admin.add_section(self.staff)
        for page in (self.attract, self.home, self.reader, self.terms, self.pin_pad, self.admin):
            self.stack.addWidget(page)
        self._set_page(self.attract)
        layout = QVBoxLayout(self)
        # The window is the screen's size, never its layout's: by default Qt raises a
        # window to its layout's minimum, and a passing one (a language or text size
        # half applied) left it taller than the screen for good, its foot cut off.
        # The pages fit the screen once settled (tests/test_fits_every_screen.py).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.top_bar)
        layout.addWidget(self.stack, 1)
        self.idle_monitor = IdleMonitor(config.idle_timeout, self)
        # The admin panel has its own, longer quiet spell; the patient one is paused.
        self.admin_idle_monitor = IdleMonitor(config.admin_idle_timeout, self)
        self.idle_overlay = IdleOverlay(config.idle_warning, self)
        self.settings_panel = SettingsPanel(pack.info.locales, self)
        self.settings_panel.read_aloud.setVisible(make_speaker is not None)
        self.translations = Translations(self)
        self.corner = CornerTapDetector(self)
        FocusRingForKeysOnly(self, self._focus_page)
        self.look = Look(theme)
        self._wire()
        self._apply_settings(session.settings)
        self._switch_language(session.locale)

    def _wire(self) -> None:
        s = self.session
        s.page_changed.connect(self._show)
        s.reset_done.connect(self._after_reset)
        s.locale_changed.connect(self._switch_language)
        s.settings_changed.connect(self._apply_settings)
        self.attract.started.connect(s.open_home)
        self.top_bar.home_clicked.connect(s.open_home)
        self.top_bar.back_clicked.connect(s.back)
        self.top_bar.language_clicked.connect(self._next_language)
        self.top_bar.settings_clicked.connect(self.open_settings)
        self.settings_panel.settings_chosen.connect(s.set_settings)
        self.settings_panel.locale_chosen.connect(s.set_locale)
        self.settings_panel.closed.connect(self.settings_panel.hide)
        self.home.article_chosen.connect(self.open_article)
        self.home.terms_chosen.connect(self.open_terms)
        self.terms.article_chosen.connect(self.open_article)
        self.terms.search_changed.connect(s.set_search)
        self.reader.article_chosen.connect(self.open_article)
        self.reader.card_changed.connect(s.set_card)
        self.reader.card_changed.connect(self._update_title)
        self.reader.quick_exit.connect(s.reset)
        self.reader.home_requested.connect(s.open_home)
        self.idle_monitor.idle.connect(self._on_idle)
        self.admin_idle_monitor.idle.connect(self._on_admin_idle)
        self.idle_overlay.stay.connect(self.idle_monitor.poke)
        self.idle_overlay.stay.connect(self.admin_idle_monitor.poke)
        self.idle_overlay.expired.connect(self._on_warning_expired)
        self.corner.triggered.connect(self._open_admin)
        self.idle_overlay.tick.connect(self._speak_idle_warning)
        self.reader.listen_requested.connect(self._speak)
        self.reader.stop_requested.connect(self._stop_speaking)
        self.reader.repeat_requested.connect(self._repeat_speaking)
        self.pin_pad.accepted.connect(self._admin_unlocked)
        self.pin_pad.cancelled.connect(self._cancel_pin)
        self.admin.closed.connect(self._leave_admin)
        self.admin.exit_requested.connect(self.exit_requested)

    # --- content and look -------------------------------------------------------------

    def _load_content(self) -> None:
        locale = self.session.locale
        # A new day may hide an article, so the view is made afresh.
        self.view = PatientView(self.pack, self.index.catalogue, date.today())
        self.home.show_articles(
            self.pack.info.title_in(locale),
            self.view.listing(locale, kind=Kind.TOPIC),
            self.view.listing(locale, kind=Kind.TERM, limit=FEATURED_TERMS),
        )
        self.terms.show_articles(self.view, self.index, locale)
        self.attract.show_locales(self.pack.info.locales)
        others = [loc for loc in self.pack.info.locales if loc != locale]
        self.top_bar.set_other_language(others[0] if others else "")

    def replace_content(self, pack: Pack, index: SearchIndex) -> None:
        """Show another pack (a new install, or a preview reload), on the same page
        where that page still exists."""
        self.pack, self.index = pack, index
        self.admin.set_pack(pack.info.title, pack.info.version)
        self.settings_panel.set_locales(pack.info.locales)
        self.setAccessibleName(pack.info.title)
        self._load_content()
        if self.in_staff_mode:
            return  # staff stay in the admin panel; patients see the pack when they leave
        current = self.session.state.current
        if (
            current.page is Page.READER
            and self.view.article(self.session.locale, current.slug) is None
        ):
            self.session.open_home()
        else:
            self._show(current)

    def restyle(self, theme: Theme) -> None:
        self.top_bar.restyle(theme)
        self.reader.restyle(theme)
        self.terms.restyle(theme)
        self.settings_panel.restyle(theme)

    def _apply_settings(self, settings: DisplaySettings) -> None:
        """One settings value decides the whole look; applied at once, everywhere."""
        self.look = Look(
            load_theme(theme_name(settings.high_contrast)),
            settings.text_scale,
            settings.dyslexia_font,
        )
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_look(app, self.look)
        self.restyle(self.look.theme)
        self.reader.set_reading_style(self.look)
        self.reader.set_animated(not settings.reduce_motion)
        if settings.read_aloud:
            self._ensure_speaker()
        self.reader.set_read_aloud(settings.read_aloud and self.speaker is not None)

    def _switch_language(self, locale: str) -> None:
        self._stop_speaking()  # the card was being read in the other language
        self.translations.use(locale)
        for page in (self.top_bar, self.reader, self.terms, self.settings_panel, self.pin_pad):
            page.retranslate()
        self._load_content()
        self._show(self.session.state.current)

    def open_settings(self) -> None:
        self.settings_panel.open(self.session.settings, self.session.locale)

    # --- navigation -------------------------------------------------------------------

    def open_article(self, slug: str) -> None:
        article = self.view.article(self.session.locale, slug)
        if article is None:
            log.warning("an article is not available in this language; staying put")
            return
        if not article.sections:  # its file failed its check (logged): never show half
            log.warning("an article cannot be shown; staying put")
            return
        # A sensitive article (drug use, mental health) is not counted unless staff
        # chose to: on a quiet day even a per-day count can point at one patient.
        if self._usage is not None and (
            not article.sensitive or self.config.count_sensitive_articles
        ):
            self._usage.record_soon(slug, self.session.locale)  # off the GUI thread
        self.session.open(PageRef(Page.READER, slug))

    def open_terms(self) -> None:
        self.session.open(PageRef(Page.TERMS))

    def _show(self, ref: PageRef) -> None:
        # Read aloud belongs to the card on screen: leaving it (Home, Back, A-Z, a
        # related article) silences it. Turning cards is the reader's own business.
        self._stop_speaking()
        self._set_page(self._page_widget(ref))
        self.top_bar.setVisible(ref.page is not Page.ATTRACT)
        self.top_bar.set_back_enabled(len(self.session.state.history) > 1)
        if ref.page is Page.READER:
            article = self.view.article(self.session.locale, ref.slug)
            if article is None or not article.sections:
                # Gone in this language, or its file failed its check (logged): a
                # language switch or Back must not show half an article either.
                log.warning("an article cannot be shown; going home")
                self.session.open_home()
                return
            related = [
                (slug, other.title)
                for slug in article.related
                if (other := self.view.article(self.session.locale, slug)) is not None
            ]
            banner = self.pack.info.crisis_text(article.crisis, self.session.locale)
            self.reader.show_article(
                article,
                self.pack.read_file,
                banner=banner,
                related=related,
                card=ref.card,
                review_due=self.view.flagged(article),
            )
            self.top_bar.set_title("")
        elif ref.page is Page.TERMS:
            self.top_bar.set_title(QCoreApplication.translate("MainWindow", "Health words A to Z"))
            self.terms.restore(self.session.state.search_text, self.session.state.letter)
        else:
            self.top_bar.set_title("")
        self._update_title()
        if ref.page is Page.ATTRACT:
            self.attract.setFocus()  # Enter starts; no ring on Start for a finger

    def _focus_page(self) -> QWidget | None:
        """Where the keys go when nothing else should have them: the page on screen
        (the PIN pad and the admin panel are pages too)."""
        return self.stack.currentWidget()

    def _set_page(self, page: QWidget) -> None:
        """Show one page. Only the page on screen may ask for room: a stack is as big as
        its biggest page, so the staff PIN pad (or the welcome screen at 200%) made every
        page too tall for a 1366x768 screen. A hidden page's size policy is Ignored,
        which a stack leaves out of its minimum size (qSmartMinSize)."""
        ignored = QSizePolicy.Policy.Ignored
        for index in range(self.stack.count()):
            other = self.stack.widget(index)
            if other is not None and other is not page:
                other.setSizePolicy(ignored, ignored)
        page.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.stack.setCurrentWidget(page)

    def _page_widget(self, ref: PageRef) -> QWidget:
        return {
            Page.ATTRACT: self.attract,
            Page.HOME: self.home,
            Page.READER: self.reader,
            Page.TERMS: self.terms,
        }[ref.page]

    def _update_title(self) -> None:
        # The window title says where the kiosk is, for staff tools and end-to-end tests.
        # It is never written to disk.
        ref = self.session.state.current
        where = ref.page.value
        if ref.page is Page.READER:
            count = len(self.reader.article.sections) if self.reader.article else 0
            where = f"reader {ref.slug} {self.reader.card + 1}/{count}"
        self.setWindowTitle(f"{APP_TITLE}: {where}")

    def _next_language(self) -> None:
        others = [loc for loc in self.pack.info.locales if loc != self.session.locale]
        if others:
            self.session.set_locale(others[0])

    # --- privacy ----------------------------------------------------------------------

    def start_idle_watch(self) -> None:
        self.idle_monitor.start(self)

    def _on_idle(self) -> None:
        page = self.stack.currentWidget()
        if page is self.pin_pad:
            # An abandoned PIN pad: its digits go, and the next patient starts fresh.
            self._leave_admin()
        elif page is self.admin or self.session.is_fresh():
            self.idle_monitor.poke()  # staff have their own clock; a fresh kiosk waits
        else:
            self.idle_overlay.begin()

    def _on_admin_idle(self) -> None:
        if self.stack.currentWidget() is self.admin:
            self.idle_overlay.begin(staff=True)

    def _on_warning_expired(self) -> None:
        if self.idle_overlay.for_staff:
            self._leave_admin()  # an unlocked panel left open locks itself
        else:
            self.session.reset()

    # --- read aloud -------------------------------------------------------------------

    def _ensure_speaker(self) -> None:
        if self.speaker is not None or self._make_speaker is None:
            return
        speaker = self._make_speaker()
        if not speaker.available:  # the speaker has logged why
            self._make_speaker = None
            self.settings_panel.read_aloud.hide()
            return
        speaker.setParent(self)
        speaker.speaking_changed.connect(self.reader.set_speaking)
        self.speaker = speaker

    @property
    def can_speak(self) -> bool:
        return self._make_speaker is not None or self.speaker is not None

    def test_speech(self) -> None:
        """For staff: say one sentence in the kiosk's default language."""
        self._ensure_speaker()
        if self.speaker is not None:
            self.speaker.say(
                QCoreApplication.translate("MainWindow", "This is a test of read aloud."),
                self.session.locale,
            )

    def _speak(self, text: str) -> None:
        if self.speaker is not None:
            self.speaker.say(text, self.session.locale)

    def _stop_speaking(self) -> None:
        if self.speaker is not None:
            self.speaker.stop()

    def _repeat_speaking(self) -> None:
        if self.speaker is not None:
            self.speaker.repeat()

    def _speak_idle_warning(self, seconds_left: int) -> None:
        # The warning is spoken once, when it appears, if the patient chose read aloud.
        if seconds_left == self.config.idle_warning and self.session.settings.read_aloud:
            self._speak(self.idle_overlay.spoken_text())

    def _after_reset(self) -> None:
        # Focus stays where the last patient left it (a result, a key) and would show
        # its ring to the next one: a fresh kiosk has none.
        focused = QApplication.focusWidget()
        if focused is not None and self.isAncestorOf(focused):
            focused.clearFocus()
        if self.speaker is not None:
            self.speaker.reset()
        self.idle_overlay.cancel()
        self.pack.forget_read_articles()  # nothing of what was read stays, even in memory
        self._load_content()  # between patients: a new day, or a new pack, applies now
        self.settings_panel.hide()
        self.home.reset()
        self.reader.reset()
        self.terms.reset()
        self.pin_pad.reset()
        self.idle_monitor.poke()

    # --- staff ------------------------------------------------------------------------

    @property
    def in_staff_mode(self) -> bool:
        """The PIN pad or the admin panel is up."""
        return self.stack.currentWidget() in (self.pin_pad, self.admin)

    def _open_admin(self) -> None:
        self.idle_overlay.cancel()
        self.settings_panel.hide()
        self._stop_speaking()
        self.top_bar.hide()
        self._set_page(self.pin_pad)
        self.setWindowTitle(f"{APP_TITLE}: admin pin")

    def _admin_unlocked(self) -> None:
        self.admin_idle_monitor.start(self)
        self._set_page(self.admin)
        self.admin_opened.emit()
        self.setWindowTitle(f"{APP_TITLE}: admin")

    def _cancel_pin(self) -> None:
        """Cancel on the PIN pad: back to the page the patient (or staff) was on."""
        self.pin_pad.reset()
        self._show(self.session.state.current)

    def _leave_admin(self) -> None:
        self.admin_idle_monitor.stop()
        self.idle_overlay.cancel()
        self.admin.reset()
        self.pin_pad.reset()
        self.session.reset()

    # --- Qt events --------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        self.idle_overlay.setGeometry(self.rect())
        self.settings_panel.setGeometry(self.rect())
        super().resizeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.locked:
            event.ignore()  # Alt+F4 and the window manager's close do nothing when locked
            return
        super().closeEvent(event)

    def unlock_and_close(self) -> None:
        self.locked = False
        self.close()


def show_kiosk(window: MainWindow, *, locked: bool, hide_cursor: bool) -> None:
    """Windowed for demos; locked takes the whole primary screen, frameless, on top."""
    if not locked:
        window.resize(1600, 900)
        window.show()
        return
    screen = window.screen().geometry()
    window.setWindowFlags(
        Qt.WindowType.FramelessWindowHint
        | Qt.WindowType.WindowStaysOnTopHint
        | Qt.WindowType.Window
    )
    window.setGeometry(screen)  # set from the screen: no window manager is required
    if hide_cursor:
        window.setCursor(Qt.CursorShape.BlankCursor)
    window.showFullScreen()
