"""The administrator's commands, run as real processes."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

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


def test_a_query_longer_than_the_search_box_is_one_clear_error() -> None:
    run = kiosk("search", "a b " * 30_000)
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr == (
        "kiosk: the query has 120,000 characters; search reads at most 60, "
        "as many as the kiosk's search box holds\n"
    )
    assert kiosk("search", "heart " * 10).returncode == 0  # 60: as the box holds
    assert kiosk("search", "e\u0301" * 31).returncode == 0  # 31 letters, 62 code points


def test_bad_command_line_is_one_clear_error() -> None:
    run = kiosk("content", "frobnicate")
    assert run.returncode == 2
    assert "invalid choice" in run.stderr and "Traceback" not in run.stderr


def test_kiosk_run_parses_its_own_command_only_and_says_the_same() -> None:
    """`kiosk run` builds only its own parser (a kiosk's start, kiosk.cli._dispatch):
    no other command's module is imported, and its help and its one-line errors are
    the ones the whole parser gives."""
    probe = (
        "import sys, kiosk.cli as c\n"
        "try:\n    c.main(sys.argv[1:])\n"
        "except SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('kiosk.cli_')), file=sys.stderr)"
    )
    for args in (["run", "--help"], ["run", "--windowed", "--kiosk"], ["run", "--nonsense"]):
        alone = subprocess.run(
            [sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=60
        )
        assert alone.stderr.splitlines()[-1] == "['kiosk.cli_common']"
        from kiosk.cli import _build_parser

        whole = _build_parser()
        run = next(a for a in whole._actions if isinstance(a, argparse._SubParsersAction)).choices[
            "run"
        ]
        if args[1] == "--help":
            assert alone.stdout == run.format_help()
        else:
            said = io.StringIO()
            with pytest.raises(SystemExit), contextlib.redirect_stderr(said):
                whole.parse_args(args)
            assert alone.stderr.splitlines()[0] == said.getvalue().strip()


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


def _numeric_options() -> list[tuple[list[str], str, bool]]:
    """(the command's words, the option, whether 0 is a meaningful value) for every
    option of every command that takes a number."""
    import argparse

    from kiosk.cli import _build_parser

    found: list[tuple[list[str], str, bool]] = []

    def walk(parser: argparse.ArgumentParser, words: list[str]) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, [*words, name])
            elif action.option_strings and callable(action.type):
                try:
                    one = action.type("1")
                except (ValueError, argparse.ArgumentTypeError):
                    continue
                if isinstance(one, (int, float)):
                    try:
                        zero_ok = action.type("0") == 0
                    except argparse.ArgumentTypeError:
                        zero_ok = False
                    found.append((words, action.option_strings[-1], zero_ok))

    walk(_build_parser(), [])
    return found


NUMERIC = _numeric_options()
ZERO_MEANS_NONE = {"--min-rate"}  # 0: no minimum rate


def test_every_numeric_option_is_checked_below() -> None:
    options = {option for _, option, _ in NUMERIC}
    assert {"--max-mb", "--timeout", "--deadline", "--min-rate", "--limit"} <= options
    assert {option for _, option, zero_ok in NUMERIC if zero_ok} == ZERO_MEANS_NONE


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "-1", "1e400", "0", "abc", ""])
@pytest.mark.parametrize(
    ("words", "option", "zero_ok"),
    [pytest.param(*case, id=f"{' '.join(case[0])} {case[1]}") for case in NUMERIC],
)
def test_a_numeric_option_refuses_what_is_no_number_in_one_line(
    words: list[str], option: str, zero_ok: bool, value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--max-mb inf`` was an OverflowError traceback; argparse's own errors were its
    usage (several lines) and then the error."""
    from kiosk.cli import main

    if value == "0" and zero_ok:
        return
    with pytest.raises(SystemExit) as stop:
        main([*words, f"{option}={value}"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert err.startswith(f"kiosk: {option}: {value!r} is not "), err
    assert "write one such as" in err and f"(see 'kiosk {' '.join(words)} --help')" in err
