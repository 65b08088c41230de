"""Commands never hang on a named pipe, and a closed output ends them quietly (issue 13,
item 6).

A FIFO given where a file is expected (a settings file, a key, the usage counts) blocked
the open for ever; each command refuses anything that is not a regular file before it
opens it, in one line. Output piped into ``head -1`` that closes early ended in a
BrokenPipeError traceback; now a command stops quietly with status 141 (128 + SIGPIPE),
what a shell reports for ``cat`` or ``grep`` cut off the same way.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CONTENT, REPO

QUICK_S = 20  # a hang is what fails here; the commands themselves take a second or two


def kiosk(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=QUICK_S,
        cwd=REPO,
        env=env,
    )


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


def _commands(fifo: Path, tmp_path: Path) -> dict[str, list[str]]:
    return {
        "run --config": ["run", "--windowed", "--config", str(fifo)],
        "content status --config": ["content", "status", "--config", str(fifo)],
        "content install --config": ["content", "install", str(tmp_path), "--config", str(fifo)],
        "content rollback --config": ["content", "rollback", "--config", str(fifo)],
        "set-pin --config": ["set-pin", "--config", str(fifo)],
        "content trust": ["content", "trust", str(fifo)],
        "content build --key": [
            "content",
            "build",
            str(CONTENT),
            "-o",
            str(tmp_path / "p.kpack"),
            "--key",
            str(fifo),
        ],
        "stats export --config": ["stats", "export", "--csv", "--config", str(fifo)],
        "content install": ["content", "install", str(fifo)],
    }


COMMANDS = list(_commands(Path("x"), Path("y")))


@pytest.mark.parametrize("name", COMMANDS)
def test_a_named_pipe_is_refused_at_once_in_one_line(fifo: Path, tmp_path: Path, name: str) -> None:
    done = kiosk(*_commands(fifo, tmp_path)[name], stdin="2468\n")
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith("kiosk: ") and str(fifo) in line
    assert "not a regular file" in line or "not a file" in line, line


def test_a_settings_file_that_is_a_pipe_is_refused_by_set_pin_too(tmp_path: Path) -> None:
    """set-pin without --config, where the default kiosk.toml is a named pipe."""
    config_home = Path(os.environ["XDG_CONFIG_HOME"]) / "clinic-kiosk"
    config_home.mkdir(parents=True)
    os.mkfifo(config_home / "kiosk.toml")
    done = kiosk("set-pin", stdin="2468\n")
    assert done.returncode != 0
    [line] = done.stderr.splitlines()
    assert "kiosk.toml" in line and "not a regular file" in line


def test_usage_counts_that_are_a_pipe_are_refused(tmp_path: Path) -> None:
    state = tmp_path / "state"
    state.mkdir()
    os.mkfifo(state / "usage.sqlite")
    config = tmp_path / "kiosk.toml"
    config.write_text(f'state = "{state}"\n', "utf-8")
    done = kiosk("stats", "export", "--csv", "--config", str(config))
    assert done.returncode != 0
    [line] = done.stderr.splitlines()
    assert "usage.sqlite" in line and "not a regular file" in line


def test_an_output_that_is_a_pipe_is_refused(tmp_path: Path, fifo: Path) -> None:
    done = kiosk("stats", "export", "--csv", "-o", str(fifo))
    assert done.returncode != 0
    [line] = done.stderr.splitlines()
    assert str(fifo) in line and "not a regular file" in line


# --- a closed output ---------------------------------------------------------------------

CLOSED_OUTPUT = {
    "content validate": ["content", "validate", str(CONTENT)],
    "content validate --json": ["content", "validate", str(CONTENT), "--json"],
    "content status": ["content", "status"],
    "search": ["search", "heart"],
    "stats export": ["stats", "export", "--csv"],
    "--help": ["--help"],
}


@pytest.mark.parametrize("name", list(CLOSED_OUTPUT))
def test_a_closed_output_ends_the_command_quietly(name: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", *CLOSED_OUTPUT[name]],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before the first line, as 'head -0' does
    stderr = process.stderr.read().decode()
    process.stderr.close()
    process.wait(timeout=QUICK_S)
    lines = [line for line in stderr.splitlines() if not line.startswith("kiosk: no usage")]
    assert lines == []  # nothing at all: no traceback, no "Exception ignored"
    assert process.returncode == 141


def test_a_reader_that_leaves_after_one_line_ends_validate_quietly(tmp_path: Path) -> None:
    """``kiosk content validate ... | head -1`` with more output than a pipe holds."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "content", "validate", str(CONTENT), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.readline().strip() == b"{"
    process.stdout.close()
    stderr = process.stderr.read().decode()
    process.stderr.close()
    process.wait(timeout=QUICK_S)
    assert stderr == ""
    assert process.returncode in (0, 141)  # 0 only if it had written everything already
