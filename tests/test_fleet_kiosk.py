"""The fleet as a running kiosk meets it: `kiosk fleet check` (the command its timer
runs, in its own process) brings a new pack from a real web server on loopback, and
the kiosk shows it at the next idle reset, never under a patient's eyes; content the
fleet has not confirmed fresh for too long is said in red on the admin panel, read off
the rendered pixels, while patients keep the last good pack."""

from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from fleet_web import web
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from kiosk.core.fleet.repository import FleetRepository, Keys
from kiosk.core.fleet.state import FOLDER, freshness
from kiosk.core.packs.build import build_pack
from kiosk.core.packs.signing import generate_keypair, load_private_key, public_key_text
from kiosk.core.packs.source import StoreWatch, from_store, load_folder
from kiosk.core.packs.store import Store
from kiosk.ui.assembly import KioskParts
from kiosk.ui.theme import Theme

from conftest import CONTENT, make_kiosk

pytestmark = pytest.mark.gui
WAIT_MS = 20_000  # a check in its own process, a settle, a whole pack read
STALE_HOURS = 72


def _build(where: Path, key: Path, title: str, minutes_ago: int) -> Path:
    folder = where / f"content-{minutes_ago}"
    shutil.copytree(CONTENT, folder)
    article = folder / "en" / "terms" / "heparin.md"
    text = article.read_text("utf-8").replace("title: Heparin", f"title: {title}")
    article.write_text(text, "utf-8")
    out = where / f"{minutes_ago}.kpack"
    build_pack(folder, out, key, now=datetime.now(UTC) - timedelta(minutes=minutes_ago))
    return out


class Site:
    """A fleet repository with a pack published, and a kiosk's settings naming it."""

    def __init__(self, root: Path, *, repo_made: datetime | None = None) -> None:
        self.root = root
        self.key, _ = generate_keypair(root / "packkey")
        self.public = public_key_text(load_private_key(self.key))
        self.repo = FleetRepository.create(root / "repo", root / "keys", now=repo_made)
        self.keys = Keys((root / "keys",))
        self.store = Store(root / "store")
        self.state = root / "state"
        self.config = root / "kiosk.toml"

    def name(self, fleet: str) -> None:
        self.config.write_text(
            f'trusted_keys = ["{self.public}"]\nfleet = "{fleet}"\n'
            f'store = "{self.store.root}"\nstate = "{self.state}"\n',
            "utf-8",
        )

    def kiosk(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        """A kiosk command in its own process, as the timer runs it."""
        return subprocess.run(
            [sys.executable, "-m", "kiosk", *map(str, args), "--config", str(self.config)],
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip


def _kiosk(qtbot: QtBot, theme: Theme, pin_hash: str, site: Site) -> KioskParts:
    shown = from_store(site.store, (site.public,)) or load_folder(CONTENT, "bundled content")
    assert shown is not None
    watch = StoreWatch(
        shown,
        site.store,
        lambda: (site.public,),
        watch=True,
        fleet=partial(freshness, site.state / FOLDER, STALE_HOURS),
    )
    return make_kiosk(qtbot, shown.pack, theme, pin_hash, index=shown.index, store=watch)


def _heparin(parts: KioskParts) -> str:
    article = parts.navigator.view.article("en", "heparin")
    return article.title if article else ""


def test_a_pack_published_to_the_fleet_shows_at_the_next_idle_reset(
    qtbot: QtBot, theme: Theme, pin_hash: str, tmp_path: Path
) -> None:
    site = Site(tmp_path)
    site.repo.publish(_build(tmp_path, site.key, "Heparin (fleet 1)", 30), site.keys)
    with web(site.repo.folder) as (url, _server):
        site.name(url)
        assert site.kiosk("fleet", "trust", site.repo.metadata / "1.root.json").returncode == 0
        assert site.kiosk("fleet", "check").returncode == 0
        parts = _kiosk(qtbot, theme, pin_hash, site)
        assert parts.content is not None
        assert _heparin(parts) == "Heparin (fleet 1)"
        parts.window.session.open_home()
        parts.navigator.open_article("heart-rate")  # a patient is reading
        site.repo.publish(_build(tmp_path, site.key, "Heparin (fleet 2)", 5), site.keys)
        with qtbot.waitSignal(parts.content.next_ready, timeout=WAIT_MS):
            done = site.kiosk("fleet", "check", "--now")
        assert done.returncode == 0, done.stderr
        assert "next idle reset" in done.stdout
    assert _heparin(parts) == "Heparin (fleet 1)"  # nothing changes under the patient's eyes
    reader = parts.window.reader.article
    assert reader is not None and reader.slug == "heart-rate"
    parts.window.session.reset()  # the idle reset, between patients
    assert _heparin(parts) == "Heparin (fleet 2)"


def _open_admin(qtbot: QtBot, parts: KioskParts) -> None:
    parts.window.corner.triggered.emit()
    parts.staff_mode.unlock()
    qtbot.waitUntil(lambda: parts.window.admin.isVisible(), timeout=WAIT_MS)


def _red_share(parts: KioskParts, theme: Theme) -> float:
    """The share of the alarm's pixels in the theme's danger red, as drawn (0 if the
    alarm is not on screen)."""
    alarm = parts.window.staff.alarm
    if not alarm.isVisible():
        return 0.0
    image = alarm.grab().toImage()
    red = QColor(theme.colors["danger"]).rgb()
    pixels = [
        image.pixelColor(x, y).rgb()
        for y in range(0, image.height(), 3)
        for x in range(0, image.width(), 3)
    ]
    return sum(pixel == red for pixel in pixels) / max(len(pixels), 1)


def test_a_fleet_that_cannot_confirm_freshness_is_said_in_red_to_staff(
    qtbot: QtBot, theme: Theme, pin_hash: str, tmp_path: Path
) -> None:
    """A mirror that stopped being refreshed five days ago: the check refuses its
    expired timestamp; the panel says why in red; patients keep the pack they had."""
    site = Site(tmp_path, repo_made=datetime.now(UTC) - timedelta(days=5))
    site.repo.publish(_build(tmp_path, site.key, "Heparin (fleet 1)", 30), site.keys)
    site.name(str(site.repo.folder))
    assert site.kiosk("fleet", "trust", site.repo.metadata / "1.root.json").returncode == 0
    stale = site.kiosk("fleet", "check")
    assert stale.returncode == 1 and "expired" in stale.stderr
    parts = _kiosk(qtbot, theme, pin_hash, site)
    _open_admin(qtbot, parts)
    said = parts.window.staff.alarm.text()
    assert said.startswith("The content may be out of date")
    assert "the fleet has never confirmed it" in said
    assert _red_share(parts, theme) > 0.5, "the alarm is not drawn in red"
    # What went wrong, for IT, with the other problems: the timestamp on the server expired.
    assert "The last fleet check said: " in parts.window.staff.details.text()
    assert "timestamp.json is expired" in parts.window.staff.details.text()


def test_a_fresh_fleet_says_nothing_in_red(
    qtbot: QtBot, theme: Theme, pin_hash: str, tmp_path: Path
) -> None:
    site = Site(tmp_path)
    site.repo.publish(_build(tmp_path, site.key, "Heparin (fleet 1)", 30), site.keys)
    site.name(str(site.repo.folder))
    assert site.kiosk("fleet", "trust", site.repo.metadata / "1.root.json").returncode == 0
    assert site.kiosk("fleet", "check").returncode == 0
    parts = _kiosk(qtbot, theme, pin_hash, site)
    _open_admin(qtbot, parts)
    assert not parts.window.staff.alarm.isVisible()
    assert _red_share(parts, theme) == 0.0
