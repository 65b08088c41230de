"""Broken content packs: each one yields exactly the error it is named for.

Every folder in ``fixtures/bad-packs`` is a small pack with one fault and an
``expected.toml`` naming the file (relative to the pack; "" for the pack folder
itself), the line (0 when the problem has no line) and a distinctive part of the
message. ``fixtures/warning-packs`` holds packs that load but warn, with the same
file plus ``severity = "warning"``. The tests only read the fixtures; anything they
need to write goes to ``tmp_path``.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from kiosk.core.content.article_file import MAX_FILE_BYTES
from kiosk.core.content.loader import LoadResult, load_pack
from kiosk.core.content.problems import Problem, Severity

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BAD_PACKS = FIXTURES / "bad-packs"
WARNING_PACKS = FIXTURES / "warning-packs"
# Review dates in the fixtures are judged against this day, not the real one.
TODAY = date(2027, 6, 1)
# Packs the real CLI is run on: one pack.toml fault, one front-matter fault, one body fault.
CLI_PACKS = ("pack-toml-wrong-type", "impossible-date", "javascript-link")


@dataclass(frozen=True)
class Expected:
    file: Path
    line: int
    message: str
    severity: Severity


def _packs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


def _expected(pack: Path) -> Expected:
    data = tomllib.loads((pack / "expected.toml").read_text("utf-8"))
    keys = {"file", "line", "message"} | ({"severity"} if "severity" in data else set())
    assert set(data) == keys, f"{pack.name}/expected.toml has keys {sorted(data)}"
    assert isinstance(data["file"], str)
    assert isinstance(data["line"], int)
    assert isinstance(data["message"], str)
    assert data["message"]
    return Expected(
        file=pack / data["file"] if data["file"] else pack,
        line=data["line"],
        message=data["message"],
        severity=Severity(data.get("severity", "error")),
    )


def _listing(result: LoadResult) -> str:
    return "\n".join(str(p) for p in result.problems) or "(no problems)"


def _load(pack: Path) -> LoadResult:
    try:
        return load_pack(pack, today=TODAY)
    except Exception as err:  # the loader promises never to raise on bad content
        pytest.fail(f"load_pack raised {type(err).__name__}: {err}")


def _matches(problem: Problem, expected: Expected) -> bool:
    return (
        problem.severity is expected.severity
        and Path(problem.file) == expected.file
        and problem.line == expected.line
        and expected.message in problem.message
    )


def _assert_one_error(result: LoadResult, expected: Expected) -> None:
    assert result.pack is None, "a pack with an error must not load\n" + _listing(result)
    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    assert len(errors) == 1, f"expected exactly one error, got {len(errors)}:\n{_listing(result)}"
    error = errors[0]
    assert Path(error.file) == expected.file, _listing(result)
    assert error.line == expected.line, _listing(result)
    assert expected.message in error.message, _listing(result)


BAD = _packs(BAD_PACKS)
WARNING = _packs(WARNING_PACKS)


def test_there_are_enough_bad_packs() -> None:
    assert len(BAD) >= 25, [p.name for p in BAD]


def test_there_are_warning_packs() -> None:
    assert len(WARNING) >= 3, [p.name for p in WARNING]


@pytest.mark.parametrize("pack", BAD, ids=[p.name for p in BAD])
def test_bad_pack_reports_exactly_its_error(pack: Path) -> None:
    expected = _expected(pack)
    assert expected.severity is Severity.ERROR
    _assert_one_error(_load(pack), expected)


PACK_TOML = """\
id = "test-pack"
title = "Test pack"
version = 1
locales = ["en"]
default_locale = "en"
"""

SMALL_ARTICLE = """\
---
title: Heart rate
summary: How many times your heart beats in one minute.
kind: term
reviewed: 2030-01-01
review_due: 2031-01-01
---
Your heart rate is how many times your heart beats in one minute.
"""


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    # Built here, not committed: a fixture this big does not belong in the repository.
    pack = tmp_path / "file-too-big"
    terms = pack / "en" / "terms"
    terms.mkdir(parents=True)
    (pack / "pack.toml").write_text(PACK_TOML, "utf-8")
    (terms / "heart-rate.md").write_text(SMALL_ARTICLE, "utf-8")
    big = SMALL_ARTICLE.replace("Heart rate", "Pulse")
    filler = "Your heart beats more when you walk.\n\n"
    big += filler * (MAX_FILE_BYTES // len(filler) + 1)
    (terms / "pulse.md").write_text(big, "utf-8")
    assert (terms / "pulse.md").stat().st_size > MAX_FILE_BYTES
    expected = Expected(terms / "pulse.md", 0, f"the limit is {MAX_FILE_BYTES:,}", Severity.ERROR)
    _assert_one_error(_load(pack), expected)


@pytest.mark.parametrize("pack", WARNING, ids=[p.name for p in WARNING])
def test_warning_pack_loads_and_warns(pack: Path) -> None:
    expected = _expected(pack)
    assert expected.severity is Severity.WARNING
    result = _load(pack)
    assert result.pack is not None, _listing(result)
    assert not [p for p in result.problems if p.severity is Severity.ERROR], _listing(result)
    assert any(_matches(p, expected) for p in result.problems), _listing(result)


def _run_cli(pack: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "content", "validate", str(pack)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("name", CLI_PACKS)
def test_cli_names_the_error(name: str) -> None:
    pack = BAD_PACKS / name
    expected = _expected(pack)
    assert expected.line > 0, "pick CLI packs whose error has a line"
    run = _run_cli(pack)
    assert run.returncode == 1, run.stdout + run.stderr
    where = f"{expected.file}:{expected.line}: error: "
    lines = [line for line in run.stdout.splitlines() if line.startswith(where)]
    assert lines, f"no line starting {where!r} in:\n{run.stdout}"
    assert expected.message in lines[0]
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("pack", WARNING, ids=[p.name for p in WARNING])
def test_cli_accepts_warning_pack(pack: Path) -> None:
    run = _run_cli(pack)
    assert run.returncode == 0, run.stdout + run.stderr
    assert ": error: " not in run.stdout
