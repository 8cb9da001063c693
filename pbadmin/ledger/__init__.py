"""The yearly ledger (台账) of an organisation's subtree: gathered (``data``), printed (the ledger page
and ``static/ledger-print.css``) and written as XLSX (``xlsx``), for inspections."""
