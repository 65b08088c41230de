"""No card of a pack that validates holds the GUI thread (issue 13, item 2).

Hostile packs are generated at the limits validate allows, built and signed, installed
as a kiosk installs them, and every card of every article is opened in the real window
while each event-loop turn is timed: the longest is the longest a patient's tap could
wait. (A 200 KB word held the thread 10 s; 64 large pictures on a card, 40 s.) The
figure here is a bound that catches that kind; bench/tap_latency.py measures taps.
"""

from __future__ import annotations

import gc
import importlib
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from picture_files import huge_png
from PySide6.QtCore import QCoreApplication
from pytestqt.qtbot import QtBot

from kiosk.core.content.limits import ARTICLE_MAX_CARDS, CARD_MAX_CHARS, MAX_FILE_BYTES
from kiosk.core.content.loader import load_pack
from kiosk.core.content.pictures import MAX_SIDE_PX
from kiosk.core.content.problems import Severity
from kiosk.ui.screens.reader_extras import CODE_DELAY_MS
from kiosk.ui.theme import Theme

from helpers import STALL_BOUND_MS

pytestmark = [pytest.mark.gui, pytest.mark.slow]

QUIET_S = (CODE_DELAY_MS + 50) / 1000

FRONT = (
    "---\ntitle: {title}\nsummary: {title}.\nkind: topic\n"
    "reviewed: 2026-11-01\nreview_due: 2027-11-01\n---\n"
)


def hostile_pack(root: Path) -> Path:
    """Articles at the limits: a card of 12 of the largest pictures; cards of the most
    text a card may hold, as words, as one unbroken run, as one long link text; many
    cards in one article."""
    (root / "en" / "topics").mkdir(parents=True)
    (root / "en" / "images").mkdir()
    (root / "pack.toml").write_text(
        'id = "hostile"\ntitle = "Hostile"\nversion = 1\nlocales = ["en"]\ndefault_locale = "en"\n'
    )
    pictures = []
    for n in range(12):
        name = f"big{n}.png"
        (root / "en" / "images" / name).write_bytes(huge_png(MAX_SIDE_PX, MAX_SIDE_PX, fill=0x40))
        pictures.append(f"![Picture {n}](../images/{name})")
    topics = root / "en" / "topics"
    (topics / "pictures.md").write_text(
        FRONT.format(title="Pictures") + "Intro.\n\n## Many pictures\n\n" + "\n\n".join(pictures)
    )
    most = CARD_MAX_CHARS - 40
    words = " ".join(["water"] * (most // 6))
    (topics / "words.md").write_text(
        FRONT.format(title="Words") + f"Intro.\n\n## Words\n\n{words}\n"
    )
    (topics / "run.md").write_text(
        FRONT.format(title="Run") + f"Intro.\n\n## Run\n\n{'y' * most}\n"
    )
    # As many cards as an article may have, as long as its file's bytes allow.
    per_card = (MAX_FILE_BYTES - 400) // ARTICLE_MAX_CARDS - 20
    (topics / "cards.md").write_text(
        FRONT.format(title="Cards")
        + "Intro.\n\n"
        + "".join(f"## Card {n}\n\n{words[:per_card]}\n\n" for n in range(ARTICLE_MAX_CARDS - 1))
    )
    return root


def longest_turn_ms(action: Callable[[], object], settled: Callable[[], bool]) -> float:
    """The longest the GUI thread was away, in ms: ``action`` itself, then each event-
    loop turn until ``settled()`` (every picture of the card in), and then long enough
    for what a card leaves for later (the QR code, kiosk.ui.screens.reader_extras)."""
    started = time.perf_counter()
    action()
    longest = time.perf_counter() - started
    deadline = time.monotonic() + 60
    quiet_from = None
    while quiet_from is None or time.monotonic() - quiet_from < QUIET_S:
        turn = time.perf_counter()
        QCoreApplication.processEvents()
        longest = max(longest, time.perf_counter() - turn)
        if quiet_from is None and settled():
            quiet_from = time.monotonic()
        assert time.monotonic() < deadline, "the card never settled"
        time.sleep(0.002)
    return longest * 1000


def at_every_limit(root: Path) -> Path:
    """tests/test_pack_limits.py's pack: every text and count at its limit at once
    (urgent, aliases, sources, related, headings, pack.toml texts, the largest article
    file, parts, marks, the largest picture files)."""
    from test_pack_limits import _pack

    return _pack(root)


@pytest.mark.parametrize("make_pack", [hostile_pack, at_every_limit])
def test_every_card_of_a_hostile_pack_opens_without_a_stall(
    qtbot: QtBot, theme: Theme, pin_hash: str, tmp_path: Path, make_pack: Callable[[Path], Path]
) -> None:
    from conftest import make_kiosk

    root = make_pack(tmp_path / "hostile")
    result = load_pack(root)
    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    assert result.pack is not None and errors == [], errors  # it validates
    locale = result.pack.info.default_locale
    parts = make_kiosk(qtbot, result.pack, theme, pin_hash)
    window = parts.window
    window.session.open_home()
    # What the kiosk's warm-up imports in the seconds after its first paint, before a
    # patient's first tap (kiosk.ui.assembly): not a card's cost. And the garbage this
    # test process made before (a whole suite's) collected now, not during a card.
    importlib.import_module("segno")
    gc.collect()

    def settled() -> bool:
        return not window.reader.text._pictures._pending  # every picture in

    stalls: dict[str, float] = {}
    for article in parts.navigator.view.articles(locale):
        stalls[f"{article.slug}, card 1"] = longest_turn_ms(
            partial(parts.navigator.open_article, article.slug), settled
        )
        for card in range(2, len(article.sections) + 1):
            window.reader.next_button.tap_guard.forget()  # the double-tap guard
            stalls[f"{article.slug}, card {card}"] = longest_turn_ms(
                window.reader.show_next, settled
            )
        window.session.open_home()
    assert len(stalls) == sum(len(a.sections) for a in parts.navigator.view.articles(locale))
    worst = max(stalls, key=stalls.__getitem__)
    print(f"longest turn: {worst}, {stalls[worst]:.0f} ms of {len(stalls)} cards")
    assert stalls[worst] < STALL_BOUND_MS, f"{worst}: {stalls[worst]:.0f} ms"
