"""Tokenizing gazetteer phrases like the pipeline tokenizes text, so patterns align with Docs."""

from functools import lru_cache

import spacy


@lru_cache(maxsize=1)
def _tokenizer():
    return spacy.blank("en").tokenizer


@lru_cache(maxsize=200_000)
def _tokens(text: str) -> tuple[str, ...]:
    if all(c.isalnum() or c == " " for c in text):
        return tuple(text.split())  # the common case, and the tokenizer agrees on it
    return tuple(t.text for t in _tokenizer()(text))


def phrase_tokens(text: str) -> list[str]:
    return list(_tokens(text))
