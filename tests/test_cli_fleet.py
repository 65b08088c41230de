"""`kiosk fleet ...` as an administrator types it: a repository made, a pack published
for a clinic, a kiosk trusting the root and checking on a timer's schedule, installing
once, then finding nothing new; each refusal one line with what to do."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.core.fleet.repository import FleetRepository, Keys
from kiosk.core.fleet.state import FOLDER, read_state
from kiosk.core.packs.build import build_pack
from kiosk.core.packs.signing import generate_keypair, load_private_key, public_key_text
from kiosk.core.pin import hash_pin
from kiosk.resources import bundled_content


@pytest.fixture
def site(tmp_path: Path) -> dict[str, Path]:
    """A pack built and its key; a kiosk config naming the repository and a clinic."""
    private, _ = generate_keypair(tmp_path / "packkey")
    pack = tmp_path / "a.kpack"
    build_pack(bundled_content(), pack, private, datetime.now(UTC) - timedelta(minutes=5))
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'trusted_keys = ["{public_key_text(load_private_key(private))}"]\n'
        f'fleet = "{tmp_path / "repo"}"\nfleet_clinic = "north"\n'
        f'store = "{tmp_path / "store"}"\nstate = "{tmp_path / "state"}"\n',
        "utf-8",
    )
    return {"pack": pack, "config": config, "root": tmp_path}


def kiosk(*args: str | Path) -> int:
    return main([str(a) for a in args])


def test_a_clinic_pack_published_is_installed_by_the_kiosks_check_once(
    site: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, config = site["root"], site["config"]
    assert kiosk("fleet", "init", root / "repo", "--keys", root / "keys") == 0
    assert kiosk("fleet", "publish", root / "repo", site["pack"], "--keys", root / "keys",
                 "--clinic", "north") == 0  # fmt: skip
    assert kiosk("fleet", "trust", root / "repo/metadata/1.root.json", "--config", config) == 0
    capsys.readouterr()
    assert kiosk("fleet", "check", "--config", config) == 0
    said = capsys.readouterr().out
    assert said.startswith("Installed build ") and "next idle reset" in said
    assert kiosk("fleet", "check", "--config", config) == 0  # not due: the timer ran early
    assert capsys.readouterr().out == ""
    assert kiosk("fleet", "check", "--now", "--config", config) == 0
    assert capsys.readouterr().out.startswith("Nothing new in the fleet; fresh until ")
    state = read_state(root / "state" / FOLDER)
    assert state.problem == "" and not state.stale(datetime.now(UTC), 72)


def test_trust_can_name_the_repository_and_clinic_in_the_kiosks_settings(
    site: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """As FLEET.md section 4 has IT type it: one command, then the timer's check works."""
    root, config = site["root"], site["config"]
    config.write_text(
        "\n".join(line for line in config.read_text("utf-8").splitlines()
                  if not line.startswith("fleet")) + "\n# the clinic's settings\n", "utf-8"
    )  # fmt: skip
    assert kiosk("fleet", "init", root / "repo", "--keys", root / "keys") == 0
    assert kiosk("fleet", "publish", root / "repo", site["pack"], "--keys", root / "keys",
                 "--clinic", "north") == 0  # fmt: skip
    monkeypatch.chdir(root)
    assert kiosk("fleet", "trust", "repo/metadata/1.root.json", "--repository", "repo",
                 "--clinic", "north", "--config", config) == 0  # fmt: skip
    said = capsys.readouterr().out
    assert f'fleet = "{root / "repo"}" in {config}' in said and "fleet check --now" in said
    text = config.read_text("utf-8")
    assert "# the clinic's settings" in text and 'fleet_clinic = "north"' in text
    assert kiosk("fleet", "check", "--timer", "--config", config) == 0
    assert capsys.readouterr().out.startswith("Installed build ")
    assert kiosk("fleet", "trust", "repo/metadata/1.root.json", "--clinic", "North",
                 "--config", config) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "clinic name 'North': use lowercase" in err
    assert 'fleet_clinic = "north"' in config.read_text("utf-8")


def test_a_stale_repository_is_reported_and_recorded(
    site: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root, config = site["root"], site["config"]
    old = FleetRepository.create(
        root / "repo", root / "keys", now=datetime.now(UTC) - timedelta(days=5)
    )
    old.publish(site["pack"], Keys((root / "keys",)))
    assert kiosk("fleet", "trust", old.metadata / "1.root.json", "--config", config) == 0
    capsys.readouterr()
    assert kiosk("fleet", "check", "--config", config) == 1
    err = capsys.readouterr().err
    assert err.startswith("kiosk: fleet check: ") and "expired" in err and err.count("\n") == 1
    state = read_state(root / "state" / FOLDER)
    assert "expired" in state.problem and state.stale(datetime.now(UTC), 72)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("publish", "{root}/repo", "{pack}", "--keys", "{root}/keys", "--clinic", "North"),
         "clinic name 'North': use lowercase letters, digits and hyphens"),
        (("publish", "{root}/nowhere", "{pack}", "--keys", "{root}/keys"),
         "no targets metadata; is {root}/nowhere a fleet repository (kiosk fleet init)?"),
        (("refresh", "{root}/repo", "--keys", "{root}/elsewhere"),
         "snapshot.key: not in {root}/elsewhere; give the folder that holds it"),
        (("rotate-key", "{root}/repo", "mirror", "--keys", "{root}/keys"),
         "mirror: not a role; give targets, snapshot, timestamp, root-N or clinic-NAME"),
        (("trust", "{pack}"), "not a fleet root this kiosk can trust"),
    ],
)  # fmt: skip
def test_each_refusal_is_one_line_naming_what_and_the_fix(
    site: dict[str, Path], capsys: pytest.CaptureFixture[str], args: tuple[str, ...], said: str
) -> None:
    root = site["root"]
    assert kiosk("fleet", "init", root / "repo", "--keys", root / "keys") == 0
    capsys.readouterr()
    filled = [a.format(root=root, pack=site["pack"]) for a in args]
    assert kiosk("fleet", *filled) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and said.format(root=root) in err, err


def test_freshness_is_stale_only_past_the_staff_set_limit(site: dict[str, Path]) -> None:
    """What the admin panel says, from what `kiosk fleet check` recorded: fresh within
    the limit; past it, stale with the time it was last confirmed; never: stale."""
    from kiosk.core.fleet.state import FleetState, freshness, write_state

    folder = site["root"] / "state" / FOLDER
    assert freshness(folder, 72).stale  # no check has run
    assert "no check has run" in freshness(folder, 72).problem
    checked = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
    write_state(folder, FleetState().checked(checked, last_success=checked.isoformat()))
    assert not freshness(folder, 72, checked + timedelta(hours=71)).stale
    late = freshness(folder, 72, checked + timedelta(hours=73))
    assert late.stale and late.last_confirmed == "2026-12-01 10:00 UTC" and late.problem == ""


def _kiosk_process(
    config: Path, *args: str | Path, pin: str = ""
) -> subprocess.CompletedProcess[str]:
    """A kiosk command in its own process, with ``pin`` typed on its input."""
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *map(str, args), "--config", str(config)],
        input=pin + "\n", capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip


def test_an_expired_usb_stick_is_refused_then_taken_with_the_staff_pin(
    site: dict[str, Path],
) -> None:
    """An air-gapped site: the stick was made ten days ago. Refused in plain words that
    say what staff can do; a wrong PIN takes nothing; the right one installs the pack,
    says so in the journal and in the fleet state, and the content stays 'stale'."""
    root, config = site["root"], site["config"]
    with config.open("a", encoding="utf-8") as settings:
        settings.write(f'admin_pin_hash = "{hash_pin("4711")}"\n')
    stick = root / "usb" / "fleet"
    old = FleetRepository.create(stick, root / "keys", now=datetime.now(UTC) - timedelta(days=10))
    old.publish(site["pack"], Keys((root / "keys",)))
    assert kiosk("fleet", "trust", old.metadata / "1.root.json", "--config", config) == 0
    refused = _kiosk_process(config, "fleet", "check", "--from", stick)
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "expired" in refused.stderr and "--accept-expired" in refused.stderr
    wrong = _kiosk_process(
        config, "fleet", "check", "--from", stick, "--accept-expired", pin="1234"
    )
    assert wrong.returncode == 1 and "not the staff PIN" in wrong.stderr
    assert not (root / "store").exists() or not any((root / "store").iterdir())
    taken = _kiosk_process(
        config, "fleet", "check", "--from", stick, "--accept-expired", pin="4711"
    )
    assert taken.returncode == 0, taken.stderr
    assert "accepted with the staff PIN" in taken.stderr
    assert taken.stdout.startswith("Installed build ")
    state = read_state(root / "state" / FOLDER)
    assert str(stick) in state.accepted_expired
    assert state.stale(datetime.now(UTC), 72)  # taken, but never confirmed fresh
