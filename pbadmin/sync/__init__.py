"""Upward sync to the provincial reporting gateways (provincial-api.md)."""
