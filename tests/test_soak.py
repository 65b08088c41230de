"""A quick soak: 1,000 random navigations leak no Qt wrappers and raise nothing.

The full soak (10,000 navigations, RSS growth) is `make bench` (bench/soak.py); this is
its quick version, with the same driver. No timing is asserted here.
"""

from __future__ import annotations

import sys

import pytest
from pytestqt.qtbot import QtBot

from kiosk.core.content.pack import Pack
from kiosk.ui.theme import Theme

from conftest import REPO, make_kiosk

sys.path.insert(0, str(REPO))

from bench.soak import soak

# 1,200 navigations: 30 s on a quiet machine, over 120 s (the suite's hang guard) with a
# VM beside it on two cores; a hang would still end here.
pytestmark = [pytest.mark.gui, pytest.mark.slow, pytest.mark.timeout(600)]


def test_a_thousand_navigations_leak_no_wrappers(
    qtbot: QtBot, bundled_pack: Pack, theme: Theme, pin_hash: str
) -> None:
    kiosk = make_kiosk(qtbot, bundled_pack, theme, pin_hash)
    result = soak(kiosk, steps=1_000, seed=3, warmup=200, every_card=False)
    assert result.exceptions == []
    assert result.wrappers_end <= result.wrappers_start, (
        f"{result.wrapper_growth} Qt wrappers more after {result.steps} navigations"
    )
    assert sum(result.actions.values()) == 1_200
