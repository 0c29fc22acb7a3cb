"""Train the guideline-label NER starting from en_core_web_sm's NER weights (the cnn variant)."""

from __future__ import annotations

import random
import time

import spacy
from spacy.language import Language
from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from pipeline.schema import load_schema
from pipeline.train.data import ner_examples


def train_ner(train: list[dict], dev: list[dict], cfg: dict, seed: int, log=print) -> tuple[Language, dict]:
    fix_random_seed(seed)
    base = spacy.load(cfg["base"], exclude=["parser", "tagger", "attribute_ruler", "lemmatizer"])
    nlp = spacy.blank("en")
    nlp.add_pipe("ner", name="crimeie_ner", source=base)
    ner = nlp.get_pipe("crimeie_ner")
    for label in load_schema().entity_labels:
        ner.add_label(label)
    train_examples = ner_examples(nlp, train)
    dev_examples = ner_examples(nlp, dev)
    optimizer = nlp.resume_training()
    optimizer.learn_rate = float(cfg["learn_rate"])
    best, best_bytes, bad_epochs, history = -1.0, None, 0, []
    rng = random.Random(seed)
    for epoch in range(int(cfg["max_epochs"])):
        started = time.perf_counter()
        rng.shuffle(train_examples)
        losses: dict = {}
        for batch in minibatch(train_examples, size=8):
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


def check_examples(examples: list[Example]) -> int:
    return sum(len(e.reference.ents) for e in examples)
