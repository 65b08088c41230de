"""Where things are on screen, by accessible name, as a screen reader sees them (AT-SPI).

Run by tests/e2e/test_studio_e2e.py inside the D-Bus session of the apps it drives, with
the *system* python (/usr/bin/python3): pyatspi is Debian's python3-pyatspi and is not in
the venv, so this file imports nothing but pyatspi and the standard library.

It answers questions one a line, so that one process (and libatspi's connection) serves a
whole test: each line on stdin is a JSON object, each answer one JSON line on stdout.

    {"pid": 123, "name": "Save"}                  the showing objects named exactly "Save"
    {"pid": 123, "name": "Heat", "contains": true} ... whose name contains "Heat"
    {"pid": 123, "role": "push button"}           ... of that role (with or without a name)
    {"pid": 123, "name": "Title", "window": "New article"}  ... in the window (or dialog)
                                                  whose name starts with "New article"
    {"pid": 123, "dump": true}                    every showing object (to debug a test)

An answer is {"found": [...], "error": null}; each object found is said as its name,
description, role, states, screen extents (x, y, width, height: what xdotool clicks) and, if it has
the Text interface, its text (the first 400 characters).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from typing import Any

import pyatspi

TEXT_CHARS = 400


def showing(acc: Any) -> bool:
    return bool(acc.getState().contains(pyatspi.STATE_SHOWING))


def walk_showing(acc: Any) -> Iterator[Any]:
    """Depth first, only what is on screen: Qt marks widgets on hidden pages not showing."""
    try:
        if not showing(acc):
            return
        children = [acc.getChildAtIndex(i) for i in range(acc.childCount)]
    except Exception:  # an object deleted while we walk: it is not on screen any more
        return
    yield acc
    for child in children:
        if child is not None:
            yield from walk_showing(child)


def application(pid: int) -> Any:
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        app = desktop.getChildAtIndex(i)
        if app is not None and app.get_process_id() == pid:
            return app
    return None


def describe(acc: Any) -> dict[str, Any]:
    said: dict[str, Any] = {
        "name": acc.name,
        "description": acc.description,
        "role": acc.getRoleName(),
        "states": sorted(pyatspi.stateToString(s) for s in acc.getState().getStates()),
    }
    interfaces = acc.get_interfaces()
    if "Component" in interfaces:
        box = acc.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        said.update(x=box.x, y=box.y, width=box.width, height=box.height)
    if "Text" in interfaces:
        text = acc.queryText()
        said["text"] = text.getText(0, min(text.characterCount, TEXT_CHARS))
    return said


def wanted(acc: Any, request: dict[str, Any]) -> bool:
    if request.get("dump"):
        return True
    name = request.get("name")
    if name is not None:
        if request.get("contains"):
            if name not in (acc.name or ""):
                return False
        elif acc.name != name:
            return False
    role = request.get("role")
    return role is None or acc.getRoleName() == role


def answer(request: dict[str, Any]) -> dict[str, Any]:
    app = application(int(request["pid"]))
    if app is None:
        return {"found": [], "error": f"no application with pid {request['pid']} on the bus"}
    app.clearCache()  # names and places change; ask the app, not libatspi's cache
    windows = [app.getChildAtIndex(i) for i in range(app.childCount)]
    window = request.get("window")
    if window is not None:
        windows = [w for w in windows if w is not None and (w.name or "").startswith(window)]
    found = []
    for acc in (node for w in windows if w is not None for node in walk_showing(w)):
        try:
            if wanted(acc, request):
                found.append(describe(acc))
        except Exception:  # deleted while we looked: not on screen any more
            continue
    return {"found": found, "error": None}


def main() -> int:
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            said = answer(json.loads(line))
        except Exception as error:  # the tree changed under us: the test asks again
            said = {"found": [], "error": f"{type(error).__name__}: {error}"}
        print(json.dumps(said, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
