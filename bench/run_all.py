"""`make bench`: every benchmark, each as its own process, into BENCHMARKS.md.

Each figure is a median of several runs, next to a baseline measured the same way in
the same run, with the machine line. The targets are checked here (not by timed unit
tests); the exit status is 1 if any target is missed.

    python bench/run_all.py [--quick] [--out BENCHMARKS.md]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import fleet_check, startup_report
from bench.common import CACHE, PY, REPO, machine_line, median
from bench.startup_report import Row, render_row, scaling_rows, startup_rows

TAP_RUNS = 3
NOTES = """\
{startup}
- Search: bench/search_latency.py as it is (every prefix of 150 titles/aliases plus typos;
  baseline a raw FTS5 prefix query on the same index).
- Tap: bench/tap_latency.py, offscreen, in-process: a QTest click on Next, from just before
  the click to the return of the event processing that painted the card text; the 300 ms
  double-tap guard of TouchButton is cleared between taps.
- Speech mode: bench/speech_latency.py, offscreen, in-process, with a speech-dispatcher
  of its own (espeak-ng, ALSA's null device): Down on the Home screen, and on the A-Z
  page with its keyboard open (about 60 things), to the message's time in
  speech-dispatcher's own log (LogLevel 5), and to the highlight's paint.
- Studio: bench/studio_typing.py, offscreen, in-process, a StudioWindow on a copy of
  content/ (and on a copy with a generated 3,000-word article, 20 cards), QTest keys in
  a paragraph of the middle card. "Processed": from just before the key to the return
  of the event processing that painted the text (the Markdown written again, the
  reading-grade and spelling underlines redone, the hints said); a phrase typed and
  deleted 10 times, taking turns with a bare QPlainTextEdit (and a bare QTextEdit)
  holding the same text. "Preview": from the key to the preview's picture taken with
  the new words in its kiosk's reader (the check's result shown), each key alone; the
  wait for typing to pause is part of it. The article's reading grade under the text
  is the validator's, from that same check: it is updated at the same moment as the
  preview.
- Fleet: bench/fleet_check.py, `kiosk fleet check` as a subprocess against a loopback
  web server serving a `kiosk fleet` repository with a generated pack published; each
  run on a fresh kiosk; wall time and the child's peak RSS (wait4).
- Validate/build: `kiosk content validate|build` as subprocesses on generated packs
  (bench/generate_pack.py).
- Soak: bench/soak.py, offscreen, in-process; warm-up shows every card of every article
  in every look (4 text sizes x 2 fonts x 2 themes) and language, to fill Qt's glyph
  caches, then 10% of the steps at random; RSS and wrappers are read after a reset,
  before and after."""
SOAK_STEPS = 10_000


def run(script: str, *args: str, env: dict[str, str] | None = None, parse_json: bool = True) -> Any:
    """The last JSON line ``script`` printed, parsed; its whole output if not ``parse_json``."""
    started = time.perf_counter()
    print(f"== {script} {' '.join(args)}", file=sys.stderr, flush=True)
    proc = subprocess.run(
        [PY, str(REPO / "bench" / script), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})},
        timeout=1800,
    )
    print(f"   {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    if not parse_json:
        return proc.stdout
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(
            f"{script} printed no result (exit {proc.returncode}): {proc.stderr[-1500:]}"
        )
    return json.loads(lines[-1])


def search_figures(text: str) -> dict[int, dict[str, float]]:
    """The table bench/search_latency.py prints (reused as it is)."""
    rows: dict[int, dict[str, float]] = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 8 and re.fullmatch(r"\d+", parts[0]):
            size, _build, _n, p50, p95, p99, base, _ratio = parts
            rows[int(size)] = {
                "p50": float(p50),
                "p95": float(p95),
                "p99": float(p99),
                "base_p99": float(base),
            }
    return rows


def fmt(value: float | None, unit: str, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f} {unit}".strip()


def studio_rows(studio: dict[str, Any]) -> list[Row]:
    """Typing in the studio (bench/studio_typing.py): a key to the text processed, to
    the preview, and the Markdown writer's share of a key, on each article."""
    rows: list[Row] = []
    wait = studio["settle_ms"]
    for name in ("bundled", "generated"):
        got = studio[name]
        what = f"{got['words']:,}-word article {got['file']}"
        what = f"the longest bundled ({what})" if name == "bundled" else f"a generated {what}"
        key, bare = got["key"]["p95"], got["bare_plain"]["p95"]
        rows.append(
            (
                f"Studio: a key to the text processed, reading-grade underlines redrawn, {what},"
                f" p95 of {got['key']['n']} keys",
                fmt(key, "ms"),
                f"{bare:.2f} ms (bare QPlainTextEdit, same text and keys; bare QTextEdit"
                f" {got['bare_rich']['p95']:.2f} ms)",
                f"{key / max(bare, 1e-6):.2f}x",
                "p95 <= 16 ms",
                key <= 16,
            )
        )
        preview = got["preview"]["p95"]
        rows.append(
            (
                f"Studio: a key to the preview showing it, {what}, p95 of {got['preview']['n']}",
                f"{preview:.0f} ms ({got['preview_after_debounce']['p95']:.0f} ms after the wait)",
                f"{wait} ms (the wait for typing to pause, problems.SETTLE_MS)",
                "n/a",
                f"p95 <= {wait + 1000} ms (the wait + 1 s)",
                preview <= wait + 1000,
            )
        )
        writer, whole = got["writer"], got["key"]["p50"]
        rows.append(
            (
                f"Studio: the Markdown written again per key (markdown_writer.write), {what},"
                " p50 / p95",
                f"{writer['p50']:.2f} / {writer['p95']:.2f} ms",
                fmt(whole, "ms (the whole key, p50)"),
                f"{writer['p50'] / max(whole, 1e-6):.2f}x",
                "(reported)",
                None,
            )
        )
    return rows


def studio_detail(studio: dict[str, Any]) -> list[str]:
    lines = ["## Studio typing detail", ""]
    for name in ("bundled", "generated"):
        got = studio[name]
        lines.append(
            f"- {got['file']} ({got['words']:,} words, {got['blocks']} blocks; the paragraph"
            f" typed in {got['paragraph_chars']} characters): key p50 {got['key']['p50']:.2f}"
            f" ms, max {got['key']['max']:.2f} ms; bare QPlainTextEdit p50"
            f" {got['bare_plain']['p50']:.2f} ms; preview p50 {got['preview']['p50']:.0f} ms,"
            f" of which the wait {studio['settle_ms']} ms, the check (check_with, alone)"
            f" {got['check_ms']:.0f} ms, the studio showing its result {got['show_ms']:.0f}"
            f" ms; the preview's picture changed after {got['changed']} of"
            f" {got['preview']['n']} keys; the writer on the unchanged document"
            f" {got['writer']['unchanged_p50']:.2f} ms; problems: {got['problems'] or 'none'}"
        )
    return lines


def measure_startup(quick: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    cold = run(
        "cold_start.py",
        "--runs",
        "2" if quick else "5",
        *(["--large", "1000"] if quick else []),
    )
    profile = run(
        "start_profile.py",
        str(CACHE / "store-bundled" / "kiosk.toml"),  # installed by cold_start.py
        "--runs",
        "2" if quick else "5",
    )
    return cold, profile


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer runs and steps (a smoke run)")
    parser.add_argument("--out", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument(
        "--startup-only",
        action="store_true",
        help="measure the start-up only, and replace its figures in an existing --out",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    if args.startup_only:
        cold, profile = measure_startup(args.quick)
        replaced = startup_report.replace_in(args.out, cold, profile)
        print("\n".join(render_row(r) for r in replaced))
        return 1 if any(r[5] is False for r in replaced) else 0
    machine = machine_line().replace(
        "QT_QPA_PLATFORM=", "in-process QT_QPA_PLATFORM=offscreen; was "
    )
    load_before = Path("/proc/loadavg").read_text().split()[:3]

    search_text = run("search_latency.py", parse_json=False)
    search = search_figures(search_text)
    taps = [run("tap_latency.py") for _ in range(1 if args.quick else TAP_RUNS)]
    cold, profile = measure_startup(args.quick)
    scaling = run("pack_scaling.py", "--runs", "1" if args.quick else "3")
    soak = run("soak.py", "--json", "--steps", str(1000 if args.quick else SOAK_STEPS))
    speech = run("speech_latency.py")
    studio = run("studio_typing.py")
    fleet = run("fleet_check.py")
    load_after = Path("/proc/loadavg").read_text().split()[:3]

    rows: list[tuple[str, str, str, str, str, bool | None]] = []

    def row(
        what: str, figure: str, baseline: str, ratio: float | None, target: str, met: bool | None
    ) -> None:
        rows.append(
            (what, figure, baseline, "n/a" if ratio is None else f"{ratio:.2f}x", target, met)
        )

    rows += startup_rows(cold)
    for size, fig in sorted(search.items()):
        row(
            f"Search per keystroke, {size:,} articles (p99)",
            fmt(fig["p99"], "ms"),
            fmt(fig["base_p99"], "ms (raw FTS5 prefix query)"),
            fig["p99"] / max(fig["base_p99"], 1e-6),
            "p99 <= 5 ms at 10,000" if size == 10_000 else "(reported)",
            fig["p99"] <= 5.0 if size == 10_000 else None,
        )
    tap_p95 = median([t["p95"] for t in taps])
    tap_base = median([t["base_p95"] for t in taps])
    tap_still = median([t["p95_reduce_motion"] for t in taps])
    row(
        f"Tap on Next to painted card, p95 of {taps[0]['taps']} taps (median of {len(taps)} runs)",
        fmt(tap_p95, "ms"),
        fmt(tap_base, "ms (QPushButton -> QLabel)"),
        tap_p95 / tap_base,
        "p95 <= 16 ms",
        tap_p95 <= 16,
    )
    row(
        "Tap on Next to painted card, reduce motion on (no slide)",
        fmt(tap_still, "ms"),
        fmt(tap_base, "ms"),
        tap_still / tap_base,
        "(reported)",
        None,
    )
    for path, what in (
        ("open", "Tap on a home card to the painted first card, a year of usage counts"),
        ("key", "Tap on a key of the on-screen keyboard to the painted A-Z results"),
    ):
        p95 = median([t[f"{path}_p95"] for t in taps])
        row(
            f"{what}, p95 (median of {len(taps)} runs)",
            fmt(p95, "ms"),
            fmt(tap_base, "ms"),
            p95 / tap_base,
            "p95 <= 16 ms",
            p95 <= 16,
        )
    row(
        "Speech mode: a key to speech-dispatcher receiving the text, p95",
        fmt(speech["heard"]["p95"], "ms"),
        fmt(speech["heard_direct"]["p95"], "ms (the same texts said directly)"),
        speech["heard"]["p95"] / max(speech["heard_direct"]["p95"], 1e-6),
        "p95 <= 150 ms",
        speech["heard"]["p95"] <= 150,
    )
    for key, where in (("ring", "Home"), ("ring_keys", "the A-Z page, keyboard open")):
        row(
            f"Speech mode: a key to the highlight painted, {where}, p95",
            fmt(speech[key]["p95"], "ms"),
            fmt(speech["bare"]["p95"], "ms (QPushButton -> QLabel)"),
            speech[key]["p95"] / max(speech["bare"]["p95"], 1e-6),
            "p95 <= 16 ms",
            speech[key]["p95"] <= 16,
        )
    rows += studio_rows(studio)
    rows += fleet_check.report_rows(fleet)
    rows += scaling_rows(cold)
    for what in ("validate", "build"):
        times = scaling[f"{what}_s"]
        marginal = scaling[f"{what}_marginal_ms"]
        ratio = scaling[f"{what}_linearity"]["ratio"]
        per = ", ".join(
            f"{int(n):,}: {t:.2f} s ({t / int(n) * 1000:.2f} ms/article)" for n, t in times.items()
        )
        spans = list(marginal.items())
        row(
            f"`kiosk content {what}` against size",
            per,
            f"marginal {spans[0][1]:.2f} ms/article ({spans[0][0]})",
            ratio,
            f"close to linear: marginal cost {spans[1][0]} <= 1.5x that of {spans[0][0]}",
            ratio <= 1.5,
        )
    growth_mb = soak["rss_growth_kb"] / 1024
    row(
        f"Soak, {soak['steps']:,} random navigations: RSS growth after warm-up",
        fmt(growth_mb, "MB"),
        fmt(soak["rss_start_kb"] / 1024, "MB after warm-up", 1),
        None,
        "<= 2 MB",
        growth_mb <= 2,
    )
    row(
        "Soak: live Qt wrappers (Shiboken.getAllValidWrappers)",
        f"{soak['wrappers_end']} at the end",
        f"{soak['wrappers_start']} at the start",
        None,
        "back to the start count",
        soak["wrappers_end"] <= soak["wrappers_start"],
    )
    row("Soak: exceptions", str(len(soak["exceptions"])), "", None, "0", not soak["exceptions"])

    missed = [r for r in rows if r[5] is False]
    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (bench/run_all.py) on {now}, "
        f"in {time.perf_counter() - started:.0f} s"
        + (" (--quick: fewer runs)" if args.quick else "")
        + ".",
        "",
        f"`{machine}`",
        "",
        f"Load average before/after: {' '.join(load_before)} / {' '.join(load_after)}"
        " (other work on the machine shows up in every figure).",
        "",
        "Every figure is a median of several runs, next to a baseline measured the same way"
        " in the same run.",
        "",
        "| What | Figure | Baseline | Ratio | Target | Met |",
        "|---|---|---|---|---|---|",
    ]
    lines += [render_row(r) for r in rows]
    lines += [
        "",
        "## How each figure is taken",
        "",
        *NOTES.format(startup=startup_report.NOTE.format(runs=cold["runs"])).splitlines(),
        "",
        *startup_report.profile_section(profile, cold),
        "",
        "## Soak detail",
        "",
        f"- Actions: {json.dumps(soak['actions'])}",
        f"- RSS samples (MB) every {max(1, soak['steps'] // 20)} steps: "
        f"{[round(x / 1024, 1) for x in soak['rss_samples_kb']]}",
        f"- Wrappers: {soak['wrappers_before_warmup']} before warm-up, "
        f"{soak['wrappers_start']} after, {soak['wrappers_end']} at the end",
        f"- {soak['steps']:,} steps in {soak['seconds']:.0f} s",
        "",
        *studio_detail(studio),
    ]
    if soak["exceptions"]:
        lines += ["", "First exception:", "", "```", soak["exceptions"][0], "```"]
    if cold["errors"]:
        lines += ["", f"Cold-start errors: {json.dumps(cold['errors'])}"]
    lines += [
        "",
        "## search_latency.py output",
        "",
        "```",
        *(x for x in search_text.strip().splitlines() if not x.startswith("  ...")),
        "```",
        "",
    ]
    args.out.write_text("\n".join(lines))
    print("\n".join(lines))
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
