"""The deploy test's checks: each takes the run, does what a patient, the staff or
systemd does, and returns what it saw, or raises CheckFailedError saying what it saw
instead. In the order deploytest.py runs them; each needs the state the one before
left (the kiosk installed and on screen)."""

from __future__ import annotations

import json
import shlex
import shutil
import time
from pathlib import Path

from driver import CheckFailedError, Run
from machine import SIGNAL_PORT
from prepare import REPO, VERSIONS

# The kiosk's commands as DEPLOY.md has root type them: /usr/local/bin/kiosk, which runs
# /opt/kiosk/kiosk as the kiosk user.
KIOSK = "kiosk"
PIN = "2468"
STORE = "/home/kiosk/.local/share/clinic-kiosk/store"  # the kiosk user's installed packs
SLACK_S = 15  # polling, and systemd's own steps, on an emulated machine
# Test-only settings of this VM (not of the kiosk), written before setup runs:
# the virtual GPU (virtio-gpu without 3D) makes wlroots' GLES2 renderer crash in Mesa's
# software fallback; on real kiosk hardware the GPU's driver renders.
VM_ONLY_DROPIN = "[Service]\nEnvironment=WLR_RENDERER=pixman\n"


def mount_stick(run: Run, name: str, label: str) -> None:
    """Plug a stick in and mount it at /media/usb, as DEPLOY.md says: the partition of
    the removable disk that `lsblk -o NAME,RM,TYPE,LABEL` lists with the stick's label."""
    for other in run.machine.plugged - {name}:
        run.machine.unplug_stick(other)
    if name not in run.machine.plugged:
        run.machine.plug_stick(name)
    run.guest(
        "umount /media/usb 2>/dev/null; for i in $(seq 60); do "
        f'part=$(lsblk -rno NAME,RM,TYPE,LABEL | awk \'$2 == 1 && $3 == "part" && $4 == "{label}" '
        '{print $1}\'); [ -n "$part" ] && break; sleep 0.5; done; '
        'mkdir -p /media/usb && mount "/dev/$part" /media/usb'
    )


def run_setup(run: Run, folder: str, *args: str) -> tuple[str, int, float]:
    """deploy/setup-kiosk.sh ARGS in FOLDER, as the guide says: its output, each line
    stamped with the guest's clock (saved in the results), its exit status, its time."""
    command = f"deploy/setup-kiosk.sh {' '.join(args)}"
    started = time.monotonic()
    result = run.machine.agent.run(
        f'cd {folder} && {{ {command} 2>&1; echo "exit $?"; }}'
        ' | while IFS= read -r line; do echo "$(date +%T) $line"; done',
        timeout=1500,
    )
    took = time.monotonic() - started
    name = "setup-kiosk" + "".join(a.replace("-", "") for a in args if a.startswith("-"))
    (run.results / f"{name}.txt").write_text(result.out)
    last = result.out.strip().splitlines()[-1] if result.out.strip() else ""
    status = int(last.split()[-1]) if last.split()[1:2] == ["exit"] else -1
    run.log(f"{command} exited {status} after {took:.0f} s")
    return result.out, status, took


def setup(run: Run, release: Path) -> str:
    run.machine.agent.write_file(
        "/etc/systemd/system/kiosk.service.d/vm-virtual-gpu.conf", VM_ONLY_DROPIN.encode()
    )
    mount_stick(run, "release", "KIOSKSETUP")
    folder = release.name.removesuffix(".tar.gz")
    run.guest(
        f"cd /media/usb && sha256sum -c {release.name}.sha256 && "
        f"tar -xzf {release.name} -C /root && cd / && umount /media/usb"
    )
    run.machine.unplug_stick("release")
    output, status, took = run_setup(run, f"/root/{folder}", "dist/kiosk")
    if status != 0:
        said = [line[9:] for line in output.strip().splitlines()[:-1]]
        raise CheckFailedError(
            f"deploy/setup-kiosk.sh exited {status} after {took:.0f} s: "
            + (said[-1][:300] if said else "it printed nothing")
        )
    if "The kiosk is running" not in output:
        raise CheckFailedError("setup-kiosk.sh exited 0 but did not say the kiosk is running")
    state = run.unit()
    if state.get("ActiveState") != "active":
        raise CheckFailedError(f"kiosk.service is {state} after setup")
    run.wait_for_screen("welcome", "1-welcome-after-setup", 60)
    # DEPLOY.md, "After setup": the staff PIN, as root, then a restart.
    set_pin = run.guest(f"printf '{PIN}\\n' | {KIOSK} set-pin")
    if "/home/kiosk/.config/clinic-kiosk/kiosk.toml" not in set_pin:
        raise CheckFailedError(
            f"`kiosk set-pin` as root did not write the kiosk user's settings: {set_pin}"
        )
    run.guest("systemctl restart kiosk")
    run.wait_active()
    run.wait_for_screen("welcome", "1-welcome-after-set-pin", 120)
    run.figures["setup_s"] = took
    return (
        f"setup-kiosk.sh exit 0 in {took:.0f} s (packages from the VM's Debian mirror); "
        "kiosk.service active; the screen matches the welcome screen the kiosk draws; "
        "`kiosk set-pin` as root wrote the kiosk user's settings, and the kiosk came back"
    )


def logs(run: Run) -> str:
    pid = run.kiosk_pid()
    cgroup = run.guest(f"cat /proc/{pid}/cgroup").strip()
    cage = run.guest("pgrep -x cage").split()
    cage_cgroup = run.guest(f"cat /proc/{cage[0]}/cgroup").strip() if cage else "no cage"
    if not cgroup.endswith("/kiosk.service") or not cage_cgroup.endswith("/kiosk.service"):
        raise CheckFailedError(
            f"the kiosk is in {cgroup}, cage in {cage_cgroup}: not kiosk.service's cgroup"
        )
    journal = run.guest("journalctl -u kiosk -b --no-pager -o cat")
    wanted = "kiosk.watchdog: systemd watchdog pings every"
    if wanted not in journal:
        raise CheckFailedError(f"`journalctl -u kiosk` lacks the kiosk's own line '{wanted} ...'")
    main = run.unit().get("MainPID")
    if not cage or main != cage[0]:
        raise CheckFailedError(f"kiosk.service's main process is {main}, cage is {cage}")
    return (
        f"cage (main process {main}) and the kiosk ({pid}) run in kiosk.service's control group; "
        "`journalctl -u kiosk` shows the kiosk's messages"
    )


def touch(run: Run) -> str:
    among = ("welcome", "home-v1", "reader-1", "reader-2")
    start = run.targets["start"]
    topic = run.targets["topic"]
    swipe = run.targets["swipe_next"]
    assert isinstance(start, list) and isinstance(topic, list) and isinstance(swipe, list)
    # Plugged in while the kiosk runs: cage must take a touchscreen that comes late
    # (plugged in, or reset by its USB controller), not only one there at its start.
    run.plug_touchscreen()
    run.touch("tap", *start)
    run.wait_for_screen("home-v1", "2-touch-home", 30, among)
    run.touch("tap", *topic)
    run.wait_for_screen("reader-1", "2-touch-reader-card-1", 30, among)
    run.touch("swipe", *swipe, 300)
    run.wait_for_screen("reader-2", "2-touch-reader-card-2", 30, among)
    devices = run.guest("grep -A5 'vmtest touchscreen' /proc/bus/input/devices || true")
    run.log(devices)
    return (
        "a uinput touchscreen plugged in while the kiosk ran tapped Start "
        f"{tuple(start)} -> home, tapped the first topic "
        f"{tuple(topic)} -> its card 1, swiped left -> card 2 ('{run.targets['topic_slug']}'), "
        "each confirmed by the screen's pixels"
    )


def headset(run: Run) -> str:
    """Staff set speech_on_headset: plugging a headset into the sound card's socket starts
    speech mode (docs/SPEECH.md). The socket is a virtual input device (guest/jack.py)
    reporting SW_HEADPHONE_INSERT as an HDA codec does; setup's udev rule
    (91-kiosk-headset.rules) must let the kiosk user read it, and no other input device.
    Speech mode must then be heard: the welcome, read by speech-dispatcher and espeak-ng,
    reaches the VM's sound card (its output written to a WAV file on this machine)."""
    conf = "/home/kiosk/.config/clinic-kiosk/kiosk.toml"
    run.guest(
        "rm -f /run/vmtest/jack.ready; "
        "setsid python3 /run/vmtest/jack.py serve >/run/vmtest/jack.log 2>&1 </dev/null &"
    )
    deadline = time.monotonic() + 30
    while not (node := run.guest("cat /run/vmtest/jack.ready 2>/dev/null || true").strip()):
        if time.monotonic() > deadline:
            said = run.guest("cat /run/vmtest/jack.log")
            raise CheckFailedError(f"jack.py made no headphone socket: {said}")
        time.sleep(0.5)
    run.guest("udevadm settle")
    groups = run.guest("stat -c '%n %G' /dev/input/event*").splitlines()
    ours = [line for line in groups if line.endswith(" kiosk-headset")]
    if ours != [f"{node} kiosk-headset"]:
        raise CheckFailedError(f"group kiosk-headset should hold {node} alone: {groups}")
    log = KioskLog(run)
    log.mark()
    run.guest(f"echo 'speech_on_headset = true' >> {conf} && systemctl restart kiosk")
    run.wait_active()
    run.wait_for_screen("welcome", "6b-headset-welcome", 120)
    log.wait_for("headset is plugged into: vmtest Headphone", 60)
    log.mark()
    sound = run.machine.sound_file
    played_before = sound.stat().st_size if sound.exists() else 0
    run.guest("pkill -USR1 -f '^python3 /run/vmtest/jack.py serve'")
    log.wait_for("a headset was plugged into vmtest Headphone", 30)
    outcome = log.wait_for("speech mode started|speech mode did not start", 60)
    # What a patient hears: the welcome, read by speech-dispatcher through the sound card.
    deadline, heard = time.monotonic() + 120, (0.0, -99.0)
    while heard[0] < MIN_SOUND_S and time.monotonic() < deadline:
        time.sleep(2)
        heard = audible(sound, played_before)
    run.shot("6b-headset-speech-mode")
    ended = log.since("speech mode ended|speech-dispatcher failed")
    earcons = log.since("earcons are off")
    run.guest(
        f"pkill -f '^python3 /run/vmtest/jack.py serve'; sed -i '/speech_on_headset/d' {conf}; "
        "systemctl restart kiosk"
    )
    run.wait_active()
    run.wait_for_screen("welcome", "6b-headset-off-again", 120)
    if "speech mode started" not in outcome or ended:
        raise CheckFailedError(f"speech mode did not start or ended: {outcome} {ended}")
    if heard[0] < MIN_SOUND_S:
        raise CheckFailedError(
            f"speech mode started, but the sound card played {heard[0]:.1f} s of sound "
            f"(peak {heard[1]:.0f} dBFS) in 120 s: nothing a patient would hear"
        )
    if earcons:
        raise CheckFailedError(f"setup's earcons folder is not the kiosk's: {earcons}")
    return (
        f"udev gave the socket ({node}) to group kiosk-headset, and no other input device; "
        f"plugging in started speech mode, and the sound card played {heard[0]:.1f} s of "
        f"speech (peak {heard[1]:.0f} dBFS) within 120 s"
    )


MIN_SOUND_S = 1.0  # the welcome is some 20 s of speech; a second of it is no accident
AUDIBLE = 1000  # of 32767: -30 dBFS, far above a silent card's zeros


def audible(wav: Path, after: int) -> tuple[float, float]:
    """Seconds of sound louder than AUDIBLE in ``wav`` (QEMU's: 16-bit stereo, 44.1 kHz)
    past byte ``after``, and its peak in dBFS."""
    import array
    import math

    if not wav.exists():
        return 0.0, -99.0
    with wav.open("rb") as file:
        file.seek(max(after, 44))
        data = file.read()
    samples = array.array("h", data[: len(data) // 2 * 2])
    loud = sum(1 for sample in samples if abs(sample) > AUDIBLE)
    peak = max((abs(sample) for sample in samples), default=0)
    return loud / 2 / 44_100, 20 * math.log10(max(peak, 1) / 32_767)


class KioskLog:
    """The kiosk's log in the VM, read from a line on (``mark``)."""

    PATH = "/home/kiosk/.local/state/clinic-kiosk/kiosk.log"

    def __init__(self, run: Run) -> None:
        self.run, self.start = run, 0

    def mark(self) -> None:
        self.start = int(self.run.guest(f"wc -l < {self.PATH}").strip() or 0)

    def since(self, pattern: str) -> str:
        """The last line after the mark that matches ``pattern`` (grep -E), or ""."""
        tail = f"tail -n +{self.start + 1} {self.PATH}"
        return self.run.guest(f"{tail} | grep -E '{pattern}' | tail -n 1 || true").strip()

    def wait_for(self, pattern: str, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while not (line := self.since(pattern)):
            if time.monotonic() > deadline:
                end = self.run.guest(f"tail -n 8 {self.PATH}")
                raise CheckFailedError(f"the kiosk's log never said '{pattern}'; its end: {end}")
            time.sleep(1)
        return line


def watchdog(run: Run) -> str:
    """Freeze the kiosk's GUI thread, as a hang does (guest/freeze.py: ptrace stops that
    one thread, the others run on): systemd's watchdog must restart the kiosk, and its
    crash.log must hold the Python stack where it stood, as DEPLOY.md section 4 says.
    Not ``kill -STOP``: that stops every thread, which no hang does, and the abort then
    lands on whichever thread wakes first, racing the exit that follows Xwayland's death."""
    limits = run.unit_times("WatchdogUSec", "TimeoutAbortUSec", "RestartUSec")
    # The last ping may have come just before the freeze: up to WatchdogSec, then the
    # abort (SIGABRT, with SIGCONT) up to TimeoutAbortSec, then RestartSec.
    limit = sum(limits.values()) + SLACK_S
    pid = run.kiosk_pid()
    before = int(run.unit()["NRestarts"])
    run.guest(
        f"setsid python3 /run/vmtest/freeze.py {pid} >/run/vmtest/freeze.log 2>&1 </dev/null &"
    )
    stopped = time.monotonic()
    while "frozen" not in run.guest("cat /run/vmtest/freeze.log"):
        if time.monotonic() - stopped > 30:
            raise CheckFailedError(f"freeze.py did not stop the GUI thread of process {pid}")
        time.sleep(0.5)
    run.shot("3-watchdog-frozen")
    while int(run.unit()["NRestarts"]) == before:
        if time.monotonic() - stopped > limit:
            raise CheckFailedError(f"no restart {limit:.0f} s after the freeze ({limits})")
        time.sleep(1)
    restarted = time.monotonic() - stopped
    run.wait_for_screen("welcome", "3-watchdog-welcome-again", 120)
    back = time.monotonic() - stopped
    journal = run.guest("journalctl -u kiosk -b --no-pager -o cat")
    if "Watchdog timeout" not in journal:
        raise CheckFailedError("the journal of kiosk.service does not say 'Watchdog timeout'")
    crash = run.guest("cat /home/kiosk/.local/state/clinic-kiosk/crash.log 2>/dev/null || true")
    # The kiosk writes the hung GUI thread's stack itself before the abort ("Timeout",
    # kiosk/ui/system/watchdog.py); the abort may add another. It ends in run_kiosk, where the
    # GUI thread runs Qt's event loop.
    dumped = "Timeout (" in crash or "Fatal Python error: Aborted" in crash
    if not dumped or "in run_kiosk" not in crash:
        # Evidence for the log: what the state folder holds, and the kiosk's own last words.
        run.guest(
            "ls -la --time-style=full-iso /home/kiosk/.local/state/clinic-kiosk; "
            "tail -n 20 /home/kiosk/.local/state/clinic-kiosk/kiosk.log; "
            f"journalctl -b --no-pager -o short-monotonic _PID={pid} | tail -n 20"
        )
        said = " | ".join(crash.strip().splitlines()[-6:]) or "nothing"
        raise CheckFailedError(f"crash.log holds no stack of the GUI thread; its end: {said}")
    run.figures["watchdog_restart_s"] = restarted
    return (
        f"GUI thread frozen: 'Watchdog timeout' and a restart after {restarted:.0f} s (limit "
        f"{limit:.0f} s from the unit's own times); welcome screen again after {back:.0f} s; "
        "crash.log holds the frozen Python stack"
    )


def keyboard_interrupts(run: Run) -> int:
    """Interrupts of the machine's keyboard controller (i8042, IRQ 1) so far."""
    line = run.guest("grep -E '^ *1:' /proc/interrupts")
    return sum(int(word) for word in line.split()[1:] if word.isdigit())


def keys_do_nothing(run: Run, unit: str) -> str:
    """A keyboard's ways out (Ctrl+Alt+Del, Alt+SysRq+B to reboot, Alt+SysRq+K to kill
    what runs on the console) change nothing: the same boot, the same unit running. The
    keyboard controller's interrupts show that the keys did reach the machine."""
    up = float(run.guest("cut -d' ' -f1 /proc/uptime"))
    interrupts = keyboard_interrupts(run)
    main = run.unit(unit).get("MainPID")
    for keys in (("ctrl", "alt", "delete"), ("alt", "sysrq", "b"), ("alt", "sysrq", "k")):
        run.machine.send_keys(*keys)
        time.sleep(3)
    after = float(run.guest("cut -d' ' -f1 /proc/uptime"))
    pressed = keyboard_interrupts(run) - interrupts
    state = run.unit(unit)
    if pressed < 6:  # a press and a release of each key, at least
        raise CheckFailedError(f"the keys did not reach the machine ({pressed} interrupts)")
    if after < up or state.get("MainPID") != main or state.get("ActiveState") != "active":
        raise CheckFailedError(
            f"keys reached the system: uptime {up:.0f} s -> {after:.0f} s, {unit} {state}"
        )
    return f"Ctrl+Alt+Del, Alt+SysRq+B and Alt+SysRq+K ({pressed} keyboard interrupts) did nothing"


def refused(run: Run, command: str, because: str) -> None:
    """``command`` must fail, saying ``because`` (not for some unrelated reason)."""
    result = run.machine.agent.run(command, 60)
    said = (result.out + result.err).strip()
    run.log(f"guest$ {command}\n  -> {result.status}: {said}")
    if result.ok or because not in said:
        raise CheckFailedError(f"`{command}` was not refused with '{because}': {said[:200]}")


def local_users(run: Run) -> str:
    """Another account on the machine, even one in group video as Debian's installer makes
    the first person's, cannot see or drive what a patient reads, nor take the seat, nor
    read the kiosk's settings. The same display command inside the unit works."""
    run.guest("id visitor >/dev/null 2>&1 || useradd -m -G video visitor")
    as_visitor = "runuser -u visitor -- "
    display = "env DISPLAY=:0 xset q"
    inside = f"nsenter -t {run.kiosk_pid()} -m -n runuser -u kiosk -- {display}"
    if "Screen Saver" not in run.guest(inside):  # xset q reports the display's settings
        raise CheckFailedError(f"`{inside}` did not reach the kiosk's display")
    refused(run, as_visitor + display, "unable to open display")
    connect = "import socket; socket.socket(socket.AF_UNIX).connect('/run/seatd.sock')"
    refused(run, as_visitor + f"python3 -c {shlex.quote(connect)}", "PermissionError")
    refused(
        run,
        as_visitor + "cat /home/kiosk/.config/clinic-kiosk/kiosk.toml",
        "Permission denied",
    )
    keys = keys_do_nothing(run, "kiosk.service")
    run.wait_for_screen("welcome", "1c-after-keys", 30)
    return (
        "a local user in group video could not open the kiosk's X display (which works from "
        f"inside the unit); seatd and the kiosk's settings refused it too; at the kiosk, {keys}"
    )


def crash_until_failed(run: Run) -> int:
    kills = 0
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if run.unit("kiosk-failed@kiosk.service").get("ActiveState") == "active":
            return kills
        state = run.unit()
        if state.get("MainPID", "0") != "0":
            run.guest("systemctl kill -s KILL kiosk.service", check=False)
            kills += 1
        time.sleep(2)
    raise CheckFailedError(
        f"after {kills} kills in 300 s the 'ask staff' screen did not start: {run.unit()}"
    )


def crash_loop(run: Run) -> str:
    kills = crash_until_failed(run)
    words = ("Please ask a member of staff for help.", "Por favor, pida ayuda al personal.")
    deadline = time.monotonic() + 30
    text = ""
    while not all(w in text for w in words) and time.monotonic() < deadline:
        time.sleep(1)
        text = run.guest("cat /dev/vcs1")
    if not all(w in text for w in words):
        raise CheckFailedError(f"tty1 does not ask for staff: {' '.join(text.split())[:200]}")
    vt = run.guest("fgconsole").strip()
    # KDGETMODE: 0 is text (what the console draws is what the screen shows), 1 graphics.
    mode = run.guest(
        'python3 -c "import fcntl, struct; b = bytearray(4); '
        "fcntl.ioctl(open('/dev/tty1'), 0x4B3B, b); print(struct.unpack('i', b)[0])\""
    ).strip()
    shot = run.shot("4-crash-loop-ask-staff")
    dark = run.screens.dark_share(shot)
    if vt != "1" or mode != "0" or not 0.8 <= dark < 0.995:
        raise CheckFailedError(
            f"the screen is not the text console: VT {vt}, mode {mode}, {dark:.1%} dark"
        )
    keys = keys_do_nothing(run, "kiosk-failed@kiosk.service")
    # Recovery as DEPLOY.md section 6 says.
    run.guest("systemctl reset-failed kiosk && systemctl start --no-block kiosk")
    run.wait_active()
    run.wait_for_screen("welcome", "4-recovered-by-staff", 120)
    # The screen's own retry (KIOSK_RETRY_AFTER_SEC, 1800 s; 20 s for this test only).
    run.machine.agent.write_file(
        "/run/systemd/system/kiosk-failed@.service.d/vmtest.conf",
        b"[Service]\nEnvironment=KIOSK_RETRY_AFTER_SEC=20\n",
    )
    run.guest("systemctl daemon-reload")
    again = crash_until_failed(run)
    failed_at = time.monotonic()
    run.wait_for_screen("welcome", "4-recovered-by-retry", 180)
    retry = time.monotonic() - failed_at
    run.guest("rm -r /run/systemd/system/kiosk-failed@.service.d && systemctl daemon-reload")
    triggers = run.guest(
        "journalctl -b --no-pager -o cat _PID=1 | grep -c 'trigger source candidates' || true"
    )
    if triggers.strip() != "0":
        raise CheckFailedError(
            f"systemd logged 'multiple trigger source candidates' {triggers.strip()} times"
        )
    return (
        f"{kills} kills -> kiosk-failed@kiosk: tty1 (VT {vt}) says 'Please ask a member of "
        f"staff for help' in English and Spanish ({dark:.0%} of the screen dark); "
        "`systemctl reset-failed kiosk && systemctl start kiosk` brought the welcome screen "
        f"back; after {again} more kills the screen's own retry "
        f"did too ({retry:.0f} s, retry set to 20 s); on that screen {keys}"
    )


def installed_version(run: Run) -> int:
    """The installed pack's content version, from `kiosk content status`, which also
    checks every file of it against its signed manifest."""
    status = run.guest(f"{KIOSK} content status", check=False)
    installed = next((line for line in status.splitlines() if line.startswith("Installed:")), "")
    if installed.startswith("Installed: none"):
        return 1  # nothing installed: the kiosk shows its bundled content (version 1)
    if "Integrity: OK" not in status:
        raise CheckFailedError(
            f"`kiosk content status` does not say 'Integrity: OK': {status.strip()[-300:]}"
        )
    words = installed.replace(")", " ").replace(",", " ").split()
    try:
        return int(words[words.index("version") + 1])
    except (ValueError, IndexError) as err:
        raise CheckFailedError(f"cannot read the content version from: {installed}") from err


def home_shows(run: Run, name: str) -> int:
    """Tap Start; which pack's home screen (its content version) does the patient see?"""
    homes = tuple(n for n in run.screens.references if n.startswith("home-v"))
    run.wait_for_screen("welcome", f"{name}-welcome", 240)
    start = run.targets["start"]
    assert isinstance(start, list)
    run.touch("tap", *start)
    try:
        shown, _ = run.wait_for_screen(homes, f"{name}-home", 30, (*homes, "welcome"))
    except CheckFailedError as err:
        # Seen once in CI after a reboot (2026-12-03), with no evidence kept: the tap was
        # not taken, or the kiosk was busy. The log keeps what the kiosk said; one more
        # tap, as a patient would, and the check says so.
        run.log(f"{name}: no home screen 30 s after the tap ({err}); the kiosk's journal:")
        run.log(run.guest("journalctl -u kiosk -n 30 --no-pager", check=False))
        run.touch("tap", *start)
        shown, _ = run.wait_for_screen(homes, f"{name}-home", 60, (*homes, "welcome"))
        run.retaps.append(name)
    return int(shown.removeprefix("home-v"))


def install_watched(run: Run, pack: Path) -> dict[str, float]:
    """Install a pack from the stick, as ADMIN.md says, and time its steps in the guest:
    when its unpack folder appeared and when ``current`` switched (guest/installwatch.py)."""
    command = f"python3 /run/vmtest/installwatch.py {STORE} -- {KIOSK} content install "
    report = json.loads(run.guest(command + f"/media/usb/{pack.name}", timeout=600))
    run.log(f"install: {report}")
    if report["status"] != 0 or not {"incoming", "switched"} <= report["moments"].keys():
        raise CheckFailedError(f"the install did not go as expected: {report}")
    moments: dict[str, float] = report["moments"]
    return moments


def after_power_cut(run: Run, name: str) -> tuple[int, int, bool]:
    """After a power cut: the pack `kiosk content status` finds (and verifies), the one
    the home screen shows, and whether a half-written unpack folder was left behind."""
    run.reset()
    run.after_boot()
    run.wait_active(timeout=300)
    left = run.guest(f"ls -a {STORE}/packs").split()
    status = installed_version(run)
    seen = home_shows(run, name)
    return status, seen, any(entry.startswith(".incoming-") for entry in left)


def power_cut(run: Run, packs: dict[int, Path]) -> str:
    """The power goes while a pack installs: after the reboot the kiosk shows a whole,
    verified pack, the old one or the new one. An install that runs to its end gives the
    length of the writing (from its unpack folder appearing to the ``current`` link
    switching); the next install says over a serial port when its own unpack folder
    appears, and the power goes two fifths of that length after it (each install's
    start-up time varies by seconds under TCG, its writing by less: two fifths lands
    inside the writing with room on both sides). One more cut comes just after an install
    said "installed": it must be the new pack then.

    One cut while writing, not more: each costs a boot (about 4 minutes under TCG, and CI
    has 45), and tests/test_install_reliability.py kills an install at 2,000 moments of
    its writing (``make stress``); this shows that a real power cut, page cache lost,
    agrees. (Until 2026-12-03 a second cut, at three fifths, came out the same.)"""
    mount_stick(run, "packs", "KIOSKPACKS")
    run.guest(f"{KIOSK} content trust /media/usb/kiosk-signing.pub.txt")
    first = VERSIONS[0]
    moments = install_watched(run, packs[first])
    status, seen, _ = after_power_cut(run, "5-after-done")
    if status != first or seen != first:
        raise CheckFailedError(
            f"power cut right after a finished install of version {first}: status says "
            f"version {status}, the screen shows version {seen}"
        )
    outcomes = [f"just after 'installed' ({moments['exited']:.1f} s): version {first}"]
    writing = moments["switched"] - moments["incoming"]
    old, in_window = first, 0
    for version, share in zip(VERSIONS[1:], (0.4,), strict=True):
        mount_stick(run, "packs", "KIOSKPACKS")
        delay = writing * share
        command = (
            f"python3 /run/vmtest/installwatch.py {STORE} --signal /dev/virtio-ports/"
            f"{SIGNAL_PORT} -- {KIOSK} content install /media/usb/{packs[version].name}"
        )
        run.log(f"guest$ {command} (power cut {delay:.2f} s after its unpack folder appears)")
        with run.machine.signals() as signals:
            run.machine.agent.start(command)
            signals.wait_for("incoming", timeout=300)
            time.sleep(delay)
            status, seen, half_written = after_power_cut(run, f"5-cut-v{version}")
        if status not in (old, version) or seen != status:
            raise CheckFailedError(
                f"cut {delay:.2f} s into writing version {version} over {old}: status "
                f"says version {status}, the screen shows version {seen}"
            )
        in_window += half_written
        outcomes.append(
            f"{delay:.2f} s into writing version {version}: version {seen} "
            + ("(new)" if seen == version else "(old)")
            + (", a half-written unpack folder left and ignored" if half_written else "")
        )
        old = status
    if not in_window:
        raise CheckFailedError(
            "no cut fell while the pack was being written (no half-written unpack folder "
            f"after any): {'; '.join(outcomes)}"
        )
    run.installed_version = old
    run.figures["install_writing_s"] = writing
    return (
        f"an install writes for {writing:.2f} s; power cut "
        + "; ".join(outcomes)
        + ": each time a whole, verified pack on screen"
    )


def reboot(run: Run) -> str:
    version = run.installed_version
    run.power_off()
    run.power_on()
    _, seen = run.wait_for_screen("welcome", "6-reboot-welcome", 300)
    run.after_boot()
    run.wait_active()
    active = run.unit()
    shown = home_shows(run, "6-reboot")
    if active.get("ActiveState") != "active" or shown != version:
        raise CheckFailedError(
            f"after the reboot: kiosk.service {active}, the screen shows version {shown}, "
            f"installed {version}"
        )
    run.kiosk_first_frame_s = seen
    return (
        f"cold boot: welcome screen {seen:.1f} s after power-on, then version {shown} "
        "(the installed pack) on home"
    )


def bare_unit() -> str:
    """The baseline's unit: deploy/kiosk.service itself (the same user, seat, groups,
    namespaces and platform), with the bare window for the kiosk, and without what only a
    program that notifies systemd has (readiness, watchdog, failure screen)."""
    unit = (REPO / "deploy" / "kiosk.service").read_text("utf-8")
    kept = [
        line
        for line in unit.splitlines()
        if not line.startswith(
            ("Type=", "NotifyAccess=", "WatchdogSec=", "OnFailure=", "ExecStart=", "Description=")
        )
    ]
    text = "\n".join(kept).replace(
        "[Service]",
        "[Service]\nType=simple\nEnvironment=WLR_RENDERER=pixman\n"
        "ExecStart=/usr/bin/cage -d -- /opt/vmtest/bare-window/bare-window",
    )
    return text.replace(
        "[Unit]", "[Unit]\nDescription=TEST ONLY: a bare PySide6 window under cage", 1
    )


def first_frame(run: Run) -> str:
    kiosk = run.kiosk_first_frame_s
    if kiosk is None:
        raise CheckFailedError("no kiosk figure: the reboot check did not measure one")
    mount_stick(run, "baseline", "KIOSKBASE")
    run.guest(
        "mkdir -p /opt/vmtest && tar -xzf /media/usb/bare-window.tar.gz -C /opt/vmtest"
        " && umount /media/usb"
    )
    run.machine.agent.write_file("/etc/systemd/system/vmtest-bare.service", bare_unit().encode())
    run.guest("systemctl disable kiosk.service && systemctl enable vmtest-bare.service")
    run.power_off()
    run.power_on()
    deadline = time.monotonic() + 300
    bare = None
    while time.monotonic() < deadline:
        taken = run.machine.since_start()
        shot = run.machine.screendump(run.results / "screens" / "poll.png")
        if run.screens.dark_share(shot) < 0.05:
            bare = taken
            shutil.copy(shot, run.results / "screens" / "7-bare-window.png")
            break
        time.sleep(0.5)
    run.after_boot()
    run.guest("systemctl disable --now vmtest-bare.service && systemctl enable --now kiosk.service")
    if bare is None:
        raise CheckFailedError("the bare window never covered the screen within 300 s")
    ratio = kiosk / bare
    run.figures["bare_first_frame_s"] = bare
    run.figures["first_frame_ratio"] = ratio
    return (
        f"power-on to first frame: kiosk {kiosk:.1f} s, bare cage + bare PySide6 window "
        f"{bare:.1f} s "
        f"(same VM, {run.machine.accel.upper()}): ratio {ratio:.2f}"
    )


def x11(run: Run, release: Path) -> str:
    folder = release.name.removesuffix(".tar.gz")
    # The kiosk user (a compromised kiosk) plants a link where setup writes its read-aloud
    # settings; running setup again (an update) must not write through it as root.
    run.guest(
        "runuser -u kiosk -- sh -c 'rm -rf ~/.config/speech-dispatcher && "
        "ln -s /etc/systemd/system ~/.config/speech-dispatcher'"
    )
    output, status, _ = run_setup(run, f"/root/{folder}", "--x11", "dist/kiosk")
    planted = run.guest(
        "stat -c %U /etc/systemd/system; ls /etc/systemd/system/speechd.conf || true"
    )
    if not planted.startswith("root") or "speechd.conf" in planted.split("\n", 1)[1]:
        raise CheckFailedError(f"setup wrote through the kiosk user's link: {planted}")
    if status != 0:
        raise CheckFailedError(f"setup-kiosk.sh --x11 exited {status}: " + output.strip()[-300:])
    if "already holds this program" not in output:
        raise CheckFailedError("run again with the same release, setup copied the program again")
    _, _seen = run.wait_for_screen("welcome", "8-x11-welcome", 120)
    pid = run.kiosk_pid()
    cgroup = run.guest(f"cat /proc/{pid}/cgroup").strip()
    state = run.unit("kiosk-x11.service")
    if state.get("ActiveState") != "active" or not cgroup.endswith("/kiosk-x11.service"):
        raise CheckFailedError(f"kiosk-x11.service {state}; the kiosk in {cgroup}")
    refused = run.machine.agent.run("runuser -u visitor -- env DISPLAY=:0 xset q", 60)
    if refused.ok:
        raise CheckFailedError("another account reached the X11 fallback's display")
    return (
        "setup-kiosk.sh --x11 (run again over a link the kiosk user planted, which it did "
        "not follow; the same program, not copied again): kiosk-x11.service active "
        "(READY=1 from the kiosk, in its cgroup); "
        "welcome screen; another account cannot open its display"
    )
