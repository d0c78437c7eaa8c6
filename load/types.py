"""Typed results of loading: what ingesting one file did."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileReport:
    """What ingesting one file did: documents and passages added, or why it was skipped."""

    path: str
    documents: int = 0
    unchanged: int = 0
    passages: int = 0
    error: str = ""
    warning: str = ""  # stored, but with a caveat (a document only partly extracted)

    @property
    def ok(self) -> bool:
        return not self.error
