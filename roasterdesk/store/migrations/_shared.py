"""What several schema steps share."""

NO_DELETE = """
CREATE TRIGGER {table}_never_deleted BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, '{what} are never deleted: {how}'); END;
"""
