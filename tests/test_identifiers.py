"""One rule per identifier (pack id, slug, locale): a pack that validates also builds,
installs and opens in the kiosk.

The property test writes a one-article pack for generated ids, slugs and locales (valid
ones and near misses: too long, upper case, a trailing newline, other punctuation) and
runs it through the real steps: ``load_pack`` (what ``kiosk content validate`` runs),
``build_pack``, ``Store.install`` and ``load_installed`` (what the kiosk opens at start).
Whatever the validator accepts must get through every later step.
"""

from __future__ import annotations

import json
import tempfile
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, event, example, given, note, settings
from hypothesis import strategies as st

from kiosk.core.config import ConfigError, parse_config
from kiosk.core.content.identifiers import https_address_problem
from kiosk.core.content.limits import TAKE_HOME_MAX_CHARS
from kiosk.core.content.loader import load_pack
from kiosk.core.content.problems import Severity
from kiosk.core.packs.build import build_pack
from kiosk.core.packs.format import MANIFEST, Manifest, PackError
from kiosk.core.packs.signing import generate_keypair, load_private_key, public_key_text
from kiosk.core.packs.source import load_installed
from kiosk.core.packs.store import Store

WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
ARTICLE = """---
title: Heart rate
summary: How many times your heart beats in one minute.
kind: term
---
Your heart rate is how many times your heart beats in one minute.
"""


@pytest.fixture(scope="module")
def key() -> Iterator[tuple[Path, str]]:
    with tempfile.TemporaryDirectory(prefix="kiosk-ids-key-") as folder:
        private, _ = generate_keypair(Path(folder))
        yield private, public_key_text(load_private_key(private))


def _write_pack(root: Path, pack_id: str, locale: str, slug: str) -> Path:
    content = root / "content"
    content.mkdir()
    # JSON strings are TOML basic strings (the escapes are the same), so any text
    # arrives in pack.toml exactly as generated.
    (content / "pack.toml").write_text(
        f"id = {json.dumps(pack_id)}\n"
        'title = "Test pack"\nversion = 1\n'
        f"locales = [{json.dumps(locale)}]\ndefault_locale = {json.dumps(locale)}\n",
        "utf-8",
    )
    terms = content / locale / "terms"
    terms.mkdir(parents=True)
    (terms / f"{slug}.md").write_text(ARTICLE, "utf-8")
    return content


def _validates(content: Path) -> bool:
    result = load_pack(content)
    return result.pack is not None and not any(
        p.severity is Severity.ERROR for p in result.problems
    )


def _builds_installs_and_opens(
    root: Path, content: Path, key: tuple[Path, str], locale: str, slug: str
) -> None:
    private, public = key
    kpack = root / "out" / "p.kpack"
    build_pack(content, kpack, private, WHEN)
    store = Store(root / "store")
    store.install(kpack, [public])
    folder = store.current_pack_dir()
    assert folder is not None
    choice = load_installed(folder, (public,))
    assert choice is not None, "the kiosk does not open the installed pack (see the log)"
    article = choice.pack.article(locale, slug)
    assert article is not None and article.title == "Heart rate"
    assert len(article.sections) == 1  # read from the installed file, checked against its digest


# Near misses are what tell two rules apart: each character class and length around a limit.
_ID_CHARS = "abz09._-A /\n"
_SLUG_CHARS = "az09-_.A \n"
_LOCALE_CHARS = "aenzE1-_\n"


def _file_name_ok(name: str) -> bool:
    return "/" not in name and name not in (".", "..") and len(name.encode()) <= 200


ids = st.one_of(
    st.from_regex(r"[a-z0-9][a-z0-9._-]{0,130}", fullmatch=True),
    st.text(alphabet=_ID_CHARS, min_size=1, max_size=130),
    st.integers(1, 130).map(lambda n: "a" * n),
)
slugs = st.one_of(
    st.from_regex(r"[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,3}", fullmatch=True),
    st.text(alphabet=_SLUG_CHARS, min_size=1, max_size=20),
    st.integers(1, 180).map(lambda n: "b" * n),
).filter(lambda s: _file_name_ok(s + ".md") and not s.startswith("."))
locales = st.one_of(
    st.sampled_from(["en", "es", "fr", "zh", "pt-br", "EN", "eng", "e", "en\n", "en_US"]),
    st.text(alphabet=_LOCALE_CHARS, min_size=1, max_size=5),
).filter(lambda s: _file_name_ok(s) and not s.startswith("."))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(pack_id=ids, slug=slugs, locale=locales)
@example(pack_id="a" * 120, slug="heart-rate", locale="en")  # the issue's pack
@example(pack_id="a" * 100, slug="heart-rate", locale="en")
@example(pack_id="clinic-health", slug="heart-rate\n", locale="en")
@example(pack_id="clinic-health", slug="heart-rate", locale="en\n")
@example(pack_id="clinic-health\n", slug="heart-rate", locale="en")
@example(pack_id="clinic-health", slug="b" * 180, locale="en")
def test_a_pack_that_validates_also_builds_installs_and_opens(
    key: tuple[Path, str], pack_id: str, slug: str, locale: str
) -> None:
    with tempfile.TemporaryDirectory(prefix="kiosk-ids-") as work:
        root = Path(work)
        content = _write_pack(root, pack_id, locale, slug)
        if not _validates(content):
            return  # the property is about what validation accepts
        event("validated")
        note(f"validated: id={pack_id!r} slug={slug!r} locale={locale!r}")
        _builds_installs_and_opens(root, content, key, locale, slug)


def test_the_issue_pack_id_of_120_characters_is_refused_by_validate(tmp_path: Path) -> None:
    content = _write_pack(tmp_path, "a" * 120, "en", "heart-rate")
    result = load_pack(content)
    errors = [p for p in result.problems if p.severity is Severity.ERROR]
    assert len(errors) == 1, errors
    assert errors[0].line == 1 and errors[0].file.endswith("pack.toml")
    assert "at most 100 characters" in errors[0].message, errors[0].message


def test_a_locale_listed_twice_is_refused(tmp_path: Path) -> None:
    """The language choice would offer it twice."""
    content = _write_pack(tmp_path, "clinic-health", "en", "heart-rate")
    toml = content / "pack.toml"
    toml.write_text(toml.read_text("utf-8").replace('["en"]', '["en", "en"]'), "utf-8")
    errors = [str(p) for p in load_pack(content).problems if p.severity is Severity.ERROR]
    assert errors == [f"{toml}:4: error: locales lists 'en' twice"]


@pytest.mark.parametrize("locale", ["EN", "En", "éa", "eng", "e", "en\n", "en-US"])
def test_the_config_default_locale_follows_the_pack_locale_rule(locale: str) -> None:
    with pytest.raises(ConfigError, match="default_locale"):
        parse_config({"default_locale": locale}, Path("kiosk.toml"))


def test_the_config_accepts_what_a_pack_accepts() -> None:
    assert parse_config({"default_locale": "es"}, Path("k.toml")).default_locale == "es"


@pytest.mark.parametrize("pack_id", ["clinic-health\n", "a" * 101, "-x", "X"])
def test_a_manifest_pack_id_follows_the_same_rule(pack_id: str) -> None:
    data = {
        "format": 1,
        "pack_id": pack_id,
        "content_version": 1,
        "version": 20260102030405,
        "built": "2026-01-02T03:04:05Z",
        "signer": "0123456789abcdef",
        "files": {"search.sqlite": "0" * 64, "content/pack.toml": "0" * 64},
        "archive_sha256": "0" * 64,
    }
    with pytest.raises(PackError, match="not a valid pack id"):
        Manifest.from_bytes(json.dumps(data).encode(), MANIFEST)


# --- the take-home address: well formed, and a QR code patients can scan ---------------

URL_ARTICLE = ARTICLE.replace("kind: term\n", "kind: term\nurl: {url}\n")
URL_LINE = 5


def _url_errors(root: Path, url: str) -> list[tuple[int, str]]:
    root.mkdir(parents=True, exist_ok=True)
    content = _write_pack(root, "clinic-health", "en", "heart-rate")
    article = content / "en" / "terms" / "heart-rate.md"
    article.write_text(URL_ARTICLE.replace("{url}", json.dumps(url, ensure_ascii=False)), "utf-8")
    result = load_pack(content)
    return [(p.line, p.message) for p in result.problems if p.severity is Severity.ERROR]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("https://exa mple.org/", "'url' has a space in it ('https://exa mple.org/')"),
        ("https://example.org/heart rate", "has a space in it"),
        ("https://example.org/\theart", "has a space in it ('https://example.org/ heart')"),
        ("https://exa\u00a0mple.org", "has a space in it"),
        ("https://example.org/\u200bheart", "(U+200B ZERO WIDTH SPACE)"),
        ("https://example.org/\x07", "(U+0007 CONTROL)"),
        ("https://example.org/\u202eheart", "(U+202E RIGHT-TO-LEFT OVERRIDE)"),
        ("https://", "'url' has no site name after https://"),
        ("https:///heart", "has no site name after https://"),
        ("https://@/heart", "has no real site name ('@')"),
        ("https://:443/heart", "has no real site name (':443')"),
        ("https://[::1/heart", "has no real site name ('[::1')"),
        ("https://example.org:port/", "has no real site name ('example.org:port')"),
        ("https://exa<mple.org/", "has no real site name ('exa<mple.org')"),
        ("https://example..org/", "has no real site name"),
        ("http://example.org/", "'url' must be a web address starting with https://"),
    ],
)
def test_a_url_that_is_not_a_well_formed_https_address_is_an_error(
    tmp_path: Path, url: str, says: str
) -> None:
    [(line, message)] = _url_errors(tmp_path, url)
    assert line == URL_LINE and says in message, message
    assert "\n" not in message and "\t" not in message


@pytest.mark.parametrize(
    "url",
    [
        "https://www.cdc.gov/heat-health/",
        "HTTPS://WWW.CDC.GOV/",
        "https://münchen.de/straße?x=1#y",
        "https://[2001:db8::1]:8443/a",
        "https://example.org./a%20b",
        "https://x_y.example.org/",
    ],
)
def test_a_well_formed_https_address_is_accepted(tmp_path: Path, url: str) -> None:
    assert _url_errors(tmp_path, url) == []


def _kiosk_qr(url: str) -> bool:
    """Whether the kiosk's last card draws ``url`` as a QR code."""
    import segno

    from kiosk.ui.widgets.qr import qr_pixmap

    try:
        pixmap = qr_pixmap(url, module_px=1)
    except segno.DataOverflowError:
        return False
    return pixmap is not None and not pixmap.isNull()


@pytest.mark.parametrize("fill", ["a", "é", "A", "\U0001f600", "\U00020000", "1"])
def test_every_address_validate_allows_is_a_qr_code_and_one_more_is_an_error(
    qapp: object, tmp_path: Path, fill: str
) -> None:
    """An address too long for a QR code stopped `kiosk smoke-test` (2,500 characters).
    At the limit, counted in UTF-8 bytes as the code holds them, in every encoding segno
    uses (byte mode, ISO 8859-1, alphanumeric, UTF-8 at 4 bytes a character, numeric),
    the kiosk draws the code; one more character is an error at the url's line. (200
    characters of U+20000 passed, as 800 bytes: a code 4 times the size.)"""
    base = "HTTPS://EXAMPLE.ORG/" if fill.isupper() else "https://example.org/"
    each = len(fill.encode())
    url = base + fill * ((TAKE_HOME_MAX_CHARS - len(base)) // each)
    assert len(url.encode()) > TAKE_HOME_MAX_CHARS - each and _kiosk_qr(url)
    assert _url_errors(tmp_path / "fits", url) == []
    [(line, message)] = _url_errors(tmp_path / "long", url + fill)
    assert line == URL_LINE, message
    size = len((url + fill).encode())
    said = f"{size} characters" if each == 1 else f"{size} bytes as UTF-8"
    assert message == (
        f"'url' is {said}; a take-home address is at most {TAKE_HOME_MAX_CHARS} (letters "
        "outside A to Z count 2 to 4 each; the last card draws it as a QR code for "
        "phones); use a shorter address for the same page"
    )


def test_the_issue_s_take_home_link_in_the_text_is_an_error_too(tmp_path: Path) -> None:
    content = _write_pack(tmp_path, "clinic-health", "en", "heart-rate")
    article = content / "en" / "terms" / "heart-rate.md"
    long = "https://example.org/" + "a" * 2480
    article.write_text(ARTICLE + f"\nRead [more]({long}).\n", "utf-8")
    errors = [str(p) for p in load_pack(content).problems if p.severity is Severity.ERROR]
    assert errors == [
        f"{article}:8: error: link to '{long[:60]}' is 2,500 characters; a take-home address "
        f"is at most {TAKE_HOME_MAX_CHARS} (letters outside A to Z count 2 to 4 each; the "
        "last card draws it as a QR code for phones); use a shorter address for the same page"
    ]


_URL_PARTS = st.sampled_from(
    ["a", "Z", "0", "-", ".", "/", "?", "=", "#", "%20", "é", "\u0645", ":", "@", "[", "]", " ",
     "\t", "\u00a0", "\u200b", "\u202e", "\x1f", "_", "~", "\U0001f600"]
)  # fmt: skip
urls = st.one_of(
    st.lists(_URL_PARTS, max_size=30).map(lambda parts: "https://" + "".join(parts)),
    st.builds(
        lambda host, path: f"https://{host}/{path}",
        st.from_regex(r"[a-z0-9-]{1,12}(\.[a-z]{2,6}){0,2}", fullmatch=True),
        st.lists(_URL_PARTS, max_size=30).map("".join),
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(url=urls)
@example(url="https://exa mple.org")
@example(url="https://example.org/" + "a" * 2311)
def test_a_url_that_validates_is_one_a_phone_opens(qapp: object, url: str) -> None:
    """Whatever validate accepts is an https address with a site name and no space,
    control or invisible character in it, that the kiosk draws as a QR code."""
    with tempfile.TemporaryDirectory(prefix="kiosk-url-") as work:
        if _url_errors(Path(work), url):
            return
    event("validated")
    url = url.strip()  # the address the article keeps
    parts = urlsplit(url)
    assert parts.scheme == "https" and parts.hostname
    assert not any(c.isspace() or unicodedata.category(c)[0] in "CZ" for c in url)
    assert _kiosk_qr(url)


@pytest.mark.parametrize(
    "address",
    ["https://www.cdc.gov@evil.example/", "https://user:secret@www.cdc.gov/", "https://a@[::1]/"],
)
def test_an_address_with_a_name_before_the_site_is_refused(address: str) -> None:
    """The QR code of https://www.cdc.gov@evil.example/ opens evil.example: an '@' before
    the site name (userinfo) is refused, in a take-home url and in a link."""
    problem = https_address_problem(address)
    assert problem is not None and "'@' before the site name" in problem
    assert https_address_problem("https://www.cdc.gov/contact?mail=a@b.org") is None
