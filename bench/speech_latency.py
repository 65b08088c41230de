"""Speech mode: a key press to speech-dispatcher receiving the text, and to the
highlight painted, in a real MainWindow (offscreen) with the real speech-dispatcher and
espeak-ng, over KEYS presses of Down through the Home screen, and again through the A-Z
page with its on-screen keyboard open (the screen with the most things, issue 15).

- heard: from just before the key press to the moment speech-dispatcher queued the text,
  read from its own log (LogLevel 5 stamps each message to the microsecond); the earcon
  of each key comes first, as on a kiosk set up by deploy/setup-kiosk.sh;
- ring: from just before the key press to the end of the paint of the highlight.

Baselines, same run, same measurement: for heard, the kiosk's Speaker asked to say the
same texts directly (what speech-dispatcher costs, with no speech mode); for ring, a bare
QPushButton whose click changes a QLabel. Prints one JSON line: p50/p95 of each, in ms.
Targets: heard p95 at most 150 ms, ring p95 at most 16 ms (a frame).
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import percentile
from bench.tap_latency import PaintSeen, bare_taps

KEYS = 60
_CONF = """\
LogLevel 5
LogDir "{log}"
AudioOutputMethod "alsa"
AudioALSADevice "null"
AddModule "espeak-ng" "sd_espeak-ng" "espeak-ng.conf"
DefaultModule espeak-ng
"""
# "[Wed Dec  2 14:49:42 2026 : 878711] speechd:     Queueing message |...|"; not the
# earcons (kiosk.core.speech.earcons), which come just before the words.
_QUEUED = re.compile(
    r"\[(\w+ \w+ +\d+ [\d:]+ \d+) : (\d+)\] speechd:\s+Queueing message \|(?!kiosk-\w+\.wav\|)"
)


def private_speechd() -> Path:
    """A speech-dispatcher of this run's own, spawned on first use; returns its folder."""
    root = Path(tempfile.mkdtemp(prefix="sd-", dir="/tmp"))
    (root / "c" / "speech-dispatcher").mkdir(parents=True)
    (root / "r").mkdir(mode=0o700)
    (root / "l").mkdir()
    (root / "c" / "speech-dispatcher" / "speechd.conf").write_text(_CONF.format(log=root / "l"))
    # The earcons played as on a kiosk set up by deploy/setup-kiosk.sh: part of each key.
    from kiosk.core.speech.earcons import module_conf

    (root / "c" / "speech-dispatcher" / "modules").mkdir()
    earcons = root / "d" / "clinic-kiosk" / "earcons"
    (root / "c" / "speech-dispatcher" / "modules" / "espeak-ng.conf").write_text(
        module_conf(earcons)
    )
    os.environ["XDG_DATA_HOME"] = str(root / "d")
    os.environ["XDG_CONFIG_HOME"] = str(root / "c")
    os.environ["XDG_RUNTIME_DIR"] = str(root / "r")
    os.environ["SPEECHD_ADDRESS"] = (
        f"unix_socket:{root / 'r' / 'speech-dispatcher' / 'speechd.sock'}"
    )
    return root


def queued_at(log: Path) -> list[float]:
    """When speech-dispatcher queued each message, as time.time() values."""
    if not log.exists():
        return []
    found = []
    for stamp, micro in _QUEUED.findall(log.read_text("utf-8", errors="replace")):
        when = datetime.strptime(stamp, "%a %b %d %H:%M:%S %Y")
        found.append(when.timestamp() + int(micro) / 1e6)
    return found


def wait_for(count: int, log: Path) -> float:
    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + 20
    while True:
        stamps = queued_at(log)
        if len(stamps) >= count:
            return stamps[count - 1]
        QCoreApplication.processEvents()
        time.sleep(0.002)
        if time.monotonic() > deadline:
            raise RuntimeError("speech-dispatcher received nothing within 20 s")


def speech_mode_presses(log: Path, screen: str) -> tuple[list[float], list[float], list[str]]:
    """KEYS presses of Down on ``screen``: "home", or "keys" (the A-Z page with its
    on-screen keyboard open: the most things on one screen, about 60)."""
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtTest import QTest

    from bench.inprocess import delete_window, make_kiosk
    from kiosk.ui.system.speech import Speaker

    kiosk = make_kiosk(make_speaker=lambda: Speaker(), speech_curtain=False)
    window = kiosk.window
    window.session.open_home()
    if screen == "keys":
        kiosk.navigator.open_terms()
        window.terms.open_keyboard()
    QCoreApplication.processEvents()
    before = len(queued_at(log))
    QTest.keyClick(window, Qt.Key.Key_Up, Qt.KeyboardModifier.KeypadModifier)  # on
    wait_for(before + 1, log)
    from kiosk.ui.speech_mode.highlight import Highlight

    highlight = window.findChild(Highlight)
    assert highlight is not None
    seen = PaintSeen(highlight)
    heard, ring, texts = [], [], []
    for n in range(KEYS):
        QCoreApplication.processEvents()
        seen.seen = False
        wall, start = time.time(), time.perf_counter()
        QTest.keyClick(window, Qt.Key.Key_Down)
        while not seen.seen:
            QCoreApplication.processEvents()
        ring.append((time.perf_counter() - start) * 1000)
        heard.append((wait_for(before + n + 2, log) - wall) * 1000)
        item = kiosk.speech_mode.current
        texts.append(item.spoken if item else "")
        time.sleep(0.05)  # a patient listens between presses
    seen.remove()
    kiosk.read_aloud.reset()
    delete_window(window)
    return heard, ring, texts


def direct_says(log: Path, texts: list[str]) -> list[float]:
    """The same texts, said by a Speaker of its own: speech-dispatcher's own cost."""
    from PySide6.QtCore import QCoreApplication

    from kiosk.ui.system.speech import Speaker

    speaker = Speaker()
    before = len(queued_at(log))
    times = []
    for n, text in enumerate(texts):
        QCoreApplication.processEvents()
        wall = time.time()
        speaker.say(text, "en")
        times.append((wait_for(before + n + 1, log) - wall) * 1000)
        time.sleep(0.05)
    speaker.reset()
    speaker.deleteLater()
    return times


def stop_speechd(root: Path) -> None:
    pid_file = root / "r" / "speech-dispatcher" / "pid" / "speech-dispatcher.pid"
    with contextlib.suppress(OSError, ValueError):
        os.kill(int(pid_file.read_text()), signal.SIGTERM)
    shutil.rmtree(root, ignore_errors=True)


def main() -> int:
    from bench.inprocess import application

    root = private_speechd()
    application()
    try:
        log = root / "l" / "speech-dispatcher.log"
        heard, ring, texts = speech_mode_presses(log, "home")
        _heard_keys, ring_keys, _texts = speech_mode_presses(log, "keys")
        direct = direct_says(log, texts)
        bare = bare_taps()[:KEYS]
    finally:
        stop_speechd(root)

    def p(values: list[float]) -> dict[str, float]:
        return {"p50": round(percentile(values, 50), 2), "p95": round(percentile(values, 95), 2)}

    print(
        json.dumps(
            {
                "heard": p(heard),
                "heard_direct": p(direct),
                "ring": p(ring),
                "ring_keys": p(ring_keys),
                "bare": p(bare),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
