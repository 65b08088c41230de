"""The administrator's commands, run as real processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import CONTENT


def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, timeout=60
    )


def test_validate_bundled_content_reports_14_articles_per_language_and_grades() -> None:
    run = kiosk("content", "validate", str(CONTENT))
    assert run.returncode == 0, run.stdout + run.stderr
    last = run.stdout.strip().splitlines()[-1]
    assert last.startswith("28 articles (en: 14, es: 14)")
    assert "0 errors" in last and "0 warnings" in last
    assert run.stdout.count("reading grade") == 28
    assert "Traceback" not in run.stderr


def test_validate_json_has_the_documented_shape() -> None:
    run = kiosk("content", "validate", str(CONTENT), "--json")
    data = json.loads(run.stdout)
    assert data["ok"] is True and data["articles"] == 28
    assert isinstance(data["problems"], list)
    assert all(d["grade"] <= 8 for d in data["details"])


def test_validate_broken_folder_lists_problem_and_exits_1(tmp_path: Path) -> None:
    run = kiosk("content", "validate", str(tmp_path))
    assert run.returncode == 1
    assert f"{tmp_path / 'pack.toml'}: error: no pack.toml here" in run.stdout
    assert "NOT USABLE" in run.stdout


def test_validate_json_reports_errors(tmp_path: Path) -> None:
    data = json.loads(kiosk("content", "validate", str(tmp_path), "--json").stdout)
    assert data["ok"] is False
    assert data["problems"][0]["severity"] == "error"
    assert set(data["problems"][0]) == {"file", "line", "severity", "message"}


def test_search_json_best_first() -> None:
    run = kiosk("search", "heart atack", "--json")
    assert run.returncode == 0, run.stderr
    hits = json.loads(run.stdout)
    assert hits[0]["slug"] == "heart-attack"
    assert set(hits[0]) == {"slug", "title", "kind", "score"}


def test_search_text_output_and_unknown_locale() -> None:
    assert "Hypertension" in kiosk("search", "high blood pressure").stdout.splitlines()[0]
    bad = kiosk("search", "x", "--locale", "fr")
    assert bad.returncode == 2
    assert bad.stderr.count("\n") == 1 and "--locale fr" in bad.stderr


def test_bad_command_line_is_one_clear_error() -> None:
    run = kiosk("content", "frobnicate")
    assert run.returncode == 2
    assert "invalid choice" in run.stderr and "Traceback" not in run.stderr


def test_spanish_search_ignores_accents() -> None:
    hits = json.loads(kiosk("search", "presion alta", "--locale", "es", "--json").stdout)
    assert hits[0]["slug"] == "hypertension" and hits[0]["title"] == "Hipertensión"


def test_validate_names_a_folder_that_is_not_there(tmp_path: Path) -> None:
    """Both said 'no pack.toml here; is this the content folder?' (newcomer)."""
    missing = subprocess.run(
        [sys.executable, "-m", "kiosk", "content", "validate", "nosuch"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 1
    assert "there is no folder nosuch; check its name" in missing.stdout + missing.stderr
    inside = subprocess.run(
        [sys.executable, "-m", "kiosk", "content", "validate", "content"],
        cwd=CONTENT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert inside.returncode == 1
    assert "you are inside the content folder already: type . instead" in inside.stdout
