"""djkg ingest/extract package."""
