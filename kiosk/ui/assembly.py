"""The one composition root: a kiosk assembled from its parts, every signal wired here.

``kiosk run``, the preview, the smoke test, the tests, the benchmarks and the
screenshot script all call ``assemble_kiosk``, so each of them drives the kiosk a
patient meets. Pages signal up; the parts under ``kiosk.ui.controllers`` decide;
the window shows. The whole flow reads in ``_wire`` and ``_wire_page``.

``kiosk run`` paints its welcome screen first (kiosk.ui.first_frame) and calls this
once it has painted; the other pages, the read-aloud engine, the store's watch and the
search tables are then made in short steps while it shows (``_later``,
kiosk.ui.controllers.warm_up). Every other caller gets the whole kiosk at once."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, SignalInstance

from kiosk.core.config import KioskConfig
from kiosk.core.content.pack import Pack
from kiosk.core.packs.source import StoreWatch
from kiosk.core.search.index import SearchIndex
from kiosk.core.stats import UsageCounts
from kiosk.ui.controllers.faults import surroundings_faults
from kiosk.ui.controllers.idle_policy import IdlePolicy
from kiosk.ui.controllers.look import LookChanger
from kiosk.ui.controllers.navigator import Navigator
from kiosk.ui.controllers.read_aloud import MakeSpeaker, ReadAloud
from kiosk.ui.controllers.staff_mode import StaffMode
from kiosk.ui.controllers.studio_launch import StudioLauncher, offer_studio
from kiosk.ui.controllers.titles import WindowTitle
from kiosk.ui.controllers.warm_up import Step, WarmUp
from kiosk.ui.i18n import Translations
from kiosk.ui.screens.calm import OneMomentOverlay
from kiosk.ui.session import Session
from kiosk.ui.speech_mode.controller import SpeechMode
from kiosk.ui.speech_mode.curtain import Curtain
from kiosk.ui.speech_mode.parts import make_speech_mode
from kiosk.ui.speech_mode.touch import TouchExplorer
from kiosk.ui.system.headset import follow_headset
from kiosk.ui.system.memory import drop_cached_pixmaps
from kiosk.ui.system.termination import QuitOnTermination
from kiosk.ui.theme import load_fonts
from kiosk.ui.window import LATER_PAGES, MainWindow

if TYPE_CHECKING:
    from kiosk.ui.content_manager import ContentManager
    from kiosk.ui.screens.staff import StaffSection


STORE_WATCH = "store watch"  # the warm-up's step that starts following the store


class Painted(Protocol):
    """A welcome screen painted before the parts (kiosk.ui.first_frame.FirstFrame):
    its session, window, warm-up and interface words become the kiosk's."""

    session: Session
    window: MainWindow
    warm_up: WarmUp
    translations: Translations


@dataclass
class KioskParts:
    """The window and the parts that make it a kiosk. ``content`` is set when the
    store's watch starts (at once, or after the first frame: see ``warm_up``)."""

    window: MainWindow
    session: Session
    navigator: Navigator
    read_aloud: ReadAloud
    staff_mode: StaffMode
    idle: IdlePolicy
    look: LookChanger
    title: WindowTitle
    warm_up: WarmUp
    speech_mode: SpeechMode
    content: ContentManager | None = None
    calm: OneMomentOverlay | None = None
    studio: StudioLauncher | None = None  # the admin panel's "Edit articles" (standalone)


def assemble_kiosk(
    pack: Pack,
    index: SearchIndex,
    config: KioskConfig,
    *,
    locale: str | None = None,
    make_speaker: MakeSpeaker | None = None,
    find_speaker: Callable[[], MakeSpeaker | None] | None = None,
    usage: UsageCounts | None = None,
    store: StoreWatch | None = None,
    stops: QuitOnTermination | None = None,
    standalone: bool = False,
    own_look: bool = False,
    first: Painted | None = None,
) -> KioskParts:
    """A kiosk on ``pack`` in ``locale`` (the pack's default language if None).

    ``make_speaker``: how to make the read-aloud engine (None: no read aloud);
    ``find_speaker``: looks for one when first needed, instead; ``usage``: where taps
    on articles are counted; ``store``: follow the store, switching packs between
    patients; ``standalone``: `kiosk run`'s own window, which closes when staff exit and
    shows a calm overlay after a crash; ``stops``: told when staff exit; ``own_look``:
    the look on the window, not the application (the studio's preview); ``first``: the
    welcome screen, painted (its session, window, warm-up and words are the kiosk's)."""
    if first is None:
        session = Session(locale or pack.info.default_locale)
        window = MainWindow(pack.info, session, config)
        warm_up = WarmUp(window)
    else:
        session, window, warm_up = first.session, first.window, first.warm_up
    read_aloud = ReadAloud(session, make_speaker, window, find_speaker=find_speaker)
    title = WindowTitle(window, session)
    speech_mode = make_speech_mode(window, session, read_aloud, config.speech_keys)
    idle = IdlePolicy(window, session, config, speech_mode_on=lambda: speech_mode.on)
    parts = KioskParts(
        window=window,
        session=session,
        navigator=Navigator(window, session, pack, index, config, usage),
        read_aloud=read_aloud,
        staff_mode=StaffMode(window, session, idle, title),
        idle=idle,
        look=LookChanger(window, first.translations if first else None, own_look=own_look),
        title=title,
        calm=OneMomentOverlay(window) if standalone else None,
        studio=StudioLauncher(config.source, window) if standalone else None,
        warm_up=warm_up,
        speech_mode=speech_mode,
    )
    _wire(parts)
    touch = TouchExplorer(window, speech_mode)
    session.reset_done.connect(touch.reset)
    if config.speech_curtain:
        curtain = Curtain(window)
        speech_mode.switched.connect(curtain.follow)
        session.locale_changed.connect(curtain.retranslate)
        parts.staff_mode.opening.connect(partial(curtain.staff, True))
        parts.staff_mode.pin_cancelled.connect(partial(curtain.staff, False))
        session.reset_done.connect(partial(curtain.staff, False))  # staff left
    page_made = _PageMade(parts, window)
    window.page_made.connect(page_made.bring_up)
    for name in LATER_PAGES:  # made before the parts (first frame): wired and filled now
        if window.is_made(name):
            page_made.bring_up(name)
    _show_first(parts)
    if stops is not None:
        window.exit_requested.connect(stops.stop_for_staff)
    if standalone:
        window.exit_requested.connect(window.unlock_and_close)
    warm_up.add(_later(parts, store, usage, warm=first is not None))
    if config.speech_on_headset:  # kiosk.ui.system.headset
        headset = partial(follow_headset, speech_mode.start, window, lambda: window.in_staff_mode)
        warm_up.add([("headset", headset)])
    if first is None:
        warm_up.run_now()  # else it runs already, a step per turn of the event loop
    return parts


def _later(
    parts: KioskParts, store: StoreWatch | None, usage: UsageCounts | None, warm: bool
) -> list[Step]:
    """What the welcome screen does not need, in the order it is made: the pages (each
    wired and filled as it is made: _PageMade), the read-aloud engine, the store's
    watch, and (``warm``) what the first search and article would wait for."""
    pages = [(name, partial(parts.window.make, name)) for name in LATER_PAGES]
    assert pages[-1][0] == "settings_panel"
    steps: list[Step] = [
        ("fonts", load_fonts),  # the easier-to-read one (kiosk.ui.theme)
        ("top bar icons", parts.window.top_bar.draw_icons),  # hidden on the welcome screen
        *pages[:-1],
        ("speech", parts.read_aloud.find_engine),  # the Aa panel asks: offer read aloud?
        pages[-1],
        ("lists again", partial(_fill_again, parts)),
    ]
    if store is not None:
        steps.append((STORE_WATCH, partial(_follow_store, parts, store, usage)))
    if warm:  # what the first search and the first article would wait for
        steps.append(("search tables", partial(_warm_index, parts.navigator)))
        for module in ("kiosk.core.content.markdown", "segno"):
            steps.append((module, partial(importlib.import_module, module)))
    return steps


def _fill_again(parts: KioskParts) -> None:
    """Home's cards and the A-Z list made again once every page exists, as every reset
    makes them: made with their page, they came before the later pages in the focus
    chain, and Tab went from them to the Aa panel in another order than after a reset.
    Not under a patient's finger: only while the kiosk is fresh."""
    if parts.session.is_fresh():
        for name in ("home", "terms"):
            parts.navigator.fill(name)


def _warm_index(navigator: Navigator) -> None:
    navigator.index.warm()  # the index shown then: a new pack may have come meanwhile


class _PageMade(QObject):
    """A page made after the first frame: wired, filled, and in the look and language
    the pages made with the window have."""

    def __init__(self, parts: KioskParts, parent: QObject) -> None:
        super().__init__(parent)
        self._parts = parts

    def bring_up(self, name: str) -> None:
        p = self._parts
        _wire_page(p, name)
        p.look.bring_up(name)
        p.navigator.fill(name)
        if name == "reader":
            p.window.reader.set_read_aloud(p.read_aloud.enabled)
        elif name == "settings_panel":
            p.window.settings_panel.read_aloud.setVisible(p.read_aloud.can_speak)
        elif name == "admin":
            p.warm_up.run_early(STORE_WATCH)  # the panel shows what the store holds


def _show_first(parts: KioskParts) -> None:
    """The session's look and language, as a change of either applies them."""
    parts.look.apply(parts.session.settings)
    parts.read_aloud.apply(parts.session.settings)
    parts.look.use_language(parts.session.locale)
    parts.navigator.refresh()


def _wire(p: KioskParts) -> None:
    """Every connection between the pages, the session and the parts, in one place.
    Where several slots share a signal, they run in the order connected here."""
    s, w, nav, speech, staff, idle = (
        p.session,
        p.window,
        p.navigator,
        p.read_aloud,
        p.staff_mode,
        p.idle,
    )
    s.page_changed.connect(nav.show)
    nav.leaving_page.connect(speech.stop)
    nav.shown.connect(p.title.update)
    nav.shown.connect(p.speech_mode.screen_changed)
    # Between patients, in this order: focus, voice, warning, content, pages, cached
    # pixmaps, clock.
    s.reset_done.connect(w.drop_focus)
    s.reset_done.connect(speech.reset)
    s.reset_done.connect(p.speech_mode.reset)
    s.reset_done.connect(idle.cancel_warning)
    s.reset_done.connect(nav.after_reset)
    s.reset_done.connect(w.clear_pages)
    s.reset_done.connect(drop_cached_pixmaps)
    s.reset_done.connect(idle.poke)
    s.locale_changed.connect(speech.stop)  # the card was being read in the other language
    s.locale_changed.connect(p.look.use_language)
    s.locale_changed.connect(nav.refresh)
    s.settings_changed.connect(p.look.apply)
    s.settings_changed.connect(speech.apply)
    w.attract.started.connect(s.open_home)
    w.top_bar.home_clicked.connect(s.open_home)
    w.top_bar.back_clicked.connect(s.back)
    w.top_bar.language_clicked.connect(nav.next_language)
    w.top_bar.settings_clicked.connect(nav.open_settings)
    idle.monitor.idle.connect(idle.on_idle)
    idle.admin_monitor.idle.connect(idle.on_admin_idle)
    idle.staff_away.connect(staff.leave)
    idle.announce.connect(speech.speak)
    w.corner.triggered.connect(staff.open_pin_pad)
    staff.opening.connect(speech.stop)
    staff.pin_cancelled.connect(nav.show_current)
    if p.calm is not None:
        p.calm.finished.connect(s.reset)


def _wire_page(p: KioskParts, name: str) -> None:
    """The connections of a page made after the first frame (kiosk.ui.window's names),
    made as it is made."""
    s, w, nav, speech, staff, idle = (
        p.session,
        p.window,
        p.navigator,
        p.read_aloud,
        p.staff_mode,
        p.idle,
    )
    if name == "settings_panel":
        w.settings_panel.settings_chosen.connect(s.set_settings)
        w.settings_panel.locale_chosen.connect(s.set_locale)
        w.settings_panel.closed.connect(w.settings_panel.hide)
        w.settings_panel.closed.connect(p.speech_mode.screen_changed)
        w.top_bar.settings_clicked.connect(p.speech_mode.screen_changed)
        speech.unavailable.connect(w.settings_panel.read_aloud.hide)
    elif name == "home":
        w.home.article_chosen.connect(nav.open_article)
        w.home.terms_chosen.connect(nav.open_terms)
    elif name == "terms":
        w.terms.article_chosen.connect(nav.open_article)
        w.terms.search_changed.connect(s.set_search)
    elif name == "reader":
        w.reader.article_chosen.connect(nav.open_article)
        w.reader.card_changed.connect(s.set_card)
        w.reader.card_changed.connect(p.title.update)
        w.reader.card_changed.connect(p.speech_mode.card_turned)
        w.reader.quick_exit.connect(s.reset)
        w.reader.home_requested.connect(s.open_home)
        w.reader.listen_requested.connect(speech.speak)
        w.reader.stop_requested.connect(speech.stop)
        w.reader.repeat_requested.connect(speech.repeat)
        speech.speaking_changed.connect(w.reader.set_speaking)
        speech.saying_word.connect(w.reader.follow.word)
        speech.following_ended.connect(w.reader.follow.clear)
        speech.enabled_changed.connect(w.reader.set_read_aloud)
    elif name == "idle_overlay":
        w.idle_overlay.stay.connect(idle.stay)
        w.idle_overlay.expired.connect(idle.on_warning_expired)
        w.idle_overlay.tick.connect(idle.on_tick)
    elif name == "pin_pad":
        w.pin_pad.accepted.connect(staff.unlock)
        w.pin_pad.cancelled.connect(staff.cancel_pin)
    elif name == "admin":
        w.admin.closed.connect(staff.leave)
        w.admin.exit_requested.connect(w.exit_requested)
        offer_studio(p.studio, staff, w.staff)


def _follow_store(parts: KioskParts, store: StoreWatch, usage: UsageCounts | None) -> None:
    """Keep the kiosk on the newest good pack in the store (kiosk.ui.content_manager)."""
    from kiosk.ui.content_manager import ContentManager, WindowDisplay, connect_to_window

    kiosk = _KioskForContent(parts)
    display = WindowDisplay(kiosk)
    manager = ContentManager(
        display,
        display,
        store.shown,
        store.store,
        store.trusted_keys,
        usage,
        watch=store.watch,
        bundled=store.bundled,
        store_problem=store.store_problem,
        faults=partial(surroundings_faults, parts.read_aloud, usage, store.fleet),
        parent=parts.window,
    )
    connect_to_window(manager, kiosk)
    parts.content = manager


class _KioskForContent:
    """The window and its parts as the content manager sees a kiosk
    (kiosk.ui.content_manager.KioskWindow)."""

    def __init__(self, parts: KioskParts) -> None:
        self._parts = parts

    @property
    def session(self) -> Session:
        return self._parts.session

    @property
    def staff(self) -> StaffSection:
        return self._parts.window.staff

    @property
    def admin_opened(self) -> SignalInstance:
        return self._parts.staff_mode.admin_opened

    @property
    def in_staff_mode(self) -> bool:
        return self._parts.window.in_staff_mode

    @property
    def can_speak(self) -> bool:
        return self._parts.read_aloud.can_speak

    def replace_content(self, pack: Pack, index: SearchIndex) -> None:
        self._parts.navigator.replace_content(pack, index)

    def test_speech(self) -> None:
        self._parts.read_aloud.test_speech()
