"""kiosk.core.digest gives the digests hashlib gives, whatever the data and its pieces.

Every signed manifest, installed pack and key id depends on it: one differing digest and
every pack built before would be refused.
"""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from kiosk.core.digest import Sha256, sha256_hex


@given(st.binary(max_size=5000))
def test_a_whole_digest_is_hashlibs(data: bytes) -> None:
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()


@given(st.lists(st.binary(max_size=300), max_size=12))
def test_a_running_digest_is_hashlibs_and_may_be_read_twice(pieces: list[bytes]) -> None:
    ours, theirs = Sha256(), hashlib.sha256()
    for piece in pieces:
        ours.update(piece)
        theirs.update(piece)
        assert ours.hexdigest() == theirs.hexdigest()
    assert ours.hexdigest() == ours.hexdigest() == theirs.hexdigest()


def test_the_known_answer_of_fips_180_2() -> None:
    # FIPS 180-2, appendix B.1: "abc".
    assert sha256_hex(b"abc") == (
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    )
