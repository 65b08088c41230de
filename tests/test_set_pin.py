"""``kiosk set-pin``, run as a real process, and the config editing behind it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.core.config import ConfigError, load_config, set_config_value
from kiosk.core.pin import verify_pin

EXISTING = """\
# Clinic kiosk settings, Ward 4
idle_timeout = 120   # two minutes

locked = true
# the PIN line goes below
admin_pin_hash = "old"  # set by kiosk set-pin
default_locale = "en"
"""


def set_pin(config: Path | None, pin_input: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "kiosk", "set-pin"]
    if config is not None:
        args += ["--config", str(config)]
    return subprocess.run(
        args, input=pin_input, capture_output=True, text=True, timeout=60, env=os.environ.copy()
    )


def stored_hash(path: Path) -> str:
    return load_config(path, must_exist=True).admin_pin_hash


def test_new_file_gets_a_scrypt_hash_not_the_pin(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "kiosk.toml"
    run = set_pin(path, "2468\n")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"Admin PIN saved in {path}"
    assert "2468" not in run.stdout + run.stderr
    text = path.read_text("utf-8")
    assert "2468" not in text
    assert text.startswith('admin_pin_hash = "scrypt$')
    assert verify_pin("2468", stored_hash(path))
    assert not verify_pin("2469", stored_hash(path))


def test_default_path_is_the_users_config(tmp_path: Path) -> None:
    # conftest points XDG_CONFIG_HOME at a fresh folder for every test
    path = Path(os.environ["XDG_CONFIG_HOME"]) / "clinic-kiosk" / "kiosk.toml"
    run = set_pin(None, "135790\n")
    assert run.returncode == 0, run.stderr
    assert verify_pin("135790", stored_hash(path))


def test_existing_lines_and_comments_survive_and_the_line_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(EXISTING, "utf-8")
    assert set_pin(path, "2468\n").returncode == 0
    first = path.read_text("utf-8").splitlines()
    assert set_pin(path, "97531\n").returncode == 0
    second = path.read_text("utf-8").splitlines()

    for lines in (first, second):
        assert [ln for ln in lines if not ln.startswith("admin_pin_hash")] == [
            ln for ln in EXISTING.splitlines() if not ln.startswith("admin_pin_hash")
        ]
        assert sum(ln.startswith("admin_pin_hash") for ln in lines) == 1
        assert lines.index(next(ln for ln in lines if ln.startswith("admin_pin_hash"))) == 5
        assert lines[5].endswith('"  # set by kiosk set-pin')
    config = load_config(path, must_exist=True)
    assert (config.idle_timeout, config.locked, config.default_locale) == (120, True, "en")
    assert verify_pin("97531", config.admin_pin_hash)
    assert not verify_pin("2468", config.admin_pin_hash)


def test_a_file_without_the_key_gets_it_appended(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text("# settings\nlocked = false", "utf-8")  # no final newline
    assert set_pin(path, "2468\n").returncode == 0
    lines = path.read_text("utf-8").splitlines()
    assert lines[:2] == ["# settings", "locked = false"]
    assert len(lines) == 3 and lines[2].startswith("admin_pin_hash = ")
    assert verify_pin("2468", stored_hash(path))


@pytest.mark.parametrize(
    "bad", ["12", "abcd", "1234567890123", "12 34", "", "\u0661\u0662\u0663\u0664"]
)
def test_bad_pins_are_refused_with_one_line(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text(EXISTING, "utf-8")
    run = set_pin(path, bad + "\n")
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith("kiosk: ") and "nothing was saved" in run.stderr
    assert run.stdout == ""
    assert path.read_text("utf-8") == EXISTING


def test_pin_rule_is_named(tmp_path: Path) -> None:
    run = set_pin(tmp_path / "kiosk.toml", "abcd\n")
    assert run.stderr.strip() == "kiosk: the PIN must be 4 to 12 digits (0-9); nothing was saved"
    assert not (tmp_path / "kiosk.toml").exists()


def test_a_broken_config_is_reported_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_text("locked = \n", "utf-8")
    run = set_pin(path, "2468\n")
    assert run.returncode == 1
    assert run.stderr.startswith(f"kiosk: {path}: not valid TOML")
    assert len(run.stderr.strip().splitlines()) == 1
    assert path.read_text("utf-8") == "locked = \n"


# --- set_config_value on its own -----------------------------------------------------


def test_set_config_value_keeps_crlf_bom_and_multiline_values(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_bytes(b'\xef\xbb\xbf# x\r\nadmin_pin_hash = """\r\nold"""\r\nlocked = true\r\n')
    set_config_value(path, "admin_pin_hash", '"new"')
    assert path.read_bytes() == (b'\xef\xbb\xbf# x\r\nadmin_pin_hash = "new"\r\nlocked = true\r\n')


def test_set_config_value_adds_top_level_keys_before_tables(tmp_path: Path) -> None:
    path = tmp_path / "other.toml"
    path.write_text('a = 1\n[table]\nadmin_pin_hash = "in a table"\n', "utf-8")
    set_config_value(path, "admin_pin_hash", '"top"')
    assert path.read_text("utf-8") == (
        'a = 1\nadmin_pin_hash = "top"\n[table]\nadmin_pin_hash = "in a table"\n'
    )


def test_set_config_value_keeps_crlf_for_an_added_key_and_the_file_mode(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    path.write_bytes(b"locked = true\r\n[table]\r\nx = 1\r\n")
    path.chmod(0o600)
    set_config_value(path, "trusted_keys", '["a"]')
    assert path.read_bytes() == b'locked = true\r\ntrusted_keys = ["a"]\r\n[table]\r\nx = 1\r\n'
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk.toml"]  # no temporary file left


def test_set_config_value_refuses_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.toml"
    with pytest.raises(ValueError, match="not a TOML value"):
        set_config_value(path, "locked", "yes please")
    set_config_value(path, "a b", "1")  # tomlkit quotes a key that needs it
    assert path.read_text("utf-8") == '"a b" = 1\n'
    path.write_text("[[broken\n", "utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        set_config_value(path, "locked", "true")
    assert path.read_text("utf-8") == "[[broken\n"


@pytest.mark.parametrize("pin", ["123", "1234567890123", "12a4", "\u0661\u0662\u0663\u0664", ""])
def test_hash_pin_refuses_what_set_pin_refuses_with_a_kiosk_error(pin: str) -> None:
    """One rule (kiosk.core.pin.pin_problem): hash_pin took Arabic-Indic digits that
    set-pin refused, and raised a ValueError, which `except ValueError` mixes with bugs."""
    from kiosk.core.errors import KioskError
    from kiosk.core.pin import hash_pin, pin_problem

    with pytest.raises(KioskError, match=r"^the PIN must be 4 to 12 digits \(0-9\)$"):
        hash_pin(pin)
    assert pin_problem(pin) == "the PIN must be 4 to 12 digits (0-9)"
    assert pin_problem("2468") is None
