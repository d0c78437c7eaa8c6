"""Domain errors of the store and the graph."""


class StoreError(Exception):
    """The store cannot do what was asked (corrupt file, newer schema, missing vector)."""


class ModelMismatchError(StoreError):
    """The store was built with another embedding model than the one configured now."""


class DocumentExistsError(StoreError):
    """The document was stored by another writer after this one looked (concurrent ingest of the same text)."""
