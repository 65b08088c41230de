"""The kiosk's TOML config: defaults, checked values, one-line errors naming key and file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.core.config import ConfigError, KioskConfig, default_config_path, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, "utf-8")
    return path


def test_no_file_means_the_documented_defaults() -> None:
    config = load_config(None)
    assert config == KioskConfig()
    assert (config.idle_timeout, config.idle_warning, config.default_locale) == (90, 30, "en")
    assert "clinic-kiosk" in str(default_config_path())


def test_values_and_relative_paths_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'idle_timeout = 120\nidle_warning = 45\ndefault_locale = "es"\nlocked = true\n'
        'content = "pack"\nhide_cursor = true\n',
    )
    config = load_config(path)
    assert (config.idle_timeout, config.idle_warning, config.default_locale) == (120, 45, "es")
    assert config.locked and config.hide_cursor
    assert config.content == (tmp_path / "pack").resolve()


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("idle_timeout = 5\n", "idle_timeout"),
        ('idle_timeout = "90"\n', "idle_timeout"),
        ("idle_warning = 10\n", "idle_warning"),  # under the 20 s WCAG 2.2.1 asks for
        ("locked = 1\n", "locked"),
        ('default_locale = "english"\n', "default_locale"),
        ("idle_timout = 90\n", "unknown key 'idle_timout'"),
        ("config_version = 7\n", "config_version 7"),
        ("idle_timeout = \n", "not valid TOML"),
    ],
)
def test_bad_values_give_one_line_naming_key_and_file(
    tmp_path: Path, text: str, names: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert names in message and str(path) in message
    assert "\n" not in message


def test_a_named_config_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such config file"):
        load_config(tmp_path / "missing.toml", must_exist=True)


def test_kiosk_run_with_a_bad_config_exits_2_with_one_line(tmp_path: Path) -> None:
    path = write(tmp_path, "idle_timeout = -1\n")
    run = subprocess.run(
        [sys.executable, "-m", "kiosk", "run", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "idle_timeout" in run.stderr


def test_kiosk_run_with_a_content_folder_that_is_not_a_pack(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "kiosk", "run", "--content", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert "no pack.toml" in run.stderr and "Traceback" not in run.stderr


# --- every key checked: default_locale and admin_pin_hash (issue 13, item 6) -------------


@pytest.mark.parametrize("locale", ["zz", "qq", "xx"])
def test_a_default_locale_the_kiosk_cannot_show_is_an_error_at_its_line(
    tmp_path: Path, locale: str
) -> None:
    path = write(tmp_path, f'idle_timeout = 90\n\ndefault_locale = "{locale}"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:3: 'default_locale'"), message
    assert f"'{locale}'" in message and '"en"' in message and '"es"' in message
    assert "\n" not in message


@pytest.mark.parametrize("locale", ["en", "es"])
def test_the_languages_the_kiosk_shows_are_accepted(tmp_path: Path, locale: str) -> None:
    assert load_config(write(tmp_path, f'default_locale = "{locale}"\n')).default_locale == locale


@pytest.mark.parametrize(
    "stored",
    [
        "not-a-hash",
        "2468",  # the PIN itself, typed in by hand
        "scrypt$16384$8$1$c2FsdA==",  # cut short
        "bcrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$ZGlnZXN0ZGlnZXN0ZGlnZXN0ZGlnZXN0ZGlnZXN0",
        "scrypt$16384$8$1$not base64!$ZGlnZXN0",
        "scrypt$1000$8$1$c2FsdHNhbHRzYWx0c2FsdA==$ZGlnZXN0ZGlnZXN0ZGlnZXN0ZGlnZXN0ZGlnZXN0",
        "scrypt$1048576$8$1$c2FsdHNhbHRzYWx0c2FsdA==$ZGlnZXN0ZGlnZXN0ZGlnZXN0ZGlnZXN0ZGlnZXN0",
    ],
    ids=["text", "the PIN", "cut short", "another scheme", "bad base64", "n not 2^k", "n huge"],
)
def test_a_malformed_admin_pin_hash_is_an_error_at_its_line(tmp_path: Path, stored: str) -> None:
    path = write(tmp_path, f'# kiosk\nlocked = true\nadmin_pin_hash = "{stored}"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:3: 'admin_pin_hash'"), message
    assert "kiosk set-pin" in message
    assert stored not in message  # a PIN typed in by mistake is not echoed to the journal
    assert "\n" not in message


def test_a_hash_written_by_set_pin_is_accepted(tmp_path: Path) -> None:
    from kiosk.core.pin import hash_pin, verify_pin

    stored = hash_pin("2468")
    config = load_config(write(tmp_path, f'admin_pin_hash = "{stored}"\n'))
    assert verify_pin("2468", config.admin_pin_hash)


def test_kiosk_run_with_a_default_locale_of_zz_exits_2_naming_file_and_line(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, 'default_locale = "zz"\n')
    run = subprocess.run(
        [sys.executable, "-m", "kiosk", "run", "--config", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr.startswith(f"kiosk: {path}:1: 'default_locale'")
    assert run.stderr.count("\n") == 1


def test_set_pin_repairs_a_malformed_admin_pin_hash(tmp_path: Path) -> None:
    from kiosk.core.pin import verify_pin

    path = write(tmp_path, 'locked = true\nadmin_pin_hash = "cut$short"\n')
    run = subprocess.run(
        [sys.executable, "-m", "kiosk", "set-pin", "--config", str(path)],
        input="8642\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    assert verify_pin("8642", load_config(path).admin_pin_hash)


@pytest.mark.parametrize("key", ["store", "state", "content"])
@pytest.mark.parametrize(
    ("written", "said"),
    [
        ('"/tmp/s\\u0000x"', "contains a NUL character (\\u0000)"),
        ('"/tmp/' + "a" * 300 + '"', "has a name of 300 bytes; a folder's name is at most 255"),
        ('"/' + ("b" * 200 + "/") * 25 + '"', "is 5,026 bytes long; a path is at most 4095"),
    ],
)
def test_a_path_the_system_cannot_have_is_one_line_naming_file_and_key(
    tmp_path: Path, key: str, written: str, said: str
) -> None:
    """Each gave a traceback where the path was first used (kiosk run, content status,
    stats export: issue 13's attacker)."""
    path = tmp_path / "kiosk.toml"
    path.write_text(f"{key} = {written}\n")
    with pytest.raises(ConfigError) as raised:
        load_config(path, must_exist=True)
    assert str(raised.value) == f"{path}:1: '{key}' {said}" + (
        "; write the folder's path" if "NUL" in said else ""
    )
    for command in (["run", "--windowed"], ["content", "status"], ["stats", "export"]):
        run = subprocess.run(
            [sys.executable, "-m", "kiosk", *command, "--config", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode != 0 and "Traceback" not in run.stderr, run.stderr[-500:]
        assert run.stderr.count("\n") == 1 and said in run.stderr, run.stderr
