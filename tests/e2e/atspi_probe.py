"""Use the kiosk the way a screen reader does, over AT-SPI, and print what happened as JSON.

Run by tests/e2e/test_screen_reader.py inside the kiosk's D-Bus session, with the
*system* python (/usr/bin/python3): pyatspi is Debian's python3-pyatspi and is not
in the venv, so this file imports nothing but pyatspi and the standard library.

Steps, each polled until it holds (the AT-SPI tree appears and changes asynchronously):
find the application; press "Start" on the welcome screen through its Action
interface; find the topic card button on the home screen and press it the same way;
read the reader's card text through its Text interface. The JSON on stdout records
what was seen at every step; the exit status is 0 only if every step was done.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import pyatspi

Found = dict[str, Any]


class StepError(Exception):
    pass


def describe(acc: Any) -> Found:
    """What a screen reader learns about one object."""
    states = acc.getState().getStates()
    return {
        "role": acc.getRoleName(),
        "name": acc.name,
        "description": acc.description,
        "states": sorted(pyatspi.stateToString(s) for s in states),
        "interfaces": sorted(acc.get_interfaces()),
    }


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


def poll(what: str, timeout: float, attempt: Callable[[], Any]) -> Any:
    """Call ``attempt`` until it returns something truthy, or fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        try:
            found = attempt()
        except Exception as error:  # a half-built tree: try again
            found, last_error = None, error
        else:
            last_error = None
        if found:
            return found
        if time.monotonic() > deadline:
            detail = f" (last error: {last_error!r})" if last_error else ""
            raise StepError(f"{what}: not found within {timeout:.0f}s{detail}")
        time.sleep(0.1)


def find_app(pid: int, name: str, result: Found) -> Any:
    def attempt() -> Any:
        desktop = pyatspi.Registry.getDesktop(0)
        apps = [desktop.getChildAtIndex(i) for i in range(desktop.childCount)]
        apps = [app for app in apps if app is not None]
        result["apps_on_bus"] = [{"name": a.name, "pid": a.get_process_id()} for a in apps]
        return next((a for a in apps if a.get_process_id() == pid or a.name == name), None)

    app = poll(f"the application (pid {pid} or named {name!r}) on the AT-SPI bus", 30, attempt)
    result["app"] = {
        **describe(app),
        "pid": app.get_process_id(),
        "toolkit": f"{app.get_toolkit_name()} {app.get_toolkit_version()}",
    }
    return app


def on_screen(app: Any) -> list[Any]:
    app.clearCache()  # names change as pages change; ask the app, not libatspi's cache
    return list(walk_showing(app))


def window_names(app: Any) -> list[str]:
    return [app.getChildAtIndex(i).name for i in range(app.childCount)]


def push_buttons(nodes: list[Any]) -> list[Found]:
    """Every push button on screen, in tree order: what a screen reader's list of them shows."""
    return [
        {key: value for key, value in describe(n).items() if key != "interfaces"}
        for n in nodes
        if n.getRole() == pyatspi.ROLE_PUSH_BUTTON
    ]


def says(accessible_name: str, words: str) -> bool:
    """The name is ``words``, or one of its languages: the welcome says "Start / Empezar"."""
    return words == accessible_name or words in accessible_name.split(" / ")


def find_button(app: Any, name: str, step: Found, timeout: float) -> Any:
    def attempt() -> Any:
        nodes = on_screen(app)
        step["window"] = window_names(app)
        step["buttons"] = push_buttons(nodes)
        return next(
            (n for n in nodes if n.getRole() == pyatspi.ROLE_PUSH_BUTTON and says(n.name, name)),
            None,
        )

    button = poll(f"a push button named {name!r} on screen", timeout, attempt)
    step["button"] = describe(button)
    return button


def press(button: Any, step: Found) -> None:
    """Press through the Action interface, as a screen reader's 'activate' does."""
    action = button.queryAction()
    names = [action.getName(i) for i in range(action.nActions)]
    step["actions"] = names
    lowered = [n.lower() for n in names]
    for wanted in ("press", "click", "activate"):
        if wanted in lowered:
            index = lowered.index(wanted)
            break
    else:
        raise StepError(f"{button.name!r} offers no press action, only {names}")
    step["pressed_with"] = names[index]
    step["pressed"] = bool(action.doAction(index))
    if not step["pressed"]:
        raise StepError(f"doAction({names[index]!r}) on {button.name!r} returned false")


def read_card(app: Any, title: str, step: Found, timeout: float) -> None:
    """The card text: the object on screen with a Text interface, named after the card."""

    def attempt() -> Any:
        nodes = on_screen(app)
        step["window"] = window_names(app)
        step["buttons"] = push_buttons(nodes)
        texts = []
        for node in nodes:
            if "Text" in node.get_interfaces():
                text = node.queryText()
                texts.append((node, text.getText(0, text.characterCount)))
        step["texts"] = [{**describe(n), "text": t[:120]} for n, t in texts]
        return next(((n, t) for n, t in texts if n.name == title and t.strip()), None)

    node, text = poll(f"a text named {title!r} on screen", timeout, attempt)
    step["card"] = {**describe(node), "text": text}


def run(args: argparse.Namespace, result: Found) -> None:
    app = find_app(args.pid, args.app_name, result)
    welcome = result["welcome"] = {}
    press(find_button(app, args.start, welcome, args.timeout), welcome)
    home = result["home"] = {}
    press(find_button(app, args.topic, home, args.timeout), home)
    reader = result["reader"] = {}
    read_card(app, args.topic, reader, args.timeout)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pid", type=int, required=True, help="the kiosk's process id")
    parser.add_argument("--app-name", default="Clinic kiosk")
    parser.add_argument("--start", default="Start", help="the welcome screen's button")
    parser.add_argument("--topic", default="Harm Reduction Therapy", help="a topic card")
    parser.add_argument("--timeout", type=float, default=20, help="seconds per step")
    args = parser.parse_args()
    began = time.monotonic()
    result: Found = {"error": None}
    try:
        run(args, result)
    except Exception as error:
        result["error"] = f"{type(error).__name__}: {error}"
    result["seconds"] = round(time.monotonic() - began, 2)
    print(json.dumps(result, ensure_ascii=False))
    return 0 if result["error"] is None else 1


if __name__ == "__main__":
    sys.exit(main())
