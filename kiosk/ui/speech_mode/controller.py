"""Speech mode: keys move a highlight through the screen in reading order, and each
thing is spoken with what it is and its state; Enter chooses, Back goes back, Help says
where you are and what you can do (ADA 2010 Standards 707.5; EN 301 549 5.1.3, closed
functionality; the Trace Center's EZ Access).

A key of the number keypad, Help or a volume key starts it (kiosk.core.speech.keymap
``starts_speech_mode``), with a spoken welcome; the idle reset ends it, with its volume
and rate back to the defaults. Keys the map does not name, and typing in a text box,
pass on: a physical keyboard still types in the search box.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from kiosk.core.speech.earcons import Earcon
from kiosk.core.speech.keymap import DEFAULT_KEYMAP, SpeechAction, starts_speech_mode
from kiosk.core.speech.volume import Voice
from kiosk.ui.speech_mode.cursor import Cursor
from kiosk.ui.speech_mode.phrases import (
    AS_FAR_AS_IT_GOES,
    DOES_NOTHING,
    LIKE_THIS,
    MORE_TIME,
    NOTHING_HERE,
    NOTHING_TO_CHOOSE,
    help_text,
    said,
    welcome,
)

if TYPE_CHECKING:
    from kiosk.ui.speech_mode.items import ReadingItem

Utterance = tuple[tuple[str, str], ...]  # (text, language) parts; "": the patient's

log = logging.getLogger("kiosk.speech")

# After a page changes, what it shows is read once its widgets are laid out and filled
# (the navigator fills a page in the turn that shows it).
SETTLE_MS = 0


@dataclass(frozen=True)
class Screen:
    """What speech mode needs of the kiosk around it. ``say`` speaks (text, language)
    parts one after another, "" the patient's language (False: this machine cannot
    speak); ``stop`` silences it;
    ``set_voice`` takes (volume 0..1, rate -1..1), or None for the engine's own;
    ``roots`` gives the widgets to read now, in order; ``actions`` does what is not a
    move (back, the cards); ``card``: the card on screen, if any, read from its heading
    when it turns; ``listening``: keys are speech mode's here (not on staff's screens);
    ``answers_a_question``: takes a key as the answer to a question on screen;
    ``after_choice``: what to say after choosing a thing that left the screen as it was
    (None: the thing again); ``after_typing``: what to say after a key typed into a
    text box from a keyboard; ``read_once``: widgets read as a root of their own and
    left out of the other roots (the top bar's title). ``say``'s earcon, if any, is
    played before the words (kiosk.core.speech.earcons)."""

    say: Callable[[Utterance, Earcon | None], bool]
    stop: Callable[[], None]
    set_voice: Callable[[tuple[float, float] | None], None]
    roots: Callable[[], list[QWidget]]
    actions: Mapping[SpeechAction, Callable[[], None]]
    card: Callable[[], QWidget | None] = lambda: None
    listening: Callable[[], bool] = lambda: True
    answers_a_question: Callable[[], bool] = lambda: False
    after_choice: Callable[[ReadingItem], str | None] = lambda _item: None
    after_typing: Callable[[], str | None] = lambda: None
    read_once: Callable[[], frozenset[QWidget]] = frozenset


class SpeechMode(QObject):
    """One per kiosk window (``screen``: what it needs of the kiosk around it)."""

    switched = Signal(bool)  # on, or off (the screen curtain follows)

    def __init__(
        self, window: QWidget, screen: Screen, keymap: Mapping[str, SpeechAction] = DEFAULT_KEYMAP
    ) -> None:
        super().__init__(window)
        self._window = window
        self._screen = screen
        self._stop = screen.stop
        self._voices = _VoiceSteps(screen.set_voice, self._say)
        # The next screen is read from its card, not its title; a screen or card
        # change came since the last key.
        self._from_card = self._changed = False
        self._cursor = Cursor(window, screen.roots, screen.read_once)
        self._on = False
        self._help_level = 0
        self._earcon: Earcon | None = None  # played before what is said next
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._read_new_screen)
        self._keys = _KeyListener(self, window, screen.listening, keymap)

    @property
    def on(self) -> bool:
        return self._on

    @property
    def current(self) -> ReadingItem | None:
        return self._cursor.current

    @property
    def voice(self) -> Voice:
        return self._voices.voice

    def answers_a_question(self) -> bool:
        """Take a key or a tap as the answer to a question on screen (the idle
        warning's), if one is up; in speech mode the patient hears that it worked, and
        where they are."""
        if not self._screen.answers_a_question():
            return False
        if self._on:
            self._tell(self.current, before=said(MORE_TIME))
        return True

    def explore(self, point: QPoint, *, look_again: bool) -> None:
        """Say what is under a finger at ``point``, once per thing; choose nothing
        (``look_again``: a new touch, not a drag: read the screen first)."""
        if look_again:
            self._cursor.read_screen()
        index = self._cursor.at(point)
        if index is not None and index != self._cursor.index:
            self._earcon = Earcon.MOVE
            self._tell(self._cursor.go(index, reveal=False))

    def return_to(self, item: ReadingItem | None) -> None:
        """The highlight back on ``item``, if still shown (a double tap's: see touch)."""
        self._cursor.go(self._cursor.find(item.key) if item else self._cursor.index)

    # --- starting and ending --------------------------------------------------------

    def start(self) -> None:
        """Speech mode on, with the welcome that says how to move, choose, go back and
        get help; then the screen's first thing."""
        if self._on:
            return
        self._on = True
        self._voices.start()
        self.switched.emit(True)
        self._cursor.clear()
        first, _top = self._cursor.step(1)  # from none: the first thing
        if not self._tell(first, before=welcome()):
            # A kiosk that cannot speak: a curtain over the page and silence would help
            # nobody, and hide the screen from the sighted. Nothing painted meanwhile.
            self.reset()
            log.warning("speech mode did not start: this kiosk cannot speak (admin panel)")
            return
        log.info("speech mode started")  # what is read is never logged

    def reset(self) -> None:
        """Between patients: speech mode off, its volume and rate the defaults, nothing
        highlighted."""
        self._settle.stop()
        if self._on:
            log.info("speech mode ended")  # (not started, if it could not speak)
            self.switched.emit(False)
        self._on = False
        self._voices.end()
        self._help_level = 0
        self._earcon = None
        self._cursor.clear()
        self._stop()

    def screen_changed(self) -> None:
        """A new page or overlay is up: read it from its first thing (a turn later,
        once it is filled). An article opening turns to its first card too: read from
        its title all the same."""
        self._changed = True
        self._from_card = False
        if self._on:
            self._settle.start()

    def card_turned(self) -> None:
        """Another card of the article is up: read it from its heading."""
        self._changed = True
        if self._on:
            self._from_card = True
            self._settle.start()

    def _read_new_screen(self) -> None:
        self._cursor.read_screen()
        card = self._screen.card() if self._from_card else None
        self._from_card = False
        area = QRect(card.mapTo(self._window, QPoint(0, 0)), card.size()) if card else None
        if (first := self._cursor.go(self._cursor.first_in(area))) is not None:
            self._tell(first)

    # --- actions --------------------------------------------------------------------

    def do(self, action: SpeechAction) -> None:
        """What ``action`` does in speech mode."""
        self._earcon = None
        if action is not SpeechAction.HELP:
            self._help_level = 0
        if action in (SpeechAction.NEXT, SpeechAction.PREVIOUS):
            self._step(1 if action is SpeechAction.NEXT else -1)
        elif action is SpeechAction.ACTIVATE:
            self._activate()
        elif action is SpeechAction.HELP:
            self._help()
        elif action in _VOICE_STEPS:
            self._voices.step(action)
        elif action is SpeechAction.REPEAT:
            self._tell(self.current)
        elif action is SpeechAction.STOP:
            self._stop()  # silence; the next key speaks again
        elif action in self._screen.actions:
            self._changed = False
            self._screen.actions[action]()
            if not self._changed:  # Back on the first page, Next on the last card...
                self._earcon = Earcon.NOTHING
                self._say(said(DOES_NOTHING))

    def _step(self, by: int) -> None:
        item, wrapped = self._cursor.step(by)  # past the last: "Top of the page." first
        earcon = Earcon.NOTHING if item is None else Earcon.END if wrapped else Earcon.MOVE
        self._earcon = earcon
        self._tell(item, before=said(wrapped) if wrapped else "")

    def _activate(self) -> None:
        item = self.current
        if item is None or item.activate is None:
            self._earcon = Earcon.NOTHING
            self._say(said(NOTHING_TO_CHOOSE))
            return
        self._earcon = Earcon.CHOOSE  # heard before what the choice brings
        self._changed = False
        item.activate()
        if not self._changed:  # a setting chosen, a key typed: say how it is now
            QTimer.singleShot(0, self, self._say_again)

    def _say_again(self) -> None:
        """After a choice that left the screen as it was: what it did (a key typed: the
        letter and the results), else the thing again, in its new state; if it went,
        the thing that came in its place (kiosk.ui.speech_mode.cursor)."""
        stayed = self._cursor.read_after_choice()
        item = self._cursor.go(self._cursor.index)
        if item is not None and stayed and (words := self._screen.after_choice(item)):
            self._say(words)
        elif item is not None:
            self._tell(item)

    def say_typed(self) -> None:
        """A letter typed or deleted in a text box: what the box and the search say now."""
        if (words := self._screen.after_typing()) is not None:
            self._say(words)

    def _say(self, text: str) -> bool:  # in the patient's language
        return self._speak(((text, ""),))

    def _tell(self, item: ReadingItem | None, before: str = "") -> bool:
        """``before`` (in the patient's language), then ``item`` in its own language."""
        return self._speak(utterance(item, before))

    def _speak(self, parts: Utterance) -> bool:
        # The earcon goes with the words: the engine's stop before them would cut it.
        earcon, self._earcon = self._earcon, None
        return self._screen.say(parts, earcon)

    def _help(self) -> None:
        self._help_level = min(self._help_level + 1, 2)
        where = self.current.spoken if self.current is not None else said(NOTHING_HERE)
        self._say(help_text(self._help_level, where))


class _KeyListener(QObject):
    """The keys of ``mode``'s window, while ``listening`` (not on staff's screens: a PIN
    typed on a numeric keypad stays a PIN), as ``keymap`` maps them."""

    def __init__(
        self,
        mode: SpeechMode,
        window: QWidget,
        listening: Callable[[], bool],
        keymap: Mapping[str, SpeechAction],
    ) -> None:
        super().__init__(mode)
        self._mode, self._window, self._listening, self._keymap = mode, window, listening, keymap
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not self._is_ours(watched):
            return False
        assert isinstance(event, QKeyEvent)
        mode = self._mode
        action = action_for(self._keymap, watched, event, mode.on)
        if action is None:
            if mode.on and types_in_a_field(watched, event):  # typed on a keyboard:
                QTimer.singleShot(0, mode, mode.say_typed)  # said once it is in the box
            return False
        if mode.answers_a_question():
            return True  # "Are you still there?": any key is "I'm still here"
        if not mode.on:
            mode.start()
        else:
            mode.do(action)
        return True

    def _is_ours(self, watched: QObject) -> bool:
        return (
            isinstance(watched, QWidget) and watched.window() is self._window and self._listening()
        )


def utterance(item: ReadingItem | None, before: str = "") -> Utterance:
    """``before`` then ``item`` ("Nothing here." if None) as (text, language) parts; one
    part while both are in the patient's language ("")."""
    if item is None:
        return ((f"{before} {said(NOTHING_HERE)}".strip(), ""),)
    if not item.language:
        return ((f"{before} {item.spoken}".strip(), ""),)
    return (
        ((before, ""), (item.spoken, item.language)) if before else ((item.spoken, item.language),)
    )


# What each sound key does to the voice (kiosk.core.speech.volume).
_VOICE_STEPS: dict[SpeechAction, Callable[[Voice], Voice]] = {
    SpeechAction.LOUDER: lambda v: v.louder(1),
    SpeechAction.QUIETER: lambda v: v.louder(-1),
    SpeechAction.FASTER: lambda v: v.faster(1),
    SpeechAction.SLOWER: lambda v: v.faster(-1),
}


class _VoiceSteps:
    """Speech mode's volume and rate: the defaults when it starts, a step per key (said
    "Like this." in the new voice), the engine's own when it ends."""

    def __init__(
        self, set_voice: Callable[[tuple[float, float] | None], None], say: Callable[[str], bool]
    ) -> None:
        self._set_voice, self._say = set_voice, say
        self.voice = Voice()

    def start(self) -> None:
        self.voice = Voice()
        self._set_voice((self.voice.volume, self.voice.rate))

    def end(self) -> None:
        self.voice = Voice()
        self._set_voice(None)

    def step(self, action: SpeechAction) -> None:
        voice = _VOICE_STEPS[action](self.voice)
        edge = voice == self.voice
        self.voice = voice
        self._set_voice((voice.volume, voice.rate))
        self._say(said(AS_FAR_AS_IT_GOES) if edge else said(LIKE_THIS))


def action_for(
    keymap: Mapping[str, SpeechAction], receiver: QObject, event: QKeyEvent, on: bool
) -> SpeechAction | None:
    """What ``event`` (sent to ``receiver``) does in speech mode, on or not yet
    (``on``); None: the key is not speech mode's, and does its usual work."""
    name = key_name(event)
    action = keymap.get(name) or keymap.get(key_name(event, True))
    # In speech mode the keypad is speech mode's, Num Lock on or off: its digits typed
    # into the A to Z box left a patient there with no way to move or go back.
    keypad = on and bool(event.modifiers() & Qt.KeyboardModifier.KeypadModifier)
    if action is None or (types_in_a_field(receiver, event) and not keypad):
        return None
    return action if on or starts_speech_mode(name) else None


def types_in_a_field(receiver: QObject, event: QKeyEvent) -> bool:
    """Whether ``event`` types into (or deletes from) a text box (its ``receiver``): a
    space, a "?" or a Backspace typed on a keyboard belongs to the search box, and must
    neither start speech mode nor choose."""
    if not isinstance(receiver, QLineEdit):
        return False
    erases = event.key() in (Qt.Key.Key_Backspace, Qt.Key.Key_Delete)
    return erases or (event.text().isprintable() and event.text() != "")


def key_name(event: QKeyEvent, without_shift: bool = False) -> str:
    """The key as the key map names it ("Down", "Num+2", "?"); ``without_shift``: as if
    Shift were up (a "?" is typed with Shift on most keyboards)."""
    modifiers = event.modifiers()
    if without_shift:
        modifiers &= ~Qt.KeyboardModifier.ShiftModifier
    sequence = QKeySequence(event.key() | modifiers.value)
    return sequence.toString(QKeySequence.SequenceFormat.PortableText)
