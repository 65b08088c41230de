"""keygen, trust, build, install, status and rollback through the CLI: the main paths as real
processes (python -m kiosk), setup steps and error cases through the same main() in-process."""

from __future__ import annotations

import contextlib
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypedDict

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.cli import main
from kiosk.core.content.problems import Problem
from kiosk.core.packs.build import build_pack
from kiosk.core.packs.fetch import FetchError, resolve_source
from kiosk.core.packs.folder import content_files
from kiosk.core.packs.signing import key_id, load_public_key_file
from kiosk.core.terminal import printable, printable_json

from conftest import CONTENT, FIXTURES


class _Limits(TypedDict):
    deadline_s: float
    min_rate: float


LIMITS: _Limits = {"deadline_s": 60.0, "min_rate": 0.0}  # what 'kiosk content install' passes


def kiosk(*args: str | Path) -> subprocess.CompletedProcess[str]:
    run = subprocess.run(
        [sys.executable, "-m", "kiosk", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "Traceback" not in run.stderr, run.stderr
    return run


def in_process(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The same command, run by this process (quicker, for setup and error cases)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main([str(a) for a in args])
        except SystemExit as exit_:  # argparse's usage errors
            code = exit_.code if isinstance(exit_.code, int) else 2
    return subprocess.CompletedProcess(list(args), code, out.getvalue(), err.getvalue())


def one_error_line(run: subprocess.CompletedProcess[str]) -> str:
    assert run.returncode != 0, run.stdout
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("kiosk: ")
    return lines[0]


@pytest.fixture
def site(tmp_path: Path) -> dict[str, Path]:
    """A config whose store and state are tmp folders, a key pair, and a content copy."""
    config = tmp_path / "kiosk.toml"
    config.write_text('store = "store"\nstate = "state"\n', encoding="utf-8")
    content = shutil.copytree(CONTENT, tmp_path / "content")
    return {"root": tmp_path, "config": config, "content": content, "keys": tmp_path / "keys"}


def _setup_keys(site: dict[str, Path], *, real: bool = False) -> tuple[Path, Path]:
    command = kiosk if real else in_process
    run = command("keygen", "--out", site["keys"])
    assert run.returncode == 0, run.stderr
    private, public = site["keys"] / "kiosk-signing.key", site["keys"] / "kiosk-signing.pub.txt"
    assert private.is_file() and public.is_file()
    run = command("content", "trust", public, "--config", site["config"])
    assert run.returncode == 0, run.stderr
    return private, public


def test_keygen_trust_build_install_status_rollback(site: dict[str, Path]) -> None:
    # An overdue article, so status has something to list.
    heparin = site["content"] / "en" / "terms" / "heparin.md"
    text = heparin.read_text(encoding="utf-8")
    text = text.replace("reviewed: 2026-11-27", "reviewed: 2019-01-01")
    heparin.write_text(text.replace("review_due: 2027-11-27", "review_due: 2020-01-01"))
    private, public = _setup_keys(site, real=True)
    ident = key_id(load_public_key_file(public))

    again = in_process("content", "trust", public, "--config", site["config"])
    assert again.returncode == 0 and f"Key {ident} is already trusted" in again.stdout
    config = tomllib.loads(site["config"].read_text(encoding="utf-8"))
    assert config["trusted_keys"] == [public.read_text().strip()]
    assert config["store"] == "store"

    # An older build first, through the API, so the CLI's build is the newest.
    older = site["root"] / "older.kpack"
    build_pack(site["content"], older, private, datetime(2020, 1, 1, tzinfo=UTC))
    out = site["root"] / "dist" / "clinic.kpack"
    run = kiosk("content", "build", site["content"], "-o", out, "--key", private)
    assert run.returncode == 0, run.stderr
    assert "review_due 2020-01-01 has passed" in run.stdout  # warnings are shown
    last = run.stdout.strip().splitlines()[-1]
    assert last.startswith(f"Built {out}: pack clinic-health, content version 1, build 20")
    assert last.endswith(f"31 files, signed by {ident}")

    run = kiosk("content", "install", older, "--config", site["config"])
    assert run.returncode == 0, run.stderr
    assert "Installed pack clinic-health build 20200101000000" in run.stdout
    assert "next idle reset" in run.stdout
    run = kiosk("content", "install", out, "--config", site["config"])
    assert run.returncode == 0, run.stderr
    assert "Previous: build 20200101000000" in run.stdout

    status = kiosk("content", "status", "--config", site["config"])
    assert status.returncode == 0, status.stderr
    assert f"Store: {site['root'] / 'store'}" in status.stdout
    assert f"signed by {ident}" in status.stdout
    assert "Previous: pack clinic-health build 20200101000000" in status.stdout
    assert "Integrity: OK" in status.stdout
    assert "Review: 1 article is past review_due (on_review_overdue = flag):" in status.stdout
    assert "  en/heparin: Heparin (due 2020-01-01)" in status.stdout

    run = kiosk("content", "rollback", "--config", site["config"])
    assert run.returncode == 0, run.stderr
    assert "current is now pack clinic-health build 20200101000000" in run.stdout
    status = in_process("content", "status", "--config", site["config"])
    assert "Installed: pack clinic-health build 20200101000000" in status.stdout
    current = site["root"] / "store" / "current"
    assert current.readlink() == Path("packs/20200101000000-clinic-health")


def test_untrusted_signer_downgrade_and_folder_source(site: dict[str, Path]) -> None:
    private, _ = _setup_keys(site)
    stranger = site["root"] / "stranger"
    assert in_process("keygen", "--out", stranger).returncode == 0
    strange = site["root"] / "strange.kpack"
    build_pack(site["content"], strange, stranger / "kiosk-signing.key")
    line = one_error_line(kiosk("content", "install", strange, "--config", site["config"]))
    stranger_id = key_id(load_public_key_file(stranger / "kiosk-signing.pub.txt"))
    assert line == (
        f"kiosk: {strange}: signed by an unknown key {stranger_id}; "
        "trust it with 'kiosk content trust KEYFILE'"
    )
    assert not (site["root"] / "store" / "current").exists()

    usb = site["root"] / "usb"
    usb.mkdir()
    for day in (3, 1):  # newest first on disk, so the pick is by version, not by name
        build_pack(
            site["content"], usb / f"pack-{day}.kpack", private, datetime(2021, 1, day, tzinfo=UTC)
        )
    (usb / ".hidden.kpack").write_text("not a pack")
    # A newer pack from a key this kiosk does not trust does not hide the clinic's own.
    build_pack(
        site["content"],
        usb / "pack-9.kpack",
        stranger / "kiosk-signing.key",
        datetime(2021, 1, 9, tzinfo=UTC),
    )
    run = kiosk("content", "install", usb, "--config", site["config"])
    assert run.returncode == 0, run.stderr
    assert "build 20210103000000" in run.stdout and str(usb / "pack-3.kpack") in run.stdout
    (usb / "pack-9.kpack").unlink()

    line = one_error_line(
        kiosk("content", "install", usb / "pack-1.kpack", "--config", site["config"])
    )
    assert line == (
        "kiosk: version 20210101000000 is older than installed 20210103000000; "
        "use --allow-downgrade"
    )
    run = kiosk(
        "content", "install", usb / "pack-1.kpack", "--config", site["config"], "--allow-downgrade"
    )
    assert run.returncode == 0, run.stderr
    assert "Installed pack clinic-health build 20210101000000" in run.stdout

    empty = site["root"] / "empty"
    empty.mkdir()
    line = one_error_line(in_process("content", "install", empty, "--config", site["config"]))
    assert line == f"kiosk: no .kpack file in {empty}"

    # Trusting the stranger's key (given as text, not a file) lets its pack in.
    text = (stranger / "kiosk-signing.pub.txt").read_text().strip()
    run = in_process("content", "trust", text, "--config", site["config"])
    assert run.returncode == 0 and f"Trusted key {stranger_id}" in run.stdout
    run = in_process("content", "install", strange, "--config", site["config"])
    assert run.returncode == 0, run.stderr
    assert f"signed by {stranger_id}" in run.stdout


def test_build_refuses_broken_content_and_prints_the_problem(site: dict[str, Path]) -> None:
    private, _ = _setup_keys(site)
    broken = FIXTURES / "bad-packs" / "yaml-broken"
    out = site["root"] / "bad.kpack"
    run = kiosk("content", "build", broken, "-o", out, "--key", private)
    assert run.returncode == 1
    assert f"{broken}/en/terms/heart-rate.md:3: error: front matter is not valid YAML" in run.stdout
    assert one_error_line(run) == f"kiosk: {broken}: 1 error; nothing was built"
    assert not out.exists()


def test_bad_input_is_one_line_never_a_traceback(site: dict[str, Path]) -> None:
    private, public = _setup_keys(site)
    cfg = site["config"]
    cases: list[tuple[tuple[str | Path, ...], str]] = [
        (("content", "build", site["content"], "-o", "x.kpack", "--key", public), "public key"),
        (("content", "build", site["content"], "-o", "x.kpack", "--key", "nope"), "nope"),
        (("content", "trust", private, "--config", cfg), "this is a private key"),
        (("content", "trust", "missing.pub.txt", "--config", cfg), "missing.pub.txt"),
        (("content", "install", "ftp://example.org/p.kpack", "--config", cfg), "'ftp'"),
        (("content", "install", "nowhere.kpack", "--config", cfg), "no such file"),
        (("content", "install", cfg, "--config", cfg), "not a .kpack file"),
        (("content", "rollback", "--config", cfg), "no previous pack"),
        (("content", "status", "--config", site["root"] / "absent.toml"), "no such config"),
        (("keygen", "--out", site["keys"]), "already exists"),
    ]
    for args, expected in cases:
        line = one_error_line(in_process(*args))
        assert expected in line, (args, line)
    status = in_process("content", "status", "--config", cfg)
    assert status.returncode == 0 and "Installed: none" in status.stdout


# --- what validate accepts, build packs -------------------------------------------------


def _link_pack_toml(content: Path) -> str:
    real = content.parent / "real-pack.toml"
    (content / "pack.toml").rename(real)
    (content / "pack.toml").symlink_to(real)
    return f"{content}/pack.toml: error: is a link; copy the real file into the content folder"


def _link_folder(content: Path) -> str:
    (content.parent / "pictures").mkdir()
    (content / "en" / "images").symlink_to(content.parent / "pictures")
    return f"{content}/en/images: error: is a link; copy the real folder into the content folder"


def _fifo(content: Path) -> str:
    os.mkfifo(content / "en" / "pipe.txt")
    return (
        f"{content}/en/pipe.txt: error: is a named pipe (FIFO), not a file; remove it, or copy "
        "the real file into the content folder"
    )


def _named(name: str, reason: str) -> Any:
    def make(content: Path) -> str:
        (content / "en" / name).write_text("x")
        return f"{printable(str(content / 'en' / name))}: error: the file name {reason}; rename it"

    return make


def _twins(content: Path) -> str:
    for name in ("notes.txt", "NOTES.txt"):
        (content / "en" / name).write_text(name)
    return (
        f"{content}/en/notes.txt: error: this name and {content}/en/NOTES.txt differ only in "
        "case; a kiosk refuses a pack with both (Windows and macOS would make them one file): "
        "rename or remove one of them"
    )


@pytest.mark.parametrize(
    "make",
    [
        _named("a\\b.txt", "contains a backslash"),
        _named("c\x1b[31mRED\x1b[0m.txt", "contains a control character"),
        _named(os.fsdecode(b"\xffbad.txt"), "is not UTF-8 text"),  # was a traceback at build
        _fifo,
        _link_pack_toml,
        _link_folder,
        _twins,
    ],
    ids=["backslash", "escape codes", "not UTF-8", "named pipe", "linked pack.toml",
         "linked folder", "differ in case"],
)  # fmt: skip
def test_validate_reports_what_build_refuses_in_printable_lines(
    site: dict[str, Path], make: Any
) -> None:
    """validate said OK and build refused (or crashed) for these: one rule now says so at
    both, in the same words; a name's escape codes are shown, never sent to the terminal."""
    expected = make(site["content"])
    checked = in_process("content", "validate", site["content"])
    assert checked.returncode == 1, checked.stdout
    assert expected in checked.stdout.splitlines()
    private, _ = _setup_keys(site)
    out = site["root"] / "p.kpack"
    built = in_process("content", "build", site["content"], "-o", out, "--key", private)
    assert one_error_line(built) == f"kiosk: {site['content']}: 1 error; nothing was built"
    errors = [line for line in built.stdout.splitlines() if ": error: " in line]
    assert errors == [line for line in checked.stdout.splitlines() if ": error: " in line]
    assert not out.exists()
    as_json = in_process("content", "validate", "--json", site["content"])
    for run in (checked, built, as_json):
        assert all(line.isprintable() for line in (run.stdout + run.stderr).splitlines())
    assert any(p["severity"] == "error" for p in json.loads(as_json.stdout)["problems"])


def test_every_control_character_in_a_file_name_is_named_and_shown_escaped(
    tmp_path: Path,
) -> None:
    (tmp_path / "pack.toml").write_text("")
    controls = [chr(c) for c in (*range(1, 32), 127) if chr(c) != "/"]
    for char in controls:
        (tmp_path / f"a{char}b.txt").write_text("x")
    problems: list[Problem] = []
    content_files(tmp_path, problems)
    assert len(problems) == len(controls)
    for problem in problems:
        assert problem.message == "the file name contains a control character; rename it"
        assert printable(str(problem)).isprintable()


@given(st.text())
def test_printable_leaves_nothing_a_terminal_acts_on(text: str) -> None:
    shown = printable(text)
    assert shown.isprintable() and printable(shown) == shown
    assert shown == text or not text.isprintable()


@given(st.lists(st.dictionaries(st.text(), st.text())))
def test_printable_json_reads_back_the_same(value: list[dict[str, str]]) -> None:
    for indent in (None, 2):
        shown = printable_json(json.dumps(value, indent=indent, ensure_ascii=False))
        assert json.loads(shown) == value
        assert all(line.isprintable() for line in shown.split("\n"))


@pytest.mark.parametrize("year", [1970, 2108])
def test_build_on_a_clock_a_pack_cannot_record_is_one_line(
    site: dict[str, Path], monkeypatch: pytest.MonkeyPatch, year: int
) -> None:
    """A flat clock battery (1970) ended the build in a traceback: "ZIP does not support
    timestamps before 1980"."""

    class Clock(datetime):
        @classmethod
        def now(cls, tz: Any = None) -> Clock:
            return cls(year, 1, 1, tzinfo=UTC)

    private, _ = _setup_keys(site)
    monkeypatch.setattr("kiosk.core.packs.build.datetime", Clock)
    out = site["root"] / "p.kpack"
    line = one_error_line(
        in_process("content", "build", site["content"], "-o", out, "--key", private)
    )
    assert line.startswith(f"kiosk: this computer's clock says {year}-01-01 00:00 UTC")
    assert line.endswith(
        "set the computer's date and time (its clock battery may be flat), then build again"
    )
    assert not out.exists()


# --- web sources -----------------------------------------------------------------------


@pytest.fixture
def web(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local HTTP server on a folder: (base URL, folder). /slow never answers in time."""
    folder = tmp_path / "www"
    folder.mkdir()

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(folder), **kwargs)

        def do_GET(self) -> None:
            if self.path == "/slow":
                self.send_response(200)
                self.send_header("Content-Length", "1000")
                self.end_headers()
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(1.5)
                return
            super().do_GET()

        def log_message(self, format: str, *args: object) -> None:
            pass

    class QuietServer(http.server.ThreadingHTTPServer):
        def handle_error(self, request: object, client_address: object) -> None:
            pass  # clients hanging up early is what some of these tests do

    server = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", folder
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_install_from_a_web_address(site: dict[str, Path], web: tuple[str, Path]) -> None:
    private, _ = _setup_keys(site)
    base, folder = web
    build_pack(site["content"], folder / "p.kpack", private, datetime(2022, 5, 5, tzinfo=UTC))
    run = kiosk("content", "install", f"{base}/p.kpack", "--config", site["config"])
    assert run.returncode == 0, run.stderr
    assert "build 20220505000000" in run.stdout and f"from {base}/p.kpack" in run.stdout
    line = one_error_line(
        in_process("content", "install", f"{base}/absent.kpack", "--config", site["config"])
    )
    assert "404" in line
    line = one_error_line(
        in_process(
            "content", "install", f"{base}/p.kpack", "--config", site["config"], "--max-mb", "0.01"
        )
    )
    assert line == f"kiosk: {base}/p.kpack: download is larger than the limit of 0.01 MB"


def test_download_timeout_and_limit(tmp_path: Path, web: tuple[str, Path]) -> None:
    base, folder = web
    with pytest.raises(FetchError) as caught:
        resolve_source(f"{base}/slow", tmp_path / "work", 10_000, 0.3, **LIMITS)
    assert str(caught.value) == f"no data from {base}/slow for 0.3 s"
    (folder / "big.kpack").write_bytes(bytes(300_000))
    with pytest.raises(FetchError, match=r"larger than the limit of 0\.2 MB"):
        resolve_source(f"{base}/big.kpack", tmp_path / "work", 200_000, 5, **LIMITS)
    assert list((tmp_path / "work").iterdir()) == []  # partial downloads are removed
    with pytest.raises(FetchError, match="'file' addresses are not supported"):
        resolve_source("file:///etc/passwd", tmp_path, 1000, 1, **LIMITS)


@pytest.mark.parametrize("fault", ["a link to a disk not mounted", "a file"])
def test_status_of_a_store_it_cannot_use_says_so(tmp_path: Path, fault: str) -> None:
    """It said 'Installed: none' and exit 0 for a store on a disk not mounted, while
    install refused it and the log named it (newcomer): status is what staff send IT."""
    store = tmp_path / "store"
    if fault == "a file":
        store.write_text("not a folder")
    else:
        store.symlink_to(tmp_path / "usb-disk")
    config = tmp_path / "kiosk.toml"
    config.write_text(f'store = "{store}"\nstate = "{tmp_path / "state"}"\n', "utf-8")
    run = kiosk("content", "status", "--config", config)
    assert run.returncode == 1, run.stdout + run.stderr
    [line] = run.stderr.splitlines()
    assert line.startswith(f"kiosk: cannot use the store at {store}: ")
    assert ("is its disk mounted?" if fault != "a file" else "is a file, not a folder") in line
    assert not (tmp_path / "usb-disk").exists()  # nothing made through the link


def test_keygen_can_protect_the_key_with_a_passphrase(tmp_path: Path) -> None:
    """STUDIO.md and ADMIN.md ask for a key protected by a passphrase (a stick can be
    lost): keygen makes one, asked twice; too short or not the same twice, no key."""
    import subprocess
    import sys

    from kiosk.core.packs.signing import PassphraseNeededError, load_private_key

    def keygen(out: Path, typed: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kiosk", "keygen", "--out", str(out), "--passphrase"],
            input=typed, capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip

    made = keygen(tmp_path / "good", "clinic secret 1\nclinic secret 1\n")
    assert made.returncode == 0, made.stderr
    key = tmp_path / "good" / "kiosk-signing.key"
    load_private_key(key, "clinic secret 1")
    with pytest.raises(PassphraseNeededError):
        load_private_key(key)
    # content build asks for it once; a wrong one builds nothing.
    content = Path(__file__).resolve().parents[1] / "content"
    for typed, code in (("not it at all\n", 1), ("clinic secret 1\n", 0)):
        built = subprocess.run(
            [sys.executable, "-m", "kiosk", "content", "build", str(content),
             "-o", str(tmp_path / "p.kpack"), "--key", str(key)],
            input=typed, capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
        assert built.returncode == code, built.stderr
        assert (tmp_path / "p.kpack").exists() == (code == 0)
    for typed, said in (
        ("short\n", "8 characters or more"),
        ("clinic one\nclinic two\n", "differ"),
    ):
        refused = keygen(tmp_path / "bad", typed)
        assert refused.returncode == 2 and said in refused.stderr
        assert refused.stderr.count("\n") == 1 and not (tmp_path / "bad").exists()
