"""The plugin system: discovery and hook calls through pluggy (``registry``), enabling and settings
kept in the database (``enablement``), the spec objects hooks return (``specs``), what every region
plugin shares (``standard``), setting validation (``settings``) and the ``plugins`` commands (``cli``)."""
