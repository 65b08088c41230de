"""Speech mode: a patient who cannot see the screen hears it and moves through it with
keys (issue 15). ``items`` lists what is on the screen in reading order, ``highlight``
shows where the patient is, ``controller`` turns keys into moves and speech."""
