"""Login, logout and language switching."""
