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
    assert kiosk("fleet", "check", "--config", config) == 0  # not due yet
    said = capsys.readouterr().out
    assert said.startswith("Not due: checked at ") and "add --now to check now" in said
    assert kiosk("fleet", "check", "--timer", "--config", config) == 0  # the timer, early
    assert capsys.readouterr().out == ""  # nothing in the journal every 5 minutes
    assert kiosk("fleet", "check", "--now", "--config", config) == 0
    assert capsys.readouterr().out.startswith("Nothing new in the fleet; fresh until ")
    state = read_state(root / "state" / FOLDER)
    assert state.problem == "" and not state.stale(datetime.now(UTC), 72)
    assert state.root_version == "1"  # what IT reads after a key ceremony


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
    # A kiosk whose clock ran a day ahead, then was set right: the confirmation dated
    # tomorrow vouches for nothing, and the next check goes out at once.
    assert freshness(folder, 72, checked - timedelta(days=1)).stale
    assert read_state(folder).due(checked - timedelta(days=1), 5)
    assert not read_state(folder).due(checked + timedelta(minutes=4), 5)


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


def test_a_kiosk_pointed_at_the_wrong_place_is_told_where_to_look(
    site: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """The mistakes IT makes on the way (a newcomer made each): a root file that is not
    there, another fleet's repository, a folder one level off. One line each, with what
    to check; nothing installed."""
    root, config = site["root"], site["config"]
    for repo in ("repo", "other"):
        assert kiosk("fleet", "init", root / repo, "--keys", root / f"keys-{repo}") == 0
    capsys.readouterr()
    assert kiosk("fleet", "trust", root / "nope.json", "--config", config) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope.json: no such file; give the repository's" in err
    assert kiosk("fleet", "trust", root / "repo/metadata/1.root.json", "--config", config) == 0
    assert "give --repository if that is not this root's repository" in capsys.readouterr().out
    for where, said in (
        ("other", "is it the repository whose root this kiosk trusts?"),
        ("repo/metadata", "the folder that holds metadata/ and targets/"),
    ):
        assert kiosk("fleet", "check", "--from", root / where, "--config", config) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and said in err, err
    assert not (root / "store").exists() or not any((root / "store").iterdir())


def test_one_check_at_a_time_and_a_pack_installed_by_hand_is_no_failure(
    site: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """An attacker's finds: two checks at once installed one pack twice and the loser's
    failure stayed recorded for good; the same after IT installed the fleet's pack from
    a USB stick by hand. Now the second check waits its turn, and a pack already shown
    is recorded as installed."""
    from kiosk.core.fleet.state import check_lock

    root, config = site["root"], site["config"]
    assert kiosk("fleet", "init", root / "repo", "--keys", root / "keys") == 0
    assert kiosk("fleet", "publish", root / "repo", site["pack"], "--keys", root / "keys") == 0
    assert kiosk("fleet", "trust", root / "repo/metadata/1.root.json", "--config", config) == 0
    capsys.readouterr()
    with check_lock(root / "state" / FOLDER) as held:  # a check running meanwhile
        assert held
        assert kiosk("fleet", "check", "--now", "--config", config) == 1
        assert "another check is running" in capsys.readouterr().err
        assert kiosk("fleet", "check", "--timer", "--config", config) == 0  # quietly
        assert capsys.readouterr() == ("", "")
    assert kiosk("content", "install", site["pack"], "--config", config) == 0
    capsys.readouterr()
    assert kiosk("fleet", "check", "--now", "--config", config) == 0
    assert "the one installed here" in capsys.readouterr().out
    state = read_state(root / "state" / FOLDER)
    assert state.problem == "" and state.installed_sha256
    assert kiosk("fleet", "check", "--now", "--config", config) == 0
    assert capsys.readouterr().out.startswith("Nothing new in the fleet")


@pytest.mark.parametrize(
    ("fleet", "said"),
    [
        ("ftp://127.0.0.1:1/fleet/", "must be an http:// or https:// address"),
        ("https://alice:S3cret@packs.example.org/", "must not hold a name or password"),
        ("file:///media/usb/fleet", "must be an http:// or https:// address"),
        ("http://packs.example.org:port/", "is not a web address"),
    ],
)
def test_a_fleet_address_that_escapes_the_checks_is_refused(
    site: dict[str, Path], capsys: pytest.CaptureFixture[str], fleet: str, said: str
) -> None:
    """ftp:// bypassed the download deadline (a trickling server held a check for ever);
    a password in the address went into fleet.json, the journal and the staff panel."""
    root, config = site["root"], site["config"]
    assert kiosk("fleet", "init", root / "repo", "--keys", root / "keys") == 0
    capsys.readouterr()
    assert kiosk("fleet", "trust", root / "repo/metadata/1.root.json", "--repository", fleet,
                 "--config", config) == 2  # fmt: skip
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and said in err and "S3cret" not in config.read_text("utf-8")
    assert kiosk("fleet", "check", "--from", fleet, "--config", config) == 1
    assert said in capsys.readouterr().err
    assert "S3cret" not in read_state(root / "state" / FOLDER).problem


def test_a_stick_cannot_hang_or_lead_the_kiosk_out_of_it(
    site: dict[str, Path], tmp_path: Path
) -> None:
    """A named pipe as the stick's timestamp (read before it is verified, to judge an
    expired stick) is refused at once; a name with ../ in it reads nothing outside."""
    import os

    from tuf.api import exceptions

    from kiosk.core.fleet.client import FleetError, _stick_expiry
    from kiosk.core.fleet.fetcher import KioskFetcher

    stick = tmp_path / "stick"
    (stick / "metadata").mkdir(parents=True)
    os.mkfifo(stick / "metadata" / "timestamp.json")
    with pytest.raises(FleetError, match="not a fleet timestamp"):
        _stick_expiry(str(stick))
    outside = f"file://{stick}/metadata/..%2F..%2Foutside.json"
    (tmp_path / "outside.json").write_text("{}")
    with (
        pytest.raises(exceptions.DownloadError, match="outside the repository"),
        KioskFetcher(5, 5, 0).download_file(outside, 1000),
    ):
        pass


def test_a_clinic_name_is_checked_before_anything_is_written(
    site: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = site["root"]
    assert kiosk("fleet", "init", root / "repo", "--keys", root / "keys") == 0
    assert kiosk("fleet", "publish", root / "repo", site["pack"], "--keys", root / "keys",
                 "--clinic", "../../escaped") == 1  # fmt: skip
    assert "use lowercase letters" in capsys.readouterr().err
    assert not list(root.rglob("*escaped*"))
    assert not list((root / "repo" / "targets").rglob("*.kpack"))
