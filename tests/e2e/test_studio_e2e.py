"""The issue's end-to-end proof: an article written in the studio reaches a running kiosk.

On a real X server (Xvfb), with real mouse clicks and key presses (xdotool), clinic staff
make "Heat Stroke" in the content studio (`kiosk studio`): in English, with a second card
holding a bulleted list made with the toolbar; they start its Spanish version from the
English, translate it, mark it checked against the English, and publish a signed pack to
a folder (the USB stick). A kiosk running with its own settings, which trust the key,
gets the pack with `kiosk content install`, shows the article on its home screen, finds
it in search, and shows "Golpe de calor" in Spanish.

Where to click is asked the way a screen reader asks, by accessible name over AT-SPI
(tests/e2e/atspi_where.py, run by the system python in the apps' private D-Bus session,
as in tests/e2e/test_screen_reader.py), never taken from fixed coordinates. Each step
waits for what it should change (a field's text, a file on disk, the kiosk's window
title) and fails when it does not. Screenshots go to build/e2e/studio-*.png.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from e2e.test_screen_reader import SYSTEM_PYTHON, end_strays, missing_for_screen_reader
from e2e.xserver import Desktop, xvfb

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(300)]

REPO = Path(__file__).resolve().parents[2]
SHOTS = REPO / "build" / "e2e"
WHERE = Path(__file__).with_name("atspi_where.py")
STEP_S = 20.0  # most seconds one step may take (a click to what it changes), on a busy CI
KEY_DELAY_MS = "30"  # between typed keys; every text typed is read back, so none is lost
STUDIO = "Content studio"  # the studio's main window; its dialogs have their own names
KIOSK_TITLE = "Clinic kiosk"

Found = dict[str, Any]  # an object on screen, as atspi_where.py says it


@dataclass(frozen=True)
class Article:
    title: str
    summary: str
    first: str  # the first paragraph: one line in the studio's text box (Shift+End selects it)
    card: str  # the second card's title
    items: tuple[str, str]  # its bulleted list

    def body(self) -> str:
        """The article's text in its file, as the studio writes it."""
        return f"{self.first}\n\n## {self.card}\n\n- {self.items[0]}\n- {self.items[1]}"


ENGLISH = Article(
    title="Heat Stroke",
    summary="Heat stroke is when your body gets too hot. It is an emergency.",
    first="Your body can get too hot on a hot day. Go to a cool place and drink water.",
    card="When to get help now",
    items=("You feel confused or faint.", "Your skin is hot and dry."),
)
SPANISH = Article(
    title="Golpe de calor",
    summary="El golpe de calor es cuando su cuerpo se calienta demasiado. Es una emergencia.",
    first="Su cuerpo se puede calentar demasiado en un día de calor. Vaya a un lugar fresco.",
    card="Cuándo pedir ayuda ya",
    items=("Se siente confundido o débil.", "Su piel está caliente y seca."),
)


class Screen:
    """What is on screen, by accessible name (atspi_where.py), and real input (xdotool)."""

    def __init__(self, desktop: Desktop, env: dict[str, str]) -> None:
        self.desktop = desktop
        self._where = subprocess.Popen(
            [SYSTEM_PYTHON, str(WHERE)],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def close(self) -> None:
        assert self._where.stdin is not None and self._where.stdout is not None
        self._where.stdin.close()  # its end of input: it exits
        try:
            self._where.wait(10)
        except subprocess.TimeoutExpired:
            self._where.kill()
            self._where.wait()
        self._where.stdout.close()

    def ask(self, request: dict[str, Any]) -> list[Found]:
        assert self._where.stdin is not None and self._where.stdout is not None
        self._where.stdin.write(json.dumps(request) + "\n")
        self._where.stdin.flush()
        ready, _, _ = select.select([self._where.stdout], [], [], STEP_S)
        assert ready, f"atspi_where.py did not answer {request} within {STEP_S}s"
        line = self._where.stdout.readline()
        assert line, f"atspi_where.py ended (exit status {self._where.poll()})"
        found: list[Found] = json.loads(line)["found"]  # an error: the tree changed, ask again
        return found

    def wait_for(
        self,
        pid: int,
        name: str | None = None,
        *,
        role: str | None = None,
        window: str | None = None,
        contains: bool = False,
        check: Callable[[Found], bool] | None = None,
        what: str = "",
    ) -> Found:
        """The first object on screen with ``name`` (or a name containing it) and
        ``role``, in ``window``, for which ``check`` holds; polled for STEP_S seconds."""
        request = {"pid": pid, "name": name, "role": role, "window": window, "contains": contains}
        deadline = time.monotonic() + STEP_S
        while True:
            found = [f for f in self.ask(request) if check is None or check(f)]
            if found:
                return found[0]
            if time.monotonic() > deadline:
                shown = self.ask({"pid": pid, "dump": True, "window": window})
                seen = [
                    f"{f['role']}: {f['name']!r}" + (f" {f['text'][:60]!r}" if "text" in f else "")
                    for f in shown
                    if f["name"] or f.get("text")
                ]
                raise AssertionError(
                    f"no {role or 'object'} {name!r}{' ' + what if what else ''} on screen "
                    f"within {STEP_S}s; "
                    "on screen:\n" + "\n".join(seen)
                )
            time.sleep(0.1)

    def click(self, found: Found) -> None:
        self.desktop.tap(found["x"] + found["width"] // 2, found["y"] + found["height"] // 2)

    def press(self, pid: int, name: str, *, window: str | None = None) -> None:
        """Click the push button (or page tab) ``name``, once it is on screen and enabled."""
        self.click(
            self.wait_for(
                pid,
                name,
                window=window,
                check=lambda f: (
                    f["role"] in ("push button", "page tab") and "enabled" in f["states"]
                ),
            )
        )

    def _settled(self, pid: int, name: str, window: str) -> str | None:
        """What the field ``name`` reads once it has not changed for a second."""
        request = {"pid": pid, "name": name, "role": "text", "window": window}
        last, since = None, time.monotonic()
        deadline = since + STEP_S
        while time.monotonic() < deadline:
            found = self.ask(request)
            now = found[0].get("text") if found else None
            if now != last:
                last, since = now, time.monotonic()
            elif time.monotonic() - since >= 1.0:
                break
            time.sleep(0.2)
        return last

    def type(self, text: str) -> None:
        self.desktop.xdotool("type", "--delay", KEY_DELAY_MS, text)

    def fill(self, pid: int, name: str, text: str, *, window: str) -> None:
        """Click the field ``name``, select what it holds, type ``text``; wait until the
        field reads ``text``. Typed again if it settles reading otherwise, as a person
        would: on a loaded CI machine an X server dropped a key of xdotool's (a path
        read "test_staff_eit_...", once in CI)."""
        for _ in range(3):
            self.click(self.wait_for(pid, name, role="text", window=window))
            self.desktop.key("ctrl+a")
            self.type(text)
            if self._settled(pid, name, window) == text:
                break
        self.wait_for(
            pid, name, role="text", window=window, check=lambda f: f.get("text") == text,
            what=f"reading {text!r}",
        )  # fmt: skip

    def shot(self, name: str, pid: int | None = None) -> None:
        """A screenshot; if ``pid`` is given, once its windows are at rest (two looks in
        a row find the same things in the same places: a card has finished sliding)."""
        last: list[Found] | None = None
        deadline = time.monotonic() + STEP_S
        while pid is not None and time.monotonic() < deadline:
            now = self.ask({"pid": pid, "dump": True})
            if now == last:
                break
            last = now
        SHOTS.mkdir(parents=True, exist_ok=True)
        self.desktop.screenshot(SHOTS / name)


def wait_until(what: str, condition: Callable[[], object], timeout: float = STEP_S) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout}s")
        time.sleep(0.1)


def file_holds(path: Path, *parts: str) -> Callable[[], bool]:
    def holds() -> bool:
        return path.is_file() and all(p in path.read_text("utf-8") for p in parts)

    return holds


@dataclass
class Run:
    """One private X server and D-Bus session with its accessibility bus; the programs
    started in it (stopped at the end)."""

    screen: Screen
    env: dict[str, str]
    tmp: Path
    started: list[subprocess.Popen[bytes]]

    def home(self, who: str) -> dict[str, str]:
        """The environment with its own settings, state, cache and data folders: the
        staff computer and the kiosk are two computers."""
        env = dict(self.env)
        for var, sub in (
            ("XDG_CONFIG_HOME", "config"),
            ("XDG_STATE_HOME", "state"),
            ("XDG_CACHE_HOME", "cache"),
            ("XDG_DATA_HOME", "data"),
        ):
            folder = self.tmp / who / sub
            folder.mkdir(parents=True)
            env[var] = str(folder)
        return env

    def start(self, env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
        with (self.tmp / f"{args[0]}-output.txt").open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "kiosk", *args],
                env=env,
                cwd=REPO,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        self.started.append(process)
        return process

    def output(self, program: str) -> str:
        return (self.tmp / f"{program}-output.txt").read_text("utf-8", "replace")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)  # nothing if it has ended already
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def kiosk_command(env: dict[str, str], *args: str) -> str:
    """An administrator's `kiosk ...` command; its output (it must succeed)."""
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, f"kiosk {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout


@pytest.fixture
def run(tmp_path: Path) -> Iterator[Run]:
    missing = missing_for_screen_reader()
    assert not missing, f"this test needs {missing}: run 'make test' (it installs them)"
    token = uuid.uuid4().hex
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("AT_SPI_BUS_ADDRESS", "DBUS_SESSION_BUS_ADDRESS")
    }
    runtime = tmp_path / "runtime"  # the accessibility bus puts its socket here
    runtime.mkdir(mode=0o700)
    env.update(
        QT_QPA_PLATFORM="xcb",
        QT_LINUX_ACCESSIBILITY_ALWAYS_ON="1",
        XDG_RUNTIME_DIR=str(runtime),
        KIOSK_SCREEN_READER_TEST=token,  # marks every process of this run, to find strays
    )
    with xvfb() as display:
        env["DISPLAY"] = display
        desktop = Desktop(display)
        bus = subprocess.run(
            ["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=STEP_S,
        )
        address, bus_pid = bus.stdout.split()
        env["DBUS_SESSION_BUS_ADDRESS"] = address
        screen: Screen | None = None
        started: list[subprocess.Popen[bytes]] = []
        try:
            # Qt waits for the accessibility bus but never starts it: asked for, it starts.
            subprocess.run(
                ["dbus-send", "--session", "--print-reply", "--dest=org.a11y.Bus",
                 "/org/a11y/bus", "org.a11y.Bus.GetAddress"],
                env=env, capture_output=True, check=True, timeout=STEP_S,
            )  # fmt: skip
            screen = Screen(desktop, env)
            yield Run(screen, env, tmp_path, started)
        finally:
            for process in started:
                stop(process)
            if screen is not None:
                screen.close()
            with suppress(ProcessLookupError):
                os.kill(int(bus_pid), signal.SIGTERM)
            end_strays(token)


def write_english(screen: Screen, studio: int, folder: Path) -> Path:
    """New article... filled in and created; a new card with a bulleted list; saved."""
    screen.press(studio, "New article...", window=STUDIO)
    dialog = "New article"
    screen.fill(studio, "Title", ENGLISH.title, window=dialog)
    # Kind and Language are already what is wanted (a combo box is named by its choice).
    screen.wait_for(studio, "Topic", role="combo box", window=dialog)
    screen.wait_for(studio, "English", role="combo box", window=dialog)
    screen.fill(studio, "Summary", ENGLISH.summary, window=dialog)
    screen.fill(studio, "First paragraph", ENGLISH.first, window=dialog)
    screen.wait_for(studio, "It will be saved as en/topics/heat-stroke.md.", window=dialog)
    screen.shot("studio-1-new-article.png")
    screen.press(studio, "Create", window=dialog)
    english = folder / "en" / "topics" / "heat-stroke.md"
    wait_until(f"{english} written", file_holds(english, f"title: {ENGLISH.title}"))
    screen.wait_for(
        studio, "Title", role="text", window=STUDIO, check=lambda f: f["text"] == ENGLISH.title
    )

    text = screen.wait_for(studio, "Text", role="text", window=STUDIO)
    screen.click(text)
    screen.desktop.key("ctrl+End")
    screen.press(studio, "New card", window=STUDIO)
    screen.type(ENGLISH.card)
    screen.desktop.key("Return")
    screen.press(studio, "• List", window=STUDIO)
    screen.type(ENGLISH.items[0])
    screen.desktop.key("Return")
    screen.type(ENGLISH.items[1])
    screen.wait_for(
        studio, "Text", role="text", window=STUDIO,
        check=lambda f: all(words in f["text"] for words in (ENGLISH.card, *ENGLISH.items)),
        what="with the new card and its list",
    )  # fmt: skip
    screen.press(studio, "Save", window=STUDIO)
    wait_until(f"{english} saved with its card and list", file_holds(english, ENGLISH.body()))
    screen.wait_for(
        studio, "heat-stroke.md (English) saved", contains=True, role="label", window=STUDIO
    )
    # The preview is the kiosk's own window, kept off screen: its title says which card
    # it shows (the cursor's, the new one) once the check of the text has run.
    window_title(screen, studio, ": reader heat-stroke 2/2")
    screen.shot("studio-2-english-saved.png")
    return english


def write_spanish(screen: Screen, studio: int, folder: Path) -> Path:
    """The Spanish begun from the English in the Translation tab, translated field by
    field and line by line, marked checked against the English, and saved."""
    screen.press(studio, "Translation", window=STUDIO)
    # The cards side by side, once the check has seen the new card: none in Spanish yet.
    cell = "table cell"
    screen.wait_for(studio, ENGLISH.card, contains=True, role=cell, window=STUDIO)
    screen.wait_for(studio, "Missing: no Spanish card here yet", role=cell, window=STUDIO)
    screen.press(studio, "Start the Spanish version from the English", window=STUDIO)
    spanish = folder / "es" / "topics" / "heat-stroke.md"
    wait_until(f"{spanish} begun", spanish.is_file)
    made = "es/heat-stroke.md made from the source"
    screen.wait_for(studio, made, contains=True, role="label", window=STUDIO)
    screen.fill(studio, "Title", SPANISH.title, window=STUDIO)
    screen.fill(studio, "Summary", SPANISH.summary, window=STUDIO)
    # Each line of the text in turn: the first paragraph, the card's title, the two items.
    screen.click(screen.wait_for(studio, "Text", role="text", window=STUDIO))
    screen.desktop.key("ctrl+Home")
    for line, words in enumerate((SPANISH.first, SPANISH.card, *SPANISH.items)):
        if line:
            screen.desktop.key("Down")
            screen.desktop.key("Home")
        screen.desktop.key("shift+End")
        screen.type(words)
    screen.wait_for(
        studio, "Text", role="text", window=STUDIO,
        check=lambda f: all(w in f["text"] for w in (SPANISH.first, SPANISH.card, *SPANISH.items))
        and not any(w in f["text"] for w in (ENGLISH.first, ENGLISH.card, *ENGLISH.items)),
        what="all in Spanish",
    )  # fmt: skip
    # Marked checked once the cards side by side show the Spanish typed (the check runs
    # when typing pauses: clicked at once, the panel said the Spanish cards were missing).
    screen.wait_for(studio, SPANISH.first, contains=True, role="table cell", window=STUDIO)
    screen.wait_for(studio, SPANISH.card, contains=True, role="table cell", window=STUDIO)
    screen.press(studio, "Mark the Spanish as checked against this English", window=STUDIO)
    marked = "is marked as checked: Save it"
    screen.wait_for(studio, marked, contains=True, role="label", window=STUDIO)
    screen.shot("studio-3-spanish.png")
    screen.press(studio, "Save", window=STUDIO)
    wait_until(
        f"{spanish} saved in Spanish, marked checked",
        file_holds(spanish, f"title: {SPANISH.title}", "translated_from: ", SPANISH.body()),
    )
    return spanish


def publish(screen: Screen, studio: int, key: Path, usb: Path) -> Path:
    """Publish...: the key and the folder typed in, Publish, and the pack in the folder."""
    screen.press(studio, "Publish...", window=STUDIO)
    dialog = "Publish"
    screen.fill(studio, "Signing key file", str(key), window=dialog)
    screen.fill(studio, "Folder to publish to", str(usb), window=dialog)
    screen.press(studio, "Publish", window=dialog)
    wait_until(f"a pack in {usb}", lambda: list(usb.glob("*.kpack")), timeout=60)
    (pack,) = usb.glob("*.kpack")
    # A staff computer's first Publish: the content version as pack.toml has it (later
    # ones raise it past the last published from here: tests/test_studio.py).
    screen.wait_for(studio, f"Published: {pack} (content version 1)", role="label", window=dialog)
    screen.shot("studio-4-published.png")
    return pack


def window_title(screen: Screen, pid: int, contains: str) -> str:
    """The title of process ``pid``'s kiosk window once it says ``contains`` (the
    kiosk's, or the studio's preview's: each process has its own)."""
    deadline = time.monotonic() + STEP_S
    while True:
        ids = screen.desktop.xdotool("search", "--all", "--pid", str(pid), "--name", KIOSK_TITLE)
        seen = [screen.desktop.xdotool("getwindowname", wid) for wid in ids.split()]
        if any(contains in title for title in seen):
            return next(title for title in seen if contains in title)
        if time.monotonic() > deadline:
            raise AssertionError(f"no kiosk window titled '*{contains}*' within {STEP_S}s: {seen}")
        time.sleep(0.1)


def find_in_kiosk(
    screen: Screen,
    kiosk: int,
    terms: str,
    query: str,
    article: Article,
    shot: str,
    clear: str | None = None,
) -> None:
    """The A-Z page (``terms``), what was typed before cleared with its ``clear`` button
    (the page keeps it until the kiosk resets), ``query`` typed, the article among the
    results (screenshot ``shot``), opened."""
    screen.press(kiosk, terms)
    window_title(screen, kiosk, ": terms")
    if clear is not None:
        screen.press(kiosk, clear)
        screen.wait_for(kiosk, role="text", check=lambda f: f.get("text") == "", what="cleared")
    screen.type(query)
    screen.wait_for(kiosk, role="text", check=lambda f: f.get("text") == query, what="typed")
    found = screen.wait_for(kiosk, article.title, role="push button")
    screen.shot(shot, kiosk)
    screen.click(found)
    window_title(screen, kiosk, ": reader heat-stroke 1/2")
    screen.wait_for(
        kiosk, article.title, role="label", check=lambda f: article.first in f.get("text", ""),
        what="(its first card)",
    )  # fmt: skip


def test_an_article_made_in_the_studio_shows_on_a_running_kiosk(run: Run) -> None:
    screen = run.screen
    folder = run.tmp / "content"
    shutil.copytree(REPO / "content", folder)
    studio_env = run.home("staff")
    kiosk_command(studio_env, "keygen", "--out", str(run.tmp / "keys"))
    usb = run.tmp / "usb"
    usb.mkdir()

    studio = run.start(studio_env, "studio", str(folder))
    write_english(screen, studio.pid, folder)
    write_spanish(screen, studio.pid, folder)
    pack = publish(screen, studio.pid, run.tmp / "keys" / "kiosk-signing.key", usb)
    stop(studio)
    assert "Traceback" not in run.output("studio"), run.output("studio")

    kiosk_env = run.home("kiosk")
    kiosk_command(kiosk_env, "content", "trust", str(run.tmp / "keys" / "kiosk-signing.pub.txt"))
    kiosk = run.start(kiosk_env, "run", "--kiosk").pid
    window_title(screen, kiosk, ": attract")
    installed = kiosk_command(kiosk_env, "content", "install", str(pack))
    assert "Installed pack clinic-health build" in installed, installed
    log = run.tmp / "kiosk" / "state" / "clinic-kiosk" / "kiosk.log"
    wait_until("the kiosk showing the pack", file_holds(log, "now showing installed pack"))

    screen.press(kiosk, "Start / Empezar")
    window_title(screen, kiosk, ": home")
    card = screen.wait_for(kiosk, ENGLISH.title, role="push button")
    assert card["description"].startswith(ENGLISH.summary), card
    screen.shot("studio-5-kiosk-home.png", kiosk)
    find_in_kiosk(
        screen, kiosk, "Health words A to Z", "heat stroke", ENGLISH, "studio-6-kiosk-search.png"
    )
    screen.press(kiosk, "Next")
    window_title(screen, kiosk, ": reader heat-stroke 2/2")
    screen.wait_for(
        kiosk, ENGLISH.card, role="label",
        check=lambda f: all(item in f.get("text", "") for item in ENGLISH.items),
    )  # fmt: skip
    screen.shot("studio-7-kiosk-card-2.png", kiosk)

    screen.press(kiosk, "Home")
    window_title(screen, kiosk, ": home")
    screen.press(kiosk, "Español")
    card = screen.wait_for(kiosk, SPANISH.title, role="push button")
    assert card["description"].startswith(SPANISH.summary), card
    screen.shot("studio-8-kiosk-home-es.png", kiosk)
    find_in_kiosk(
        screen,
        kiosk,
        "Palabras de salud de la A a la Z",
        "golpe de calor",
        SPANISH,
        "studio-9-kiosk-search-es.png",
        clear="Borrar la búsqueda",
    )
    assert "Traceback" not in run.output("run"), run.output("run")
