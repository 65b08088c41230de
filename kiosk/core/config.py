"""Kiosk settings an administrator sets in a TOML file, checked with one-line errors.

The file is optional: a kiosk with no config runs on the defaults below. Every key
is typed and range-checked; an unknown key is an error (a typo must not silently
fall back to a default). ``config_version`` lets later releases migrate old files.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from kiosk.core.content.identifiers import LOCALE_RULE, is_locale
from kiosk.core.content.packinfo import key_lines_of
from kiosk.core.errors import KioskError
from kiosk.core.files import NotARegularFileError, read_regular
from kiosk.core.pin import is_pin_hash
from kiosk.resources import INTERFACE_LOCALES, SOURCE_LOCALE

APP_NAME = "clinic-kiosk"
CONFIG_VERSION = 1
CONFIG_FILE = "kiosk.toml"


class ConfigError(KioskError):
    """A config problem, worded as one line that names the file and the key."""


@dataclass(frozen=True)
class KioskConfig:
    idle_timeout: int = 90
    idle_warning: int = 30
    admin_idle_timeout: int = 300
    default_locale: str = "en"
    locked: bool = False
    content: Path | None = None
    admin_pin_hash: str = ""
    hide_cursor: bool = False
    store: Path | None = None
    state: Path | None = None
    trusted_keys: tuple[str, ...] = ()
    usage_counts: bool = True
    count_sensitive_articles: bool = False
    source: Path | None = field(default=None, compare=False)

    @property
    def state_dir(self) -> Path:
        """Where logs, crash reports and usage counts go (never what a patient did)."""
        return self.state or Path(platformdirs.user_state_dir(APP_NAME))

    @property
    def store_dir(self) -> Path:
        """Where installed content packs live (``current`` and ``previous``)."""
        return self.store or Path(platformdirs.user_data_dir(APP_NAME)) / "store"


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / CONFIG_FILE


_RULES: dict[str, tuple[type, str]] = {
    "config_version": (int, f"a whole number, {CONFIG_VERSION}"),
    "idle_timeout": (int, "a whole number of seconds from 20 to 3600"),
    "idle_warning": (int, "a whole number of seconds from 20 to 300"),
    "admin_idle_timeout": (int, "a whole number of seconds from 60 to 3600"),
    "default_locale": (
        str,
        f"a language code of {LOCALE_RULE} that this kiosk shows: "
        + ", ".join(f'"{locale}"' for locale in INTERFACE_LOCALES),
    ),
    "locked": (bool, "true or false"),
    "content": (str, "a folder path in quotes"),
    "admin_pin_hash": (str, "the text that 'kiosk set-pin' writes"),
    "hide_cursor": (bool, "true or false"),
    "store": (str, "a folder path in quotes"),
    "state": (str, "a folder path in quotes"),
    "trusted_keys": (list, "a list of public keys that 'kiosk content trust' writes"),
    "usage_counts": (bool, "true or false"),
    "count_sensitive_articles": (bool, "true or false"),
}


def load_config(
    path: Path | None, *, must_exist: bool = False, replacing: str | None = None
) -> KioskConfig:
    """Read a config file; a missing default file means defaults. The key named by
    ``replacing`` is left out unchecked: the caller is about to write a new value
    (``kiosk set-pin`` repairs a malformed ``admin_pin_hash``)."""
    path = path or default_config_path()
    if not path.exists():
        if must_exist:
            raise ConfigError(f"{path}: no such config file")
        return KioskConfig()
    raw = _read_settings_file(path)
    try:
        data = tomllib.loads(raw.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: cannot read it ({err})") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML ({err})") from None
    if replacing is not None:
        data.pop(replacing, None)
    return parse_config(data, path, key_lines_of(raw))


def _read_settings_file(path: Path) -> bytes:
    """The bytes of a settings file; a named pipe or a device is refused before it is
    opened (a FIFO given as --config blocked the kiosk for ever)."""
    try:
        return read_regular(path)
    except (NotARegularFileError, IsADirectoryError) as err:
        raise ConfigError(
            f"{path}: cannot read it as a settings file ({err.strerror}); name a kiosk.toml file"
        ) from None
    except OSError as err:
        raise ConfigError(f"{path}: cannot read it ({err.strerror or err})") from None


def parse_config(
    data: dict[str, Any], path: Path, lines: Mapping[str, int] | None = None
) -> KioskConfig:
    """Check the settings read from ``path``; ``lines`` gives each key's line, so that
    every message names the file and the line (``kiosk.toml:3: ...``)."""

    def where(key: str) -> str:
        line = (lines or {}).get(key)
        return f"{path}:{line}" if line else str(path)

    for key, value in data.items():
        if key not in _RULES:
            known = ", ".join(sorted(_RULES))
            raise ConfigError(f"{where(key)}: unknown key '{key}'; known keys: {known}")
        kind, expected = _RULES[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            shown = "a hidden value" if key == "admin_pin_hash" else repr(value)
            raise ConfigError(f"{where(key)}: '{key}' must be {expected}, not {shown}")
    version = data.get("config_version", CONFIG_VERSION)
    if version != CONFIG_VERSION:
        raise ConfigError(
            f"{where('config_version')}: config_version {version} is not supported; "
            f"this kiosk reads {CONFIG_VERSION}"
        )
    values: dict[str, Any] = {k: v for k, v in data.items() if k != "config_version"}
    if "content" in values:
        values["content"] = (path.parent / Path(values["content"]).expanduser()).resolve()
    for key in ("store", "state"):
        # Absolute, but links kept: a store that is a link to a disk that is not mounted
        # must be seen as such (kiosk.core.files), not as the empty folder below it.
        if key in values:
            given = path.parent / Path(values[key]).expanduser()
            values[key] = Path(os.path.abspath(given))  # noqa: PTH100 (resolve() follows links)
    if "trusted_keys" in values:
        keys = values["trusted_keys"]
        if not all(isinstance(k, str) and k.strip() for k in keys):
            raise ConfigError(
                f"{where('trusted_keys')}: 'trusted_keys' must be a list of key texts in quotes"
            )
        values["trusted_keys"] = tuple(k.strip() for k in keys)
    config = KioskConfig(**values, source=path)
    _check_values(config, where)
    return config


def _check_values(config: KioskConfig, where: Callable[[str], str]) -> None:
    def rule(key: str) -> str:
        return f"{where(key)}: '{key}' must be {_RULES[key][1]}"

    if not 20 <= config.idle_timeout <= 3600:
        raise ConfigError(rule("idle_timeout"))
    if not 20 <= config.idle_warning <= 300:
        # WCAG 2.2.1: at least 20 seconds to answer "Still there?".
        raise ConfigError(rule("idle_warning"))
    if not 60 <= config.admin_idle_timeout <= 3600:
        # Long enough to read a pack report, short enough that an unlocked panel left
        # open by a called-away staff member locks itself before a patient finds it.
        raise ConfigError(rule("admin_idle_timeout"))
    if not is_locale(config.default_locale):
        raise ConfigError(rule("default_locale"))
    if config.default_locale not in INTERFACE_LOCALES:
        # A code of the right shape ("zz") started the kiosk in its pack's language
        # without a word; only the languages the kiosk speaks can be its first one.
        choices = ", ".join(f'"{locale}"' for locale in INTERFACE_LOCALES)
        raise ConfigError(
            f"{where('default_locale')}: 'default_locale' is '{config.default_locale}', "
            f"a language this kiosk cannot show; write one of {choices}, "
            f'or remove the line to start in "{SOURCE_LOCALE}"'
        )
    if config.admin_pin_hash and not is_pin_hash(config.admin_pin_hash):
        # Never the value itself: someone may have typed the PIN in by hand.
        raise ConfigError(
            f"{where('admin_pin_hash')}: 'admin_pin_hash' is not a PIN hash that "
            "'kiosk set-pin' writes (cut short or edited?), so no PIN would open the "
            "admin panel; run 'kiosk set-pin' to set the PIN again"
        )


def config_keys() -> list[str]:
    return [f.name for f in fields(KioskConfig) if f.name != "source"]


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_TABLE_HEADER = re.compile(r"\s*\[")


def set_config_value(path: Path, key: str, value_toml: str) -> None:
    """Set one top-level ``key = value`` in a TOML file, keeping every other line.

    ``value_toml`` is the value as TOML text (a string value includes its quotes).
    A missing file (and its folders) is created. An existing line for ``key`` is
    replaced in place, keeping its trailing comment; otherwise the line is added
    at the end of the top-level keys. The file is replaced atomically.
    """
    if not _BARE_KEY.fullmatch(key):
        raise ValueError(f"not a plain TOML key: {key!r}")
    try:
        tomllib.loads(f"{key} = {value_toml}")
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"not a TOML value for '{key}': {err}") from None
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{key} = {value_toml}\n", "utf-8")
        return
    try:
        raw = _read_settings_file(path).decode("utf-8")  # as is: keep CRLF line ends
        tomllib.loads(raw.removeprefix("\ufeff"))
    except UnicodeDecodeError as err:
        raise ConfigError(f"{path}: cannot read it ({err})") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: not valid TOML ({err}); nothing was changed") from None
    bom = "\ufeff" if raw.startswith("\ufeff") else ""
    newline = "\r\n" if "\r\n" in raw else "\n"
    lines = raw.removeprefix(bom).splitlines(keepends=True)
    _replace_or_insert(lines, key, value_toml, newline)
    text = "".join(lines)
    if not _holds(text, key, tomllib.loads(f"{key} = {value_toml}")[key]):
        raise ConfigError(f"{path}: cannot set '{key}' safely; edit the file by hand")
    _write_atomically(path, bom + text)


def _replace_or_insert(lines: list[str], key: str, value_toml: str, newline: str) -> None:
    pattern = re.compile(rf"(\s*)(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')\s*=")
    first_table = next((i for i, line in enumerate(lines) if _TABLE_HEADER.match(line)), None)
    end = len(lines) if first_table is None else first_table
    for i in range(end):
        match = pattern.match(lines[i])
        if not match:
            continue
        last = _value_end(lines, i)  # a multi-line array or string spans more lines
        ending = newline if lines[last].endswith(("\n", "\r")) else ""
        comment = _trailing_comment(lines[i]) if last == i else ""
        lines[i : last + 1] = [f"{match.group(1)}{key} = {value_toml}{comment}{ending}"]
        return
    if end > 0 and not lines[end - 1].endswith(("\n", "\r")):
        lines[end - 1] += newline
    lines.insert(end, f"{key} = {value_toml}{newline}")
    if first_table is not None:
        lines.insert(end + 1, newline)


def _holds(text: str, key: str, wanted: object) -> bool:
    """Whether the edited text still parses and gives ``key`` the new value."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    return key in data and data[key] == wanted


def _value_end(lines: list[str], start: int) -> int:
    for end in range(start, len(lines)):
        try:
            tomllib.loads("".join(lines[start : end + 1]))
        except tomllib.TOMLDecodeError:
            continue
        return end
    return start


def _trailing_comment(line: str) -> str:
    """The ``  # ...`` part of a one-line ``key = value  # ...`` (or "")."""
    body = line.rstrip("\r\n")
    for at in (i for i, char in enumerate(body) if char == "#"):
        try:
            tomllib.loads(body[:at])
        except tomllib.TOMLDecodeError:
            continue
        gap = len(body[:at]) - len(body[:at].rstrip())
        return " " * max(gap, 1) + body[at:]
    return ""


def _write_atomically(path: Path, text: str) -> None:
    target = path.resolve()
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        shutil.copymode(target, temp)
        Path(temp).replace(target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
