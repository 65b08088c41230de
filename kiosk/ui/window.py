"""The main window: the pages, the stack and the layout. It shows; it decides nothing.

What the kiosk does (navigation, read aloud, staff mode, the idle policy, the look)
lives in small parts under ``kiosk.ui.controllers``; ``kiosk.ui.assembly`` makes them
and connects every signal in one place, so the whole flow reads there.

The window starts with what the welcome screen needs (the top bar, the stack, the
welcome page, the staff corner). Every other page is made by ``make`` (the assembly
calls it, one page per step, after the first paint), or the first time it is asked
for: a tap never waits for a page it does not need, and never finds one missing.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
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
from kiosk.core.content.pack import PackInfo
from kiosk.core.patient import Page
from kiosk.ui.screens.attract import AttractPage
from kiosk.ui.screens.staff_corner import CornerTapDetector
from kiosk.ui.session import Session
from kiosk.ui.widgets.topbar import TopBar
from kiosk.ui.windowinput import FocusRingForKeysOnly

if TYPE_CHECKING:
    from kiosk.ui.idle import IdleOverlay
    from kiosk.ui.screens.admin import AdminPanel
    from kiosk.ui.screens.home import HomePage
    from kiosk.ui.screens.pinpad import PinPad
    from kiosk.ui.screens.reader import ReaderPage
    from kiosk.ui.screens.settings import SettingsPanel
    from kiosk.ui.screens.staff import StaffSection
    from kiosk.ui.screens.terms import TermsPage

# The pages made after the first frame, in the order they are made: the order a window
# made all at once had, so the focus chain is the same. "admin" holds the staff section.
LATER_PAGES = ("home", "reader", "terms", "pin_pad", "admin", "idle_overlay", "settings_panel")
_PAGE_NAMES = {Page.HOME: "home", Page.READER: "reader", Page.TERMS: "terms"}


class MainWindow(QWidget):
    exit_requested = Signal()  # staff confirmed Exit kiosk in the admin panel
    page_made = Signal(str)  # one of LATER_PAGES now exists: the assembly wires and fills it

    def __init__(
        self,
        info: PackInfo,
        session: Session,
        config: KioskConfig,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session  # the patient this window shows (tests and tools read it)
        self.locked = config.locked
        self.setObjectName("page")
        # What a screen reader announces; the window title is for staff tools and tests.
        self.setAccessibleName(info.title)
        self._info, self._config = info, config
        self._pages: dict[str, QWidget] = {}
        self.top_bar = TopBar(self)
        self.stack = QStackedWidget(self)
        self.attract = AttractPage()
        self.stack.addWidget(self.attract)
        self.show_page(self.attract)
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
        self.corner = CornerTapDetector(self)
        FocusRingForKeysOnly(self, self.stack.currentWidget)

    # --- the pages made after the first frame -----------------------------------------

    def make(self, name: str) -> QWidget:
        """The page ``name`` (one of LATER_PAGES), made now if it is not yet."""
        page = self._pages.get(name)
        if page is not None:
            return page
        if name in ("idle_overlay", "settings_panel"):
            page = _new_overlay(name, self, self._info, self._config)
            page.setGeometry(self.rect())  # it covers the window (resizeEvent)
        else:
            page = _new_stack_page(name, self._info, self._config)
            # Hidden pages ask for no room (show_page): nor does one made while another shows.
            page.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
            self.stack.addWidget(page)
        self._pages[name] = page
        self.page_made.emit(name)
        if any(self.is_made(n) for n in LATER_PAGES[LATER_PAGES.index(name) + 1 :]):
            # Made on demand before a page that comes after it (a patient quicker than
            # the warm-up): Tab still goes through the pages in the usual order.
            roots = [self._pages[n] for n in LATER_PAGES if n in self._pages]
            _keep_tab_order(self, [self.top_bar, self.attract, *roots])
        return page

    def is_made(self, name: str) -> bool:
        return name in self._pages

    @property
    def home(self) -> HomePage:
        return self.make("home")  # type: ignore[return-value]

    @property
    def reader(self) -> ReaderPage:
        return self.make("reader")  # type: ignore[return-value]

    @property
    def terms(self) -> TermsPage:
        return self.make("terms")  # type: ignore[return-value]

    @property
    def pin_pad(self) -> PinPad:
        return self.make("pin_pad")  # type: ignore[return-value]

    @property
    def admin(self) -> AdminPanel:
        return self.make("admin")  # type: ignore[return-value]

    @property
    def staff(self) -> StaffSection:
        from kiosk.ui.screens.staff import StaffSection  # loaded by the admin panel

        return self.admin.findChild(StaffSection)  # type: ignore[return-value]

    @property
    def idle_overlay(self) -> IdleOverlay:
        return self.make("idle_overlay")  # type: ignore[return-value]

    @property
    def settings_panel(self) -> SettingsPanel:
        return self.make("settings_panel")  # type: ignore[return-value]

    # --- what is on screen ------------------------------------------------------------

    def show_pack(self, info: PackInfo) -> None:
        """Name another pack where the window names it (staff, screen readers, the Aa
        panel's languages); the pages' articles are filled by the navigator."""
        self._info = info  # for the pages not made yet
        if self.is_made("admin"):
            self.admin.set_pack(info.title, info.version)
        if self.is_made("settings_panel"):
            self.settings_panel.set_locales(info.locales)
        self.setAccessibleName(info.title)

    def page_for(self, page: Page) -> QWidget:
        if page is Page.ATTRACT:
            return self.attract
        return self.make(_PAGE_NAMES[page])  # only the page asked for is made

    def show_page(self, page: QWidget) -> None:
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

    @property
    def in_staff_mode(self) -> bool:
        """The PIN pad or the admin panel is up."""
        page = self.stack.currentWidget()
        return any(self._pages.get(name) is page for name in ("pin_pad", "admin"))

    # --- between patients -------------------------------------------------------------

    def drop_focus(self) -> None:
        """Focus stays where the last patient left it (a result, a key) and would show
        its ring to the next one: a fresh kiosk has none."""
        focused = QApplication.focusWidget()
        if focused is not None and self.isAncestorOf(focused):
            focused.clearFocus()

    def clear_pages(self) -> None:
        """Every page and panel as a fresh kiosk shows it (a page not made yet is)."""
        if self.is_made("settings_panel"):
            self.settings_panel.hide()
        for name in ("home", "reader", "terms", "pin_pad"):
            if self.is_made(name):
                self.make(name).reset()  # type: ignore[attr-defined]

    # --- Qt events --------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        for name in ("idle_overlay", "settings_panel"):
            if self.is_made(name):
                self.make(name).setGeometry(self.rect())
        super().resizeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.locked:
            event.ignore()  # Alt+F4 and the window manager's close do nothing when locked
            return
        super().closeEvent(event)

    def unlock_and_close(self) -> None:
        self.locked = False
        self.close()


def _keep_tab_order(window: QWidget, roots: list[QWidget]) -> None:
    """Tab goes through ``roots`` (parts of ``window``) in this order, and within each
    in the order it has now."""
    within: list[list[QWidget]] = [[] for _ in roots]
    widget = window.nextInFocusChain()
    while widget is not None and widget is not window:
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            at = next(
                (i for i, r in enumerate(roots) if r is widget or r.isAncestorOf(widget)), None
            )
            if at is not None:
                within[at].append(widget)
        widget = widget.nextInFocusChain()
    ordered = [widget for part in within for widget in part]
    for first, second in itertools.pairwise(ordered):
        QWidget.setTabOrder(first, second)


def _new_overlay(name: str, window: QWidget, info: PackInfo, config: KioskConfig) -> QWidget:
    # Imported here, as below: a page's module (and the Qt enums it uses) loads with it.
    if name == "idle_overlay":
        from kiosk.ui.idle import IdleOverlay

        return IdleOverlay(config.idle_warning, window)
    from kiosk.ui.screens.settings import SettingsPanel

    return SettingsPanel(info.locales, window)


def _new_stack_page(name: str, info: PackInfo, config: KioskConfig) -> QWidget:
    if name == "home":
        from kiosk.ui.screens.home import HomePage

        return HomePage()
    if name == "reader":
        from kiosk.ui.screens.reader import ReaderPage

        return ReaderPage()
    if name == "terms":
        from kiosk.ui.screens.terms import TermsPage

        return TermsPage()
    if name == "pin_pad":
        from kiosk.core.pin import PinGuard
        from kiosk.ui.screens.pinpad import PinPad

        return PinPad(PinGuard(config.admin_pin_hash))
    if name == "admin":
        from kiosk.ui.screens.admin import AdminPanel
        from kiosk.ui.screens.staff import StaffSection

        admin = AdminPanel(info.title, info.version)
        admin.add_section(StaffSection())
        return admin
    # A name that is no page is a bug; before, it fell through to the admin panel.
    raise KeyError(f"no page named {name!r}; the pages are {', '.join(LATER_PAGES)}")


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
