"""The reader's footer: Previous, "2 of 6" with dots, and Next (Home on the last card)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QWidget

from kiosk.ui.theme import Theme, keep_kiosk_font
from kiosk.ui.widgets.buttons import TouchButton
from kiosk.ui.widgets.flow import ButtonFlow
from kiosk.ui.widgets.icons import themed_icon
from kiosk.ui.widgets.progress import CardProgress


class CardFooter(QObject):
    """Previous, the card's place, and Next or (on the last card) Home, in one row that
    wraps rather than cutting words off (``flow``)."""

    def __init__(self, page: QWidget) -> None:
        super().__init__(page)
        self.previous_button = TouchButton(role="secondary")
        self.next_button = TouchButton(role="primary")
        self.home_button = TouchButton(role="primary")
        self.progress = CardProgress(page)
        self.flow = ButtonFlow(page)
        self.flow.set_parts(
            [self.previous_button],
            self.progress,
            [self.home_button, self.next_button],
        )
        # Previous and Next keep the kiosk's font in the easier-to-read mode, as the
        # top bar does: in OpenDyslexic at 200% the footer took two rows of a 768 px
        # screen, and the card was left three lines.
        keep_kiosk_font(self.flow)
        self.next_button.setLayoutDirection(Qt.LayoutDirection.RightToLeft)  # icon after text

    def retranslate(self) -> None:
        for button, label in (
            (self.previous_button, QCoreApplication.translate("ReaderPage", "Previous")),
            (self.next_button, QCoreApplication.translate("ReaderPage", "Next")),
            (self.home_button, QCoreApplication.translate("ReaderPage", "Home")),
        ):
            button.setText(label)
            button.setAccessibleName(label)

    def restyle(self, theme: Theme) -> None:
        self.previous_button.setIcon(themed_icon("previous", theme.colors["on_secondary"]))
        self.next_button.setIcon(themed_icon("next", theme.colors["on_primary"]))
        self.home_button.setIcon(themed_icon("home", theme.colors["on_primary"]))

    def show_position(self, card: int, count: int) -> None:
        """At card ``card`` of ``count``: no Previous on the first, Home for Next on the
        last."""
        last = card == count - 1
        self.progress.show_position(card, count)
        self.previous_button.setEnabled(card > 0)
        self.next_button.setVisible(not last)
        self.home_button.setVisible(last)
