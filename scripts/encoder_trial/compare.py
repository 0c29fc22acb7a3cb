"""Step 3 of the encoder trial (CPU): compare the encoder with the shipped linear scorer.

    python scripts/encoder_trial/compare.py        (W=0.3 sets the encoder's share in the mix)

Out of fold over train+dev: the linear scorer's per-label logistic regressions refitted on the
same folds, the encoder, and their weighted means, each with its thresholds chosen out of fold.
End to end: the shipped pipeline on each eval set, with its scores as they are and mixed with the
encoder's (thresholds from the mixed out-of-fold scores). Reads .enc/ (export.py, train.py).
"""
import sys, gzip, json, pickle, os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import numpy as np
import spacy
from confection import Config
from scipy import sparse
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from pipeline.gold.corpus import read_records
from pipeline.nlp.build import BASE_MODEL
from pipeline.train.data import gold_mention_docs
from pipeline.train.relations import entity_pair_data, _best_threshold, _pair_key
from pipeline.schema import load_schema

cfg = dict(Config().from_disk(ROOT / "models/train.cfg")["relations"])
schema = load_schema(); labels = list(schema.relation_labels)
cache = ROOT / ".enc" / "lr_oof.pkl"
td = [json.loads(l) for l in gzip.open(ROOT / ".enc/traindev.jsonl.gz", "rt")]
if os.path.exists(cache):
    keys, gold_labels, oof = pickle.load(open(cache, "rb"))
else:
    train = read_records([ROOT / "corpus/gold/train.jsonl"])
    dev = read_records([ROOT / "corpus/gold/dev.jsonl"])
    rows, vectors, gold_labels, keys = entity_pair_data(gold_mention_docs(spacy.load(BASE_MODEL), train + dev), 3)
    is_train = np.array([k[0] < len(train) for k in keys]); fold = np.array([k[0] % 5 for k in keys])
    vec = DictVectorizer().fit([r for r, t in zip(rows, is_train) if t])
    X = vec.transform(rows)
    cs = float(cfg.get("context_scale", 0))
    if cs > 0:
        X = sparse.hstack([X, sparse.csr_matrix(np.vstack(vectors) * cs)]).tocsr()
    oof = np.zeros((len(keys), len(labels)))
    for j, label in enumerate(labels):
        rt = schema.relations[label]
        allowed = np.array([rt.allows(k[3], k[4]) for k in keys]); y = np.array([label in ls for ls in gold_labels])
        for f in range(5):
            held, fit = allowed & (fold == f), allowed & (fold != f)
            if held.any() and y[fit].sum() >= 3:
                oof[held, j] = LogisticRegression(C=float(cfg["C"]), max_iter=int(cfg["max_iter"]), random_state=0).fit(X[fit], y[fit]).predict_proba(X[held])[:, 1]
    pickle.dump((keys, gold_labels, oof), open(cache, "wb"))
assert len(keys) == len(td) and all((k[0], k[1], k[2]) == (r["doc"], r["h"], r["t"]) for k, r in zip(keys, td))
enc = np.load(ROOT / ".enc/out/oof.npy")

def report(P, name):
    tot = [0, 0, 0]; per = {}; thr = {}
    for j, label in enumerate(labels):
        sym = label in schema.symmetric_labels; rt = schema.relations[label]
        sel = np.array([rt.allows(k[3], k[4]) for k in keys])
        ks = [k for k, a in zip(keys, sel) if a]
        gp = {_pair_key(k, sym) for k, ls in zip(keys, gold_labels) if label in ls}
        bf, bt, c = _best_threshold(P[sel, j], ks, gp, sym, 0.5)
        tot = [a + b for a, b in zip(tot, c)]; per[label] = round(bf, 3); thr[label] = bt
    print(f"{name:12s} micro {2 * tot[0] / (tot[1] + tot[2]):.4f}", per, flush=True)
    return thr

report(oof, "LR")
report(enc, "ENC")
for w in (0.3, 0.5, 0.7):
    report(w * enc + (1 - w) * oof, f"avg w={w}")

# ---- end to end: mix the encoder's probability into the committed scorer's, thresholds from the mixed OOF
import hashlib
import pipeline.nlp.relations as R
from pipeline.evaluate.predict import predict_records
from pipeline.evaluate.scorer import score
W = float(os.environ.get("W", "0.3"))
thr = report(W * enc + (1 - W) * oof, f"mix {W}")
nlp = spacy.load(ROOT / "models/crimeie-default")
pipe = nlp.get_pipe("crimeie_relations")
base_thr = dict(pipe.thresholds)
cur = {}
orig_feats, orig_scores = R.entity_pair_features, R.RelationExtractor.scores
def spy(ctx, h, t, near, *a, **kw):
    cur["key"] = (hashlib.md5(ctx.doc.text.encode()).hexdigest(), h, t)
    return orig_feats(ctx, h, t, near, *a, **kw)
lookup = {}
def mixed(self, feats, context=None):
    s = orig_scores(self, feats, context)
    e = lookup.get(cur.get("key"))
    if e is None or not MIX:
        return s
    return {l: W * float(e[labels.index(l)]) + (1 - W) * p for l, p in s.items()}
R.entity_pair_features = spy
R.RelationExtractor.scores = mixed
for name in [n for n in ("dev", "test", "unseen", "unseen2", "unseen3") if (ROOT / ".enc/out" / f"eval_{n}.npy").exists()]:
    rows = [json.loads(l) for l in gzip.open(ROOT / f".enc/{name}.jsonl.gz", "rt")]
    E = np.load(ROOT / f".enc/out/eval_{name}.npy")
    lookup.clear(); lookup.update({(r["doc"], r["h"], r["t"]): E[i] for i, r in enumerate(rows)})
    recs = read_records([ROOT / f"corpus/gold/{name}.jsonl"])
    out = []
    for MIX in (False, True):
        pipe.thresholds = {l: thr.get(l, 0.5) for l in base_thr} if MIX else base_thr
        m = score(recs, predict_records(nlp, recs), n_bootstrap=0)["relations"]["micro"]
        out.append(f"{'mix' if MIX else 'lr '} P {m['precision']:.3f} R {m['recall']:.3f} F1 {m['f1']:.4f}")
    print(name, " | ".join(out), flush=True)
