"""docs/ADMIN.md (and the commands of docs/CONTENT.md) say what the software does.

Each check reads the claim out of the guide's text: every ``kiosk ...`` command line
parses with the real argument parser, the option, settings and location tables give the
code's options, keys and defaults, and every message of the troubleshooting tables (and
every ``kiosk: ...`` line of its examples) is one that the real commands print for the
case the row describes, run here in tmp folders.
"""

from __future__ import annotations

import argparse
import contextlib
import http.server
import io
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from loopback import LoopbackServer, serving

from kiosk.cli import _build_parser, main
from kiosk.core.config import (
    CONFIG_VERSION,
    ConfigError,
    KioskConfig,
    config_keys,
    default_config_path,
    load_config,
)
from kiosk.core.packs.build import build_pack
from kiosk.core.packs.signing import generate_keypair, load_private_key, public_key_text
from kiosk.core.packs.store import Store
from kiosk.core.stats import DB_FILE, DEFAULT_KEEP_DAYS, SMALLEST_EXPORTED_COUNT

from conftest import CONTENT, REPO
from guides import (
    ADMIN_GUIDE,
    CONTENT_GUIDE,
    code_spans,
    fences,
    kiosk_commands,
    message_pattern,
    read,
    section,
    tables,
    without_fences,
)

GUIDE = read(ADMIN_GUIDE)


# --- commands and options ---------------------------------------------------------------


def _commands() -> list[list[str]]:
    return [args for guide in (CONTENT_GUIDE, ADMIN_GUIDE) for args in kiosk_commands(read(guide))]


@pytest.mark.parametrize("args", _commands(), ids=" ".join)
def test_every_kiosk_command_in_the_guides_parses(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A command line to type parses; a command only named in a sentence ("after
    `kiosk content trust`") may leave out what follows, but its words exist."""
    try:
        parsed = _build_parser().parse_args(args)
    except SystemExit as stop:
        error = capsys.readouterr().err
        if stop.code == 0:
            assert "--help" in args
        else:
            assert "the following arguments are required" in error, error
        return
    assert parsed.handler


def test_the_answer_to_kiosk_help_starts_as_the_guide_says() -> None:
    said = re.search(r"If the answer starts with `([^`]+)`", section(GUIDE, "Before you start"))
    assert said
    assert _build_parser().format_help().startswith(said.group(1))


def _subparser(words: list[str]) -> argparse.ArgumentParser:
    parser = _build_parser()
    for word in words:
        (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        parser = commands.choices[word]
    return parser


def test_the_install_option_table_gives_the_real_options_and_defaults() -> None:
    (table,) = [t for t in tables(section(GUIDE, "From a web address")) if t.header[0] == "Option"]
    install = _subparser(["content", "install"])
    for option, default, _ in table.rows:
        flag, metavar = code_spans(option)[0].split()
        (action,) = [a for a in install._actions if flag in a.option_strings]
        assert (action.metavar or action.dest.upper()) == metavar, flag
        assert action.default == float(code_spans(default)[0]), flag


# --- settings and where things are ------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder, as on a kiosk: no XDG variables (conftest sets them for other tests)."""
    for name in ("XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    return tmp_path


def _from_home(path: str, home: Path) -> Path:
    return home / path.removeprefix("~/")


def test_the_settings_table_is_the_code_s_keys_and_defaults(home: Path) -> None:
    part = section(GUIDE, "The settings file")
    (table,) = [t for t in tables(part) if t.header[0] == "Setting"]
    defaults = KioskConfig()
    keys = [code_spans(row[0])[0] for row in table.rows]
    assert sorted(keys) == sorted([*config_keys(), "config_version"])
    for key, default in zip(keys, table.column("Default"), strict=True):
        if key == "config_version":
            assert code_spans(default) == [str(CONFIG_VERSION)]
            continue
        value = getattr(defaults, key)
        if default == "none":
            assert not value, key
        elif key in ("store", "state"):
            real = defaults.store_dir if key == "store" else defaults.state_dir
            assert _from_home(code_spans(default)[0], home) == real, key
        else:
            assert tomllib.loads(f"v = {code_spans(default)[0]}")["v"] == value, key


def test_the_ranges_the_settings_table_gives_are_the_code_s(tmp_path: Path) -> None:
    part = section(GUIDE, "The settings file")
    (table,) = [t for t in tables(part) if t.header[0] == "Setting"]
    ranges = 0
    for row in table.rows:
        found = re.search(r"\((\d+) to (\d+)\)", row[2])
        if not found:
            continue
        ranges += 1
        key, low, high = code_spans(row[0])[0], int(found.group(1)), int(found.group(2))
        for value, fine in ((low - 1, False), (low, True), (high, True), (high + 1, False)):
            config = tmp_path / "kiosk.toml"
            config.write_text(f"{key} = {value}\n", "utf-8")
            with contextlib.nullcontext() if fine else pytest.raises(ConfigError):
                load_config(config)
    assert ranges >= 3


def test_the_places_the_guide_names_are_the_kiosk_s(home: Path) -> None:
    (table,) = [t for t in tables(section(GUIDE, "Where the kiosk keeps things"))]
    config = KioskConfig()
    places = {row[0]: code_spans(row[1])[0] for row in table.rows}
    assert _from_home(places["Settings file"], home) == default_config_path()
    store = next(v for k, v in places.items() if k.startswith("Installed packs"))
    assert _from_home(store, home) == config.store_dir
    logs = next(k for k in places if k.startswith("Log file"))
    assert _from_home(places[logs], home) == config.state_dir
    crash = (REPO / "kiosk" / "ui" / "system" / "crash.py").read_text("utf-8")
    for name in code_spans(logs):
        assert name == DB_FILE or f'"{name}"' in crash, name


def test_the_usage_count_numbers_are_the_code_s() -> None:
    part = re.sub(r"\s+", " ", section(GUIDE, "8. Usage counts"))
    assert f"Counts older than about {DEFAULT_KEEP_DAYS} days are deleted" in part
    assert f"A day's count below {SMALLEST_EXPORTED_COUNT} is left out of every export" in part


def test_the_usage_count_export_is_what_the_guide_shows(tmp_path: Path) -> None:
    """Section 8's export, from counts of those days (and one too small to show); the
    same with --csv, which the guide says is accepted and changes nothing."""
    from kiosk.core.stats import UsageCounts

    (example,) = [b for b in fences(section(GUIDE, "Export the counts"), "text")]
    command, *shown = example.splitlines()
    config = tmp_path / "kiosk.toml"
    config.write_text('state = "state"\n', "utf-8")
    with UsageCounts(tmp_path / "state" / DB_FILE) as counts:
        for line in [*shown[1:], f"{shown[1][:10]},en,hammertoe,{SMALLEST_EXPORTED_COUNT - 1}"]:
            day, locale, slug, times = line.split(",")
            for _ in range(int(times)):
                counts.record(slug, locale, datetime.fromisoformat(day).date())
    args = [*shlex.split(command.removeprefix("$ "))[1:], "--config", str(config)]
    for variant in (args, [*args, "--csv"]):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(variant) == 0
        assert out.getvalue().splitlines() == shown, variant


# --- links between the guides -------------------------------------------------------------


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.replace("`", "").lower())
    return text.replace(" ", "-")


@pytest.mark.parametrize("guide", [CONTENT_GUIDE, ADMIN_GUIDE], ids=lambda p: p.name)
def test_every_link_to_a_section_of_a_guide_finds_it(guide: Path) -> None:
    for target, anchor in re.findall(r"\]\(([\w./-]*?)#([\w-]+)\)", without_fences(read(guide))):
        linked = guide.parent / target if target else guide
        headings = re.findall(r"^#{1,4} (.+)$", without_fences(read(linked)), re.M)
        assert anchor in {_anchor(h) for h in headings}, f"{target}#{anchor}"


# --- messages -------------------------------------------------------------------------------


class _Server(LoopbackServer):
    pack: bytes


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        with contextlib.suppress(OSError):
            if self.path == "/pack.kpack":
                self.send_response(200)
                self.send_header("Content-Length", str(len(self.server.pack)))
                self.end_headers()
                self.wfile.write(self.server.pack)
            elif self.path == "/loop.kpack":
                self.send_response(302)
                self.send_header("Location", self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path == "/page.kpack":  # a sign-in page, with 200 OK
                page = b"<!DOCTYPE html><p>Sign in</p>\n"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)
            elif self.path in ("/silent.kpack", "/trickle.kpack"):
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b"x")
                self.wfile.flush()
                while not self.server.stop.wait(0.1 if "trickle" in self.path else 30):
                    self.wfile.write(b"x")
                    self.wfile.flush()
            else:
                self.send_error(404, "File not found")  # as python -m http.server says

    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def _web(pack: bytes) -> Iterator[str]:
    server = _Server(("127.0.0.1", 0), _Handler)
    server.pack = pack
    with serving(server) as address:
        yield address


def _closed_port() -> int:
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port: int = free.getsockname()[1]
    return port


def _rezip(src: Path, dst: Path, name: str, change: Any) -> Path:
    """A copy of a pack with one entry changed after it was signed."""
    with zipfile.ZipFile(src) as old, zipfile.ZipFile(dst, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, change(data) if info.filename == name else data)
    return dst


def _damage(folder: Path) -> None:
    article = folder / "content" / "en" / "terms" / "heartburn.md"
    article.chmod(0o644)
    article.write_text(article.read_text("utf-8") + "\nChanged.\n", "utf-8")


class _Clock1970(datetime):
    """The clock of a computer whose clock battery is flat."""

    @classmethod
    def now(cls, tz: Any = None) -> _Clock1970:
        return cls(1970, 1, 1, tzinfo=UTC)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Site:
    """A kiosk's settings, store and state, keys, and packs, all in one tmp folder; each
    command run in-process, its output kept."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.output: list[str] = []
        self.config = root / "kiosk.toml"
        self.content = shutil.copytree(CONTENT, root / "content")
        self.private, _ = generate_keypair(root / "signing")
        self.key = public_key_text(load_private_key(self.private))
        self.config.write_text(
            f'store = "store"\nstate = "state"\ntrusted_keys = ["{self.key}"]\n', "utf-8"
        )

    def kiosk(self, *args: str | Path, stdin: io.StringIO | None = None) -> int:
        out, err = io.StringIO(), io.StringIO()
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            pytest.MonkeyPatch.context() as patch,
        ):
            patch.setattr(sys, "stdin", stdin or io.StringIO(""))
            patch.chdir(self.root)  # the guide's examples name files from where they are
            try:
                code = main([str(a) for a in args])
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 2
        assert "Traceback" not in err.getvalue(), err.getvalue()
        self.output += out.getvalue().splitlines() + err.getvalue().splitlines()
        return code

    def pack(self, name: str, when: datetime, content: Path | None = None) -> Path:
        out = self.root / "packs" / f"{name}.kpack"
        build_pack(content or self.content, out, self.private, when)
        return out

    def store(self) -> Store:
        return Store(self.root / "store")


def _run_the_cases(site: Site) -> None:
    now = datetime.now(UTC)
    config = ("--config", site.config)
    root = site.root

    # Keys, trust and build.
    site.kiosk("keygen", "--out", root / "keys")
    site.kiosk("keygen", "--out", root / "keys")
    site.kiosk("content", "trust", root / "keys" / "kiosk-signing.key", *config)
    site.kiosk("content", "trust", "notakey", *config)
    broken = shutil.copytree(CONTENT, root / "broken")
    heartburn = broken / "en" / "terms" / "heartburn.md"
    heartburn.write_text(heartburn.read_text("utf-8").replace("kind: term", "kind: termz"))
    site.kiosk("content", "build", "broken", "-o", "usb/x.kpack", "--key", site.private)
    inside = site.content / "x.kpack"
    site.kiosk("content", "build", site.content, "-o", inside, "--key", site.private)
    public = root / "keys" / "kiosk-signing.pub.txt"
    site.kiosk("content", "build", site.content, "-o", root / "x.kpack", "--key", public)
    site.kiosk("content", "build", site.content, "-o", root / "x.kpack", "--key", "nokey.key")
    with pytest.MonkeyPatch.context() as patch:  # a flat clock battery: 1970
        patch.setattr("kiosk.core.packs.build.datetime", _Clock1970)
        site.kiosk("content", "build", site.content, "-o", root / "x.kpack", "--key", site.private)

    # Installs that are refused.
    older, newer = site.pack("older", now - timedelta(hours=2)), site.pack("newer", now)
    by_older = shutil.copytree(CONTENT, root / "by-an-older-build")
    toml = by_older / "pack.toml"
    longer = toml.read_text("utf-8").replace("Call 911 or", "Call 911 now. " * 40 + "Or", 1)
    toml.write_text(longer, "utf-8")
    with pytest.MonkeyPatch.context() as patch:  # an older 'kiosk content build' signed it
        patch.setattr("kiosk.core.content.packtexts.CRISIS_MAX_CHARS", 10_000)
        old = site.pack("old", now - timedelta(hours=3), by_older)
    site.kiosk("content", "install", old, *config)
    other_key, _ = generate_keypair(root / "other")
    other = root / "mixed" / "other.kpack"
    build_pack(site.content, other, other_key, now)
    site.kiosk("content", "install", other, *config)
    site.kiosk("content", "install", other.parent, *config)
    entry = "content/en/terms/heartburn.md"
    tampered = _rezip(newer, root / "tampered.kpack", entry, lambda b: b + b"\nChanged.\n")
    site.kiosk("content", "install", tampered, *config)
    tampered2 = _rezip(newer, root / "tampered2.kpack", "manifest.json", lambda b: b + b" ")
    site.kiosk("content", "install", tampered2, *config)
    (root / "emptyusb").mkdir()
    site.kiosk("content", "install", "emptyusb", *config)
    (root / "emptyusb" / "junk.kpack").write_bytes(b"junk")
    site.kiosk("content", "install", "emptyusb", *config)
    site.kiosk("content", "install", "nosuch", *config)
    site.kiosk("content", "install", "ftp://example.org/p.kpack", *config)
    site.kiosk("content", "install", newer, "--max-mb", "0", *config)
    site.kiosk("content", "install", newer, "--deadline", "0", *config)
    site.kiosk("content", "install", newer, "--min-rate", "-1", *config)
    site.kiosk("content", "rollback", *config)
    assert newer.stat().st_size > 10_000

    # Downloads.
    site.kiosk("content", "install", f"http://127.0.0.1:{_closed_port()}/x.kpack", *config)
    with _web(newer.read_bytes()) as web, pytest.MonkeyPatch.context() as patch:
        site.kiosk("content", "install", f"{web}/missing.kpack", *config)
        site.kiosk("content", "install", f"{web}/loop.kpack", *config)
        site.kiosk("content", "install", f"{web}/page.kpack", *config)
        site.kiosk("content", "install", f"{web}/pack.kpack", "--max-mb", "0.01", *config)
        site.kiosk("content", "install", f"{web}/silent.kpack", "--timeout", "0.5", *config)
        site.kiosk("content", "install", f"{web}/trickle.kpack", "--deadline", "1", *config)
        from kiosk.core.packs import fetch

        defaults = fetch.download.__kwdefaults__
        assert defaults is not None
        patch.setitem(defaults, "rate_window_s", 1.0)
        site.kiosk("content", "install", f"{web}/trickle.kpack", *config)

    # Older packs, the same pack again, damage and roll back.
    site.kiosk("content", "install", newer, *config)
    site.kiosk("content", "install", older, *config)
    site.kiosk("content", "install", newer, *config)
    site.kiosk("content", "install", older, "--allow-downgrade", *config)
    current = site.store().current_pack_dir()
    assert current is not None
    _damage(current)
    site.kiosk("content", "status", *config)
    site.kiosk("content", "install", newer, "--allow-downgrade", *config)
    site.kiosk("content", "rollback", *config)

    # Packs built with a wrong clock.
    future = site.pack("future", datetime(2099, 1, 1, 9, 30, tzinfo=UTC))
    site.kiosk("content", "install", future, *config)
    then = Store(root / "store", clock=lambda: datetime(2099, 1, 1, 10, tzinfo=UTC))
    then.install(future, [site.key])
    site.kiosk("content", "install", site.pack("fresh", now + timedelta(minutes=1)), *config)

    # Settings, PIN and counts.
    misspelled = root / "misspelled.toml"
    misspelled.write_text("usage_count = false\n", "utf-8")
    site.kiosk("content", "status", "--config", misspelled)
    bad = root / "bad.toml"
    bad.write_text("usage_counts = no\n", "utf-8")
    site.kiosk("content", "status", "--config", bad)
    unknown_language = root / "language.toml"
    unknown_language.write_text('idle_timeout = 90\n\ndefault_locale = "zz"\n', "utf-8")
    site.kiosk("content", "status", "--config", unknown_language)
    cut_hash = root / "cut.toml"
    cut_hash.write_text('locked = true\nadmin_pin_hash = "scrypt$16384$8"\n', "utf-8")
    site.kiosk("content", "status", "--config", cut_hash)
    pipe = root / "pipe"
    os.mkfifo(pipe)
    site.kiosk("content", "status", "--config", pipe)
    site.kiosk("content", "build", site.content, "-o", pipe, "--key", site.private)
    site.kiosk("set-pin", *config, stdin=io.StringIO("12\n"))
    with pytest.MonkeyPatch.context() as patch:
        answers = iter(["2468", "2469"])
        patch.setattr("getpass.getpass", lambda prompt="": next(answers))
        site.kiosk("set-pin", *config, stdin=_Terminal())
    site.kiosk("stats", "export", *config)
    site.kiosk("stats", "export", "--since", "27/11/2026", *config)
    off = root / "off.toml"
    off.write_text('usage_counts = false\nstate = "state"\n', "utf-8")
    site.kiosk("stats", "export", "--config", off)


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Every line the commands print for the cases of the troubleshooting tables."""
    site = Site(tmp_path_factory.mktemp("admin"))
    _run_the_cases(site)
    return site.output


def _table_messages() -> list[str]:
    messages = []
    for table in tables(section(GUIDE, "10. Troubleshooting")):
        if table.header[0] != "Message":
            continue
        for cell in table.column("Message"):
            if not cell.startswith("PIN pad:"):
                messages += code_spans(cell)
    return messages


def _example_messages() -> list[str]:
    """The ``kiosk: ...`` lines in the guide's examples of what the computer answers."""
    return [
        line
        for block in fences(GUIDE, "text")
        for line in block.splitlines()
        if line.startswith("kiosk: ")
    ]


@pytest.mark.parametrize("message", sorted({*_table_messages(), *_example_messages()}))
def test_each_message_in_the_guide_is_one_the_commands_print(
    message: str, printed: list[str]
) -> None:
    pattern = message_pattern(message)
    assert any(pattern.fullmatch(line) for line in printed), (
        f"no command printed {message!r}: fix the guide, or add its case to _run_the_cases"
    )


def _interface_texts() -> list[str]:
    """What the guide quotes from the kiosk's screens in its troubleshooting tables."""
    texts = []
    for table in tables(section(GUIDE, "10. Troubleshooting")):
        for row in table.rows:
            if row[0].startswith("PIN pad:"):
                texts += code_spans(row[0])
            elif table.header[0] == "What you see":
                texts += re.findall(r'"([^"]+)"', row[0])
    return texts


def test_the_screens_say_what_the_guide_quotes() -> None:
    ts = (REPO / "resources" / "translations" / "kiosk_es.ts").read_text("utf-8")
    sources = [
        re.compile(re.escape(s).replace("%n", r"\d+").replace("%1", r"\d+"))
        for s in re.findall(r"<source>(.*?)</source>", ts, re.S)
    ]
    texts = _interface_texts()
    assert len(texts) >= 6
    for text in texts:
        assert any(source.fullmatch(text) for source in sources), text


# --- the kiosk command on an editing computer ----------------------------------------------


def _editing() -> str:
    return section(GUIDE, "Before you start: the `kiosk` command")


# A Python without the parts only POSIX systems have, as on Windows (staff's editing
# computers): the modules, and the os functions and open() flags Windows lacks. Functions
# libraries choose by sys.platform (getuid) stay: this is still Linux underneath.
_WINDOWS_LIKE = """\
import importlib.abc, os, sys
MODULES = {"fcntl", "pwd", "grp", "termios", "resource"}
class NoPosix(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name in MODULES:
            raise ModuleNotFoundError(f"No module named '{name}'", name=name)
for name in MODULES:
    sys.modules.pop(name, None)
sys.meta_path.insert(0, NoPosix())
for attr in ("O_NONBLOCK", "O_NOCTTY", "O_CLOEXEC", "O_DIRECTORY", "O_NOFOLLOW", "fchmod",
             "statvfs", "set_blocking", "chown", "fchown", "sync", "mkfifo", "ST_RDONLY"):
    if hasattr(os, attr):
        delattr(os, attr)
from kiosk.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_the_editing_commands_work_where_windows_lacks_posix(tmp_path: Path) -> None:
    """The guide gives Windows steps: keygen, validate, build and search work in a Python
    without fcntl and the POSIX-only os parts (the command stopped at once with
    "No module named 'fcntl'")."""
    assert "**On Windows:** the same steps as on a Mac" in _editing()

    def kiosk(*args: str | Path) -> subprocess.CompletedProcess[str]:
        run = subprocess.run(
            [sys.executable, "-c", _WINDOWS_LIKE, *map(str, args)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert run.returncode == 0, run.stdout[-1500:] + run.stderr[-1500:]
        return run

    kiosk("keygen", "--out", "keys")
    assert kiosk("content", "validate", CONTENT).stdout.rstrip().endswith("OK")
    kiosk("content", "build", CONTENT, "--key", "keys/kiosk-signing.key", "--out", "p.kpack")
    assert (tmp_path / "p.kpack").stat().st_size > 0
    assert "Heart Attack" in kiosk("search", "--content", CONTENT, "heart attack").stdout


def _wheel_name() -> str:
    version = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    return f"clinic_kiosk-{version}-py3-none-any.whl"


def test_the_wheel_the_guide_names_is_the_one_make_wheel_builds() -> None:
    assert set(re.findall(r"clinic_kiosk-[^\s`]+\.whl", _editing())) == {_wheel_name()}
    makefile = (REPO / "Makefile").read_text("utf-8")
    assert "WHEEL := dist/clinic_kiosk-$(VERSION)-py3-none-any.whl" in makefile
    assert "editing-computer" in _editing() and "/editing-computer/" in makefile
    # The content folder staff start from is there too (the guide's steps need it).
    assert "the folder `content` next to it" in _editing()
    assert "cp -a content build/release/$(RELEASE_NAME)/editing-computer/content" in makefile


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_the_wheel_installs_and_its_kiosk_command_works(tmp_path: Path) -> None:
    """`make wheel`, installed into a fresh virtual environment the way pipx does it,
    without the source tree: validate, build, search (the bundled content) and every
    resource the preview reads. Its dependencies come from this checkout's .venv (a
    .pth file), so the test needs no network; pip from PyPI was tried by hand."""
    done = subprocess.run(
        ["make", "--no-print-directory", "wheel"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    wheel = REPO / "dist" / _wheel_name()
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", venv], check=True, timeout=120)
    python = venv / "bin" / "python"

    def purelib(interpreter: Path | str) -> str:
        code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
        return subprocess.run(
            [interpreter, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()

    site = purelib(python)
    (Path(site) / "dependencies.pth").write_text(purelib(sys.executable) + "\n", "utf-8")
    subprocess.run(
        [python, "-m", "pip", "install", "--no-deps", "--no-index", wheel],
        check=True,
        capture_output=True,
        timeout=120,
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    work = tmp_path / "work"
    content = shutil.copytree(CONTENT, work / "content")
    kiosk = [str(venv / "bin" / "kiosk")]  # the command pip and pipx put on the PATH

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*kiosk, *args], cwd=work, env=env, capture_output=True, text=True, timeout=120
        )

    where = subprocess.run(
        [python, "-c", "import kiosk.resources as r; print(r.base_dir())"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert where == str(Path(site) / "kiosk" / "_data"), where
    from kiosk.resources import ASSETS

    for asset in ASSETS:
        assert (Path(where) / "resources" / asset).is_file(), asset
    studio = run("studio", "--help")  # the content studio's command (docs/STUDIO.md)
    assert studio.returncode == 0 and "the content folder" in studio.stdout, studio
    validate = run("content", "validate", str(content.name))
    assert validate.returncode == 0 and validate.stdout.rstrip().endswith(": OK"), validate
    assert run("search", "heart atack").stdout.startswith(" 1. Heart Attack (term, heart-attack)")
    assert run("keygen", "--out", "keys").returncode == 0
    built = run(
        "content", "build", "content", "-o", "out/p.kpack", "--key", "keys/kiosk-signing.key"
    )
    assert built.returncode == 0 and built.stdout.startswith("Built out/p.kpack"), built
    assert json.loads(run("search", "narcan", "--json").stdout)
