"""Train the relation pair scorer: one logistic regression per label over pair features."""

from __future__ import annotations

import numpy as np
from spacy.language import Language

from pipeline.nlp.relation_features import candidate_pairs, pair_features
from pipeline.schema import load_schema
from pipeline.train.data import gold_mention_docs


def _pair_data(docs, window: int):
    schema = load_schema()
    rows, labels, pair_keys = [], [], []
    for d, (doc, record) in enumerate(docs):
        gold = {}
        ids = {e["id"]: n for n, e in enumerate(record["entities"])}
        for r in record["relations"]:
            h, t = ids[r["head"]], ids[r["tail"]]
            gold.setdefault((h, t), set()).add(r["label"])
            if r["label"] in schema.symmetric_labels:
                gold.setdefault((t, h), set()).add(r["label"])
        for head, tail, sent_index in candidate_pairs(doc, window):
            he, te = head._.crimeie_entity, tail._.crimeie_entity
            if he == te:
                continue
            rows.append(pair_features(doc, head, tail, sent_index))
            labels.append(gold.get((he, te), set()))
            pair_keys.append((d, he, te, head.label_, tail.label_))
    return rows, labels, pair_keys


def train_relations(nlp: Language, train: list[dict], dev: list[dict], cfg: dict, seed: int, log=print) -> tuple[dict, dict]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    schema = load_schema()
    window = int(cfg["window"])
    train_rows, train_labels, train_keys = _pair_data(gold_mention_docs(nlp, train), window)
    dev_rows, dev_labels, dev_keys = _pair_data(gold_mention_docs(nlp, dev), window)
    vectorizer = DictVectorizer()
    X = vectorizer.fit_transform(train_rows)
    Xd = vectorizer.transform(dev_rows)
    labels, coefs, intercepts, thresholds, report = [], [], [], {}, {}
    for label in schema.relation_labels:
        rtype = schema.relations[label]
        mask = np.array([rtype.allows(k[3], k[4]) for k in train_keys])
        y = np.array([label in ls for ls in train_labels])
        if y[mask].sum() < 3:
            continue
        model = LogisticRegression(C=float(cfg["C"]), max_iter=int(cfg["max_iter"]), class_weight="balanced",
                                   random_state=seed)
        model.fit(X[mask], y[mask])
        coef = np.zeros(X.shape[1], dtype=np.float32)
        coef[:] = model.coef_[0]
        labels.append(label)
        coefs.append(coef)
        intercepts.append(float(model.intercept_[0]))
        # Threshold chosen on dev at the entity-pair level, the level the evaluator scores.
        dmask = np.array([rtype.allows(k[3], k[4]) for k in dev_keys])
        if dmask.sum() == 0:
            thresholds[label] = float(cfg["default_threshold"])
            continue
        probs = model.predict_proba(Xd[dmask])[:, 1]
        keys = [k for k, m in zip(dev_keys, dmask) if m]
        gold_pairs = {(k[0], k[1], k[2]) for k, ls in zip(dev_keys, dev_labels) if label in ls}
        best_pair = {}
        for k, p in zip(keys, probs):
            pair = (k[0], k[1], k[2])
            best_pair[pair] = max(best_pair.get(pair, 0.0), p)
        best_f, best_t = -1.0, float(cfg["default_threshold"])
        for t in np.arange(0.3, 0.96, 0.05):
            pred = {p for p, s in best_pair.items() if s >= t}
            tp = len(pred & gold_pairs)
            f = 2 * tp / (len(pred) + len(gold_pairs)) if pred or gold_pairs else 0.0
            if f > best_f:
                best_f, best_t = f, float(round(t, 2))
        thresholds[label] = best_t
        report[label] = {"dev_pair_f1": round(best_f, 4), "threshold": best_t, "train_positives": int(y[mask].sum())}
        log(f"relations {label:14s} train+ {int(y[mask].sum()):4d}  dev F1 {best_f:.3f} at {best_t}")
    vocab = {f: int(i) for f, i in vectorizer.vocabulary_.items()}
    weights = {"labels": labels, "vocab": vocab, "coef": np.vstack(coefs), "intercept": np.array(intercepts),
               "thresholds": thresholds}
    return weights, report
