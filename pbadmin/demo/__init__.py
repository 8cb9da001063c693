"""Synthetic people for demo data (``people.py``). Region demo data lives in the region plugins,
written through ``pbadmin.plugins.demo.DemoLoader``."""
