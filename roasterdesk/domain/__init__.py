"""RoasterDesk's domain: records and calculations in plain Python (no Qt, no SQL)."""
