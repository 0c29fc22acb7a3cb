"""Hard-wrapped text: a tokenizer that reads a line wrap inside a paragraph as a space.

Press releases copied from PDFs or e-mail arrive wrapped at 70-80 columns. spaCy keeps each
`\\n` as a whitespace token, which splits names (`Héctor Guerrero\\nFlores`), alias cues
(`alias\\n“Niño Guerrero”`) and sentences, so wrapped copies of the test articles lost 0.03
strict mention F1 and 0.11 alias F1. The tokenizer below replaces the wrapping newlines by
spaces before tokenizing. The text keeps its length, so every character offset still points
into the article as it was given; blank lines (paragraphs), list items and the line breaks of
articles that put one paragraph per line are kept.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.util import registry

#: Characters that end a sentence or a quotation at the end of a line.
_CLOSED = ('.', '!', '?', ':', ';', '"', '”', '»', ')', "'", '’')
#: A line that opens a list item, a numbered point or a Q&A turn starts a new block.
_BLOCK_START = re.compile(r"\s*(?:[-*•–—]\s|\d{1,3}[.)]\s|\(?[a-z][.)]\s|[QAPR]:|[QAPR]\.\s)")
_SINGLE_NEWLINE = re.compile(r"(?<!\n)\n(?![\n\r])")


def wrap_newlines(text: str) -> list[int]:
    """Offsets of the newlines that wrap a line inside a paragraph.

    A newline is a wrap when the next line goes on with the sentence (it starts in lower case),
    or when the document is hard-wrapped (most of its single line breaks fall mid-sentence) and
    this line ends mid-sentence. Articles that put one paragraph per line end almost every line
    with a full stop, so their breaks stay.
    """
    candidates = []
    for match in _SINGLE_NEWLINE.finditer(text):
        i = match.start()
        line = text[text.rfind("\n", 0, i) + 1:i].rstrip(" \t\r")
        end = text.find("\n", i + 1)
        following = text[i + 1:end if end >= 0 else len(text)]
        if not line.strip() or not following.strip() or _BLOCK_START.match(following):
            continue
        candidates.append((i, line.endswith(_CLOSED), following.lstrip()[:1]))
    if not candidates:
        return []
    open_ends = sum(1 for _, closed, _ in candidates if not closed)
    hard_wrapped = len(candidates) >= 3 and open_ends >= 0.5 * len(candidates)
    return [i for i, closed, first in candidates if first.islower() or (hard_wrapped and not closed)]


def unwrap(text: str) -> str:
    """`text` with its wrapping newlines turned into spaces (same length, same offsets)."""
    positions = wrap_newlines(text)
    if not positions:
        return text
    chars = list(text)
    for i in positions:
        chars[i] = " "
    return "".join(chars)


def hard_wrap(text: str, width: int = 72) -> str:
    """The inverse of `unwrap`, for measuring it: a newline in place of the first space past
    `width` on every line, as a PDF or an e-mail copy gives the text (same length)."""
    chars, column = list(text), 0
    for i, char in enumerate(text):
        if char == "\n":
            column = 0
            continue
        column += 1
        if char == " " and column > width:
            chars[i], column = "\n", 0
    return "".join(chars)


class UnwrappingTokenizer:
    """spaCy's tokenizer behind `unwrap`; serialization and everything else go to the inner one."""

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        return self.tokenizer(unwrap(text))

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def to_disk(self, path, **kwargs):
        self.tokenizer.to_disk(path, **kwargs)

    def from_disk(self, path, **kwargs):
        self.tokenizer.from_disk(path, **kwargs)
        return self

    def to_bytes(self, **kwargs):
        return self.tokenizer.to_bytes(**kwargs)

    def from_bytes(self, data, **kwargs):
        self.tokenizer.from_bytes(data, **kwargs)
        return self

    def __getattr__(self, name):
        if name == "tokenizer":  # not set yet (unpickling): no recursion
            raise AttributeError(name)
        return getattr(self.tokenizer, name)


@registry.tokenizers("crimeie.UnwrappingTokenizer.v1")
def create_unwrapping_tokenizer():
    """spaCy's default tokenizer for the language, behind `unwrap` (config: [nlp.tokenizer])."""
    make_default = registry.tokenizers.get("spacy.Tokenizer.v1")()

    def create(nlp):
        return UnwrappingTokenizer(make_default(nlp))

    return create


#: The config override that puts the unwrapping tokenizer in a pipeline.
TOKENIZER_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "crimeie.UnwrappingTokenizer.v1"}}}
