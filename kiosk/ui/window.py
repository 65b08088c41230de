"""The main window: the pages, the stack and the layout. It shows; it decides nothing.

What the kiosk does (navigation, read aloud, staff mode, the idle policy, the look)
lives in small parts under ``kiosk.ui.controllers``; ``kiosk.ui.assembly`` makes them
and connects every signal in one place, so the whole flow reads there.
"""

from __future__ import annotations

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
from kiosk.core.pin import PinGuard
from kiosk.ui.idle import IdleOverlay
from kiosk.ui.screens.admin import AdminPanel, CornerTapDetector
from kiosk.ui.screens.attract import AttractPage
from kiosk.ui.screens.home import HomePage
from kiosk.ui.screens.pinpad import PinPad
from kiosk.ui.screens.reader import ReaderPage
from kiosk.ui.screens.settings import SettingsPanel
from kiosk.ui.screens.staff import StaffSection
from kiosk.ui.screens.terms import TermsPage
from kiosk.ui.session import Session
from kiosk.ui.widgets.topbar import TopBar
from kiosk.ui.windowinput import FocusRingForKeysOnly


class MainWindow(QWidget):
    exit_requested = Signal()  # staff confirmed Exit kiosk in the admin panel

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
        self.top_bar = TopBar(self)
        self.stack = QStackedWidget(self)
        self.attract = AttractPage()
        self.home = HomePage()
        self.reader = ReaderPage()
        self.terms = TermsPage()
        self.pin_pad = PinPad(PinGuard(config.admin_pin_hash))
        self.admin = AdminPanel(info.title, info.version)
        self.staff = StaffSection()
        self.admin.add_section(self.staff)
        for page in (self.attract, self.home, self.reader, self.terms, self.pin_pad, self.admin):
            self.stack.addWidget(page)
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
        self.idle_overlay = IdleOverlay(config.idle_warning, self)
        self.settings_panel = SettingsPanel(info.locales, self)
        self.corner = CornerTapDetector(self)
        FocusRingForKeysOnly(self, self.stack.currentWidget)

    # --- what is on screen ------------------------------------------------------------

    def show_pack(self, info: PackInfo) -> None:
        """Name another pack where the window names it (staff, screen readers, the Aa
        panel's languages); the pages' articles are filled by the navigator."""
        self.admin.set_pack(info.title, info.version)
        self.settings_panel.set_locales(info.locales)
        self.setAccessibleName(info.title)

    def page_for(self, page: Page) -> QWidget:
        return {
            Page.ATTRACT: self.attract,
            Page.HOME: self.home,
            Page.READER: self.reader,
            Page.TERMS: self.terms,
        }[page]

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
        return self.stack.currentWidget() in (self.pin_pad, self.admin)

    # --- between patients -------------------------------------------------------------

    def drop_focus(self) -> None:
        """Focus stays where the last patient left it (a result, a key) and would show
        its ring to the next one: a fresh kiosk has none."""
        focused = QApplication.focusWidget()
        if focused is not None and self.isAncestorOf(focused):
            focused.clearFocus()

    def clear_pages(self) -> None:
        """Every page and panel as a fresh kiosk shows it."""
        self.settings_panel.hide()
        self.home.reset()
        self.reader.reset()
        self.terms.reset()
        self.pin_pad.reset()

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
