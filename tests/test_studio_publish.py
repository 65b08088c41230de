"""Publishing from the studio (kiosk.core.studio.publish): a pack signed with a key
protected by a passphrase, written to a folder, that the real `kiosk content install`
accepts; a missing or wrong passphrase is asked for again, never worked around."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.core.packs.format import BuildError
from kiosk.core.packs.signing import PassphraseNeededError, public_key_text
from kiosk.core.studio.publish import publish

REPO = Path(__file__).resolve().parents[1]
WHEN = datetime(2026, 12, 3, 15, 4, 5, tzinfo=UTC)


@pytest.fixture
def protected_key(tmp_path: Path) -> tuple[Path, str]:
    """A private key file protected by a passphrase, and its public key's text."""
    key = Ed25519PrivateKey.generate()
    path = tmp_path / "keys" / "kiosk-signing.key"
    path.parent.mkdir()
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"correct horse battery"),
        )
    )
    return path, public_key_text(key)


def test_a_pack_published_with_a_passphrase_installs_on_a_kiosk(
    tmp_path: Path, protected_key: tuple[Path, str]
) -> None:
    key, public = protected_key
    usb = tmp_path / "usb"
    usb.mkdir()
    pack = publish(REPO / "content", key, usb, passphrase="correct horse battery", now=WHEN)
    assert pack == usb / "content-20261203-150405.kpack" and pack.is_file()
    config = tmp_path / "kiosk.toml"
    config.write_text(f'store = "{tmp_path / "store"}"\ntrusted_keys = ["{public}"]\n')
    run = subprocess.run(
        [sys.executable, "-m", "kiosk", "content", "install", str(pack), "--config", str(config)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr


@pytest.mark.parametrize("passphrase", [None, "wrong horse"])
def test_no_pack_without_the_right_passphrase(
    tmp_path: Path, protected_key: tuple[Path, str], passphrase: str | None
) -> None:
    key, _ = protected_key
    with pytest.raises(PassphraseNeededError) as err:
        publish(REPO / "content", key, tmp_path, passphrase=passphrase, now=WHEN)
    assert str(key) in str(err.value) and "\n" not in str(err.value)
    assert list(tmp_path.glob("*.kpack")) == []


def test_content_with_errors_publishes_nothing(
    tmp_path: Path, protected_key: tuple[Path, str]
) -> None:
    folder = tmp_path / "content"
    shutil.copytree(REPO / "content", folder)
    rate = folder / "en" / "terms" / "heart-rate.md"
    rate.write_text(rate.read_text("utf-8") + "\n[x](no-such-article)\n", "utf-8")
    key, _ = protected_key
    with pytest.raises(BuildError):
        publish(folder, key, tmp_path, passphrase="correct horse battery", now=WHEN)
    assert list(tmp_path.glob("*.kpack")) == []


def test_a_missing_stick_is_said_in_one_line(
    tmp_path: Path, protected_key: tuple[Path, str]
) -> None:
    with pytest.raises(FileNotFoundError, match="is the USB stick plugged in"):
        publish(REPO / "content", protected_key[0], tmp_path / "no-stick", now=WHEN)


def test_each_publish_of_changed_articles_raises_the_content_version_and_keeps_the_rest(
    tmp_path: Path, protected_key: tuple[Path, str]
) -> None:
    """docs/CONTENT.md: one more each time a changed pack is handed over. Staff never
    edit pack.toml: Publish raises its version past the pack it follows, and changes
    no other byte of the file (comments and order kept)."""
    from kiosk.core.content.loader import load_pack
    from kiosk.core.studio.publish import raise_version

    folder = tmp_path / "content"
    shutil.copytree(REPO / "content", folder)
    toml = folder / "pack.toml"
    before = toml.read_text("utf-8")
    assert raise_version(toml, 0) == 1 and toml.read_text("utf-8") == before  # already past
    assert raise_version(toml, 3) == 4
    after = toml.read_text("utf-8")
    assert after.replace("version = 4", "version = 1") == before
    key, _ = protected_key
    usb = tmp_path / "usb"
    usb.mkdir()
    publish(folder, key, usb, passphrase="correct horse battery", now=WHEN, above=6)
    published = load_pack(folder).pack
    assert published is not None and published.info.version == 7
    for broken in ('version = "seven"\n', "version = [\n", "\xff\xfe"):
        toml.write_bytes(broken.encode("latin-1"))
        assert raise_version(toml, 7) == 0
        assert toml.read_bytes() == broken.encode("latin-1")  # the build names the problem
