"""A clock a test moves on by hand, for TouchButton's double-tap guard (TapGuard):
no test sleeps past the guard."""

from __future__ import annotations

from kiosk.ui.widgets.buttons import TouchButton


class FakeClock:
    """Seconds that pass only when :meth:`advance` says so."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def past_the_guard_of(self, button: TouchButton) -> None:
        """As long as the button's guard lasts, and a moment more."""
        self.advance(button.tap_guard.debounce_s + 0.001)


def given_clock(*buttons: TouchButton) -> FakeClock:
    """One fake clock for the guards of ``buttons``."""
    clock = FakeClock()
    for button in buttons:
        button.tap_guard.clock = clock
    return clock
