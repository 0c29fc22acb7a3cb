"""Step 2 of the encoder trial (GPU): fine-tune all-MiniLM-L6-v2 as a relation scorer.

Run from .enc/ (copy this file there, with the model folder as .enc/minilm, see README.md):
    cd .enc && OUT=out python3 train.py
Out of fold over train+dev (5 folds by doc % 5), then one model on all of train+dev that scores
the eval sets' candidates. Each window's representation is the encoder's output at the head and
tail markers, through a small MLP to one logit per label; a pair's logit is the max over its
windows. 3 epochs, all positives and half the negatives each epoch, learning rate 5e-5.
On one H100: 416 s for the 5 folds and the final model (46,424 pairs, 108,899 windows)."""
import gzip, json, os, sys, time, math, random
import numpy as np
import torch
from transformers import AutoModel, AutoTokenizer

LABELS = ['LEADER_OF', 'MEMBER_OF', 'PART_OF', 'ALLY_OF', 'RIVAL_OF', 'OPERATES_IN', 'BASED_IN', 'ENGAGED_IN',
          'IMPRISONED_IN', 'ARRESTED_BY', 'LINKED_TO', 'LOCATED_IN', 'KILLED']
LI = {l: i for i, l in enumerate(LABELS)}
HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.environ.get("OUT", os.path.join(HERE, "out"))
os.makedirs(OUT, exist_ok=True)
DEV = "cuda" if torch.cuda.is_available() else "cpu"
SMALL = int(os.environ.get("SMALL", "0"))
EPOCHS = int(os.environ.get("EPOCHS", "3"))
NEG = float(os.environ.get("NEG", "0.5"))
LR = float(os.environ.get("LR", "5e-5"))
FOLDS = [int(x) for x in os.environ.get("FOLDS", "0,1,2,3,4,-1").split(",")]
MAXLEN = 320
tok = AutoTokenizer.from_pretrained(f"{HERE}/minilm")


def load(name):
    rows = [json.loads(l) for l in gzip.open(f"{HERE}/{name}.jsonl.gz", "rt")]
    return rows[:SMALL] if SMALL else rows


def encode(rows):
    texts, hs, ts, owner = [], [], [], []
    for p, r in enumerate(rows):
        for s, h, t in r["inst"]:
            texts.append(s); hs.append(h); ts.append(t); owner.append(p)
    enc = tok(texts, truncation=True, max_length=MAXLEN, return_offsets_mapping=True)
    items = []
    for i, (ids, offs) in enumerate(zip(enc["input_ids"], enc["offset_mapping"])):
        starts = {o[0]: j for j, o in enumerate(offs) if o[1] > o[0]}
        items.append((ids, starts.get(hs[i], 0), starts.get(ts[i], 0), owner[i]))
    mask = np.zeros((len(rows), len(LABELS)), bool)
    y = np.zeros((len(rows), len(LABELS)), np.float32)
    for p, r in enumerate(rows):
        for l in r["allowed"]:
            mask[p, LI[l]] = True
        for l in r.get("gold", []):
            y[p, LI[l]] = 1
    by_pair = [[] for _ in rows]
    for i, it in enumerate(items):
        by_pair[it[3]].append(i)
    return items, by_pair, mask, y


class Scorer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.enc = AutoModel.from_pretrained(f"{HERE}/minilm").float()
        d = self.enc.config.hidden_size
        self.head = torch.nn.Sequential(torch.nn.Dropout(0.1), torch.nn.Linear(2 * d, d), torch.nn.GELU(),
                                        torch.nn.Dropout(0.1), torch.nn.Linear(d, len(LABELS)))

    def forward(self, batch_items):
        L = max(len(it[0]) for it in batch_items)
        ids = torch.zeros((len(batch_items), L), dtype=torch.long)
        att = torch.zeros((len(batch_items), L), dtype=torch.long)
        for k, it in enumerate(batch_items):
            ids[k, :len(it[0])] = torch.tensor(it[0]); att[k, :len(it[0])] = 1
        ids, att = ids.to(DEV), att.to(DEV)
        with torch.autocast(device_type="cuda", dtype=torch.bfloat16, enabled=DEV == "cuda"):
            h = self.enc(input_ids=ids, attention_mask=att).last_hidden_state
            r = torch.arange(len(batch_items), device=DEV)
            hi = torch.tensor([it[1] for it in batch_items], device=DEV)
            ti = torch.tensor([it[2] for it in batch_items], device=DEV)
            rep = torch.cat([h[r, hi], h[r, ti]], dim=-1)
            return self.head(rep).float()


def pair_logits(model, items, by_pair, pairs):
    flat = [i for p in pairs for i in by_pair[p]]
    logits = model([items[i] for i in flat])
    out, k = [], 0
    for p in pairs:
        n = len(by_pair[p])
        out.append(logits[k:k + n].max(dim=0).values)
        k += n
    return torch.stack(out)


def batches(pairs, items, by_pair, max_tokens=24000, shuffle=True, seed=0):
    """Group pairs of similar length; cap the padded tokens per batch."""
    rng = random.Random(seed)
    ln = {p: max(len(items[i][0]) for i in by_pair[p]) for p in pairs}
    order = sorted(pairs, key=lambda p: ln[p])
    out, cur, cur_n, cur_max = [], [], 0, 0
    for p in order:
        n = len(by_pair[p]); m = max(cur_max, ln[p])
        if cur and (cur_n + n) * m > max_tokens:
            out.append(cur); cur, cur_n, m = [], 0, ln[p]
        cur.append(p); cur_n += n; cur_max = m
    if cur:
        out.append(cur)
    if shuffle:
        rng.shuffle(out)
    return out


def train(data, train_pairs, seed):
    items, by_pair, mask, y = data
    torch.manual_seed(seed); random.seed(seed); np.random.seed(seed)
    model = Scorer().to(DEV)
    pos = [p for p in train_pairs if y[p].any()]
    neg = [p for p in train_pairs if not y[p].any()]
    steps_per_epoch = len(batches(pos + neg[:int(len(neg) * NEG)], items, by_pair))
    total = max(1, steps_per_epoch * EPOCHS)
    opt = torch.optim.AdamW([{"params": model.enc.parameters(), "lr": LR},
                             {"params": model.head.parameters(), "lr": 1e-3}], weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, s / max(1, 0.1 * total)) * max(0.0, (total - s) / max(1, total)))
    M, Y = torch.tensor(mask, device=DEV), torch.tensor(y, device=DEV)
    model.train()
    rng = np.random.default_rng(seed)
    step = 0
    for ep in range(EPOCHS):
        sample = pos + [p for p in neg if rng.random() < NEG]
        tot = 0.0
        for b in batches(sample, items, by_pair, seed=seed * 100 + ep):
            lg = pair_logits(model, items, by_pair, b)
            m, yy = M[b], Y[b]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(lg[m], yy[m])
            opt.zero_grad(); loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step(); sched.step(); step += 1
            tot += loss.item()
        print(f"  epoch {ep} loss {tot / max(1, step):.4f} t={time.time() - T0:.0f}s", flush=True)
    return model


@torch.no_grad()
def predict(model, data, pairs):
    items, by_pair, mask, _ = data
    model.eval()
    out = np.zeros((len(by_pair), len(LABELS)), np.float32)
    for b in batches(pairs, items, by_pair, max_tokens=60000, shuffle=False):
        out[b] = torch.sigmoid(pair_logits(model, items, by_pair, b)).cpu().numpy()
    model.train()
    return out * mask


T0 = time.time()
td = load("traindev")
data = encode(td)
print("encoded", len(td), "pairs", len(data[0]), "windows", f"{time.time() - T0:.0f}s", flush=True)
fold = np.array([r["doc"] % 5 for r in td])
oof_path = f"{OUT}/oof.npy"
prev = f"{HERE}/oof_prev.npy"
oof = np.load(prev) if os.path.exists(prev) else np.zeros((len(td), len(LABELS)), np.float32)
for f in FOLDS:
    if f >= 0:
        tr = [p for p in range(len(td)) if fold[p] != f]
        he = [p for p in range(len(td)) if fold[p] == f]
        print(f"fold {f}: train {len(tr)} held {len(he)}", flush=True)
        model = train(data, tr, seed=f)
        oof[he] = predict(model, data, he)[he]
        np.save(oof_path, oof.astype(np.float16) if False else oof)
    else:
        print("final model on all train+dev", flush=True)
        model = train(data, list(range(len(td))), seed=0)
        for name in [n for n in ("dev", "test", "unseen", "unseen2", "unseen3") if os.path.exists(f"{HERE}/{n}.jsonl.gz")]:
            rows = load(name)
            d = encode(rows)
            np.save(f"{OUT}/eval_{name}.npy", predict(model, d, list(range(len(rows)))))
            print("  scored", name, len(rows), flush=True)
        if os.environ.get("SAVE"):
            torch.save(model.state_dict(), f"{OUT}/scorer.pt")
    del model
    if DEV == "cuda":
        torch.cuda.empty_cache()
print("done", f"{time.time() - T0:.0f}s", flush=True)
