"""Step 1 of the encoder trial (CPU): the relation scorer's candidate entity pairs as marked text.

    python scripts/encoder_trial/export.py traindev|dev|test|unseen|unseen2|unseen3

Each candidate pair becomes up to 3 windows (the sentences from one mention to the other, the
closest mention pairs first) with typed markers: `@ * person * Niño Guerrero @ ... # ^ criminal
group ^ Tren de Aragua #`. traindev: gold mentions, gold labels and the document index (folds are
doc % 5, as the scorer's thresholds use). The other sets: the shipped pipeline's own candidates
(predicted entities), keyed by (md5 of the text, head, tail), so compare.py can swap scores in.
Writes .enc/<set>.jsonl.gz under the repository root.
"""
import sys, json, gzip, hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
import numpy as np
import spacy
from pipeline.gold.corpus import read_records
from pipeline.nlp.build import BASE_MODEL
from pipeline.train.data import gold_mention_docs
from pipeline.train.relations import gold_pair_labels
from pipeline.nlp.relation_features import DocContext, entity_pair_candidates
import pipeline.nlp.relations as R
from pipeline.schema import load_schema

schema = load_schema()
TYPE = {"PERSON": "person", "CRIMINAL_GROUP": "criminal group", "ORGANIZATION": "organization",
        "LOCATION": "location", "FACILITY": "facility", "CRIMINAL_ACTIVITY": "criminal activity"}
MAXCH = 1400


def marked(ctx, a, b):
    """Text of the sentences from a's to b's with typed markers: @ * type * head @ ... # ^ type ^ tail #."""
    si, sents, text = ctx.sent_index, ctx.sents, ctx.doc.text
    sa, sb = si[a.start], si[b.start]
    lo, hi = min(sa, sb), max(sa, sb)
    if hi - lo <= 3:
        pieces = [(sents[lo].start_char, sents[hi].end_char)]
    else:
        pieces = [(sents[lo].start_char, sents[lo].end_char), (sents[hi].start_char, sents[hi].end_char)]
    ins = sorted([(a.start_char, f"@ * {TYPE[a.label_]} * ", "hs"), (a.end_char, " @", None),
                  (b.start_char, f"# ^ {TYPE[b.label_]} ^ ", "ts"), (b.end_char, " #", None)])
    out, pos = [], {}
    for (p0, p1) in pieces:
        cur = p0
        for c, s, tag in ins:
            if p0 <= c <= p1:
                out.append(text[cur:c])
                if tag:
                    pos[tag] = sum(map(len, out))
                out.append(s)
                cur = c
        out.append(text[cur:p1])
        out.append(" ... ")
    s = "".join(out[:-1]).replace("\n", " ")
    # trim around markers
    lo_c, hi_c = min(pos.values()), max(pos.values())
    if len(s) > MAXCH:
        start = max(0, min(lo_c - 200, len(s) - MAXCH))
        start = min(start, lo_c)
        s2 = s[start:start + max(MAXCH, hi_c - start + 150)]
        pos = {k: v - start for k, v in pos.items()}
        s = s2
    return s, pos["hs"], pos["ts"]


def instances(ctx, h, t, k=3):
    rows = ctx.mention_rows
    pairs = sorted(((abs(sa - sb), abs(a0 - b0), a, b) for a0, sa, va, a in rows[h] if not va
                    for b0, sb, vb, b in rows[t] if not vb), key=lambda x: (x[0], x[1]))
    out, seen = [], set()
    for d, _, a, b in pairs:
        key = (ctx.sent_index[a.start], ctx.sent_index[b.start])
        if key in seen:
            continue
        seen.add(key)
        out.append(marked(ctx, a, b))
        if len(out) >= k:
            break
    return out


def main():
    which = sys.argv[1]
    (ROOT / ".enc").mkdir(exist_ok=True)
    out = gzip.open(ROOT / ".enc" / f"{which}.jsonl.gz", "wt")
    if which == "traindev":
        train = read_records([ROOT / "corpus/gold/train.jsonl"])
        dev = read_records([ROOT / "corpus/gold/dev.jsonl"])
        recs = train + dev
        docs = gold_mention_docs(spacy.load(BASE_MODEL), recs)
        n = 0
        for d, (doc, record) in enumerate(docs):
            gold = gold_pair_labels(record, schema.symmetric_labels)
            ctx = DocContext(doc)
            for h, t, near in entity_pair_candidates(ctx, 3):
                inst = instances(ctx, h, t)
                allowed = sorted(R.allowed_labels(ctx.label_of[h], ctx.label_of[t]))
                out.write(json.dumps({"doc": d, "split": "train" if d < len(train) else "dev", "h": h, "t": t,
                                      "inst": inst, "allowed": allowed, "gold": sorted(gold.get((h, t), set()))}) + "\n")
                n += 1
        print("pairs", n)
    else:
        recs = read_records([ROOT / f"corpus/gold/{which}.jsonl"])
        nlp = spacy.load(ROOT / "models/crimeie-default")
        orig = R.entity_pair_features
        n = [0]

        def spy(ctx, h, t, near, *a, **kw):
            md5 = hashlib.md5(ctx.doc.text.encode()).hexdigest()
            out.write(json.dumps({"doc": md5, "h": h, "t": t, "inst": instances(ctx, h, t),
                                  "allowed": sorted(R.allowed_labels(ctx.label_of[h], ctx.label_of[t]))}) + "\n")
            n[0] += 1
            return orig(ctx, h, t, near, *a, **kw)
        R.entity_pair_features = spy
        for doc in nlp.pipe(r["text"] for r in recs):
            pass
        print(which, "pairs", n[0])
    out.close()


main()
