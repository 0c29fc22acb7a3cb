"""Train the relation scorer: one logistic regression per label over entity-pair features.

The evaluator scores document-level relations between entities, so the model is trained at that
level: each candidate is an ordered pair of gold entities (`entity_pair_candidates`), described by
`entity_pair_features` (its closest mention pairs, salience, generic references, triggers).
"""

from __future__ import annotations

import numpy as np
from spacy.language import Language

from pipeline.nlp.relation_features import DocContext, context_vector, entity_pair_candidates, entity_pair_features
from pipeline.nlp.relation_prior import UNKNOWN_TO_PRIOR, RelationPrior, entity_keys, prior_feature_names_without
from pipeline.nlp.relation_stacker import RelationStacker, stack_features
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


def entity_pair_data(docs, max_sentences: int, with_prior: bool = False):
    """Feature rows, context vectors of their best mention pairs (None where a doc has no
    tensor), gold label sets and (doc, head, tail, head label, tail label) keys; with
    `with_prior`, also each row's prior (label → the docs that state it for the pair's names)
    and the `RelationPrior` of all the docs' gold relations, docs numbered as in the keys."""
    schema = load_schema()
    rows, vectors, labels, keys, row_priors = [], [], [], [], []
    prior = RelationPrior()
    for d, (doc, record) in enumerate(docs):
        gold = gold_pair_labels(record, schema.symmetric_labels)
        ctx = DocContext(doc)
        if with_prior:
            for (h, t), pair_labels in gold.items():
                if h in ctx.mentions and t in ctx.mentions:
                    for label in pair_labels:
                        prior.add(entity_keys(ctx, h), label, entity_keys(ctx, t), d)
        for h, t, near in entity_pair_candidates(ctx, max_sentences):
            feats, (head, tail) = entity_pair_features(ctx, h, t, near)
            rows.append(feats)
            vectors.append(context_vector(ctx, head, tail))
            labels.append(gold.get((h, t), set()))
            keys.append((d, h, t, ctx.label_of[h], ctx.label_of[t]))
            if with_prior:
                row_priors.append((entity_keys(ctx, h), entity_keys(ctx, t)))
    if not with_prior:
        return rows, vectors, labels, keys
    # Resolved once the whole prior is known: a pair's facts may come from later docs.
    return rows, vectors, labels, keys, [prior.gather(h, t) for h, t in row_priors], prior


def prior_matrix(row_priors: list[tuple], names: list[str], excluded):
    """The prior's features (`names`, one column each) of every row, each row's prior leaving
    out the articles `excluded(row)`."""
    from scipy import sparse

    column = {name: j for j, name in enumerate(names)}
    data_rows, cols = [], []
    for i, gathered in enumerate(row_priors):
        for name in prior_feature_names_without(gathered, excluded(i)):
            data_rows.append(i)
            cols.append(column[name])
    return sparse.csr_matrix((np.ones(len(cols)), (data_rows, cols)), shape=(len(row_priors), len(names)))


THRESHOLD_GRID = np.arange(0.2, 0.96, 0.05)


def _pair_scores(probs, keys, symmetric: bool) -> dict[tuple, float]:
    """The best score of each document-level pair (an unordered one for a symmetric label)."""
    scored: dict[tuple, float] = {}
    for k, p in zip(keys, probs):
        pair = _pair_key(k, symmetric)
        scored[pair] = max(scored.get(pair, 0.0), float(p))
    return scored


def _best_threshold(held_out: list[tuple[dict, set]], default: float) -> tuple[float, float, tuple]:
    """The grid threshold with the best pair F1 over one or several labels' (pair scores, gold
    pairs), counted together; that F1 and its (tp, predicted, gold) counts."""
    gold = sum(len(gold_pairs) for _, gold_pairs in held_out)
    best_f, best_t, best_counts = -1.0, default, (0, 0, gold)
    for t in THRESHOLD_GRID:
        tp = predicted = 0
        for scored, gold_pairs in held_out:
            found = {pair for pair, score in scored.items() if score >= t}
            tp, predicted = tp + len(found & gold_pairs), predicted + len(found)
        f = 2 * tp / (predicted + gold) if predicted + gold else 0.0
        if f > best_f + 1e-9:
            best_f, best_t, best_counts = f, float(round(t, 2)), (tp, predicted, gold)
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
    use_prior = bool(cfg.get("prior", False))
    rows, vectors, gold_labels, keys, *prior_data = entity_pair_data(gold_mention_docs(nlp, train + dev),
                                                                     max_sentences, with_prior=use_prior)
    row_priors, prior = prior_data if use_prior else (None, None)
    n_train = len(train)
    is_train = np.array([k[0] < n_train for k in keys])
    fold = np.array([k[0] % folds for k in keys])
    vectorizer = DictVectorizer()
    vectorizer.fit([r for r, t in zip(rows, is_train) if t])
    X_base = vectorizer.transform(rows)
    prior_names = ([f"prior={label}" for label in sorted(schema.relation_labels)]
                   + [f"prior_known={side}" for side in ("both", "head", "tail", "none")]) if use_prior else []
    # Context vectors sit beside the sparse features, scaled so the shared C regularizes both.
    context_scale = float(cfg.get("context_scale", 0.0))
    n_sparse = X_base.shape[1] + len(prior_names)
    context = None
    if context_scale > 0 and vectors and all(v is not None for v in vectors):
        context = sparse.csr_matrix(np.vstack(vectors) * context_scale)
    else:
        context_scale = 0.0

    def with_prior(excluded):
        """The feature matrix with the prior's columns, each row's prior leaving out the
        articles `excluded(row)` names (its own, or its fold's, as an unseen article would)."""
        blocks = [X_base]
        if use_prior:
            blocks.append(prior_matrix(row_priors, prior_names, excluded))
        if context is not None:
            blocks.append(context)
        return sparse.hstack(blocks).tocsr() if len(blocks) > 1 else X_base.tocsr()

    doc_of = [k[0] for k in keys]
    fold_docs = [frozenset(d for d in set(doc_of) if d % folds == f) for f in range(folds)]
    X = with_prior(lambda i: frozenset((doc_of[i],)))
    X_held = with_prior(lambda i: fold_docs[doc_of[i] % folds]) if use_prior else X
    X_fitted = [with_prior(lambda i, f=f: fold_docs[f] | fold_docs[doc_of[i] % folds]) if use_prior else X
                for f in range(folds)]

    def fit(mask, y, matrix):
        return LogisticRegression(C=float(cfg["C"]), max_iter=int(cfg["max_iter"]),
                                  class_weight=cfg.get("class_weight") or None, random_state=seed).fit(matrix[mask], y[mask])

    def fit_scorer(X, X_held, X_fitted, name):
        """One model per label on the train rows of X; thresholds from out-of-fold scores."""
        labels, coefs, intercepts, thresholds, per_label, out_of_fold_by_label = [], [], [], {}, {}, {}
        totals = [0, 0, 0]  # out-of-fold tp, predicted, gold pairs over all labels
        for label in schema.relation_labels:
            rtype = schema.relations[label]
            symmetric = label in schema.symmetric_labels
            allowed = np.array([rtype.allows(k[3], k[4]) for k in keys])
            y = np.array([label in ls for ls in gold_labels])
            if y[allowed & is_train].sum() < 3:
                continue
            model = fit(allowed & is_train, y, X)
            labels.append(label)
            coefs.append(model.coef_[0].astype(np.float32))
            intercepts.append(float(model.intercept_[0]))
            out_of_fold = np.zeros(len(keys))
            for f in range(folds):
                held = allowed & (fold == f)
                fitted = allowed & (fold != f)
                if held.any() and y[fitted].sum() >= 3:
                    out_of_fold[held] = fit(fitted, y, X_fitted[f]).predict_proba(X_held[held])[:, 1]
            out_of_fold_by_label[label] = (out_of_fold, allowed)
            picked = [(k, p) for k, p, a in zip(keys, out_of_fold, allowed) if a]
            gold_pairs = {_pair_key(k, symmetric) for k, ls in zip(keys, gold_labels) if label in ls}
            best_f, best_t, counts = _best_threshold(
                [(_pair_scores([p for _, p in picked], [k for k, _ in picked], symmetric), gold_pairs)],
                float(cfg["default_threshold"]))
            thresholds[label] = best_t
            totals = [a + b for a, b in zip(totals, counts)]
            per_label[label] = {"cv_pair_f1": round(best_f, 4), "threshold": best_t,
                                "train_positives": int(y[allowed & is_train].sum()), "cv_positives": len(gold_pairs)}
            log(f"relations{name} {label:14s} train+ {per_label[label]['train_positives']:4d}  "
                f"out-of-fold F1 {best_f:.3f} at {best_t}")
        micro = 2 * totals[0] / (totals[1] + totals[2]) if totals[1] + totals[2] else 0.0
        log(f"relations{name} out-of-fold micro F1 {micro:.3f} ({totals[0]} of {totals[2]} gold pairs, {totals[1]} predicted)")
        report = {"per_label": per_label,
                  "micro": {"cv_pair_f1": round(micro, 4), "tp": totals[0], "predicted": totals[1], "gold": totals[2]}}
        return np.vstack(coefs), np.array(intercepts), labels, thresholds, report, out_of_fold_by_label

    coef, intercepts, labels, thresholds, report, main_oof = fit_scorer(X, X_held, X_fitted, "")
    vocab = {f: int(i) for f, i in vectorizer.vocabulary_.items()}
    vocab.update({name: X_base.shape[1] + j for j, name in enumerate(prior_names)})
    weights = {"labels": labels, "vocab": vocab, "coef": coef[:, :n_sparse], "intercept": intercepts,
               "thresholds": thresholds, "context_coef": coef[:, n_sparse:] if context_scale else None,
               "context_scale": context_scale}
    if use_prior:
        # A pair whose names the prior has never seen is scored by a second model that never saw
        # the prior: the prior model learned that most pairs carry prior features, and reads
        # their absence as evidence, which on an article about names the corpus never covered
        # lost relations (pooled over the unread sets 0.562 → 0.539 with an empty prior).
        X_text = sparse.hstack([X_base] + ([context] if context is not None else [])).tocsr()
        text_coef, text_intercepts, text_labels, text_thresholds, text_report, text_oof = \
            fit_scorer(X_text, X_text, [X_text] * folds, " (text only)")
        assert text_labels == labels
        padded = np.hstack([text_coef[:, :X_base.shape[1]], np.zeros((len(labels), len(prior_names)), dtype=np.float32)])
        weights["text_only"] = {"coef": padded, "intercept": text_intercepts, "thresholds": text_thresholds,
                                "context_coef": text_coef[:, X_base.shape[1]:] if context_scale else None}
        # The rows the text-only model would score out of fold: their held-out prior knows neither name.
        unknown = X_held[:, X_base.shape[1] + prior_names.index(UNKNOWN_TO_PRIOR)].toarray().ravel() > 0
        report["text_only"] = text_report
        report["combined_micro"] = _combined_micro(keys, gold_labels, schema, labels, unknown,
                                                   (main_oof, thresholds), (text_oof, text_thresholds))
        log(f"relations out-of-fold micro F1, each pair by the model that reads it: {report['combined_micro']['cv_pair_f1']:.3f} "
            f"({int(unknown.sum())} of {len(unknown)} pairs unknown to the prior)")
        # The shipped prior holds what the train split states; dev only chose thresholds.
        shipped = prior.restricted(range(n_train))
        weights["prior"] = shipped
        report["prior_pairs"] = len(shipped)
    if cfg.get("stacker", False):
        unknown_rows = unknown if use_prior else np.zeros(len(keys), dtype=bool)
        oof = {label: (np.where(unknown_rows, text_oof[label][0], main_oof[label][0]) if use_prior
                       else main_oof[label][0], main_oof[label][1]) for label in labels}
        text_only_oof = {label: (text_oof if use_prior else main_oof)[label][0] for label in labels}
        weights["stacker"], report["stacker"] = fit_stacker(oof, text_only_oof, labels, unknown_rows, keys,
                                                            gold_labels, schema, folds,
                                                            float(cfg.get("stacker_C", 1.0)))
        log(f"relations stacked out-of-fold micro F1 {report['stacker']['cv_pair_f1']:.3f}")
    return weights, report


def fit_stacker(oof: dict, text_only_oof: dict, labels: list[str], unknown, keys, gold_labels, schema, folds: int,
                C: float) -> tuple[RelationStacker, dict]:
    """The stacker (relation_stacker.py) over the first scorer's out-of-fold scores (`oof`:
    label → (scores, allowed rows); `text_only_oof`: label → the text-only model's scores); the
    shipped weights are fitted on every row.

    Its threshold is one for all labels, the one with the best micro F1 over its own out-of-fold
    scores (same folds by article). Its output is a calibrated probability, and for micro F1 the
    best cut of calibrated probabilities is one value for every label (half the F1 it reaches);
    a threshold per label, each chosen for its own label's F1, set low ones for the hard labels
    (MEMBER_OF 0.15, KILLED 0.15) that bought recall at a cost in precision the micro F1 did not
    repay. (Measured before the text-only logit joined the features: out of fold 0.641 per label
    against 0.643 common; pooled over the 43 unread articles 0.622 against 0.627.)"""
    from sklearn.linear_model import LogisticRegression

    probs = np.column_stack([oof[label][0] for label in labels])
    allowed = np.column_stack([oof[label][1] for label in labels])
    probs = probs * allowed
    text_only = np.column_stack([text_only_oof[label] for label in labels]) * allowed
    # Each side numbered apart per article: pairs compete only within one.
    heads = np.unique(np.array([(k[0], k[1]) for k in keys]), axis=0, return_inverse=True)[1].ravel()
    tails = np.unique(np.array([(k[0], k[2]) for k in keys]), axis=0, return_inverse=True)[1].ravel()
    fold = np.array([k[0] % folds for k in keys])
    coefs, intercepts, held_out = [], [], []
    for j, label in enumerate(labels):
        x = stack_features(probs, text_only, allowed, unknown, heads, tails, j)
        y = np.array([label in ls for ls in gold_labels])
        rows = allowed[:, j]
        held_scores = np.zeros(len(keys))
        for f in range(folds):
            fitted, held = rows & (fold != f), rows & (fold == f)
            if held.any() and y[fitted].sum() >= 3:
                model = LogisticRegression(C=C, max_iter=2000).fit(x[fitted], y[fitted])
                held_scores[held] = model.predict_proba(x[held])[:, 1]
        symmetric = label in schema.symmetric_labels
        picked = np.flatnonzero(rows).tolist()
        held_out.append((_pair_scores(held_scores[picked], [keys[i] for i in picked], symmetric),
                         {_pair_key(k, symmetric) for k, ls in zip(keys, gold_labels) if label in ls}))
        model = LogisticRegression(C=C, max_iter=2000).fit(x[rows], y[rows])
        coefs.append(model.coef_[0])
        intercepts.append(float(model.intercept_[0]))
    micro, threshold, (tp, predicted, gold) = _best_threshold(held_out, 0.5)
    report = {"cv_pair_f1": round(micro, 4), "tp": tp, "predicted": predicted, "gold": gold, "threshold": threshold}
    return RelationStacker(labels, np.vstack(coefs), np.array(intercepts), dict.fromkeys(labels, threshold)), report


def _combined_micro(keys, gold_labels, schema, labels, unknown, main, text_only) -> dict:
    """Out-of-fold micro F1 when the text-only model scores the pairs the prior does not know."""
    tp = predicted = gold = 0
    for label in labels:
        symmetric = label in schema.symmetric_labels
        (p_main, allowed), t_main = main[0][label], main[1][label]
        p_text, t_text = text_only[0][label][0], text_only[1][label]
        found = {_pair_key(k, symmetric) for i, k in enumerate(keys) if allowed[i]
                 and (p_text[i] >= t_text if unknown[i] else p_main[i] >= t_main)}
        gold_pairs = {_pair_key(k, symmetric) for k, ls in zip(keys, gold_labels) if label in ls}
        tp, predicted, gold = tp + len(found & gold_pairs), predicted + len(found), gold + len(gold_pairs)
    return {"cv_pair_f1": round(2 * tp / (predicted + gold), 4) if predicted + gold else 0.0,
            "tp": tp, "predicted": predicted, "gold": gold}
