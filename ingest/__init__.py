"""Ingest stage: read → clean → split → extract. Pure functions from files to typed records."""
