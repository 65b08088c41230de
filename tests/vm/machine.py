"""A Debian 12 virtual machine under QEMU, driven from the host.

- QMP (the QEMU Machine Protocol) for the machine itself: screendumps of its screen,
  reset (a power cut), hot-plugged USB sticks, power off.
- The QEMU guest agent (Debian's qemu-guest-agent, inside the VM) to run commands in
  the guest as root and read what they print: a test driver, not part of the kiosk.
- The serial console (ttyS0) logged to a file: the kernel's and systemd's own words.
- A second virtio serial port, ``org.vmtest.signal``, on which a test tool in the guest
  says when something happened (``Machine.signals``), so that the host can act within
  milliseconds of it: the guest agent is polled and answers in tenths of a second.

The machine has no network device (``-nic none``): what the kiosk needs must already be
on its disks. Both protocols are JSON over a Unix socket, a few lines each here; the
``qemu.qmp`` library on PyPI speaks QMP only (not the guest agent's dialect) and is
asyncio-based, so a second, synchronous client would be needed anyway.
"""

from __future__ import annotations

import base64
import json
import os
import shlex
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SCREEN = (1920, 1080)  # the virtual screen, as a common clinic touchscreen
SIGNAL_PORT = "org.vmtest.signal"  # in the guest: /dev/virtio-ports/org.vmtest.signal
MAX_MESSAGE = 64 * 1024 * 1024  # the guest agent sends at most 16 MiB of output, base64


class MachineError(RuntimeError):
    """The machine or one of its protocols did not do what was asked."""


def kvm_works(kernel: Path, initrd: Path) -> bool:
    """True if a kernel boots under KVM here (a nested or broken /dev/kvm can hang
    in the kernel's decompressor: look for its first words within 60 s)."""
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        return False
    command = [
        "qemu-system-x86_64",
        "-accel",
        "kvm",
        "-cpu",
        "host",
        "-m",
        "512",
        "-display",
        "none",
        "-nic",
        "none",
        "-no-reboot",
        "-serial",
        "stdio",
        "-kernel",
        str(kernel),
        "-initrd",
        str(initrd),
        "-append",
        "console=ttyS0 panic=-1",
    ]
    try:
        run = subprocess.run(command, capture_output=True, timeout=60, check=False)
        output = run.stdout
    except subprocess.TimeoutExpired as err:
        output = err.stdout or b""
    return b"Linux version" in output


class _JsonSocket:
    """Newline-separated JSON objects over a Unix stream socket."""

    def __init__(self, path: Path, timeout: float) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(str(path))
        self.buffer = b""

    def send(self, message: dict[str, Any]) -> None:
        self.sock.sendall(json.dumps(message).encode() + b"\n")

    def receive(self, timeout: float) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer")
            self.sock.settimeout(left)
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the socket was closed")
            self.buffer += chunk
            if len(self.buffer) > MAX_MESSAGE:
                raise ConnectionError(f"a message longer than {MAX_MESSAGE} bytes")
        line, _, self.buffer = self.buffer.partition(b"\n")
        # The guest agent puts 0xFF before its answer to guest-sync-delimited.
        line = line.lstrip(b"\xff").strip()
        if not line:
            return self.receive(max(0.1, deadline - time.monotonic()))
        message: dict[str, Any] = json.loads(line)
        return message

    def close(self) -> None:
        self.sock.close()


class Qmp:
    """The QEMU Machine Protocol: commands to the emulator itself."""

    def __init__(self, path: Path) -> None:
        self.channel = _JsonSocket(path, 30)
        self.channel.receive(30)  # the greeting
        self.command("qmp_capabilities")

    def command(self, name: str, arguments: dict[str, Any] | None = None) -> Any:
        self.channel.send({"execute": name, "arguments": arguments or {}})
        while True:
            answer = self.channel.receive(60)
            if "event" in answer:
                continue
            if "error" in answer:
                raise MachineError(f"QMP {name}: {answer['error'].get('desc', answer)}")
            return answer.get("return")


@dataclass
class Result:
    """What a command in the guest did: exit status and output (UTF-8, replaced)."""

    command: str
    status: int
    out: str
    err: str

    @property
    def ok(self) -> bool:
        return self.status == 0

    def check(self) -> Result:
        if not self.ok:
            raise MachineError(
                f"in the VM, `{self.command}` exited {self.status}: "
                f"{(self.err or self.out).strip()[-800:]}"
            )
        return self


class GuestAgent:
    """The QEMU guest agent: run commands in the guest as root."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.channel: _JsonSocket | None = None
        self._sync_id = int(time.time()) % 100000

    def connect(self, timeout: float) -> None:
        """Wait until the agent in the guest answers (it starts late in boot)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.channel is None:
                    self.channel = _JsonSocket(self.path, 5)
                self._sync_id += 1
                self.channel.send(
                    {"execute": "guest-sync-delimited", "arguments": {"id": self._sync_id}}
                )
                while True:
                    answer = self.channel.receive(3)
                    if answer.get("return") == self._sync_id:
                        return
            except (TimeoutError, ConnectionError, OSError, json.JSONDecodeError):
                if self.channel is not None:
                    self.channel.close()
                    self.channel = None
                time.sleep(1)
        raise MachineError(f"the guest agent did not answer within {timeout:.0f} s")

    def disconnect(self) -> None:
        if self.channel is not None:
            self.channel.close()
            self.channel = None

    def _call(self, name: str, timeout: float = 30, **arguments: Any) -> Any:
        """One request and its answer. After a broken or late answer the channel is
        dropped, and the next call syncs afresh (an old answer is never taken for a new)."""
        if self.channel is None:
            self.connect(120)
        assert self.channel is not None
        try:
            self.channel.send({"execute": name, "arguments": arguments})
            answer = self.channel.receive(timeout)
        except (TimeoutError, ConnectionError, OSError, json.JSONDecodeError) as err:
            self.disconnect()
            raise MachineError(f"guest agent {name}: no answer ({err})") from err
        if "error" in answer:
            raise MachineError(f"guest agent {name}: {answer['error'].get('desc', answer)}")
        return answer.get("return")

    def start(self, command: str, stdin: bytes | None = None) -> int:
        """Start ``sh -c command`` in the guest; its process id there."""
        arguments: dict[str, Any] = {
            "path": "/bin/sh",
            "arg": ["-c", command],
            "capture-output": True,
        }
        if stdin is not None:
            arguments["input-data"] = base64.b64encode(stdin).decode()
        pid: int = self._call("guest-exec", **arguments)["pid"]
        return pid

    def wait(self, pid: int, command: str, timeout: float) -> Result:
        deadline = time.monotonic() + timeout
        while True:
            status = self._call("guest-exec-status", pid=pid)
            if status.get("exited"):
                return Result(
                    command,
                    status.get("exitcode", -status.get("signal", 1)),
                    base64.b64decode(status.get("out-data", "")).decode(errors="replace"),
                    base64.b64decode(status.get("err-data", "")).decode(errors="replace"),
                )
            if time.monotonic() > deadline:
                raise MachineError(f"in the VM, `{command}` took more than {timeout:.0f} s")
            time.sleep(0.2)

    def run(self, command: str, timeout: float = 120, stdin: bytes | None = None) -> Result:
        return self.wait(self.start(command, stdin), command, timeout)

    def write_file(self, path: str, data: bytes, mode: str = "644") -> None:
        target = shlex.quote(path)
        self.run(
            f'mkdir -p "$(dirname {target})" && cat > {target} && chmod {mode} {target}',
            stdin=data,
        ).check()


class GuestSignals:
    """Lines a guest tool writes to /dev/virtio-ports/org.vmtest.signal, as they come.
    A context manager: the host end is connected while it is open."""

    def __init__(self, path: Path) -> None:
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._socket.connect(str(path))
        self._buffer = b""

    def __enter__(self) -> GuestSignals:
        return self

    def __exit__(self, *exc: object) -> None:
        self._socket.close()

    def wait_for(self, word: str, timeout: float) -> None:
        """Block until the guest writes the line ``word``; MachineError after ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                if line.decode(errors="replace").strip() == word:
                    return
            left = deadline - time.monotonic()
            if left <= 0:
                raise MachineError(f"the guest did not signal '{word}' within {timeout:.0f} s")
            self._socket.settimeout(left)
            try:
                data = self._socket.recv(4096)
            except TimeoutError:
                continue
            if not data:
                raise MachineError(f"the signal port closed before '{word}'")
            self._buffer += data


@dataclass
class Disks:
    """The files behind the machine's disks."""

    root: Path  # a qcow2 overlay on the image: each run starts from the same image
    kernel: Path
    initrd: Path
    sticks: dict[str, Path] = field(default_factory=dict)  # USB sticks, by id


class Machine:
    """One QEMU process: start, screendump, reset, plug a stick, stop."""

    def __init__(self, disks: Disks, folder: Path, accel: str, log: Any) -> None:
        self.disks = disks
        self.folder = folder
        self.accel = accel
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.qmp: Qmp | None = None
        self.agent = GuestAgent(folder / "qga.sock")
        self.started_at = 0.0
        self.plugged: set[str] = set()

    @property
    def sound_file(self) -> Path:
        """The guest's sound card's output since this boot: a WAV file (QEMU's wav
        audiodev; 16-bit stereo, 44.1 kHz)."""
        return self.folder / "sound.wav"

    def command_line(self) -> list[str]:
        width, height = SCREEN
        accel = (
            ["-accel", "kvm", "-cpu", "host"]
            if self.accel == "kvm"
            else ["-accel", "tcg,thread=multi", "-cpu", "max"]
        )
        return [
            "qemu-system-x86_64",
            "-machine",
            "q35",
            "-m",
            "3072",
            "-smp",
            "2",
            *accel,
            "-nodefaults",
            "-no-user-config",
            "-nic",
            "none",
            "-kernel",
            str(self.disks.kernel),
            "-initrd",
            str(self.disks.initrd),
            # consoleblank=0 is what setup-kiosk.sh puts in GRUB's command line; this
            # VM boots its kernel directly, so it is given here.
            "-append",
            "root=/dev/vda rw quiet consoleblank=0 console=tty0 console=ttyS0,115200",
            # cache=unsafe: the guest's flushes do not wait for this machine's disk. A
            # reset (a power cut) keeps every write the guest made either way (they are
            # in this machine's page cache); it loses what only the guest's memory held.
            "-drive",
            f"file={self.disks.root},if=virtio,format=qcow2,cache=unsafe",
            "-device",
            f"virtio-gpu-pci,xres={width},yres={height}",
            "-display",
            "none",
            "-device",
            "qemu-xhci,id=xhci",
            "-chardev",
            f"file,id=serial0,path={self.folder / 'serial.log'}",
            "-serial",
            "chardev:serial0",
            "-chardev",
            f"socket,id=qga0,path={self.folder / 'qga.sock'},server=on,wait=off",
            "-device",
            "virtio-serial-pci",
            "-device",
            "virtserialport,chardev=qga0,name=org.qemu.guest_agent.0",
            "-chardev",
            f"socket,id=signal0,path={self.folder / 'signal.sock'},server=on,wait=off",
            "-device",
            f"virtserialport,chardev=signal0,name={SIGNAL_PORT}",
            "-qmp",
            f"unix:{self.folder / 'qmp.sock'},server=on,wait=off",
            # A sound card (Intel HD Audio, as most kiosk PCs have) whose output this
            # machine writes to a WAV file: what a patient would hear (checks.headset).
            "-audiodev",
            f"wav,id=sound0,path={self.sound_file}",
            "-device",
            "ich9-intel-hda",
            "-device",
            "hda-output,audiodev=sound0",
        ]

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for name in ("qga.sock", "qmp.sock", "signal.sock"):
            (self.folder / name).unlink(missing_ok=True)
        command = self.command_line()
        self.log(f"qemu: {' '.join(command)}")
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            command,
            stdout=(self.folder / "qemu.out").open("ab"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while self.qmp is None:
            try:
                self.qmp = Qmp(self.folder / "qmp.sock")
            except (FileNotFoundError, ConnectionRefusedError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise MachineError(
                        f"QEMU did not start: {(self.folder / 'qemu.out').read_text()[-600:]}"
                    ) from None
                time.sleep(0.05)
        self.plugged.clear()

    def since_start(self) -> float:
        return time.monotonic() - self.started_at

    def _qmp(self) -> Qmp:
        if self.qmp is None:
            raise MachineError("the machine is not running")
        return self.qmp

    def screendump(self, path: Path) -> Path:
        """The screen as QEMU shows it, as a PNG file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self._qmp().command("screendump", {"filename": str(path), "format": "png"})
        return path

    def send_keys(self, *keys: str) -> None:
        """Press keys together on the machine's own keyboard, its PS/2 (i8042) one (QEMU
        key codes: "ctrl", "alt", "delete", "sysrq", "b"...), as a person at it would."""
        self._qmp().command("send-key", {"keys": [{"type": "qcode", "data": key} for key in keys]})

    def signals(self) -> GuestSignals:
        """Listen on the guest's signal port; connect before the guest may write to it."""
        return GuestSignals(self.folder / "signal.sock")

    def reset(self) -> None:
        """Pull the power and put it back: what only the guest's memory held (its page
        cache, unwritten buffers) is lost; what it had written to its disk stays, as on a
        disk that keeps each write in order. A real disk's own volatile cache, which can
        lose or reorder the writes a flush did not cover, is not modelled."""
        self.agent.disconnect()
        self._qmp().command("system_reset")
        self.started_at = time.monotonic()

    def plug_stick(self, name: str) -> None:
        """Plug in a USB stick (a FAT image) as a USB mass-storage device."""
        image = self.disks.sticks[name]
        qmp = self._qmp()
        qmp.command(
            "blockdev-add",
            {
                "driver": "raw",
                "node-name": f"{name}-node",
                "read-only": True,
                "file": {"driver": "file", "filename": str(image), "read-only": True},
            },
        )
        qmp.command(
            "device_add",
            {
                "driver": "usb-storage",
                "bus": "xhci.0",
                "drive": f"{name}-node",
                "id": name,
                "removable": True,  # lsblk's RM column says 1, as for a real stick
            },
        )
        self.plugged.add(name)

    def unplug_stick(self, name: str) -> None:
        qmp = self._qmp()
        qmp.command("device_del", {"id": name})
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                qmp.command("blockdev-del", {"node-name": f"{name}-node"})
                break
            except MachineError:  # still in use until the guest let go of the device
                time.sleep(0.5)
        self.plugged.discard(name)

    def stop(self) -> None:
        """Power off (if the guest did not) and wait for QEMU to exit."""
        self.agent.disconnect()
        if self.process is None:
            return
        if self.process.poll() is None:
            try:
                self._qmp().command("quit")
            except (MachineError, OSError, TimeoutError):
                self.process.kill()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None
        self.qmp = None
