"""Which of the kiosk's texts an SSIP event is about (kiosk.core.speech.channel).

speech-dispatcher numbers each message it queues and reports events (SSIP 7xx: begin,
end, cancel, index marks) by that number, from the connection's reader thread. A
``Tracker`` knows which part of which of the kiosk's texts each number is. The message
is registered before its SPEAK is sent (``expect``) and bound to its number by the
reader itself when the server's "225" reply comes by (``queued``). The server may send
a message's first events before that reply (its speaking thread and the thread that
answers are not in step): events of a number not known yet are kept, a few, and played
once it is.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

# SSIP's event codes (speech-dispatcher's manual, "Events notification").
EVENTS = {700: "mark", 701: "begin", 702: "end", 703: "cancel"}
EARLY_EVENTS = 64  # events kept for numbers not known yet (a message's first few)


@dataclass(frozen=True)
class SpeechEvent:
    """What became of Speech ``number``. ``kind``: "queued" (the server has all of it),
    "begin" (a part began; ``part`` its index, ``detail`` its voice's locale), "word"
    (``start``, ``length`` in that part's text), "end" (the last part ended), "cancel",
    "failed" (``detail`` says why; nothing more comes of it) or "lost" (the server went
    away while speaking)."""

    kind: str
    number: int
    part: int = 0
    start: int = 0
    length: int = 0
    detail: str = ""


@dataclass(frozen=True)
class Message:
    """One queued message: ``part`` of text ``number`` (-1: a notice before it)."""

    number: int
    part: int
    last: bool
    locale: str  # of the voice that reads it


class Tracker:
    """The messages of one connection; events go to ``emit``. The worker thread calls
    ``expect`` and ``clear``, the reader thread the rest: all under one lock."""

    def __init__(self, emit: Callable[[SpeechEvent], None]) -> None:
        self._emit = emit
        self._lock = threading.Lock()
        self._messages: dict[int, Message] = {}
        self._expected: Message | None = None
        self._early: list[tuple[int, int, list[str]]] = []  # (id, code, lines), in order

    def expect(self, message: Message) -> None:
        """``message`` is the next one SPEAK sends."""
        with self._lock:
            self._expected = message

    def queued(self, message_id: int) -> None:
        """The server queued the expected message as ``message_id`` (reader thread)."""
        with self._lock:
            if self._expected is None:
                return
            self._messages[message_id] = self._expected
            self._expected = None
            early = [(code, lines) for i, code, lines in self._early if i == message_id]
            self._early = [event for event in self._early if event[0] != message_id]
        for code, lines in early:
            self.event(code, lines)

    def clear(self) -> None:
        """All cancelled: whatever they still report is stale (and would pile up)."""
        with self._lock:
            self._messages.clear()
            self._expected = None
            self._early.clear()

    def ended(self) -> None:
        """The server ended the connection: the texts it was saying are lost."""
        with self._lock:
            ongoing = sorted({m.number for m in self._messages.values()})
            self._messages.clear()
        for number in ongoing:
            self._emit(SpeechEvent("lost", number, detail="speech-dispatcher went away"))

    def event(self, code: int, lines: list[str]) -> None:
        """An SSIP event: ``lines`` are its message id, client id and (marks) the mark."""
        kind = EVENTS.get(code)
        if kind is None or not lines or not _number(lines[0]):
            return
        with self._lock:
            message = self._messages.get(int(lines[0]))
            if message is None:  # perhaps before its "225": kept for ``queued``
                self._early = [*self._early[-EARLY_EVENTS + 1 :], (int(lines[0]), code, lines)]
                return
        if kind == "mark" and len(lines) >= 3:
            start, _, length = lines[2].removeprefix("w").partition("_")
            if _number(start) and _number(length):
                self._emit(
                    SpeechEvent("word", message.number, message.part, int(start), int(length))
                )
        elif kind == "begin":
            self._emit(SpeechEvent("begin", message.number, message.part, detail=message.locale))
        elif kind == "cancel" or message.last:
            with self._lock:  # this text is done: its parts' numbers are not needed again
                for key in [k for k, m in self._messages.items() if m.number == message.number]:
                    del self._messages[key]
            self._emit(SpeechEvent(kind, message.number, message.part))


def _number(text: str) -> bool:
    return text.isascii() and text.isdigit()  # "²" is a digit to isdigit, not to int
