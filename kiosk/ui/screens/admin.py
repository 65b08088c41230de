"""The staff way out of the locked kiosk: a hidden corner gesture, a PIN, a panel.

Five taps in the top-left corner within three seconds open the PIN pad (see
``kiosk.ui.screens.pinpad``); the right PIN opens the administrator panel. Nothing here is
visible to a patient. Taps on a button never count (they restart the count): Home sits
in that corner, and a patient tapping Home five times must not land on a staff screen.
Staff tap the empty corner of the welcome screen, which ignores taps there.
"""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.ui.i18n import QT_TRANSLATE_NOOP
from kiosk.ui.screens.pinpad import PinPad, card_layout
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.widgets.labels import Label
from kiosk.ui.widgets.scrolling import FittingScrollArea

__all__ = ["AdminPanel", "PinPad"]


class AdminPanel(QWidget):
    """What staff see after the PIN. Later features add sections with add_section()."""

    closed = Signal()
    exit_requested = Signal()

    # Every user-visible string, marked for lupdate and translated when shown.
    TEXT: ClassVar[dict[str, str]] = {
        "heading": QT_TRANSLATE_NOOP("AdminPanel", "Administrator"),
        "pack": QT_TRANSLATE_NOOP("AdminPanel", "Content: {title}, content version {version}"),
        "back": QT_TRANSLATE_NOOP("AdminPanel", "Back to patient screen"),
        "exit": QT_TRANSLATE_NOOP("AdminPanel", "Exit kiosk"),
        "exit_description": QT_TRANSLATE_NOOP(
            "AdminPanel", "Closes the kiosk and returns to the computer's desktop"
        ),
        "panel_name": QT_TRANSLATE_NOOP("AdminPanel", "Administrator panel"),
        "confirm": QT_TRANSLATE_NOOP(
            "AdminPanel",
            "Exit the kiosk? Patients see a blank screen until it starts again.",
        ),
        "confirm_yes": QT_TRANSLATE_NOOP("AdminPanel", "Yes, exit the kiosk"),
        "confirm_no": QT_TRANSLATE_NOOP("AdminPanel", "No, stay"),
    }

    def __init__(self, pack_title: str, pack_version: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")  # pages paint the theme background
        self.setAccessibleName(self._t("panel_name"))
        layout = card_layout(self, "admin-card", 880)
        heading = Label(self._t("heading"), self)
        heading.setProperty("role", "page-title")
        heading.setAccessibleName(heading.text())
        self._pack = Label(self)
        self._pack.setObjectName("admin-pack")
        self._pack.setWordWrap(True)
        layout.addWidget(heading)
        layout.addWidget(self._pack)
        # What sections say can outgrow a small screen (a long list of problems at
        # 1366x768): it scrolls, and Back and Exit stay on screen below it.
        body = QWidget(self)
        body.setObjectName("admin-body")
        self._sections = QVBoxLayout(body)
        self._sections.setContentsMargins(0, 0, 0, 0)
        self._sections.setSpacing(16)
        self.body = FittingScrollArea(body, self)
        layout.addWidget(self.body, 1)
        layout.addSpacing(16)
        self._back = TouchButton(self._t("back"), self, role="primary")
        self._back.setObjectName("admin-back")
        self._back.clicked.connect(self.closed)
        self._exit = TouchButton(
            self._t("exit"), self, role="danger", description=self._t("exit_description")
        )
        self._exit.setObjectName("admin-exit")
        self._exit.clicked.connect(self._ask_to_exit)
        # Exit is one tap from Back: a slip must not close the kiosk, so it asks first.
        self._confirm = QWidget(self)
        self._confirm_text = Label(self._t("confirm"), self._confirm)
        self._confirm_text.setWordWrap(True)
        self._confirm_text.setProperty("role", "banner-text")
        self.confirm_exit = TouchButton(self._t("confirm_yes"), self._confirm, role="danger")
        self.confirm_exit.setObjectName("admin-exit-yes")
        self.confirm_exit.clicked.connect(self.exit_requested)
        self._stay = TouchButton(self._t("confirm_no"), self._confirm, role="primary")
        self._stay.setObjectName("admin-exit-no")
        self._stay.clicked.connect(self.reset)
        confirm_layout = QVBoxLayout(self._confirm)
        confirm_layout.setContentsMargins(0, 0, 0, 0)
        confirm_layout.setSpacing(16)
        confirm_layout.addWidget(self._confirm_text)
        confirm_layout.addWidget(self._stay)
        confirm_layout.addWidget(self.confirm_exit)
        self._confirm.hide()
        layout.addWidget(self._back)
        layout.addSpacing(16)  # keep the red button a clear step away from Back
        layout.addWidget(self._exit)
        layout.addWidget(self._confirm)
        self.set_pack(pack_title, pack_version)

    def _t(self, key: str, **values: object) -> str:
        return QCoreApplication.translate("AdminPanel", self.TEXT[key]).format(**values)

    def _ask_to_exit(self) -> None:
        self._back.hide()
        self._exit.hide()
        self._confirm.show()
        self._stay.setFocus()  # Enter on a keypad answers "No"

    @property
    def asking_to_exit(self) -> bool:
        return self._confirm.isVisibleTo(self)

    def reset(self) -> None:
        """Back to the panel as it opens: no question pending."""
        self._confirm.hide()
        self._back.show()
        self._exit.show()

    @property
    def pack_text(self) -> str:
        return self._pack.text()

    def set_pack(self, title: str, version: int) -> None:
        self._pack.setText(self._t("pack", title=title, version=version))
        self._pack.setAccessibleName(self._pack.text())

    def add_section(self, widget: QWidget) -> None:
        """Add a block (e.g. a titled QFrame) above the Back and Exit buttons."""
        self._sections.addWidget(widget, 0, Qt.AlignmentFlag.AlignTop)
        self.body.updateGeometry()
