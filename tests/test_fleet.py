"""A fleet repository made by kiosk.core.fleet, served by a real HTTP server on
loopback, read by the real python-tuf ngclient through the kiosk's fetcher, and the pack
it finds installed by the kiosk's own store. The attacks a fleet faces (TUF's list):
a freeze, a rollback, mix-and-match metadata, a revoked key, a clinic's key publishing
for another clinic, a slow server, a pack "built in 2099"; and keys rotated."""

from __future__ import annotations

import shutil
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fleet_web import web

from kiosk.core.fleet import client
from kiosk.core.fleet.client import FleetError, StaleError
from kiosk.core.fleet.keys import FleetKeyError, signer
from kiosk.core.fleet.repository import FleetRepository, FleetRepositoryError, Keys
from kiosk.core.fleet.rotation import rotate_key
from kiosk.core.packs.build import build_pack
from kiosk.core.packs.signing import generate_keypair, load_private_key, public_key_text
from kiosk.core.packs.status import StoreError
from kiosk.core.packs.store import Store
from kiosk.resources import bundled_content

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | str]:
    """Packs signed by the clinic's pack key: built an hour ago ("old"), ten minutes ago
    ("new"), and "in 2099"; and the key's public text the kiosks trust."""
    where = tmp_path_factory.mktemp("packs")
    private, _ = generate_keypair(where / "key")
    built: dict[str, Path | str] = {"public": public_key_text(load_private_key(private))}
    for name, when in (
        ("old", NOW - timedelta(hours=1)),
        ("new", NOW - timedelta(minutes=10)),
        ("2099", datetime(2099, 1, 1, tzinfo=UTC)),
    ):
        built[name] = where / f"{name}.kpack"
        build_pack(bundled_content(), where / f"{name}.kpack", private, when)
    return built


@pytest.fixture
def fleet(tmp_path: Path) -> tuple[FleetRepository, Keys, Path]:
    """A new repository, its keys, and a kiosk's fleet folder trusting its first root."""
    repo = FleetRepository.create(tmp_path / "repo", tmp_path / "keys")
    client.trust_root(tmp_path / "kiosk", repo.metadata / "1.root.json")
    return repo, Keys((tmp_path / "keys",)), tmp_path / "kiosk"


def installed_build(store: Store) -> int:
    status = store.status()
    assert status.current is not None
    return status.current.version


def test_a_published_pack_reaches_the_kiosk_and_the_next_one_too(
    fleet: tuple[FleetRepository, Keys, Path], packs: dict[str, Path | str], tmp_path: Path
) -> None:
    repo, keys, kiosk = fleet
    store = Store(tmp_path / "store")
    trusted = (str(packs["public"]),)
    repo.publish(Path(packs["old"]), keys)
    with web(repo.folder) as (url, _):
        first = client.check(url, kiosk, None)
        assert first.pack is not None and first.fresh_until > datetime.now(UTC)
        store.install(first.pack, trusted)
        old_build = installed_build(store)
        repo.publish(Path(packs["new"]), keys)
        second = client.check(url, kiosk, None)
        assert second.pack is not None and second.sha256 != first.sha256
        store.install(second.pack, trusted)
        assert installed_build(store) > old_build


def test_a_frozen_timestamp_is_stale_not_accepted(
    packs: dict[str, Path | str], tmp_path: Path
) -> None:
    """A mirror keeps serving the timestamp it had four days ago, though the repository
    was refreshed since: past its expiry it is refused as stale, never taken as fresh."""
    old = FleetRepository.create(tmp_path / "repo", tmp_path / "keys", now=NOW - timedelta(days=4))
    keys = Keys((tmp_path / "keys",))
    old.publish(Path(packs["old"]), keys)
    frozen = (old.metadata / "timestamp.json").read_bytes()
    FleetRepository(old.folder).refresh(keys)  # the publisher's timer ran today
    client.trust_root(tmp_path / "kiosk", old.metadata / "1.root.json")
    with web(old.folder) as (url, server):
        server.frozen["/metadata/timestamp.json"] = frozen
        with pytest.raises(StaleError, match="expired"):
            client.check(url, tmp_path / "kiosk", None)
        del server.frozen["/metadata/timestamp.json"]  # the mirror catches up
        assert client.check(url, tmp_path / "kiosk", None).pack is not None


def test_rollback_and_mix_and_match_metadata_are_refused(
    fleet: tuple[FleetRepository, Keys, Path], packs: dict[str, Path | str], tmp_path: Path
) -> None:
    repo, keys, kiosk = fleet
    repo.publish(Path(packs["old"]), keys)
    older = (repo.metadata / "timestamp.json").read_bytes()
    repo.publish(Path(packs["new"]), keys)
    other = FleetRepository.create(tmp_path / "other", tmp_path / "other-keys")
    other.publish(Path(packs["old"]), Keys((tmp_path / "other-keys",)))
    with web(repo.folder) as (url, server):
        client.check(url, kiosk, None)  # the kiosk has seen the newest timestamp
        server.frozen["/metadata/timestamp.json"] = older
        with pytest.raises(FleetError, match="version"):
            client.check(url, kiosk, None)
        del server.frozen["/metadata/timestamp.json"]
        repo.refresh(keys)  # snapshot 4 named by the timestamp; another repo's served
        version = repo.latest("snapshot").signed.version
        server.frozen[f"/metadata/{version}.snapshot.json"] = (
            other.metadata / "2.snapshot.json"
        ).read_bytes()
        with pytest.raises(FleetError):
            client.check(url, kiosk, None)


def test_a_rotated_key_is_followed_and_the_revoked_one_refused(
    fleet: tuple[FleetRepository, Keys, Path], packs: dict[str, Path | str]
) -> None:
    """The targets key is replaced (a new root, signed by the root keys); the kiosk,
    trusting only the first root, follows; targets signed with the old key are refused."""
    repo, keys, kiosk = fleet
    repo.publish(Path(packs["old"]), keys)
    with web(repo.folder) as (url, _):
        before = client.check(url, kiosk, None)
        rotate_key(repo, "targets", keys)
        rotate_key(repo, "root-2", keys)  # a root key replaced too: old and new sign
        repo.publish(Path(packs["new"]), keys)
        after = client.check(url, kiosk, None)
        assert after.sha256 != before.sha256
        assert repo.latest("root").signed.version == 3
        # Whoever holds the retired targets key signs a pack list of their own.
        (retired,) = keys.folders[0].glob("targets.key.retired-*")
        forged = repo.latest("targets")
        forged.signed.version += 1
        forged.signatures.clear()
        forged.sign(signer(retired))
        forged.to_file(str(repo.metadata / f"{forged.signed.version}.targets.json"))
        repo.refresh(keys)
        with pytest.raises(FleetError, match="targets"):
            client.check(url, kiosk, None)


def test_a_rotation_with_too_few_root_sticks_changes_nothing_and_new_root_keys_stay_on_sticks(
    tmp_path: Path, packs: dict[str, Path | str]
) -> None:
    """As FLEET.md says to keep them: each root key on its own stick, the rest on the
    publishing computer. One stick of the two needed: refused before anything is
    written, and kiosks keep working (a root below the threshold stopped every check).
    With two: the new root-1 key is made on root-1's stick, not left on the computer."""
    repo = FleetRepository.create(tmp_path / "repo", tmp_path / "computer")
    sticks = []
    for n in (1, 2, 3):
        stick = tmp_path / f"stick-{n}"
        stick.mkdir()
        (tmp_path / "computer" / f"root-{n}.key").rename(stick / f"root-{n}.key")
        sticks.append(stick)
    kiosk = tmp_path / "kiosk"
    client.trust_root(kiosk, repo.metadata / "1.root.json")
    repo.publish(Path(packs["old"]), Keys((tmp_path / "computer",)))
    before = sorted(p.name for p in repo.metadata.iterdir())
    for role, given in (("targets", sticks[:1]), ("root-1", sticks[:1]), ("snapshot", [])):
        keys = Keys((tmp_path / "computer", *given))
        with pytest.raises(FleetKeyError, match="needs 2 of the 3 root keys; found"):
            rotate_key(repo, role, keys)
        assert sorted(p.name for p in repo.metadata.iterdir()) == before
        assert not list(tmp_path.glob("*/*.new.key"))
    keys = Keys((tmp_path / "computer", *sticks[:2]))
    assert rotate_key(repo, "root-1", keys) == sticks[0] / "root-1.key"
    assert not list((tmp_path / "computer").glob("root-*"))
    # Root-3's stick is lost: the two others replace it (on a new stick, the first
    # folder given), and the lost key signs nothing the kiosks take from then on.
    (sticks[2] / "root-3.key").rename(tmp_path / "thief.key")
    new_stick = tmp_path / "stick-new"
    new_stick.mkdir()
    rotated = rotate_key(repo, "root-3", Keys((new_stick, tmp_path / "computer", *sticks[:2])))
    assert rotated == new_stick / "root-3.key"
    thief = signer(tmp_path / "thief.key").public_key.keyid
    assert thief not in repo.latest("root").signed.roles["root"].keyids
    with pytest.raises(FleetKeyError, match="2 root keys are missing"):
        rotate_key(repo, "root-2", Keys((tmp_path / "computer", sticks[0])))
    rotate_key(repo, "targets", keys)
    repo.publish(Path(packs["new"]), keys)
    with web(repo.folder) as (url, _):
        assert client.check(url, kiosk, None).sha256 is not None  # followed both roots
    with pytest.raises(FleetRepositoryError, match="no such clinic"):
        rotate_key(repo, "clinic-south", keys)


def test_a_clinic_key_publishes_for_its_own_clinic_only(
    fleet: tuple[FleetRepository, Keys, Path], packs: dict[str, Path | str]
) -> None:
    repo, keys, kiosk = fleet
    repo.publish(Path(packs["old"]), keys)  # every kiosk's pack
    repo.publish(Path(packs["new"]), keys, "north")
    with web(repo.folder) as (url, _):
        north = client.check(url, kiosk, "north")
        every = client.check(url, kiosk, None)
        assert north.sha256 != every.sha256
        # North's key signs a pack for the south clinic: not north's to give.
        role = repo.latest("clinic-north")
        role.signed.targets["packs/south/current.kpack"] = role.signed.targets[
            "packs/north/current.kpack"
        ]
        role.signed.version += 1
        role.signatures.clear()
        role.sign(keys.signer("clinic-north"))
        role.to_file(str(repo.metadata / f"{role.signed.version}.clinic-north.json"))
        repo.refresh(keys)
        south = client.check(url, kiosk, "south")
        assert south.sha256 == every.sha256  # the fleet's pack, not north's


def test_a_slow_server_ends_with_a_clear_error(
    fleet: tuple[FleetRepository, Keys, Path], packs: dict[str, Path | str]
) -> None:
    repo, keys, kiosk = fleet
    repo.publish(Path(packs["old"]), keys)
    with web(repo.folder) as (url, server):
        server.trickle.add(".current.kpack")  # a byte every half second
        started = time.monotonic()
        with pytest.raises(FleetError, match="longer than 2 s"):
            client.check(url, kiosk, None, deadline_s=2, min_rate=0)
        assert time.monotonic() - started < 30


def test_a_pack_built_in_2099_locks_nothing_out(
    fleet: tuple[FleetRepository, Keys, Path], packs: dict[str, Path | str], tmp_path: Path
) -> None:
    repo, keys, kiosk = fleet
    store = Store(tmp_path / "store")
    trusted = (str(packs["public"]),)
    repo.publish(Path(packs["2099"]), keys)
    with web(repo.folder) as (url, _):
        future = client.check(url, kiosk, None)
        assert future.pack is not None
        with pytest.raises(StoreError, match="after the date on this kiosk"):
            store.install(future.pack, trusted)
        repo.publish(Path(packs["new"]), keys)
        now = client.check(url, kiosk, None)
        assert now.pack is not None
        store.install(now.pack, trusted)  # the next good pack goes in


def test_a_usb_stick_is_checked_the_same_way(packs: dict[str, Path | str], tmp_path: Path) -> None:
    """The repository copied to a stick: verified as from the web; expired, refused."""
    repo = FleetRepository.create(tmp_path / "repo", tmp_path / "keys")
    repo.publish(Path(packs["old"]), Keys((tmp_path / "keys",)))
    stick = Path(shutil.copytree(repo.folder, tmp_path / "usb" / "fleet"))
    client.trust_root(tmp_path / "kiosk", repo.metadata / "1.root.json")
    assert client.check(str(stick), tmp_path / "kiosk", None).pack is not None
    stale = FleetRepository.create(
        tmp_path / "stale", tmp_path / "stale-keys", now=NOW - timedelta(days=4)
    )
    stale.publish(Path(packs["old"]), Keys((tmp_path / "stale-keys",)))
    client.trust_root(tmp_path / "kiosk2", stale.metadata / "1.root.json")
    with pytest.raises(StaleError):
        client.check(str(stale.folder), tmp_path / "kiosk2", None)
