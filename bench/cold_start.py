"""Cold start to the first painted home (attract) screen, and peak RSS, as subprocesses.

Two points of each kiosk start: the first paint of the welcome screen, and the end of
the warm-up that follows it (every page made, the search tables warm: kiosk.ui.
controllers.warm_up), both against the bare window of the same run.

The kiosk starts as a clinic's does after a power cut: on the pack installed in its
store (built, signed and installed here first). A start on a content folder, which
validates every file (the preview's way), is reported too.

Every command runs once unmeasured (page cache, byte-code cache), then RUNS times,
interleaved; figures are medians. Children get fresh config/state folders and one
byte-code cache under build/bench/pycache (this machine sets PYTHONDONTWRITEBYTECODE;
a deployed kiosk has compiled byte code, so compiling on every start would be unfair).
The kiosk reports through kiosk/ui/system/benchhook.py; the baseline is bench/bare_window.py.
Runs under Xvfb with matchbox (tests/e2e/xserver.py) when they are installed, else
offscreen. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import CACHE, PY, REPO, installed, median, pack, private_env, timed_child

RUNS = 5
BASELINES = ("bare", "floor")  # bench/bare_window.py, bench/floor_window.py
FROZEN = REPO / "dist" / "kiosk" / "kiosk"


@contextlib.contextmanager
def display() -> Iterator[dict[str, str]]:
    sys.path.insert(0, str(REPO / "tests"))  # as pytest puts it there: tests/e2e is e2e
    from e2e.xserver import missing_tools, xvfb

    if missing_tools() or os.environ.get("KIOSK_BENCH_OFFSCREEN") == "1":
        yield {"QT_QPA_PLATFORM": "offscreen", "BENCH_DISPLAY": "offscreen"}
        return
    with xvfb() as name:
        yield {
            "DISPLAY": name,
            "QT_QPA_PLATFORM": "xcb",
            "BENCH_DISPLAY": f"Xvfb {name} + matchbox",
        }


def kiosk(*how: str) -> list[str]:
    return [PY, "-m", "kiosk", "run", "--windowed", *how]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=RUNS)
    parser.add_argument("--large", type=int, default=10_000, help="articles in the large pack")
    args = parser.parse_args()
    bundled = installed(REPO / "content", "bundled", rebuild=True)
    large = installed(pack(args.large), f"large-{args.large}", rebuild=False)
    commands = {
        "bare": [PY, str(REPO / "bench" / "bare_window.py")],
        "floor": [PY, str(REPO / "bench" / "floor_window.py")],
        "kiosk": kiosk("--config", str(bundled)),
        "kiosk_large": kiosk("--config", str(large)),
        "kiosk_folder": kiosk("--content", str(REPO / "content")),
    }
    frozen = FROZEN.exists() and os.access(FROZEN, os.X_OK)
    if frozen:
        commands["frozen"] = [str(FROZEN), "run", "--windowed", "--config", str(bundled)]
    base_env = {k: v for k, v in private_env().items() if k not in ("PYTHONDONTWRITEBYTECODE",)}
    base_env["PYTHONPYCACHEPREFIX"] = str(CACHE / "pycache")
    base_env["KIOSK_BENCH_EXIT_AFTER_PAINT"] = "1"
    base_env["KIOSK_BENCH_WARMED"] = "1"  # the kiosk reports its warm-up's end too
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
    samples["kiosk_visit_all"] = []
    errors: dict[str, str] = {}
    with display() as screen:
        env = {**base_env, **screen}
        visit_env = {**env, "KIOSK_BENCH_VISIT_ALL": "1"}
        for run in range(args.runs + 1):  # run 0 warms caches and is not counted
            for name, cmd in commands.items():
                if name in errors:
                    continue
                try:
                    result = timed_child(cmd, env, timeout=300)
                except Exception as err:
                    errors[name] = str(err)[-400:]
                    continue
                if run:
                    samples[name].append(result)
            try:
                result = timed_child(commands["kiosk"], visit_env, timeout=300)
                if run:
                    samples["kiosk_visit_all"].append(result)
            except Exception as err:
                errors["kiosk_visit_all"] = str(err)[-400:]
            print(f"  cold start run {run}/{args.runs} done", file=sys.stderr, flush=True)

    def med(name: str, key: str) -> float | None:
        values = [s[key] for s in samples.get(name, []) if key in s]
        return median(values) if values else None

    out = {
        "display": screen["BENCH_DISPLAY"],
        "runs": args.runs,
        "large_articles": args.large,
        "bundled_articles": sum(1 for _ in (REPO / "content" / "en").glob("*/*.md")),
        "start_s": {name: med(name, "painted") for name in commands},
        "warmed_s": {name: med(name, "warmed") for name in commands if name not in BASELINES},
        "warmed_vmhwm_mb": {
            name: (v / 1024 if (v := med(name, "warmed_vmhwm_kb")) else None)
            for name in commands
            if name not in BASELINES
        },
        "start_all_s": {n: [s["painted"] for s in samples[n]] for n in commands},
        "vmhwm_mb": {
            name: (v / 1024 if (v := med(name, "painted_vmhwm_kb")) else None) for name in commands
        },
        "settled_vmhwm_mb": (
            v / 1024 if (v := med("kiosk_visit_all", "settled_vmhwm_kb")) else None
        ),
        "visit_all_vmhwm_mb": (
            v / 1024 if (v := med("kiosk_visit_all", "visited_vmhwm_kb")) else None
        ),
        "visited_articles": med("kiosk_visit_all", "visited"),
        "frozen_present": frozen,
        "errors": errors,
    }
    print(json.dumps(out))
    shutil.rmtree(Path(base_env["XDG_CONFIG_HOME"]).parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
