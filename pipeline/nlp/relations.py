"""Document-level relations: rule patterns plus a trained pair scorer, aggregated per entity pair.

1. Candidate mention pairs within a window of sentences whose labels some relation allows
   (the argument types of resources/schema.json).
2. Each pair is scored per relation label by a linear model over `relation_features` (trained
   by `crimeie train`; weights in the component's directory as JSON), and by a few
   high-precision surface patterns (`X, the leader of Y`; `arrested by Z`; `Cúcuta, Colombia`).
3. Mention-pair decisions are aggregated into entity-pair relations: confidence is the best
   pair's score; the evidence is that pair's sentence(s); `hedged` comes from the hedge
   detector on the evidence. The guideline replacements apply (LEADER_OF over MEMBER_OF,
   IMPRISONED_IN over BASED_IN over OPERATES_IN for the same pair).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.nlp.hedges import hedge_cue
from pipeline.nlp.lexicon import fold
from pipeline.nlp.relation_features import candidate_pairs, pair_features, triggers
from pipeline.schema import load_schema

REPLACES = {"MEMBER_OF": "LEADER_OF", "OPERATES_IN": "BASED_IN", "BASED_IN": "IMPRISONED_IN"}
_ARREST_WORDS = {"arrested", "captured", "detained", "apprehended", "deported", "extradited", "capturado",
                 "capturados", "detenido", "detenidos", "aprehendido", "arrestado", "capturada"}


def rule_relations(doc: Doc, head: Span, tail: Span) -> list[tuple[str, float, str]]:
    """High-precision surface patterns for one ordered mention pair: (label, score, rule)."""
    out = []
    hl, tl = head.label_, tail.label_
    between = doc[head.end:tail.start] if head.end <= tail.start else None
    words = [fold(t.text) for t in between] if between is not None else None
    if words is not None and hl in ("LOCATION", "FACILITY") and tl == "LOCATION":
        if words in (([","]), [",", "in"], ["in"], [",", "en"], ["en"], ["(", ], [",", "in", "the", "state", "of"],
                     [",", "in", "the", "department", "of"], [",", "in", "the", "province", "of"],
                     [",", "en", "el", "estado"], [",", "in", "the"], [",", "de"], ["de"]):
            out.append(("LOCATED_IN", 0.9, "place_in_place"))
    if words is not None and hl == "PERSON" and tl in ("CRIMINAL_GROUP", "ORGANIZATION") and len(words) <= 6:
        leader = triggers()["LEADER_OF"]
        if any(w in leader for w in words) and any(w in ("of", "de", "del") for w in words[-3:]):
            out.append(("LEADER_OF", 0.9, "person_leader_of_group"))
    if between is not None and hl in ("PERSON", "CRIMINAL_GROUP") and tl == "ORGANIZATION" and len(words) <= 8:
        agent_follows = words[-1] in ("by", "por", "the", "la", "el") or (len(words) >= 2 and words[-2] in ("by", "por"))
        if any(w in _ARREST_WORDS for w in words) and agent_follows:
            out.append(("ARRESTED_BY", 0.9, "arrested_by"))
    return out


class RelationExtractor:
    def __init__(self, name: str, window: int, threshold: float, rules: bool):
        self.name, self.window, self.threshold, self.use_rules = name, window, threshold, rules
        self.schema = load_schema()
        self.labels: list[str] = []
        self.vocab: dict[str, int] = {}
        self.coef: np.ndarray | None = None
        self.intercept: np.ndarray | None = None
        self.thresholds: dict[str, float] = {}

    # -- the trained part --------------------------------------------------------------
    def set_weights(self, labels, vocab, coef, intercept, thresholds) -> None:
        self.labels, self.vocab = list(labels), dict(vocab)
        self.coef, self.intercept = np.asarray(coef, dtype=np.float32), np.asarray(intercept, dtype=np.float32)
        self.thresholds = dict(thresholds)

    def scores(self, feats: dict[str, float]) -> dict[str, float]:
        if self.coef is None:
            return {}
        idx = [self.vocab[f] for f in feats if f in self.vocab]
        logits = self.coef[:, idx].sum(axis=1) + self.intercept
        probs = 1.0 / (1.0 + np.exp(-logits))
        return dict(zip(self.labels, probs.tolist()))

    # -- the component -----------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        entities = doc._.crimeie_entities or []
        if not entities:
            doc._.crimeie_relations = []
            return doc
        ents = list(doc.ents)
        best: dict[tuple[int, str, int], dict] = {}
        symmetric = self.schema.symmetric_labels
        for head, tail, sent_index in candidate_pairs(doc, self.window):
            he, te = head._.crimeie_entity, tail._.crimeie_entity
            if he is None or te is None or he == te:
                continue
            allowed = set(self.schema.allowed_relations(head.label_, tail.label_))
            found: list[tuple[str, float, str]] = []
            if self.use_rules:
                found += [r for r in rule_relations(doc, head, tail) if r[0] in allowed]
            if self.coef is not None:
                for label, p in self.scores(pair_features(doc, head, tail, sent_index)).items():
                    if label in allowed and p >= self.thresholds.get(label, self.threshold):
                        found.append((label, p, "model"))
            for label, score, rule in found:
                h, t = (min(he, te), max(he, te)) if label in symmetric else (he, te)
                key = (h, label, t)
                if key not in best or score > best[key]["confidence"]:
                    sents = sorted({sent_index[head.start], sent_index[tail.start]})
                    best[key] = {"head": h, "label": label, "tail": t, "confidence": float(score),
                                 "component": f"{self.name}:{rule}", "_sents": sents}
        sentences = list(doc.sents)
        relations = []
        keys = set(best)
        for (h, label, t), rel in sorted(best.items()):
            stronger = REPLACES.get(label)
            if stronger and ((h, stronger, t) in keys or (label == "OPERATES_IN" and (h, "IMPRISONED_IN", t) in keys)):
                continue
            first, last = sentences[rel["_sents"][0]], sentences[rel["_sents"][-1]]
            rel["evidence_start"], rel["evidence_end"] = first.start_char, last.end_char
            rel["hedged"] = hedge_cue(doc.text[first.start_char:last.end_char]) is not None
            del rel["_sents"]
            relations.append(rel)
        doc._.crimeie_relations = relations
        return doc

    def to_disk(self, path, exclude=tuple()):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        data = {"labels": self.labels, "vocab": self.vocab, "thresholds": self.thresholds,
                "coef": self.coef.tolist() if self.coef is not None else None,
                "intercept": self.intercept.tolist() if self.intercept is not None else None}
        (path / "weights.json").write_text(json.dumps(data, default=float), encoding="utf-8")

    def from_disk(self, path, exclude=tuple()):
        file = Path(path) / "weights.json"
        if file.exists():
            data = json.loads(file.read_text(encoding="utf-8"))
            if data["coef"] is not None:
                self.set_weights(data["labels"], data["vocab"], data["coef"], data["intercept"], data["thresholds"])
        return self


@Language.factory("crimeie_relations", requires=["doc.ents", "doc._.crimeie_entities"],
                  assigns=["doc._.crimeie_relations"],
                  default_config={"window": 1, "threshold": 0.5, "rules": True})
def make_relations(nlp: Language, name: str, *, window: int, threshold: float, rules: bool):
    return RelationExtractor(name, window, threshold, rules)
