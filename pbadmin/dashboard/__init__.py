"""The supervision screens: the admin's dashboard and the 三会一课 / rectification / pairing-report lists.

Every figure here is computed in SQL over the user's scope (``pbadmin.security.scoping``) with
GROUP BY and scalar subqueries, so a page costs the same few statements however much data there is.
"""
