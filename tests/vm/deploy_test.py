"""``make deploy-test``: the kiosk deployed on a real Debian 12 system, as docs/DEPLOY.md
tells a clinic's IT person, and checked as the patient, the staff and systemd meet it.

    deploy_test.py --release TARBALL --results FOLDER [--fresh-image]

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
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

import image  # noqa: E402
from machine import SCREEN, Disks, Machine, MachineError, kvm_works  # noqa: E402
from screens import Screens, Verdict  # noqa: E402

PY = sys.executable
KIOSK = "/opt/kiosk/kiosk"
AS_KIOSK = "runuser -u kiosk -- "  # what DEPLOY.md tells root to type (no sudo needed)
WATCHDOG_SEC = 30  # deploy/kiosk.service
WATCHDOG_MARGIN = 20  # systemd's stop (TimeoutStopSec=15 at most) and the 5 s RestartSec
# Test-only settings of this VM (not of the kiosk), written before setup runs:
# the virtual GPU (virtio-gpu without 3D) makes wlroots' GLES2 renderer crash in Mesa's
# software fallback; on real kiosk hardware the GPU's driver renders.
VM_ONLY_DROPIN = "[Service]\nEnvironment=WLR_RENDERER=pixman\n"
VERSIONS = (2, 3, 4, 5)  # packs built for the power-cut trials (bundled content is 1)


class CheckFailedError(Exception):
    """A check saw something other than what it asks for."""


@dataclass
class Run:
    results: Path
    machine: Machine
    screens: Screens
    targets: dict[str, object]
    lines: list[str] = field(default_factory=list)
    boots: int = 0
    figures: dict[str, float] = field(default_factory=dict)

    # --- logging and evidence ------------------------------------------------------------

    def log(self, message: str) -> None:
        line = f"[{time.strftime('%H:%M:%S')}] {message}"
        with (self.results / "log.txt").open("a") as log:
            log.write(line + "\n")

    def guest(self, command: str, timeout: float = 120, check: bool = True) -> str:
        self.log(f"guest$ {command}")
        result = self.machine.agent.run(command, timeout)
        output = (result.out + result.err).strip()
        self.log(f"  -> {result.status}: {output[-1500:]}")
        if check:
            result.check()
        return result.out

    def shot(self, name: str) -> Path:
        return self.machine.screendump(self.results / "screens" / f"{name}.png")

    def identify(self, name: str, among: tuple[str, ...] | None = None) -> Verdict:
        verdict = self.screens.identify(self.shot(name), among)
        self.log(f"screen {name}: {verdict.describe()}")
        return verdict

    def wait_for_screen(
        self,
        expected: str | tuple[str, ...],
        name: str,
        timeout: float,
        among: tuple[str, ...] | None = None,
    ) -> tuple[str, float]:
        """Screendumps every half second until the screen is one of ``expected``;
        which one, and when (seconds since the machine started)."""
        wanted = (expected,) if isinstance(expected, str) else expected
        deadline = time.monotonic() + timeout
        verdict = None
        while time.monotonic() < deadline:
            verdict = self.screens.identify(
                self.machine.screendump(self.results / "screens" / "poll.png"), among
            )
            if verdict.name in wanted:
                seen_at = self.machine.since_start()
                shutil.copy(
                    self.results / "screens" / "poll.png", self.results / "screens" / f"{name}.png"
                )
                self.log(f"screen {name}: {verdict.describe()} at +{seen_at:.1f}s")
                return verdict.name, seen_at
            time.sleep(0.5)
        shutil.copy(self.results / "screens" / "poll.png", self.results / "screens" / f"{name}.png")
        raise CheckFailedError(
            f"the screen did not show {' or '.join(wanted)} within {timeout:.0f} s; it shows "
            + (verdict.describe() if verdict else "nothing")
            + f" (screens/{name}.png)"
        )

    def unit(self, name: str = "kiosk.service") -> dict[str, str]:
        out = self.guest(
            f"systemctl show {name} -p ActiveState -p SubState -p Result -p NRestarts -p MainPID",
            check=False,
        )
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    def wait_active(self, name: str = "kiosk.service", timeout: float = 180) -> float:
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.unit(name).get("ActiveState") == "active":
                return time.monotonic() - start
            time.sleep(2)
        raise CheckFailedError(f"{name} is {self.unit(name)} after {timeout:.0f} s")

    def kiosk_pid(self) -> int:
        out = self.guest("pgrep -u kiosk -x kiosk || true").split()
        if len(out) != 1:
            raise CheckFailedError(f"expected one kiosk process, found {out or 'none'}")
        return int(out[0])

    def touch(self, *args: object) -> None:
        size = "{}x{}".format(*SCREEN)
        self.guest(
            f"KIOSK_TEST_SCREEN={size} python3 /run/vmtest/touch.py " + " ".join(map(str, args))
        )

    def save_journal(self, name: str) -> None:
        try:
            text = self.guest(
                "journalctl -b --no-pager -o short-monotonic", timeout=120, check=False
            )
            (self.results / f"journal-{name}.txt").write_text(text)
        except MachineError as err:
            self.log(f"no journal for {name}: {err}")

    def record(self, name: str, check: Callable[[], str]) -> bool:
        """Run one check; print and keep its one line."""
        self.log(f"=== check {name}")
        started = time.monotonic()
        try:
            detail = check()
            line = f"PASS {name}: {detail}"
        except (CheckFailedError, MachineError, TimeoutError, OSError) as err:
            line = f"FAIL {name}: {err}"
            self.log(traceback.format_exc())
        line += f" [{time.monotonic() - started:.0f} s]"
        print(line, flush=True)
        self.lines.append(line)
        self.log(line)
        return line.startswith("PASS")

    # --- the machine's life ---------------------------------------------------------------

    def reset(self) -> None:
        """A power cut: the machine starts again at once."""
        self.boots += 1
        self.machine.reset()

    def after_boot(self) -> None:
        """Wait for the guest agent; plug in the touchscreen (guest/touch.py, in /run)."""
        self.machine.agent.connect(420)
        self.machine.agent.write_file(
            "/run/vmtest/touch.py", (HERE / "guest" / "touch.py").read_bytes()
        )
        self.guest(
            "setsid python3 /run/vmtest/touch.py serve >/run/vmtest/touch.log 2>&1 </dev/null &"
        )

    def power_off(self) -> None:
        """Shut down cleanly, as `systemctl poweroff` does, and wait for it."""
        self.save_journal(f"boot{self.boots}")
        self.guest("systemctl poweroff", check=False)
        deadline = time.monotonic() + 180
        while self.machine.process and self.machine.process.poll() is None:
            if time.monotonic() > deadline:
                raise CheckFailedError("the VM did not power off within 180 s")
            time.sleep(1)
        self.machine.stop()

    def power_on(self) -> None:
        """Start the machine; the screen can be watched at once, the agent comes later."""
        self.boots += 1
        self.machine.start()


# --- Preparation on the host ---------------------------------------------------------------


def make_pack_versions(
    work: Path, log: Callable[[str], None]
) -> tuple[dict[int, Path], Path, dict[int, Path]]:
    """Signed packs v2..v5 of the bundled content, each visibly different on the home
    screen (its first topic's title says the version); their content folders."""
    keys = work / "keys"
    subprocess.run(
        [PY, "-m", "kiosk", "keygen", "--out", str(keys)], check=True, capture_output=True
    )
    private = next(keys.glob("*.key"))
    public = next(p for p in keys.iterdir() if p != private)
    packs: dict[int, Path] = {}
    folders: dict[int, Path] = {}
    for version in VERSIONS:
        folder = work / f"content-v{version}"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(REPO / "content", folder)
        toml = folder / "pack.toml"
        toml.write_text(
            toml.read_text("utf-8").replace("version = 1\n", f"version = {version}\n", 1)
        )
        article = folder / "en" / "topics" / "harm-reduction-therapy.md"
        text = article.read_text("utf-8")
        article.write_text(
            text.replace(
                "title: Harm Reduction Therapy", f"title: Harm Reduction Therapy {version}", 1
            )
        )
        packs[version] = work / f"clinic-health-v{version}.kpack"
        subprocess.run(
            [
                PY,
                "-m",
                "kiosk",
                "content",
                "build",
                str(folder),
                "-o",
                str(packs[version]),
                "--key",
                str(private),
            ],
            check=True,
            capture_output=True,
        )
        folders[version] = folder
        time.sleep(1.1)  # a pack's build number is its build time, in whole seconds
    log(f"packs: {', '.join(p.name for p in packs.values())}; public key {public.name}")
    return packs, public, folders


def render_references(folder: Path, out: Path) -> dict[str, object]:
    subprocess.run(
        [PY, str(HERE / "references.py"), str(folder), str(out), "{}x{}".format(*SCREEN)],
        check=True,
        capture_output=True,
    )
    targets: dict[str, object] = json.loads((out / "targets.json").read_text())
    return targets


def freeze_bare_window(work: Path) -> Path:
    """The baseline app, frozen as the kiosk is (PyInstaller, one folder), as a tarball."""
    subprocess.run(
        [
            str(Path(PY).parent / "pyinstaller"),
            "--noconfirm",
            "--log-level",
            "ERROR",
            "--onedir",
            "--name",
            "bare-window",
            "--distpath",
            str(work / "bare"),
            "--workpath",
            str(work / "bare-build"),
            "--specpath",
            str(work / "bare-build"),
            str(HERE / "guest" / "bare_window.py"),
        ],
        check=True,
        capture_output=True,
    )
    tarball = work / "bare-window.tar.gz"
    subprocess.run(
        ["tar", "-C", str(work / "bare"), "-czf", str(tarball), "bare-window"], check=True
    )
    return tarball


# --- The checks ------------------------------------------------------------------------------


def mount_stick(run: Run, name: str, label: str) -> None:
    """Plug a stick in and mount it at /media/usb, as DEPLOY.md and ADMIN.md say."""
    if name not in run.machine.plugged:
        run.machine.plug_stick(name)
    run.guest(
        f"for i in $(seq 60); do [ -e /dev/disk/by-label/{label} ] && break; sleep 0.5; done; "
        f"mkdir -p /media/usb && (mountpoint -q /media/usb || mount -o ro LABEL={label} /media/usb)"
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


def check_setup(run: Run, release: Path) -> str:
    run.guest(
        f"mkdir -p /etc/systemd/system/kiosk.service.d && printf '{VM_ONLY_DROPIN}' "
        "> /etc/systemd/system/kiosk.service.d/vm-virtual-gpu.conf"
    )
    # DEPLOY.md section 7: keep the journal across reboots (the power-cut trials read it).
    run.guest("mkdir -p /var/log/journal && systemctl restart systemd-journald")
    mount_stick(run, "release", "KIOSKSETUP")
    folder = release.name.removesuffix(".tar.gz")
    run.guest(f"tar -xzf /media/usb/{release.name} -C /root && umount /media/usb")
    run.machine.unplug_stick("release")
    output, status, took = run_setup(run, f"/root/{folder}", "dist/kiosk")
    if status != 0:
        raise CheckFailedError(
            f"deploy/setup-kiosk.sh exited {status} after {took:.0f} s: "
            + output.strip().splitlines()[-2][9:300]
        )
    if "The kiosk is running" not in output:
        raise CheckFailedError("setup-kiosk.sh exited 0 but did not say the kiosk is running")
    state = run.unit()
    if state.get("ActiveState") != "active":
        raise CheckFailedError(f"kiosk.service is {state} after setup")
    _, _seen = run.wait_for_screen("welcome", "1-welcome-after-setup", 60)
    run.figures["setup_s"] = took
    return (
        f"setup-kiosk.sh exit 0 in {took:.0f} s (packages from the VM's Debian mirror); "
        f"kiosk.service active; the screen matches the welcome screen the kiosk draws"
    )


def check_logs(run: Run) -> str:
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


def check_touch(run: Run) -> str:
    among = ("welcome", "home", "reader-1", "reader-2")
    start = run.targets["start"]
    topic = run.targets["topic"]
    swipe = run.targets["swipe_next"]
    assert isinstance(start, list) and isinstance(topic, list) and isinstance(swipe, list)
    run.touch("tap", *start)
    run.wait_for_screen("home", "2-touch-home", 30, among)
    run.touch("tap", *topic)
    run.wait_for_screen("reader-1", "2-touch-reader-card-1", 30, among)
    run.touch("swipe", *swipe, 300)
    run.wait_for_screen("reader-2", "2-touch-reader-card-2", 30, among)
    devices = run.guest("grep -A5 'vmtest touchscreen' /proc/bus/input/devices || true")
    run.log(devices)
    return (
        f"a uinput touchscreen tapped Start {tuple(start)} -> home, tapped the first topic "
        f"{tuple(topic)} -> its card 1, swiped left -> card 2 ('{run.targets['topic_slug']}'), "
        "each confirmed by the screen's pixels"
    )


def check_watchdog(run: Run) -> str:
    pid = run.kiosk_pid()
    before = int(run.unit()["NRestarts"])
    run.guest(f"kill -STOP {pid}")
    stopped = time.monotonic()
    run.shot("3-watchdog-frozen")
    limit = WATCHDOG_SEC + WATCHDOG_MARGIN
    while int(run.unit()["NRestarts"]) == before:
        if time.monotonic() - stopped > limit + 30:
            raise CheckFailedError(f"no restart {limit + 30} s after SIGSTOP")
        time.sleep(1)
    restarted = time.monotonic() - stopped
    if restarted > limit:
        raise CheckFailedError(
            f"restarted {restarted:.0f} s after SIGSTOP; "
            f"WatchdogSec={WATCHDOG_SEC} + {WATCHDOG_MARGIN} s"
        )
    _, _seen = run.wait_for_screen("welcome", "3-watchdog-welcome-again", 120)
    back = time.monotonic() - stopped
    journal = run.guest("journalctl -u kiosk -b --no-pager -o cat")
    if "Watchdog timeout" not in journal:
        raise CheckFailedError("the journal of kiosk.service does not say 'Watchdog timeout'")
    crash = run.guest("cat /home/kiosk/.local/state/clinic-kiosk/crash.log 2>/dev/null || true")
    stack = "Fatal Python error: Aborted" in crash
    run.figures["watchdog_restart_s"] = restarted
    return (
        f"SIGSTOP'd kiosk: 'Watchdog timeout' and a restart after {restarted:.0f} s "
        f"(limit {WATCHDOG_SEC}+{WATCHDOG_MARGIN}); welcome screen again after {back:.0f} s; "
        + ("crash.log holds the frozen Python stack" if stack else "no Python stack in crash.log")
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


def check_crash_loop(run: Run) -> str:
    kills = crash_until_failed(run)
    time.sleep(3)
    vt = run.guest("fgconsole").strip()
    text = run.guest("cat /dev/vcs1")
    shot = run.shot("4-crash-loop-ask-staff")
    dark = run.screens.dark_share(shot)
    for words in ("Please ask a member of staff for help.", "Por favor, pida ayuda al personal."):
        if words not in text:
            raise CheckFailedError(
                f"tty1 does not say '{words}' (it says: {' '.join(text.split())[:200]})"
            )
    if vt != "1" or dark < 0.8:
        raise CheckFailedError(f"the screen is not the text console: VT {vt}, {dark:.0%} dark")
    # Recovery as DEPLOY.md section 6 says.
    run.guest("systemctl reset-failed kiosk && systemctl start --no-block kiosk")
    run.wait_active()
    run.wait_for_screen("welcome", "4-recovered-by-staff", 120)
    # The screen's own retry (KIOSK_RETRY_AFTER_SEC, 1800 s; 20 s for this test only).
    run.guest(
        "mkdir -p /run/systemd/system/kiosk-failed@.service.d && printf '[Service]\\n"
        "Environment=KIOSK_RETRY_AFTER_SEC=20\\n' > /run/systemd/system/kiosk-failed@.service.d/"
        "vmtest.conf && systemctl daemon-reload"
    )
    again = crash_until_failed(run)
    failed_at = time.monotonic()
    run.wait_for_screen("welcome", "4-recovered-by-retry", 180)
    retry = time.monotonic() - failed_at
    run.guest("rm -r /run/systemd/system/kiosk-failed@.service.d && systemctl daemon-reload")
    triggers = run.guest(
        "journalctl -b --no-pager -o cat | grep -c 'trigger source candidates' || true"
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
        f"did too ({retry:.0f} s, retry set to 20 s)"
    )


def installed_version(run: Run) -> int:
    """The installed pack's content version, from `kiosk content status`, which also
    checks every file of it against its signed manifest."""
    status = run.guest(AS_KIOSK + f"{KIOSK} content status", check=False)
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
    """Tap Start; which pack's home screen (its build) does the patient see?"""
    homes = tuple(n for n in run.screens.references if n.startswith("home-v"))
    run.wait_for_screen("welcome", f"{name}-welcome", 240)
    start = run.targets["start"]
    assert isinstance(start, list)
    run.touch("tap", *start)
    shown, _ = run.wait_for_screen(homes, f"{name}-home", 60, homes)
    return int(shown.removeprefix("home-v"))


def check_power_cut(run: Run, packs: dict[int, Path]) -> str:
    mount_stick(run, "packs", "KIOSKPACKS")
    run.guest(AS_KIOSK + f"{KIOSK} content trust /media/usb/kiosk-signing.pub.txt")
    outcomes: list[str] = []
    # First, an install that finishes; the power goes the moment it says it is done.
    first = VERSIONS[0]
    started = time.monotonic()
    run.guest(AS_KIOSK + f"{KIOSK} content install /media/usb/{packs[first].name}", timeout=600)
    took = time.monotonic() - started
    run.reset()
    run.after_boot()
    run.wait_active(timeout=300)
    if (shown := installed_version(run)) != first or (
        seen := home_shows(run, "5-after-done")
    ) != first:
        raise CheckFailedError(
            f"power cut right after a finished install of build {first}: status says "
            f"{shown}, the screen shows {locals().get('seen')}"
        )
    outcomes.append(f"cut just after 'installed' ({took:.1f} s): build {first}")
    old = first
    for version, share in zip(VERSIONS[1:], (0.25, 0.5, 0.8), strict=True):
        mount_stick(run, "packs", "KIOSKPACKS")
        delay = took * share
        command = AS_KIOSK + f"{KIOSK} content install /media/usb/{packs[version].name}"
        run.log(f"guest$ {command} (power cut after {delay:.2f} s)")
        run.machine.agent.start(command)
        time.sleep(delay)
        run.reset()
        run.after_boot()
        run.wait_active(timeout=300)
        status = installed_version(run)
        seen = home_shows(run, f"5-cut-v{version}")
        if status not in (old, version) or seen != status:
            raise CheckFailedError(
                f"cut {delay:.1f} s into installing build {version} over {old}: status says build "
                f"{status}, the screen shows build {seen}"
            )
        outcomes.append(
            f"cut at {delay:.1f} s into build {version}: build {seen} "
            + ("(new)" if seen == version else "(old)")
        )
        old = status
    run.figures["installed_build"] = old
    return "after each power cut the kiosk showed a whole, verified pack: " + "; ".join(outcomes)


def check_reboot(run: Run) -> str:
    build = int(run.figures.get("installed_build", 1))
    run.power_off()
    run.power_on()
    _, seen = run.wait_for_screen("welcome", "6-reboot-welcome", 300)
    run.after_boot()
    run.wait_active()
    active = run.unit()
    shown = home_shows(run, "6-reboot")
    if active.get("ActiveState") != "active" or shown != build:
        raise CheckFailedError(
            f"after the reboot: kiosk.service {active}, the screen shows build {shown}, "
            f"installed {build}"
        )
    run.figures["kiosk_first_frame_s"] = seen
    return (
        f"cold boot: welcome screen {seen:.1f} s after power-on, then build {shown} "
        "(the installed pack) on home"
    )


BARE_UNIT = """[Unit]
Description=TEST ONLY: a bare PySide6 window under cage (the baseline of boot to first frame)
Wants=seatd.service
After=seatd.service systemd-user-sessions.service
Conflicts=getty@tty1.service
After=getty@tty1.service
[Service]
User=kiosk
Group=kiosk
SupplementaryGroups=video render audio
RuntimeDirectory=kiosk
Environment=XDG_RUNTIME_DIR=%t/kiosk
TTYPath=/dev/tty1
StandardInput=tty-fail
Environment=LIBSEAT_BACKEND=seatd
Environment=QT_QPA_PLATFORM=wayland
Environment=WLR_RENDERER=pixman
ExecStart=/usr/bin/cage -d -- /opt/vmtest/bare-window/bare-window
[Install]
WantedBy=graphical.target
"""


def check_first_frame(run: Run) -> str:
    kiosk = run.figures.get("kiosk_first_frame_s")
    if kiosk is None:
        raise CheckFailedError("no kiosk figure: the reboot check did not measure one")
    mount_stick(run, "baseline", "KIOSKBASE")
    run.guest(
        "mkdir -p /opt/vmtest && tar -xzf /media/usb/bare-window.tar.gz -C /opt/vmtest"
        " && umount /media/usb"
    )
    run.machine.agent.write_file("/etc/systemd/system/vmtest-bare.service", BARE_UNIT.encode())
    run.guest("systemctl disable kiosk.service && systemctl enable vmtest-bare.service")
    run.power_off()
    run.power_on()
    deadline = time.monotonic() + 300
    bare = None
    while time.monotonic() < deadline:
        shot = run.machine.screendump(run.results / "screens" / "poll.png")
        if run.screens.dark_share(shot) < 0.05:
            bare = run.machine.since_start()
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


def check_x11(run: Run, release: Path) -> str:
    folder = release.name.removesuffix(".tar.gz")
    output, status, _ = run_setup(run, f"/root/{folder}", "--x11", "dist/kiosk")
    if status != 0:
        raise CheckFailedError(f"setup-kiosk.sh --x11 exited {status}: " + output.strip()[-300:])
    _, _seen = run.wait_for_screen("welcome", "8-x11-welcome", 120)
    pid = run.kiosk_pid()
    cgroup = run.guest(f"cat /proc/{pid}/cgroup").strip()
    state = run.unit("kiosk-x11.service")
    if state.get("ActiveState") != "active" or not cgroup.endswith("/kiosk-x11.service"):
        raise CheckFailedError(f"kiosk-x11.service {state}; the kiosk in {cgroup}")
    return (
        "setup-kiosk.sh --x11: kiosk-x11.service active (READY=1 from the kiosk, in its "
        "cgroup); welcome screen"
    )


# --- The run --------------------------------------------------------------------------------


def prepare(
    args: argparse.Namespace, results: Path, work: Path, log: Callable[[str], None]
) -> tuple[Machine, Screens, dict[str, object], dict[int, Path]]:
    started = time.monotonic()
    cache = REPO / "build" / "vm-cache" / "image"
    built = image.build(
        work / "image" if args.fresh_image else cache, log, cached=not args.fresh_image
    )
    log(
        f"image ready in {time.monotonic() - started:.0f} s "
        + ("(fresh)" if args.fresh_image else "(cache allowed)")
    )
    accel = "kvm" if kvm_works(built.kernel, built.initrd) else "tcg"
    log(f"accelerator: {accel}")
    refs = work / "references"
    targets = render_references(REPO / "content", refs / "v1")
    screens = Screens(SCREEN)
    for name in ("welcome", "home", "reader-1", "reader-2"):
        screens.add(name, refs / "v1" / f"{name}.png")
    screens.add("home-v1", refs / "v1" / "home.png")
    packs, public, folders = make_pack_versions(work, log)
    for version, folder in folders.items():
        render_references(folder, refs / f"v{version}")
        screens.add(f"home-v{version}", refs / f"v{version}" / "home.png")
    shutil.copytree(refs, results / "references")
    bare = freeze_bare_window(work)
    sticks = {
        "release": image.usb_stick(
            {args.release.name: args.release}, work / "stick-release.img", "KIOSKSETUP"
        ),
        "packs": image.usb_stick(
            {"kiosk-signing.pub.txt": public, **{p.name: p for p in packs.values()}},
            work / "stick-packs.img",
            "KIOSKPACKS",
        ),
        "baseline": image.usb_stick(
            {"bare-window.tar.gz": bare}, work / "stick-baseline.img", "KIOSKBASE"
        ),
    }
    disks = Disks(image.overlay(built, work / "root.qcow2"), built.kernel, built.initrd, sticks)
    machine = Machine(disks, work / "vm", accel, log)
    log(f"prepared in {time.monotonic() - started:.0f} s")
    return machine, screens, targets, packs


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
    checks: list[tuple[str, Callable[[], str]]] = [
        ("1 setup, unit active, welcome screen", lambda: check_setup(run, args.release)),
        ("1b one unit holds cage and the kiosk; journal", lambda: check_logs(run)),
        ("2 touch: tap Start, tap a topic, swipe a card", lambda: check_touch(run)),
        ("3 watchdog restarts a frozen kiosk", lambda: check_watchdog(run)),
        ("4 crash loop ends on 'ask staff', and recovers", lambda: check_crash_loop(run)),
        ("5 power cut during an install", lambda: check_power_cut(run, packs)),
        ("6 reboot: back on its own, installed pack", lambda: check_reboot(run)),
        ("7 boot to first frame vs bare cage + PySide6", lambda: check_first_frame(run)),
        ("8 X11 fallback: active, welcome screen", lambda: check_x11(run, args.release)),
    ]
    passed = 0
    try:
        run.power_on()
        run.after_boot()
        for number, (name, check) in enumerate(checks):
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
        if machine.process is not None and machine.process.poll() is None:
            run.save_journal(f"boot{run.boots}")
        machine.stop()
    total = time.monotonic() - began
    summary = [
        *run.lines,
        f"figures: {json.dumps({k: round(v, 2) for k, v in run.figures.items()})}",
        f"deploy test: {passed} of {len(checks)} checks passed in {total / 60:.1f} min; "
        f"evidence in {results}",
    ]
    (results / "summary.txt").write_text("\n".join(summary) + "\n")
    print(summary[-1], flush=True)
    return 0 if passed == len(checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
