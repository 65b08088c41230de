"""Content, search, packs and config: plain Python, never Qt.

Everything an administrator's command does runs through here without a display.
"""
