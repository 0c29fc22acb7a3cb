"""Features of a candidate (head mention, tail mention) pair, shared by training and inference.

In the spirit of spaCy's rel_component tutorial, candidates are mention pairs within a window
of sentences, but the pair is described by sparse, inspectable features (the labels, the words
and trigger words between the mentions, the dependency path's top word, distance) scored by a
linear model per relation label, so every score can be explained.
"""

from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Doc, Span

from pipeline.nlp.lexicon import fold, load_json
from pipeline.schema import load_schema


@lru_cache(maxsize=1)
def triggers() -> dict[str, set[str]]:
    data = load_json("relation_triggers.json")
    return {label: {fold(w) for w in words} for label, words in data.items() if not label.startswith("_")}


def _bucket(n: int) -> str:
    for limit in (1, 2, 3, 5, 8, 12, 20, 35):
        if n <= limit:
            return str(limit)
    return "far"


def _lca(a: Span, b: Span):
    ancestors = {t.i: t for t in [a.root, *a.root.ancestors]}
    for t in [b.root, *b.root.ancestors]:
        if t.i in ancestors:
            return t
    return None


def pair_features(doc: Doc, head: Span, tail: Span, sent_index: dict[int, int]) -> dict[str, float]:
    feats: dict[str, float] = {"bias": 1.0}
    types = f"{head.label_}>{tail.label_}"
    feats[f"types={types}"] = 1.0
    first, second = (head, tail) if head.start < tail.start else (tail, head)
    order = "h<t" if head.start < tail.start else "t<h"
    feats[f"order={order}"] = 1.0
    feats[f"types_order={types}|{order}"] = 1.0
    gap = max(second.start - first.end, 0)
    feats[f"dist={_bucket(gap)}"] = 1.0
    same = sent_index[head.start] == sent_index[tail.start]
    feats["same_sentence" if same else "cross_sentence"] = 1.0
    between = doc[first.end:second.start]
    trig = triggers()
    words = [fold(t.lemma_ or t.text) for t in between if not t.is_punct][:25]
    for w in words[:12]:
        feats[f"btw={w}"] = 1.0
        for label, cue in trig.items():
            if w in cue:
                feats[f"trig_btw={label}"] = 1.0
                feats[f"trig_btw={label}|{types}"] = 1.0
    if gap <= 3:
        feats[f"short_btw={'_'.join(words) or 'none'}"] = 1.0
    window = [fold(t.lemma_ or t.text) for t in doc[max(first.start - 4, 0):first.start]]
    for w in window:
        feats[f"before={w}"] = 1.0
        for label, cue in trig.items():
            if w in cue:
                feats[f"trig_before={label}|{types}"] = 1.0
    after = [fold(t.lemma_ or t.text) for t in doc[second.end:second.end + 3]]
    for w in after:
        feats[f"after={w}"] = 1.0
    if any(t.text == "," for t in between) and gap <= 6:
        feats["comma_apposition"] = 1.0
    if any(t.text in ("(", ")") for t in between):
        feats["parenthesis"] = 1.0
    if same:
        lca = _lca(head, tail)
        if lca is not None:
            feats[f"lca={fold(lca.lemma_)}"] = 1.0
            feats[f"lca_types={fold(lca.lemma_)}|{types}"] = 1.0
            for label, cue in trig.items():
                if fold(lca.lemma_) in cue:
                    feats[f"trig_lca={label}|{types}"] = 1.0
        feats[f"hdep={head.root.dep_}"] = 1.0
        feats[f"tdep={tail.root.dep_}"] = 1.0
        feats[f"deps={head.root.dep_}>{tail.root.dep_}"] = 1.0
    n_between_ents = sum(1 for e in doc.ents if first.end <= e.start and e.end <= second.start)
    feats[f"ents_between={min(n_between_ents, 3)}"] = 1.0
    return feats


def candidate_pairs(doc: Doc, window: int = 1):
    """Ordered (head, tail) mention pairs whose labels some relation allows, within `window` sentences."""
    schema = load_schema()
    sents = list(doc.sents)
    sent_index = {}
    for n, s in enumerate(sents):
        for t in s:
            sent_index[t.i] = n
    ents = list(doc.ents)
    allowed_cache: dict[tuple[str, str], bool] = {}
    for h in ents:
        for t in ents:
            if h is t or h.start == t.start:
                continue
            if abs(sent_index[h.start] - sent_index[t.start]) > window:
                continue
            key = (h.label_, t.label_)
            if key not in allowed_cache:
                allowed_cache[key] = bool(schema.allowed_relations(*key))
            if allowed_cache[key]:
                yield h, t, sent_index
