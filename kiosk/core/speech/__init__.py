"""Speech mode's rules, without Qt: the key map, and what is said for what is on screen
(kiosk/ui/speech_mode runs them against the real screen and speech engine)."""
