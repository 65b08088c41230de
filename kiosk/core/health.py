"""The kiosk's health as Prometheus metrics, for the monitoring a clinic already runs:
node_exporter's textfile collector (Debian's prometheus-node-exporter) reads the file
``kiosk health export`` writes (docs/FLEET.md, "Fleet health"). No server of ours.

What is reported, and nothing finer: whether the kiosk's unit is up, when it started
and how often systemd restarted it (a crash or a watchdog timeout); the pack shown (id,
build, content version, when it was installed); the fleet's last check, last
confirmation, freshness and last install; and the per-article, per-day view counts the
kiosk keeps anyway, for the last week, without the small counts that could point at
one patient (kiosk.core.stats.exportable). Nothing about a person or a session.

The text format is written by prometheus_client (the Prometheus project's own client),
atomically: a temporary file renamed over the last one.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from prometheus_client import CollectorRegistry, Gauge, Info, write_to_textfile

from kiosk.core.fleet.state import FleetState
from kiosk.core.packs.status import InstalledPack
from kiosk.core.usagefile import DayCount

# The kiosk's units (deploy/): cage's, or the X11 fallback's.
KIOSK_UNITS = ("kiosk.service", "kiosk-x11.service")
VIEW_DAYS = 7  # a week of finished days in each export: Prometheus keeps the history


@dataclass(frozen=True)
class Service:
    """What systemd says of the kiosk's unit: ``up`` (active), ``restarts`` (systemd's
    NRestarts: after a crash or a watchdog timeout), ``started`` (Unix seconds, or None)."""

    up: bool
    restarts: int
    started: float | None


def service_facts(units: Iterable[str] = KIOSK_UNITS) -> Service | None:
    """Asks systemd (``systemctl show``, which any user may) about the first of
    ``units`` that is enabled or running; None where there is no systemd."""
    systemctl = shutil.which("systemctl")
    if systemctl is None:
        return None
    seen: Service | None = None
    for unit in units:
        try:
            shown = subprocess.run(
                [systemctl, "show", "--timestamp=unix", unit,
                 "-p", "ActiveState,NRestarts,ExecMainStartTimestamp,UnitFileState"],
                capture_output=True, text=True, timeout=10, check=False,
            )  # fmt: skip
        except (OSError, subprocess.SubprocessError):
            return None
        facts = dict(line.split("=", 1) for line in shown.stdout.splitlines() if "=" in line)
        if not facts:
            continue
        service = Service(
            up=facts.get("ActiveState") == "active",
            restarts=int(facts.get("NRestarts") or 0),
            started=_unix(facts.get("ExecMainStartTimestamp", "")),
        )
        if service.up or facts.get("UnitFileState") == "enabled":
            return service
        seen = seen or service
    return seen


def _unix(text: str) -> float | None:
    """systemd's ``@1733290000`` (--timestamp=unix); None for never."""
    return float(text[1:]) if text.startswith("@") and text[1:].isdigit() else None


@dataclass(frozen=True)
class Health:
    """Everything one export reports (see the module's words)."""

    service: Service | None
    pack: InstalledPack | None  # None: the content that came with the kiosk
    fleet: FleetState | None  # None: no fleet set
    stale: bool
    views: list[DayCount]
    now: datetime


def registry(health: Health) -> CollectorRegistry:
    """The metrics of ``health``, each documented in its HELP line."""
    reg = CollectorRegistry()

    def gauge(name: str, doc: str, value: float | None) -> None:
        if value is not None:
            Gauge(name, doc, registry=reg).set(value)

    service = health.service
    if service is not None:
        gauge("kiosk_up", "1 if the kiosk's systemd unit is active", float(service.up))
        gauge("kiosk_start_time_seconds", "When the kiosk last started", service.started)
        gauge(
            "kiosk_restarts",
            "Times systemd restarted the kiosk since boot (a crash or a watchdog timeout)",
            service.restarts,
        )
    pack = health.pack
    if pack is not None:
        Info("kiosk_pack", "The pack shown", registry=reg).info(
            {"pack_id": pack.manifest.pack_id, "signer": pack.manifest.signer}
        )
        gauge("kiosk_pack_build", "The pack's build (YYYYMMDDHHMMSS, UTC)", pack.version)
        gauge("kiosk_pack_content_version", "The pack's content version", pack.content_version)
        gauge(
            "kiosk_pack_installed_time_seconds",
            "When the pack shown was installed",
            pack.path.stat().st_mtime,
        )
    fleet = health.fleet
    configured = float(fleet is not None)
    gauge("kiosk_fleet_configured", "1 if the kiosk takes packs from a fleet", configured)
    if fleet is not None:
        for name, doc, when in (
            ("last_check", "When the kiosk last checked its fleet", fleet.last_check),
            ("last_success", "When the fleet last confirmed the content fresh", fleet.last_success),
            ("fresh_until", "Until when that confirmation holds", fleet.fresh_until),
            ("last_install", "When it last installed a pack from its fleet", fleet.last_install),
        ):  # fmt: skip
            gauge(f"kiosk_fleet_{name}_time_seconds", doc, _seconds(when))
        gauge(
            "kiosk_fleet_stale",
            "1 if the fleet has not confirmed the content fresh within fleet_stale_hours",
            float(health.stale),
        )
        gauge("kiosk_fleet_check_failing", "1 if the last check failed", float(bool(fleet.problem)))
        gauge(
            "kiosk_fleet_root_version",
            "Version of the fleet root the kiosk trusts (a key ceremony raises it; 0: unknown)",
            float(fleet.root_version) if fleet.root_version.isdigit() else 0.0,
        )
    views = Gauge(
        "kiosk_article_views",
        f"Article views on a finished day (the last {VIEW_DAYS}; counts under 5 left out)",
        ["day", "locale", "slug"],
        registry=reg,
    )
    for day, locale, slug, count in health.views:
        views.labels(day, locale, slug).set(count)
    gauge("kiosk_health_export_time_seconds", "When this was written", health.now.timestamp())
    return reg


def _seconds(iso: str) -> float | None:
    return datetime.fromisoformat(iso).timestamp() if iso else None


def views_since(today: date) -> date:
    """The first day whose counts are exported (today's never are)."""
    return today - timedelta(days=VIEW_DAYS)


def write_health(path: Path, health: Health) -> None:
    """``health`` as Prometheus's text format at ``path``, replaced whole (a temporary
    file renamed over it: node_exporter never reads half a file). Raises OSError."""
    write_to_textfile(str(path), registry(health))
