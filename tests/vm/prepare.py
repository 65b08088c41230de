"""What the deploy test makes on the host before the VM boots: signed packs, the
screens the kiosk draws (references.py), the baseline app, the USB sticks, the disks."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import image
from machine import SCREEN, Disks, Machine, kvm_works
from screens import Screens

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
PY = sys.executable
VERSIONS = (2, 3)  # packs built for the power-cut trials (bundled content is 1)
FLEET_VERSION = 4  # the pack a fleet repository serves (fleet_checks.py)
# Each pack's first topic starts with a word of its own length, so the rest of the title
# moves and its home screen differs from every other pack's in many blocks (screens.py).
EDITIONS = {2: "New", 3: "Third edition of", 4: "The 4th", 5: "The fifth and last edition of"}


def make_pack_versions(
    work: Path, log: Callable[[str], None]
) -> tuple[dict[int, Path], Path, dict[int, Path]]:
    """Signed packs of the bundled content, VERSIONS and FLEET_VERSION, each visibly
    different on the home screen (its first topic's title says the version); their
    content folders."""
    keys = work / "keys"
    subprocess.run(
        [PY, "-m", "kiosk", "keygen", "--out", str(keys)], check=True, capture_output=True
    )
    private = next(keys.glob("*.key"))
    public = next(p for p in keys.iterdir() if p != private)
    packs: dict[int, Path] = {}
    folders: dict[int, Path] = {}
    for version in (*VERSIONS, FLEET_VERSION):
        folder = work / f"content-v{version}"
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(REPO / "content", folder)
        toml = folder / "pack.toml"
        toml.write_text(
            toml.read_text("utf-8").replace("version = 1\n", f"version = {version}\n", 1)
        )
        article = folder / "en" / "topics" / "harm-reduction-therapy.md"
        text = article.read_text("utf-8")
        marked = f"title: {EDITIONS[version]} Harm Reduction Therapy"
        article.write_text(text.replace("title: Harm Reduction Therapy", marked, 1))
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


def make_fleet(work: Path, pack: Path, log: Callable[[str], None]) -> Path:
    """A fleet repository made as docs/FLEET.md says (`kiosk fleet init`, `publish`),
    with ``pack`` published for every kiosk: the folder a web server serves."""
    repo, keys = work / "fleet", work / "fleet-keys"
    for command in (["init", str(repo)], ["publish", str(repo), str(pack)]):
        subprocess.run(
            [PY, "-m", "kiosk", "fleet", *command, "--keys", str(keys)],
            check=True,
            capture_output=True,
        )
    log(f"fleet repository {repo}: {pack.name} published")
    return repo


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


def prepare(
    args: argparse.Namespace, results: Path, work: Path, log: Callable[[str], None]
) -> tuple[Machine, Screens, dict[str, object], dict[int, Path]]:
    started = time.monotonic()
    cache = REPO / "build" / "vm-cache" / "image"
    built = image.build(work / "image" if args.fresh_image else cache, cached=not args.fresh_image)
    log(
        f"image ready in {time.monotonic() - started:.0f} s "
        + ("(fresh)" if args.fresh_image else "(cache allowed)")
    )
    accel = "kvm" if kvm_works(built.kernel, built.initrd) else "tcg"
    log(f"accelerator: {accel}")
    refs = work / "references"
    targets = render_references(REPO / "content", refs / "v1")
    screens = Screens(SCREEN)
    for name in ("welcome", "reader-1", "reader-2"):
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
            {
                args.release.name: args.release,
                f"{args.release.name}.sha256": args.release.with_name(
                    args.release.name + ".sha256"
                ),
            },
            work / "stick-release.img",
            "KIOSKSETUP",
        ),
        "packs": image.usb_stick(
            {"kiosk-signing.pub.txt": public, **{packs[v].name: packs[v] for v in VERSIONS}},
            work / "stick-packs.img",
            "KIOSKPACKS",
        ),
        "fleet": image.usb_stick(
            {"fleet": make_fleet(work, packs[FLEET_VERSION], log)},
            work / "stick-fleet.img",
            "KIOSKFLEET",
        ),
        "baseline": image.usb_stick(
            {"bare-window.tar.gz": bare}, work / "stick-baseline.img", "KIOSKBASE"
        ),
    }
    disks = Disks(image.overlay(built, work / "root.qcow2"), built.kernel, built.initrd, sticks)
    machine = Machine(disks, work / "vm", accel, log)
    log(f"prepared in {time.monotonic() - started:.0f} s")
    return machine, screens, targets, packs
