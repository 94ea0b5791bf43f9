"""Storage errors, named for the user: which file, and why it cannot be used."""

import duckdb

# Errors that mean a file or its disk cannot take the write (read-only file system, no
# permission, disk full, file size limit).
STORAGE_ERRORS = (duckdb.IOException, duckdb.PermissionException, duckdb.FatalException, OSError)


_COMMIT_FAILED = "Failed to commit"


def is_storage_error(exc: BaseException) -> bool:
    """A full or read-only disk, however DuckDB reports it: an autocommitted write that cannot
    reach the disk is a TransactionException "Failed to commit: Could not write file ..."."""
    return isinstance(exc, STORAGE_ERRORS) or (
        isinstance(exc, duckdb.TransactionException) and _COMMIT_FAILED in str(exc))


class WarehouseError(RuntimeError):
    """The warehouse or the partition store cannot be used (locked too long, read-only, disk full...)."""


class UnknownTableError(WarehouseError):
    """A table or column name the schema does not have (names come from code, never from
    users; this guard keeps a mistake from becoming SQL)."""
