"""Importing rosters (花名册) and activities with their attendance from .xlsx and .csv files.

The flow is the same from the admin and the CLI: read the file (``readers``), match its Chinese
headers to the columns of the import (``columns``), check every row against the database
without touching it (``members`` / ``activities`` through ``pipeline``), show or print the
problems (``problems``), and only when there are none write everything in one transaction.
``jobs`` runs that in a background thread of the web process, ``templates`` and
``errors_workbook`` build the files users download, ``cli`` is ``flask pbadmin import``.
"""
