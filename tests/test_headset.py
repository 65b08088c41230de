"""A headset plugged in starts speech mode (issue 15; kiosk.core.speech.headset,
kiosk.ui.system.headset). This machine has no input devices to read: the real socket,
through the kernel's evdev and udev's rule, is the deploy test's check 2b in a Debian VM
(tests/vm/checks.py ``headset``, a virtual socket through uinput). Here: the records
the kernel sends, what the kiosk does with a socket's news, and staff's setting."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.core.config import ConfigError, load_config
from kiosk.core.speech.headset import (
    EV_SW,
    EVIOCGBIT_SW,
    EVIOCGNAME,
    INPUT_EVENT,
    SW_HEADPHONE_INSERT,
    JackSocket,
    jack_sockets,
    parse_events,
)
from kiosk.ui.system.headset import follow_headset

EV_SYN = 0x00


def record(kind: int, code: int, value: int) -> bytes:
    return INPUT_EVENT.pack(1_700_000_000, 5, kind, code, value)


def test_the_ioctls_and_the_record_are_the_kernel_s() -> None:
    """As linux/input.h defines them on x86_64 and aarch64 (the asm-generic _IOC
    encoding; a 64-bit struct timeval before type, code and value)."""
    assert INPUT_EVENT.size == 24
    assert (EVIOCGNAME, EVIOCGBIT_SW) == (0x81004506, 0x80034525)


def test_the_kernel_s_records_are_read_whole() -> None:
    data = record(EV_SW, SW_HEADPHONE_INSERT, 1) + record(EV_SYN, 0, 0)
    assert parse_events(data) == [(EV_SW, SW_HEADPHONE_INSERT, 1), (EV_SYN, 0, 0)]
    assert parse_events(data[:-3]) == [(EV_SW, SW_HEADPHONE_INSERT, 1)]  # a torn record


def test_a_socket_s_news_is_read_from_its_file(tmp_path: Path) -> None:
    """Plug in, out, in again, with other switches and sync records between: the
    socket's own changes, in order."""
    read, write = os.pipe()
    os.set_blocking(read, False)
    socket = JackSocket(tmp_path / "event9", "Test Headphone", read)
    os.write(
        write,
        record(EV_SW, SW_HEADPHONE_INSERT, 1)
        + record(EV_SYN, 0, 0)
        + record(EV_SW, 0x04, 1)  # the microphone's switch: not the socket's
        + record(EV_SW, SW_HEADPHONE_INSERT, 0)
        + record(EV_SW, SW_HEADPHONE_INSERT, 1),
    )
    assert socket.changes() == [True, False, True]
    assert socket.changes() == []
    os.close(write)
    socket.close()


def test_files_that_are_not_input_devices_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "event0").write_bytes(b"")
    (tmp_path / "mouse0").write_bytes(b"")
    before = len(list(Path("/proc/self/fd").iterdir()))
    assert jack_sockets(tmp_path) == ([], [])
    assert len(list(Path("/proc/self/fd").iterdir())) == before  # nothing left open


def test_plugging_in_starts_speech_mode_but_not_on_staff_s_screens(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A socket's news arrives on its file: a plug in starts speech mode; a plug out,
    nothing; on staff's screens, nothing either. A machine with no socket says so."""
    started: list[str] = []
    staff = [False]
    with caplog.at_level(logging.WARNING, logger="kiosk.speech"):
        watch = follow_headset(lambda: started.append("on"), None, lambda: staff[0])
    if not watch.sockets:
        assert "no headphone socket here reports a plug" in caplog.text
    read, write = os.pipe()  # as the kernel hands over a device's records
    os.set_blocking(read, False)
    watch.follow(JackSocket(tmp_path / "event9", "Test Headphone", read))

    os.write(write, record(EV_SW, SW_HEADPHONE_INSERT, 0))
    qtbot.wait(100)
    assert started == []
    os.write(write, record(EV_SW, SW_HEADPHONE_INSERT, 1))
    qtbot.waitUntil(lambda: started == ["on"], timeout=2_000)
    staff[0] = True
    os.write(write, record(EV_SW, SW_HEADPHONE_INSERT, 1))
    qtbot.wait(100)
    assert started == ["on"]
    os.close(write)
    watch.deleteLater()


def test_staff_turn_it_on_in_kiosk_toml(tmp_path: Path) -> None:
    conf = tmp_path / "kiosk.toml"
    assert load_config(None).speech_on_headset is False  # off unless staff choose it
    conf.write_text("speech_on_headset = true\n", "utf-8")
    assert load_config(conf).speech_on_headset is True
    conf.write_text('speech_on_headset = "yes"\n', "utf-8")
    with pytest.raises(ConfigError, match=r"speech_on_headset.*true or false"):
        load_config(conf)
