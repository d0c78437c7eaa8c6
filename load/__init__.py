"""Load stage: documents from ingest, embedded, extracted and resolved, written into the store (kg)."""
