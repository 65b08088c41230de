"""The kiosk's own SSIP channel to speech-dispatcher (kiosk.core.speech.channel): against
the real server (what it queued, its events), and against servers that misbehave.

No Qt: the channel reports to a callback on its own threads; here a queue."""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import kiosk.core.speech.channel as channel
import kiosk.core.speech.ssip as ssip
from kiosk.core.speech.channel import Part, Speech, SpeechChannel, SpeechEvent, ssml
from kiosk.core.speech.voices import SynthesisVoice, best_voice, parse_voices

import speech_server
from speech_server import heard, sounds

WAIT_S = 20


class Events:
    """What a channel reported, in order."""

    def __init__(self) -> None:
        self.queue: queue.Queue[SpeechEvent] = queue.Queue()
        self.seen: list[SpeechEvent] = []

    def __call__(self, event: SpeechEvent) -> None:
        self.queue.put(event)

    def until(self, kind: str, number: int, timeout: float = WAIT_S) -> SpeechEvent:
        deadline = time.monotonic() + timeout
        while True:
            event = self.queue.get(timeout=max(0.0, deadline - time.monotonic()))
            self.seen.append(event)
            if event.kind == kind and event.number == number:
                return event


@pytest.fixture
def events() -> Events:
    return Events()


@pytest.fixture
def speaking(transcript: Path, events: Events) -> Iterator[SpeechChannel]:
    speech = SpeechChannel(events)
    yield speech
    speech.close()


# --- the real speech-dispatcher -----------------------------------------------------------


def test_parts_are_said_in_order_in_their_voices_after_the_sound(
    speaking: SpeechChannel, events: Events, transcript: Path, speech_home: Path
) -> None:
    from kiosk.core.speech.earcons import Earcon, write_earcons

    write_earcons(speech_server.earcons_folder(speech_home))
    parts = (Part("Bienvenido.", "es"), Part("Welcome.", "en"))
    speaking.speak(Speech(1, parts, sound=Earcon.MOVE.value))
    events.until("end", 1)
    begun = [(e.part, e.detail) for e in events.seen if e.kind == "begin"]
    assert begun == [(0, "es"), (1, "en_US")]
    assert heard(transcript) == ["Bienvenido.", "Welcome."]
    assert sounds(transcript) == [Earcon.MOVE.value]


def test_a_later_text_makes_the_waiting_ones_moot(
    speaking: SpeechChannel, events: Events, transcript: Path
) -> None:
    """Five keys before the server answered the first: the patient hears the fifth."""
    speaking.speak(Speech(1, (Part("First.", "en"),)))
    events.until("end", 1)
    for number in range(2, 7):
        speaking.speak(Speech(number, (Part(f"Text {number}.", "en"),)))
    events.until("end", 6)
    assert heard(transcript)[0] == "First." and heard(transcript)[-1] == "Text 6."
    assert len(heard(transcript)) < 6  # some never reached the server


def test_the_server_is_started_again_after_it_went_away(
    speaking: SpeechChannel, events: Events, transcript: Path, speech_home: Path
) -> None:
    speaking.speak(Speech(1, (Part("Before.", "en"),)))
    events.until("end", 1)
    speech_server.end(speech_home)
    speaking.speak(Speech(2, (Part("After.", "en"),)))
    events.until("end", 2)
    assert heard(transcript)[-1] == "After."


# --- servers that misbehave -------------------------------------------------------------


@pytest.fixture
def odd_server(tmp_path: Path) -> Iterator[tuple[Path, list[bytes]]]:
    """A Unix socket server whose answer to every line is the next of ``replies`` (none
    left: it says nothing)."""
    path = tmp_path / "odd.sock"
    replies: list[bytes] = []
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(str(path))
    listener.listen()

    def serve() -> None:
        with contextlib.suppress(OSError):
            conn, _ = listener.accept()
            with conn:
                while conn.recv(4096):
                    if replies:
                        conn.sendall(replies.pop(0))

    threading.Thread(target=serve, daemon=True).start()
    yield path, replies
    listener.close()


def test_a_server_that_never_answers_fails_the_text_after_the_timeout(
    odd_server: tuple[Path, list[bytes]], events: Events, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ssip, "REPLY_TIMEOUT_S", 0.3)
    path, _replies = odd_server
    speech = SpeechChannel(events, path)
    started = time.monotonic()
    speech.speak(Speech(1, (Part("Hello.", "en"),)))
    asked = time.monotonic() - started
    failed = events.until("failed", 1, timeout=5)
    assert asked < 0.05  # the caller never waits
    assert "did not answer 'SET'" in failed.detail, failed
    speech.close()


def test_a_refusal_fails_the_text_and_names_it(
    odd_server: tuple[Path, list[bytes]], events: Events
) -> None:
    path, replies = odd_server
    replies.extend([b"208 OK CLIENT NAME SET\r\n", b"510 ERR INVALID COMMAND\r\n"])
    speech = SpeechChannel(events, path)
    speech.speak(Speech(1, (Part("Hello.", "en"),)))
    failed = events.until("failed", 1, timeout=5)
    assert "refused 'SET': 510 ERR INVALID COMMAND" in failed.detail, failed
    speech.close()


def test_no_server_and_none_installed_says_what_to_install(
    tmp_path: Path, events: Events, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    assert not ssip.installed()
    speech = SpeechChannel(events, tmp_path / "none.sock")
    speech.speak(Speech(1, (Part("Hello.", "en"),)))
    failed = events.until("failed", 1, timeout=5)
    assert "not installed" in failed.detail and "speech-dispatcher-espeak-ng" in failed.detail
    speech.close()


def test_closing_never_waits_for_a_server_that_does_not_answer(
    odd_server: tuple[Path, list[bytes]], events: Events
) -> None:
    path, _replies = odd_server
    speech = SpeechChannel(events, path)
    speech.speak(Speech(1, (Part("Hello.", "en"),)))
    time.sleep(0.1)  # the worker is waiting for the server
    started = time.monotonic()
    speech.close()
    assert time.monotonic() - started <= channel.CLOSE_WAIT_S + 0.2


# --- SSML and voices --------------------------------------------------------------------


@given(st.text(max_size=80))
def test_ssml_marks_every_word_and_keeps_the_text(text: str) -> None:
    """Any text a pack holds: the SSML's words are the text's, each after a mark naming
    where it is, and markup in the text stays text."""
    out = ssml(text)
    text = channel._NOT_XML.sub(" ", text)  # no XML may hold them: spaces, one for one
    assert out.startswith("<speak>") and out.endswith("</speak>")
    import html
    import re

    marks = re.findall(r'<mark name="w(\d+)_(\d+)"/>', out)
    assert [text[int(s) : int(s) + int(n)] for s, n in marks] == text.split()
    inner = re.sub(r"<mark[^>]*/>", "", out)[len("<speak>") : -len("</speak>")]
    assert "<" not in inner and html.unescape(inner) == text


def test_the_voice_of_a_language_is_its_own_territory_and_plain() -> None:
    lines = [
        "English (Caribbean)\ten-029\tnone",
        "English (Caribbean)+Adam\ten-029\tAdam",
        "English (Great Britain)\ten-GB\tnone",
        "English (America)\ten-US\tnone",
        "Spanish (Latin America)\tes-419\tnone",
        "Spanish (Spain)\tes\tnone",
        "garbled",
    ]
    voices = parse_voices(lines)
    assert SynthesisVoice("English (Caribbean)+Adam", "en-029") not in voices
    assert best_voice(voices, "en") == SynthesisVoice("English (America)", "en-US")
    assert best_voice(voices, "en_GB") == SynthesisVoice("English (Great Britain)", "en-GB")
    assert best_voice(voices, "es") == SynthesisVoice("Spanish (Spain)", "es")
    assert best_voice(voices, "es_MX") == SynthesisVoice("Spanish (Spain)", "es")
    assert best_voice(voices, "so") is None
    assert best_voice(voices, "") is None


def test_a_reply_that_comes_too_late_ends_the_connection(
    odd_server: tuple[Path, list[bytes]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reply after its command timed out would be taken for the next command's: every
    later text out of step. The connection is dropped instead (a new one is made)."""
    monkeypatch.setattr(ssip, "REPLY_TIMEOUT_S", 0.3)
    path, _replies = odd_server
    connection = ssip.SsipConnection(path, lambda code, lines: None, lambda i: None, lambda: None)
    with pytest.raises(ssip.SsipError, match="did not answer 'CANCEL'"):
        connection.command("CANCEL self")
    assert not connection.alive
    with pytest.raises(ssip.SsipError):
        connection.command("CANCEL self")


def test_nonsense_from_the_server_fails_the_text_not_the_channel(
    odd_server: tuple[Path, list[bytes]], events: Events
) -> None:
    path, replies = odd_server
    ok = [b"208 OK CLIENT NAME SET\r\n", b"218 OK NOTIFICATION SET\r\n"]
    ok += [b"219 OK SSML MODE SET\r\n", b"202 OK PRIORITY SET\r\n"]
    replies.extend([*ok, b"251-loud\r\n251 OK GET RETURNED\r\n"])
    speech = SpeechChannel(events, path)
    speech.speak(Speech(1, (Part("Hello.", "en"),)))
    failed = events.until("failed", 1, timeout=5)
    assert "unexpected" in failed.detail, failed
    speech.speak(Speech(2, (Part("Hello.", "en"),)))  # still listening for texts
    events.until("failed", 2, timeout=10)
    speech.close()


def test_events_that_come_before_their_message_s_number_are_not_lost() -> None:
    """speech-dispatcher's speaking thread may report a message's start before the
    thread that answers says its number (seen under load on a fresh Debian root)."""
    from kiosk.core.speech.tracking import Message, Tracker

    seen: list[SpeechEvent] = []
    tracker = Tracker(seen.append)
    tracker.expect(Message(7, 0, True, "es"))
    tracker.event(701, ["12", "1", "BEGIN"])  # before its "225-12"
    tracker.event(700, ["12", "1", "w0_4", "INDEX MARK"])
    assert seen == []
    tracker.queued(12)
    tracker.event(702, ["12", "1", "END"])
    assert [(e.kind, e.number, e.detail) for e in seen] == [
        ("begin", 7, "es"),
        ("word", 7, ""),
        ("end", 7, ""),
    ]
    tracker.event(701, ["99", "1", "BEGIN"])  # someone else's, or a cancelled one's
    tracker.clear()
    tracker.expect(Message(8, 0, True, "en_US"))
    tracker.queued(99)
    assert len(seen) == 3  # what came before the clear is not replayed
