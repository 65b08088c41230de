"""The kiosk's part of the machine: systemd watchdog, crashes, signals, lockdown, memory, speech."""
