"""Storage errors, named for the user: which file, and why it cannot be used."""

import duckdb

# Errors that mean a file or its disk cannot take the write (read-only file system, no
# permission, disk full, file size limit).
STORAGE_ERRORS = (duckdb.IOException, duckdb.PermissionException, duckdb.FatalException, OSError)


class WarehouseError(RuntimeError):
    """The warehouse or the partition store cannot be used (locked too long, read-only, disk full...)."""


class UnknownTableError(WarehouseError):
    """A table or column name the schema does not have (names come from code, never from
    users; this guard keeps a mistake from becoming SQL)."""
