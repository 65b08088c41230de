"""Signed packs: the .kpack format, building, signing, verifying, installing,
fetching, and choosing which one to show."""
