"""Upward sync to the provincial reporting gateways (docs/gateway-contract.md)."""
