"""Search behind the A-Z browser: SQLite FTS5, word folding, typo tolerance."""
