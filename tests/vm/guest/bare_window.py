"""The baseline of the VM's boot-to-first-frame figure: a bare PySide6 window.

One QApplication and one empty QWidget, full screen, until it is stopped: what any Qt
program under cage costs, against which the kiosk's start is measured. Frozen with
PyInstaller like the kiosk, and run by a test-only unit in the VM (deploytest.py).
"""

import sys

from PySide6.QtWidgets import QApplication, QWidget


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.showFullScreen()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
