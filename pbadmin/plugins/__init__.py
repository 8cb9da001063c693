"""The plugin system: discovery, per-plugin hook calls, state, definitions and settings."""
