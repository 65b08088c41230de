"""`kiosk health export` as a clinic's monitoring meets it: the file it writes is read
by the real node_exporter (Debian's prometheus-node-exporter, its textfile collector)
and scraped over HTTP on loopback, then parsed with Prometheus's own parser. It says
which pack shows, how fresh the fleet's confirmation is, and the article views per day
with the small counts left out (nothing that could point at one patient)."""

from __future__ import annotations

import os
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kiosk.cli import main
from kiosk.core.fleet.state import FOLDER, FleetState, write_state
from kiosk.core.packs.build import build_pack
from kiosk.core.packs.signing import generate_keypair, load_private_key, public_key_text
from kiosk.core.packs.store import Store
from kiosk.core.stats import DB_FILE, UsageCounts
from kiosk.resources import bundled_content

REPO = Path(__file__).resolve().parents[1]

NODE_EXPORTER = shutil.which("prometheus-node-exporter")


@pytest.fixture
def kiosk(tmp_path: Path) -> Path:
    """A kiosk's settings: a signed pack installed, a fleet that last confirmed the
    content four days ago, and views yesterday (some too few to leave the kiosk) and today."""
    private, _ = generate_keypair(tmp_path / "key")
    pack = tmp_path / "a.kpack"
    build_pack(bundled_content(), pack, private, datetime.now(UTC) - timedelta(hours=2))
    public = public_key_text(load_private_key(private))
    Store(tmp_path / "store").install(pack, (public,))
    confirmed = datetime.now(UTC).replace(microsecond=0) - timedelta(days=4)
    write_state(
        tmp_path / "state" / FOLDER,
        FleetState().checked(
            datetime.now(UTC), last_success=confirmed.isoformat(), problem="expired"
        ),
    )
    usage = UsageCounts(tmp_path / "state" / DB_FILE)
    yesterday = date.today() - timedelta(days=1)
    for _ in range(7):
        usage.record("heparin", "en", yesterday)
    for _ in range(2):
        usage.record("heart-rate", "es", yesterday)  # two patients: never exported
    for _ in range(9):
        usage.record("hantavirus", "en")  # today's: not until the day is over
    usage.close()
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'store = "{tmp_path / "store"}"\nstate = "{tmp_path / "state"}"\n'
        f'fleet = "https://packs.example.org/fleet/"\ntrusted_keys = ["{public}"]\n',
        "utf-8",
    )
    return config


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def node_exporter(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """The real node_exporter on loopback, its textfile collector on a folder of ours,
    every other collector off; the folder and its metrics address."""
    if NODE_EXPORTER is None:
        pytest.fail("prometheus-node-exporter is not installed (scripts/system-packages.txt)")
    folder = tmp_path / "textfile"
    folder.mkdir()
    address = f"127.0.0.1:{_free_port()}"
    process = subprocess.Popen(
        [NODE_EXPORTER, "--collector.disable-defaults", "--collector.textfile",
         f"--collector.textfile.directory={folder}", f"--web.listen-address={address}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield folder, f"http://{address}/metrics"
    finally:
        process.terminate()
        process.wait(10)


def _scrape(url: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                text = answer.read().decode("utf-8")
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
    found: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found.setdefault(sample.name, []).append((sample.labels, sample.value))
    return found


def _one(found: dict[str, list[tuple[dict[str, str], float]]], name: str) -> float:
    (labels_and_value,) = found[name]
    return labels_and_value[1]


def test_node_exporter_serves_what_the_kiosk_wrote(
    kiosk: Path, node_exporter: tuple[Path, str]
) -> None:
    folder, url = node_exporter
    assert main(["health", "export", "--config", str(kiosk), "--textfile",
                 str(folder / "kiosk.prom")]) == 0  # fmt: skip
    assert sorted(p.name for p in folder.iterdir()) == ["kiosk.prom"]  # no temporary left
    found = _scrape(url)
    assert _one(found, "kiosk_fleet_configured") == 1
    assert _one(found, "kiosk_fleet_stale") == 1  # four days > 72 hours
    assert _one(found, "kiosk_fleet_check_failing") == 1
    confirmed = _one(found, "kiosk_fleet_last_success_time_seconds")
    assert abs(time.time() - 4 * 86400 - confirmed) < 120
    (pack,) = found["kiosk_pack_info"]
    assert pack[0]["pack_id"] and len(pack[0]["signer"]) == 16
    assert _one(found, "kiosk_pack_build") > 20260000000000
    views = {(s["day"], s["locale"], s["slug"]): v for s, v in found["kiosk_article_views"]}
    # 2 is too few; today's 9 would tell a scraper, minute by minute, who read what when.
    assert views == {((date.today() - timedelta(days=1)).isoformat(), "en", "heparin"): 7}
    # node_exporter says the file was read without error
    assert _one(found, "node_textfile_scrape_error") == 0


def test_an_export_replaces_the_file_whole(kiosk: Path, tmp_path: Path) -> None:
    """Written again with new figures: the old file is replaced, never appended to."""
    out = tmp_path / "kiosk.prom"
    assert main(["health", "export", "--config", str(kiosk), "--textfile", str(out)]) == 0
    first = out.read_text("utf-8")
    write_state(kiosk.parent / "state" / FOLDER, FleetState().checked(
        datetime.now(UTC), last_success=datetime.now(UTC).isoformat()))  # fmt: skip
    assert main(["health", "export", "--config", str(kiosk), "--textfile", str(out)]) == 0
    second = out.read_text("utf-8")
    assert "kiosk_fleet_stale 1.0" in first and "kiosk_fleet_stale 0.0" in second
    assert second.count("# HELP kiosk_fleet_stale ") == 1


def test_an_unwritable_textfile_is_one_line_and_exit_1(
    kiosk: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "no-such-folder" / "kiosk.prom"
    assert main(["health", "export", "--config", str(kiosk), "--textfile", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"kiosk: health export: {out}: ") and err.count("\n") == 1


def _run_units_copy(run: Path, out: Path) -> None:
    """deploy/kiosk-health.service's ExecStartPost lines, as systemd runs them ("+": as
    root), with "nobody" for the kiosk user and the folders moved to ``run``/``out``."""
    unit = (REPO / "deploy" / "kiosk-health.service").read_text("utf-8")
    for line in unit.splitlines():
        if line.startswith("ExecStartPost=+"):
            command = (
                line.removeprefix("ExecStartPost=+")
                .replace("%t", str(run))
                .replace("/var/lib/prometheus/node-exporter", str(out))
                .replace("--reuid=kiosk --regid=kiosk", "--reuid=nobody --regid=nogroup")
            )
            subprocess.run(shlex.split(command), check=False, timeout=30)


@pytest.mark.skipif(os.geteuid() != 0, reason="the unit's copy runs as root")
def test_the_units_copy_as_root_never_reads_what_the_kiosk_user_cannot(tmp_path: Path) -> None:
    """An attacker's find: the export's folder is the kiosk user's, and the unit's copy
    into node_exporter's folder runs as root. A link put there in place of the file made
    root copy a file only root may read (a key, /etc/shadow) into a world-readable one.
    The unit's own lines run: the secret never reaches the copy; the export does."""
    run = Path(tempfile.mkdtemp(prefix="kiosk-health-run-"))  # /tmp: "nobody" reaches it
    try:
        run.chmod(0o755)
        (run / "kiosk-health").mkdir(mode=0o755)
        out = tmp_path / "node-exporter"
        secret = tmp_path / "secret"
        secret.write_text("root-only-secret\n")
        secret.chmod(0o600)
        (run / "kiosk-health" / "kiosk.prom").symlink_to(secret)
        _run_units_copy(run, out)
        copied = out / "kiosk.prom"
        assert "root-only-secret" not in (copied.read_text("utf-8") if copied.exists() else "")
        (run / "kiosk-health" / "kiosk.prom").unlink()
        (run / "kiosk-health" / "kiosk.prom").write_text("kiosk_up 1\n")
        _run_units_copy(run, out)
        assert copied.read_text("utf-8") == "kiosk_up 1\n"
        assert copied.stat().st_mode & 0o777 == 0o644  # node_exporter's user reads it
    finally:
        shutil.rmtree(run)
