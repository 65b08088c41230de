"""``make deploy-test``: the kiosk deployed on a real Debian 12 system, as docs/DEPLOY.md
tells a clinic's IT person, and checked as the patient, the staff and systemd meet it.

    deploytest.py --release TARBALL --results FOLDER [--fresh-image]

1. A Debian 12 image from Debian's packages (image.py), booted under QEMU with no
   network device; the release tarball arrives on a USB stick, is unpacked, and
   ``deploy/setup-kiosk.sh dist/kiosk`` runs under the VM's real systemd.
2. Each check prints one line, ``PASS``/``FAIL name: what was seen``, with its evidence
   (screendumps, journals, timings) in the results folder; the exit status is 0 only if
   every check passed.

The screen is judged by its pixels against what the kiosk draws (references.py,
screens.py); touch is a virtual touchscreen in the guest (guest/touch.py) through
the kernel, libinput and cage.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

import checks  # noqa: E402
import fleet_checks  # noqa: E402
from driver import CheckFailedError, Run  # noqa: E402
from machine import MachineError  # noqa: E402
from prepare import prepare  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--release", type=Path, required=True, help="the release tarball (make release)"
    )
    parser.add_argument("--results", type=Path, default=REPO / "build" / "deploy-test")
    parser.add_argument("--fresh-image", action="store_true", help="build the image afresh (CI)")
    args = parser.parse_args()
    args.release = args.release.resolve()
    results: Path = args.results.resolve()
    if results.exists() and any(results.iterdir()) and not (results / "log.txt").exists():
        parser.error(f"--results {results}: a folder that holds something else; name a new one")
    work = REPO / "build" / "deploy-test-work"
    for folder in (results, work):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    (results / "screens").mkdir()
    began = time.monotonic()

    def log(message: str) -> None:
        with (results / "log.txt").open("a") as out:
            out.write(f"[{time.strftime('%H:%M:%S')}] {message}\n")

    machine, screens, targets, packs = prepare(args, results, work, log)
    run = Run(results, machine, screens, targets)
    steps: list[tuple[str, Callable[[], str]]] = [
        ("1 setup, unit active, welcome screen", lambda: checks.setup(run, args.release)),
        ("1b one unit holds cage and the kiosk; journal", lambda: checks.logs(run)),
        ("1c other users and a keyboard cannot reach it", lambda: checks.local_users(run)),
        ("2 touch: tap Start, tap a topic, swipe a card", lambda: checks.touch(run)),
        ("3 watchdog restarts a frozen kiosk", lambda: checks.watchdog(run)),
        ("4 crash loop ends on 'ask staff', and recovers", lambda: checks.crash_loop(run)),
        ("5 power cut during an install", lambda: checks.power_cut(run, packs)),
        ("6 reboot: back on its own, installed pack", lambda: checks.reboot(run)),
        # After the others: it was the first to make the kiosk speak in the VM, and the
        # speech engine's start froze it there until the watchdog (2026-12-03).
        ("6b a headset plugged in starts speech mode", lambda: checks.headset(run)),
        ("7 boot to first frame vs bare cage + PySide6", lambda: checks.first_frame(run)),
        ("7b a pack from the fleet's web server; node_exporter", lambda: fleet_checks.fleet(run)),
        ("8 X11 fallback: active, welcome screen", lambda: checks.x11(run, args.release)),
    ]
    passed = 0
    try:
        run.power_on()
        run.after_boot()
        for number, (name, check) in enumerate(steps):
            if number == 0 or passed == number:
                passed += run.record(name, check)
            else:  # a machine in an unknown state proves nothing more
                line = f"FAIL {name}: not run, an earlier check failed"
                print(line, flush=True)
                run.lines.append(line)
    except (MachineError, CheckFailedError, OSError, TimeoutError) as err:
        line = f"FAIL the VM: {err}"
        print(line, flush=True)
        run.lines.append(line)
        log(traceback.format_exc())
    finally:
        try:
            if machine.process is not None and machine.process.poll() is None:
                run.save_journal(f"boot{run.boots}")
                machine.agent.run("sync", 60)  # the disk left behind is whole, to look into
        except MachineError as err:
            log(f"the guest did not answer at the end: {err}")
        finally:
            machine.stop()
    total = time.monotonic() - began
    summary = [
        *run.lines,
        f"figures: {json.dumps({k: round(v, 2) for k, v in run.figures.items()})}",
        f"taps not taken the first time (a second one worked): {run.retaps or 'none'}",
        f"screens: the farthest a matched screen was from the kiosk's rendering: "
        f"{screens.worst_match:.2%} of blocks",
        f"deploy test: {passed} of {len(steps)} checks passed in {total / 60:.1f} min; "
        f"evidence in {results}",
    ]
    (results / "summary.txt").write_text("\n".join(summary) + "\n")
    if run.retaps:
        print(f"NOTE taps not taken the first time (a second one worked): {run.retaps}")
    print(summary[-1], flush=True)
    return 0 if passed == len(steps) else 1


if __name__ == "__main__":
    raise SystemExit(main())
