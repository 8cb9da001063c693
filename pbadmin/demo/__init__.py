"""Demo data helpers. Region demo data lives in the region plugins (``load_demo_data`` hook),
written through ``pbadmin.plugins.demo.DemoLoader``; this package keeps the synthetic people."""

from __future__ import annotations


def load_core_activity_types() -> None:
    """The core catalogue (data elements and 三会一课 types), as the core plugin declares it."""
    from pbadmin.plugins.state import apply_core

    apply_core()
