"""Touch-safe building blocks the screens are made of."""
