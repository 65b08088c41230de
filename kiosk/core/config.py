"""Kiosk settings an administrator sets in a TOML file, checked with one-line errors.

The file is optional: a kiosk with no config runs on the defaults below. Every key
is typed and range-checked; an unknown key is an error (a typo must not silently
fall back to a default). ``config_version`` lets later releases migrate old files.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import platformdirs

from kiosk.core.content.identifiers import LOCALE_RULE, is_locale
from kiosk.core.content.packinfo import key_lines_of
from kiosk.core.errors import KioskError
from kiosk.core.files import NotARegularFileError, read_regular, write_atomically
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
    speech_curtain: bool = True  # speech mode hides the page (kiosk.ui.speech_mode.curtain)
    speech_on_headset: bool = False  # a headset plugged in starts speech mode
    # Speech mode's keys that differ from kiosk.core.speech.keymap's table: (key, action).
    speech_keys: tuple[tuple[str, str], ...] = ()
    # A fleet repository (kiosk.core.fleet, docs/FLEET.md): its web address or folder,
    # this kiosk's clinic, how often `kiosk fleet check` looks, and after how long
    # without a fresh timestamp the content is reported stale.
    fleet: str | None = None
    fleet_clinic: str | None = None
    fleet_check_minutes: int = 60
    fleet_stale_hours: int = 72
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
    "speech_curtain": (bool, "true or false"),
    "speech_on_headset": (bool, "true or false"),
    "speech_keys": (dict, 'a table of keys and actions, e.g. [speech_keys] "F9" = "help"'),
    "fleet": (str, "a fleet repository's web address or folder path in quotes"),
    "fleet_clinic": (str, "a clinic's name: lowercase letters, digits and hyphens"),
    "fleet_check_minutes": (int, "a whole number of minutes from 5 to 1440"),
    "fleet_stale_hours": (int, "a whole number of hours from 1 to 720"),
}
# A clinic's name is a folder in the fleet repository and part of a role's name.
CLINIC_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def fleet_source_problem(source: str) -> str:
    """What is wrong with ``source`` as a fleet repository, or "": an http or https
    address with no name or password in it (they would be written to fleet.json, the
    journal and the staff panel), or a folder's full path. Other schemes (ftp://) would
    bypass the download deadline and rate (kiosk.core.fleet.fetcher)."""
    from urllib.parse import urlsplit

    if "://" not in source:
        return "" if source.startswith("/") else "must be a folder's full path (from /)"
    try:
        parts = urlsplit(source)
        parts.port  # noqa: B018  (raises ValueError for a port that is no number)
    except ValueError:
        return f"{source!r} is not a web address"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be an http:// or https:// address, or a folder's full path"
    if parts.username is not None or parts.password is not None:
        return "must not hold a name or password (serve the repository without a login)"
    return ""


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
    _read_paths(values, path, where)
    if "trusted_keys" in values:
        keys = values["trusted_keys"]
        if not all(isinstance(k, str) and k.strip() for k in keys):
            raise ConfigError(
                f"{where('trusted_keys')}: 'trusted_keys' must be a list of key texts in quotes"
            )
        values["trusted_keys"] = tuple(k.strip() for k in keys)
    if "speech_keys" in values:
        values["speech_keys"] = _speech_keys(values["speech_keys"], where("speech_keys"))
    config = KioskConfig(**values, source=path)
    _check_values(config, where)
    return config


def _speech_keys(table: dict[str, Any], where: str) -> tuple[tuple[str, str], ...]:
    """The [speech_keys] table as (key, action) pairs, each action one the kiosk has
    (kiosk.core.speech.keymap); ConfigError naming the first row that is not."""
    from kiosk.core.speech.keymap import KeymapError, keymap_with

    rows = tuple((str(key), action) for key, action in table.items())
    if not all(isinstance(action, str) for _key, action in rows):
        raise ConfigError(f"{where}: each row of [speech_keys] is a key and an action in quotes")
    try:
        keymap_with(dict(rows))
    except KeymapError as err:
        raise ConfigError(f"{where}: {err}") from None
    return rows


def _read_paths(values: dict[str, Any], path: Path, where: Callable[[str], str]) -> None:
    """The folders of ``values``, made absolute from the config file's folder (``path``);
    ConfigError for one the system cannot have."""
    for key in ("content", "store", "state"):
        if key in values and (problem := path_problem(values[key])):
            raise ConfigError(f"{where(key)}: '{key}' {problem}")
    if "content" in values:
        values["content"] = (path.parent / Path(values["content"]).expanduser()).resolve()
    for key in ("store", "state"):
        # Absolute, but links kept: a store that is a link to a disk that is not mounted
        # must be seen as such (kiosk.core.files), not as the empty folder below it.
        if key in values:
            given = path.parent / Path(values[key]).expanduser()
            values[key] = Path(os.path.abspath(given))  # noqa: PTH100 (resolve() follows links)


# What Linux allows in a path (limits.h): a name of at most 255 bytes, a path of 4095.
NAME_MAX = 255
PATH_MAX = 4095


def path_problem(written: str) -> str | None:
    """Why ``written`` cannot be a folder's path on this system, or None: a NUL
    character, a name longer than NAME_MAX bytes, or a path longer than PATH_MAX (each
    gave a traceback wherever the path was first used)."""
    if "\x00" in written:
        return "contains a NUL character (\\u0000); write the folder's path"
    encoded = os.fsencode(written)
    longest = max((len(name) for name in encoded.split(b"/")), default=0)
    if longest > NAME_MAX:
        return f"has a name of {longest:,} bytes; a folder's name is at most {NAME_MAX}"
    if len(encoded) > PATH_MAX:
        return f"is {len(encoded):,} bytes long; a path is at most {PATH_MAX}"
    return None


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
    if config.fleet is not None and (problem := fleet_source_problem(config.fleet)):
        raise ConfigError(f"{where('fleet')}: 'fleet' {problem}")
    if config.fleet_clinic is not None and not CLINIC_NAME.match(config.fleet_clinic):
        raise ConfigError(rule("fleet_clinic"))
    if not 5 <= config.fleet_check_minutes <= 1440:
        raise ConfigError(rule("fleet_check_minutes"))
    if not 1 <= config.fleet_stale_hours <= 720:
        raise ConfigError(rule("fleet_stale_hours"))
    if config.admin_pin_hash and not is_pin_hash(config.admin_pin_hash):
        # Never the value itself: someone may have typed the PIN in by hand.
        raise ConfigError(
            f"{where('admin_pin_hash')}: 'admin_pin_hash' is not a PIN hash that "
            "'kiosk set-pin' writes (cut short or edited?), so no PIN would open the "
            "admin panel; run 'kiosk set-pin' to set the PIN again"
        )


def config_keys() -> list[str]:
    return [f.name for f in fields(KioskConfig) if f.name != "source"]


def set_config_value(path: Path, key: str, value_toml: str) -> None:
    """Set one top-level ``key = value`` in a TOML file, keeping every other line.

    ``value_toml`` is the value as TOML text (a string value includes its quotes);
    ValueError if it is not one (a bug in the caller, not the administrator's doing).
    A missing file (and its folders) is created. An existing ``key`` gets the new value
    in place, keeping its trailing comment; otherwise the line is added at the end of
    the top-level keys. Comments, blank lines, a byte order mark and CRLF line ends
    survive. The file is replaced atomically, its permissions kept. ConfigError (one
    line) if the file is not valid TOML or cannot be edited safely; OSError if it
    cannot be read or written.
    """
    # Only set-pin and content trust edit the file: 'kiosk run' never imports tomlkit.
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    try:
        wanted = tomllib.loads(f"value = {value_toml}")["value"]
        value = tomlkit.parse(f"value = {value_toml}")["value"]
    except (tomllib.TOMLDecodeError, TOMLKitError) as err:
        raise ValueError(f"not a TOML value for '{key}': {err}") from None
    target = path.resolve()  # a link to the file stays a link
    # A new file is readable by the kiosk's user, who may not be the administrator here.
    mode, raw = 0o644, ""
    if path.exists():
        mode = stat.S_IMODE(target.stat().st_mode)
        try:
            raw = _read_settings_file(path).decode("utf-8")  # as is: keep CRLF line ends
            tomllib.loads(raw.removeprefix("\ufeff"))  # the kiosk's own parser says why
        except UnicodeDecodeError as err:
            raise ConfigError(f"{path}: cannot read it ({err})") from None
        except tomllib.TOMLDecodeError as err:
            raise ConfigError(f"{path}: not valid TOML ({err}); nothing was changed") from None
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
    bom = "\ufeff" if raw.startswith("\ufeff") else ""
    cannot = ConfigError(f"{path}: cannot set '{key}' safely; edit the file by hand")
    try:
        document = tomlkit.parse(raw.removeprefix(bom))
        document[key] = value
        text = tomlkit.dumps(document)
    except TOMLKitError:
        raise cannot from None
    if text and not text.endswith("\n"):
        text += "\n"
    if "\r\n" in raw:  # tomlkit ends the lines it adds with LF
        text = re.sub(r"(?<!\r)\n", "\r\n", text)
    if not _holds(text, key, wanted):
        raise cannot
    write_atomically(target, (bom + text).encode("utf-8"), mode=mode)


def _holds(text: str, key: str, wanted: object) -> bool:
    """Whether the edited text still parses and gives ``key`` the new value."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return False
    return key in data and data[key] == wanted
