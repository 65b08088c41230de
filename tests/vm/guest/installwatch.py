#!/usr/bin/python3
"""Run a pack install and watch the kiosk's store while it runs: when the unpack folder
(packs/.incoming-*) appears and when the ``current`` link changes, in seconds from the
start. Runs inside the test VM (Debian's python3); the deploy test times its power cuts
from these moments, so that they fall while the install writes.

    installwatch.py STORE [--signal PORT] -- COMMAND...
        prints one JSON line when COMMAND ends; with --signal, also writes the line
        "incoming" to PORT (a virtio serial port the host listens on) the moment the
        unpack folder appears, so the host can cut the power a set time into the writing
"""

import json
import subprocess
import sys
import time
from pathlib import Path


def link(path: Path) -> Path | None:
    return path.readlink() if path.is_symlink() else None


def unpacking(packs: Path) -> bool:
    return packs.is_dir() and any(p.name.startswith(".incoming-") for p in packs.iterdir())


def main(argv: list[str]) -> int:
    store, command = Path(argv[0]), argv[argv.index("--") + 1 :]
    options = argv[1 : argv.index("--")]
    port = Path(options[options.index("--signal") + 1]) if "--signal" in options else None
    packs, current = store / "packs", store / "current"
    before = link(current)
    started = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    moments: dict[str, float] = {}
    while process.poll() is None:
        now = round(time.monotonic() - started, 3)
        if "incoming" not in moments and unpacking(packs):
            moments["incoming"] = now
            if port:
                with port.open("wb", buffering=0) as out:
                    out.write(b"incoming\n")
        if "switched" not in moments and link(current) != before:
            moments["switched"] = now
        time.sleep(0.01)
    moments["exited"] = round(time.monotonic() - started, 3)
    assert process.stdout is not None
    output = process.stdout.read().decode(errors="replace")
    print(json.dumps({"status": process.returncode, "moments": moments, "output": output}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
