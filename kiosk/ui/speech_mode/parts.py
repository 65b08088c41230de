"""Speech mode made for one kiosk window: what it reads, and what its keys do there."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QRect
from PySide6.QtWidgets import QWidget

from kiosk.core.speech.keymap import SpeechAction, keymap_with
from kiosk.ui.controllers.read_aloud import ReadAloud
from kiosk.ui.session import Session
from kiosk.ui.speech_mode import phrases
from kiosk.ui.speech_mode.controller import Screen, SpeechMode
from kiosk.ui.speech_mode.phrases import EMPTY_BOX, said
from kiosk.ui.window import MainWindow

log = logging.getLogger("kiosk.speech")

if TYPE_CHECKING:
    from kiosk.ui.screens.terms import TermsPage
    from kiosk.ui.speech_mode.items import ReadingItem

SUGGESTIONS_SAID = 3  # "Did you mean:" and the closest names, as many as one breath holds


class _Screen:
    """The window as speech mode sees it: what to read, and what Back, the card keys
    and an answer to the idle warning do."""

    def __init__(self, window: MainWindow, session: Session) -> None:
        self._window = window
        self._session = session

    def _up(self, name: str) -> QWidget | None:
        """The page or overlay ``name`` if it is made and showing."""
        w = self._window
        if not w.is_made(name):
            return None
        page = w.make(name)
        showing = page.isVisible() if name in ("idle_overlay", "settings_panel") else None
        if showing is None:
            showing = w.stack.currentWidget() is page
        return page if showing else None

    def roots(self) -> list[QWidget]:
        """An overlay alone; else the page, then the top bar."""
        for name in ("idle_overlay", "settings_panel"):
            if (overlay := self._up(name)) is not None:
                return [overlay]
        bar = self._window.top_bar
        page = self._window.stack.currentWidget()
        # The page's title is the bar's (A to Z...), or the article's (in the page,
        # under its crisis banner): read first, then the page (issue 15's order).
        title: list[QWidget] = [bar.title] if bar.isVisible() and bar.title.text() else []
        if self._up("reader") is not None:
            title.append(self._article_title())
        return [*title, page, bar] if page is not None else [*title, bar]

    def read_once(self) -> frozenset[QWidget]:
        titles: set[QWidget] = {self._window.top_bar.title}
        if self._window.is_made("reader"):
            titles.add(self._article_title())
        return frozenset(titles)

    def _article_title(self) -> QWidget:
        # Not at start-up: the article view's module loads Qt SVG (the first frame's cost).
        from kiosk.ui.screens.article_view import TITLE_NAME

        title = self._window.reader.findChild(QWidget, TITLE_NAME)
        assert title is not None, "the reader has an article title (ArticleView)"
        return title

    def back(self) -> None:
        if self._up("settings_panel") is not None:
            self._window.settings_panel.done_button.click()
        elif self._window.top_bar.isVisible():
            self._session.back()

    def turn(self, by: int) -> None:
        if self._up("reader") is not None:
            reader = self._window.reader
            reader.show_next() if by > 0 else reader.show_previous()

    def card(self) -> QWidget | None:
        return self._window.reader.card_frame if self._up("reader") is not None else None

    def after_choice(self, item: ReadingItem) -> str | None:
        """A key of the on-screen keyboard typed: its letter, then what the search shows
        now, as a patient typing by ear needs after each keystroke (issue 15)."""
        terms = self._terms()
        if terms is None or not terms.keyboard.isVisible():
            return None
        keys = QRect(terms.keyboard.mapTo(self._window, QPoint(0, 0)), terms.keyboard.size())
        if not keys.contains(item.rect.center()):
            return None
        return f"{item.spoken.split(',')[0]}. {self._search_says(terms)}"

    def after_typing(self) -> str | None:
        """A letter typed or deleted in the search box on a keyboard: what the box
        holds now, then what the search shows."""
        terms = self._terms()
        if terms is None:
            return None
        typed = terms.field.text().strip()
        return f"{typed}. {self._search_says(terms)}" if typed else said(EMPTY_BOX)

    def _terms(self) -> TermsPage | None:
        return self._window.terms if self._up("terms") is not None else None

    @staticmethod
    def _search_says(terms: TermsPage) -> str:
        """How many results and the first; or "No results... Did you mean:" and the
        names offered, or what to do instead."""
        results = terms.visible_results()
        if results and not terms.results.found_nothing:
            return phrases.results_found(len(results), results[0])
        heading = terms.heading.text().strip()
        offered = ", ".join(results[:SUGGESTIONS_SAID])
        words = " ".join(part for part in (heading, offered) if part)
        return words + ("" if words.endswith((".", "?", "!")) else ".")

    def answer_warning(self) -> bool:
        """Any key while "Are you still there?" shows is the patient's answer."""
        overlay = self._up("idle_overlay")
        if overlay is None or self._window.idle_overlay.for_staff:
            return False
        self._window.idle_overlay.stay_button.click()
        return True


def make_speech_mode(
    window: MainWindow,
    session: Session,
    read_aloud: ReadAloud,
    keys: tuple[tuple[str, str], ...] = (),
) -> SpeechMode:
    """Speech mode for ``window``: the page and then the top bar, or an overlay alone;
    Back as the top bar's Back (or closing the Aa panel), and the reader's cards;
    ``keys``: the rows of the key table staff changed (kiosk.toml's [speech_keys])."""
    screen = _Screen(window, session)
    mode = SpeechMode(
        window,
        Screen(
            say=read_aloud.announce,
            stop=read_aloud.stop,
            set_voice=read_aloud.set_voice,
            roots=screen.roots,
            card=screen.card,
            listening=lambda: not window.in_staff_mode,
            answers_a_question=screen.answer_warning,
            after_choice=screen.after_choice,
            after_typing=screen.after_typing,
            read_once=screen.read_once,
            actions={
                SpeechAction.BACK: screen.back,
                SpeechAction.NEXT_CARD: lambda: screen.turn(1),
                SpeechAction.PREVIOUS_CARD: lambda: screen.turn(-1),
            },
        ),
        keymap=keymap_with(dict(keys)),
    )
    read_aloud.failed.connect(_EndWhenSilent(mode).end)
    return mode


class _EndWhenSilent(QObject):
    """Speech mode ends when a text could not be said (speech-dispatcher failed): a
    curtain over the page and silence would help nobody, and hide the screen from the
    sighted. The next key starts it again, and speech is tried anew."""

    def __init__(self, mode: SpeechMode) -> None:
        super().__init__(mode)
        self._mode = mode

    def end(self, why: str) -> None:
        if self._mode.on:
            log.warning("speech mode ended: this kiosk cannot speak (%s; admin panel)", why)
            self._mode.reset()
