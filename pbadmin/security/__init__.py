"""Security: passwords, roles and permissions, scoping, field encryption, PII masking."""
