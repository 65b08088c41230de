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
from collections.abc import Iterator
from dataclasses import dataclass, field
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


# The kiosk's parts and what only they use: made once the welcome screen has painted
# (kiosk.ui.first_frame).
PARTS = (
    "kiosk.ui.assembly",
    "kiosk.ui.controllers.navigator",
    "kiosk.ui.controllers.idle_policy",
    "kiosk.ui.controllers.staff_mode",
    "kiosk.ui.speech_mode.controller",
    "kiosk.ui.speech_mode.touch",
)


@dataclass
class _Import:
    name: str
    depth: int
    imported: list[_Import] = field(default_factory=list)  # what it imported, in order

    def in_order(self) -> Iterator[str]:
        yield self.name
        for module in self.imported:
            yield from module.in_order()


def _imports_before_the_first_paint() -> list[str]:
    """The modules `kiosk run` imports up to its first paint, in the order imported."""
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
    # importtime writes a module's line after those of the modules it imported (each
    # one level deeper): the tree is rebuilt, then read from the top, in the order the
    # imports began.
    pending: list[_Import] = []
    for line in before_paint.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        field = line.rsplit("|", 1)[1]
        node = _Import(field.strip(), len(field) - len(field.lstrip()))
        while pending and pending[-1].depth > node.depth:
            node.imported.insert(0, pending.pop())
        pending.append(node)
    ordered = [name for node in pending for name in node.in_order()]
    assert "kiosk.ui.window" in ordered
    return ordered


@pytest.fixture(scope="module")
def first_paint_imports() -> list[str]:
    return _imports_before_the_first_paint()


def test_the_first_frame_imports_no_heavy_module(first_paint_imports: list[str]) -> None:
    loaded = sorted(
        m for m in first_paint_imports for heavy in HEAVY if m == heavy or m.startswith(heavy + ".")
    )
    assert loaded == [], f"imported before the first frame: {loaded}"


def test_the_kiosk_parts_come_after_the_first_frame(first_paint_imports: list[str]) -> None:
    early = sorted(set(PARTS) & set(first_paint_imports))
    assert early == [], f"imported before the first frame: {early}"


def test_the_core_is_imported_before_qt(first_paint_imports: list[str]) -> None:
    """PySide6 reads the source of every module imported after it (kiosk.before_qt)."""
    qt = first_paint_imports.index("PySide6")
    late = [m for m in first_paint_imports[qt:] if m.startswith("kiosk.core")]
    assert late == [], f"imported after PySide6: {late} (add them to kiosk/before_qt.py)"
