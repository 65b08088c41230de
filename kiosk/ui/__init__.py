"""The Qt Widgets face of the kiosk. It reads content only through kiosk.core objects."""
