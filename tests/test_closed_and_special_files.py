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
import shutil
import stat
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.core.packs.signing import generate_keypair

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


# --- an output that is not a plain file --------------------------------------------------


def _device(path: Path) -> None:
    """A twin of /dev/null: what ``-o /dev/null`` as root would have replaced."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("making a device needs root")


def _link_to_device(path: Path) -> None:
    _device(path.with_name("null"))
    path.symlink_to("null")


SPECIAL: dict[str, Callable[[Path], None]] = {
    "a named pipe (FIFO)": os.mkfifo,
    "a character device": _device,
    "a link to a character device": _link_to_device,
    "a folder": Path.mkdir,
}


def _writers(target: Path, tmp_path: Path) -> dict[str, list[str]]:
    """Every command that writes a file named on its command line."""
    private, public = generate_keypair(tmp_path / "keys")
    return {
        "content build -o": [
            "content", "build", str(CONTENT), "-o", str(target), "--key", str(private)
        ],
        "stats export -o": ["stats", "export", "--csv", "-o", str(target)],
        "keygen --out": ["keygen", "--out", str(target)],
        "set-pin --config": ["set-pin", "--config", str(target)],
        "content trust --config": ["content", "trust", str(public), "--config", str(target)],
    }  # fmt: skip


WRITERS = ["content build -o", "stats export -o", "keygen --out", "set-pin --config"]
WRITERS += ["content trust --config"]


@pytest.mark.parametrize("kind", list(SPECIAL))
@pytest.mark.parametrize("name", WRITERS)
def test_an_output_that_is_not_a_plain_file_is_never_replaced(
    tmp_path: Path, name: str, kind: str
) -> None:
    """``kiosk content build ... -o mynull`` (a character device, or a named pipe) made it
    a zip file: as root, ``-o /dev/null`` would have replaced /dev/null."""
    if name == "keygen --out" and kind == "a folder":
        return  # what it asks for
    target = tmp_path / "out" / "target"
    target.parent.mkdir()
    SPECIAL[kind](target)
    before = target.stat().st_mode
    writers = _writers(target, tmp_path)
    assert list(writers) == WRITERS
    done = kiosk(*writers[name], stdin="2468\n")
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr
    [line] = done.stderr.splitlines()
    assert line.startswith(f"kiosk: {target}") or line.startswith(f"kiosk: {target.parent}"), line
    wanted = "a folder" if kind == "a folder" else kind.removeprefix("a link to ")
    if name == "keygen --out":
        assert kind == "a folder" or f"it is {wanted}, not a folder" in line, line
    else:
        assert f"it is {wanted}, not a regular file" in line, line
    assert target.stat().st_mode == before  # still the pipe, the device or the folder
    assert target.is_symlink() == (kind == "a link to a character device")
    leftovers = {p.name for p in target.parent.iterdir()} - {"target", "null"}
    assert kind == "a folder" or not leftovers, leftovers


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


def _closed(*args: str, which: str = "stdout") -> tuple[int, str]:
    """Run a command whose reader of ``which`` (stdout or stderr) is gone before the
    first line, as after ``| true``: its exit status and what it wrote to the other."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "kiosk", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=REPO,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    gone, other = (
        (process.stdout, process.stderr) if which == "stdout" else (process.stderr, process.stdout)
    )
    gone.close()
    said = other.read().decode()
    other.close()
    return process.wait(timeout=QUICK_S * 3), said


def _noisy_content(tmp_path: Path, *, broken: bool = False) -> Path:
    """The bundled content with 300 stray files: a warning line each, far more than a
    pipe's buffer, so the build reports while it works."""
    content = shutil.copytree(CONTENT, tmp_path / "content")
    for number in range(300):
        (content / "en" / "terms" / f"note-{number}.txt").write_text("x\n", "utf-8")
    if broken:
        heartburn = content / "en" / "terms" / "heartburn.md"
        heartburn.write_text(heartburn.read_text("utf-8").replace("kind: term", "kind: termz"))
    return content


def test_a_closed_output_does_not_stop_a_build(tmp_path: Path) -> None:
    """``kiosk content build ... | true`` said 'kiosk: cannot write h4.kpack: Broken pipe',
    exit 1, and wrote no pack."""
    content = _noisy_content(tmp_path)
    private, _ = generate_keypair(tmp_path / "keys")
    out = tmp_path / "h4.kpack"
    code, stderr = _closed("content", "build", str(content), "-o", str(out), "--key", str(private))
    assert stderr == ""
    assert code == 141
    with zipfile.ZipFile(out) as pack:
        assert pack.testzip() is None
        assert {"manifest.json", "manifest.sig"} <= set(pack.namelist())


def test_a_build_that_fails_with_its_output_closed_says_so(tmp_path: Path) -> None:
    content = _noisy_content(tmp_path, broken=True)
    private, _ = generate_keypair(tmp_path / "keys")
    out = tmp_path / "h4.kpack"
    code, stderr = _closed("content", "build", str(content), "-o", str(out), "--key", str(private))
    assert stderr == f"kiosk: {content}: 1 error; nothing was built\n"
    assert code == 1
    assert not out.exists()


def test_a_closed_stderr_does_not_stop_an_export(tmp_path: Path) -> None:
    """'kiosk: no usage counts yet' goes to stderr before the file is written."""
    out = tmp_path / "counts.csv"
    code, stdout = _closed("stats", "export", "--csv", "-o", str(out), which="stderr")
    assert stdout == ""
    assert code == 141
    assert out.read_text("utf-8").splitlines() == ["day,locale,slug,count"]
