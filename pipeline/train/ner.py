"""Train the guideline-label NER: the cnn variant starts from en_core_web_sm's NER weights, the
trf variant reads all-MiniLM-L6-v2 beside a shape embedding (`pipeline.nlp.transformer_embed`)."""

from __future__ import annotations

import random
import time

import spacy
from spacy.language import Language
from spacy.util import fix_random_seed, minibatch

from pipeline.schema import load_schema
from pipeline.train.data import ner_examples


def train_ner(train: list[dict], dev: list[dict], cfg: dict, seed: int, log=print) -> tuple[Language, dict]:
    """cnn: spaCy's transition-based NER sourced from en_core_web_sm, given the guideline labels."""
    fix_random_seed(seed)
    base = spacy.load(cfg["base"], exclude=["parser", "tagger", "attribute_ruler", "lemmatizer"])
    nlp = spacy.blank("en")
    nlp.add_pipe("ner", name="crimeie_ner", source=base)
    ner = nlp.get_pipe("crimeie_ner")
    for label in load_schema().entity_labels:
        ner.add_label(label)
    optimizer = nlp.resume_training()
    return _train_loop(nlp, optimizer, train, dev, cfg, seed, log)


def train_trf_ner(train: list[dict], dev: list[dict], cfg: dict, seed: int, log=print) -> tuple[Language, dict]:
    """trf: a transition-based NER over MiniLM + shape features, the transformer fine-tuned with it."""
    import pipeline.nlp.transformer_embed  # noqa: F401  (registers crimeie.MiniLMWithShape.v1)

    fix_random_seed(seed)
    nlp = spacy.blank("en")
    tok2vec = {"@architectures": "crimeie.MiniLMWithShape.v1", "window": int(cfg["window"]),
               "stride": int(cfg["stride"]), "shape_width": int(cfg["shape_width"]),
               "shape_rows": [int(r) for r in cfg["shape_rows"]]}
    model = {"@architectures": "spacy.TransitionBasedParser.v2", "state_type": "ner", "extra_state_tokens": False,
             "hidden_width": int(cfg["hidden_width"]), "maxout_pieces": 2, "use_upper": False, "tok2vec": tok2vec}
    nlp.add_pipe("ner", name="crimeie_ner", config={"model": model})
    ner = nlp.get_pipe("crimeie_ner")
    for label in load_schema().entity_labels:
        ner.add_label(label)
    examples = ner_examples(nlp, train)
    optimizer = nlp.initialize(lambda: examples)
    return _train_loop(nlp, optimizer, train, dev, cfg, seed, log, examples)


def _train_loop(nlp: Language, optimizer, train, dev, cfg: dict, seed: int, log, train_examples=None):
    """Epochs over paragraph examples; keep the weights of the best dev F1; stop after `patience`."""
    train_examples = train_examples or ner_examples(nlp, train)
    dev_examples = ner_examples(nlp, dev)
    optimizer.learn_rate = float(cfg["learn_rate"])
    best, best_bytes, bad_epochs, history = -1.0, None, 0, []
    rng = random.Random(seed)
    for epoch in range(int(cfg["max_epochs"])):
        started = time.perf_counter()
        rng.shuffle(train_examples)
        losses: dict = {}
        for batch in minibatch(train_examples, size=int(cfg.get("batch_size", 8))):
            nlp.update(batch, drop=float(cfg["dropout"]), sgd=optimizer, losses=losses)
        scores = nlp.evaluate(dev_examples)
        f = scores.get("ents_f") or 0.0
        history.append({"epoch": epoch, "loss": round(losses.get("crimeie_ner", 0.0), 2), "dev_ents_f": round(f, 4)})
        log(f"ner epoch {epoch:2d} loss {losses.get('crimeie_ner', 0.0):9.1f} dev F1 {f:.4f} ({time.perf_counter() - started:.0f}s)")
        if f > best:
            best, best_bytes, bad_epochs = f, nlp.to_bytes(), 0
        else:
            bad_epochs += 1
            if bad_epochs >= int(cfg["patience"]):
                break
    nlp.from_bytes(best_bytes)
    return nlp, {"dev_ents_f": round(best, 4), "epochs": history}
