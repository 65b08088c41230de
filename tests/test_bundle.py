"""The frozen kiosk (dist/kiosk/, built by `make bundle`) works as shipped.

The bundle is built once per test session (make rebuilds it only when a source changed)
and run as a patient's kiosk would run it: no source tree on its path, no display, its
own state folder, even no stderr at all.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kiosk.resources import ASSETS

from conftest import CONTENT, REPO

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

BUNDLE = REPO / "dist" / "kiosk"
KIOSK = BUNDLE / "kiosk"
INTERNAL = BUNDLE / "_internal"
PLUGINS = INTERNAL / "PySide6" / "Qt" / "plugins"
# 130 MB until Pillow came for validate's picture checks (issue 13): its PNG and JPEG
# decoding and the libraries its core links, 5 MB more. 136 MB with the fleet (issue 17):
# python-tuf and securesystemslib for `kiosk fleet check`, prometheus_client for
# `kiosk health export`, about 0.6 MB; 1 MB of room left for the next one.
BUDGET_BYTES = 137_000_000
SUMMARY = re.compile(
    r"^smoke test passed: (\d+) articles, (\d+) cards, (\d+) searches, 5 settings, 1 reset$",
    re.MULTILINE,
)
LEFT_OUT = re.compile(
    r"QtWebEngine|libQt6Qml|libQt6Quick|libQt6Pdf|libQt6VirtualKeyboard"
    r"|PIL/_avif|PIL/_webp|PIL/_imagingcms|pillow\.libs/libavif"
)
PLATFORMS = re.compile(r"libqxcb\.so|libqwayland.*\.so|libqoffscreen\.so")


@pytest.fixture(scope="session")
def bundle() -> Path:
    done = subprocess.run(
        ["make", "--no-print-directory", "bundle"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert KIOSK.is_file()
    return BUNDLE


def _env(**extra: str) -> dict[str, str]:
    """The test's private XDG folders (conftest) and nothing that points at the source."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(extra)
    return env


def _pack_counts() -> tuple[int, int]:
    from kiosk.core.content.loader import load_pack

    result = load_pack(CONTENT)
    return len(result.articles), sum(len(a.sections) for a in result.articles)


def _state_dir() -> Path:
    return Path(os.environ["XDG_STATE_HOME"]) / "clinic-kiosk"


def test_frozen_smoke_test_passes(bundle: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [str(KIOSK), "smoke-test"],
        cwd=tmp_path,  # nothing may be found through the working directory
        env=_env(QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    version = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    assert f"kiosk {version} (frozen bundle)" in done.stdout
    found = SUMMARY.search(done.stdout)
    assert found, done.stdout
    articles, cards = _pack_counts()
    assert (int(found[1]), int(found[2])) == (articles, cards)
    assert int(found[3]) >= 12


def test_frozen_app_survives_no_stderr_and_no_display(bundle: Path, tmp_path: Path) -> None:
    """fd 2 closed: Python starts with sys.stderr None, as a frozen GUI app may.
    QT_QPA_PLATFORM unset and no display: the command defaults to offscreen itself."""
    env = _env()
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    launcher = (
        "import os, subprocess, sys\n"
        "done = subprocess.run([sys.argv[1], 'smoke-test'], preexec_fn=lambda: os.close(2),\n"
        "                      stdout=subprocess.PIPE, text=True, timeout=300)\n"
        "sys.stdout.write(done.stdout)\n"
        "sys.exit(done.returncode)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", launcher, str(KIOSK)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=320,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    assert SUMMARY.search(done.stdout), done.stdout
    log = (_state_dir() / "kiosk.log").read_text("utf-8")
    assert "smoke test passed" in log
    assert (_state_dir() / "crash.log").is_file()


def test_frozen_smoke_test_reports_broken_content(bundle: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "pack.toml").write_text('id = "x"\n', encoding="utf-8")
    done = subprocess.run(
        [str(KIOSK), "smoke-test", "--content", str(broken)],
        cwd=tmp_path,
        env=_env(QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stdout + done.stderr[-3000:]
    assert "smoke test failed: content" in done.stdout


def test_frozen_content_validate(bundle: Path) -> None:
    done = subprocess.run(
        [str(KIOSK), "content", "validate", "content"],
        cwd=REPO,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 errors" in done.stdout.splitlines()[-1]


def test_frozen_studio_opens_and_closes_on_the_bundled_content(
    bundle: Path, tmp_path: Path
) -> None:
    """The studio from the kiosk bundle (docs/STUDIO.md, "Get the studio"): every module
    it loads is in the bundle (a missing one ends it at once with a traceback), and it
    stops when told to, as when staff close it."""
    import shutil
    import signal
    import time

    folder = shutil.copytree(CONTENT, tmp_path / "content")
    studio = subprocess.Popen(
        [str(KIOSK), "studio", str(folder)],
        env=_env(QT_QPA_PLATFORM="offscreen"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(8)  # the window, the first check of the folder, the preview's kiosk
        assert studio.poll() is None, studio.communicate()[1][-3000:]
    finally:
        studio.send_signal(signal.SIGTERM)
        _, err = studio.communicate(timeout=30)
    assert "Traceback" not in err, err[-3000:]
    # Enchant (a system library pyenchant finds at run time) and Hunspell's dictionaries
    # work from the bundle, as on a kiosk with deploy/packages-kiosk.txt installed.
    assert "spelling: en en_US; es es_US" in err, err[-3000:]
    assert studio.returncode == 0  # SIGTERM: a clean stop, drafts kept


def test_frozen_validate_checks_pictures(bundle: Path, tmp_path: Path) -> None:
    """Pillow works in the bundle: a PNG and a JPEG pass, an SVG named .png does not."""
    from PIL import Image

    for name, fmt, good in [("a.png", "PNG", True), ("b.jpg", "JPEG", True), ("c.png", "", False)]:
        pack = tmp_path / name
        (pack / "en" / "topics").mkdir(parents=True)
        (pack / "en" / "images").mkdir()
        (pack / "pack.toml").write_text(
            'id = "pictures"\ntitle = "Pictures"\nversion = 1\nlocales = ["en"]\n'
            'default_locale = "en"\n'
        )
        picture = pack / "en" / "images" / name
        if fmt:
            Image.new("RGB", (64, 48), (10, 120, 200)).save(picture, fmt)
        else:
            picture.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>')
        (pack / "en" / "topics" / "pictures.md").write_text(
            "---\ntitle: Pictures\nsummary: A picture.\nkind: topic\n"
            "reviewed: 2026-11-01\nreview_due: 2027-11-01\n---\n"
            f"Look.\n\n![A blue box](../images/{name})\n"
        )
        done = subprocess.run(
            [str(KIOSK), "content", "validate", str(pack)],
            env=_env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        if good:
            assert done.returncode == 0, done.stdout + done.stderr
        else:
            assert done.returncode != 0
            assert "is named .png but is not a PNG file (it is an SVG" in done.stdout + done.stderr


def _files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]


def test_bundle_fits_the_size_budget(bundle: Path) -> None:
    sizes = {p: p.stat().st_size for p in _files(bundle)}
    total = sum(sizes.values())
    biggest = sorted(sizes, key=sizes.__getitem__, reverse=True)[:10]
    report = ", ".join(f"{p.relative_to(bundle)} {sizes[p] / 1e6:.1f} MB" for p in biggest)
    assert total <= BUDGET_BYTES, f"{total / 1e6:.1f} MB > {BUDGET_BYTES / 1e6:.0f} MB; {report}"


def test_bundle_holds_what_the_kiosk_needs_and_nothing_left_out(bundle: Path) -> None:
    for relative in ASSETS:
        assert (INTERNAL / "resources" / relative).is_file(), relative
    assert (INTERNAL / "content" / "pack.toml").is_file()
    assert not (PLUGINS / "texttospeech").exists()  # the kiosk speaks SSIP itself
    assert (PLUGINS / "imageformats" / "libqsvg.so").is_file()
    assert (PLUGINS / "iconengines" / "libqsvgicon.so").is_file()
    names = [p.name for p in bundle.rglob("*")]
    assert not [n for n in names if LEFT_OUT.search(n)]
    platforms = sorted(p.name for p in (PLUGINS / "platforms").iterdir())
    assert {"libqxcb.so", "libqoffscreen.so"} <= set(platforms)
    assert all(PLATFORMS.fullmatch(name) for name in platforms), platforms
    assert not (INTERNAL / "PySide6" / "Qt" / "translations").exists()


def test_every_bundled_binary_finds_its_libraries(bundle: Path) -> None:
    """System libraries are not bundled (kiosk.spec): this machine, set up from
    deploy/packages-bundle.txt, must provide every one that a bundled binary needs."""
    binaries = [KIOSK, *(p for p in _files(INTERNAL) if ".so" in p.name)]
    missing = []
    for binary in binaries:
        listed = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, timeout=60)
        missing += [
            f"{binary.name}: {line.strip()}"
            for line in listed.stdout.splitlines()
            if "not found" in line
        ]
    assert not missing, missing
