"""Train the relation scorer: one logistic regression per label over entity-pair features.

The evaluator scores document-level relations between entities, so the model is trained at that
level: each candidate is an ordered pair of gold entities (`entity_pair_candidates`), described by
`entity_pair_features` (its closest mention pairs, salience, generic references, triggers).
"""

from __future__ import annotations

import numpy as np
from spacy.language import Language

from pipeline.nlp.relation_features import DocContext, context_vector, entity_pair_candidates, entity_pair_features
from pipeline.schema import load_schema
from pipeline.train.data import gold_mention_docs


def gold_pair_labels(record: dict, symmetric_labels) -> dict[tuple[int, int], set[str]]:
    """The gold relation labels of each ordered (head, tail) pair of a record's entities, by
    entity index; a symmetric label holds in both directions."""
    gold: dict[tuple[int, int], set[str]] = {}
    ids = {e["id"]: n for n, e in enumerate(record["entities"])}
    for r in record["relations"]:
        h, t = ids[r["head"]], ids[r["tail"]]
        gold.setdefault((h, t), set()).add(r["label"])
        if r["label"] in symmetric_labels:
            gold.setdefault((t, h), set()).add(r["label"])
    return gold


def entity_pair_data(docs, max_sentences: int):
    """Feature rows, context vectors of their best mention pairs (None where a doc has no
    tensor), gold label sets and (doc, head, tail, head label, tail label) keys."""
    schema = load_schema()
    rows, vectors, labels, keys = [], [], [], []
    for d, (doc, record) in enumerate(docs):
        gold = gold_pair_labels(record, schema.symmetric_labels)
        ctx = DocContext(doc)
        for h, t, near in entity_pair_candidates(ctx, max_sentences):
            feats, (head, tail) = entity_pair_features(ctx, h, t, near)
            rows.append(feats)
            vectors.append(context_vector(ctx, head, tail))
            labels.append(gold.get((h, t), set()))
            keys.append((d, h, t, ctx.label_of[h], ctx.label_of[t]))
    return rows, vectors, labels, keys


THRESHOLD_GRID = np.arange(0.2, 0.96, 0.05)


def _best_threshold(probs, keys, gold_pairs, symmetric: bool, default: float) -> tuple[float, float, tuple]:
    """The threshold with the best pair F1, that F1 and its (tp, predicted, gold) counts."""
    scored: dict[tuple, float] = {}
    for k, p in zip(keys, probs):
        pair = _pair_key(k, symmetric)
        scored[pair] = max(scored.get(pair, 0.0), float(p))
    best_f, best_t, best_counts = -1.0, default, (0, 0, len(gold_pairs))
    for t in THRESHOLD_GRID:
        pred = {p for p, s in scored.items() if s >= t}
        tp = len(pred & gold_pairs)
        f = 2 * tp / (len(pred) + len(gold_pairs)) if pred or gold_pairs else 0.0
        if f > best_f + 1e-9:
            best_f, best_t, best_counts = f, float(round(t, 2)), (tp, len(pred), len(gold_pairs))
    return best_f, best_t, best_counts


def _pair_key(k: tuple, symmetric: bool) -> tuple:
    return (k[0], min(k[1], k[2]), max(k[1], k[2])) if symmetric else (k[0], k[1], k[2])


def train_relations(nlp: Language, train: list[dict], dev: list[dict], cfg: dict, seed: int, log=print) -> tuple[dict, dict]:
    """Fit one model per label on the train split. Thresholds are chosen on out-of-fold scores
    over train and dev together (`threshold_folds` folds by document): eight dev articles alone
    hold too few positives per label to pick a threshold from."""
    from scipy import sparse
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    schema = load_schema()
    max_sentences = int(cfg["max_sentences"])
    folds = int(cfg.get("threshold_folds", 5))
    rows, vectors, gold_labels, keys = entity_pair_data(gold_mention_docs(nlp, train + dev), max_sentences)
    n_train = len(train)
    is_train = np.array([k[0] < n_train for k in keys])
    fold = np.array([k[0] % folds for k in keys])
    vectorizer = DictVectorizer()
    vectorizer.fit([r for r, t in zip(rows, is_train) if t])
    X = vectorizer.transform(rows)
    # Context vectors sit beside the sparse features, scaled so the shared C regularizes both.
    context_scale = float(cfg.get("context_scale", 0.0))
    n_sparse = X.shape[1]
    if context_scale > 0 and vectors and all(v is not None for v in vectors):
        X = sparse.hstack([X, sparse.csr_matrix(np.vstack(vectors) * context_scale)]).tocsr()
    else:
        context_scale = 0.0
    labels, coefs, intercepts, thresholds, per_label = [], [], [], {}, {}
    totals = [0, 0, 0]  # out-of-fold tp, predicted, gold pairs over all labels

    def fit(mask, y):
        return LogisticRegression(C=float(cfg["C"]), max_iter=int(cfg["max_iter"]),
                                  class_weight=cfg.get("class_weight") or None, random_state=seed).fit(X[mask], y[mask])

    for label in schema.relation_labels:
        rtype = schema.relations[label]
        symmetric = label in schema.symmetric_labels
        allowed = np.array([rtype.allows(k[3], k[4]) for k in keys])
        y = np.array([label in ls for ls in gold_labels])
        if y[allowed & is_train].sum() < 3:
            continue
        model = fit(allowed & is_train, y)
        labels.append(label)
        coefs.append(model.coef_[0].astype(np.float32))
        intercepts.append(float(model.intercept_[0]))
        out_of_fold = np.zeros(len(keys))
        for f in range(folds):
            held = allowed & (fold == f)
            fitted = allowed & (fold != f)
            if held.any() and y[fitted].sum() >= 3:
                out_of_fold[held] = fit(fitted, y).predict_proba(X[held])[:, 1]
        picked = [(k, p) for k, p, a in zip(keys, out_of_fold, allowed) if a]
        gold_pairs = {_pair_key(k, symmetric) for k, ls in zip(keys, gold_labels) if label in ls}
        best_f, best_t, counts = _best_threshold([p for _, p in picked], [k for k, _ in picked], gold_pairs,
                                                 symmetric, float(cfg["default_threshold"]))
        thresholds[label] = best_t
        totals = [a + b for a, b in zip(totals, counts)]
        per_label[label] = {"cv_pair_f1": round(best_f, 4), "threshold": best_t,
                         "train_positives": int(y[allowed & is_train].sum()), "cv_positives": len(gold_pairs)}
        log(f"relations {label:14s} train+ {per_label[label]['train_positives']:4d}  "
            f"out-of-fold F1 {best_f:.3f} at {best_t}")
    micro = 2 * totals[0] / (totals[1] + totals[2]) if totals[1] + totals[2] else 0.0
    report = {"per_label": per_label,
              "micro": {"cv_pair_f1": round(micro, 4), "tp": totals[0], "predicted": totals[1], "gold": totals[2]}}
    log(f"relations out-of-fold micro F1 {micro:.3f} ({totals[0]} of {totals[2]} gold pairs, {totals[1]} predicted)")
    vocab = {f: int(i) for f, i in vectorizer.vocabulary_.items()}
    coef = np.vstack(coefs)
    weights = {"labels": labels, "vocab": vocab, "coef": coef[:, :n_sparse], "intercept": np.array(intercepts),
               "thresholds": thresholds, "context_coef": coef[:, n_sparse:] if context_scale else None,
               "context_scale": context_scale}
    return weights, report
