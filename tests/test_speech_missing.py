"""A machine that cannot speak still shows the kiosk, offers no read aloud, and says why.

Found on a fresh machine without libpulse0: importing Qt's speech module failed in the
warm-up after the first frame, the exception stopped the warm-up there (its later steps
never ran) and nothing told staff. The kiosk now speaks to speech-dispatcher itself;
without it (not installed, none running) it is one logged line and a line on the admin
panel; read aloud is not offered; and a warm-up step that raises ends only itself.

The missing program is real: a PATH without speech-dispatcher and no server's socket,
as on a machine where the package is not installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from kiosk.core.config import KioskConfig
from kiosk.ui.controllers.warm_up import WarmUp
from kiosk.ui.theme import Theme

from conftest import REPO, built_kiosk
from helpers import shown

pytestmark = pytest.mark.gui


def test_a_kiosk_whose_speech_library_cannot_load_starts_warms_up_and_says_why(
    tmp_path: Path,
) -> None:
    bare = tmp_path / "bin"  # a PATH with no speech-dispatcher
    bare.mkdir()
    state = tmp_path / "state"
    config = tmp_path / "kiosk.toml"
    config.write_text(f'store = "{tmp_path / "store"}"\nstate = "{state}"\n', "utf-8")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "KIOSK_BENCH_EXIT_AFTER_PAINT": "1",
        "KIOSK_BENCH_WARMED": "1",  # quits once the warm-up has finished: every step ran
        "PYTHONPATH": str(REPO),
        "PATH": str(bare),
        "XDG_RUNTIME_DIR": str(tmp_path / "run"),  # no server's socket there
    }
    env.pop("SPEECHD_ADDRESS", None)
    env.pop("NOTIFY_SOCKET", None)
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "run", "--windowed", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    said = done.stdout.split()
    assert said[0] == "painted" and "warmed" in said, done.stdout
    log = (state / "kiosk.log").read_text("utf-8")
    assert "Traceback" not in log + done.stderr, log
    [line] = [line for line in log.splitlines() if "read aloud is not offered" in line]
    assert "speech-dispatcher is not installed" in line and "espeak-ng" in line, line


def test_staff_see_that_this_computer_cannot_speak(
    tmp_path: Path,
    qtbot: QtBot,
    theme: Theme,
    pin_hash: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no speech-dispatcher
    monkeypatch.setenv("SPEECHD_ADDRESS", f"unix_socket:{tmp_path / 'none.sock'}")
    settings = KioskConfig(
        store=tmp_path / "store", state=tmp_path / "state", admin_pin_hash=pin_hash
    )
    with built_kiosk(qtbot, settings, theme) as kiosk:
        parts = kiosk.parts
        assert parts is not None
        qtbot.waitUntil(lambda: parts.warm_up.done, timeout=10_000)
        assert not parts.read_aloud.can_speak
        parts.window.session.open_home()
        parts.navigator.open_settings()
        assert not parts.window.settings_panel.read_aloud.isVisible()  # not offered
        parts.staff_mode.unlock()
        text = parts.window.staff.details.text()
    assert "Read aloud is not offered to patients" in text, text
    assert "speech-dispatcher is not installed" in text


def test_a_warm_up_step_that_raises_ends_only_itself(qtbot: QtBot) -> None:
    ran: list[str] = []

    def broken() -> None:
        ran.append("broken")
        raise RuntimeError("a bug in one step")

    warm_up = WarmUp()
    warm_up.add([("first", lambda: ran.append("first")), ("broken", broken)])
    warm_up.add([("last", lambda: ran.append("last"))])
    page = _painted_page(qtbot)
    with qtbot.capture_exceptions() as raised, qtbot.waitSignal(warm_up.finished, timeout=5000):
        warm_up.start_after_paint(page)
        page.update()
    assert ran == ["first", "broken", "last"]
    assert [str(error) for _, error, _ in raised] == ["a bug in one step"]  # still seen


def _painted_page(qtbot: QtBot) -> QWidget:
    return shown(qtbot, QWidget(), 200, 100)
