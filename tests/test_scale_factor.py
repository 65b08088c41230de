"""High-density screens: the layout holds at QT_SCALE_FACTOR 1.5 and 2, in landscape
and portrait. Each factor runs the real screenshot script and the layout checks in a
fresh process, because Qt reads the factor once, at start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from conftest import REPO

pytestmark = [pytest.mark.gui, pytest.mark.slow]
FACTORS = ["1.5", "2"]


def run(factor: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": factor}
    return subprocess.run(args, env=env, cwd=REPO, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize("factor", FACTORS)
def test_screenshots_are_sharp_at_the_factor(factor: str, tmp_path: Path) -> None:
    sizes = "1920x1080,1080x1920"
    # The two looks checked below, not all eight: each picture at 2x costs seconds.
    looks = "100-standard-en,200-high-contrast-es"
    result = run(
        factor,
        *(sys.executable, "scripts/screenshots.py", str(tmp_path / "sheets"), "home"),
        *("search-results", "--sizes", sizes, "--looks", looks, "--full", str(tmp_path)),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    scale = float(factor)
    for name, (w, h) in {
        "1920x1080/home-100-standard-en": (1920, 1080),
        "1080x1920/search-results-200-high-contrast-es": (1080, 1920),
    }.items():
        image = QImage(str(tmp_path / f"{name}@{factor}x.png"))
        assert (image.width(), image.height()) == (round(w * scale), round(h * scale))


@pytest.mark.parametrize("factor", FACTORS)
def test_targets_and_text_still_fit_at_the_factor(factor: str) -> None:
    result = run(
        factor,
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "tests/test_touch_targets.py",
        "tests/test_text_scale.py",
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout and "failed" not in result.stdout.splitlines()[-1]
