"""Touchscreen health-information kiosk for clinic waiting rooms."""
