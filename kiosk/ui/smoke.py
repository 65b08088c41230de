"""``kiosk smoke-test``: drive the real main window through everything a patient can do.

Built for the frozen bundle (``dist/kiosk/kiosk smoke-test``), so CI proves the app as
shipped, not only the source: the content, fonts, icons, themes, translations and Qt
plugins must all be found inside the bundle. It opens every article in every language
and shows every card, searches through the term browser in every language, turns each
display setting on and off, and lets the idle timer wipe the session.

``--quick`` (deploy/setup-kiosk.sh): every page in every language, one article's cards
and one search per language, all settings at once: what can differ on a machine.

Any Python exception (also one raised inside a Qt slot) or Qt warning fails the run.
Results go to stdout with print: a frozen app may have no stderr at all.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from importlib import metadata
from itertools import islice
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer
from PySide6.QtGui import QImageReader
from PySide6.QtWidgets import QApplication

from kiosk.core.config import KioskConfig
from kiosk.core.content.loader import load_pack
from kiosk.core.content.pack import Pack
from kiosk.core.content.problems import Severity
from kiosk.core.patient import TEXT_SCALES, DisplaySettings, Page
from kiosk.core.search.index import SearchIndex
from kiosk.core.terminal import printable
from kiosk.resources import ASSETS, INTERFACE_LOCALES, bundled_content, resource
from kiosk.ui.assembly import KioskParts, assemble_kiosk
from kiosk.ui.system.crash import setup_logging, stop_logging
from kiosk.ui.theme import apply_theme, load_fonts, load_theme, theme_name

log = logging.getLogger("kiosk.smoke")
# Qt messages that say nothing about the kiosk (the same list as pyproject's qt_log_ignore).
_QT_IGNORED = (
    re.compile(r"This plugin does not support propagateSizeHints"),
    re.compile(r"^Couldn.t (load|resolve) pipewire-0\.3"),
)
SEARCHES_PER_LOCALE = 6


class SmokeTestError(Exception):
    """What went wrong, in one line."""


@dataclass
class Tally:
    articles: int = 0
    cards: int = 0
    searches: int = 0
    settings: int = 0
    resets: int = 0

    def summary(self) -> str:
        return (
            f"{self.articles} articles, {self.cards} cards, {self.searches} searches, "
            f"{self.settings} settings, {self.resets} reset{'' if self.resets == 1 else 's'}"
        )


class _Problems(logging.Handler):
    """Collects Qt warnings (routed to logging by kiosk.ui.system.crash) and logged errors."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.name == "kiosk.qt" and any(p.search(message) for p in _QT_IGNORED):
            return
        if record.name == "kiosk.qt" or record.levelno >= logging.ERROR:
            self.seen.append(f"{record.name}: {message}")


def run_smoke_test(config: KioskConfig, content: Path | None, quick: bool = False) -> int:
    """0 and a summary line when everything works; 1 and what failed otherwise.
    ``quick``: one article and one search per language, every setting at once."""
    started = time.monotonic()
    log_file = setup_logging(config.state_dir)
    print(f"kiosk {kiosk_version()} ({'frozen bundle' if is_frozen() else 'source'})", flush=True)
    problems = _Problems()
    logging.getLogger().addHandler(problems)
    errors: list[str] = []
    previous_hook = sys.excepthook

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.critical("unexpected error", exc_info=(kind, value, tb))
        errors.append(f"{kind.__name__}: {value}")

    sys.excepthook = hook  # exceptions raised in Qt slots arrive here
    tally = Tally()
    try:
        _smoke(config, content or bundled_content(), tally, errors, problems, quick)
    except SmokeTestError as err:
        return _fail(str(err), log_file)
    except Exception as err:
        log.exception("smoke test crashed")
        return _fail(f"{type(err).__name__}: {err}", log_file)
    finally:
        sys.excepthook = previous_hook
        logging.getLogger().removeHandler(problems)
    seconds = time.monotonic() - started
    log.info("smoke test passed in %.1f s: %s", seconds, tally.summary())
    stop_logging()
    print(f"smoke test passed: {tally.summary()}", flush=True)
    return 0


def kiosk_version() -> str:
    """pyproject.toml's version: the package metadata, which kiosk.spec bundles too."""
    try:
        return metadata.version("clinic-kiosk")
    except metadata.PackageNotFoundError:
        return "unknown"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def _fail(what: str, log_file: Path) -> int:
    log.error("smoke test failed: %s", what)
    stop_logging()
    # One line, and none of a pack's text (a title, a file name) sent to the terminal
    # as an escape sequence: kiosk.core.terminal.
    print(printable(f"smoke test failed: {what} (log: {log_file})"), flush=True)
    return 1


def _smoke(
    config: KioskConfig,
    content: Path,
    tally: Tally,
    errors: list[str],
    problems: _Problems,
    quick: bool,
) -> None:
    def check(step: str) -> None:
        """Fail on anything that went wrong during ``step``."""
        QCoreApplication.sendPostedEvents()
        QApplication.processEvents()
        if errors:
            raise SmokeTestError(f"{step}: {errors[0]}")
        if problems.seen:
            raise SmokeTestError(f"{step}: {problems.seen[0]}")

    missing = [relative for relative in ASSETS if not resource(relative).is_file()]
    if missing:
        raise SmokeTestError(f"bundled files missing: {', '.join(missing)}")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Clinic kiosk")
    load_fonts()
    theme = load_theme("standard")
    apply_theme(app, theme)
    # Content may show .png and .jpg pictures (docs/CONTENT.md); the bundled pack has none.
    formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
    if not {"png", "jpg", "jpeg"} <= formats:
        raise SmokeTestError(f"cannot read .png and .jpg pictures (only {sorted(formats)})")
    check("starting Qt")

    result = load_pack(content)
    if result.pack is None:
        refusals = (str(p) for p in result.problems if p.severity is Severity.ERROR)
        first = next(refusals, "no pack.toml?")
        raise SmokeTestError(f"content {content} cannot be loaded: {first}")
    pack = result.pack
    index = SearchIndex.build(pack)
    check("loading the content")

    # Short idle times so that the real idle timer and warning run within seconds.
    config = replace(config, locked=False, idle_timeout=1, idle_warning=1)
    kiosk = assemble_kiosk(pack, index, config)
    window = kiosk.window
    try:
        window.resize(1920, 1080)
        window.show()
        check("showing the main window")
        fresh = _visible_state(kiosk)
        _read_everything(kiosk, pack, tally, check, first=1 if quick else None)
        _search_everything(kiosk, pack, tally, check, 1 if quick else SEARCHES_PER_LOCALE)
        _toggle_settings(kiosk, tally, check, every_value=not quick)
        _idle_reset(kiosk, fresh, tally, check)
    finally:
        kiosk.idle.monitor.stop()
        window.idle_overlay.cancel()
        window.close()
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)


def _read_everything(
    k: KioskParts,
    pack: Pack,
    tally: Tally,
    check: Callable[[str], None],
    first: int | None = None,
) -> None:
    """Every card of every article (``first``: of the first so many) in each language."""
    w, nav = k.window, k.navigator
    for locale in pack.info.locales:
        w.session.set_locale(locale)
        w.session.open_home()
        check(f"home in {locale}")
        # A language the kiosk has no words for shows its buttons in English (validate
        # warns); one it should have, but cannot load, is broken.
        if k.look.translations.use(locale) is False and locale in INTERFACE_LOCALES:
            raise SmokeTestError(f"no interface translation for '{locale}'")
        listed = nav.view.articles(locale)
        if not listed:
            raise SmokeTestError(f"no articles in '{locale}'")
        for article in listed[:first]:
            nav.open_article(article.slug)
            current = w.session.state.current
            if current.page is not Page.READER or current.slug != article.slug:
                raise SmokeTestError(f"{locale}/{article.slug} did not open")
            for card in range(len(article.sections)):
                w.reader.show_card(card)
                check(f"{locale}/{article.slug} card {card + 1}")
                if w.reader.card != card or not w.reader.text.toPlainText().strip():
                    raise SmokeTestError(f"{locale}/{article.slug} card {card + 1} is empty")
                tally.cards += 1
            expected = f"reader {article.slug} {len(article.sections)}/{len(article.sections)}"
            if not w.windowTitle().endswith(expected):
                raise SmokeTestError(f"{locale}/{article.slug}: title is {w.windowTitle()!r}")
            w.session.back()
            tally.articles += 1
        w.session.open_home()
    w.session.reset()
    check("reset after reading")


def _queries(pack: Pack, locale: str) -> Iterator[tuple[str, str | None]]:
    """(what a patient types, the title that must be among the results, or None)."""
    articles = pack.articles_in(locale)
    picks = [articles[i * len(articles) // 3] for i in range(3)] if articles else []
    for article in picks:
        yield article.title, article.title
    if articles:
        title = articles[-1].title
        yield title[: max(3, len(title) // 2)], None  # a prefix, as typed so far
        word = max(title.split(), key=len)
        yield word[:2] + word[3:] if len(word) > 4 else word + "x", None  # a typo
    synonyms = pack.info.synonyms.get(locale, {})
    yield (next(iter(synonyms)) if synonyms else "zzqx"), None


def _search_everything(
    k: KioskParts, pack: Pack, tally: Tally, check: Callable[[str], None], searches: int
) -> None:
    w, nav = k.window, k.navigator
    for locale in pack.info.locales:
        w.session.set_locale(locale)
        w.session.open_home()
        nav.open_terms()
        check(f"terms page in {locale}")
        for query, must_find in islice(_queries(pack, locale), searches):
            w.terms.field.setText(query)
            check(f"search {query!r} ({locale})")
            if w.session.state.search_text != query:
                raise SmokeTestError(f"search {query!r} ({locale}) not kept in the session")
            if not w.terms.heading.text().strip():
                raise SmokeTestError(f"search {query!r} ({locale}) shows no heading")
            results = w.terms.visible_results()
            if must_find is not None and must_find not in results:
                raise SmokeTestError(f"search {query!r} ({locale}) did not find {must_find!r}")
            tally.searches += 1
        w.terms.clear()
        results = w.terms.visible_results()
        if not results:
            raise SmokeTestError(f"the term browser lists nothing in '{locale}'")
    w.session.reset()
    check("reset after searching")


def _toggle_settings(
    k: KioskParts, tally: Tally, check: Callable[[str], None], every_value: bool = True
) -> None:
    """Each setting on and off again: one at a time and every text size (``every_value``),
    else all at once with the largest text (each look change restyles the whole kiosk)."""
    w, nav = k.window, k.navigator
    w.session.open_home()
    nav.open_article(nav.view.articles(w.session.locale)[0].slug)
    plain = DisplaySettings()
    scales = [s for s in TEXT_SCALES if s != plain.text_scale]
    switches = {f.name: True for f in fields(DisplaySettings) if f.name != "text_scale"}
    trials = (
        [replace(plain, text_scale=s) for s in scales]
        + [replace(plain, **{name: True}) for name in switches]
        if every_value
        else [replace(plain, text_scale=scales[-1], **switches)]
    )
    for trial in trials:
        for settings in (trial, plain):
            w.session.set_settings(settings)
            check(f"settings {settings}")
            for setting in fields(DisplaySettings):
                _check_look(k, setting.name, getattr(settings, setting.name))
    tally.settings = len(fields(DisplaySettings))
    w.session.reset()
    check("reset after the settings")


def _check_look(k: KioskParts, name: str, value: object) -> None:
    w, look = k.window, k.look.current
    seen: dict[str, object] = {
        "text_scale": look.scale,
        "high_contrast": look.theme == load_theme(theme_name(True)),
        "dyslexia_font": look.dyslexia,
        "reduce_motion": w.session.settings.reduce_motion,
        "read_aloud": w.session.settings.read_aloud,
    }
    if name in seen and seen[name] != value:
        raise SmokeTestError(f"{name} = {value}: the window shows {seen[name]}")


def _visible_state(k: KioskParts) -> dict[str, object]:
    """What the next patient could see of this one (compare tests/test_privacy.py)."""
    w = k.window
    return {
        "page": w.stack.currentIndex(),
        "title": w.windowTitle(),
        "search text": w.terms.field.text(),
        "results": w.terms.visible_results(),
        "reader article": w.reader.article,
        "idle overlay": w.idle_overlay.isVisible(),
        "look": k.look.current,
    }


def _idle_reset(
    k: KioskParts, fresh: dict[str, object], tally: Tally, check: Callable[[str], None]
) -> None:
    """Leave traces, then let the real idle timer and warning wipe them."""
    w, nav = k.window, k.navigator
    locales = nav.pack.info.locales
    w.session.set_locale(locales[-1])
    w.session.set_settings(DisplaySettings(text_scale=2.0, high_contrast=True))
    w.session.open_home()
    nav.open_terms()
    w.terms.field.setText(nav.view.articles(w.session.locale)[0].title[:3])
    nav.open_article(nav.view.articles(w.session.locale)[0].slug)
    check("using the kiosk before the idle reset")
    if w.session.is_fresh():
        raise SmokeTestError("the session is fresh before the idle reset")
    with _wait_for(w.session.reset_done, seconds=15) as done:
        k.idle.start()
    if not done():
        raise SmokeTestError("the idle timer did not reset the session within 15 s")
    k.idle.monitor.stop()
    check("idle reset")
    if not w.session.is_fresh():
        raise SmokeTestError(f"the session is not fresh after the idle reset: {w.session.state}")
    after = _visible_state(k)
    if after != fresh:
        changed = sorted(key for key in fresh if fresh[key] != after[key])
        raise SmokeTestError(f"after the idle reset these differ from a fresh start: {changed}")
    tally.resets += 1


@contextmanager
def _wait_for(signal: object, seconds: float) -> Iterator[Callable[[], bool]]:
    """Run the event loop after the block until ``signal`` fires or time runs out."""
    loop = QEventLoop()
    fired: list[bool] = []

    def on_signal() -> None:
        fired.append(True)
        loop.quit()

    signal.connect(on_signal)  # type: ignore[attr-defined]
    yield lambda: bool(fired)
    if not fired:
        QTimer.singleShot(round(seconds * 1000), loop.quit)
        loop.exec()
    signal.disconnect(on_signal)  # type: ignore[attr-defined]
