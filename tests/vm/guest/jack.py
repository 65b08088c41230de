"""A headphone socket for the deploy test: a virtual input device through uinput
(python3-evdev) that reports SW_HEADPHONE_INSERT, as a sound card's codec does.

    python3 jack.py serve   # makes the device, writes its node to /run/vmtest/jack.ready
    kill -USR1 <pid>        # a plug goes in
    kill -USR2 <pid>        # and comes out
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Any

READY = Path("/run/vmtest/jack.ready")
NAME = "vmtest Headphone"


def serve() -> None:
    from evdev import UInput, ecodes

    with UInput({ecodes.EV_SW: [ecodes.SW_HEADPHONE_INSERT]}, name=NAME) as ui:

        def plug(value: int) -> Any:
            def handler(_signum: int, _frame: object) -> None:
                ui.write(ecodes.EV_SW, ecodes.SW_HEADPHONE_INSERT, value)
                ui.syn()

            return handler

        signal.signal(signal.SIGUSR1, plug(1))
        signal.signal(signal.SIGUSR2, plug(0))
        READY.write_text(ui.device.path + "\n")
        while True:
            signal.pause()


if __name__ == "__main__":
    if sys.argv[1:] != ["serve"]:
        raise SystemExit(__doc__)
    serve()
