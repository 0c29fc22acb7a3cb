"""The scoring core of corpus/GUIDELINES.md §5: mentions, entities, relations and aliases.

Records on both sides use the gold JSONL format of GUIDELINES §1. Every figure is micro-averaged
over documents; 95% intervals come from a bootstrap over documents.
"""

from __future__ import annotations

import bisect
import itertools
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from pipeline.schema import load_schema
from pipeline.textnorm import normalize_name

TASKS = ("strict", "lenient", "entities", "relations", "aliases")
_ALL = "_all"


@dataclass
class _Doc:
    """One record, indexed for scoring."""

    id: str
    text: str
    spans: list[tuple[int, int, str]]
    span_entity: dict[tuple[int, int, str], list[str]]
    labels: dict[str, str]
    names: dict[str, frozenset[str]]
    display: dict[str, str]
    relations: list[dict]


@dataclass
class _DocResult:
    counts: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    hedged_agree: int = 0
    hedged_matched: int = 0
    rel_fp: list[dict] = field(default_factory=list)
    rel_fn: list[dict] = field(default_factory=list)


def _index(record: dict, text: str | None = None) -> _Doc:
    text = record.get("text", "") if text is None else text
    entities = record.get("entities", [])
    labels = {e["id"]: e.get("label", "") for e in entities}
    names: dict[str, set[str]] = {e["id"]: set() for e in entities}
    display = {}
    for e in entities:
        names[e["id"]].add(normalize_name(e.get("name", "")))
        names[e["id"]].update(normalize_name(a) for a in e.get("aliases") or [])
        display[e["id"]] = e.get("name", "")
    spans, span_entity = [], {}
    for s in record.get("spans", []):
        key = (int(s["start"]), int(s["end"]), s["label"])
        if key not in span_entity:
            spans.append(key)
            span_entity[key] = []
        span_entity[key].append(s.get("entity"))
        if s.get("entity") in names:
            names[s["entity"]].add(normalize_name(text[key[0]:key[1]]))
    frozen = {eid: frozenset(n for n in ns if n) for eid, ns in names.items()}
    for eid, name in display.items():
        if not name and frozen[eid]:
            display[eid] = min(frozen[eid])
    return _Doc(str(record["id"]), text, spans, span_entity, labels, frozen, display,
                _dedupe_relations(record.get("relations", [])))


def _dedupe_relations(relations: list[dict]) -> list[dict]:
    symmetric = load_schema().symmetric_labels
    seen, out = set(), []
    for r in relations:
        ends = (r["head"], r["tail"])
        if r["label"] in symmetric:
            ends = tuple(sorted(ends))
        key = (ends, r["label"])
        if key not in seen:
            seen.add(key)
            out.append(r)
    return out


def _max_matching(adjacency: list[list[int]], n_right: int) -> list[int]:
    """Maximum bipartite matching by BFS augmenting paths; returns the right partner of each left
    vertex, or -1."""
    match_left = [-1] * len(adjacency)
    match_right = [-1] * n_right
    for root in range(len(adjacency)):
        parent: dict[int, int] = {}
        queue, found = deque([root]), -1
        while queue and found < 0:
            x = queue.popleft()
            for v in adjacency[x]:
                if v in parent:
                    continue
                parent[v] = x
                if match_right[v] < 0:
                    found = v
                    break
                queue.append(match_right[v])
        v = found
        while v >= 0:
            x = parent[v]
            previous = match_left[x]
            match_left[x], match_right[v] = v, x
            v = previous
    return match_left


def _entities_compatible(pred: _Doc, pid: str, gold: _Doc, gid: str) -> bool:
    if pid not in pred.labels or gid not in gold.labels:
        return False
    return pred.labels[pid] == gold.labels[gid] and bool(pred.names[pid] & gold.names[gid])


def _add(counts: dict[str, dict[str, list[int]]], task: str, label: str, tp=0, fp=0, fn=0) -> None:
    row = counts.setdefault(task, {}).setdefault(label, [0, 0, 0])
    row[0] += tp
    row[1] += fp
    row[2] += fn


def _mention_counts(gold: _Doc, pred: _Doc, counts) -> None:
    gold_set, pred_set = set(gold.spans), set(pred.spans)
    for label in {s[2] for s in gold_set | pred_set}:
        g = {s for s in gold_set if s[2] == label}
        p = {s for s in pred_set if s[2] == label}
        exact = g & p
        _add(counts, "strict", label, len(exact), len(p) - len(exact), len(g) - len(exact))
        lenient = len(exact) + len(_overlap_pairs(g - exact, p - exact))
        _add(counts, "lenient", label, lenient, len(p) - lenient, len(g) - lenient)


def _overlap_pairs(gold: set, pred: set) -> list[tuple]:
    """Greedy one-to-one pairing of same-label spans by largest overlap."""
    candidates = []
    for g in gold:
        for p in pred:
            overlap = min(g[1], p[1]) - max(g[0], p[0])
            if overlap > 0:
                candidates.append((-overlap, g, p))
    candidates.sort()
    used_g, used_p, pairs = set(), set(), []
    for _, g, p in candidates:
        if g not in used_g and p not in used_p:
            used_g.add(g)
            used_p.add(p)
            pairs.append((g, p))
    return pairs


def _entity_counts(gold: _Doc, pred: _Doc, counts) -> None:
    gids, pids = list(gold.labels), list(pred.labels)
    adjacency = [[j for j, gid in enumerate(gids) if _entities_compatible(pred, pid, gold, gid)]
                 for pid in pids]
    match = _max_matching(adjacency, len(gids))
    for label in set(gold.labels.values()) | set(pred.labels.values()):
        tp = sum(1 for i, j in enumerate(match) if j >= 0 and pred.labels[pids[i]] == label)
        n_pred = sum(1 for pid in pids if pred.labels[pid] == label)
        n_gold = sum(1 for gid in gids if gold.labels[gid] == label)
        _add(counts, "entities", label, tp, n_pred - tp, n_gold - tp)


def _relations_compatible(pred: _Doc, p: dict, gold: _Doc, g: dict, symmetric) -> bool:
    if p["label"] != g["label"]:
        return False
    def ok(ph, pt):
        return (_entities_compatible(pred, ph, gold, g["head"])
                and _entities_compatible(pred, pt, gold, g["tail"]))
    return ok(p["head"], p["tail"]) or (p["label"] in symmetric and ok(p["tail"], p["head"]))


def _relation_counts(gold: _Doc, pred: _Doc, result: _DocResult) -> None:
    symmetric = load_schema().symmetric_labels
    adjacency = [[j for j, g in enumerate(gold.relations)
                  if _relations_compatible(pred, p, gold, g, symmetric)] for p in pred.relations]
    match = _max_matching(adjacency, len(gold.relations))
    matched_gold = {j for j in match if j >= 0}
    for i, j in enumerate(match):
        if j >= 0:
            result.hedged_matched += 1
            result.hedged_agree += (bool(pred.relations[i].get("hedged", False))
                                    == bool(gold.relations[j].get("hedged", False)))
    result.rel_fp = [p for i, p in enumerate(pred.relations) if match[i] < 0]
    result.rel_fn = [g for j, g in enumerate(gold.relations) if j not in matched_gold]
    for label in {r["label"] for r in gold.relations + pred.relations}:
        tp = sum(1 for i, j in enumerate(match) if j >= 0 and pred.relations[i]["label"] == label)
        n_pred = sum(1 for r in pred.relations if r["label"] == label)
        n_gold = sum(1 for r in gold.relations if r["label"] == label)
        _add(result.counts, "relations", label, tp, n_pred - tp, n_gold - tp)


def _alias_pairs(doc: _Doc) -> set[tuple[str, str]]:
    pairs = set()
    for names in doc.names.values():
        pairs.update(itertools.combinations(sorted(names), 2))
    return pairs


def _score_doc(gold: _Doc, pred: _Doc) -> _DocResult:
    result = _DocResult()
    _mention_counts(gold, pred, result.counts)
    _entity_counts(gold, pred, result.counts)
    _relation_counts(gold, pred, result)
    g, p = _alias_pairs(gold), _alias_pairs(pred)
    _add(result.counts, "aliases", _ALL, len(g & p), len(p - g), len(g - p))
    for task in TASKS:
        result.counts.setdefault(task, {})
    return result


def _pair_docs(gold_docs: list[dict], pred_docs: list[dict]) -> tuple[list[tuple[_Doc, _Doc]], int]:
    """Index and pair documents by id; a missing pred doc becomes an empty one."""
    for side, docs in (("gold", gold_docs), ("pred", pred_docs)):
        ids = [str(d["id"]) for d in docs]
        if len(ids) != len(set(ids)):
            dup = sorted({i for i in ids if ids.count(i) > 1})
            raise ValueError(f"duplicate {side} document ids: {dup[:5]}")
    by_id = {str(d["id"]): d for d in pred_docs}
    gold_ids = {str(d["id"]) for d in gold_docs}
    pairs = []
    for record in gold_docs:
        gold = _index(record)
        pred_record = by_id.get(gold.id, {"id": gold.id})
        pred_text = pred_record.get("text") or gold.text
        pairs.append((gold, _index(pred_record, pred_text)))
    return pairs, sum(1 for i in by_id if i not in gold_ids)


def _block(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "tp": int(tp), "fp": int(fp), "fn": int(fn)}


def _bootstrap_ci(per_doc: np.ndarray, n_bootstrap: int, seed: int) -> list[float] | None:
    """Percentile interval of micro F1; per_doc has one (tp, fp, fn) row per document."""
    if n_bootstrap <= 0 or len(per_doc) == 0:
        return None
    rng = np.random.RandomState(seed)
    idx = rng.randint(0, len(per_doc), size=(n_bootstrap, len(per_doc)))
    sums = per_doc[idx].sum(axis=1)
    tp, fp, fn = sums[:, 0], sums[:, 1], sums[:, 2]
    denominator = 2 * tp + fp + fn
    f1 = np.divide(2 * tp, denominator, out=np.zeros(n_bootstrap), where=denominator > 0)
    lo, hi = np.percentile(f1, [2.5, 97.5])
    return [round(float(lo), 4), round(float(hi), 4)]


def _label_order(known: tuple[str, ...], seen: set[str]) -> list[str]:
    return list(known) + sorted(seen - set(known) - {_ALL})


def score(gold_docs: list[dict], pred_docs: list[dict], n_bootstrap: int = 1000,
          seed: int = 0) -> dict:
    """Score pred records against gold records; see GUIDELINES §5 for the definitions.

    `ci95` is [lo, hi], or None when there are no documents or n_bootstrap is 0. Repeated
    relations (either side) count once; a missing `hedged` reads as False.
    """
    schema = load_schema()
    pairs, unmatched = _pair_docs(gold_docs, pred_docs)
    results = [_score_doc(g, p) for g, p in pairs]

    per_doc = {task: np.zeros((len(results), 3), dtype=np.int64) for task in TASKS}
    totals: dict[str, dict[str, list[int]]] = {task: {} for task in TASKS}
    for d, result in enumerate(results):
        for task in TASKS:
            for label, row in result.counts[task].items():
                per_doc[task][d] += row
                total = totals[task].setdefault(label, [0, 0, 0])
                for k in range(3):
                    total[k] += row[k]

    def micro(task: str) -> dict:
        tp, fp, fn = (int(x) for x in per_doc[task].sum(axis=0))
        return {**_block(tp, fp, fn), "ci95": _bootstrap_ci(per_doc[task], n_bootstrap, seed)}

    def per_label(task: str, label: str) -> dict:
        return _block(*totals[task].get(label, (0, 0, 0)))

    entity_labels = _label_order(schema.entity_labels, set(totals["strict"]) | set(totals["entities"]))
    relation_labels = _label_order(schema.relation_labels, set(totals["relations"]))
    matched = sum(r.hedged_matched for r in results)
    agree = sum(r.hedged_agree for r in results)
    strict, entities, relations = micro("strict"), micro("entities"), micro("relations")
    return {
        "counts": {
            "documents": len(pairs),
            "gold_spans": strict["tp"] + strict["fn"],
            "pred_spans": strict["tp"] + strict["fp"],
            "gold_entities": entities["tp"] + entities["fn"],
            "pred_entities": entities["tp"] + entities["fp"],
            "gold_relations": relations["tp"] + relations["fn"],
            "pred_relations": relations["tp"] + relations["fp"],
            "unmatched_pred_docs": unmatched,
        },
        "mentions": {
            "strict": strict,
            "lenient": micro("lenient"),
            "per_label": {label: {"strict": per_label("strict", label),
                                  "lenient": per_label("lenient", label)}
                          for label in entity_labels},
        },
        "entities": {
            "micro": entities,
            "per_label": {label: per_label("entities", label) for label in entity_labels},
        },
        "relations": {
            "micro": relations,
            "per_label": {label: per_label("relations", label) for label in relation_labels},
            "hedged_agreement": {"share": round(agree / matched, 4) if matched else None,
                                 "matched": matched},
        },
        "aliases": micro("aliases"),
    }


def _context(text: str, start: int, end: int, chars: int) -> str:
    left = text[max(0, start - chars):start]
    right = text[end:end + chars]
    return " ".join(f"{left}[[{text[start:end]}]]{right}".split())


def _overlapping_label(span: tuple[int, int, str], others: list[tuple[int, int, str]]) -> str | None:
    best, best_overlap = None, 0
    for o in others:
        overlap = min(span[1], o[1]) - max(span[0], o[0])
        if overlap > best_overlap:
            best, best_overlap = o[2], overlap
    return best


def _evidence(doc: _Doc, head: str, tail: str) -> str:
    """The first '.'/newline-delimited window holding a span of both head and tail."""
    boundaries = [i for i, c in enumerate(doc.text) if c in ".\n"]

    def window_of(pos: int) -> tuple[int, int]:
        k = bisect.bisect_left(boundaries, pos)
        lo = boundaries[k - 1] + 1 if k else 0
        hi = boundaries[k] + 1 if k < len(boundaries) else len(doc.text)
        return lo, hi

    def windows(entity: str) -> set[tuple[int, int]]:
        return {window_of(s[0]) for s, owners in doc.span_entity.items() if entity in owners}

    shared = sorted(windows(head) & windows(tail))
    if not shared:
        return ""
    lo, hi = shared[0]
    return " ".join(doc.text[lo:hi].split())


def _relation_row(doc: _Doc, relation: dict, use_field: bool) -> dict:
    evidence = relation.get("evidence") if use_field else None
    return {
        "doc_id": doc.id,
        "head_name": doc.display.get(relation["head"], relation["head"]),
        "label": relation["label"],
        "tail_name": doc.display.get(relation["tail"], relation["tail"]),
        "hedged": bool(relation.get("hedged", False)),
        "evidence": evidence or _evidence(doc, relation["head"], relation["tail"]),
    }


def error_rows(gold_docs: list[dict], pred_docs: list[dict],
               context_chars: int = 60) -> dict[str, list[dict]]:
    """Strict mention and relation errors, one row each, for inspection."""
    rows: dict[str, list[dict]] = {"mention_fp": [], "mention_fn": [],
                                   "relation_fp": [], "relation_fn": []}
    pairs, _ = _pair_docs(gold_docs, pred_docs)
    for gold, pred in pairs:
        gold_set, pred_set = set(gold.spans), set(pred.spans)
        for kind, doc, spans, other, other_key in (
                ("mention_fp", pred, pred.spans, gold.spans, "overlapping_gold"),
                ("mention_fn", gold, gold.spans, pred.spans, "overlapping_pred")):
            wrong = [s for s in spans if s not in (gold_set if kind == "mention_fp" else pred_set)]
            for s in sorted(wrong):
                rows[kind].append({
                    "doc_id": gold.id, "start": s[0], "end": s[1], "text": doc.text[s[0]:s[1]],
                    "label": s[2], "context": _context(doc.text, s[0], s[1], context_chars),
                    other_key: _overlapping_label(s, other)})
        result = _DocResult()
        _relation_counts(gold, pred, result)
        rows["relation_fp"] += [_relation_row(pred, r, True) for r in result.rel_fp]
        rows["relation_fn"] += [_relation_row(gold, r, False) for r in result.rel_fn]
    return rows
