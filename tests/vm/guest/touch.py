#!/usr/bin/python3
"""A finger on the VM's screen: a virtual touchscreen through uinput (python3-evdev).

Runs inside the test VM with Debian's python3 and python3-evdev; the deploy test puts it
in /run for one boot. It is a real kernel input device: udev marks it a touchscreen,
libinput reads it, cage passes its touches on (Wayland), Xwayland to the kiosk (X11).

    touch.py serve               plug the touchscreen in and keep it, as a real one is
    touch.py tap X Y             a 100 ms tap
    touch.py hold X Y MS         a finger held still
    touch.py swipe X1 Y1 X2 Y2 MS  a finger moved in a straight line

The touchscreen stays plugged in for the whole boot (``serve``, started once), as a real
one is: a device made for one tap could lose that tap while cage, Xwayland and Qt are
still taking the new device on. The other commands hand their gesture to it over a Unix
socket and return when it is done. X and Y are screen pixels (the device's range is the
screen's, so libinput maps one unit to one pixel); the screen size comes from
KIOSK_TEST_SCREEN (default 1920x1080).
"""

import os
import socket
import sys
import time
from pathlib import Path
from typing import Any

SOCKET = Path("/run/vmtest/touch.sock")
WIDTH, HEIGHT = (int(v) for v in os.environ.get("KIOSK_TEST_SCREEN", "1920x1080").split("x"))
UNITS_PER_MM = 8  # a 1920 px wide screen of 240 mm, as a 21.5" touchscreen
SETTLE_S = 8.0  # udev, libinput, cage and the kiosk take the new device (slow when emulated)


def device() -> Any:  # an evdev.UInput
    from evdev import AbsInfo, UInput
    from evdev import ecodes as e

    def axis(top: int) -> Any:
        return AbsInfo(value=0, min=0, max=top, fuzz=0, flat=0, resolution=UNITS_PER_MM)

    capabilities = {
        e.EV_KEY: [e.BTN_TOUCH],
        e.EV_ABS: [
            (e.ABS_X, axis(WIDTH - 1)),
            (e.ABS_Y, axis(HEIGHT - 1)),
            (e.ABS_MT_SLOT, AbsInfo(0, 0, 9, 0, 0, 0)),
            (e.ABS_MT_TRACKING_ID, AbsInfo(0, 0, 65535, 0, 0, 0)),
            (e.ABS_MT_POSITION_X, axis(WIDTH - 1)),
            (e.ABS_MT_POSITION_Y, axis(HEIGHT - 1)),
        ],
    }
    return UInput(capabilities, name="vmtest touchscreen", input_props=[e.INPUT_PROP_DIRECT])


class Finger:
    def __init__(self, ui: Any) -> None:
        from evdev import ecodes

        self.ui, self.e, self.touches = ui, ecodes, 0

    def _position(self, x: int, y: int) -> None:
        e = self.e
        for code, value in (
            (e.ABS_MT_POSITION_X, x),
            (e.ABS_MT_POSITION_Y, y),
            (e.ABS_X, x),
            (e.ABS_Y, y),
        ):
            self.ui.write(e.EV_ABS, code, value)

    def down(self, x: int, y: int) -> None:
        e = self.e
        self.touches += 1
        self.ui.write(e.EV_ABS, e.ABS_MT_SLOT, 0)
        self.ui.write(e.EV_ABS, e.ABS_MT_TRACKING_ID, self.touches)
        self._position(x, y)
        self.ui.write(e.EV_KEY, e.BTN_TOUCH, 1)
        self.ui.syn()

    def move(self, x: int, y: int) -> None:
        self._position(x, y)
        self.ui.syn()

    def up(self) -> None:
        e = self.e
        self.ui.write(e.EV_ABS, e.ABS_MT_TRACKING_ID, -1)
        self.ui.write(e.EV_KEY, e.BTN_TOUCH, 0)
        self.ui.syn()

    def gesture(self, action: str, numbers: list[int]) -> None:
        if action == "tap":
            x, y = numbers
            self.down(x, y)
            time.sleep(0.1)
            self.up()
        elif action == "hold":
            x, y, ms = numbers
            self.down(x, y)
            time.sleep(ms / 1000)
            self.up()
        elif action == "swipe":
            x1, y1, x2, y2, ms = numbers
            steps = max(2, ms // 15)
            self.down(x1, y1)
            for i in range(1, steps + 1):
                time.sleep(ms / 1000 / steps)
                self.move(x1 + (x2 - x1) * i // steps, y1 + (y2 - y1) * i // steps)
            self.up()
        else:
            raise ValueError(f"unknown action {action!r}")


def serve() -> None:
    with device() as ui:
        finger = Finger(ui)
        time.sleep(SETTLE_S)
        server = socket.socket(socket.AF_UNIX)
        SOCKET.unlink(missing_ok=True)
        fresh = SOCKET.with_suffix(".new")
        server.bind(str(fresh))
        server.listen(1)  # before the name appears: a client that finds it can connect
        fresh.rename(SOCKET)  # it exists only once the device is usable
        while True:
            connection, _ = server.accept()
            with connection:
                words = connection.makefile().readline().split()
                try:
                    finger.gesture(words[0], [int(w) for w in words[1:]])
                    connection.sendall(b"ok\n")
                except (ValueError, IndexError) as err:
                    connection.sendall(f"error {err}\n".encode())


def main(argv: list[str]) -> int:
    if argv[:1] == ["serve"]:
        serve()
        return 0
    deadline = time.monotonic() + 60
    while not SOCKET.exists():
        if time.monotonic() > deadline:
            raise SystemExit("touch.py: no touchscreen (start 'touch.py serve' first)")
        time.sleep(0.2)
    with socket.socket(socket.AF_UNIX) as client:
        client.connect(str(SOCKET))
        client.sendall((" ".join(argv) + "\n").encode())
        answer = client.makefile().readline().strip()
    if answer != "ok":
        raise SystemExit(f"touch.py: {answer}")
    time.sleep(0.3)  # let the last events through cage to the kiosk
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
