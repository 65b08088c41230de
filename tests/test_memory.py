"""Big short-lived buffers go back to the system at once (kiosk/ui/system/memory.py).

Each run is a fresh process: glibc's malloc settings are per process and one-way.
"""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

# Frames of a slide (8 MB), then 1 MB tiles with small long-lived blocks between them,
# as a kiosk's heap has; prints the MB still held once every big buffer is freed.
_CHURN = """
import sys
from pathlib import Path
from kiosk.ui.system.memory import keep_big_buffers_out_of_the_heap
if sys.argv[1] == "on":
    assert keep_big_buffers_out_of_the_heap()
def rss():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
base = rss()
for _ in range(3):
    frame = bytearray(8 << 20)
    del frame
tiles, kept = [], []
for _ in range(16):
    tiles.append(bytearray(1 << 20))
    kept.append(bytearray(4096))
del tiles
print((rss() - base) // 1024)
"""


def held_mb(mode: str) -> int:
    run = subprocess.run(
        [sys.executable, "-c", _CHURN, mode],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        timeout=60,
    )
    return int(run.stdout.strip())


def test_freed_buffers_leave_the_process_with_the_kiosk_setting() -> None:
    assert held_mb("off") >= 8  # glibc's default keeps them: the check can fail
    assert held_mb("on") <= 2
