"""The content studio's decisions, without Qt: saving an article safely against a file
changed on disk, and drafts that outlive a crash (``kiosk studio``, issue 16)."""
