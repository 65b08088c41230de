"""Speech mode made for one kiosk window: what it reads, and what its keys do there."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from kiosk.core.speech.keymap import SpeechAction
from kiosk.ui.controllers.read_aloud import ReadAloud
from kiosk.ui.session import Session
from kiosk.ui.speech_mode.controller import SpeechMode
from kiosk.ui.window import MainWindow


def make_speech_mode(window: MainWindow, session: Session, read_aloud: ReadAloud) -> SpeechMode:
    """Speech mode for ``window``: the page and then the top bar, or an overlay alone;
    Back as the top bar's Back (or closing the Aa panel), and the reader's cards."""

    def roots() -> list[QWidget]:
        for name in ("idle_overlay", "settings_panel"):
            if window.is_made(name) and window.make(name).isVisible():
                return [window.make(name)]
        page = window.stack.currentWidget()
        return [page, window.top_bar] if page is not None else [window.top_bar]

    def back() -> None:
        if window.is_made("settings_panel") and window.settings_panel.isVisible():
            window.settings_panel.done_button.click()
        elif window.top_bar.isVisible():
            session.back()

    def turn(by: int) -> None:
        if window.is_made("reader") and window.stack.currentWidget() is window.reader:
            window.reader.show_next() if by > 0 else window.reader.show_previous()

    def card() -> QWidget | None:
        if window.is_made("reader") and window.stack.currentWidget() is window.reader:
            return window.reader.card_frame
        return None

    return SpeechMode(
        window,
        say=read_aloud.announce,
        stop=read_aloud.stop,
        set_voice=read_aloud.set_voice,
        roots=roots,
        card=card,
        listening=lambda: not window.in_staff_mode,
        actions={
            SpeechAction.BACK: back,
            SpeechAction.NEXT_CARD: lambda: turn(1),
            SpeechAction.PREVIOUS_CARD: lambda: turn(-1),
        },
    )
