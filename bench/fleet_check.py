"""A fleet check, timed as a kiosk's timer runs it (issue 17): `kiosk fleet check` in its
own process against a real web server on loopback serving a repository made by
`kiosk fleet`, with a 10,000-article pack published. Baseline: `kiosk content install`
of the same pack file from the same server, the existing path. Each run on a fresh
kiosk (its own store and state); wall time and the child's peak RSS, medians of RUNS.
The peak RSS is GNU time's (%M): a child forked from this process would start its
ru_maxrss at this process's size (Linux keeps the forked copy's high-water mark across
exec), and this process holds the generated pack's articles; GNU time forks the command
from its own small self.

- download: the check that finds the pack, downloads it through ngclient and installs
  it, against the baseline install of the same file;
- nothing new: the next check, which finds nothing new (the requests the server saw are
  counted: the timestamp, and the next root's probe TUF makes each time).

Prints one JSON line.
"""

from __future__ import annotations

import http.server
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from statistics import median
from typing import Any, ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import CACHE, PY, REPO, pack

RUNS = 3
GNU_TIME = "/usr/bin/time"  # Debian's package "time" (scripts/system-packages.txt)
ARTICLES = 10_000


class _Counting(http.server.SimpleHTTPRequestHandler):
    paths: ClassVar[list[str]] = []  # every GET the server saw, in order

    def do_GET(self) -> None:
        type(self).paths.append(self.path)
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of ``cmd`` run to its end; raises if it fails."""
    # Output to a file, not a pipe: a pipe not read while it waits could fill and stall it.
    with tempfile.TemporaryFile() as log, tempfile.NamedTemporaryFile("r") as peak:
        started = time.perf_counter()
        done = subprocess.run(
            [GNU_TIME, "-f", "%M", "-o", peak.name, *cmd],
            cwd=REPO, stdout=log, stderr=subprocess.STDOUT, check=False,
        )  # fmt: skip
        wall = time.perf_counter() - started
        log.seek(0)
        out = log.read()
        kilobytes = peak.read().strip().splitlines()[-1]
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)}: {out.decode(errors='replace')[-800:]}")
    return wall, int(kilobytes) / 1024


def _repository() -> tuple[Path, Path, str]:
    """The repository (cached under build/bench/fleet), its first root, the pack key."""
    from kiosk.core.fleet.repository import FleetRepository, Keys
    from kiosk.core.packs.build import build_pack
    from kiosk.core.packs.signing import generate_keypair, load_private_key, public_key_text

    root = CACHE / f"fleet-{ARTICLES}"
    public_file = root / "public.txt"
    if not public_file.exists():
        if root.exists():
            import shutil

            shutil.rmtree(root)
        private, _ = generate_keypair(root / "packkey")
        build_pack(pack(ARTICLES), root / "pack.kpack", private)
        repo = FleetRepository.create(root / "repo", root / "keys")
        repo.publish(root / "pack.kpack", Keys((root / "keys",)))
        public_file.write_text(public_key_text(load_private_key(private)), "utf-8")
    repo = FleetRepository(root / "repo")
    repo.refresh(Keys((root / "keys",)))  # fresh for this run, whatever the cache's age
    return root / "repo", repo.metadata / "1.root.json", public_file.read_text("utf-8")


def _kiosk(fleet: str, public: str) -> Path:
    home = Path(tempfile.mkdtemp(prefix="kiosk-bench-fleet-"))
    config = home / "kiosk.toml"
    config.write_text(
        f'store = "{home / "store"}"\nstate = "{home / "state"}"\n'
        f'trusted_keys = ["{public}"]\nfleet = "{fleet}"\n',
        "utf-8",
    )
    return config


def main() -> int:
    repo, first_root, public = _repository()
    handler = _Counting
    handler.paths.clear()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a: handler(*a, directory=str(repo))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    (packfile,) = (repo / "targets" / "packs").glob("*.current.kpack")
    kiosk = [PY, "-m", "kiosk"]
    got: dict[str, list[tuple[float, float]]] = {"install": [], "download": [], "nothing": []}
    requests: list[int] = []
    for _ in range(RUNS):
        config = _kiosk(url, public)
        got["install"].append(_timed([*kiosk, "content", "install",
                                      f"{url}targets/packs/{packfile.name}",
                                      "--config", str(config)]))  # fmt: skip
        config = _kiosk(url, public)
        _timed([*kiosk, "fleet", "trust", str(first_root), "--config", str(config)])
        got["download"].append(_timed([*kiosk, "fleet", "check", "--now", "--config", str(config)]))
        handler.paths.clear()
        got["nothing"].append(_timed([*kiosk, "fleet", "check", "--now", "--config", str(config)]))
        requests.append(len(handler.paths))
    server.shutdown()
    size_mb = packfile.stat().st_size / 1e6
    result: dict[str, object] = {"articles": ARTICLES, "pack_mb": round(size_mb, 1)}
    for name, runs in got.items():
        result[name] = {"s": median(t for t, _ in runs), "rss_mb": median(m for _, m in runs)}
    result["nothing_requests"] = max(requests)
    print(json.dumps(result))
    return 0


def report_rows(got: dict[str, Any]) -> list[tuple[str, str, str, str, str, bool | None]]:
    """The rows of BENCHMARKS.md (bench/run_all.py): what, figure, baseline, ratio,
    target, met."""
    base, down, idle = got["install"], got["download"], got["nothing"]
    pack_is = f"{got['articles']:,}-article pack ({got['pack_mb']} MB), loopback HTTP"
    baseline = f"{base['s']:.2f} s, {base['rss_mb']:.0f} MB (`kiosk content install` of it)"
    return [
        (
            f"Fleet check that downloads and installs a {pack_is}: time",
            f"{down['s']:.2f} s",
            baseline,
            f"{down['s'] / base['s']:.2f}x",
            "<= 1.5x baseline",
            down["s"] <= 1.5 * base["s"],
        ),
        (
            "The same check: peak RSS",
            f"{down['rss_mb']:.0f} MB",
            baseline,
            f"{down['rss_mb'] / base['rss_mb']:.2f}x",
            "<= baseline + 30 MB",
            down["rss_mb"] <= base["rss_mb"] + 30,
        ),
        (
            "Fleet check with nothing new: time, peak RSS, requests",
            f"{idle['s']:.2f} s, {idle['rss_mb']:.0f} MB, {got['nothing_requests']} requests",
            baseline,
            f"{idle['s'] / base['s']:.2f}x",
            "<= 2 requests (the timestamp, the next root's probe)",
            got["nothing_requests"] <= 2,
        ),
    ]


if __name__ == "__main__":
    sys.exit(main())
