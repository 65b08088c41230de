"""`kiosk content validate` and `kiosk content build` time against pack size.

Runs each command as the administrator does (a subprocess), RUNS times per size, on
generated packs of 100, 1,000 and 10,000 articles (cached under build/bench/), with a
key pair from `kiosk keygen`. Besides total and per-article times it gives the marginal
cost per article (1,000->10,000 against 100->1,000): 1.0 is exactly linear, and the
fixed start-up of the command (imports) drops out. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import CACHE, PY, REPO, median, pack, private_env

SIZES = (100, 1_000, 10_000)
BUILD_SIZES = SIZES  # a .kpack holds up to 49,997 files (kiosk.core.packs.format.Limits)
RUNS = 3


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=REPO, timeout=900)
    seconds = time.perf_counter() - start
    if run.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} exited {run.returncode}: {run.stdout[-400:]}{run.stderr[-400:]}"
        )
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    env = {k: v for k, v in private_env().items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(CACHE / "pycache")
    kiosk = [PY, "-m", "kiosk"]
    out: dict[str, dict[str, float]] = {"validate_s": {}, "build_s": {}}
    with tempfile.TemporaryDirectory() as tmp:
        keys = Path(tmp) / "keys"
        subprocess.run(
            [*kiosk, "keygen", "--out", str(keys)],
            env=env,
            check=True,
            capture_output=True,
            cwd=REPO,
        )
        private = next(keys.glob("*.key"))
        timed([*kiosk, "content", "validate", str(pack(SIZES[0]))], env)  # warm caches
        for size in sorted(set(SIZES) | set(BUILD_SIZES)):
            root = pack(size)
            if size in SIZES:
                validate = [
                    timed([*kiosk, "content", "validate", str(root)], env) for _ in range(args.runs)
                ]
                out["validate_s"][str(size)] = median(validate)
                print(
                    f"  pack {size}: validate {median(validate):.2f} s", file=sys.stderr, flush=True
                )
            if size not in BUILD_SIZES:
                continue
            build = [
                timed(
                    [
                        *kiosk,
                        "content",
                        "build",
                        str(root),
                        "-o",
                        str(Path(tmp) / f"p{size}-{i}.kpack"),
                        "--key",
                        str(private),
                    ],
                    env,
                )
                for i in range(args.runs)
            ]
            out["build_s"][str(size)] = median(build)
            print(f"  pack {size}: build {median(build):.2f} s", file=sys.stderr, flush=True)
    for what, (a, b, c) in (("validate", SIZES), ("build", BUILD_SIZES)):
        t = out[f"{what}_s"]
        small = (t[str(b)] - t[str(a)]) / (b - a)
        big = (t[str(c)] - t[str(b)]) / (c - b)
        out[f"{what}_marginal_ms"] = {f"{a}-{b}": small * 1000, f"{b}-{c}": big * 1000}
        out[f"{what}_linearity"] = {"ratio": big / small if small > 0 else float("inf")}
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
