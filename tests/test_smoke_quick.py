"""``kiosk smoke-test --quick``: what deploy/setup-kiosk.sh runs before it replaces the
installed program. The whole smoke test took 8.5 minutes of a 22-minute setup in the
deploy test's emulated machine; the quick one proves what can differ on the machine
(Qt's libraries and plugins, fonts, speech, pictures) on every page in every language,
and still fails on what the whole one fails on first."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CONTENT

pytestmark = pytest.mark.gui


def smoke(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path / "home")}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "smoke-test", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_quick_smoke_test_reads_in_every_language_and_tries_every_setting(
    tmp_path: Path,
) -> None:
    from kiosk.core.content.loader import load_pack

    pack = load_pack(CONTENT).pack
    assert pack is not None
    done = smoke(tmp_path, "--quick")
    assert done.returncode == 0, done.stdout[-2000:]
    # The first article listed in each language, every card of it; each setting once.
    summary = done.stdout.strip().splitlines()[-1]
    languages = len(pack.info.locales)
    assert summary.startswith(f"smoke test passed: {languages} articles, "), summary
    assert f"{languages} searches, 5 settings, 1 reset" in summary, summary
    cards = int(summary.split(", ")[1].split()[0])
    assert cards >= 2 * languages, summary  # more than a first card


def test_the_quick_smoke_test_fails_on_content_that_cannot_load(tmp_path: Path) -> None:
    broken = tmp_path / "content"
    shutil.copytree(CONTENT, broken)
    article = next((broken / "en").glob("*/*.md"))
    article.write_text("---\ntitle: [unclosed\n---\n", "utf-8")
    done = smoke(tmp_path, "--quick", "--content", str(broken))
    assert done.returncode == 1, done.stdout[-2000:]
    assert "smoke test failed" in done.stdout


def test_a_failure_is_one_printable_line_whatever_the_content_holds(tmp_path: Path) -> None:
    """A file name with an escape sequence and a line break in it, named in the
    failure: shown as escapes, on one line, as every command shows a pack's words."""
    broken = tmp_path / "content"
    shutil.copytree(CONTENT, broken)
    (broken / "en" / "terms" / "a\x1b[2J\nSmoke test passed.md").write_text("x", "utf-8")
    done = smoke(tmp_path, "--quick", "--content", str(broken))
    assert done.returncode == 1, done.stdout[-2000:]
    failed = [line for line in done.stdout.splitlines() if "smoke test failed" in line]
    assert len(failed) == 1 and "\x1b" not in done.stdout, done.stdout[-2000:]
    assert "a\\x1b[2J\\nSmoke test passed.md" in failed[0], failed[0]
