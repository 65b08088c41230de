"""The start-up part of BENCHMARKS.md, from bench/cold_start.py and bench/start_profile.py.

Cold start and peak RSS at two points of a kiosk's start, each against the bare window
of the same run: the first paint of the welcome screen, and the end of the warm-up that
follows it (every page made, the search tables warm: kiosk.ui.controllers.warm_up).
Targets: 1.5x the bare window's start, the bare window's RSS + 30 MB.

``bench/run_all.py`` puts these rows and sections into the whole report;
``bench/run_all.py --startup-only`` measures only these and replaces them in an
existing BENCHMARKS.md, leaving the other figures as they were.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

Row = tuple[str, str, str, str, str, bool | None]  # what, figure, baseline, ratio, target, met
RATIO = 1.5
EXTRA_MB = 30
START_TARGET = f"<= {RATIO}x baseline"
RSS_TARGET = f"<= baseline + {EXTRA_MB} MB"
# The table's start-up rows begin with these words (to replace them in --startup-only).
ROW_PREFIXES = ("Cold start", "Peak RSS", "Start at")
SECTION = "## Where the start goes"
RUNS_LINE = "All cold-start runs, first paint (s)"
WHY = """\
### What the first frame waits for, and what is left

`kiosk run` makes only what the welcome screen needs before it paints
(kiosk.ui.first_frame): the window with its top bar (hidden there; its icons, and Qt's
SVG module, come later), the stack, the welcome page in every language, the staff
corner, the session and the interface's words. The kiosk's parts (navigation, read
aloud, staff mode, speech mode, the idle policy: kiosk.ui.assembly) are made in the
warm-up's first step, once it has painted, or at once by a key or press that comes
sooner, which then goes to them (tests/test_first_frame.py: Start tapped as it paints
reaches Home; a keypad's first key starts speech mode; the welcome screen's pixels are
the same before and after the parts come). The other pages, the easier-to-read font,
the read-aloud engine, speech mode's reading order, the store's watch and the warm-up
of the search tables, Markdown and QR codes follow, one step per turn of the event loop
(the "after the first paint" rows above), so a tap in between waits for one step at
most (the longest, the A-Z page, 85-190 ms); a page asked for sooner is made then.
The Qt-free modules of the first frame are imported before PySide6
(kiosk/before_qt.py): PySide6 reads the source file of every module imported after it
(its `__feature__` import hook). The frozen bundle keeps its
modules as files rather than in PyInstaller's archive (kiosk.spec, `noarchive`): in
one run of 7 interleaved starts each, its first paint took 0.596 s with the archive and
0.487 s without (medians; bare window 0.216 s).

The 1.5x target is still missed: 2.22x from source and 2.64x frozen on 2026-12-03,
against 2.55x and 3.05x the day before, but the bare window itself was 1.6x slower
that day. Against the floor window of the same runs, which moves with the machine as
the kiosk does, the kiosk went from 1.76x to 1.68x (frozen 2.10x to 2.00x).
The floor window (bench/floor_window.py) does only what any first frame of this kiosk
must do, and nothing of the kiosk's own: the `Qt` namespace (PySide6 makes its 120
Python enum classes, 17-30 ms, on the first use of any alignment or flag), a TOML
config, an Ed25519 check with cryptography, the bundled fonts and one styled label. It
alone is 1.1-1.45x the bare window, which leaves the kiosk's own work 5-40 ms of room.
What it does before the first paint, from the profile above: its Qt-free modules (the
command line and config with tomllib and platformdirs, the pack's metadata, the store,
the integrity check, the catalogue and sqlite3, the search index's module: about half
of it the standard library's and cryptography's) are the first row; the UI modules the
welcome screen needs (the `Qt` namespace, QStyle's enum classes for the touch buttons,
the window, the theme, the log) the third; making and painting the welcome screen about
30 ms more. Moving the signature check after the paint would show a pack's languages
before it is trusted; a painted picture of the welcome screen before Qt's widgets would
meet the figure without making the first tap any sooner. Neither is done.

After the warm-up the kiosk holds every page and the warm search tables: the RSS
after it is the whole kiosk's, and the +30 MB target is missed by what the pages (about
10 MB), the search tables, Markdown and QR code modules (about 10 MB) need. (Qt's speech
module, 3.5 MB of it, is no longer loaded: the kiosk speaks SSIP itself since
2026-12-03.)"""
NOTE = """\
- Cold start: `python -m kiosk run --windowed --config FILE` as a subprocess, on a pack
  built, signed and installed into the config's store first (as a clinic's kiosk starts),
  from just before the spawn to the first paint of the welcome screen, and on to the end
  of the warm-up after it (`KIOSK_BENCH_EXIT_AFTER_PAINT=1 KIOSK_BENCH_WARMED=1`,
  kiosk/ui/system/benchhook.py); baseline bench/bare_window.py, a bare QWidget shown the
  same way, in the same run, interleaved. {runs} runs each after one unmeasured warm-up
  run; byte code cached in build/bench/pycache. "From a content folder" is
  `--content content/`, which loads and checks every file (the preview's way).
- Peak RSS: VmHWM from /proc/self/status in the child at first paint and at the end of
  the warm-up; the visit run then waits 2.5 s (the pack's background check) and opens
  every article and every card in the same process."""


def fmt(value: float | None, unit: str, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f} {unit}".strip()


def _row(
    what: str, figure: str, baseline: str, ratio: float | None, target: str, met: bool | None
) -> Row:
    return (what, figure, baseline, "n/a" if ratio is None else f"{ratio:.2f}x", target, met)


def _start_row(what: str, seconds: float | None, bare: float, baseline: str) -> Row:
    ratio = None if seconds is None else seconds / bare
    met = None if ratio is None else ratio <= RATIO
    return _row(what, fmt(seconds, "s", 3), fmt(bare, baseline, 3), ratio, START_TARGET, met)


def _rss_row(what: str, mb: float | None, bare: float) -> Row:
    figure = "n/a" if mb is None else f"{mb:.1f} MB (+{mb - bare:.1f} MB)"
    met = None if mb is None else mb <= bare + EXTRA_MB
    return _row(
        what, figure, fmt(bare, "MB", 1), None if mb is None else mb / bare, RSS_TARGET, met
    )


def startup_rows(cold: dict[str, Any]) -> list[Row]:
    """Cold start and peak RSS at the first paint and after the warm-up, against the
    bare window; the frozen bundle; the RSS after every article is read."""
    start, rss, warmed = cold["start_s"], cold["vmhwm_mb"], cold.get("warmed_s", {})
    warmed_rss = cold.get("warmed_vmhwm_mb", {})
    bare, bare_mb = start["bare"], rss["bare"]
    where = f"from source ({cold['display']})"
    rows = [
        _start_row(
            f"Cold start to the first painted welcome screen, {where}",
            start["kiosk"],
            bare,
            "s (bare window)",
        ),
        _start_row(
            "Cold start to the end of the warm-up (every page made, search tables warm), same runs",
            warmed.get("kiosk"),
            bare,
            "s (bare window, first paint)",
        ),
    ]
    if start.get("floor") is not None:
        rows.append(
            _row(
                "Cold start of the floor window (bench/floor_window.py: the Qt namespace, "
                "TOML, an Ed25519 check, the fonts, one label), same runs",
                fmt(start["floor"], "s", 3),
                fmt(bare, "s (bare window)", 3),
                start["floor"] / bare,
                "(reported: the least a first frame does)",
                None,
            )
        )
    if cold["frozen_present"] and start.get("frozen"):
        rows.append(
            _start_row(
                "Cold start to the first paint, frozen bundle dist/kiosk/kiosk",
                start["frozen"],
                bare,
                "s (bare window, from source)",
            )
        )
    else:
        reason = cold["errors"].get("frozen", "dist/kiosk/kiosk does not exist")
        rows.append(
            _row(
                "Cold start, frozen bundle dist/kiosk/kiosk",
                f"not measured: {reason[:120]}",
                "",
                None,
                START_TARGET,
                None,
            )
        )
    rows += [
        _rss_row("Peak RSS (VmHWM) at the first paint", rss["kiosk"], bare_mb),
        _rss_row("Peak RSS at the end of the warm-up", warmed_rss.get("kiosk"), bare_mb),
        _rss_row(
            "Peak RSS 2.5 s after the warm-up (the pack's background check done)",
            cold["settled_vmhwm_mb"],
            bare_mb,
        ),
        _rss_row(
            f"Peak RSS after visiting every article and card "
            f"({cold['visited_articles']:.0f} articles)",
            cold["visit_all_vmhwm_mb"],
            bare_mb,
        ),
    ]
    if cold["frozen_present"] and rss.get("frozen"):
        rows.append(_rss_row("Peak RSS at the first paint, frozen bundle", rss["frozen"], bare_mb))
    return rows


def scaling_rows(cold: dict[str, Any]) -> list[Row]:
    """The start against the pack's size and against a content folder."""
    start, rss, large = cold["start_s"], cold["vmhwm_mb"], cold["large_articles"]
    return [
        _row(
            f"Start at {large:,} articles against the bundled {cold['bundled_articles']} articles",
            fmt(start["kiosk_large"], "s", 2),
            fmt(start["kiosk"], "s (bundled content)", 3),
            start["kiosk_large"] / start["kiosk"],
            "<= 1.1x",
            start["kiosk_large"] <= 1.1 * start["kiosk"],
        ),
        _row(
            "Cold start from a content folder (validates every file), bundled content",
            fmt(start["kiosk_folder"], "s", 3),
            fmt(start["kiosk"], "s (installed pack)", 3),
            start["kiosk_folder"] / start["kiosk"],
            "(reported)",
            None,
        ),
        _row(
            f"Peak RSS after start at {large:,} articles",
            fmt(rss["kiosk_large"], "MB", 1),
            fmt(rss["kiosk"], "MB (bundled content)", 1),
            rss["kiosk_large"] / rss["kiosk"],
            "(reported)",
            None,
        ),
    ]


def profile_section(profile: dict[str, Any], cold: dict[str, Any]) -> list[str]:
    """'Where the start goes': each step's time and RSS, and why targets are missed."""
    return [
        SECTION,
        "",
        f"bench/start_profile.py, offscreen, in one process, median of {profile['runs']} runs:"
        " each step of kiosk/ui/app.py on the installed bundled pack, then each step of the"
        " warm-up after the first paint, with the RSS after it and the number of Python enum"
        " classes PySide6 has made by then (it makes one the first time a Qt enum type, or"
        " the `Qt` namespace, is used).",
        "",
        "| Step | ms | RSS after (MB) | Qt enum classes |",
        "|---|---|---|---|",
        *(
            f"| {name} | {s['ms']:.1f} | {s['rss_mb']:.1f} | {s['qt_enums']:.0f} |"
            for name, s in profile["steps"].items()
        ),
        "",
        f"{RUNS_LINE}: {json.dumps(cold['start_all_s'])}",
        "",
        *WHY.splitlines(),
    ]


def render_row(row: Row) -> str:
    what, figure, baseline, ratio, target, met = row
    verdict = "n/a" if met is None else ("met" if met else "**missed**")
    return f"| {what} | {figure} | {baseline} | {ratio} | {target} | {verdict} |"


def replace_in(path: Path, cold: dict[str, Any], profile: dict[str, Any]) -> list[Row]:
    """Put the start-up rows, notes and section into the report at ``path`` in place of
    the ones there; the other figures stay as they were. Returns the new rows."""
    lines = path.read_text("utf-8").splitlines()
    lines = [x for x in lines if not x.strip().startswith("All cold-start runs")]
    top = next(i for i, line in enumerate(lines) if line.startswith("|"))
    bottom = next(i for i in range(top, len(lines)) if not lines[i].startswith("|"))
    table = list(range(top, bottom))  # the first table: the figures
    head, rows = table[:2], table[2:]
    kept = [lines[i] for i in rows if not lines[i][2:].startswith(ROW_PREFIXES)]
    new = startup_rows(cold) + scaling_rows(cold)
    # The start against the pack's size goes after the tap rows, as in the whole report.
    at = next((i for i, row in enumerate(kept) if row.startswith("| `kiosk content")), len(kept))
    scaling = [render_row(r) for r in new[-3:]]
    body = [render_row(r) for r in new[:-3]] + kept[:at] + scaling + kept[at:]
    out = lines[: head[0]] + [lines[i] for i in head] + body + lines[table[-1] + 1 :]
    first = next(i for i, line in enumerate(out) if line.startswith("- Cold start:"))
    after = next(i for i in range(first + 1, len(out)) if out[i].startswith("- Search:"))
    out[first:after] = NOTE.format(runs=cold["runs"]).splitlines()
    begin = out.index(SECTION)
    end = next(i for i in range(begin + 1, len(out)) if out[i].startswith("## "))
    out[begin:end] = [*profile_section(profile, cold), ""]
    at = next(i for i, line in enumerate(out) if line.startswith("Written by"))
    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    written = out[at].split("; the start-up figures")[0].rstrip(".")
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    out[at] = (
        f"{written}; the start-up figures by `bench/run_all.py --startup-only` on {now}"
        f" (load average after: {load})."
    )
    path.write_text("\n".join(out) + "\n", "utf-8")
    return new
