"""The tokenizer's user dictionary kept in step with the store's, for every process that uses one store."""

from __future__ import annotations

from ingest.tokenize import Tokenizer
from kg.store import Store

# Words outside these lengths are not worth keeping whole: shorter ones jieba knows, longer ones are phrases.
MIN_WORD_CHARS = 3
MAX_WORD_CHARS = 12


class StoreWords:
    """One tokenizer over the words the store holds: words this process learns are stored, words other
    processes stored are taken in when the store's generation moves (several servers on one store)."""

    def __init__(self, store: Store, tokenizer: Tokenizer):
        self.store = store
        self.tokenizer = tokenizer
        self._followed = store.generation()

    def follow(self) -> None:
        """Take in the words other processes added since the last look."""
        generation = self.store.generation()
        if generation != self._followed:
            self.tokenizer.add_words(set(self.store.user_words()) - self.tokenizer.user_words())
            self._followed = generation

    def remember(self, words: set[str]) -> None:
        """Keep these words whole in the tokenizer from now on, and in the store for other processes."""
        words = {w for w in words if MIN_WORD_CHARS <= len(w) <= MAX_WORD_CHARS} - self.tokenizer.user_words()
        if words:
            self.store.add_user_words(sorted(words))
            self.tokenizer.add_words(words)
