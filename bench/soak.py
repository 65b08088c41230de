"""Soak: thousands of random navigations in a real MainWindow (offscreen), with idle
resets, setting and language changes, searches and related-article taps.

Checks what a kiosk that runs for months needs: RSS flat after warm-up, the number of
live Python wrappers of Qt objects (shiboken6.Shiboken.getAllValidWrappers()) back to
where it started, and no exception. ``soak()`` is shared with tests/test_soak.py.

    python bench/soak.py [--steps 10000] [--json]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import TracebackType

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QCoreApplication, QEvent
from shiboken6 import Shiboken

from kiosk.core.patient import DisplaySettings, Page
from kiosk.ui.assembly import KioskParts
from kiosk.ui.window import MainWindow

STEPS = 10_000


def vm_kb(key: str = "VmRSS") -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def wrappers() -> int:
    return len(Shiboken.getAllValidWrappers())


@dataclass
class SoakResult:
    steps: int
    seconds: float
    actions: dict[str, int]
    exceptions: list[str]
    wrappers_before_warmup: int
    wrappers_start: int  # after warm-up and a reset
    wrappers_end: int  # after a reset at the end
    rss_start_kb: int
    rss_end_kb: int
    rss_samples_kb: list[int] = field(default_factory=list)

    @property
    def rss_growth_kb(self) -> int:
        return self.rss_end_kb - self.rss_start_kb

    @property
    def wrapper_growth(self) -> int:
        return self.wrappers_end - self.wrappers_start


def settle() -> None:
    """What returning to the kiosk's event loop does: paint, then deferred deletes."""
    QCoreApplication.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def quiesce(window: MainWindow) -> None:
    window.session.reset()
    for _ in range(3):
        settle()
    gc.collect()
    settle()


class _Moves:
    """What patients do, one method a move, drawn at random by ``rng``."""

    def __init__(self, kiosk: KioskParts, rng: random.Random) -> None:
        self.kiosk, self.rng = kiosk, rng
        self.w, self.nav = kiosk.window, kiosk.navigator
        self.s = self.w.session

    def article(self) -> None:
        articles = self.nav.view.articles(self.s.locale)
        self.nav.open_article(self.rng.choice(articles).slug)

    def next_card(self) -> None:
        if self.s.state.current.page is Page.READER:
            self.w.reader.next_button.tap_guard.forget()  # the 300 ms debounce; see tap bench
            self.w.reader.next_button.click()
        else:
            self.article()

    def previous_card(self) -> None:
        if self.s.state.current.page is Page.READER and self.w.reader.previous_button.isEnabled():
            self.w.reader.previous_button.click()

    def related(self) -> None:
        buttons = self.w.reader.extras.related_buttons
        if self.s.state.current.page is Page.READER and buttons:
            self.rng.choice(buttons).click()
        else:
            self.article()

    def search(self) -> None:
        if self.s.state.current.page is not Page.TERMS:
            self.nav.open_terms()
        title = self.rng.choice(self.nav.view.articles(self.s.locale)).title.lower()
        for n in range(1, min(len(title), self.rng.randint(2, 7)) + 1):
            self.w.terms.field.setText(title[:n])
        hits = [
            b
            for b in self.w.terms.findChildren(type(self.w.reader.next_button))
            if b.property("slug")
        ]
        if hits and self.rng.random() < 0.5:
            self.rng.choice(hits).click()

    def letter(self) -> None:
        if self.s.state.current.page is not Page.TERMS:
            self.nav.open_terms()
        self.rng.choice(self.w.terms.letters.buttons).click()

    def settings(self) -> None:
        self.s.set_settings(
            DisplaySettings(
                text_scale=self.rng.choice((1.0, 1.25, 1.5, 2.0)),
                high_contrast=self.rng.random() < 0.3,
                dyslexia_font=self.rng.random() < 0.2,
                reduce_motion=self.rng.random() < 0.3,
            )
        )

    def panel(self) -> None:
        self.nav.open_settings()
        settle()
        self.w.settings_panel.hide()

    def language(self) -> None:
        others = [loc for loc in self.nav.pack.info.locales if loc != self.s.locale]
        if others:
            self.s.set_locale(self.rng.choice(others))

    def back(self) -> None:
        if len(self.s.state.history) > 1:
            self.w.top_bar.back_clicked.emit()

    def idle_reset(self) -> None:
        # The "Are you still there?" warning, as the idle monitor shows it.
        self.kiosk.idle.on_idle()
        settle()
        self.s.reset()  # what the warning does when nobody taps "I'm still here"


def _actions(kiosk: KioskParts, rng: random.Random) -> list[tuple[str, int, Callable[[], object]]]:
    moves = _Moves(kiosk, rng)
    s, nav = moves.s, moves.nav
    return [
        ("article", 22, moves.article),
        ("next", 22, moves.next_card),
        ("previous", 6, moves.previous_card),
        ("related", 5, moves.related),
        ("back", 10, moves.back),
        ("home", 7, s.open_home),
        ("terms", 6, nav.open_terms),
        ("search", 8, moves.search),
        ("letter", 4, moves.letter),
        ("settings", 3, moves.settings),
        ("settings panel", 2, moves.panel),
        ("language", 2, moves.language),
        ("idle reset", 3, moves.idle_reset),
    ]


def prime(kiosk: KioskParts, every_card: bool = True) -> None:
    """Fill the bounded caches once by going through every look on every page.

    Qt keeps a glyph cache per font and size, and there are eight looks (four text
    sizes, two fonts, two themes) in each language: a card read for the first time in
    a look adds the glyphs it draws. A kiosk fills these on its first day; a soak
    that left them out would count them as growth (about 17 MB in 10,000 steps, flat
    once every card had been shown in every look: see BENCHMARKS.md). ``every_card``
    shows every card of every article in every look and language (1,100 cards,
    about 25 s); without it, one article per look (the quick soak in make test, which
    checks wrappers, not RSS). Every language either way: the term browser's pool of
    buttons grows to the longest list it has shown, in any language."""
    window, nav = kiosk.window, kiosk.navigator
    s = window.session
    for locale in nav.pack.info.locales:
        s.set_locale(locale)
        for scale in (1.0, 1.25, 1.5, 2.0):
            for contrast in (False, True):
                for dyslexia in (False, True):
                    s.set_settings(DisplaySettings(scale, contrast, dyslexia))
                    for show in (s.open_home, nav.open_terms, nav.open_settings):
                        show()
                        settle()
                    window.settings_panel.hide()
                    articles = nav.view.articles(s.locale)
                    for article in articles if every_card else articles[:1]:
                        _read_every_card(kiosk, article.slug, every_card)
    quiesce(window)


def _read_every_card(kiosk: KioskParts, slug: str, every_card: bool) -> None:
    window = kiosk.window
    kiosk.navigator.open_article(slug)
    settle()
    # Next hides on the last card (and stays enabled): count the cards instead.
    article = window.reader.article
    assert article is not None
    while every_card and window.reader.card < len(article.sections) - 1:
        window.reader.next_button.tap_guard.forget()  # the 300 ms double-tap guard
        window.reader.next_button.click()
        settle()


def soak(
    kiosk: KioskParts, steps: int, seed: int = 1, warmup: int | None = None, every_card: bool = True
) -> SoakResult:
    """``kiosk``: the parts kiosk.ui.assembly made (the window and what drives it)."""
    window = kiosk.window
    rng = random.Random(seed)
    actions = _actions(kiosk, rng)
    names = [a[0] for a in actions]
    weights = [a[1] for a in actions]
    by_name = {a[0]: a[2] for a in actions}
    errors: list[str] = []
    old_hook = sys.excepthook

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        errors.append("".join(traceback.format_exception(kind, value, tb))[-600:])

    sys.excepthook = hook  # exceptions raised in Qt slots end up here
    counts: Counter[str] = Counter()
    warmup = steps // 10 if warmup is None else warmup
    samples: list[int] = []
    before = wrappers()
    prime(kiosk, every_card)
    start_wrappers = start_rss = 0
    started = time.perf_counter()
    try:
        for step in range(warmup + steps):
            if step == warmup:
                quiesce(window)
                start_wrappers, start_rss = wrappers(), vm_kb()
                started = time.perf_counter()
            name = rng.choices(names, weights)[0]
            counts[name] += 1
            try:
                by_name[name]()
            except Exception:
                errors.append(traceback.format_exc()[-600:])
            settle()
            if step >= warmup and (step - warmup) % max(1, steps // 20) == 0:
                samples.append(vm_kb())
        seconds = time.perf_counter() - started
        quiesce(window)
    finally:
        sys.excepthook = old_hook
    return SoakResult(
        steps=steps,
        seconds=seconds,
        actions=dict(counts),
        exceptions=errors,
        wrappers_before_warmup=before,
        wrappers_start=start_wrappers,
        wrappers_end=wrappers(),
        rss_start_kb=start_rss,
        rss_end_kb=vm_kb(),
        rss_samples_kb=samples,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=STEPS)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    from bench.inprocess import delete_window, make_kiosk

    kiosk = make_kiosk()
    result = soak(kiosk, args.steps, args.seed)
    delete_window(kiosk.window)
    out = {
        **asdict(result),
        "rss_growth_kb": result.rss_growth_kb,
        "wrapper_growth": result.wrapper_growth,
    }
    if args.json:
        print(json.dumps(out))
    else:
        for key, value in out.items():
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
