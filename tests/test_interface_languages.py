"""A pack in a language the kiosk has no words for (issue 13.4, attacker's review).

Articles may be in any language; the kiosk's own buttons and settings exist in English
and Spanish. A French pack validated without a word and then failed the kiosk's smoke
test ("no interface translation for 'fr'"), and each start logged an error: a pack that
validates must open. Now validate warns, and the kiosk opens it with English buttons.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from kiosk.core.content.loader import load_pack
from kiosk.core.content.problems import Severity

from conftest import CONTENT


def french_pack(root: Path) -> Path:
    """The bundled pack with its Spanish articles relabelled as French."""
    shutil.copytree(CONTENT, root)
    (root / "es").rename(root / "fr")
    toml = root / "pack.toml"
    text = toml.read_text("utf-8").replace('"es"', '"fr"').replace("\nes = ", "\nfr = ")
    text = text.replace(".es]", ".fr]")
    toml.write_text(text, "utf-8")
    return root


def test_validate_warns_that_the_buttons_stay_english(tmp_path: Path) -> None:
    result = load_pack(french_pack(tmp_path / "content"))
    errors = [str(p) for p in result.problems if p.severity is Severity.ERROR]
    assert result.pack is not None, errors
    warnings = [p for p in result.problems if "no 'fr' words for its own buttons" in p.message]
    assert len(warnings) == 1 and warnings[0].severity is Severity.WARNING
    assert warnings[0].file.endswith("pack.toml") and warnings[0].line > 0


def test_the_kiosk_opens_it(tmp_path: Path) -> None:
    """The real smoke test: every article and card in every language, settings, reset."""
    pack = french_pack(tmp_path / "content")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path / "home")}
    done = subprocess.run(
        [sys.executable, "-m", "kiosk", "smoke-test", "--content", str(pack)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "smoke test passed" in done.stdout
