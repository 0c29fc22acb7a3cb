"""Features of a candidate (head mention, tail mention) pair, shared by training and inference.

In the spirit of spaCy's rel_component tutorial, candidates are mention pairs within a window
of sentences, but the pair is described by sparse, inspectable features (the labels, the words
and trigger words between the mentions, the dependency path's top word, distance) scored by a
linear model per relation label, so every score can be explained.
"""

from __future__ import annotations

import bisect
from functools import lru_cache

import numpy as np
from spacy.attrs import IS_PUNCT, LEMMA, LOWER, ORTH
from spacy.tokens import Doc, Span, Token

from pipeline.nlp.lexicon import fold, load_json
from pipeline.nlp.relation_prior import RelationPrior, entity_keys
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


def _path_words(ctx: "DocContext", head: Span, tail: Span, lca: Token) -> list[str]:
    """Lemmas on the dependency path between the two mentions' roots, ends excluded: the words
    that say how they are related (`led`, `control`, `arrested`) even far apart in the sentence."""
    words = []
    for span in (head, tail):
        token = span.root
        while token.i != lca.i and token.head.i != token.i:
            token = token.head
            if token.i != lca.i and not (span.start <= token.i < span.end) and not ctx.punct[token.i]:
                words.append(ctx.lemma[token.i])
    return words[:8]


def _trigger_labels(word: str, _cache: dict[str, tuple[str, ...]] = {}) -> tuple[str, ...]:
    labels = _cache.get(word)
    if labels is None:
        labels = _cache[word] = tuple(label for label, cue in triggers().items() if word in cue)
    return labels


def pair_features(ctx: "DocContext", head: Span, tail: Span) -> dict[str, float]:
    """Sparse features of one (head mention, tail mention) pair; `ctx` holds the doc's folded words."""
    feats: dict[str, float] = {"bias": 1.0}
    types = f"{head.label_}>{tail.label_}"
    feats[f"types={types}"] = 1.0
    first, second = (head, tail) if head.start < tail.start else (tail, head)
    order = "h<t" if head.start < tail.start else "t<h"
    feats[f"order={order}"] = 1.0
    feats[f"types_order={types}|{order}"] = 1.0
    gap = max(second.start - first.end, 0)
    feats[f"dist={_bucket(gap)}"] = 1.0
    same = ctx.sent_index[head.start] == ctx.sent_index[tail.start]
    feats["same_sentence" if same else "cross_sentence"] = 1.0
    lemma = ctx.lemma
    words = [lemma[i] for i in range(first.end, second.start) if not ctx.punct[i]][:25]
    for w in words[:12]:
        feats[f"btw={w}"] = 1.0
        for label in _trigger_labels(w):
            feats[f"trig_btw={label}"] = 1.0
            feats[f"trig_btw={label}|{types}"] = 1.0
    if gap <= 3:
        feats[f"short_btw={'_'.join(words) or 'none'}"] = 1.0
    for i in range(max(first.start - 4, 0), first.start):
        w = lemma[i]
        feats[f"before={w}"] = 1.0
        for label in _trigger_labels(w):
            feats[f"trig_before={label}|{types}"] = 1.0
    for i in range(second.end, min(second.end + 3, len(lemma))):
        feats[f"after={lemma[i]}"] = 1.0
    between_text = ctx.folded[first.end:second.start]
    if "," in between_text and gap <= 6:
        feats["comma_apposition"] = 1.0
    if "(" in between_text or ")" in between_text:
        feats["parenthesis"] = 1.0
    if same:
        lca = _lca(head, tail)
        if lca is not None:
            top = lemma[lca.i]
            feats[f"lca={top}"] = 1.0
            feats[f"lca_types={top}|{types}"] = 1.0
            for label in _trigger_labels(top):
                feats[f"trig_lca={label}|{types}"] = 1.0
            for w in _path_words(ctx, head, tail, lca):
                feats[f"path={w}"] = 1.0
                for label in _trigger_labels(w):
                    feats[f"trig_path={label}|{types}"] = 1.0
        feats[f"hdep={head.root.dep_}"] = 1.0
        feats[f"tdep={tail.root.dep_}"] = 1.0
        feats[f"deps={head.root.dep_}>{tail.root.dep_}"] = 1.0
    # Mentions wholly between the two (doc.ents neither overlap nor nest, so starts and ends are sorted).
    n_between_ents = max(0, bisect.bisect_right(ctx.ent_ends, second.start) - bisect.bisect_left(ctx.ent_starts, first.end))
    feats[f"ents_between={min(n_between_ents, 3)}"] = 1.0
    return feats


@lru_cache(maxsize=None)
def allowed_labels(head_label: str, tail_label: str) -> frozenset[str]:
    """The relations of the guideline table that take these argument labels."""
    return frozenset(load_schema().allowed_relations(head_label, tail_label))


def candidate_pairs(ctx: "DocContext", window: int = 1):
    """Ordered (head, tail) mention pairs whose labels some relation allows, within `window` sentences."""
    ents = ctx.ents
    for h in ents:
        for t in ents:
            if h is t or h.start == t.start:
                continue
            if abs(ctx.sent_index[h.start] - ctx.sent_index[t.start]) > window:
                continue
            if allowed_labels(h.label_, t.label_):
                yield h, t


# -- document level: one candidate per entity pair --------------------------------------------

@lru_cache(maxsize=1)
def _references() -> tuple[tuple[str, ...], dict[str, tuple[str, ...]]]:
    """Generic group references and the labels each pronoun can stand for (references.json)."""
    data = load_json("references.json", ["generic_group_references", "pronouns"])
    pronouns = {word: tuple(labels.split()) for labels, words in data["pronouns"].items() for word in words}
    return tuple(data["generic_group_references"]), pronouns


class DocContext:
    """Per-document facts the entity-pair features need, computed once per doc."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.sents = list(doc.sents)
        # Sentence number, folded word and lemma of each token, read from arrays: a Token object
        # per word and per use was a third of this component's time.
        self.sent_index: list[int] = [0] * len(doc)
        for n, s in enumerate(self.sents):
            self.sent_index[s.start:s.end] = [n] * (s.end - s.start)
        strings = doc.vocab.strings
        attrs = doc.to_array([ORTH, LEMMA, IS_PUNCT]).tolist() if len(doc) else []
        texts = [strings[orth] for orth, _, _ in attrs]
        self.lemma = [fold(strings[lemma] if lemma else text) for (_, lemma, _), text in zip(attrs, texts)]
        self.folded = [fold(text) for text in texts]
        self.punct = [bool(punct) for _, _, punct in attrs]
        self.ents = list(doc.ents)  # doc.ents builds new Span objects on every access
        self.ent_starts = [e.start for e in self.ents]
        self.ent_ends = [e.end for e in self.ents]
        self.label_starting = {e.start: e.label_ for e in self.ents}
        self.label_ending = {e.end: e.label_ for e in self.ents}
        has_tensor = getattr(doc.tensor, "ndim", 0) == 2 and doc.tensor.shape[0] == len(doc) and doc.tensor.shape[1]
        self.tensor = np.asarray(doc.tensor, dtype=np.float32) if has_tensor else None
        self.zero = np.zeros(doc.tensor.shape[1], dtype=np.float32) if has_tensor else None
        # Running sums of the token vectors: the mean over any span in two lookups, not a pass over it.
        self.tensor_sums = np.vstack([np.zeros((1, self.tensor.shape[1])), np.cumsum(self.tensor, axis=0, dtype=np.float64)]) \
            if has_tensor else None
        self.sentence_mean = [self.span_mean(s.start, s.end) for s in self.sents] if has_tensor else None
        self.text = text = doc.text  # built from the tokens on each access: read it once
        # Paragraph number of each sentence: articles separate paragraphs with blank lines.
        self.para_of_sent = [text.count("\n\n", 0, s.start_char) for s in self.sents]
        self.mentions: dict[int, list[Span]] = {}
        for e in self.ents:
            if e._.crimeie_entity is not None:
                self.mentions.setdefault(e._.crimeie_entity, []).append(e)
        self.label_of = {k: v[0].label_ for k, v in self.mentions.items()}
        # Salience: rank of each entity among entities of its label by number of mentions, then first position.
        by_label: dict[str, list[int]] = {}
        for k, label in self.label_of.items():
            by_label.setdefault(label, []).append(k)
        self.rank: dict[int, int] = {}
        self.n_of_label = {label: len(ks) for label, ks in by_label.items()}
        for label, ks in by_label.items():
            ks.sort(key=lambda k: (-len(self.mentions[k]), self.mentions[k][0].start))
            for r, k in enumerate(ks):
                self.rank[k] = r + 1
        # Generic group references ("the gang") and the group they most plausibly mean: the last
        # group named in the same paragraph, else the document's most mentioned group.
        folded = [fold(s.text) for s in self.sents]
        anaphors, _ = _references()
        self.anaphor_group: dict[int, int] = {}
        group_mentions = sorted((m for k, ms in self.mentions.items() if self.label_of[k] == "CRIMINAL_GROUP"
                                 for m in ms), key=lambda m: m.start)
        top_group = next((k for k, r in self.rank.items() if r == 1 and self.label_of[k] == "CRIMINAL_GROUP"), None)
        for n, f in enumerate(folded):
            if not any(a in f for a in anaphors):
                continue
            start = self.sents[n].start
            previous = [m for m in group_mentions if m.start < start
                        and self.para_of_sent[self.sent_index[m.start]] == self.para_of_sent[n]]
            target = previous[-1]._.crimeie_entity if previous else top_group
            if target is not None:
                self.anaphor_group[n] = target
        # Place codes (ISO 3166 or `CC|geonames:id`), from the place-key step or, for gold
        # mentions in training, looked up the same way.
        self.place_key: dict[int, str] = {}
        for k, ms in self.mentions.items():
            if self.label_of[k] == "LOCATION":
                key = next((m._.crimeie_key for m in ms if m._.crimeie_key), None)
                if key is None:
                    from pipeline.nlp.places import place_index

                    place = place_index().best(ms[0].text)
                    key = place.key if place is not None else None
                if key and not key.startswith("region:"):
                    self.place_key[k] = key
        self._add_pronoun_mentions()
        # (start, sentence, is a pronoun, span) per mention: the pair features read these many times.
        self.mention_rows = {k: [(m.start, self.sent_index[m.start], m.start in self.pronoun_starts, m) for m in ms]
                             for k, ms in self.mentions.items()}
        self.sent_triggers = [{label for i in range(s.start, s.end) for label in _trigger_labels(self.lemma[i])}
                              for s in self.sents]
        self.roles = self._roles()
        self.entity_key_cache: dict[int, frozenset[str]] = {}  # relation_prior.entity_keys

    def _roles(self) -> dict[int, set[str]]:
        """Each entity's role in the whole document: the trigger labels of the words just before
        and after any of its named mentions (`the murder of X` → pre:KILLED, `X was arrested` →
        post:ARRESTED_BY), and the nearest of those words themselves (prew:murder). A victim or
        a detainee is often named sentences away from the actor the relation ties it to; this
        lets the scorer know the role anyway."""
        n, roles = len(self.lemma), {}
        for k, ms in self.mentions.items():
            found = set()
            for m in ms:
                if m.start in self.pronoun_starts:
                    continue
                for i in range(max(m.start - ROLE_WINDOW, 0), m.start):
                    found.update("pre:" + label for label in _trigger_labels(self.lemma[i]))
                    if i >= m.start - ROLE_WORDS and not self.punct[i]:
                        found.add("prew:" + self.lemma[i])
                for i in range(m.end, min(m.end + ROLE_WINDOW, n)):
                    found.update("post:" + label for label in _trigger_labels(self.lemma[i]))
                    if i < m.end + ROLE_WORDS and not self.punct[i]:
                        found.add("postw:" + self.lemma[i])
            roles[k] = found
        return roles

    def span_mean(self, start: int, end: int) -> np.ndarray:
        """Mean token vector over tokens start..end-1 (end > start)."""
        return ((self.tensor_sums[end] - self.tensor_sums[start]) / (end - start)).astype(np.float32)

    def _add_pronoun_mentions(self) -> None:
        """A pronoun (`its members`, `he led`) becomes one more mention of the nearest preceding
        entity of a label it can stand for, within two sentences: cheap coreference that lets a
        relation stated about `it` or `he` reach the named entity. These mentions are not in
        `doc.ents`; their starts go into `pronoun_starts`, so the features tell them apart."""
        _, pronouns = _references()
        doc, si = self.doc, self.sent_index
        self.pronoun_starts: set[int] = set()
        named = sorted(((m.start, m.label_, k) for k, ms in self.mentions.items() for m in ms))
        starts = [m[0] for m in named]
        lowers = doc.to_array([LOWER])
        wanted = np.array([doc.vocab.strings.add(w) for w in pronouns], dtype=lowers.dtype)
        for i in np.flatnonzero(np.isin(lowers, wanted)).tolist():
            word = doc[i].lower_
            if word == "it" and doc[i].dep_ != "nsubj":
                continue
            labels, n = pronouns[word], si[i]
            j = bisect.bisect_left(starts, i) - 1
            while j >= 0 and si[named[j][0]] >= n - 2:
                if named[j][1] in labels:
                    self.mentions[named[j][2]].append(Span(doc, i, i + 1, label=named[j][1]))
                    self.pronoun_starts.add(i)
                    break
                j -= 1


#: Words either side of a mention read for the trigger labels of its entity's role
#: (`DocContext._roles`): 3 scored out of fold 0.546 against 0.544 for 5 (0.536 without) ...
ROLE_WINDOW = 3
#: ... and the words themselves, 2 either side: 0.558 out of fold (3: 0.558).
ROLE_WORDS = 2


def place_country(key: str) -> str:
    return key.split("|")[0].split("-")[0]


def place_rank(key: str) -> int:
    """How big a place its key says it is: 3 a country, 2 a state or province, 1 a city."""
    return 1 if "|" in key else 2 if "-" in key else 3


def _count_bucket(n: int) -> str:
    return "1" if n <= 1 else "2" if n == 2 else "3-5" if n <= 5 else "6+"


def entity_pair_candidates(ctx: DocContext, max_sentences: int):
    """Ordered entity pairs (head, tail) whose labels some relation allows and whose mentions come
    within `max_sentences` sentences of each other (or whose tail sits in a sentence that refers
    to the head with a generic phrase such as "the gang")."""
    keys = list(ctx.mentions)
    sent_sets = {k: {sent for _, sent, _, _ in ctx.mention_rows[k]} for k in keys}
    anaphor_sents: dict[int, set[int]] = {}
    for n, k in ctx.anaphor_group.items():
        anaphor_sents.setdefault(k, set()).add(n)
    for h in keys:
        for t in keys:
            if h == t or not allowed_labels(ctx.label_of[h], ctx.label_of[t]):
                continue
            hs, ts = sent_sets[h], sent_sets[t]
            near = min(abs(a - b) for a in hs for b in ts)
            if near <= max_sentences or anaphor_sents.get(h, set()) & ts:
                yield h, t, near


def entity_pair_features(ctx: DocContext, h: int, t: int, near: int, pairs_per_entity: int = 3,
                         prior: "RelationPrior | None" = None) -> tuple[dict, tuple]:
    """Features of an entity pair and the (head mention, tail mention) pair that is its best
    evidence; with a `prior`, also the labels the training articles gave the same names."""
    hl, tl = ctx.label_of[h], ctx.label_of[t]
    types = f"{hl}>{tl}"
    feats: dict[str, float] = {"bias": 1.0, f"types={types}": 1.0}
    if prior is not None:
        feats.update(prior.features(entity_keys(ctx, h), entity_keys(ctx, t)))
    feats[f"near={min(near, 4)}|{types}"] = 1.0
    si = ctx.sent_index
    rows = ctx.mention_rows
    # (sentence distance, token distance, head mention, tail mention, through a pronoun), closest first.
    pairs = sorted(((abs(sa - sb), abs(a0 - b0), a, b, va or vb)
                    for a0, sa, va, a in rows[h] for b0, sb, vb, b in rows[t]), key=lambda x: (x[0], x[1]))
    same_sentence = sum(1 for p in pairs if p[0] == 0)
    feats[f"n_same_sentence={_count_bucket(same_sentence) if same_sentence else 0}|{types}"] = 1.0
    hp = {ctx.para_of_sent[sa] for _, sa, _, _ in rows[h]}
    tp = {ctx.para_of_sent[sb] for _, sb, _, _ in rows[t]}
    feats["same_paragraph" if hp & tp else "other_paragraph"] = 1.0
    real = [p for p in pairs if not p[4]]
    for p in real[:pairs_per_entity]:
        if p[0] > 1:
            break
        for f in pair_features(ctx, p[2], p[3]):
            feats["m:" + f] = 1.0
    # Mention pairs where one side is a pronoun that stands for the entity (`its members`, `he led`).
    for p in [p for p in pairs if p[0] == 0 and p[4]][:2]:
        for f in pair_features(ctx, p[2], p[3]):
            feats["pm:" + f] = 1.0
    # Salience of each side within its label.
    hr, tr = min(ctx.rank[h], 3), min(ctx.rank[t], 3)
    feats[f"hrank={hr}|{types}"] = 1.0
    feats[f"trank={tr}|{types}"] = 1.0
    feats[f"ranks={hr},{tr}|{types}"] = 1.0
    feats[f"hcount={_count_bucket(len(ctx.mentions[h]))}"] = 1.0
    feats[f"tcount={_count_bucket(len(ctx.mentions[t]))}"] = 1.0
    if ctx.n_of_label.get(hl, 0) == 1:
        feats[f"only_{hl}|{types}"] = 1.0
    # Generic references: tail in a sentence that says "the gang" meaning the head.
    for m in ctx.mentions[t]:
        n = si[m.start]
        if ctx.anaphor_group.get(n) == h:
            feats[f"anaphor|{types}"] = 1.0
            for label in ctx.sent_triggers[n]:
                feats[f"anaphor_trig={label}|{types}"] = 1.0
    # Each side's role anywhere in the document (`the murder of X`, `X was arrested`).
    for r in ctx.roles.get(h, ()):
        feats[f"hrole={r}|{types}"] = 1.0
    for r in ctx.roles.get(t, ()):
        feats[f"trole={r}|{types}"] = 1.0
    # Gazetteer geography: a city or state of the country named as the tail, or of another one.
    hk, tk = ctx.place_key.get(h), ctx.place_key.get(t)
    if hk and tk:
        hc, tc = place_country(hk), place_country(tk)
        if hc != tc:
            feats["geo=other_country"] = 1.0
        elif tk == tc and hk != tk:
            feats["geo=inside_country"] = 1.0
        elif "-" in tk and "|" in hk:
            feats["geo=city_and_state_same_country"] = 1.0
        else:
            feats["geo=same_country"] = 1.0
    # Trigger words in the sentences where both appear.
    for p in pairs:
        if p[0] != 0:
            break
        for label in ctx.sent_triggers[si[p[2].start]]:
            feats[f"sent_trig={label}|{types}"] = 1.0
    best = (real or pairs)[0][2:4]
    return feats, best


#: Parts of the context vector, each the mean of en_core_web_sm's token vectors over it.
CONTEXT_PARTS = ("head", "tail", "between", "sentence")


def context_vector(ctx: DocContext, head: Span, tail: Span) -> np.ndarray | None:
    """The contextual token vectors that en_core_web_sm's tok2vec already computed (`doc.tensor`),
    averaged over the head mention, the tail mention, the words between them (same sentence
    only) and the head's sentence. They let the scorer see paraphrases and rare words that the
    sparse features only know by name; None when the doc has no tensor."""
    if ctx.tensor is None:
        return None
    first, second = (head, tail) if head.start < tail.start else (tail, head)
    sentence = ctx.sent_index[head.start]
    same = ctx.sent_index[tail.start] == sentence
    between = ctx.span_mean(first.end, second.start) if same and second.start > first.end else ctx.zero
    return np.concatenate([ctx.span_mean(head.start, head.end), ctx.span_mean(tail.start, tail.end),
                           between, ctx.sentence_mean[sentence]])
