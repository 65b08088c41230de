"""The frozen kiosk's entry point (kiosk.spec): the same ``kiosk`` command as from source."""

from kiosk.cli import main

raise SystemExit(main())
