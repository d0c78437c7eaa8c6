"""Domain errors of search: bad queries and bad options."""


class QueryError(ValueError):
    """A query or option a user must fix (empty, too long, control characters, k out of range)."""


class NotFoundError(QueryError):
    """An id (document, entity) that the store does not hold."""
