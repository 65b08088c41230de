"""Speech mode end to end (issue 15): the real `kiosk run --kiosk` on a real X server,
driven with key presses only (xdotool), and what reached speech-dispatcher read from its
own log, in order. A blind patient goes from the welcome screen to the second card of
Heart Attack, to the A-Z browser, types "hart" on the on-screen keyboard, opens Heart
Failure from the results spoken after the last key, and goes back home; once in English
and once in Spanish. A second walk explores by touch (xdotool drags) and chooses with a
double tap. The transcripts are saved in build/e2e/ (the issue's note quotes them).
"""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from e2e.xserver import Desktop, missing_tools, xvfb

from kiosk.core.speech.earcons import Earcon

import speech_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "build" / "e2e"
TITLE = "Clinic kiosk"
SPOKEN_WITHIN_S = 15  # a key to its words in speech-dispatcher's log, on a loaded CI
QUIET_S = 0.25  # no new message for this long: all that one key made the kiosk say
MOST_MOVES = 80  # Down presses to reach a thing; more means it is not on the screen


@dataclass(frozen=True)
class Words:
    """What the walk listens for, in one language (the kiosk's translations)."""

    locale: str
    welcome: str
    home_title: str
    start: str
    heart_attack: str
    a_to_z: str
    type_a_word: str
    heart_failure: str
    button: str
    heading: str
    results: str  # after the last letter: "4 results. First: Heart Attack."


ENGLISH = Words(
    locale="en",
    welcome="Speech mode is on. Press Down and Up to move",
    home_title="Health information, heading",
    start="Start / Empezar, button",
    heart_attack="Heart Attack",
    a_to_z="Health words A to Z",
    type_a_word="Type a word",
    heart_failure="Heart Failure",
    button=", button",
    heading=", heading",
    results="t. 4 results. First: Heart Attack.",
)
SPANISH = Words(
    locale="es",
    welcome="El modo de voz está activado.",
    home_title="Información de salud, encabezado",
    start="Start / Empezar, botón",  # the welcome names Start in every language, the same way
    heart_attack="Ataque al corazón",
    a_to_z="Palabras de salud de la A a la Z",
    type_a_word="Escribir",
    heart_failure="Insuficiencia cardíaca",
    button=", botón",
    heading=", encabezado",
    results="t. 4 resultados. El primero: Ataque al corazón.",
)


@pytest.fixture(scope="module")
def desktop() -> Iterator[Desktop]:
    missing = missing_tools()
    assert not missing, f"end-to-end tests need {missing}: run 'make test' (it installs them)"
    with xvfb() as display:
        yield Desktop(display)


class Listener:
    """A private speech-dispatcher that logs each message it queues (tests/speech_server.py);
    the kiosk's Qt engine spawns it through SPEECHD_ADDRESS, and plays the earcons the
    kiosk writes to its data folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.socket = speech_server.prepare(root, log_level=5)
        self.log = speech_server.log_of(root)
        self.env = speech_server.environment(root)

    def heard(self) -> list[str]:
        """The texts speech-dispatcher queued, in order."""
        return speech_server.heard(self.log)

    def queued(self) -> list[str]:
        """The texts and the earcons, in order."""
        return speech_server.queued(self.log)

    def end(self) -> None:
        speech_server.end(self.root)


class Walk:
    """Keys pressed on the kiosk, each waited for until speech-dispatcher has queued
    what it made the kiosk say."""

    def __init__(self, desktop: Desktop, listener: Listener) -> None:
        self.desktop, self.listener = desktop, listener

    def press(self, key: str) -> str:
        """What was queued after ``key`` (an X keysym: Down, KP_Down, Return): its
        messages joined, once no new one has come for QUIET_S (a line in another
        language is a message of its own, sent when the one before it ends)."""
        before = len(self.listener.heard())
        self.desktop.key(key)
        deadline = time.monotonic() + SPOKEN_WITHIN_S
        count, quiet_since = before, time.monotonic()
        while time.monotonic() < deadline:
            heard = self.listener.heard()
            if len(heard) != count:
                count, quiet_since = len(heard), time.monotonic()
            elif count > before and time.monotonic() - quiet_since > QUIET_S:
                return " ".join(heard[before:])
            time.sleep(0.05)
        raise AssertionError(f"nothing spoken within {SPOKEN_WITHIN_S} s of {key}")

    def down_to(self, starts: str, key: str = "Down") -> str:
        """Down (or ``key``) until the thing said starts with ``starts``."""
        for _ in range(MOST_MOVES):
            said = self.press(key)
            if said.startswith(starts):
                return said
        raise AssertionError(f"{starts!r} not reached in {MOST_MOVES} moves")

    def title(self, contains: str) -> str:
        return self.desktop.wait_for_title(TITLE, contains)


@pytest.fixture
def listener(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Listener]:
    """The private speech-dispatcher; what it heard is kept in build/e2e/ afterwards,
    passed or failed, named after the test."""
    heard = Listener(tmp_path_factory.mktemp("speechd"))
    yield heard
    heard.end()
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"\W+", "-", request.node.name).strip("-")
    (SHOTS / f"{name}.txt").write_text("\n".join(heard.queued()) + "\n", "utf-8")


def start_kiosk(
    desktop: Desktop, listener: Listener, tmp_path: Path, locale: str
) -> subprocess.Popen[bytes]:
    """The real `kiosk run --kiosk`, starting in ``locale``, its voice ``listener``."""
    config = tmp_path / "kiosk.toml"
    config.write_text(f'default_locale = "{locale}"\n', encoding="utf-8")
    env = {
        **desktop.env,
        **listener.env,
        "QT_QPA_PLATFORM": "xcb",
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "kiosk", "run", "--kiosk", "--config", str(config)],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


StartKiosk = Callable[[str], subprocess.Popen[bytes]]  # a locale: the kiosk, painted


@pytest.fixture
def kiosk_in(desktop: Desktop, listener: Listener, tmp_path: Path) -> Iterator[StartKiosk]:
    started: list[subprocess.Popen[bytes]] = []

    def start(locale: str) -> subprocess.Popen[bytes]:
        process = start_kiosk(desktop, listener, tmp_path, locale)
        started.append(process)
        desktop.wait_for_title(TITLE, "attract")
        time.sleep(1.0)  # the first paint, and the warm-up after it
        return process

    yield start
    for process in started:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.mark.parametrize("words", [ENGLISH, SPANISH], ids=["en", "es"])
def test_keys_alone_take_a_blind_patient_through_an_article_and_a_search(
    desktop: Desktop, listener: Listener, kiosk_in: StartKiosk, words: Words
) -> None:
    process = kiosk_in(words.locale)
    walk = Walk(desktop, listener)

    # The keypad's 2 (Num Lock off: its Down) starts speech mode, with its welcome.
    first = walk.press("KP_Down")
    assert first.startswith(words.welcome), first
    walk.down_to(words.start)
    assert walk.press("Return") == words.home_title
    walk.title(": home")

    walk.down_to(words.heart_attack + words.button)
    assert walk.press("Return") == words.heart_attack + words.heading
    walk.title("reader heart-attack 1/")
    second_card = walk.press("Right")  # the second card, read from its heading
    walk.title("reader heart-attack 2/")
    assert second_card.endswith(words.heading), second_card
    walk.press("BackSpace")
    walk.title(": home")

    walk.down_to(words.a_to_z + words.button)
    walk.press("Return")
    walk.title(": terms")
    walk.down_to(words.type_a_word + words.button)
    walk.press("Return")  # the on-screen keyboard opens
    said = ""
    for letter in "hart":
        walk.down_to(f"{letter}{words.button}")
        said = walk.press("Return")
        assert said.startswith(f"{letter}. "), said
    assert said == words.results, said

    walk.down_to(words.heart_failure + words.button)
    assert walk.press("Return") == words.heart_failure + words.heading
    walk.title("reader heart-failure 1/")
    walk.press("BackSpace")
    walk.title(": terms")
    walk.press("KP_Insert")  # the keypad's 0, Back (Backspace types in the search box)
    walk.title(": home")
    assert walk.listener.heard()[-1] == words.home_title
    assert process.poll() is None

    heard = listener.heard()
    unnamed = [said for said in heard if said.startswith(",") or said.strip() == ""]
    assert unnamed == [], unnamed
    # Each move and choice was heard as its earcon first, played from its file (a sound
    # icon speech-dispatcher cannot find is spoken as its name instead).
    queued = listener.queued()
    moved_to_start = queued.index(words.start)
    assert queued[moved_to_start - 1] == Earcon.MOVE.value, queued[: moved_to_start + 1]
    opened = queued.index(words.heart_attack + words.heading)
    assert queued[opened - 1] == Earcon.CHOOSE.value, queued[opened - 3 : opened + 1]
    played = speech_server.played(listener.log)
    assert {Earcon.MOVE.value, Earcon.CHOOSE.value} <= set(played), played
    assert not any("kiosk-" in said for said in heard)


def explore_to(desktop: Desktop, listener: Listener, x: int, starts: str) -> str:
    """A finger put down at the top of the screen at ``x`` and dragged down slowly,
    lifted once what is under it starts with ``starts``."""
    desktop.xdotool("mousemove", str(x), "120")
    desktop.xdotool("mousedown", "1")
    try:
        for y in range(120, 1060, 12):
            desktop.xdotool("mousemove", str(x), str(y))
            time.sleep(0.06)
            heard = listener.heard()
            if heard and heard[-1].startswith(starts):
                return heard[-1]
        raise AssertionError(f"{starts!r} not heard under a finger at x={x}: {heard[-3:]}")
    finally:
        desktop.xdotool("mouseup", "1")


def double_tap(desktop: Desktop, x: int, y: int) -> None:
    desktop.xdotool("mousemove", str(x), str(y))
    desktop.xdotool("click", "--repeat", "2", "--delay", "120", "1")


def test_touch_alone_explores_and_a_double_tap_chooses(
    desktop: Desktop, listener: Listener, kiosk_in: StartKiosk
) -> None:
    """No keys: a finger held 2 s on the welcome screen starts speech mode; a finger
    dragged over the screen says what it passes and presses nothing; a double tap
    anywhere chooses the thing said before it. With the screen curtain up (the
    default), the finger still finds what is under the notice."""
    process = kiosk_in("en")
    desktop.xdotool("mousemove", "960", "200")
    desktop.xdotool("mousedown", "1")
    time.sleep(2.4)
    desktop.xdotool("mouseup", "1")
    deadline = time.monotonic() + SPOKEN_WITHIN_S
    while not listener.heard() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.heard()[0].startswith(ENGLISH.welcome)
    desktop.wait_for_title(TITLE, "attract")  # the hold pressed nothing

    explore_to(desktop, listener, 960, ENGLISH.start)
    desktop.wait_for_title(TITLE, "attract")  # heard, not pressed
    time.sleep(0.7)
    double_tap(desktop, 1800, 1000)  # far from Start: it is what was said that counts
    desktop.wait_for_title(TITLE, ": home")

    heard = explore_to(desktop, listener, 490, "Harm Reduction Therapy, button")
    assert "Harm reduction helps you" in heard  # its description too
    time.sleep(0.7)
    double_tap(desktop, 1800, 1000)
    desktop.wait_for_title(TITLE, "reader harm-reduction-therapy 1/")
    assert process.poll() is None


def test_esc_is_back_in_the_locked_kiosk(
    desktop: Desktop, listener: Listener, kiosk_in: StartKiosk
) -> None:
    """The locked kiosk swallows Esc (kiosk.ui.system.lockdown), yet speech mode's key
    table makes it Back (docs/SPEECH.md): a keyboard user's Back must work there."""
    kiosk_in("en")
    walk = Walk(desktop, listener)
    walk.press("KP_Down")
    walk.down_to(ENGLISH.start)
    walk.press("Return")
    walk.down_to(ENGLISH.a_to_z + ENGLISH.button)
    walk.press("Return")
    walk.title(": terms")
    assert walk.press("Escape") == ENGLISH.home_title
    walk.title(": home")
