"""The Debian 12 machine the deploy test boots, built from Debian's packages only.

What an IT person has after installing Debian 12 with "standard system utilities" and
no desktop (docs/DEPLOY.md section 1), made with mmdebstrap, plus:

- a local Debian package mirror in /srv/debian-mirror, holding the packages that
  deploy/setup-kiosk.sh installs and those docs/FLEET.md has IT install for monitoring,
  and what they need, because the VM has no network
  (apt's only source; the IT person's machine has deb.debian.org instead);
- dpkg's force-unsafe-io (a test machine's speed-up: see the hook);
- the test's driver: Debian's qemu-guest-agent (the host runs commands through it) and
  python3-evdev (a virtual touchscreen through uinput). Nothing else of the project's
  test machinery: the kiosk itself arrives later, on a USB stick, as the guide says.

The kernel boots directly (no boot loader). The image depends only on this file and on
the two package lists, so a local run can reuse it (``cached``); CI builds it afresh.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PACKAGE_LISTS = (REPO / "deploy" / "packages-bundle.txt", REPO / "deploy" / "packages-kiosk.txt")
BASE = ("systemd-sysv", "udev", "dbus", "linux-image-amd64", "initramfs-tools")
DRIVER = ("qemu-guest-agent", "python3", "python3-evdev")
# In the mirror, not installed: what docs/FLEET.md has IT install for their monitoring
# (node_exporter, and curl to look at what it serves).
MONITORING = ("prometheus-node-exporter", "curl")
SUITE = "bookworm"
SOURCES = Path("/etc/apt/sources.list.d/debian.sources")  # this machine's Debian mirror
MIRROR = "/srv/debian-mirror"


@dataclass(frozen=True)
class Image:
    root: Path  # raw ext4 file system
    kernel: Path
    initrd: Path


def packages() -> list[str]:
    """What deploy/setup-kiosk.sh installs, as it says itself (--list-packages)."""
    listed = subprocess.run(
        [str(REPO / "deploy" / "setup-kiosk.sh"), "--list-packages"],
        capture_output=True,
        text=True,
        check=True,
    )
    return listed.stdout.split()


def cache_key() -> str:
    digest = hashlib.sha256()
    for path in (Path(__file__), *PACKAGE_LISTS, REPO / "deploy" / "package-list"):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def build(out: Path, cached: bool) -> Image:
    """Build (or, if ``cached`` and present, reuse) the image in ``out``."""
    image = Image(out / "root.img", out / "vmlinuz", out / "initrd.img")
    stamp = out / "key"
    if cached and stamp.exists() and stamp.read_text() == cache_key() and image.root.exists():
        return image
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    rootfs = out / "rootfs"
    kiosk_packages = " ".join((*packages(), *MONITORING))
    # Hooks run on this machine with the new root as $1. The mirror: apt downloads what
    # setup-kiosk.sh will install (and what that needs, beyond what is installed), then
    # the archives move to the mirror with an index, and apt forgets deb.debian.org.
    hooks = [
        'echo kiosk-vm > "$1/etc/hostname"',
        'printf "/dev/vda / ext4 defaults 0 1\\n" > "$1/etc/fstab"',
        'chroot "$1" apt-get install --download-only -y -q --no-install-recommends '
        + kiosk_packages,
        f'mkdir -p "$1{MIRROR}" && mv "$1"/var/cache/apt/archives/*.deb "$1{MIRROR}/"',
        f'cd "$1{MIRROR}" && apt-ftparchive packages . > Packages',
        'rm -f "$1"/etc/apt/sources.list "$1"/etc/apt/sources.list.d/*',
        f'echo "deb [trusted=yes] file:{MIRROR} ./" > "$1/etc/apt/sources.list"',
        'rm -rf "$1"/var/lib/apt/lists/*',
        # dpkg syncs every file it unpacks; under emulation each sync is a journal
        # commit by an emulated kernel, and unpacking setup-kiosk.sh's packages took
        # 10 of its 20 minutes. QEMU drops the guest's flushes anyway (cache=unsafe), so
        # the syncs protect nothing here; what is installed, and how, is unchanged.
        'echo force-unsafe-io > "$1/etc/dpkg/dpkg.cfg.d/vmtest-unsafe-io"',
        # The guest agent starts by itself when its virtio port appears (a udev rule).
    ]
    command = [
        "mmdebstrap",
        "--variant=standard",
        "--components=main",
        "--include=" + ",".join((*BASE, *DRIVER)),
        *(f"--customize-hook={hook}" for hook in hooks),
        SUITE,
        str(rootfs),
        str(SOURCES),
    ]
    with (out / "mmdebstrap.log").open("w") as output:
        run = subprocess.run(command, stdout=output, stderr=subprocess.STDOUT, check=False)
    if run.returncode != 0:
        tail = (out / "mmdebstrap.log").read_text(errors="replace")[-2000:]
        raise RuntimeError(f"mmdebstrap failed (see {out / 'mmdebstrap.log'}):\n{tail}")
    shutil.copy(rootfs / "vmlinuz", image.kernel)  # follows the links to /boot
    shutil.copy(rootfs / "initrd.img", image.initrd)
    subprocess.run(
        ["mkfs.ext4", "-q", "-L", "root", "-d", str(rootfs), str(image.root), "6G"],
        check=True,
        capture_output=True,
    )
    shutil.rmtree(rootfs)
    stamp.write_text(cache_key())
    return image


def overlay(image: Image, path: Path) -> Path:
    """A copy-on-write disk on the image: a run changes only its own overlay."""
    path.unlink(missing_ok=True)
    subprocess.run(
        ["qemu-img", "create", "-q", "-f", "qcow2", "-b", str(image.root), "-F", "raw", str(path)],
        check=True,
    )
    return path


def usb_stick(files: dict[str, Path], path: Path, label: str, size_mb: int = 512) -> Path:
    """A USB stick as a shop sells it: one FAT32 partition (/dev/sdX1), made without
    mounting anything (sfdisk, mkfs.vfat at the partition's offset, mcopy); ``files``
    by their names on the stick, a folder with all it holds."""
    path.unlink(missing_ok=True)
    with path.open("wb") as disk:
        disk.truncate(size_mb * 1024 * 1024)
    subprocess.run(
        ["sfdisk", "-q", str(path)], input=b"label: dos\nstart=2048, type=c\n", check=True
    )
    offset = 2048 * 512
    sectors = (size_mb * 1024 * 1024 - offset) // 512
    subprocess.run(
        [
            "mkfs.vfat",
            "-F",
            "32",
            "-n",
            label,
            "--offset",
            "2048",
            str(path),
            str(sectors // 2),
        ],
        check=True,
        capture_output=True,
    )
    for name, source in files.items():
        recursive = ["-s"] if source.is_dir() else []
        subprocess.run(
            ["mcopy", *recursive, "-i", f"{path}@@{offset}", str(source), f"::{name}"], check=True
        )
    return path
