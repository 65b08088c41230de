"""Search latency per keystroke on generated packs of 100, 1,000 and 10,000 articles.

Each query is what a patient has typed so far (every prefix of a title or alias, plus
a few misspellings). The baseline is the bare engine in the same run: one raw FTS5
prefix query on the same index file, without folding, synonyms, fuzzy or ranking.
"""

from __future__ import annotations

import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate_pack import generate
from kiosk.core.content.loader import load_pack
from kiosk.core.search.index import SearchIndex

SIZES = (100, 1_000, 10_000)
TARGET_P99_MS = 5.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def keystrokes(names: list[str], rng: random.Random, words: int = 150) -> list[str]:
    queries: list[str] = []
    for name in rng.sample(names, min(words, len(names))):
        queries += [name[:n] for n in range(1, len(name) + 1)]
        if len(name) > 5:  # a typo in the middle, as shaky fingers make
            i = rng.randrange(2, len(name) - 1)
            queries.append(name[:i] + name[i + 1 :])
    return queries


def timed_ms(fn: Callable[[str], object], queries: list[str]) -> list[float]:
    out = []
    for q in queries:
        start = time.perf_counter_ns()
        fn(q)
        out.append((time.perf_counter_ns() - start) / 1e6)
    return out


def main() -> int:
    print(
        f"machine: {platform.node()} {platform.machine()} {platform.python_version()} "
        f"sqlite {sqlite3.sqlite_version}"
    )
    rng = random.Random(7)
    failed = False
    print(
        f"{'articles':>8} {'build s':>8} {'queries':>8} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'base p99':>9} {'ratio':>6}"
    )
    for size in SIZES:
        with tempfile.TemporaryDirectory() as tmp:
            root = generate(Path(tmp) / "pack", size)
            pack = load_pack(root).pack
            assert pack is not None, "generated pack must be valid"
            started = time.perf_counter()
            db_path = Path(tmp) / "search.sqlite"
            SearchIndex.build(pack, db_path).close()
            build_s = time.perf_counter() - started
            index = SearchIndex.open(db_path)
            raw = sqlite3.connect(db_path)
            names = [a.title.lower() for a in pack.articles_in("en")]
            queries = keystrokes(names, rng)
            for q in queries[:50]:  # warm caches the same way for both
                index.search(q, "en")

            def bare(q: str, raw: sqlite3.Connection = raw) -> None:
                term = "".join(c for c in q if c.isalnum())
                if term:
                    raw.execute(
                        "SELECT rowid FROM fts WHERE fts MATCH ? LIMIT 20", (f'"{term}"*',)
                    ).fetchall()

            ours = timed_ms(partial(index.search, locale="en"), queries)
            base = timed_ms(bare, queries)
            p99 = percentile(ours, 99)
            ratio = p99 / max(percentile(base, 99), 1e-6)
            print(
                f"{size:>8} {build_s:>8.2f} {len(queries):>8} {statistics.median(ours):>8.2f} "
                f"{percentile(ours, 95):>8.2f} {p99:>8.2f} {percentile(base, 99):>9.2f} "
                f"{ratio:>6.1f}"
            )
            if size == SIZES[-1] and p99 > TARGET_P99_MS:
                failed = True
            index.close()
            raw.close()
    print(
        f"target: p99 <= {TARGET_P99_MS} ms at {SIZES[-1]:,} articles: "
        f"{'MISSED' if failed else 'met'}"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
