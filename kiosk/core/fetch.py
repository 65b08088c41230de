"""Where an administrator's pack comes from: a file, a folder (a USB stick), or a web address.

Only the standard library's urllib fetches, with a size limit and a timeout on the
connection and on every read. Nothing fetched is trusted: the store verifies it.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

from kiosk.core.packfile import PackError, peek_signed_manifest

PACK_SUFFIX = ".kpack"
_CHUNK = 64 * 1024
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


class FetchError(ValueError):
    """A source that cannot be used, as one line naming it."""


def resolve_source(
    source: str,
    work_dir: Path,
    max_bytes: int,
    timeout_s: float,
    trusted_keys: tuple[str, ...] = (),
) -> Path:
    """A local .kpack file for ``source``: the file itself, the newest in a folder, or a download.

    Downloads go into ``work_dir``; the caller removes it. In a folder, packs signed by
    one of ``trusted_keys`` come first; see newest_in_folder.
    """
    scheme = _SCHEME.match(source)
    if scheme:
        if scheme.group(1).lower() in ("http", "https"):
            return download(source, work_dir, max_bytes, timeout_s)
        raise FetchError(
            f"{source}: '{scheme.group(1)}' addresses are not supported; "
            "give a file, a folder, or an http:// or https:// address"
        )
    path = Path(source).expanduser()
    if path.is_dir():
        return newest_in_folder(path, trusted_keys)
    if path.is_file():
        return path
    if path.exists():
        raise FetchError(f"{path}: not a file or a folder")
    raise FetchError(f"{path}: no such file or folder")


def newest_in_folder(folder: Path, trusted_keys: tuple[str, ...] = ()) -> Path:
    """The .kpack in ``folder`` with the highest manifest version.

    A pack whose manifest a trusted key signed beats any other, so a newer pack from a
    stranger on the same stick does not hide the clinic's own. Only the manifest and
    its signature are read here; the install verifies every file.
    """
    try:
        candidates = sorted(
            p
            for p in folder.iterdir()
            if p.suffix == PACK_SUFFIX and not p.name.startswith(".") and p.is_file()
        )
    except OSError as err:
        raise FetchError(f"{folder}: cannot list the folder ({err.strerror})") from None
    if not candidates:
        raise FetchError(f"no {PACK_SUFFIX} file in {folder}")
    best: tuple[tuple[bool, int], Path] | None = None
    reasons: list[str] = []
    for path in candidates:
        try:
            manifest, trusted = peek_signed_manifest(path, trusted_keys)
        except PackError as err:
            reasons.append(str(err))
            continue
        rank = (trusted, manifest.version)
        if best is None or rank > best[0]:
            best = (rank, path)
    if best is None:
        raise FetchError(f"no usable {PACK_SUFFIX} file in {folder}: {reasons[0]}")
    return best[1]


class _HttpOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) addresses only (urllib would also follow ftp://)."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        match = _SCHEME.match(newurl)
        if match and match.group(1).lower() not in ("http", "https"):
            raise FetchError(f"{req.full_url}: redirected to a non-web address {newurl}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _limit_text(max_bytes: int) -> str:
    return f"download is larger than the limit of {max_bytes / 1_000_000:g} MB"


def download(url: str, work_dir: Path, max_bytes: int, timeout_s: float) -> Path:
    """Fetch ``url`` into a new file in ``work_dir``; stops at ``max_bytes``."""
    silent = f"no data from {url} for {timeout_s:g} s"
    opener = urllib.request.build_opener(_HttpOnlyRedirects)
    request = urllib.request.Request(url, headers={"User-Agent": "clinic-kiosk"})
    try:
        work_dir.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=work_dir, prefix="download-", suffix=PACK_SUFFIX)
    except OSError as err:
        raise FetchError(f"{work_dir}: cannot save the download there ({err.strerror})") from None
    target = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            with opener.open(request, timeout=timeout_s) as response:
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(f"{url}: {_limit_text(max_bytes)}")
                count = 0
                while chunk := response.read(_CHUNK):
                    count += len(chunk)
                    if count > max_bytes:
                        raise FetchError(f"{url}: {_limit_text(max_bytes)}")
                    out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
    except FetchError:
        target.unlink(missing_ok=True)
        raise
    except urllib.error.HTTPError as err:
        target.unlink(missing_ok=True)
        raise FetchError(f"{url}: the server answered {err.code} {err.reason}") from None
    except urllib.error.URLError as err:
        target.unlink(missing_ok=True)
        if isinstance(err.reason, TimeoutError):
            raise FetchError(silent) from None
        raise FetchError(f"cannot reach {url}: {_reason(err.reason)}") from None
    except TimeoutError:
        target.unlink(missing_ok=True)
        raise FetchError(silent) from None
    except (OSError, ValueError, http.client.HTTPException) as err:  # reset, bad address, ...
        target.unlink(missing_ok=True)
        raise FetchError(f"cannot download {url}: {_reason(err)}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            target.unlink()
        raise
    return target


def _reason(reason: object) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__
