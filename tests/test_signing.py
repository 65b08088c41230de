"""Ed25519 keys: files on disk, key ids, signing and verifying against trusted keys."""

from __future__ import annotations

import base64
import stat
from pathlib import Path

import pytest

from kiosk.core.packs.signing import (
    SigningError,
    check_public_key,
    generate_keypair,
    key_id,
    load_private_key,
    load_public_key_file,
    public_key_text,
    sign,
    verify,
)


def test_keypair_files_private_is_owner_only_and_public_is_one_base64_line(
    tmp_path: Path,
) -> None:
    private_path, public_path = generate_keypair(tmp_path / "keys")
    assert private_path.name == "kiosk-signing.key"
    assert "pub" in public_path.name
    assert stat.S_IMODE(private_path.stat().st_mode) == 0o600
    assert private_path.read_text().startswith("-----BEGIN PRIVATE KEY-----")
    lines = public_path.read_text().splitlines()
    assert len(lines) == 1
    assert len(base64.b64decode(lines[0], validate=True)) == 32
    assert load_public_key_file(public_path) == public_key_text(load_private_key(private_path))


def test_keygen_never_overwrites(tmp_path: Path) -> None:
    private_path, public_path = generate_keypair(tmp_path)
    before = private_path.read_bytes(), public_path.read_bytes()
    with pytest.raises(SigningError, match=r"already exists"):
        generate_keypair(tmp_path)
    public_path.unlink()
    with pytest.raises(SigningError, match=r"kiosk-signing.key: already exists"):
        generate_keypair(tmp_path)
    assert private_path.read_bytes() == before[0]
    assert not public_path.exists()


def test_key_id_is_16_hex_of_sha256_and_sign_verify_round_trip(tmp_path: Path) -> None:
    private = load_private_key(generate_keypair(tmp_path / "a")[0])
    other = load_private_key(generate_keypair(tmp_path / "b")[0])
    text, other_text = public_key_text(private), public_key_text(other)
    ident = key_id(text)
    assert len(ident) == 16 and int(ident, 16) >= 0
    assert check_public_key(text) == ident
    signature = sign(private, b"manifest")
    assert verify([other_text, text], b"manifest", signature) == ident
    assert verify([other_text], b"manifest", signature) is None
    assert verify([text], b"manifest!", signature) is None
    assert verify([text], b"manifest", signature[:-1] + bytes([signature[-1] ^ 1])) is None
    assert verify(["not a key", "", text], b"manifest", signature) == ident
    assert verify([text], b"manifest", b"short") is None


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"garbage", "not an Ed25519 private key"),
        (b"", "not an Ed25519 private key"),
    ],
)
def test_bad_private_key_files_name_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.key"
    path.write_bytes(content)
    with pytest.raises(SigningError, match=message) as caught:
        load_private_key(path)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_missing_key_file_and_public_key_given_as_private(tmp_path: Path) -> None:
    with pytest.raises(SigningError, match=r"nope\.key: cannot read the key file"):
        load_private_key(tmp_path / "nope.key")
    _, public_path = generate_keypair(tmp_path)
    with pytest.raises(SigningError, match=r"this is a public key"):
        load_private_key(public_path)


def test_bad_public_key_files(tmp_path: Path) -> None:
    private_path, _ = generate_keypair(tmp_path)
    with pytest.raises(SigningError, match=r"this is a private key"):
        load_public_key_file(private_path)
    short = tmp_path / "short.pub.txt"
    short.write_text(base64.b64encode(b"x" * 16).decode() + "\n")
    with pytest.raises(SigningError, match=r"short\.pub\.txt: not a public key: it holds 16"):
        load_public_key_file(short)
    junk = tmp_path / "junk.pub.txt"
    junk.write_text("hello world\n")
    with pytest.raises(SigningError, match=r"junk.pub.txt: not a public key"):
        load_public_key_file(junk)
