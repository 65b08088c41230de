"""Whether a headset is plugged into the kiosk's headphone socket, as the kernel reports it.

Staff can make speech mode start on its own when a patient plugs a headset in (issue 15,
kiosk.toml's ``speech_on_headset``). The sound card's driver reports the socket as a
switch on a Linux input device ("HDA Intel PCH Headphone", "sof-hda-dsp Headphone"):
SW_HEADPHONE_INSERT, 1 while a plug is in (linux/input-event-codes.h). PulseAudio and
PipeWire read the same switch to mark a port available; the kiosk has no sound server
(it speaks through ALSA), so it reads the switch itself. USB and Bluetooth headsets
report no such switch: they appear as a new sound card, and do not start speech mode.

The kiosk user reads these devices through deploy/91-kiosk-headset.rules, which gives
the group kiosk-headset the input devices that have switches (udev's ID_INPUT_SWITCH)
and are named for a headphone or headset socket, and no others.

python-evdev would read them for us, but it ships no wheels on PyPI: every machine that
builds the kiosk would need a C compiler and the kernel headers for two ioctls and a
24-byte record. The kernel's evdev interface is stable (Documentation/input/input.rst).
"""

from __future__ import annotations

import errno
import fcntl
import os
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

EV_SW = 0x05
SW_HEADPHONE_INSERT = 0x02
SW_MAX = 0x10
_SW_BYTES = (SW_MAX + 8) // 8  # a bit per switch
# struct input_event: struct timeval (two longs), __u16 type, __u16 code, __s32 value.
INPUT_EVENT = struct.Struct("llHHi")
_IOC_READ = 2


def _ioc_read(number: int, size: int) -> int:
    """_IOR('E', number, size) as linux/input.h builds it (_IOC on x86 and ARM)."""
    return (_IOC_READ << 30) | (size << 16) | (ord("E") << 8) | number


EVIOCGBIT_SW = _ioc_read(0x20 + EV_SW, _SW_BYTES)  # the switches a device has
EVIOCGNAME = _ioc_read(0x06, 256)


def _bit(bits: bytes, n: int) -> bool:
    return bool(bits[n // 8] >> (n % 8) & 1)


@dataclass(frozen=True)
class JackSocket:
    """An input device that reports a headphone socket: its node and the name the
    driver gives it, and the open file read for its changes."""

    path: Path
    name: str
    fd: int

    def changes(self) -> list[bool]:
        """The socket's changes since the last call, oldest first (True: plugged in);
        [] if none. OSError if the device went away."""
        return [
            value == 1
            for kind, code, value in _events(self.fd)
            if kind == EV_SW and code == SW_HEADPHONE_INSERT
        ]

    def close(self) -> None:
        os.close(self.fd)


def _events(fd: int) -> Iterator[tuple[int, int, int]]:
    """(type, code, value) of each event waiting on ``fd`` (opened non-blocking)."""
    while True:
        try:
            data = os.read(fd, INPUT_EVENT.size * 64)
        except BlockingIOError:
            return
        if not data:
            return
        yield from parse_events(data)


def parse_events(data: bytes) -> list[tuple[int, int, int]]:
    """(type, code, value) of each whole input_event record in ``data``."""
    size = INPUT_EVENT.size
    return [INPUT_EVENT.unpack_from(data, n)[2:] for n in range(0, len(data) - size + 1, size)]


def jack_sockets(folder: Path = Path("/dev/input")) -> tuple[list[JackSocket], list[str]]:
    """The devices under ``folder`` that report a headphone socket, opened (close them),
    and one line for each event device this user may not read (for the log)."""
    sockets, refused = [], []
    for path in sorted(folder.glob("event*")):
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError as err:
            if err.errno in (errno.EACCES, errno.EPERM):
                refused.append(f"{path}: {err.strerror}")
            continue
        try:
            bits = bytearray(_SW_BYTES)
            fcntl.ioctl(fd, EVIOCGBIT_SW, bits)
            if _bit(bytes(bits), SW_HEADPHONE_INSERT):
                name = bytearray(256)
                fcntl.ioctl(fd, EVIOCGNAME, name)
                label = name.split(b"\0", 1)[0].decode("utf-8", "replace")
                sockets.append(JackSocket(path, label, fd))
                continue
        except OSError:
            pass  # not an evdev device, or gone
        os.close(fd)
    return sockets, refused
