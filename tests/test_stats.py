"""Usage counts: per article per day, nothing finer, and never in the order read. No Qt."""

from __future__ import annotations

import io
import json
import logging
import re
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from kiosk.core.content.pack import Pack
from kiosk.core.stats import DB_FILE, UsageCounts, read_rows
from kiosk.ui.theme import Theme

DAY = date(2026, 3, 14)
NEXT = DAY + timedelta(days=1)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "state" / DB_FILE


def counts(path: Path, keep_days: int = 100_000) -> UsageCounts:
    # Fixed days in the past: keep them all, whatever today is.
    return UsageCounts(path, keep_days=keep_days)


def test_opens_of_one_article_on_one_day_add_up(db: Path) -> None:
    with counts(db) as usage:
        for _ in range(3):
            usage.record("hiv-testing", "en", DAY)
        assert usage.rows() == [(DAY, "en", "hiv-testing", 3)]


def test_days_and_languages_are_counted_apart(db: Path) -> None:
    with counts(db) as usage:
        usage.record("hiv-testing", "en", DAY)
        usage.record("hiv-testing", "en", NEXT)
        usage.record("hiv-testing", "es", NEXT)
        usage.record("hiv-testing", "en", NEXT)
        assert usage.rows() == [
            (DAY, "en", "hiv-testing", 1),
            (NEXT, "en", "hiv-testing", 2),
            (NEXT, "es", "hiv-testing", 1),
        ]


def test_without_a_day_it_counts_today(db: Path) -> None:
    with counts(db) as usage:
        usage.record("asthma", "en")
        assert usage.rows() == [(date.today(), "en", "asthma", 1)]


def test_rows_are_sorted_by_day_locale_slug_and_since_filters(db: Path) -> None:
    with counts(db) as usage:
        for slug, locale, day in [
            ("zika", "en", NEXT),
            ("asthma", "es", DAY),
            ("needle-exchange", "en", NEXT),
            ("asthma", "en", NEXT),
            ("zika", "en", DAY),
        ]:
            usage.record(slug, locale, day)
        assert [row[:3] for row in usage.rows()] == [
            (DAY, "en", "zika"),
            (DAY, "es", "asthma"),
            (NEXT, "en", "asthma"),
            (NEXT, "en", "needle-exchange"),
            (NEXT, "en", "zika"),
        ]
        assert {row[0] for row in usage.rows(since=NEXT)} == {NEXT}
        for _ in range(4):
            usage.record("asthma", "en", NEXT)
        out = io.StringIO()
        # Only asthma reached 5 that day: 1 view of needle-exchange would point at one person.
        assert usage.export_csv(out, since=NEXT) == 1
        assert out.getvalue().splitlines() == [
            "day,locale,slug,count",
            "2026-03-15,en,asthma,5",
        ]


@pytest.mark.parametrize("count", range(1, 12))
def test_no_export_ever_shows_a_count_below_five(db: Path, count: int) -> None:
    with counts(db) as usage:
        for _ in range(count):
            usage.record("harm-reduction-therapy", "en", DAY)
        out = io.StringIO()
        usage.export_csv(out)
    shown = [int(line.rsplit(",", 1)[1]) for line in out.getvalue().splitlines()[1:]]
    assert shown == ([count] if count >= 5 else [])


def test_the_file_has_day_locale_slug_count_and_a_schema_version_only(db: Path) -> None:
    with counts(db) as usage:
        usage.record("hiv-testing", "en", DAY)
    conn = sqlite3.connect(db)
    try:
        tables = {
            name: sql
            for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type='table'")
        }
        assert set(tables) == {"views", "meta"}
        assert "WITHOUT ROWID" in tables["views"].upper()
        columns = [row[1] for row in conn.execute("PRAGMA table_info(views)")]
        assert columns == ["day", "locale", "slug", "count"]
        assert [row[1] for row in conn.execute("PRAGMA table_info(meta)")] == ["key", "value"]
        assert conn.execute("SELECT key, value FROM meta").fetchall() == [("schema_version", "1")]
        with pytest.raises(sqlite3.OperationalError):
            conn.execute("SELECT rowid FROM views")
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        conn.close()


def test_nothing_on_disk_holds_a_time_of_day(db: Path) -> None:
    with counts(db) as usage:
        usage.record("hiv-testing", "en")
        usage.record("needle-exchange", "en", datetime(2026, 3, 14, 23, 59, 58))
        assert (date(2026, 3, 14), "en", "needle-exchange", 1) in usage.rows()
        # No WAL, journal or other file beside it, even while the kiosk is open.
        assert sorted(p.name for p in db.parent.iterdir()) == [DB_FILE]
    raw = db.read_bytes()
    assert re.search(rb"\d{1,2}:\d{2}", raw) is None
    assert re.search(rb"\d{4}-\d{2}-\d{2}T", raw) is None
    assert b"2026-03-14" in raw  # the day itself is there, as plain text


def test_something_that_is_not_a_slug_is_neither_stored_nor_logged(
    db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    typed = "where to get clean needles"
    with counts(db) as usage, caplog.at_level(logging.DEBUG, logger="kiosk.core.stats"):
        usage.record(typed, "en", DAY)
        usage.record("asthma", "english", DAY)
        assert usage.rows() == []
    assert typed.encode() not in db.read_bytes()
    assert typed not in caplog.text and "english" not in caplog.text


def test_disabled_counts_nothing_and_creates_no_file(db: Path) -> None:
    usage = UsageCounts(db, enabled=False)
    usage.record("hiv-testing", "en", DAY)
    assert usage.rows() == []
    assert usage.prune() == 0
    usage.close()
    assert not db.parent.exists()


def test_an_unwritable_place_logs_one_warning_and_never_raises(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "afile").write_text("not a folder", encoding="utf-8")
    path = tmp_path / "afile" / DB_FILE
    with caplog.at_level(logging.WARNING, logger="kiosk.core.stats"):
        usage = UsageCounts(path)
        for _ in range(5):
            usage.record("hiv-testing", "en", DAY)
        usage.prune()
        usage.close()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, caplog.text
    assert str(path) in warnings[0].getMessage()
    assert (tmp_path / "afile").read_text(encoding="utf-8") == "not a folder"


def test_a_write_error_after_opening_is_logged_not_raised(
    db: Path, caplog: pytest.LogCaptureFixture
) -> None:
    usage = counts(db)
    conn = usage._conn
    assert conn is not None
    conn.execute("PRAGMA query_only = ON")  # every write now fails, as on a full disk
    with caplog.at_level(logging.WARNING, logger="kiosk.core.stats"):
        usage.record("hiv-testing", "en", DAY)
        usage.record("hiv-testing", "en", DAY)
    assert len(caplog.records) == 1 and "cannot count" in caplog.records[0].getMessage()
    conn.execute("PRAGMA query_only = OFF")
    usage.record("hiv-testing", "en", DAY)
    assert usage.rows() == [(DAY, "en", "hiv-testing", 1)]
    usage.close()


def _layout(path: Path) -> bytes:
    """The file without the header's write counter and library version."""
    raw = bytearray(path.read_bytes())
    raw[24:28] = b"\0" * 4
    raw[92:100] = b"\0" * 8
    return bytes(raw)


def test_the_file_does_not_reveal_the_order_articles_were_read(tmp_path: Path) -> None:
    # The same counts, read in opposite orders; crossing the counts where SQLite needs a
    # bigger cell (1, 2 and 128), which is when a cell would move.
    reads = ["hiv-testing"] * 130 + ["needle-exchange"] * 3 + ["asthma"] * 129 + ["zika"]
    files = []
    for name, order in (("a", reads), ("b", reads[::-1])):
        path = tmp_path / name / DB_FILE
        with counts(path) as usage:
            for slug in order:
                usage.record(slug, "en", DAY)
            assert [row[3] for row in usage.rows()] == [129, 130, 3, 1]
        files.append(_layout(path))
    assert files[0] == files[1]


def test_prune_removes_rows_older_than_keep_days(db: Path) -> None:
    today = date.today()
    with counts(db) as usage:
        usage.record("asthma", "en", today - timedelta(days=500))
        usage.record("asthma", "en", today - timedelta(days=401))
        usage.record("asthma", "en", today - timedelta(days=400))
        usage.record("asthma", "en", today)
        assert usage.prune(400) == 2
        assert [row[0] for row in usage.rows()] == [today - timedelta(days=400), today]
    with UsageCounts(db) as usage:  # opening prunes with the default, 400 days
        assert len(usage.rows()) == 2
    with UsageCounts(db, keep_days=10) as usage:
        assert usage.rows() == [(today, "en", "asthma", 1)]


# --- kiosk stats export, as a real process --------------------------------------------


def kiosk(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args], capture_output=True, text=True, timeout=60
    )


def write_config(tmp_path: Path, **extra: object) -> Path:
    config = tmp_path / "kiosk.toml"
    lines = [f"state = {json.dumps(str(tmp_path / 'state'))}"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in extra.items()]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return config


def fill(tmp_path: Path) -> None:
    with counts(tmp_path / "state" / DB_FILE) as usage:
        for slug, locale, day, times in [
            ("zika", "es", NEXT, 5),
            ("asthma", "en", NEXT, 7),
            ("hiv-testing", "en", DAY, 5),
            ("asthma", "en", DAY, 4),  # below 5: never exported
        ]:
            for _ in range(times):
                usage.record(slug, locale, day)


def test_export_prints_a_header_and_sorted_rows(tmp_path: Path) -> None:
    fill(tmp_path)
    run = kiosk("stats", "export", "--csv", "--config", str(write_config(tmp_path)))
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "day,locale,slug,count",
        "2026-03-14,en,hiv-testing,5",
        "2026-03-15,en,asthma,7",
        "2026-03-15,es,zika,5",
    ]
    assert run.stderr == ""


def test_export_since_and_to_a_file(tmp_path: Path) -> None:
    fill(tmp_path)
    out = tmp_path / "out.csv"
    config = str(write_config(tmp_path))
    run = kiosk("stats", "export", "--csv", "--since", "2026-03-15", "--config", config)
    assert run.stdout.splitlines()[1:] == ["2026-03-15,en,asthma,7", "2026-03-15,es,zika,5"]
    run = kiosk(
        "stats", "export", "--csv", "--since", "2026-03-16", "--config", config, "-o", str(out)
    )
    assert run.returncode == 0 and run.stdout == ""
    assert out.read_text(encoding="utf-8") == "day,locale,slug,count\n"


@pytest.mark.parametrize("since", ["2026-13-01", "yesterday", "20260314", "2026-03-14T10:00"])
def test_export_with_a_bad_since_is_one_line_and_exit_2(tmp_path: Path, since: str) -> None:
    run = kiosk(
        "stats", "export", "--csv", "--since", since, "--config", str(write_config(tmp_path))
    )
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.strip().splitlines() == [
        f"kiosk: --since {since}: not a date; use YYYY-MM-DD"
    ]


def test_export_before_any_counts_prints_the_header_and_a_note(tmp_path: Path) -> None:
    run = kiosk("stats", "export", "--csv", "--config", str(write_config(tmp_path)))
    assert run.returncode == 0
    assert run.stdout == "day,locale,slug,count\n"
    assert "no usage counts yet" in run.stderr
    assert not (tmp_path / "state").exists()  # exporting never creates the file


def test_export_with_counting_off_says_so_and_exits_0(tmp_path: Path) -> None:
    fill(tmp_path)
    run = kiosk(
        "stats", "export", "--csv", "--config", str(write_config(tmp_path, usage_counts=False))
    )
    assert run.returncode == 0
    assert run.stdout == ""
    assert "usage counts are off" in run.stderr


def test_export_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    fill(tmp_path)
    db = tmp_path / "state" / DB_FILE
    before = db.read_bytes()
    assert (
        kiosk("stats", "export", "--csv", "--config", str(write_config(tmp_path))).returncode == 0
    )
    assert db.read_bytes() == before
    assert sorted(p.name for p in db.parent.iterdir()) == [DB_FILE]


@pytest.mark.parametrize("count_sensitive", [False, True])
def test_sensitive_articles_are_left_out_of_the_counts_unless_staff_choose(
    qtbot: QtBot,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    tmp_path: Path,
    count_sensitive: bool,
) -> None:
    from conftest import make_kiosk

    usage = UsageCounts(tmp_path / "usage.sqlite")
    parts = make_kiosk(
        qtbot, bundled_pack, theme, pin_hash, usage=usage, count_sensitive_articles=count_sensitive
    )
    window = parts.window
    window.session.open_home()
    parts.navigator.open_article("heart-attack")
    parts.navigator.open_article("harm-reduction-therapy")  # sensitive: true
    assert usage.flush()
    counted = {slug for _, _, slug, _ in usage.rows()}
    usage.close()
    assert counted == (
        {"heart-attack", "harm-reduction-therapy"} if count_sensitive else {"heart-attack"}
    )


def test_opening_an_article_never_writes_on_the_gui_thread(
    qtbot: QtBot,
    bundled_pack: Pack,
    theme: Theme,
    pin_hash: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A write and its VACUUM cost 23 ms median, 49 ms at worst, with a year of counts:
    more than a frame (issue 13). The window queues the count; a writer thread writes
    it, even while a reader (kiosk stats export) holds the file for a moment."""
    import threading

    from conftest import make_kiosk

    usage = UsageCounts(tmp_path / "usage.sqlite")
    writers: list[str] = []
    record = UsageCounts.record

    def noting_the_thread(self: UsageCounts, *args: Any, **kwargs: Any) -> None:
        writers.append(threading.current_thread().name)
        record(self, *args, **kwargs)

    monkeypatch.setattr(UsageCounts, "record", noting_the_thread)
    parts = make_kiosk(qtbot, bundled_pack, theme, pin_hash, usage=usage)
    window = parts.window
    window.session.open_home()
    reader = sqlite3.connect(tmp_path / "usage.sqlite", isolation_level=None)
    reader.execute("BEGIN EXCLUSIVE")  # the writer must wait; the window must not
    parts.navigator.open_article("heart-attack")
    shown = window.reader.article  # shown while the file is locked
    assert shown is not None and shown.slug == "heart-attack"
    reader.execute("COMMIT")
    reader.close()
    assert usage.flush()
    assert writers and threading.main_thread().name not in writers
    assert [(slug, count) for _, _, slug, count in usage.rows()] == [("heart-attack", 1)]
    usage.close()


def test_close_writes_what_is_queued(tmp_path: Path) -> None:
    usage = UsageCounts(tmp_path / "usage.sqlite")
    for _ in range(20):
        usage.record_soon("heart-attack", "en")
    usage.close()
    assert read_rows(tmp_path / "usage.sqlite")[0][1:] == ("en", "heart-attack", 20)
