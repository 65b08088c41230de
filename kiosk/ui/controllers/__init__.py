"""The kiosk's behaviour, in small parts with one concern each; the window only shows.

Each part is given the window (its pages are public) and the few objects it uses;
``kiosk.ui.assembly`` makes them and connects every signal in one place.
"""
