"""`kiosk run` loads only what its first frame needs: the heavy modules (Markdown,
YAML, fuzzy matching, QR codes, the web client, key serialization) load when a patient
or staff member first uses what needs them, never before the welcome screen paints.

The real kiosk runs on an installed, signed pack (as a clinic's does) with
``KIOSK_BENCH_EXIT_AFTER_PAINT=1``, which quits after the first paint, under
``python -X importtime``; the modules it imported are read from that log. The same
rule is kept by ruff at the source (banned module-level imports, pyproject.toml).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench.common import installed, private_env

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]

HEAVY = (
    "markdown_it",
    "mdit_py_plugins",
    "yaml",
    "rapidfuzz",
    "segno",
    "urllib.request",
    "cryptography.hazmat.primitives.serialization",
    "tomlkit",
    "PIL",
    # A second OpenSSL beside cryptography's (3.4 MB): kiosk.core.digest hashes instead.
    "hashlib",
    "_hashlib",
    # The builder and the loader read content folders; an installed pack needs neither.
    "kiosk.core.packs.build",
    "kiosk.core.content.loader",
    # Qt's SVG module draws the top bar's icons, hidden on the welcome screen (1.4 MB).
    "PySide6.QtSvg",
    # The log file's handler (sockets, pickle: 2 MB): it opens after the first frame.
    "logging.handlers",
    # Speech mode's reading order (QAccessible's roles): made when it is first used.
    "kiosk.ui.speech_mode.items",
)


def test_the_first_frame_imports_no_heavy_module(tmp_path: Path) -> None:
    config = installed(REPO / "content", "startup-imports", rebuild=False)
    env = private_env({"KIOSK_BENCH_EXIT_AFTER_PAINT": "1", "QT_QPA_PLATFORM": "offscreen"})
    run = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-m",
            "kiosk",
            "run",
            "--windowed",
            "--config",
            str(config),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "painted" in run.stdout, run.stderr[-2000:]
    # Up to the first paint (benchhook writes "painted ..." to stderr as well): the
    # log file's module, for one, is imported at the exit that follows.
    before_paint = run.stderr.split("\npainted ", 1)[0]
    assert len(before_paint) < len(run.stderr), "no 'painted' line on stderr"
    imported = {
        line.rsplit("|", 1)[1].strip()
        for line in before_paint.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    assert "kiosk.ui.window" in imported or any(m.startswith("kiosk.ui") for m in imported)
    loaded = sorted(
        m for m in imported for heavy in HEAVY if m == heavy or m.startswith(heavy + ".")
    )
    assert loaded == [], f"imported before the first frame: {loaded}"
