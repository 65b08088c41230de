"""`kiosk fleet ...` as an administrator types it: a repository made, a pack published
for a clinic, a kiosk trusting the root and checking on a timer's schedule, installing
once, then finding nothing new; each refusal one line with what to do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.core.fleet.repository import FleetRepository, Keys
from kiosk.core.fleet.state import FOLDER, read_state
from kiosk.core.packs.build import build_pack
from kiosk.core.packs.signing import generate_keypair, load_private_key, public_key_text
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
