"""Shared by the benchmark scripts: the machine line, medians, percentiles, child runs."""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import PySide6

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
CACHE = REPO / "build" / "bench"


def machine_line() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"machine: {platform.node()} {platform.machine()} {cpu} x{os.cpu_count()}, "
        f"Python {platform.python_version()}, PySide6 {PySide6.__version__}, "
        f"sqlite {sqlite3.sqlite_version}"
    )


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def pack(size: int) -> Path:
    """A generated pack of ``size`` articles, cached under build/bench/."""
    from bench.generate_pack import generate

    root = CACHE / f"pack-{size}"
    if not (root / "pack.toml").exists():
        tmp = CACHE / f"pack-{size}.tmp"
        if tmp.exists():
            import shutil

            shutil.rmtree(tmp)
        generate(tmp, size)
        tmp.rename(root)
    return root


def private_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Config, state, cache in fresh folders: a run never touches anyone's own."""
    home = Path(tempfile.mkdtemp(prefix="kiosk-bench-"))
    env = dict(os.environ)
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        (home / sub).mkdir()
        env[var] = str(home / sub)
    env.update(extra or {})
    return env


def timed_child(cmd: list[str], env: dict[str, str], timeout: float = 120) -> dict[str, float]:
    """Run a child that prints ``painted <s> vmhwm_kb <n>`` lines; their values by key."""
    env = {**env, "KIOSK_BENCH_T0": repr(time.perf_counter())}
    run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=REPO)
    out: dict[str, float] = {}
    for line in run.stdout.splitlines():
        parts = line.split()
        if parts and parts[0] in ("painted", "warmed", "settled", "visited") and len(parts) == 4:
            out[parts[0]] = float(parts[1])
            out[f"{parts[0]}_vmhwm_kb"] = float(parts[3])
    if "painted" not in out:
        raise RuntimeError(
            f"{' '.join(cmd)} exited {run.returncode} without a paint line: "
            f"{run.stderr.strip()[-800:]}"
        )
    return out


def installed(content: Path, name: str, *, rebuild: bool) -> Path:
    """A config file for a kiosk whose store holds ``content`` built, signed and
    installed, as a clinic's kiosk runs; cached under build/bench/ unless ``rebuild``."""
    import shutil

    from kiosk.core.packs.build import build_pack
    from kiosk.core.packs.signing import generate_keypair, load_private_key, public_key_text
    from kiosk.core.packs.store import Store

    root = CACHE / f"store-{name}"
    config = root / "kiosk.toml"
    if config.exists() and not rebuild and _current_format(root / "store"):
        return config
    if root.exists():
        shutil.rmtree(root)
    private, _ = generate_keypair(root / "keys")
    public = public_key_text(load_private_key(private))
    build_pack(content, root / "pack.kpack", private)
    Store(root / "store").install(root / "pack.kpack", (public,))
    (root / "pack.kpack").unlink()
    config.write_text(f'store = "{root / "store"}"\ntrusted_keys = ["{public}"]\n')
    return config


def _current_format(store_root: Path) -> bool:
    """Whether a cached store's pack was built by this version of the kiosk."""
    from kiosk.core.errors import UnreadableFileError
    from kiosk.core.packs.format import CATALOGUE, INDEX
    from kiosk.core.packs.store import Store
    from kiosk.core.search.index import SearchIndex

    folder = Store(store_root).current_pack_dir()
    if folder is None or not (folder / CATALOGUE).exists():
        return False
    try:
        SearchIndex.open(folder / INDEX).close()
    except UnreadableFileError:
        return False
    return True
