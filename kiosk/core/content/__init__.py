"""What a content folder says: pack.toml, front matter, Markdown, pictures, and the
loader with its checks."""
