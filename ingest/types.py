"""Typed records that leave the ingest stage: raw files, cleaned text, documents, sections, passages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ROLES = ("practice", "problem", "plan", "background", "other")
# The attribute of a place mention listing the places that hold it, nearest first (written by the place
# extractor, read by the store's place filter).
PLACE_WITHIN = "within"


# A character reference (&ldquo;, &#12290;) left in text copied from a page's source: clean.py reads it as one
# character that points at its "&".
CHAR_REF = re.compile(r"&(?:[A-Za-z]{2,8}|#\d{2,7}|#[xX][0-9A-Fa-f]{2,6});")


@dataclass(frozen=True)
class RawFile:
    """A file read from disk and decoded; `text` is the original text that quotes refer to."""

    path: str
    text: str
    encoding: str
    fmt: str
    meta: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class FileError:
    """A file that could not be read, with a one-line reason a user can act on."""

    path: str
    reason: str


@dataclass(frozen=True)
class CleanText:
    """Normalised text plus, for every character, the index of the original character it came from.

    `offsets` has len(text) + 1 entries; the last one is len(original), so a span [a, b) of
    `text` maps to original[offsets[a]:offsets[b - 1] + 1].
    """

    original: str
    text: str
    offsets: tuple[int, ...]
    mojibake: tuple[tuple[int, int], ...] = ()
    title_hint: str = ""
    # original offsets of lines an article header ("发布时间:… 来源:…", dropped as chrome) followed
    datelined: frozenset[int] = frozenset()
    # whether the text shows a converter's signature, and so had its artifacts mapped back (clean.converter_signed)
    converted: bool = False

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) covering normalised characters [start, end)."""
        if end <= start:
            return self.offsets[start], self.offsets[start]
        last = max(self.offsets[start:end])
        ref = CHAR_REF.match(self.original, last)  # a character read from a reference (&rdquo;) ends after it
        return min(self.offsets[start:end]), (ref.end() if ref else last + 1)


@dataclass(frozen=True)
class Passage:
    """A retrievable span of one section; `start`/`end` index the file's original text."""

    text: str
    start: int
    end: int
    ordinal: int


@dataclass(frozen=True)
class Section:
    """A run of passages under one heading path, with the role its cue words give it."""

    heading: tuple[str, ...]
    role: str
    passages: tuple[Passage, ...]

    @property
    def path(self) -> str:
        return " / ".join(self.heading)


@dataclass(frozen=True)
class Document:
    """One report; a file may hold several. `doc_id` is derived from the normalised text."""

    doc_id: str
    title: str
    source_path: str
    start: int
    end: int
    text: str
    sections: tuple[Section, ...]
    meta: dict = field(default_factory=dict, hash=False, compare=False)
    title_from_text: bool = False  # no title line: the title is the report's first clause, cut to length

    @property
    def passages(self) -> list[Passage]:
        return [p for s in self.sections for p in s.passages]


ENTITY_TYPES = ("practice", "measure", "problem", "place", "indicator", "organization")


@dataclass(frozen=True)
class Mention:
    """An entity named in a passage: `start`/`end` index the passage's normalised text."""

    type: str
    name: str
    surface: str
    start: int
    end: int
    attributes: dict = field(default_factory=dict, hash=False, compare=False)
