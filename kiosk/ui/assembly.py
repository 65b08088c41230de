"""The one composition root: a kiosk assembled from its parts, every signal wired here.

``kiosk run``, the preview, the smoke test, the tests, the benchmarks and the
screenshot script all call ``assemble_kiosk``, so each of them drives the kiosk a
patient meets. Pages signal up; the parts under ``kiosk.ui.controllers`` decide;
the window shows. The whole flow reads in ``_wire``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from PySide6.QtCore import SignalInstance

from kiosk.core.config import KioskConfig
from kiosk.core.content.pack import Pack
from kiosk.core.packs.source import ContentChoice
from kiosk.core.packs.store import Store
from kiosk.core.search.index import SearchIndex
from kiosk.core.stats import UsageCounts
from kiosk.ui.content_manager import ContentManager, WindowDisplay, connect_to_window
from kiosk.ui.controllers.idle_policy import IdlePolicy
from kiosk.ui.controllers.look import LookChanger
from kiosk.ui.controllers.navigator import Navigator
from kiosk.ui.controllers.read_aloud import ReadAloud
from kiosk.ui.controllers.staff_mode import StaffMode
from kiosk.ui.controllers.titles import WindowTitle
from kiosk.ui.screens.calm import OneMomentOverlay
from kiosk.ui.screens.staff import Fault, Part, StaffSection
from kiosk.ui.session import Session
from kiosk.ui.system.crash import log_file_problem
from kiosk.ui.system.speech import Speaker
from kiosk.ui.system.termination import QuitOnTermination
from kiosk.ui.window import MainWindow


@dataclass(frozen=True)
class StoreWatch:
    """What the kiosk needs to follow the store: the content shown now, the store, the
    keys it trusts (read afresh each time) and why the store could not be read at start."""

    shown: ContentChoice
    store: Store
    trusted_keys: Callable[[], tuple[str, ...]]
    watch: bool  # False: a folder named on the command line or in the config, shown as it is
    bundled: Path | None = None
    store_problem: str | None = None


@dataclass(frozen=True)
class KioskParts:
    """The window and the parts that make it a kiosk."""

    window: MainWindow
    session: Session
    navigator: Navigator
    read_aloud: ReadAloud
    staff_mode: StaffMode
    idle: IdlePolicy
    look: LookChanger
    title: WindowTitle
    content: ContentManager | None = None
    calm: OneMomentOverlay | None = None


def assemble_kiosk(
    pack: Pack,
    index: SearchIndex,
    config: KioskConfig,
    *,
    locale: str | None = None,
    make_speaker: Callable[[], Speaker] | None = None,
    usage: UsageCounts | None = None,
    store: StoreWatch | None = None,
    stops: QuitOnTermination | None = None,
    standalone: bool = False,
) -> KioskParts:
    """A kiosk on ``pack`` in ``locale`` (the pack's default language if None).

    ``make_speaker``: how to make the read-aloud engine (None: read aloud is not
    offered); ``usage``: where taps on articles are counted; ``store``: follow the
    store, switching packs between patients; ``standalone``: `kiosk run`'s own window,
    which closes when staff exit and shows a calm overlay after a crash; ``stops``:
    told when staff exit."""
    session = Session(locale or pack.info.default_locale)
    window = MainWindow(pack.info, session, config)
    read_aloud = ReadAloud(session, make_speaker, window)
    window.settings_panel.read_aloud.setVisible(read_aloud.can_speak)
    title = WindowTitle(window, session)
    idle = IdlePolicy(window, session, config)
    parts = KioskParts(
        window=window,
        session=session,
        navigator=Navigator(window, session, pack, index, config, usage),
        read_aloud=read_aloud,
        staff_mode=StaffMode(window, session, idle, title),
        idle=idle,
        look=LookChanger(window),
        title=title,
        calm=OneMomentOverlay(window) if standalone else None,
    )
    _wire(parts)
    _show_first(parts)
    if store is not None:
        parts = _follow_store(parts, store, usage)
    if stops is not None:
        window.exit_requested.connect(stops.stop_for_staff)
    if standalone:
        window.exit_requested.connect(window.unlock_and_close)
    return parts


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
    # Between patients, in this order: focus, voice, warning, content, pages, clock.
    s.reset_done.connect(w.drop_focus)
    s.reset_done.connect(speech.reset)
    s.reset_done.connect(idle.cancel_warning)
    s.reset_done.connect(nav.after_reset)
    s.reset_done.connect(w.clear_pages)
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
    w.settings_panel.settings_chosen.connect(s.set_settings)
    w.settings_panel.locale_chosen.connect(s.set_locale)
    w.settings_panel.closed.connect(w.settings_panel.hide)
    w.home.article_chosen.connect(nav.open_article)
    w.home.terms_chosen.connect(nav.open_terms)
    w.terms.article_chosen.connect(nav.open_article)
    w.terms.search_changed.connect(s.set_search)
    w.reader.article_chosen.connect(nav.open_article)
    w.reader.card_changed.connect(s.set_card)
    w.reader.card_changed.connect(p.title.update)
    w.reader.quick_exit.connect(s.reset)
    w.reader.home_requested.connect(s.open_home)
    w.reader.listen_requested.connect(speech.speak)
    w.reader.stop_requested.connect(speech.stop)
    w.reader.repeat_requested.connect(speech.repeat)
    speech.speaking_changed.connect(w.reader.set_speaking)
    speech.enabled_changed.connect(w.reader.set_read_aloud)
    speech.unavailable.connect(w.settings_panel.read_aloud.hide)
    idle.monitor.idle.connect(idle.on_idle)
    idle.admin_monitor.idle.connect(idle.on_admin_idle)
    idle.staff_away.connect(staff.leave)
    idle.announce.connect(speech.speak)
    w.idle_overlay.stay.connect(idle.stay)
    w.idle_overlay.expired.connect(idle.on_warning_expired)
    w.idle_overlay.tick.connect(idle.on_tick)
    w.corner.triggered.connect(staff.open_pin_pad)
    staff.opening.connect(speech.stop)
    staff.pin_cancelled.connect(nav.show_current)
    w.pin_pad.accepted.connect(staff.unlock)
    w.pin_pad.cancelled.connect(staff.cancel_pin)
    w.admin.closed.connect(staff.leave)
    w.admin.exit_requested.connect(w.exit_requested)
    if p.calm is not None:
        p.calm.finished.connect(s.reset)


def _follow_store(parts: KioskParts, store: StoreWatch, usage: UsageCounts | None) -> KioskParts:
    """Keep the kiosk on the newest good pack in the store (kiosk.ui.content_manager)."""
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
        faults=partial(surroundings_faults, parts.read_aloud, usage),
        parent=parts.window,
    )
    connect_to_window(manager, kiosk)
    return replace(parts, content=manager)


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


def surroundings_faults(read_aloud: ReadAloud, usage: UsageCounts | None) -> tuple[Fault, ...]:
    """What failed around the kiosk, besides its store: for the admin panel."""
    faults: list[Fault] = []
    if (problem := log_file_problem()) is not None:
        faults.append(Fault(Part.LOG, problem))
    if usage is not None and (problem := usage.problem) is not None:
        faults.append(Fault(Part.USAGE, problem))
    speaker = read_aloud.speaker
    if speaker is not None and speaker.failure:
        faults.append(
            Fault(Part.SPEECH if speaker.recovered else Part.SPEECH_FAILED, speaker.failure)
        )
    return tuple(faults)
