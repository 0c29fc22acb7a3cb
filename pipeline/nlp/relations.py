"""Document-level relations: rule patterns plus a trained pair scorer, aggregated per entity pair.

1. Candidate entity pairs whose labels some relation allows (the argument types of
   resources/schema.json) and whose mentions come within `max_sentences` sentences, or that a
   generic reference ("the gang") ties together.
2. Each entity pair is scored per relation label by a linear model over
   `entity_pair_features` (trained by `crimeie train`; weights in the component's directory as
   JSON): its closest mention pairs, how salient each side is, triggers in shared sentences,
   each side's role across the document (`the murder of X` anywhere makes X a victim), and the
   labels the training articles gave the same names (relation_prior.py). A pair whose names the
   prior has never seen is scored by a second model trained without the prior, so an article
   about names the corpus never covered reads exactly as it would have without one. Then a
   small model per label (relation_stacker.py) reads each pair's scores beside those of
   the candidates that share its head or its tail: a group has few leaders, a detainee one
   arresting body.
3. High-precision surface patterns (relation_rules.py: `X, the leader of Y`; `arrested by Z`,
   `Z arrested X`; `Cúcuta, Colombia`, `Tocorón prison in Aragua`) fire on mention pairs
   within `window` sentences.
4. Confidence is the best score; the evidence is the best mention pair's sentence(s); `hedged`
   comes from the hedge detector on the evidence. A pair holds one label of each exclusive family
   (MEMBER_OF / LEADER_OF; OPERATES_IN / BASED_IN / IMPRISONED_IN), the most confident, and a label that is not
   symmetric holds one way only: of `A LOCATED_IN B` and `B LOCATED_IN A` the more confident stays.
   (The gold corpus never has both directions of such a label.)
"""

from __future__ import annotations

import json
from itertools import chain
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.nlp.hedges import hedge_cue
from pipeline.nlp.relation_features import (DocContext, allowed_labels, candidate_pairs, context_vector,
                                            entity_pair_candidates, entity_pair_features)
from pipeline.nlp.relation_prior import UNKNOWN_TO_PRIOR, RelationPrior
from pipeline.nlp.relation_rules import rule_relations
from pipeline.nlp.relation_stacker import RelationStacker
from pipeline.schema import load_schema

#: Labels of which a pair holds one (GUIDELINES §4: LEADER_OF over MEMBER_OF; IMPRISONED_IN over
#: BASED_IN over OPERATES_IN), weakest first.
EXCLUSIVE_FAMILIES = (("MEMBER_OF", "LEADER_OF"), ("OPERATES_IN", "BASED_IN", "IMPRISONED_IN"))
_FAMILY = {label: family for family in EXCLUSIVE_FAMILIES for label in family}


class RelationExtractor:
    def __init__(self, name: str, window: int, max_sentences: int, threshold: float, rules: bool):
        self.name, self.window, self.threshold, self.use_rules = name, window, threshold, rules
        self.max_sentences = max_sentences
        self.schema = load_schema()
        self.labels: list[str] = []
        self.vocab: dict[str, int] = {}
        self.coef: np.ndarray | None = None
        self.intercept: np.ndarray | None = None
        self.thresholds: dict[str, float] = {}
        self.context_coef: np.ndarray | None = None
        self.context_scale = 0.0
        self._coef_rows: np.ndarray | None = None  # coef transposed, one row per feature, for score_matrix
        self.prior: RelationPrior | None = None  # what the training articles related (relation_prior.py)
        # The model for pairs whose names the prior has never seen, trained without it:
        # {"coef", "intercept", "thresholds", "context_coef"} over the same vocabulary.
        self.text_only: dict | None = None
        # The second look at each label's scores beside the pair's rivals (relation_stacker.py).
        self.stacker: RelationStacker | None = None

    # -- the trained part --------------------------------------------------------------
    def load_weights(self, data: dict) -> None:
        """Set the weights from the dict that training returns and weights.json holds."""
        self.labels, self.vocab = list(data["labels"]), dict(data["vocab"])
        self.coef = np.asarray(data["coef"], dtype=np.float32)
        self.intercept = np.asarray(data["intercept"], dtype=np.float32)
        self.thresholds = dict(data["thresholds"])
        context_coef = data.get("context_coef")
        self.context_coef = None if context_coef is None else np.asarray(context_coef, dtype=np.float32)
        self.context_scale = float(data.get("context_scale") or 0.0)
        self._coef_rows = np.ascontiguousarray(self.coef.T)
        self.prior = data.get("prior")
        text_only = data.get("text_only")
        self.text_only = None if text_only is None else {
            "coef_rows": np.ascontiguousarray(np.asarray(text_only["coef"], dtype=np.float32).T),
            "intercept": np.asarray(text_only["intercept"], dtype=np.float32),
            "thresholds": dict(text_only["thresholds"]),
            "context_coef": None if text_only.get("context_coef") is None
            else np.asarray(text_only["context_coef"], dtype=np.float32)}
        stacker = data.get("stacker")
        self.stacker = RelationStacker.from_dict(stacker) if isinstance(stacker, dict) else stacker

    def scores(self, feats: dict[str, float], context: np.ndarray | None = None) -> dict[str, float]:
        """Probability per label: the sparse features are binary, so their logit is a sum of
        weights; the context vector (if the scorer was trained with one) adds a dot product."""
        if self.coef is None:
            return {}
        probs = self.score_matrix([feats], None if context is None else [context])[0]
        return dict(zip(self.labels, probs.tolist()))

    def score_matrix(self, feats: list[dict[str, float]], contexts: list[np.ndarray] | None = None,
                     text_only: bool = False, index: tuple | None = None) -> np.ndarray:
        """`scores` for many pairs at once, one row per pair and one column per label: one gather
        and one matrix product per document instead of a numpy call per pair. `text_only` scores
        with the model trained without the prior; `index` is `feature_index(feats)`, when the
        caller scores the same pairs with both models."""
        coef_rows, intercept, context_coef = self._coef_rows, self.intercept, self.context_coef
        if text_only:
            weights = self.text_only
            coef_rows, intercept, context_coef = weights["coef_rows"], weights["intercept"], weights["context_coef"]
        n = len(feats)
        if n == 0:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        flat, offsets, nonempty = index if index is not None else self.feature_index(feats)
        logits = np.zeros((n, len(self.labels)), dtype=np.float32)
        if nonempty.any():
            logits[nonempty] = np.add.reduceat(coef_rows[flat], offsets, axis=0)
        logits += intercept
        if context_coef is not None and contexts is not None and all(c is not None for c in contexts):
            logits += (np.vstack(contexts) * self.context_scale) @ context_coef.T
        return 1.0 / (1.0 + np.exp(-logits))

    def feature_index(self, feats: list[dict[str, float]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The vocabulary rows of every pair's features, flat, with each nonempty pair's offset
        into them and which pairs have any: the part of scoring that runs in Python."""
        vocab = self.vocab
        # Sorted, so the float32 sum runs in one order: features come partly from sets of strings,
        # whose order changes with each process's hash seed, and so did the last digits of scores.
        idx = [sorted(vocab[f] for f in pair if f in vocab) for pair in feats]
        lengths = np.fromiter((len(ix) for ix in idx), dtype=np.int64, count=len(idx))
        flat = np.fromiter(chain.from_iterable(idx), dtype=np.int64, count=int(lengths.sum()))
        nonempty = lengths > 0
        offsets = np.concatenate([[0], np.cumsum(lengths)[:-1]])[nonempty] if len(idx) else lengths
        return flat, offsets, nonempty

    # -- the component -----------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        entities = doc._.crimeie_entities or []
        if not entities:
            doc._.crimeie_relations = []
            return doc
        best: dict[tuple[int, str, int], dict] = {}
        symmetric = self.schema.symmetric_labels
        ctx = DocContext(doc)

        def keep(he: int, te: int, label: str, score: float, rule: str, head: Span, tail: Span) -> None:
            h, t = (min(he, te), max(he, te)) if label in symmetric else (he, te)
            key = (h, label, t)
            if key not in best or score > best[key]["confidence"]:
                sents = sorted({ctx.sent_index[head.start], ctx.sent_index[tail.start]})
                best[key] = {"head": h, "label": label, "tail": t, "confidence": float(score),
                             "component": f"{self.name}:{rule}", "_sents": sents}

        if self.use_rules:
            for head, tail in candidate_pairs(ctx, self.window):
                he, te = head._.crimeie_entity, tail._.crimeie_entity
                if he is None or te is None or he == te:
                    continue
                allowed = allowed_labels(head.label_, tail.label_)
                for label, score, rule in rule_relations(ctx, head, tail):
                    if label in allowed:
                        keep(he, te, label, score, rule, head, tail)
        if self.coef is not None:
            pairs, feats, contexts = [], [], []
            for he, te, near in entity_pair_candidates(ctx, self.max_sentences):
                pair_feats, (head, tail) = entity_pair_features(ctx, he, te, near, prior=self.prior)
                pairs.append((he, te, head, tail))
                feats.append(pair_feats)
                contexts.append(context_vector(ctx, head, tail) if self.context_coef is not None else None)
            for (he, te, head, tail), probs, thresholds in self._scored(feats, contexts, pairs):
                allowed = allowed_labels(ctx.label_of[he], ctx.label_of[te])
                for label, p, threshold in zip(self.labels, probs, thresholds):
                    if p >= threshold and label in allowed:
                        keep(he, te, label, p, "model", head, tail)
        sentences = ctx.sents
        dateline_only = _named_only_in_dateline(ctx)
        relations = []
        text = ctx.text
        for (h, label, t), rel in sorted(best.items()):
            if _outranked_in_family(best, h, label, t):
                continue
            if label not in symmetric and _weaker_than_reverse(best, h, label, t):
                continue
            if h in dateline_only or t in dateline_only:
                continue
            first, last = sentences[rel["_sents"][0]], sentences[rel["_sents"][-1]]
            rel["evidence_start"], rel["evidence_end"] = first.start_char, last.end_char
            rel["hedged"] = hedge_cue(text[first.start_char:last.end_char]) is not None
            del rel["_sents"]
            relations.append(rel)
        doc._.crimeie_relations = relations
        return doc

    def _scored(self, feats: list[dict], contexts: list, pairs: list):
        """(pair, probabilities, thresholds) per candidate: the prior's model for pairs the prior
        knows a side of, the text-only model for the others; then the stacker, if trained, over
        all of them together, with the text-only model's reading of every pair beside them."""
        index = self.feature_index(feats)
        if self.text_only is None:
            unknown = np.zeros(len(feats), dtype=bool)
            probs = text_probs = self.score_matrix(feats, contexts, index=index)
        else:
            # Without its prior (prior.json removed) every pair is one the prior does not know.
            unknown = np.array([self.prior is None or UNKNOWN_TO_PRIOR in f for f in feats], dtype=bool)
            text_probs = self.score_matrix(feats, contexts, text_only=True, index=index)
            probs = np.where(unknown[:, None], text_probs, self.score_matrix(feats, contexts, index=index))
        if self.stacker is not None and pairs:
            allowed = np.array([[label in allowed_labels(head.label_, tail.label_) for label in self.labels]
                                for _, _, head, tail in pairs])
            probs = self.stacker.probabilities(probs, text_probs, allowed, unknown,
                                               np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs]))
            stacked = [self.stacker.thresholds.get(label, self.threshold) for label in self.labels]
            return zip(pairs, probs.tolist(), [stacked] * len(pairs))
        main = [self.thresholds.get(label, self.threshold) for label in self.labels]
        if self.text_only is None:
            return zip(pairs, probs.tolist(), [main] * len(pairs))
        text = [self.text_only["thresholds"].get(label, self.threshold) for label in self.labels]
        return zip(pairs, probs.tolist(), [text if u else main for u in unknown.tolist()])

    def to_disk(self, path, exclude=tuple()):
        """weights.json (labels, vocabulary, thresholds, intercepts, context weights), the two
        feature-weight matrices as .npy files (float32, a third of their size as JSON text) and
        the prior's facts (prior.json)."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        data = {"labels": self.labels, "vocab": self.vocab, "thresholds": self.thresholds,
                "coef": COEF_FILE if self.coef is not None else None,
                "intercept": self.intercept.tolist() if self.intercept is not None else None,
                "context_coef": self.context_coef.tolist() if self.context_coef is not None else None,
                "context_scale": self.context_scale}
        if self.coef is not None:
            np.save(path / COEF_FILE, self.coef.astype(np.float32))
        if self.text_only is not None:
            np.save(path / TEXT_ONLY_COEF_FILE, np.ascontiguousarray(self.text_only["coef_rows"].T))
            data["text_only"] = {"coef": TEXT_ONLY_COEF_FILE,
                                 "intercept": self.text_only["intercept"].tolist(),
                                 "thresholds": self.text_only["thresholds"],
                                 "context_coef": None if self.text_only["context_coef"] is None
                                 else self.text_only["context_coef"].tolist()}
        if self.stacker is not None:
            data["stacker"] = self.stacker.to_dict()
        (path / "weights.json").write_text(json.dumps(data, default=float), encoding="utf-8")
        if self.prior is not None:
            self.prior.to_disk(path)

    def from_disk(self, path, exclude=tuple()):
        path = Path(path)
        file = path / "weights.json"
        if file.exists():
            data = json.loads(file.read_text(encoding="utf-8"))
            if data["coef"] is not None:
                if isinstance(data["coef"], str):
                    data["coef"] = np.load(path / data["coef"])
                if isinstance(data.get("text_only"), dict) and isinstance(data["text_only"]["coef"], str):
                    data["text_only"]["coef"] = np.load(path / data["text_only"]["coef"])
                self.load_weights(dict(data, prior=RelationPrior.from_disk(path)))
        return self


COEF_FILE = "coef.npy"
TEXT_ONLY_COEF_FILE = "text_only_coef.npy"


#: Dashes that close a dateline (`BOGOTÁ, 22 de agosto —`, `GUAYAQUIL —`).
_DATELINE_DASHES = {"—", "–", "-", "--"}


def _named_only_in_dateline(ctx: DocContext) -> set[int]:
    """Entities named only in the dateline (`BOGOTÁ, 22 de agosto — Las autoridades de Colombia
    ...`): where the story was filed says nothing about what the story tells, so such a place
    takes no relation. (In the training articles, 10 of the 12 dateline places named nowhere
    else have none.)"""
    doc = ctx.doc
    if not ctx.ents or ctx.ents[0].start != 0 or ctx.ents[0].label_ != "LOCATION":
        return set()
    first = ctx.ents[0]
    closing = next((i for i in range(first.end, min(first.end + 8, len(doc))) if doc[i].text in _DATELINE_DASHES), None)
    if closing is None or any(e.start < closing for e in ctx.ents[1:]):
        return set()
    k = first._.crimeie_entity
    return {k} if k is not None and all(m.start == 0 for m in ctx.mentions.get(k, ())) else set()


def _outranked_in_family(best: dict, h: int, label: str, t: int) -> bool:
    """Whether another label of the same exclusive family links the pair with a higher confidence
    (a tie goes to the label the guidelines rank higher). When both `BASED_IN` and `OPERATES_IN`
    are found, the more confident reading stands, not always the higher-ranked label: out of fold
    over train+dev this scored 0.557 against 0.554 for the guideline order."""
    family = _FAMILY.get(label)
    if family is None:
        return False
    mine, rank = best[(h, label, t)]["confidence"], family.index(label)
    for other in family:
        rival = best.get((h, other, t))
        if other != label and rival is not None and \
                (rival["confidence"] > mine or (rival["confidence"] == mine and family.index(other) > rank)):
            return True
    return False


def _weaker_than_reverse(best: dict, h: int, label: str, t: int) -> bool:
    """Whether the same label also links the pair the other way round with a higher confidence
    (a tie keeps the direction whose head has the lower entity number)."""
    reverse = best.get((t, label, h))
    if reverse is None:
        return False
    mine = best[(h, label, t)]["confidence"]
    return reverse["confidence"] > mine or (reverse["confidence"] == mine and t < h)


@Language.factory("crimeie_relations", requires=["doc.ents", "doc._.crimeie_entities"],
                  assigns=["doc._.crimeie_relations"],
                  default_config={"window": 1, "max_sentences": 3, "threshold": 0.5, "rules": True})
def make_relations(nlp: Language, name: str, *, window: int, max_sentences: int, threshold: float, rules: bool):
    return RelationExtractor(name, window, max_sentences, threshold, rules)
