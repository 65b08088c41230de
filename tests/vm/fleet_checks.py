"""The deploy test's fleet check (issue 17): a kiosk takes its packs from a fleet
repository on a web server, as docs/FLEET.md sections 4 and 8 have IT set it up, and
the clinic's monitoring reads its health through node_exporter.

The web server runs inside the VM on loopback (the VM has no network): Python's
http.server in a transient unit of its own, serving the repository `kiosk fleet` made on
the host (prepare.make_fleet), as any static web server would. The kiosk's own timer
unit (kiosk-fleet.service) does the check; node_exporter is Debian's, installed from the
VM's mirror as FLEET.md says, and read with curl inside the VM.
"""

from __future__ import annotations

import json

from checks import KIOSK, home_shows, installed_version, mount_stick
from driver import CheckFailedError, Run
from prepare import FLEET_VERSION

PORT = 8080
REPOSITORY = f"http://127.0.0.1:{PORT}/"
EXPORTER = "http://127.0.0.1:9100/metrics"
STATE = "/home/kiosk/.local/state/clinic-kiosk/fleet/fleet.json"


def serve_repository(run: Run) -> None:
    """The repository from the stick, served read-only on the VM's loopback."""
    mount_stick(run, "fleet", "KIOSKFLEET")
    run.guest("rm -rf /srv/fleet && cp -r /media/usb/fleet /srv/fleet && chmod -R a+rX /srv/fleet")
    run.guest(
        "systemd-run --unit=vmtest-web --property=DynamicUser=yes "
        f"python3 -m http.server {PORT} --bind 127.0.0.1 --directory /srv/fleet"
    )
    run.guest(
        f'for i in $(seq 60); do python3 -c "import urllib.request; urllib.request.urlopen('
        f"'{REPOSITORY}metadata/1.root.json')\" 2>/dev/null && exit 0; sleep 1; done; exit 1",
        timeout=120,
    )


def metrics(run: Run) -> dict[str, float]:
    """What node_exporter serves of the kiosk (``kiosk_*`` samples, by their full
    name with labels), fetched with curl as a monitoring server would."""
    text = run.guest(f"curl -sf {EXPORTER}")
    samples: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("kiosk_"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples


def fleet(run: Run) -> str:
    """A new pack published to the fleet reaches the kiosk through its own timer's
    unit, shows on the patient's home screen, and node_exporter reports it fresh."""
    run.wait_active()
    run.wait_for_screen("welcome", "9-fleet-before", 240)
    serve_repository(run)
    trusted = run.guest(
        f"{KIOSK} fleet trust /media/usb/fleet/metadata/1.root.json --repository {REPOSITORY}"
    )
    if "trusts the fleet root" not in trusted:
        raise CheckFailedError(f"`kiosk fleet trust` said: {trusted.strip()}")
    # The timer's own unit, started now rather than in up to 8 minutes.
    run.guest("systemctl start kiosk-fleet.service", timeout=600)
    said = run.guest("journalctl -u kiosk-fleet.service -o cat --no-pager", check=False)
    status = installed_version(run)
    seen = home_shows(run, "9-fleet")
    if status != FLEET_VERSION or seen != FLEET_VERSION:
        raise CheckFailedError(
            f"after kiosk-fleet.service: status says version {status}, the screen shows "
            f"version {seen}, the fleet has {FLEET_VERSION}; the unit said: {said.strip()[-400:]}"
        )
    state = json.loads(run.guest(f"cat {STATE}"))
    # Monitoring: node_exporter from the VM's mirror, as FLEET.md section 8 says.
    run.guest(
        "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "
        "prometheus-node-exporter curl",
        timeout=600,
    )
    run.guest("systemctl start kiosk-health.service", timeout=300)
    samples: dict[str, float] = {}
    for _ in range(30):  # node_exporter starts after its install, in its own time
        result = run.machine.agent.run(f"curl -sf {EXPORTER}", 60)
        if result.ok:
            samples = metrics(run)
            break
        run.guest("sleep 2")
    wanted = {
        "kiosk_up": 1.0,
        "kiosk_fleet_configured": 1.0,
        "kiosk_fleet_stale": 0.0,
        "kiosk_fleet_check_failing": 0.0,
        "kiosk_fleet_root_version": 1.0,
        "kiosk_pack_content_version": float(FLEET_VERSION),
    }
    wrong = {k: samples.get(k) for k, v in wanted.items() if samples.get(k) != v}
    installed_at = samples.get("kiosk_fleet_last_install_time_seconds", 0.0)
    if wrong or installed_at <= 0:
        raise CheckFailedError(
            f"node_exporter served {wrong or 'no install time'} "
            f"(wanted {wanted}); {len(samples)} kiosk_ samples"
        )
    run.installed_version = FLEET_VERSION
    return (
        f"`kiosk fleet trust ... --repository {REPOSITORY}` (a web server in the VM, "
        f"loopback only); kiosk-fleet.service installed version {FLEET_VERSION} "
        f"(fleet.json: last install {state.get('last_install', '?')[:19]}), shown on home; "
        f"node_exporter (curl {EXPORTER}) served {len(samples)} kiosk_ samples: up 1, "
        f"fleet configured 1, stale 0, check failing 0, content version {FLEET_VERSION}"
    )
