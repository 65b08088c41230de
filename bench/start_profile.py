"""Where a kiosk's start goes: time and RSS of each step, in one process, offscreen.

Follows kiosk/ui/app.py step by step on an installed pack (a config file from
bench/common.py's installed()), so the figures explain the cold-start and memory rows
of BENCHMARKS.md. Also counts the Python enum classes PySide6 has made by then: it
makes one, slowly, the first time a Qt enum type is used. Median of RUNS processes.

    python bench/start_profile.py CONFIG [--runs 5]
"""

from __future__ import annotations

import argparse
import enum
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 5


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _qt_enums() -> int:
    """Enum classes made so far for PySide6 types."""
    found, todo = 0, list(enum.Enum.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        found += cls.__module__.startswith(("PySide6", "shiboken6"))
    return found


def one_run(config_path: Path) -> dict[str, dict[str, float]]:
    """The steps of run_kiosk; each with ms since the previous step and RSS after it."""
    steps: dict[str, dict[str, float]] = {}
    last = time.perf_counter()

    def step(name: str) -> None:
        nonlocal last
        now = time.perf_counter()
        steps[name] = {"ms": (now - last) * 1000, "rss_mb": _rss_mb(), "qt_enums": _qt_enums()}
        last = time.perf_counter()  # the counting above is not part of the step

    import kiosk.before_qt  # noqa: F401  # as kiosk.cli does before Qt
    from kiosk.core.config import load_config

    step("the kiosk's Qt-free modules (config, pack, cryptography, sqlite3: kiosk.before_qt)")
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])
    step("PySide6 and a QApplication (what the bare window also does)")
    from kiosk.ui import app as kiosk_app
    from kiosk.ui.system.memory import keep_big_buffers_out_of_the_heap

    keep_big_buffers_out_of_the_heap()
    step("import the kiosk's UI for the first frame (the Qt namespace, the window's modules)")
    from kiosk.core.packs.source import choose_content
    from kiosk.core.packs.store import Store
    from kiosk.resources import bundled_content
    from kiosk.ui.first_frame import FirstFrame
    from kiosk.ui.theme import FIRST_FRAME_FONTS, apply_theme, load_fonts, load_theme

    config = load_config(config_path, must_exist=True)
    load_fonts(FIRST_FRAME_FONTS)
    apply_theme(app, load_theme("standard"))
    step("config, bundled fonts, theme and style sheet")
    choice = choose_content(None, Store(config.store_dir), config.trusted_keys, bundled_content())
    assert choice is not None, "no installed pack"
    step("open the installed pack (signature, catalogue)")
    first = FirstFrame(
        choice.pack,
        choice.index,
        config,
        config.default_locale,
        find_speaker=kiosk_app.speech_engine,
    )
    step("make the welcome screen (its window, session and words: kiosk.ui.first_frame)")
    window = first.window
    window.resize(1600, 900)
    window.show()
    app.processEvents()
    step("show and paint the welcome screen")
    # The steps kiosk.ui.controllers.warm_up runs one per turn of the event loop.
    while (name := first.warm_up.run_next()) is not None:
        step(f"after the first paint: {name}")
    return steps


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("config", type=Path)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_run(args.config)))
        return 0
    from bench.common import CACHE

    # Byte code cached as bench/cold_start.py caches it: a deployed kiosk does not
    # compile its modules at every start (this machine sets PYTHONDONTWRITEBYTECODE).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPYCACHEPREFIX=str(CACHE / "pycache"))
    runs = []
    for _ in range(args.runs + 1):  # the first warms the page cache and is dropped
        out = subprocess.run(
            [sys.executable, __file__, str(args.config), "--child"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=120,
        ).stdout
        runs.append(json.loads(out.splitlines()[-1]))
    runs = runs[1:]
    steps = {
        name: {
            key: statistics.median(run[name][key] for run in runs)
            for key in ("ms", "rss_mb", "qt_enums")
        }
        for name in runs[0]
    }
    print(json.dumps({"runs": len(runs), "steps": steps}))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    raise SystemExit(main())
