"""The content studio's window (``kiosk studio``): Qt Widgets over kiosk.core.studio."""
